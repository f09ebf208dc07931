"""A blank SQLite store made from the squashed schema is the store the migrations make one by one.

The file (store/squashed.sqlite.sql) is generated; these tests say when it is stale,
and compare the two ways of making a store object by object and row by row: the SQL text SQLite
keeps for each table, index, view and virtual table, what `pragma table_list` says each one is,
every table's columns, and every row (the FTS5 shadow tables' included)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from teammemory.store import Store, migrate, squash


def _made(path: Path, *, squashed: bool, fill: bool = False) -> Path:
    with Store.open(str(path)).write() as db:
        migrate.apply(db, fill=fill, squashed=squashed)
    return path


def _contents(path: Path) -> dict[str, Any]:
    """Everything a store holds, but the moment each migration was recorded as applied."""
    with sqlite3.connect(path) as conn:
        objects = sorted(conn.execute("select type, name, tbl_name, sql from sqlite_master"
                                      " where name not like 'sqlite_%'"))
        kinds = sorted(conn.execute("select name, type, ncol, wr, strict from pragma_table_list"
                                    " where schema = 'main'"))
        columns, rows = {}, {}
        for (name,) in conn.execute("select name from sqlite_master where type = 'table'"
                                    " and name not like 'sqlite_%'"):  # an upgrade's ANALYZE makes sqlite_stat1
            columns[name] = conn.execute(f"pragma table_xinfo('{name}')").fetchall()
            if name == "schema_migrations":
                rows[name] = conn.execute("select version, name from schema_migrations order by 1").fetchall()
            else:
                rows[name] = sorted(conn.execute(f'select * from "{name}"').fetchall(), key=repr)
        return {"objects": objects, "kinds": kinds, "columns": columns, "rows": rows}


def test_the_file_is_what_the_migrations_make_now() -> None:
    assert squash.PATH.read_text(encoding="utf-8") == squash.build(), (
        "store/squashed.sqlite.sql is stale: run `python -m teammemory.store.squash`")


def test_it_is_made_from_the_newest_migration_and_used() -> None:
    version, statements = squash.parse(squash.PATH.read_text(encoding="utf-8"))
    assert version == migrate.latest_version()
    assert migrate.squashed_statements() == tuple(statements)


@pytest.mark.parametrize("fill", [False, True])
def test_a_store_from_it_equals_one_migrated_step_by_step(tmp_path: Path, fill: bool) -> None:
    stepwise = _contents(_made(tmp_path / "steps.db", squashed=False, fill=fill))
    squashed = _contents(_made(tmp_path / "squashed.db", squashed=True, fill=fill))
    assert squashed["objects"] == stepwise["objects"]
    assert squashed == stepwise
    # what is compared is all there: 21 migrations recorded, the FTS5 table with its shadow tables
    assert [v for v, _ in squashed["rows"]["schema_migrations"]] == list(range(1, migrate.latest_version() + 1))
    assert ("text_fts", "virtual") in [(name, kind) for name, kind, *_ in squashed["kinds"]]
    assert squashed["rows"]["text_fts_config"] == [("version", 4)]


def test_apply_says_every_migration_was_applied(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "tm.db")).write() as db:
        applied = migrate.apply(db, fill=False)
    assert [m.version for m in applied] == [m.version for m in migrate.migrations("sqlite")]


def test_a_stale_file_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file made before the newest migration would make an old store: the migrations run instead."""
    text = squash.PATH.read_text(encoding="utf-8")
    stale = tmp_path / "squashed.sqlite.sql"
    stale.write_text(text.replace(f"-- version: {migrate.latest_version()}", "-- version: 20"), encoding="utf-8")
    monkeypatch.setattr(squash, "PATH", stale)
    migrate._squashed_file.cache_clear()
    try:
        assert migrate.squashed_statements() is None
        made = _contents(_made(tmp_path / "tm.db", squashed=True))
    finally:
        migrate._squashed_file.cache_clear()
    assert made == _contents(_made(tmp_path / "steps.db", squashed=False))


def test_an_older_store_still_takes_the_migrations_it_lacks(tmp_path: Path) -> None:
    """Only a blank store is made from the file: one at version 20 gets 0021 itself."""
    path = tmp_path / "old.db"
    with Store.open(str(path)).write() as db:
        db.execute("create table schema_migrations ("  # as migrate.apply makes it
                   " version integer primary key, name text not null, applied_at bigint not null)")
        for m in migrate.migrations("sqlite")[:-1]:
            for statement in migrate.split_statements(m.sql):
                db.execute(statement)
            db.execute("insert into schema_migrations values (:v, :n, 0)", v=m.version, n=m.name)
    with Store.open(str(path)).write() as db:
        applied = migrate.apply(db)
    assert [m.version for m in applied] == [migrate.latest_version()]
    upgraded, fresh = _contents(path), _contents(_made(tmp_path / "fresh.db", squashed=True))
    assert upgraded["objects"] == fresh["objects"]
    assert upgraded["columns"] == fresh["columns"]


def test_parse_keeps_a_semicolon_inside_a_string_or_a_body() -> None:
    text = ("-- version: 3\n-- a comment; with a semicolon\n"
            "create table t (a text default 'x;\ny', b int);\n"
            "insert into t values ('it''s; here', 1);\n")
    assert squash.parse(text) == (3, ["create table t (a text default 'x;\ny', b int)",
                                      "insert into t values ('it''s; here', 1)"])
    with pytest.raises(ValueError, match="ends inside a statement"):
        squash.parse("create table t (a int")
