"""Shared fixtures: a `store` over SQLite and a throwaway PostgreSQL cluster; a fixed `now`."""

from __future__ import annotations

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


def _make_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    if kind == "sqlite":
        url = str(tmp_path / "tm.db")
    else:
        url = request.getfixturevalue("pg_cluster").create_database()
    store = Store.open(url)
    with store.write() as db:
        migrate.apply(db)
    return store


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
