"""How fresh the store's data is: per repository its last ingested head, and per source and
target (git repository, GitHub OWNER/REPO, Jira site or export folder) its last run, the last
one that succeeded, and where its incremental cursor stands. Read from `repositories`,
`ingest_runs` and `cursors`, which every ingest and sync keeps inside its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from teammemory.store import Reader, queries
from teammemory.store.migrate import current_version

Q = queries.load("teammemory.api.sql", "api.sql")


class RepoRow(NamedTuple):
    name: str
    branch: str
    head: str
    ingested_at: int | None


class RunRow(NamedTuple):
    source: str
    target: str
    runs: int
    last_started_at: int | None
    last_ok_at: int | None
    last_status: str | None


class CursorRow(NamedTuple):
    source: str
    target: str
    value: str
    updated_at: int | None


@dataclass(frozen=True)
class Repository:
    name: str
    branch: str
    head: str
    ingested_at: datetime | None


@dataclass(frozen=True)
class SourceFreshness:
    source: str  # git | github | jira | github-files | jira-files
    target: str
    runs: int
    last_run_at: datetime | None
    last_status: str  # ok | failed | '' (cursor without a recorded run)
    last_ok_at: datetime | None
    cursor: str
    cursor_updated_at: datetime | None


@dataclass(frozen=True)
class Health:
    ok: bool
    store: str
    schema_version: int
    repositories: tuple[Repository, ...]
    sources: tuple[SourceFreshness, ...]


def when(epoch: int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(int(epoch), UTC)


def health(db: Reader, store: str) -> Health:
    """The store's freshness, each list in a stable order (repository name; source, target)."""
    repos = sorted(db.fetch(Q["repositories"], RepoRow), key=lambda r: r.name)
    runs = {(r.source, r.target): r for r in db.fetch(Q["runs"], RunRow)}
    cursors = {(c.source, c.target): c for c in db.fetch(Q["cursors"], CursorRow)}
    sources = []
    for key in sorted(set(runs) | set(cursors)):
        run, cur = runs.get(key), cursors.get(key)
        sources.append(SourceFreshness(
            key[0], key[1], int(run.runs) if run else 0, when(run.last_started_at if run else None),
            (run.last_status or "") if run else "", when(run.last_ok_at if run else None),
            cur.value if cur else "", when(cur.updated_at if cur else None)))
    return Health(True, store, current_version(db) or 0,
                  tuple(Repository(r.name, r.branch, r.head, when(r.ingested_at)) for r in repos), tuple(sources))
