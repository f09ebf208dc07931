"""Component rules take effect on the next command, not after an undocumented re-ingest.

Components are stored (files.component, and the summary tables built from it), so an answer
about a component reads one index range instead of recomputing globs over the whole history.
The rules that stored them are the cursor ('derive', 'component_rules'). A command that answers
questions calls `apply_component_rules(store, config)` before it opens its read-only view: when
the configured rules differ from the stored ones it re-derives components and their summaries
in one short write transaction of its own (derive.refresh_components, the same code an ingest
runs), then reads. `Store.read()` itself never writes.

The check costs one lookup while the rules stay the same, and imports nothing heavy; a question
makes it on the connection it then reads with (`current_read`), so it opens the store once. The
re-derivation is paid once per change of rules (it re-checks every file and rebuilds the
summary rows of the commits whose files changed component). When the store cannot be written
(a read-only folder, another writer busy) the answer uses the stored components and a one-line
warning says so.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from teammemory.config import Config, rules_fingerprint
from teammemory.errors import TeamMemoryError
from teammemory.store import Reader, Store

CURSOR = ("derive", "component_rules")


def stale_rules(store: Store, config: Config) -> bool:
    """True when the store's components were derived by other rules than `config`'s (a store
    without components or without the cursor is left alone: its next ingest derives them)."""
    try:
        with store.read() as db:
            return _stale(db, config)
    except TeamMemoryError:  # no store, an older schema, ...: the question itself says so
        return False


def _stale(db: Reader, config: Config) -> bool:
    stored = db.scalar("select value from cursors where source = :s and target = :t", s=CURSOR[0], t=CURSOR[1])
    return stored is not None and str(stored) != rules_fingerprint(config.component_rules)


@contextmanager
def current_read(store: Store, config: Config, *, log: TextIO | None = None) -> Iterator[Reader]:
    """`store.read()` with `config`'s component rules in effect: while they are the stored ones,
    the one read that checks them is the one yielded; else they are applied first (as by
    `apply_component_rules`), then read anew."""
    with store.read() as db:  # no store, an older schema, ...: refused here, as by any read
        if not _stale(db, config):
            yield db
            return
    _rederive(store, config, log)
    with store.read() as db:
        yield db


def apply_component_rules(store: Store, config: Config, *, log: TextIO | None = None) -> bool:
    """Re-derive components when the rules changed since they were derived; True when it did."""
    if not stale_rules(store, config):
        return False
    return _rederive(store, config, log)


def _rederive(store: Store, config: Config, log: TextIO | None) -> bool:
    """Re-derive components by `config`'s rules in a write of its own; False (and a warning) when
    the store cannot be written."""
    from teammemory import derive
    from teammemory.store import lineage, summaries

    out = log or sys.stderr
    try:
        with store.write(wait=0) as db:
            summaries.restate_files(db, derive.refresh_components(db, config))
            summaries.refresh(db)
            lineage.refresh(db)  # the bus factor's component scopes
    except TeamMemoryError as exc:
        print(f"warning: the component rules changed, but {store.where} cannot be updated ({exc});"
              " answers use the components of the last ingest", file=out)
        return False
    return True
