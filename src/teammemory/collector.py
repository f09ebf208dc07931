"""The cyclic garbage collector as TeamMemory's work wants it: one policy, for an ingest run as a
library call (`fewer_collections`) and for a whole command's process (`tune_process`, cli.main).

Both make millions (an ingest) or tens of thousands (a question) of short-lived objects, rows
and parsed commits, and almost no reference cycles, so Python's collection every 700 allocations
only scans the growing heap again: ~0.2 s of BookKeeper's first ingest, ~0.1 s of Flask's
(bench/ingest_real.py), peak memory unchanged; whole question processes at 100,000 commits:
risky-files 316 -> 286 ms, onboarding 330 -> 319 ms, pr-context 135 -> 126 ms.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

FIRST_GENERATION = 100_000  # allocations between collections (Python's default: 700)

_tuned: list[bool] = []  # once per process, however often cli.main runs (tests call it in-process)


@contextmanager
def fewer_collections(first: int = FIRST_GENERATION) -> Iterator[None]:
    """Collect after every `first` allocations inside, Python's setting back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(first, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def tune_process() -> None:
    """The collector as a short command wants it, set once per process.

    - Collect after every FIRST_GENERATION allocations, for the whole process.
    - Freeze its objects as the process ends, after every other exit handler (registered first,
      so run last): the collections of the interpreter's shutdown then skip the ~25,000 objects
      a question's imports and answer left, which took ~20 ms of every command's process
      (`pr-context` spent 21 ms of its 147 ms after its answer, 5 ms with the freeze). Objects
      freed by their reference counts are still freed; only cycles left at exit are not
      collected, whose finalizers Python never promises to run. Files, SQLite and PostgreSQL
      connections are closed explicitly, or by weakref.finalize (an exit handler).
    """
    if not _tuned:
        _tuned.append(True)
        gc.set_threshold(FIRST_GENERATION, *gc.get_threshold()[1:])
        atexit.register(gc.freeze)
