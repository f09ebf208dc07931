"""Component rules take effect on the next command, not after an undocumented re-ingest.

Components are stored (files.component, and the summary tables built from it), so an answer
about a component reads one index range instead of recomputing globs over the whole history.
The rules that stored them are the cursor ('derive', 'component_rules'). A command that answers
questions calls `apply_component_rules(store, config)` before it opens its read-only view: when
the configured rules differ from the stored ones it re-derives components and their summaries
in one short write transaction of its own (derive.refresh_components, the same code an ingest
runs), then reads. `Store.read()` itself never writes.

The check costs one lookup while the rules stay the same, and imports nothing heavy. The
re-derivation is paid once per change of rules (it re-checks every file and rebuilds the
summary rows of the commits whose files changed component). When the store cannot be written
(a read-only folder, another writer busy) the answer uses the stored components and a one-line
warning says so.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from teammemory.config import Config
from teammemory.errors import TeamMemoryError
from teammemory.store import Store

CURSOR = ("derive", "component_rules")


def stale_rules(store: Store, config: Config) -> bool:
    """True when the store's components were derived by other rules than `config`'s (a store
    without components or without the cursor is left alone: its next ingest derives them)."""
    try:
        with store.read() as db:
            stored = db.scalar("select value from cursors where source = :s and target = :t",
                               s=CURSOR[0], t=CURSOR[1])
    except TeamMemoryError:  # no store, an older schema, ...: the question itself says so
        return False
    return stored is not None and str(stored) != json.dumps(config.component_rules)


def apply_component_rules(store: Store, config: Config, *, log: TextIO | None = None) -> bool:
    """Re-derive components when the rules changed since they were derived; True when it did."""
    if not stale_rules(store, config):
        return False
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
