"""Concurrent writers on SQLite and PostgreSQL: the second one waits, says so, and succeeds.

On PostgreSQL two first ingests into a blank database once failed with a raw `duplicate key ...
pg_type_typname_nsp_index` (both creating the tables), two ingests of one repository with
`duplicate key ... component_commits`, and ingests of different sources deadlocked on
identities. Now every write takes the store's writer lock (store/locks.py), an ingest first a
lock on its (source, target). Cases, on both backends, with real processes where the process
matters and every wait bounded:
- three ingests started at once into a blank store (two of one repository, one of another)
  while the test holds the writer lock: each says that it waits, then all succeed, and the store
  equals one ingest of each repository;
- a writer that waits longer than the store's wait gives up with one line saying what still
  runs, and the store is unchanged; on PostgreSQL "another ingest of git 'shop'" by name;
- readers are never blocked by a writer.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, locks
from tests.faults.test_cli_errors import COMMITS, NOW, assert_one_line, tm
from tests.helpers.gitrepo import FakeCommit, build_repo

OTHER = [FakeCommit("Cy <cy@example.com>", 1_700_000_000 + i, f"depot {i}", {f"lib/depot/d{i}.py": "x\n"})
         for i in range(3)]
BOUND = 60  # seconds: no case may take longer, even when it fails


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("repos")
    return build_repo(root / "shop", COMMITS), build_repo(root / "depot", OTHER)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a store that does not exist yet (SQLite) or a blank database (PostgreSQL)."""
    if request.param == "sqlite":
        return str(tmp_path / "tm.db")
    return str(request.getfixturevalue("pg_cluster").create_database())


@contextmanager
def holding(url: str, name: str = locks.WRITE) -> Iterator[None]:
    """Hold the store's writer lock (SQLite: the file's; PostgreSQL: advisory lock `name`)."""
    if not url.startswith("postgresql"):
        conn = sqlite3.connect(url, isolation_level=None)
        conn.execute("begin immediate")
        try:
            yield
        finally:
            conn.rollback()
            conn.close()
        return
    import psycopg

    with psycopg.connect(url) as pg:
        pg.execute("select pg_advisory_xact_lock(%s)", (locks.lock_key(name),))
        try:
            yield
        finally:
            pg.rollback()


def counts(url: str) -> dict[str, Any]:
    with Store.open(url).read() as db:
        return {"commits": db.all("select repo, count(*) as n from commits group by repo order by repo"),
                "runs": db.all("select source, target, status from ingest_runs order by target, status")}


def wait_for(check: Any, what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


def test_ingests_started_at_once_wait_for_each_other(blank: str, repos: tuple[Path, Path],
                                                     caplog: pytest.LogCaptureFixture) -> None:
    shop, depot = repos
    if not blank.startswith("postgresql"):
        assert tm("init-db", db=blank).exit_code == 0  # a file to hold the lock on; the race is PostgreSQL's
    failures: list[Exception] = []

    def ingest(repo: Path) -> None:
        try:
            ingest_git(Store.open(blank), repo, config=Config())
        except Exception as exc:
            failures.append(exc)

    with holding(blank):
        workers = [threading.Thread(target=ingest, args=(repo,)) for repo in (shop, shop, depot)]
        for worker in workers:
            worker.start()
        wait_for(lambda: len(notices(caplog)) == 3, "all three to wait")
    for worker in workers:
        worker.join(timeout=BOUND)
    assert failures == [] and not any(w.is_alive() for w in workers)
    assert set(notices(caplog)) <= {f"{locks.ANYONE}; waiting up to 30 s",
                                    "another ingest of git 'shop' is running; waiting up to 30 s"}
    assert len(notices(caplog)) == 3  # once each, however many locks it waited for
    assert counts(blank) == ONE_EACH


ONE_EACH = {"commits": [{"repo": "depot", "n": len(OTHER)}, {"repo": "shop", "n": len(COMMITS)}],
            "runs": [{"source": "git", "target": "depot", "status": "ok"}]
            + [{"source": "git", "target": "shop", "status": "ok"}] * 2}


def notices(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage().split(": ", 1)[1] for r in caplog.records if "waiting up to" in r.getMessage()]


@pytest.mark.postgres
def test_two_processes_ingest_into_a_blank_postgres_database(pg_cluster: Any, repos: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    """The reported failure, as it happened: two `teammemory ingest git` processes at once."""
    url = pg_cluster.create_database()
    logs = [tmp_path / "err0", tmp_path / "err1"]
    with holding(url):  # so that they surely overlap: both are started and wait before either runs
        procs = [subprocess.Popen([sys.executable, "-m", "teammemory", "--db", url, "ingest", "git", "-q", str(repo)],
                                  stdout=subprocess.DEVNULL, stderr=log.open("w"))
                 for repo, log in zip(repos, logs, strict=True)]
        wait_for(lambda: all("waiting up to 30 s" in log.read_text() for log in logs), "both to wait")
    codes = [p.wait(timeout=BOUND) for p in procs]
    said = [log.read_text().splitlines() for log in logs]
    assert codes == [0, 0], said
    assert said == [[f"store {Store.open(url).url}: {locks.ANYONE}; waiting up to 30 s"]] * 2
    assert counts(url)["commits"] == ONE_EACH["commits"]


def test_a_writer_that_waits_too_long_says_what_still_runs(blank: str, repos: tuple[Path, Path],
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    shop = repos[0]
    assert tm("ingest", "git", "-q", str(shop), db=blank).exit_code == 0
    before = counts(blank)
    monkeypatch.setattr(locks, "WAIT_SECONDS", 0.3)
    where = f"store {Store.open(blank).url}"
    started = time.monotonic()
    with holding(blank):
        result = tm("ingest", "git", "-q", str(shop), db=blank)
        assert_one_line(result, 1, f"error: {where}: still locked after 0.3 s: {locks.ANYONE}; try again when it"
                                   " has finished")
        assert f"{where}: {locks.ANYONE}; waiting up to 0.3 s" in caplog.messages
        assert tm("init-db", db=blank).exit_code == 1
    assert time.monotonic() - started < 10
    assert counts(blank) == before


@pytest.mark.postgres
def test_a_second_ingest_of_one_repository_names_it_when_it_gives_up(pg_cluster: Any, repos: tuple[Path, Path],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    url = pg_cluster.create_database()
    shop, depot = repos
    assert tm("init-db", db=url).exit_code == 0
    monkeypatch.setattr(locks, "WAIT_SECONDS", 0.3)
    with holding(url, "ingest git shop"):
        result = tm("ingest", "git", "-q", str(shop), db=url)
        assert_one_line(result, 1, "still locked after 0.3 s: another ingest of git 'shop' is running;"
                                   " try again when it has finished")
        assert tm("ingest", "git", "-q", str(depot), db=url).exit_code == 0  # another repository goes on
    assert counts(url)["commits"] == [{"repo": "depot", "n": len(OTHER)}]


def test_readers_are_not_blocked_by_a_writer(blank: str, repos: tuple[Path, Path]) -> None:
    assert tm("ingest", "git", "-q", str(repos[0]), db=blank).exit_code == 0
    with holding(blank):
        started = time.monotonic()
        result = tm("file-experts", "src/auth/token.py", "--now", NOW, db=blank)
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started < 5


def test_a_store_wait_is_bounded_in_the_api_too(blank: str) -> None:
    assert tm("init-db", db=blank).exit_code == 0
    store = Store.open(blank, wait=0.2)
    outcome: list[Exception] = []

    def write() -> None:
        try:
            with store.write():
                pass
        except Exception as exc:
            outcome.append(exc)

    with holding(blank):
        worker = threading.Thread(target=write)
        worker.start()
        worker.join(timeout=BOUND)
    assert not worker.is_alive() and len(outcome) == 1
    assert "still locked after 0.2 s" in str(outcome[0])
