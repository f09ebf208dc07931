"""A SQLite store is one regular file: checked before SQLite touches it, read without writing.

SQLite accepts almost any path: a text file fails only at the first query (`file is not a
database`), `/proc/version` opens as an empty database (its size reads as 0), `/dev/null` fails
at the first write (`disk I/O error`), a directory with `unable to open database file`. So a
path is checked first: it is nothing yet, or a regular file that is empty or starts with
SQLite's 16-byte header. A driver error that means "no database here" (SQLITE_NOTADB,
SQLITE_CORRUPT) is bad input too: exit 2, naming the store.

Reads open `file:...?mode=ro`, so nothing is written and a store in a read-only folder (a
mounted backup, a CI cache) answers questions. A store in WAL mode needs its `-shm` index next
to it, which a read-only folder cannot hold (SQLITE_READONLY_DIRECTORY); when no `-wal` file
holds writes not yet in the file, it is then opened `immutable=1`, which is exact in that case.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from teammemory.errors import InputError, NoStore, StoreError, TeamMemoryError

HEADER = b"SQLite format 3\x00"


def shorten(text: str, limit: int = 120) -> str:
    """`text`, or its start and end with its length when longer than `limit` (a 100 KB path)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit - 40]}…{text[-20:]} ({len(text)} characters)"


def check(path: Path, where: str) -> bool:
    """True when `path` is a file SQLite may open, False when nothing is there; else InputError."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:  # a name too long, a file used as a folder, a folder we may not search
        raise InputError(where, f"cannot be used: {exc.strerror}") from None
    except ValueError:
        raise InputError(where, "cannot be used: the path holds a NUL character") from None
    if stat.S_ISDIR(mode):
        raise InputError(where, "is a directory, not a SQLite database file")
    if not stat.S_ISREG(mode):
        raise InputError(where, "not a SQLite database (not a regular file)")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(HEADER))
    except OSError as exc:
        raise InputError(where, f"cannot be read: {exc.strerror}") from None
    if head and head != HEADER:
        raise InputError(where, "not a SQLite database (no SQLite header)")
    return True


def connect(path: Path, where: str, *, readonly: bool, wait: float) -> sqlite3.Connection:
    """A configured connection to the checked file `path`; driver errors as one line. A file that
    fails to open is left as it was found: `-wal`/`-shm` files the attempt created are removed."""
    exists = check(path, where)
    if not exists and readonly:
        raise NoStore(f"no store at {shorten(str(path))}: run `teammemory init-db`"
                      " (or `teammemory seed` for the demo)")
    if not exists and not path.absolute().parent.is_dir():  # SQLite says only "unable to open database file"
        raise InputError(where, f"its folder {shorten(str(path.absolute().parent))} does not exist")
    sidecars = [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if not p.exists()]
    try:
        try:
            conn = connect_read(path, where, wait) if readonly else \
                sqlite3.connect(str(path), isolation_level=None, timeout=wait)
        except sqlite3.Error as exc:
            if readonly or path.exists():
                raise failure(exc, where) from None
            raise StoreError(f"cannot open store {shorten(str(path))}: {exc}") from None
        try:
            return _configure(conn, readonly)
        except sqlite3.Error as exc:
            conn.close()
            raise failure(exc, where) from None
    except TeamMemoryError:
        for created in sidecars:
            created.unlink(missing_ok=True)
        raise


def _configure(conn: sqlite3.Connection, readonly: bool) -> sqlite3.Connection:
    conn.row_factory = sqlite3.Row
    conn.execute("pragma foreign_keys = on")
    if readonly:
        conn.execute("pragma query_only = 1")
    else:
        use_wal(conn)
        # A blank file keeps SQLite's rollback journal for its first transaction (a first ingest):
        # pages that were not in the file before are never journaled, so they are written once,
        # into the file, instead of into the WAL and again by the checkpoint (BookKeeper's first
        # ingest: ~70 MB once, ~0.2 s less). Store.write then calls `use_wal`.
        conn.execute("pragma synchronous = normal")
        conn.execute("pragma cache_size = -65536")  # 64 MiB: bulk inserts into big indexes; RSS stays < 300 MB
    return conn


def use_wal(conn: sqlite3.Connection) -> None:
    """Put a TeamMemory store still in rollback-journal mode (after a blank file's first
    transaction) into WAL mode, so that readers never wait for a writer; never another
    application's file. While another connection reads, the switch cannot happen and the
    write goes on in rollback mode; the next writer asks again."""
    if conn.execute("pragma journal_mode").fetchone()[0] == "wal" or "schema_migrations" not in user_tables(conn):
        return
    try:
        conn.execute("pragma journal_mode = wal")
    except sqlite3.OperationalError:  # busy: another connection is reading or writing
        pass


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """The names of the database's own tables and views, sorted."""
    sql = "select name from sqlite_master where type in ('table', 'view') and name not like 'sqlite_%' order by name"
    return [row[0] for row in conn.execute(sql)]


def connect_read(path: Path, where: str, wait: float) -> sqlite3.Connection:
    """A connection that never writes, even in a read-only folder (see the module docstring)."""
    uri = path.absolute().as_uri()
    conn = _probe(sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=wait))
    if conn is not None:
        return conn
    wal = Path(f"{path}-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        raise StoreError(f"{where}: its folder is read-only and {wal.name} holds writes not yet in the"
                         " database file: open the store once where its folder can be written")
    immutable = sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None, timeout=wait)
    immutable.execute("select count(*) from sqlite_master").fetchone()
    return immutable


def _probe(conn: sqlite3.Connection) -> sqlite3.Connection | None:
    """`conn` once a first read worked; None when it needs a write where none is possible."""
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
            return None
        raise
    return conn


def failure(exc: sqlite3.Error, where: str) -> TeamMemoryError:
    """The one-line error for a driver error on the SQLite store `where`."""
    text = " ".join(str(exc).split())
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return InputError(where, f"not a SQLite database ({text})")
    if code == sqlite3.SQLITE_READONLY:
        return StoreError(f"{where}: cannot be written ({text}): the file and its folder must be writable")
    return StoreError(f"{where}: {text}")
