"""Rule-based agents: each a module with `ask(reader, ..., now=, config=)` and a pure `rank(...)`.

Registered in a plain dict (code-maat's `supported-analysis`), not a plugin system.
"""
