"""Migration 0009's summary tables (people_activity, file_first_seen, file_moves) equal what they
summarize, however the store got there: written with the commits, derived in SQL, incrementally,
after a rewritten history, and filled by the migration for a store that held commits before it.

The oracle recomputes each table in Python from the base rows (commits, commit_files, commit_people).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from teammemory.store import Store, migrate
from tests.helpers.gitrepo import build_repo, rev
from tests.ingest.test_ingest_git import HISTORY, git
from tests.store.test_summaries import ingest, two_ways

Tables = dict[str, list[tuple[Any, ...]]]


def stored(store: Store) -> Tables:
    with store.read() as db:
        return {
            "people_activity": sorted(tuple(r.values()) for r in db.all(
                "select identity_key, kind, authored_at, repo, hash from people_activity")),
            "file_first_seen": sorted(tuple(r.values()) for r in db.all(
                "select path, repo, first_at from file_first_seen")),
            "file_moves": sorted(tuple(r.values()) for r in db.all(
                "select repo, hash, path, old_path, change_type, committed_at, authored_at from file_moves")),
        }


def expected(store: Store) -> Tables:
    """The tables by their definition (migration 0009's comments), computed in Python."""
    with store.read() as db:
        commits = {(r["repo"], r["hash"]): r for r in db.all("select * from commits")}
        files = db.all("select * from commit_files")
        people = db.all("select * from commit_people")
    activity = {(p["identity_key"], int(p["role"] == "reviewer"), commits[(p["repo"], p["hash"])]["authored_at"],
                 p["repo"], p["hash"])
                for p in people if p["role"] in ("author", "co-author", "reviewer")
                and not commits[(p["repo"], p["hash"])]["is_merge"]}
    activity |= {(c["author_key"], 2, c["authored_at"], c["repo"], c["hash"]) for c in commits.values()
                 if c["is_merge"] and c["subject"].startswith("Merge pull request #")}
    first: dict[tuple[str, str], int] = {}
    for f in files:
        at = commits[(f["repo"], f["hash"])]["authored_at"]
        first[(f["path"], f["repo"])] = min(first.get((f["path"], f["repo"]), at), at)
    moves = sorted((f["repo"], f["hash"], f["path"], f["old_path"], f["change_type"],
                    commits[(f["repo"], f["hash"])]["committed_at"], commits[(f["repo"], f["hash"])]["authored_at"])
                   for f in files if f["change_type"] != "M")
    return {"people_activity": sorted(activity), "file_first_seen": sorted(k + (v,) for k, v in first.items()),
            "file_moves": moves}


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "proj", HISTORY)


def test_first_ingest(store: Store, history: Path) -> None:
    ingest(store, history)
    got = stored(store)
    assert got == expected(store)
    # by hand: commit 6 (HEAD~1) is Eve's with two trailer reviewers: one row of kind 0, two of kind 1
    six = sorted(r[1] for r in got["people_activity"] if r[4] == rev(history, "HEAD~1"))
    assert six == [0, 1, 1]
    assert got["file_moves"] and all(r[4] != "M" for r in got["file_moves"])


def test_incremental_equals_one_run(store: Store, history: Path) -> None:
    head = rev(history)
    git(history, "update-ref", "refs/heads/main", rev(history, "HEAD~3"))
    ingest(store, history)
    git(history, "update-ref", "refs/heads/main", head)
    ingest(store, history)
    assert stored(store) == expected(store)


def test_rewritten_history(store: Store, history: Path) -> None:
    ingest(store, history)
    git(history, "checkout", "-q", "-B", "main", rev(history, "HEAD~3"))
    (history / "src" / "lexer.py").write_text("z\n")
    git(history, "add", "-A")
    git(history, "-c", "user.name=Zed", "-c", "user.email=zed@example.com", "commit", "-q", "-m", "redo")
    assert ingest(store, history)["removed"] == 4
    assert stored(store) == expected(store)


def test_written_with_the_commits_or_derived_in_sql_alike(tmp_path: Path, history: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    written, in_sql = two_ways(tmp_path, history, monkeypatch)
    assert stored(written) == stored(in_sql) == expected(in_sql)


def test_the_migration_fills_them_for_a_store_written_before_it(store: Store, history: Path) -> None:
    """Migration 0009 run on a store that already held commits (its tables dropped first, as a store
    of schema 8 never had them) fills them as ingestion would have."""
    ingest(store, history)
    [m0009] = [m for m in migrate.migrations(store.dialect) if m.version == 9]
    with store.write() as db:
        for table in ("people_activity", "file_first_seen", "file_moves"):
            db.execute(f"drop table {table}")
        for statement in migrate.split_statements(m0009.sql):
            db.execute(statement)
    got = stored(store)
    assert got == expected(store)
    assert all(got.values())
