"""Shared fixtures: a `store` over SQLite and a throwaway PostgreSQL cluster; a fixed `now`.

Each test's store is a copy of one store migrated once per session (a file copy on SQLite, a
`create database ... template` on PostgreSQL): migrating ~2,000 stores one by one cost about a
minute and a half of the suite. A copy of a migrated store is that store, byte for byte; the
migrations themselves are tested on blank stores (tests/store/test_migrate.py, faults/test_upgrades.py)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.store import Store, migrate
from tests.helpers import postgres

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


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
