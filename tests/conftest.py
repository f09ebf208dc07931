"""Shared fixtures: a `store` over SQLite and a throwaway PostgreSQL cluster; a fixed `now`.

Each test's store is a copy of one store migrated once per session (a file copy on SQLite, a
`create database ... template` on PostgreSQL): migrating ~2,000 stores one by one cost about a
minute and a half of the suite. A copy of a migrated store is that store, byte for byte; the
migrations themselves are tested on blank stores (tests/store/test_migrate.py, faults/test_upgrades.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
import typer.main
import typer.testing

from teammemory.store import Store, migrate
from tests.helpers import postgres

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"

# Typer's CliRunner turns the app into a click command on every `invoke` (~60 ms for the whole
# app: every command's signature and type hints read again), a fifth of the suite's time over
# ~1,200 invocations. The command is a pure function of the app, and click commands are built to
# be run many times, so each app's is built once. (A process, as a user runs it, builds it once too.)
_COMMANDS: weakref.WeakKeyDictionary[typer.Typer, typer.main._click.Command] = weakref.WeakKeyDictionary()
assert typer.testing._get_command is typer.main.get_command, "Typer changed how CliRunner builds the command"


def _command_of(typer_instance: typer.Typer) -> typer.main._click.Command:
    command = _COMMANDS.get(typer_instance)
    if command is None:
        command = _COMMANDS[typer_instance] = typer.main.get_command(typer_instance)
    return command


typer.testing._get_command = _command_of


RAM_DISK = Path("/dev/shm")
RAM_NEEDED = 4 << 30  # a run's temporary files are ~0.8 GB; the PostgreSQL clusters live there too


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Temporary folders on the RAM disk when there is one with room (unless --basetemp or
    PYTEST_DEBUG_TEMPROOT says where): a run writes ~670 stores and ~450 git repositories (~0.8 GB,
    58,000 files), and on disk deleting a past run's folder cost ~20-30 s of wall time at exit."""
    if config.option.basetemp or os.environ.get("PYTEST_DEBUG_TEMPROOT") or not RAM_DISK.is_dir():
        return
    if not os.access(RAM_DISK, os.W_OK | os.X_OK):
        return
    room = os.statvfs(RAM_DISK)
    if room.f_bavail * room.f_frsize >= RAM_NEEDED:
        os.environ["PYTEST_DEBUG_TEMPROOT"] = str(RAM_DISK)


@pytest.fixture(autouse=True)
def _own_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own TeamMemory cache (sources/commit_graph.py), never the user's ~/.cache:
    a folder named for the test, made only if something writes there."""
    key = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    monkeypatch.setenv("TEAMMEMORY_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache" / key))


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[postgres.Cluster]:
    reason = postgres.available()
    if reason:
        pytest.skip(f"PostgreSQL tests need a local server: {reason}")
    cluster = postgres.start()
    yield cluster
    cluster.stop()


def _migrate(url: str) -> None:
    with Store.open(url).write() as db:
        migrate.apply(db)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated empty SQLite store, its WAL folded into the file so that one file is all of it."""
    path = tmp_path_factory.mktemp("template") / "tm.db"
    _migrate(str(path))
    with sqlite3.connect(path) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    return path


@pytest.fixture(scope="session")
def pg_template(pg_cluster: postgres.Cluster) -> str:
    """The name of a migrated empty PostgreSQL database to copy."""
    return pg_cluster.create_template("tm_template", _migrate)


def _make_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    if kind == "sqlite":
        url = str(tmp_path / "tm.db")
        shutil.copyfile(request.getfixturevalue("sqlite_template"), url)
    else:
        url = request.getfixturevalue("pg_cluster").create_database(request.getfixturevalue("pg_template"))
    return Store.open(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A migrated, empty store on each backend."""
    return _make_store(request.param, tmp_path, request)


@pytest.fixture
def sqlite_store(tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    return _make_store("sqlite", tmp_path, request)


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"recorded API data not present at {REALDATA} (it ships beside the repo in CI)")
    return REALDATA
