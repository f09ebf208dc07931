"""PostgreSQL connections kept by a Store between its transactions (store/pg_idle.py), on a real
server: used again, left clean, dropped when they cannot be trusted."""

from __future__ import annotations

import gc

import psycopg
import pytest

from teammemory.errors import StoreError
from teammemory.store import Store
from tests.helpers.postgres import Cluster

pytestmark = pytest.mark.postgres


@pytest.fixture
def url(pg_cluster: Cluster, pg_template: str) -> str:
    return pg_cluster.create_database(pg_template)


def backend(store: Store, *, write: bool = False) -> int:
    with (store.write() if write else store.read()) as db:
        return int(db.scalar("select pg_backend_pid() as pid"))


def test_one_connection_serves_the_stores_transactions_one_after_another(url: str) -> None:
    store = Store.open(url)
    pids = {backend(store), backend(store, write=True), backend(store), backend(store, write=True)}
    assert len(pids) == 1


def test_a_read_after_a_write_is_read_only_and_a_write_after_a_read_writes(url: str) -> None:
    store = Store.open(url)
    with store.write() as db:
        db.execute("insert into cursors (source, target, value, updated_at) values ('t', 'a', '1', 0)")
    with pytest.raises(StoreError, match="read-only"), store.read() as db:
        db.all("insert into cursors (source, target, value, updated_at) values ('t', 'b', '1', 0) returning target")
    backend(store)
    with store.write() as db:
        db.execute("insert into cursors (source, target, value, updated_at) values ('t', 'c', '1', 0)")
    with store.read() as db:
        assert [r["target"] for r in db.all("select target from cursors where source = 't' order by target")] \
            == ["a", "c"]


def test_a_schema_changed_by_another_connection_meets_no_stale_prepared_statement(url: str) -> None:
    store = Store.open(url)
    with store.read() as db:
        for _ in range(8):  # psycopg prepares a statement run 5 times
            db.all("select * from cursors")
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("alter table cursors add column note text")
    with store.read() as db:
        for _ in range(8):
            rows = db.all("select * from cursors")
        assert rows and all("note" in row for row in rows)


def test_a_connection_the_server_ended_is_replaced(url: str) -> None:
    store = Store.open(url)
    first = backend(store)
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("select pg_terminate_backend(%s)", (first,))
    assert backend(store) != first


def test_a_connection_that_saw_an_error_is_not_used_again(url: str) -> None:
    store = Store.open(url)
    first = backend(store)
    with pytest.raises(StoreError), store.read() as db:
        db.all("select * from no_such_table")
    assert backend(store) != first


def test_closing_or_dropping_the_store_leaves_the_database_free_to_copy(pg_cluster: Cluster, url: str) -> None:
    """`create database ... template` needs nobody connected to the template."""
    template = url.split("?")[0].rsplit("/", 1)[1]

    def connected() -> int:
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            return int(admin.execute("select count(*) from pg_stat_activity where datname = %s",
                                     (template,)).fetchone()[0])  # type: ignore[index]

    store = Store.open(url)
    backend(store)
    assert connected() == 1  # kept between transactions
    store.close()
    assert connected() == 0
    copy = Store.open(pg_cluster.create_database(template))
    with copy.read() as db:
        assert db.scalar("select count(*) as n from schema_migrations")
    copy.close()
    backend(store)  # a closed Store still answers, on a new connection
    assert connected() == 1
    del store
    gc.collect()
    assert connected() == 0
    pg_cluster.create_database(template)
