"""Ingestion: fetch -> parse -> upsert, in ONE write transaction per run, then derive.

`run()` is the shared frame every ingester uses: it opens the transaction, lets the source's
`work(db)` write its records, refreshes derived data (components, bug-fix flags, identities)
in the same transaction, and records the run. Any error rolls everything back, so a store is
never half-written; a failed run is then recorded on its own.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from teammemory import derive
from teammemory.config import Config
from teammemory.store import Store, Writer, migrate
from teammemory.store.write import record_run


@dataclass(frozen=True)
class IngestSummary:
    source: str
    target: str
    counts: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    run_id: str = ""


def run(store: Store, source: str, target: str, config: Config, work: Callable[[Writer], dict[str, int]],
        *, clock: Callable[[], float] = time.time) -> IngestSummary:
    """Run `work` in one transaction with derive.refresh; record the run (ok or failed)."""
    run_id = uuid.uuid4().hex
    started = clock()
    try:
        with store.write() as db:
            migrate.apply(db)  # a new store is created, an older one brought up to date
            counts = work(db)
            derive.refresh(db, config)
            db.analyze()
            record_run(db, run_id=run_id, source=source, target=target, started_at=int(started),
                       finished_at=int(clock()), status="ok", counts=counts)
    except BaseException:
        _record_failure(store, run_id, source, target, int(started), int(clock()))
        raise
    return IngestSummary(source, target, dict(counts), round(clock() - started, 3), run_id)


def _record_failure(store: Store, run_id: str, source: str, target: str, started: int, finished: int) -> None:
    try:
        with store.write() as db:
            record_run(db, run_id=run_id, source=source, target=target, started_at=started,
                       finished_at=finished, status="failed", counts={})
    except Exception:  # the store itself may be what failed; the original error matters more
        pass
