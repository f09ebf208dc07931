"""Apply `migrations/NNNN_name.sql` in order, each in the same transaction as its record.

A `NNNN_name.<dialect>.sql` twin replaces the portable file on that dialect where the dialects
must differ (`0002_summaries.sqlite.sql`). A store whose newest migration is unknown to this
program is refused. A released migration never changes: what a later release needs, an older
store included, goes into a new one (0004 repairs the stores of releases whose 0001 or 0002 was
edited afterwards; tests/fixtures/schemas/ holds every released version).
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from teammemory.errors import StoreError
from teammemory.store import Reader, Writer

if TYPE_CHECKING:  # importlib.resources (and zipfile) cost every process 5-15 ms: the folder is read as a Path
    from importlib.resources.abc import Traversable


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


@functools.cache
def migrations(dialect: str) -> tuple[Migration, ...]:
    """All known migrations for `dialect`, oldest first. Read once per process: every store a
    process opens checks its version against them (a server, once per request), and the package's
    files do not change under a running program."""
    return tuple(read_migrations(Path(__file__).parent / "migrations", dialect))  # package data, in a wheel too


def read_migrations(folder: Traversable, dialect: str) -> list[Migration]:
    """The migrations in `folder` for `dialect` (a `.<dialect>.sql` twin replaces its portable file)."""
    found: dict[int, Migration] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        parts = entry.name.split(".")
        if not entry.name.endswith(".sql") or not parts[0][:4].isdigit():
            continue
        if len(parts) == 3 and parts[1] != dialect:
            continue
        version = int(parts[0][:4])
        if len(parts) == 3 or version not in found:
            found[version] = Migration(version, parts[0][5:], entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def latest_version() -> int:
    return max(m.version for m in migrations("sqlite"))


def current_version(db: Reader) -> int:
    """The store's schema version; 0 for a blank database."""
    if not has_table(db, "schema_migrations"):
        return 0
    return int(db.scalar("select coalesce(max(version), 0) as v from schema_migrations") or 0)


def has_table(db: Reader, name: str) -> bool:
    """Whether the store's own schema holds table `name`. On PostgreSQL a catalog lookup in the
    current schema (`to_regclass`): information_schema.tables, a view over several catalogs that
    checks privileges row by row, cost the server ~1 ms a call, ~4 ms in a new connection, and
    every transaction asks."""
    if db.dialect == "sqlite":
        sql = "select count(*) as n from sqlite_master where type = 'table' and name = :name"
    else:
        sql = ("select case when current_schema() is null then false"
               " else to_regclass(format('%I.%I', current_schema(), cast(:name as text))) is not null end as n")
    return bool(db.scalar(sql, name=name))


def check_readable(db: Reader, where: str) -> None:
    """Refuse a blank store or one written by a newer TeamMemory."""
    version = current_version(db)
    if version == 0:
        raise StoreError(f"{where} holds no TeamMemory store: run `teammemory init-db` (or `teammemory seed`)")
    latest = latest_version()  # once: it reads the migrations folder
    if version > latest:
        raise StoreError(
            f"{where} has schema version {version}, newer than this TeamMemory knows ({latest}):"
            " upgrade TeamMemory")
    if version < latest:
        raise StoreError(f"{where} has schema version {version}: run `teammemory init-db` to migrate it")


def apply(db: Writer, *, fill: bool = True, squashed: bool = True) -> list[Migration]:
    """Bring the store up to date; returns the migrations applied now. The hooks below fill what
    a migration added for the data already stored; `fill=False` skips them on a blank store (an
    ingest, whose derive.refresh in the same transaction runs each of them once, after its work).
    A blank SQLite store gets every migration's objects at once from the squashed schema
    (store/squash.py) when that file is current; `squashed=False` applies them one by one."""
    db.execute("create table if not exists schema_migrations ("
               " version integer primary key, name text not null, applied_at bigint not null)")
    version = current_version(db)
    if version > latest_version():
        raise StoreError(f"store has schema version {version}, newer than this TeamMemory knows"
                         f" ({latest_version()}): upgrade TeamMemory")
    blank = squashed_statements() if squashed and version == 0 and db.dialect == "sqlite" else None
    if blank is not None:
        for statement in blank:
            db.execute(statement)
    applied = []
    for migration in migrations(db.dialect):
        if migration.version <= version:
            continue
        if blank is None:
            for statement in split_statements(migration.sql):
                db.execute(statement)
        db.execute("insert into schema_migrations (version, name, applied_at) values (:v, :n, :t)",
                   v=migration.version, n=migration.name, t=int(time.time()))
        applied.append(migration)
    if applied and (fill or version > 0):
        from teammemory.store import summaries  # here: every read checks the version, and must stay light

        summaries.refresh(db)  # summary tables a migration added start out empty
        if any(m.version == 10 for m in applied):  # 0010's test columns, for the files already stored
            from teammemory.config import DEFAULT_TEST_PATTERNS
            from teammemory.store import test_files

            test_files.refresh(db, DEFAULT_TEST_PATTERNS)  # the next ingest re-derives under other patterns
        if any(m.version == 11 for m in applied):  # 0011's replay is Python: fill it for the commits stored
            from teammemory.store import lineage

            lineage.refresh(db)
        if any(m.version == 14 for m in applied):  # 0014: what is stored joins the text index (incidents;
            from teammemory.store import text_index  # everything, for a store migrated across 0007)

            text_index.refresh(db)
        if any(m.version == 15 for m in applied):  # 0015's bug-fix history fold is Python: fill it now
            from teammemory.store import fix_history

            fix_history.refresh(db)
        if any(m.version == 21 for m in applied) and db.dialect == "sqlite" and version > 0:
            db.analyze()  # 0021 rebuilt tables, which lost their planner statistics (a hot file's
            # questions on the 100,000-commit bench store: 0.8 s without them, 0.2 s with)
    return applied


def squashed_statements() -> tuple[str, ...] | None:
    """The squashed schema's statements, or None when the file is missing or was made before the
    newest migration (a blank store then takes the migrations one by one, as before)."""
    version, statements = _squashed_file()
    return statements if version and version == latest_version() else None


@functools.cache
def _squashed_file() -> tuple[int, tuple[str, ...]]:
    """(version, statements) of store/squashed.sqlite.sql, read once per process; (0, ()) if absent."""
    from teammemory.store import squash

    try:
        text = squash.PATH.read_text(encoding="utf-8")
    except FileNotFoundError:
        return 0, ()
    version, statements = squash.parse(text)
    return version, tuple(statements)


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements on `;` at line ends, dropping `--` comments."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    text = "\n".join(lines)
    return [s.strip() for s in text.split(";") if s.strip()]


def drop_all(db: Writer) -> None:
    """Remove every view and table TeamMemory's migrations create (for `init-db --reset`), and
    nothing else: a database shared with another application keeps that application's tables."""
    tables, views = owned_objects(db.dialect)
    cascade = " cascade" if db.dialect != "sqlite" else ""
    for name in sorted(views):
        db.execute(f'drop view if exists "{name}"')
    for name in sorted(tables):
        db.execute(f'drop table if exists "{name}"{cascade}')


_CREATED = re.compile(r"create\s+(?:virtual\s+)?(table|view)\s+(?:if\s+not\s+exists\s+)?\"?([a-z_][a-z0-9_]*)", re.I)


@functools.cache
def owned_objects(dialect: str) -> tuple[frozenset[str], frozenset[str]]:
    """(tables, views) that this program creates: its migrations' and `schema_migrations`, which
    `apply` makes before the first of them."""
    tables: set[str] = {"schema_migrations"}
    views: set[str] = set()
    for migration in migrations(dialect):
        for kind, name in _CREATED.findall(migration.sql):
            (tables if kind.lower() == "table" else views).add(name.lower())
    return frozenset(tables), frozenset(views)
