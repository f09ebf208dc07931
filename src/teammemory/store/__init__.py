"""The store behind one small interface: `Store.open(url)`, `store.write()`, `store.read()`.

SQL is written once with `:name` parameters and runs on SQLite (stdlib) and PostgreSQL
(psycopg 3). `read()` is read-only for real (SQLite `query_only`, PostgreSQL `READ ONLY`
transactions), so an agent that tries to write fails loudly. `write()` is one transaction that
rolls back on any error: nothing half-written.
"""

from __future__ import annotations

import re
import sqlite3
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import unquote

from teammemory import redact
from teammemory.errors import InputError, StoreError, TeamMemoryError
from teammemory.store import locks, sqlite_file
from teammemory.store.locks import Lock
from teammemory.store.pg_idle import IdleConnections
from teammemory.store.queries import Query

Row = dict[str, Any]
T = TypeVar("T", bound=NamedTuple)
V = TypeVar("V")
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
        raise StoreError(f"store URL {redact.url(url)!r}: unknown scheme (use a file path, sqlite:///..., or postgresql://...)")
    return Url("sqlite", url)


def _redact(dsn: str) -> str:
    """The URL or DSN as it may be printed: `redact.url`, the one place secrets are masked."""
    return redact.url(dsn)


PG_CONNECT_TIMEOUT = 10  # seconds; psycopg's own default (130 s) holds a command on a host that never answers


def _pg_timeout(target: str) -> dict[str, Any]:
    """`connect_timeout=PG_CONNECT_TIMEOUT`, unless the URL (or PGCONNECT_TIMEOUT) says otherwise."""
    import os

    from psycopg import Error
    from psycopg.conninfo import conninfo_to_dict

    try:
        given = "connect_timeout" in conninfo_to_dict(target)
    except Error:  # a malformed URL: connecting reports it
        given = False
    return {} if given or os.environ.get("PGCONNECT_TIMEOUT") else {"connect_timeout": PG_CONNECT_TIMEOUT}


def _driver_errors() -> tuple[type[BaseException], ...]:
    """The database drivers' own error classes (turned into StoreError at the store's edge)."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover - depends on the install
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


class NotAStore(InputError):
    """A database that holds another application's tables and no TeamMemory schema.

    Writing to it would silently add TeamMemory's tables to someone else's database, so
    `Store.write` refuses unless asked (`adopt=True`, which `init-db --force` passes)."""


def _failure(exc: BaseException, where: str) -> TeamMemoryError:
    """A driver error as one line naming the store (see sqlite_file.failure for SQLite's kinds)."""
    if isinstance(exc, sqlite3.Error):
        return sqlite_file.failure(exc, where)
    lines = (line.strip() for line in str(exc).splitlines())  # PostgreSQL's DETAIL and CONTEXT lines
    return StoreError(f"{where}: " + redact.url("; ".join(line for line in lines if line)))


class Reader:
    """Read access to one connection; every query takes `:name` parameters."""

    def __init__(self, conn: Any, dialect: str) -> None:
        self._conn = conn
        self.dialect = dialect
        self._kept: dict[Hashable, Any] = {}

    def kept(self, key: Hashable, read: Callable[[], V]) -> V:
        """`read()` once for this reader: a reader sees one unchanging store (one transaction),
        and one answer asks for the same rows several times (a file, then code and tests ranked
        apart; the names for a hint). Keys start with their module's name."""
        if key not in self._kept:
            self._kept[key] = read()
        return self._kept[key]

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

    def rows(self, query: Query | str, fields: Sequence[str], **params: Any) -> list[tuple[Any, ...]]:
        """`fetch` without the NamedTuple per row: the driver's plain tuples, for reads of tens of
        thousands of rows that are unpacked at once (building a NamedTuple per row costs ~0.4 us).
        The columns must be `fields`, in order, as `fetch` checks them."""
        cur = self._tuples(query.text if isinstance(query, Query) else query, params)
        names = tuple(d[0] for d in cur.description or ())
        if names != tuple(fields):
            label = query.name if isinstance(query, Query) else query.split("\n", 1)[0][:60]
            raise StoreError(f"query {label}: returns columns {names}, expected {tuple(fields)}")
        return list(cur.fetchall())

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

    private = False  # a store no one else can see yet (store/fresh_build.py): see commit_point

    def commit_point(self, between: Callable[[Any], None] | None = None) -> None:
        """Commit what is written so far and go on in a new transaction, in WAL mode from then on
        (so that other processes can read the commit while this one writes); `between(conn)` runs
        between the two (ATTACH cannot run inside a transaction). Only in a private build: in a
        store others can read, it would break the one-transaction rule."""
        if not self.private or self.dialect != "sqlite":
            raise RuntimeError("commit_point is only for a private SQLite build (store/fresh_build.py)")
        self._conn.commit()
        self._conn.execute("pragma journal_mode = wal")
        if between is not None:
            between(self._conn)
        self._conn.execute("begin immediate")

    def execute(self, sql: str, **params: Any) -> None:
        self._conn.execute(self._sql(sql), params)

    def analyze(self) -> None:
        """Refresh the planner's statistics (after a bulk write). Without them SQLite picks
        index orders that turn a component query from milliseconds into tens of seconds; the
        sampled form (`analysis_limit`) keeps this cheap on large stores. On PostgreSQL only
        TeamMemory's own tables: a bare `analyze` also samples every system catalog and any other
        application's tables in the database (~100 ms of server CPU on a blank store, 5x ours)."""
        if self.dialect == "sqlite":
            self._conn.execute("pragma analysis_limit = 1000")
            self._conn.execute("analyze main")  # not a private build's attached side files
            return
        from teammemory.store.migrate import owned_objects

        tables, _ = owned_objects(self.dialect)
        present = self.all("select tablename as name from pg_tables where schemaname = current_schema()")
        ours = sorted(r["name"] for r in present if r["name"] in tables)
        if ours:
            self._conn.execute("analyze " + ", ".join(f'"{name}"' for name in ours))

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
    """An opened store URL. Each `read()`/`write()` block is one transaction on its own connection:
    a new one on SQLite; on PostgreSQL one the Store kept from an earlier block when it has one
    (store/pg_idle.py; `close()`, or the Store's end, closes them).

    `wait`: how long a writer waits for another one before it gives up (see store/locks.py)."""

    def __init__(self, url: Url, *, wait: float | None = None, private: bool = False,
                 shown_as: str | None = None) -> None:
        self.url = url
        self.private = private  # a SQLite file no one else can see yet (store/fresh_build.py)
        self._shown = shown_as  # the name messages give it (a private build: the store it becomes)
        self.dialect = url.dialect
        self.wait = locks.WAIT_SECONDS if wait is None else wait
        self._idle: IdleConnections | None = None
        if self.dialect != "sqlite":
            self._idle = IdleConnections()
            weakref.finalize(self, self._idle.close)

    def close(self) -> None:
        """Close the connections kept between blocks (PostgreSQL); the Store can still be used."""
        if self._idle is not None:
            self._idle.close()

    @classmethod
    def open(cls, url: str, *, wait: float | None = None) -> Store:
        return cls(parse_url(url), wait=wait)

    @property
    def where(self) -> str:
        """'store <url>' as every message names it (a long path shortened)."""
        return f"store {sqlite_file.shorten(self._shown or str(self.url))}"

    def exists(self) -> bool:
        """True when the store holds a TeamMemory schema."""
        if self.dialect == "sqlite" and not sqlite_file.check(Path(self.url.target), self.where):
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
            try:
                self._refuse_foreign(reader)
                check_readable(reader, str(self.url))
                yield reader
            except _driver_errors() as exc:
                raise _failure(exc, self.where) from exc

    def upgrade(self) -> bool:
        """Apply pending migrations to a store of an older schema; False when nothing was due.

        A blank or missing store is left alone (reading it says to run `init-db`), and so is a
        newer one (reading it refuses)."""
        from teammemory.store.migrate import apply, current_version, latest_version

        if self.dialect == "sqlite" and not sqlite_file.check(Path(self.url.target), self.where):
            return False
        with self._connect(readonly=True) as conn:
            version = current_version(Reader(conn, self.dialect))
        if not 0 < version < latest_version():
            return False
        with self.write() as db:
            apply(db)
        return True

    @contextmanager
    def write(self, *, adopt: bool = False, lock: Lock | None = None, wait: float | None = None,
              ) -> Iterator[Writer]:
        """One transaction, DDL included: commit at the end, roll back on any error.

        One writer at a time on both backends (store/locks.py): `lock` names a narrower lock
        taken first on PostgreSQL (an ingest's source and target), so a wait says what it waits
        for; `wait` overrides `self.wait`. A database that holds another application's tables
        is refused unless `adopt` (see NotAStore).

        SQLite connections run in autocommit mode with an explicit BEGIN: the sqlite3 module's
        implicit transactions would commit `create table` at once, and a failed first ingest
        would leave tables without their schema_migrations row."""
        wait = self.wait if wait is None else wait
        with self._connect(readonly=False) as conn:
            writer = Writer(conn, self.dialect)
            if self.private:
                writer.private = True
                conn.execute("pragma synchronous = off")  # fresh_build syncs the finished file once
            try:
                if self.dialect == "sqlite":
                    locks.begin_sqlite(conn, self.where, wait)
                else:
                    locks.begin_pg(conn, self.where, wait, lock)
                if not adopt:
                    self._refuse_foreign(writer)
                yield writer
                conn.commit()
                if self.dialect == "sqlite":
                    sqlite_file.use_wal(conn)  # a blank file's first transaction had a rollback journal
            except BaseException as exc:
                conn.rollback()
                if isinstance(exc, _driver_errors()):
                    raise _failure(exc, self.where) from exc
                raise

    def _refuse_foreign(self, db: Reader) -> None:
        """NotAStore when the database has tables but no schema_migrations (see NotAStore)."""
        if self.dialect == "sqlite":
            names = sqlite_file.user_tables(db._conn)
        else:
            from teammemory.store.migrate import has_table

            if has_table(db, "schema_migrations"):  # the usual case, without listing the catalog
                return
            names = [row["name"] for row in db.all("select table_name as name from information_schema.tables"
                                                   " where table_schema = current_schema() order by table_name")]
        if names and "schema_migrations" not in names:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            raise NotAStore(self.where, f"not a TeamMemory store: it holds another application's tables ({shown})"
                            " and no TeamMemory schema; use another store, or `teammemory init-db --force`"
                            " to add TeamMemory's tables to it")

    @contextmanager
    def _connect(self, *, readonly: bool) -> Iterator[Any]:
        if self._idle is None:
            conn = self._connect_sqlite(readonly)
            try:
                yield conn
            finally:
                conn.close()
            return
        conn = self._idle.take(readonly) or self._connect_pg(readonly)
        try:
            yield conn
        except BaseException:
            conn.close()  # whatever state the error left it in, it is not used again
            raise
        self._idle.give(conn)

    def _connect_sqlite(self, readonly: bool) -> sqlite3.Connection:
        return sqlite_file.connect(Path(self.url.target), self.where, readonly=readonly, wait=self.wait)

    def _connect_pg(self, readonly: bool) -> Any:
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError:  # pragma: no cover - depends on the install
            raise StoreError("PostgreSQL needs psycopg: pip install 'teammemory[postgres]'") from None
        try:
            conn = psycopg.connect(self.url.target, row_factory=dict_row, autocommit=False,
                                   **_pg_timeout(self.url.target))
        except psycopg.Error as exc:
            hint = " (set connect_timeout=SECONDS in the URL to wait longer)" if "timeout" in str(exc) else ""
            said = redact.url(" ".join(str(exc).split()))  # libpq's message spans lines: one is enough
            raise StoreError(f"cannot connect to {self.url}: {said}{hint}") from None
        if readonly:
            conn.read_only = True
        return conn
