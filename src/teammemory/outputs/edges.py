"""Agents that need I/O at the edge get it bound here, so the registry can call them like any other.

`why` blames lines in the repository's clone: agents/why_line.py takes the blame function as an
argument (agents never import sources/), and this is where the real one, `git blame` in
sources/blame.py, is handed over. The import is inside the function: a process that asks
another question never loads it. The one thing blame says besides its answer (that it is writing
the clone's commit-graph, a wait of seconds on a long history, once) goes to stderr when that is a
terminal (`early_why.note`, which the blame started before the command loads uses too).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from teammemory.agents import why_line
from teammemory.agents.why_line import WhyLine
from teammemory.store import Reader


def ask_why(db: Reader, spec: str, **options: Any) -> WhyLine:
    """`why_line.ask` with `git blame` from sources/blame.py."""
    from teammemory.outputs.early_why import note
    from teammemory.sources import blame

    return why_line.ask(db, spec, blame=partial(blame.blame, note=note), **options)
