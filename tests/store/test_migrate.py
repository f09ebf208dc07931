from __future__ import annotations

from pathlib import Path

import pytest

from teammemory.errors import StoreError
from teammemory.store import NotAStore, Store, migrate, parse_url
from tests.helpers import postgres

EXPECTED_TABLES = {
    "schema_migrations", "repositories", "developers", "identities", "identity_overrides", "files",
    "commits", "commit_files", "commit_people", "issues", "issue_components", "issue_comments",
    "issue_links", "issue_transitions", "pull_requests", "reviews", "review_comments", "pr_comments",
    "review_requests", "commit_issues", "pr_commits", "pr_files", "pr_issues", "cursors", "ingest_runs",
    "http_cache", "component_commits", "component_people", "file_authors",
    "repository_roots",  # 0006
    "text_docs", "text_terms",  # 0007
    "incidents", "incident_timeline", "incident_lessons", "incident_actions", "incident_refs", "tags",  # 0008
    "people_activity", "file_first_seen", "file_moves",  # 0009
    "file_lineage", "lineage_keysets", "lineage_commits", "lineage_files", "lineage_scopes",  # 0011
    "lineage_scope_counts", "lineage_sets", "lineage_set_sizes", "lineage_revisions", "lineage_names",  # 0011
    "lineage_state",  # 0011
    "first_parent_commits", "first_parent_heads",  # 0012
    "commit_hygiene", "commit_link_counts", "first_parent_pr_counts",  # 0013
    "risk_fix_files",  # 0015
    "component_authors",  # 0017
    "text_df",  # 0019
    "commit_generations", "merge_login_walks",  # 0020
}
# 0007 on SQLite: the FTS5 table and the shadow tables FTS5 keeps for it
SQLITE_FTS = {"text_fts", "text_fts_data", "text_fts_idx", "text_fts_docsize", "text_fts_config"}


LATEST = migrate.latest_version()


def _tables(store: Store) -> set[str]:
    with store.read() as db:
        if db.dialect == "sqlite":
            rows = db.all("select name from sqlite_master where type = 'table'")
        else:
            rows = db.all("select table_name as name from information_schema.tables"
                          " where table_schema = current_schema() and table_type = 'BASE TABLE'")
    return {r["name"] for r in rows}


def _views(store: Store) -> set[str]:
    with store.read() as db:
        if db.dialect == "sqlite":
            rows = db.all("select name from sqlite_master where type = 'view'")
        else:
            rows = db.all("select table_name as name from information_schema.views"
                          " where table_schema = current_schema()")
    return {r["name"] for r in rows}


def test_migrate_blank_store_creates_every_table(store: Store) -> None:
    assert _tables(store) == EXPECTED_TABLES | (SQLITE_FTS if store.dialect == "sqlite" else set())
    assert _views(store) == {"persons"}
    with store.read() as db:
        assert migrate.current_version(db) == migrate.latest_version()


def test_migrate_twice_applies_nothing(store: Store) -> None:
    with store.write() as db:
        assert migrate.apply(db) == []


def test_read_is_read_only(store: Store) -> None:
    with pytest.raises(StoreError, match="(?i)read.?only"), store.read() as db:
        db._conn.execute("insert into developers (key, name) values ('x', 'x')")


def test_newer_store_is_refused(store: Store) -> None:
    with store.write() as db:
        db.execute("insert into schema_migrations (version, name, applied_at) values (999, 'future', 0)")
    with pytest.raises(StoreError, match="newer than this TeamMemory"), store.read():
        pass


def test_missing_sqlite_store_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="teammemory init-db"), Store.open(str(tmp_path / "no.db")).read():
        pass


def test_write_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as db:
        db.execute("insert into developers (key, name) values ('a', 'A')")
        raise RuntimeError("boom")
    with store.read() as db:
        assert db.scalar("select count(*) as n from developers") == 0


@pytest.mark.parametrize(("url", "dialect", "target"), [
    ("teammemory.db", "sqlite", "teammemory.db"),
    ("sqlite:///tmp/x.db", "sqlite", "/tmp/x.db"),
    ("sqlite:rel.db", "sqlite", "rel.db"),
    ("postgresql://u@/db?host=/tmp", "postgresql", "postgresql://u@/db?host=/tmp"),
])
def test_parse_url(url: str, dialect: str, target: str) -> None:
    parsed = parse_url(url)
    assert (parsed.dialect, parsed.target) == (dialect, target)


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(StoreError, match="unknown scheme"):
        parse_url("mysql://x")


def test_reading_an_older_store_refuses_and_writes_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A newer TeamMemory (here: one that knows a migration after the last) does not migrate a
    store it only reads: it says what to run, and the store is left exactly as it was."""
    known = migrate.migrations

    def with_next(dialect: str) -> tuple[migrate.Migration, ...]:
        return (*known(dialect), migrate.Migration(LATEST + 1, "notes", "create table notes (id integer primary key);"))

    monkeypatch.setattr(migrate, "migrations", with_next)
    with pytest.raises(StoreError, match=f"schema version {LATEST}: run `teammemory init-db`"), store.read():
        pass
    monkeypatch.setattr(migrate, "migrations", known)
    with store.read() as db:
        assert migrate.current_version(db) == LATEST


def test_the_explicit_upgrade_migrates_an_older_store(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    known = migrate.migrations

    def with_next(dialect: str) -> tuple[migrate.Migration, ...]:
        return (*known(dialect), migrate.Migration(LATEST + 1, "notes", "create table notes (id integer primary key);"))

    monkeypatch.setattr(migrate, "migrations", with_next)
    assert store.upgrade()
    assert not store.upgrade()  # nothing due any more
    with store.read() as db:
        assert migrate.current_version(db) == LATEST + 1
        assert db.scalar("select count(*) as n from notes") == 0
        names = [r["name"] for r in db.all("select name from schema_migrations order by version")]
    assert names == ["initial", "summaries", "persons", "released_schema_repairs", "link_rules", "repository_identity",
                     "text_index", "incidents", "activity_summaries",
                     "window_indexes_and_test_files", "file_lineage", "first_parents", "commit_hygiene",
                     "text_index_incidents", "risk_fix_history", "issue_key_any_case",
                     "component_authors", "review_comment_lines", "text_df", "merge_login_walks", "clustered_tables",
                     "notes"]


def test_ingest_creates_a_missing_store(tmp_path: Path) -> None:
    from teammemory.config import Config
    from teammemory.ingest import run

    store = Store.open(str(tmp_path / "fresh.db"))
    summary = run(store, "test", "t", Config(), lambda db: {"things": 0})
    assert summary.counts == {"things": 0}
    with store.read() as db:
        assert migrate.current_version(db) == migrate.latest_version()


def test_a_failed_first_ingest_leaves_no_half_made_schema(tmp_path: Path) -> None:
    """DDL is inside the transaction too (SQLite's driver would otherwise commit it at once)."""
    from teammemory.config import Config
    from teammemory.errors import InputError
    from teammemory.ingest import run

    store = Store.open(str(tmp_path / "fresh.db"))

    def bad(db: object) -> dict[str, int]:
        raise InputError("x.json", "broken")

    with pytest.raises(InputError):
        run(store, "test", "t", Config(), bad)
    assert not store.exists()
    assert run(store, "test", "t", Config(), lambda db: {}).counts == {}
    with store.read() as db:
        assert migrate.current_version(db) == migrate.latest_version()


def test_driver_errors_become_store_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="store .*"), store.read() as db:
        db.all("select no_such_column from commits")


def test_the_sqlite_twin_of_0002_differs_only_by_without_rowid() -> None:
    sqlite, postgresql = ({m.name: m.sql for m in migrate.migrations(d)} for d in ("sqlite", "postgresql"))
    assert sqlite["summaries"].count(") without rowid;") == 3
    assert sqlite["summaries"].replace(") without rowid;", ");") == postgresql["summaries"]


def test_a_dialect_twin_replaces_its_portable_file_on_that_dialect_only(tmp_path: Path) -> None:
    for name, sql in [("0001_a.sql", "portable a"), ("0002_b.sql", "portable b"),
                      ("0002_b.sqlite.sql", "sqlite b"), ("0003_c.postgresql.sql", "pg c"), ("README.md", "x")]:
        (tmp_path / name).write_text(sql)
    found = {d: [(m.version, m.name, m.sql) for m in migrate.read_migrations(tmp_path, d)]
             for d in ("sqlite", "postgresql")}
    assert found == {"sqlite": [(1, "a", "portable a"), (2, "b", "sqlite b")],
                     "postgresql": [(1, "a", "portable a"), (2, "b", "portable b"), (3, "c", "pg c")]}


def test_reset_drops_only_teammemorys_own_tables(tmp_path: Path) -> None:
    """A database shared with another application (adopted with init-db --force) keeps its tables."""
    import sqlite3

    path = tmp_path / "shared.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table their_orders (id integer primary key)")
    store = Store.open(str(path))
    with store.write(adopt=True) as db:
        migrate.apply(db)
    with store.write() as db:
        migrate.drop_all(db)
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    assert names == {"their_orders"}


def test_init_db_adopts_a_foreign_database_only_with_force(tmp_path: Path) -> None:
    import sqlite3

    from typer.testing import CliRunner

    from teammemory.outputs.cli import app

    path = tmp_path / "theirs.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table their_orders (id integer primary key)")
    refused = CliRunner().invoke(app, ["--db", str(path), "init-db"])
    assert refused.exit_code == 2 and "init-db --force" in refused.output
    assert CliRunner().invoke(app, ["--db", str(path), "init-db", "--force"]).exit_code == 0
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    assert "their_orders" in names and "schema_migrations" in names


@pytest.mark.postgres
def test_postgres_analyze_samples_teammemorys_tables_only(pg_cluster: object, pg_template: str) -> None:
    """After a write, the planner's statistics of our tables are fresh; another application's
    table in the same database, and the system catalogs, are left to their own maintenance."""
    import psycopg

    from tests.helpers.postgres import Cluster

    assert isinstance(pg_cluster, Cluster)
    url = pg_cluster.create_database(pg_template)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create table their_orders (id integer primary key)")
        conn.execute("insert into their_orders select generate_series(1, 100)")
    with Store.open(url).write() as db:
        db.analyze()
    with psycopg.connect(url, autocommit=True) as conn:  # shared catalogs' statistics are the cluster's
        done = {name for (name,) in conn.execute(
            "select s.relname from pg_stat_all_tables s join pg_class c on c.oid = s.relid"
            " where s.last_analyze is not null and not c.relisshared")}
    tables, _ = migrate.owned_objects("postgresql")
    assert done == tables | {"schema_migrations"}


@pytest.mark.postgres
def test_postgres_looks_for_its_tables_in_the_current_schema_only(pg_cluster: postgres.Cluster) -> None:
    """A store in schema `mine` (first on the search path) is blank even when a later schema on the
    path holds a TeamMemory store, and a foreign table there does not make `mine` foreign: as
    information_schema.tables filtered by current_schema() said before has_table used the catalog."""
    import psycopg

    url = pg_cluster.create_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create schema mine")
        conn.execute("create schema other")
    other = Store.open(url + "&options=-csearch_path%3Dother")
    with other.write() as db:
        migrate.apply(db)
    mine = Store.open(url + "&options=-csearch_path%3Dmine,other")
    with mine.write() as db:
        assert not migrate.has_table(db, "schema_migrations")
        assert migrate.current_version(db) == 0
        migrate.apply(db)
        assert migrate.has_table(db, "schema_migrations")
        assert migrate.current_version(db) == LATEST
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create schema third")
        conn.execute("create table third.their_orders (id integer primary key)")
    with pytest.raises(NotAStore, match="their_orders"):
        with Store.open(url + "&options=-csearch_path%3Dthird,other").read():
            pass
    with psycopg.connect(url, autocommit=True) as conn:  # the store `mine` made has a table per name
        assert conn.execute("select count(*) from pg_tables where tablename = 'schema_migrations'").fetchone() == (2,)
