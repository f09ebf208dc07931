"""The store behind one small interface: `Store.open(url)`, `store.write()`, `store.read()`.

SQL is written once with `:name` parameters and runs on SQLite (stdlib) and PostgreSQL
(psycopg 3). `read()` is read-only for real (SQLite `query_only`, PostgreSQL `READ ONLY`
transactions), so an agent that tries to write fails loudly. `write()` is one transaction that
rolls back on any error: nothing half-written.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import unquote, urlparse

from teammemory.errors import StoreError
from teammemory.store.queries import Query

Row = dict[str, Any]
T = TypeVar("T", bound=NamedTuple)
_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Url:
    """A parsed store URL: `dialect` is 'sqlite' or 'postgresql'; `target` a path or a libpq DSN."""

    dialect: str
    target: str

    def __str__(self) -> str:
        return self.target if self.dialect == "sqlite" else _redact(self.target)


def parse_url(url: str) -> Url:
    """Accept `path.db`, `sqlite:///abs/path.db`, `sqlite:rel.db`, `postgresql://...`, `postgres://...`."""
    if url.startswith(("postgresql://", "postgres://", "postgresql:", "postgres:")):
        return Url("postgresql", url)
    if url.startswith("sqlite:"):
        rest = url[len("sqlite:"):]
        if rest.startswith("///"):
            rest = rest[2:]
        elif rest.startswith("//"):
            rest = rest[2:]
        return Url("sqlite", unquote(rest))
    if "://" in url:
        raise StoreError(f"store URL {url!r}: unknown scheme (use a file path, sqlite:///..., or postgresql://...)")
    return Url("sqlite", url)


def _redact(dsn: str) -> str:
    parsed = urlparse(dsn)
    if parsed.password:
        return dsn.replace(f":{parsed.password}@", ":***@")
    return dsn


def _driver_errors() -> tuple[type[BaseException], ...]:
    """The database drivers' own error classes (turned into StoreError at the store's edge)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - depends on the install
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


class Reader:
    """Read access to one connection; every query takes `:name` parameters."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self._conn = conn
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        if self.dialect == "sqlite":
            return sql
        return _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))

    def fetch(self, query: Query | str, row: type[T], **params: Any) -> list[T]:
        """Run a named query (or the filled text of one with slots) and return `row` tuples.

        The columns must be `row`'s fields, in order: a query and its row type cannot drift apart
        silently (checked on every call from the cursor's description, which costs nothing)."""
        cur = self._tuples(query.text if isinstance(query, Query) else query, params)
        names = tuple(d[0] for d in cur.description or ())
        if names != row._fields:
            label = query.name if isinstance(query, Query) else query.split("\n", 1)[0][:60]
            raise StoreError(f"query {label}: returns columns {names}, {row.__name__} has {row._fields}")
        return list(map(row._make, cur.fetchall()))

    def fetch_one(self, query: Query | str, row: type[T], **params: Any) -> T | None:
        """`fetch`'s first row, or None."""
        rows = self.fetch(query, row, **params)
        return rows[0] if rows else None

    def _tuples(self, sql: str, params: Mapping[str, Any]) -> Any:
        """A cursor over plain tuples (no dict or Row object per row) on either driver."""
        if self.dialect == "sqlite":
            cur = self._conn.cursor()
            cur.row_factory = None
        else:
            from psycopg.rows import tuple_row

            cur = self._conn.cursor(row_factory=tuple_row)
        cur.execute(self._sql(sql), params)
        return cur

    def all(self, sql: str, **params: Any) -> list[Row]:
        cur = self._conn.execute(self._sql(sql), params)
        return [dict(r) for r in cur.fetchall()]

    def one(self, sql: str, **params: Any) -> Row | None:
        cur = self._conn.execute(self._sql(sql), params)
        row = cur.fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, **params: Any) -> Any:
        row = self.one(sql, **params)
        return None if row is None else next(iter(row.values()))

    def iterate(self, sql: str, **params: Any) -> Iterator[Row]:
        cur = self._conn.execute(self._sql(sql), params)
        for row in cur:
            yield dict(row)


class Writer(Reader):
    """Write access inside one transaction (see `Store.write`)."""

    def execute(self, sql: str, **params: Any) -> None:
        self._conn.execute(self._sql(sql), params)

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a bulk write). Without them SQLite picks
        index orders that turn a component query from milliseconds into tens of seconds; the
        sampled form (`analysis_limit`) keeps this cheap on large stores."""
        if self.dialect == "sqlite":
            self._conn.execute("pragma analysis_limit = 1000")
            self._conn.execute("analyze")
        else:
            self._conn.execute("analyze")

    def executemany_raw(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run `sql` written in the driver's own positional style (`?` or `%s`) for each tuple."""
        if self.dialect == "sqlite":
            self._conn.executemany(sql, rows)
        else:
            with self._conn.cursor() as cur:
                cur.executemany(sql, rows)

    def insert_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Plain inserts of new rows (no key clash possible): COPY on PostgreSQL, where it is
        several times faster than any batched INSERT; one executemany on SQLite."""
        if self.dialect == "sqlite":
            marks = ", ".join("?" for _ in columns)
            self._conn.executemany(f"insert into {table} ({', '.join(columns)}) values ({marks})", rows)
            return
        with self._conn.cursor() as cur, cur.copy(f"copy {table} ({', '.join(columns)}) from stdin") as copy:
            for row in rows:
                copy.write_row(row)

    def executemany(self, sql: str, rows: Iterable[Mapping[str, Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        if self.dialect == "sqlite":
            self._conn.executemany(sql, rows)
        else:
            with self._conn.cursor() as cur:
                cur.executemany(self._sql(sql), rows)


class Store:
    """An opened store URL. Connections are made per `read()`/`write()` block."""

    def __init__(self, url: Url) -> None:
        self.url = url
        self.dialect = url.dialect

    @classmethod
    def open(cls, url: str) -> Store:
        return cls(parse_url(url))

    def exists(self) -> bool:
        """True when the store holds a TeamMemory schema."""
        if self.dialect == "sqlite" and not Path(self.url.target).is_file():
            return False
        from teammemory.store.migrate import current_version

        with self._connect(readonly=True) as conn:
            return current_version(Reader(conn, self.dialect)) > 0

    @contextmanager
    def read(self) -> Iterator[Reader]:
        """A read-only view, checked to be of exactly the schema this program knows. It never
        writes: a store of an older schema is refused with the command that migrates it
        (`teammemory init-db`, or any ingest), see `upgrade`."""
        from teammemory.store.migrate import check_readable

        with self._connect(readonly=True) as conn:
            reader = Reader(conn, self.dialect)
            check_readable(reader, str(self.url))
            try:
                yield reader
            except _driver_errors() as exc:
                raise StoreError(f"store {self.url}: {str(exc).strip()}") from exc

    def upgrade(self) -> bool:
        """Apply pending migrations to a store of an older schema; False when nothing was due.

        A blank or missing store is left alone (reading it says to run `init-db`), and so is a
        newer one (reading it refuses)."""
        from teammemory.store.migrate import apply, current_version, latest_version

        if self.dialect == "sqlite" and not Path(self.url.target).is_file():
            return False
        with self._connect(readonly=True) as conn:
            version = current_version(Reader(conn, self.dialect))
        if not 0 < version < latest_version():
            return False
        with self.write() as db:
            apply(db)
        return True

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """One transaction, DDL included: commit at the end, roll back on any error.

        SQLite connections run in autocommit mode with an explicit BEGIN: the sqlite3 module's
        implicit transactions would commit `create table` at once, and a failed first ingest
        would leave tables without their schema_migrations row."""
        with self._connect(readonly=False) as conn:
            writer = Writer(conn, self.dialect)
            try:
                if self.dialect == "sqlite":
                    conn.execute("begin immediate")
                yield writer
            except BaseException as exc:
                conn.rollback()
                if isinstance(exc, _driver_errors()):
                    raise StoreError(f"store {self.url}: {str(exc).strip()}") from exc
                raise
            conn.commit()

    @contextmanager
    def _connect(self, *, readonly: bool) -> Iterator[Any]:
        conn = self._connect_sqlite(readonly) if self.dialect == "sqlite" else self._connect_pg(readonly)
        try:
            yield conn
        finally:
            conn.close()

    def _connect_sqlite(self, readonly: bool) -> sqlite3.Connection:
        path = Path(self.url.target)
        if readonly and not path.is_file():
            raise StoreError(f"no store at {path}: run `teammemory init-db` (or `teammemory seed` for the demo)")
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        conn.execute("pragma foreign_keys = on")
        if readonly:
            conn.execute("pragma query_only = 1")
        else:
            conn.execute("pragma journal_mode = wal")
            conn.execute("pragma synchronous = normal")
            conn.execute("pragma cache_size = -65536")  # 64 MiB: bulk inserts into big indexes; RSS stays < 300 MB
        return conn

    def _connect_pg(self, readonly: bool) -> Any:
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError:  # pragma: no cover - depends on the install
            raise StoreError("PostgreSQL needs psycopg: pip install 'teammemory[postgres]'") from None
        try:
            conn = psycopg.connect(self.url.target, row_factory=dict_row, autocommit=False)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {self.url}: {str(exc).strip()}") from None
        if readonly:
            conn.read_only = True
        return conn
