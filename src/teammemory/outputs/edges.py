"""Agents that need I/O at the edge get it bound here, so the registry can call them like any other.

`why` blames lines in the repository's clone: agents/why_line.py takes the blame function as an
argument (agents never import sources/), and this is where the real one, `git blame` in
sources/blame.py, is handed over. The import is inside the function: a process that asks
another question never loads it. The one thing blame says besides its answer (that it is writing
the clone's commit-graph, a wait of seconds on a long history, once) goes to stderr when that is a
terminal, like a progress bar: stdout stays the answer (the CLI's, or the MCP server's protocol),
and a pipe or a log gets the answer alone.
"""

from __future__ import annotations

import sys
from functools import partial
from typing import Any

from teammemory.agents import why_line
from teammemory.agents.why_line import WhyLine
from teammemory.store import Reader


def ask_why(db: Reader, spec: str, **options: Any) -> WhyLine:
    """`why_line.ask` with `git blame` from sources/blame.py."""
    from teammemory.sources import blame

    return why_line.ask(db, spec, blame=partial(blame.blame, note=_note), **options)


def _note(text: str) -> None:
    if sys.stderr.isatty():
        print(f"teammemory: {text}", file=sys.stderr, flush=True)
