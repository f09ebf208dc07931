"""How a SQLite store is laid out on disk (issue 11: a first ingest writes each page once).

- A blank file's first transaction runs with SQLite's rollback journal (new pages are never
  journaled, so they are written once), and the store is in WAL mode as soon as it commits;
  when another connection is reading at that moment, the next writer switches it.
- Migration 0021 stores the tables read by their key in that key's order (WITHOUT ROWID) and
  keeps every row of a store migrated from 0020.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, migrate, sqlite_file
from tests.helpers.gitrepo import FakeCommit, build_repo

CLUSTERED = ("text_terms", "commit_files", "file_moves", "file_first_seen", "people_activity", "lineage_names",
             "lineage_sets", "lineage_revisions", "lineage_scopes")
HISTORY = [
    FakeCommit("Ana <ana@example.com>", 1_600_000_000, "Add the parser\n\nFixes PROJ-1: a deadlock in the reader",
               {"src/parse.py": "a\n", "src/read.py": "b\n"}),
    FakeCommit("Bo <bo@example.com>", 1_600_086_400, "Move the reader (PROJ-2)", {"src/io.py": "c\n"},
               renames={"src/read.py": "src/reader.py"}),
    FakeCommit("Ana <ana@example.com>", 1_600_172_800, "Fix the deadlock again, PROJ-1", {"src/parse.py": "d\n"}),
    FakeCommit("Cy <cy@example.com>", 1_600_259_200, "Drop io", {"src/io.py": None, "tests/test_parse.py": "e\n"}),
]


def _mode(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("pragma journal_mode").fetchone()[0])


def test_the_first_transaction_has_a_rollback_journal_and_the_store_is_then_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "tm.db"
    store = Store.open(str(path))
    with store.write() as db:
        assert db.scalar("pragma journal_mode") == "delete"  # a blank file: pages written once
        migrate.apply(db)
    assert _mode(path) == "wal"
    with store.write() as db:  # and it stays so
        assert db.scalar("pragma journal_mode") == "wal"


def test_a_reader_during_the_switch_leaves_it_to_the_next_writer(tmp_path: Path) -> None:
    path = tmp_path / "tm.db"
    store = Store.open(str(path))
    with store.write() as db:
        migrate.apply(db)
    with sqlite3.connect(path) as conn:  # as a store is when its switch was refused
        conn.execute("pragma journal_mode = delete")
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("begin")
    reader.execute("select count(*) from schema_migrations").fetchone()  # holds a read lock
    writer = sqlite3.connect(path, isolation_level=None, timeout=0)  # busy: at once
    sqlite_file.use_wal(writer)  # the switch needs the file alone: asked, refused, no error
    writer.close()
    reader.execute("commit")
    reader.close()
    assert _mode(path) == "delete"
    with store.write() as db:
        db.execute("insert into cursors (source, target, value, updated_at) values ('t', 't', 'v', 0)")
    assert _mode(path) == "wal"


def test_0021_keeps_every_row_and_clusters_the_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = build_repo(tmp_path / "proj", HISTORY)
    known = migrate.migrations
    old = Store.open(str(tmp_path / "old.db"))
    monkeypatch.setattr(migrate, "migrations", lambda dialect: [m for m in known(dialect) if m.version <= 20])
    monkeypatch.setattr(migrate, "latest_version", lambda: 20)
    ingest_git(old, repo, config=Config(), name="proj")
    before = _rows(tmp_path / "old.db")
    monkeypatch.undo()
    assert old.upgrade()
    assert _rows(tmp_path / "old.db") == before
    assert all(before[t] for t in ("text_terms", "commit_files", "file_moves", "file_first_seen", "people_activity",
                                   "lineage_names", "lineage_revisions"))  # the check has rows to keep
    with sqlite3.connect(tmp_path / "old.db") as conn:
        for table in CLUSTERED:
            sql = conn.execute("select sql from sqlite_master where name = ?", (table,)).fetchone()[0]
            assert sql.rstrip().lower().endswith("without rowid"), table
        names = {r[0] for r in conn.execute("select name from sqlite_master")}
        measured = {r[0] for r in conn.execute("select tbl from sqlite_stat1")}
    # the planner's statistics of each rebuilt table are measured again (dropped with the table)
    assert {t for t in CLUSTERED if before[t]} <= measured
    assert "text_terms_rank" not in names and "text_terms_doc" in names
    assert not [n for n in names if n.endswith("_0021")]
    fresh = Store.open(str(tmp_path / "fresh.db"))
    ingest_git(fresh, repo, config=Config(), name="proj")
    assert _rows(tmp_path / "fresh.db") == before  # a fresh ingest writes the same rows


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        return {t: sorted(conn.execute(f"select * from {t}").fetchall(), key=repr) for t in CLUSTERED}


def test_two_processes_ingest_into_one_blank_file_at_once(tmp_path: Path) -> None:
    """The first transaction's rollback journal takes the same write lock as WAL mode: the second
    ingest waits for the first, then writes; nothing is lost and the store ends in WAL mode."""
    one = build_repo(tmp_path / "one", HISTORY)
    two = build_repo(tmp_path / "two", [dataclasses.replace(c, message=f"Two: {c.message}") for c in HISTORY])
    path = tmp_path / "tm.db"
    runs = [subprocess.Popen([sys.executable, "-m", "teammemory", "--db", str(path), "ingest", "git", "-q", str(repo)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for repo in (one, two)]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    with sqlite3.connect(path) as conn:
        assert conn.execute("select repo, count(*) from commits group by repo order by repo").fetchall() == \
            [("one", len(HISTORY)), ("two", len(HISTORY))]
    assert _mode(path) == "wal"
