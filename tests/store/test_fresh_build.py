"""A first ingest into a new SQLite store: built in a private file, derive's lineage and text index
in helper processes (store/fresh_build.py, store/helper_steps.py).

The promise is that nothing changes but the time: the store holds exactly the rows a one-process
ingest writes (every table, the FTS5 index's own pages included), a failure anywhere leaves no
store and no file behind, and a store that appears meanwhile is ingested into as usual."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from teammemory.config import Config
from teammemory.errors import StoreError
from teammemory.ingest import run
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, Writer, fresh_build, helper_steps, migrate
from tests.helpers.gitrepo import FakeCommit, build_repo

T = 1700000000
ANA, BO, CY = "Ana <ana@example.com>", "Bo <bo@example.com>", "Cy <cy@example.com>"
FLASK = Path(__file__).resolve().parents[3] / "shared" / "realrepos" / "flask.bundle"
VOLATILE = {"ingest_runs": {"run_id"}, "schema_migrations": {"applied_at"}}  # new on every run, by design


def history() -> list[FakeCommit]:
    """Renames, a deletion, a re-creation, a merge and three authors: what lineage replays."""
    who = (ANA, BO, CY)
    commits = [FakeCommit(ANA, T, "PROJ-1 start", {"core/a.py": "1\n", "core/b.py": "1\n", "docs/x.md": "x\n"})]
    for i in range(1, 24):
        files: dict[str, str | None] = {f"core/{'ab'[i % 2]}.py": f"{i}\n"}
        if i % 5 == 0:
            files[f"web/page{i}.html"] = "<p>\n"
        message = f"Fix crash in parser, step {i}\n\nPROJ-{i} timeout"
        commits.append(FakeCommit(who[i % 3], T + 100 * i, message, files))
    commits.append(FakeCommit(BO, T + 3000, "Move a to c", {"core/c.py": "moved\n"},
                              renames={"core/a.py": "core/c.py"}))
    commits.append(FakeCommit(CY, T + 3100, "Drop the page", {"web/page5.html": None}))
    commits.append(FakeCommit(ANA, T + 3200, "Topic work", {"docs/y.md": "y\n"}, branch="topic",
                              from_=25))
    commits.append(FakeCommit(BO, T + 3300, "Merge pull request #7 from o/topic", {"docs/y.md": "y\n"}, merge=26))
    commits.append(FakeCommit(CY, T + 3400, "Bring the page back", {"web/page5.html": "<p>again\n"}))
    return commits


def clock() -> float:
    return 1800000000.0


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted (by SQLite, over every column: the same order for the same
    rows), the run's id and time aside; the FTS5 table as its shadow tables' rows. The column
    names lead each table's list, so two tables of other columns never compare equal."""
    out = {}
    with Store.open(str(path)).read() as db:
        names = [r["name"] for r in db.all("select name from sqlite_master where type = 'table'"
                                           " and name not like 'sqlite_%' and name <> 'text_fts'")]
        for table in names:
            columns = [str(r["name"]) for r in db.all(f"pragma table_info({table})")
                       if r["name"] not in VOLATILE.get(table, set())]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows = db.all(f"select {listed} from {table} order by {listed}")
            out[table] = [tuple(columns), *(tuple(r.values()) for r in rows)]
    return out


def objects(path: Path) -> list[tuple[str, str, str]]:
    """Every table and index of the store at `path`, with the statement that made it."""
    with Store.open(str(path)).read() as db:
        return [(r["type"], r["name"], r["sql"]) for r in db.all(
            "select type, name, coalesce(sql, '') as sql from sqlite_master order by type, name")]


def test_indexes_a_step_reads_during_its_run_are_its_own(tmp_path: Path) -> None:
    """The indexes kept while a helper runs (the others are made after it) exist, on its tables."""
    with Store.open(str(tmp_path / "tm.db")).write() as db:
        migrate.apply(db)
        table_of = {r["name"]: r["tbl_name"] for r in db.all("select name, tbl_name from sqlite_master"
                                                              " where type = 'index'")}
    assert set(helper_steps.USED_DURING) == set(helper_steps.STEPS)
    for step, names in helper_steps.USED_DURING.items():
        assert all(table_of.get(name) in helper_steps.STEPS[step][1] for name in names), step


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "proj", history())


@pytest.fixture
def handed(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """Helpers for any history (not only from MIN_COMMITS on); records what each finish copied in."""
    monkeypatch.setattr(helper_steps, "MIN_COMMITS", 0)
    seen: list[set[str]] = []
    finish = helper_steps.Helpers.finish

    def spy(self: helper_steps.Helpers, db: Writer, steps: set[str]) -> None:
        seen.append(set(steps))
        finish(self, db, steps)

    monkeypatch.setattr(helper_steps.Helpers, "finish", spy)
    return seen


def test_helpers_write_exactly_what_one_process_writes(tmp_path: Path, repo: Path, handed: list[set[str]]) -> None:
    ingest_git(Store.open(str(tmp_path / "one.db")), repo, config=Config(ingest_helpers=False), clock=clock)
    assert handed == []
    ingest_git(Store.open(str(tmp_path / "two.db")), repo, config=Config(), clock=clock)
    assert handed == [{"lineage", "text_index"}]
    one, two = dump(tmp_path / "one.db"), dump(tmp_path / "two.db")
    assert one == two
    assert objects(tmp_path / "one.db") == objects(tmp_path / "two.db")  # indexes a helper made after its step too
    assert len(one["file_lineage"]) > 30 and len(one["text_terms"]) > 50 and one["text_fts_data"]
    assert leftovers(tmp_path) == []
    with Store.open(str(tmp_path / "two.db")).read() as db:  # the copied FTS index answers a query
        # each helper table's indexes hold exactly its rows (table by table: SQLite 3.40's whole-file check
        # reports NULLs that are not there in WITHOUT ROWID tables keyed out of column order, component_people)
        for table in (table for _, tables in helper_steps.STEPS.values() for table in tables):
            assert db.scalar(f"pragma integrity_check({table})") == "ok", table
        assert db.scalar("select count(*) as n from text_fts where text_fts match 'crash'") == 23
        assert db.scalar("pragma journal_mode") == "wal"  # as a store a one-process ingest leaves


def test_a_second_ingest_reads_the_published_store(tmp_path: Path, repo: Path, handed: list[set[str]]) -> None:
    store = Store.open(str(tmp_path / "tm.db"))
    first = ingest_git(store, repo, config=Config(), clock=clock)
    again = ingest_git(store, repo, config=Config(), clock=clock)
    assert first.counts["commits"] == 29 and again.counts["commits"] == 0  # nothing new: the cursor is there
    assert len(handed) == 1  # the second run writes the existing store itself


@pytest.mark.skipif(not FLASK.is_file(), reason="../shared/realrepos/flask.bundle is not here (a user's clone)")
def test_a_real_history_is_stored_alike(tmp_path: Path) -> None:
    """Flask's 5,531 commits (over MIN_COMMITS: the helpers run as they do for a user)."""
    clone = tmp_path / "flask"
    subprocess.run(["git", "clone", "-q", str(FLASK), str(clone)], check=True)
    ingest_git(Store.open(str(tmp_path / "one.db")), clone, config=Config(ingest_helpers=False), clock=clock)
    ingest_git(Store.open(str(tmp_path / "two.db")), clone, config=Config(), clock=clock)
    assert dump(tmp_path / "one.db") == dump(tmp_path / "two.db")


def test_a_failed_helper_leaves_no_store(tmp_path: Path, repo: Path, handed: list[set[str]],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper_steps, "CHILD", "import sys; print('disk quota exceeded', file=sys.stderr); sys.exit(3)")
    said = r"the (lineage|text_index) helper of this ingest failed \(exit status 3\): disk quota exceeded"
    with pytest.raises(StoreError, match=said):
        ingest_git(Store.open(str(tmp_path / "tm.db")), repo, config=Config(), clock=clock)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]  # no store, no private or side file


def test_a_failed_ingest_leaves_no_store(tmp_path: Path) -> None:
    def work(db: Writer) -> dict[str, int]:
        db.execute("insert into cursors (source, target, value, updated_at) values ('x', 'y', 'z', 0)")
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        run(Store.open(str(tmp_path / "tm.db")), "test", "y", Config(), work, clock=clock)
    assert list(tmp_path.iterdir()) == []


def test_a_store_made_meanwhile_is_ingested_into(tmp_path: Path, repo: Path) -> None:
    """Another process creates the store while this one builds: the build is dropped, not
    published over it, and the ingest runs again into that store."""
    target = tmp_path / "tm.db"
    calls = []

    def work(db: Writer) -> dict[str, int]:
        calls.append(db.private)
        if len(calls) == 1:
            ingest_git(Store.open(str(target)), repo, config=Config(ingest_helpers=False), clock=clock)
        db.execute("insert into cursors (source, target, value, updated_at) values ('test', 'y', 'mine', 0)")
        return {"things": 1}

    summary = run(Store.open(str(target)), "test", "y", Config(), work, clock=clock)
    assert calls == [True, False] and summary.counts == {"things": 1}
    with Store.open(str(target)).read() as db:
        assert db.scalar("select count(*) as n from commits") == 29
        assert db.scalar("select value from cursors where source = 'test'") == "mine"
    assert leftovers(tmp_path) == []


def test_files_of_a_killed_build_are_removed(tmp_path: Path, repo: Path) -> None:
    gone = _exited_pid()
    for name in (f".tm.db.building-{gone}", f".tm.db.building-{gone}-wal", f".tm.db.building-{gone}.lineage"):
        (tmp_path / name).write_bytes(b"half")
    live = tmp_path / f".tm.db.building-{os.getppid()}"  # a build still running elsewhere: kept
    live.write_bytes(b"busy")
    ingest_git(Store.open(str(tmp_path / "tm.db")), repo, config=Config(), clock=clock)
    assert leftovers(tmp_path) == [live.name]


def _exited_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_where_the_store_is_written_in_place(tmp_path: Path) -> None:
    existing = tmp_path / "old.db"
    existing.write_bytes(b"")
    assert fresh_build.begin(Store.open(str(existing))) is None  # a file is there, even empty
    assert fresh_build.begin(Store.open(str(tmp_path / "new.db")), enabled=False) is None  # ingest.helpers = false
    assert fresh_build.begin(Store.open("postgresql://nobody@127.0.0.1:1/none")) is None
    assert fresh_build.begin(Store.open(str(tmp_path / "no" / "folder.db"))) is None  # the usual error follows
    build = fresh_build.begin(Store.open(str(tmp_path / "new.db")))
    assert build is not None and build.store.private and build.private.parent == tmp_path
    assert build.store.where == f"store {tmp_path / 'new.db'}"  # errors name the store the user gave
    build.discard()
    assert list(tmp_path.iterdir()) == [existing]


def test_helpers_are_not_used_for_a_short_history(tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under MIN_COMMITS a helper's start and copy cost more than the step: none is started."""
    assert helper_steps.MIN_COMMITS == 1000
    started: list[Any] = []
    monkeypatch.setattr(helper_steps.Helpers, "finish", lambda self, db, steps: started.append(steps))
    ingest_git(Store.open(str(tmp_path / "tm.db")), repo, config=Config(), clock=clock)
    assert started == [set()]
    with Store.open(str(tmp_path / "tm.db")).read() as db:  # derive ran both steps itself
        assert db.scalar("select count(*) as n from lineage_commits") == 28  # 29 commits, one a merge
        assert db.scalar("select count(*) as n from text_docs") == 28


def test_a_blank_store_is_built_privately_too(tmp_path: Path, repo: Path, handed: list[set[str]]) -> None:
    """`init-db`, then `ingest git` (the README's first steps): the blank store is replaced by the
    build, which holds what a one-process ingest into it writes."""
    for name in ("one.db", "two.db"):
        with Store.open(str(tmp_path / name)).write() as db:
            migrate.apply(db)
    assert fresh_build.begin(Store.open(str(tmp_path / "one.db"))) is not None
    ingest_git(Store.open(str(tmp_path / "one.db")), repo, config=Config(ingest_helpers=False), clock=clock)
    ingest_git(Store.open(str(tmp_path / "two.db")), repo, config=Config(), clock=clock)
    assert handed == [{"text_index"}, {"lineage"}] or handed == [{"lineage", "text_index"}]
    assert dump(tmp_path / "one.db") == dump(tmp_path / "two.db")
    assert leftovers(tmp_path) == []


def test_a_store_with_data_or_open_is_written_in_place(tmp_path: Path, repo: Path) -> None:
    store = Store.open(str(tmp_path / "tm.db"))
    ingest_git(store, repo, config=Config(ingest_helpers=False), clock=clock)
    assert fresh_build.begin(store) is None  # it holds commits
    blank = tmp_path / "blank.db"
    with Store.open(str(blank)).write() as db:
        migrate.apply(db)
    (tmp_path / "blank.db-wal").write_bytes(b"")  # a process has it open
    assert fresh_build.begin(Store.open(str(blank))) is None


def test_a_blank_store_written_meanwhile_is_ingested_into(tmp_path: Path, repo: Path) -> None:
    target = tmp_path / "tm.db"
    with Store.open(str(target)).write() as db:
        migrate.apply(db)
    calls = []

    def work(db: Writer) -> dict[str, int]:
        calls.append(db.private)
        if len(calls) == 1:  # another process ingests into the blank store meanwhile
            ingest_git(Store.open(str(target)), repo, config=Config(ingest_helpers=False), clock=clock)
        return {}

    run(Store.open(str(target)), "test", "y", Config(), work, clock=clock)
    assert calls == [True, False]
    with Store.open(str(target)).read() as reader:
        assert reader.scalar("select count(*) as n from commits") == 29
