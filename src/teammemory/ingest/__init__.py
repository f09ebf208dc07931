"""Ingestion: fetch -> parse -> upsert, in ONE write transaction per run, then derive.

`run()` is the shared frame every ingester uses: it opens the transaction, lets the source's
`work(db)` write its records, refreshes derived data (components, bug-fix flags, identities)
in the same transaction, and records the run. Any error rolls everything back, so a store is
never half-written; a run that failed (the source, the store, an interruption) is then recorded
on its own, while refused input (InputError: a bad argument, a damaged record, a path the system
will not open) leaves the store exactly as it was: nothing ran.

Concurrent runs wait for each other (store/locks.py): on PostgreSQL a run first takes a lock
named after its (source, target), so a second ingest of the same repository says what it waits
for, then the store's writer lock, like every write.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from teammemory.collector import fewer_collections
from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.store import Lock, Store, Writer

if TYPE_CHECKING:
    from teammemory.store.helper_steps import Helpers


@dataclass(frozen=True)
class IngestSummary:
    source: str
    target: str
    counts: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    run_id: str = ""
    warnings: tuple[str, ...] = ()  # what the user should know of the input (a shallow clone)


def _quiet(step: str) -> None:
    """No one to tell what runs."""


def run(store: Store, source: str, target: str, config: Config, work: Callable[[Writer], dict[str, int]],
        *, clock: Callable[[], float] = time.time, step: Callable[[str], None] = _quiet) -> IngestSummary:
    """Run `work` in one transaction with derive.refresh; record the run (ok or failed).

    A store that does not exist yet (or is blank) is built in a private file and published whole
    (store/fresh_build.py), so that derive's longest steps can run on another core. `step` hears
    what runs after `work`: each derive step, the planner's statistics, the store file's writing."""
    from teammemory.store import fresh_build  # here: every question imports ingest.rules, keep it light

    build = fresh_build.begin(store, enabled=config.ingest_helpers)
    if build is not None:
        with build:
            # a failure is recorded in the blank store this build would replace (none is there to
            # record it in otherwise, as when a first transaction in place rolls back)
            summary = _run(build.store, source, target, config, work, clock=clock, helpers=build.helpers,
                           failures=store if build.replaces is not None else None, step=step)
            step("writing the store file")
            if build.publish():
                return summary
        # another process created the store meanwhile: ingest into it as into any store
    return _run(store, source, target, config, work, clock=clock, step=step)


def _run(store: Store, source: str, target: str, config: Config, work: Callable[[Writer], dict[str, int]],
         *, clock: Callable[[], float], helpers: Helpers | None = None,
         failures: Store | None = None, step: Callable[[str], None] = _quiet) -> IngestSummary:
    """`run` in `store`; a failed run is recorded in `failures` (default: `store`)."""
    from teammemory import derive
    from teammemory.ingest.links import link_rules, with_known_projects
    from teammemory.store import migrate
    from teammemory.store.write import record_run

    run_id = uuid.uuid4().hex
    started = clock()
    same = Lock(f"ingest {source} {target}", f"another ingest of {source} {target!r} is running")
    try:  # PostgreSQL: `same` first, so a second ingest of this target says what it waits for
        with store.write(lock=same) as db, fewer_collections():
            migrate.apply(db, fill=False)  # a new store is created, an older one brought up to date
            counts = work(db)
            derive.refresh(db, config, links=link_rules(with_known_projects(db, config)), helpers=helpers,
                           step=lambda what: step(f"deriving {what}"))
            step("updating the planner's statistics")
            db.analyze()
            record_run(db, run_id=run_id, source=source, target=target, started_at=int(started),
                       finished_at=int(clock()), status="ok", counts=counts)
    except InputError:
        raise
    except OSError as exc:
        if exc.filename is None:  # an unreadable input file is refused input too
            _record_failure(failures or store, run_id, source, target, int(started), int(clock()))
        raise
    except BaseException:
        _record_failure(failures or store, run_id, source, target, int(started), int(clock()))
        raise
    return IngestSummary(source, target, dict(counts), round(clock() - started, 3), run_id)


def _record_failure(store: Store, run_id: str, source: str, target: str, started: int, finished: int) -> None:
    from teammemory.store.write import record_run

    try:  # at once or not at all: after a lock timeout, waiting again would double the wait
        with store.write(wait=0) as db:
            record_run(db, run_id=run_id, source=source, target=target, started_at=started,
                       finished_at=finished, status="failed", counts={})
    except Exception:  # the store itself may be what failed; the original error matters more
        pass
