"""Apply `migrations/NNNN_name.sql` in order, each in the same transaction as its record.

A `NNNN_name.postgresql.sql` twin replaces the portable file on PostgreSQL where the dialects
must differ (none do yet). A store whose newest migration is unknown to this program is refused.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib import resources

from teammemory.errors import StoreError
from teammemory.store import Reader, Writer, summaries


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(dialect: str) -> list[Migration]:
    """All known migrations for `dialect`, oldest first."""
    folder = resources.files("teammemory.store") / "migrations"
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
    if not _has_table(db, "schema_migrations"):
        return 0
    return int(db.scalar("select coalesce(max(version), 0) as v from schema_migrations") or 0)


def _has_table(db: Reader, name: str) -> bool:
    if db.dialect == "sqlite":
        sql = "select count(*) as n from sqlite_master where type = 'table' and name = :name"
    else:
        sql = ("select count(*) as n from information_schema.tables"
               " where table_schema = current_schema() and table_name = :name")
    return bool(db.scalar(sql, name=name))


def check_readable(db: Reader, where: str) -> None:
    """Refuse a blank store or one written by a newer TeamMemory."""
    version = current_version(db)
    if version == 0:
        raise StoreError(f"{where} holds no TeamMemory store: run `teammemory init-db` (or `teammemory seed`)")
    if version > latest_version():
        raise StoreError(
            f"{where} has schema version {version}, newer than this TeamMemory knows ({latest_version()}):"
            " upgrade TeamMemory")
    if version < latest_version():
        raise StoreError(f"{where} has schema version {version}: run `teammemory init-db` to migrate it")


def apply(db: Writer) -> list[Migration]:
    """Bring the store up to date; returns the migrations applied now."""
    db.execute("create table if not exists schema_migrations ("
               " version integer primary key, name text not null, applied_at bigint not null)")
    version = current_version(db)
    if version > latest_version():
        raise StoreError(f"store has schema version {version}, newer than this TeamMemory knows"
                         f" ({latest_version()}): upgrade TeamMemory")
    applied = []
    for migration in migrations(db.dialect):
        if migration.version <= version:
            continue
        for statement in split_statements(migration.sql):
            db.execute(statement)
        db.execute("insert into schema_migrations (version, name, applied_at) values (:v, :n, :t)",
                   v=migration.version, n=migration.name, t=int(time.time()))
        applied.append(migration)
    if applied:
        summaries.refresh(db)  # summary tables a migration added start out empty
    return applied


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements on `;` at line ends, dropping `--` comments."""
    lines = [line.split("--", 1)[0] for line in sql.splitlines()]
    text = "\n".join(lines)
    return [s.strip() for s in text.split(";") if s.strip()]


def drop_all(db: Writer) -> None:
    """Remove every TeamMemory view and table (for `init-db --reset`)."""
    if db.dialect == "sqlite":
        views = db.all("select name from sqlite_master where type = 'view'")
    else:
        views = db.all("select table_name as name from information_schema.views where table_schema = current_schema()")
    for row in views:
        db.execute(f'drop view if exists "{row["name"]}"')
    if db.dialect == "sqlite":
        rows = db.all("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
    else:
        rows = db.all("select table_name as name from information_schema.tables"
                      " where table_schema = current_schema() and table_type = 'BASE TABLE'")
    for row in rows:
        db.execute(f'drop table if exists "{row["name"]}"' + (" cascade" if db.dialect != "sqlite" else ""))
