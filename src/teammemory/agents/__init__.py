"""Rule-based agents: each a module with `ask…(reader, …, now=, config=)` and pure `rank…` functions.

An agent's SQL lives in `agents/sql/<agent>.sql` as named statements; its rows are NamedTuples
and its answer a frozen dataclass carrying its evidence. The registry of questions that the CLI,
the docs (and the API to come) list is `teammemory.outputs.questions.QUESTIONS`, because it pairs
each agent with its renderer; agents know nothing of it.
"""
