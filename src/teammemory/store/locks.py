"""One writer at a time on both backends, with a wait that is bounded and announced.

SQLite: `BEGIN IMMEDIATE` takes the file's write lock for the whole transaction.
PostgreSQL: every write transaction first takes a transaction-level advisory lock on the
database (`pg_advisory_xact_lock(WRITE)`), SQLite's lock made explicit; it is released by the
commit or rollback, so a killed process never leaves it behind. Without it, two first ingests
race to create the tables (`duplicate key ... pg_type_typname_nsp_index`), two ingests of one
repository insert the same new rows (`duplicate key ... component_commits`), and ingests of
two different sources deadlock while re-resolving identities and developers (seen with git,
Jira and GitHub ingests started at once): row locks alone cannot order them.

A writer may name a narrower lock to take first, e.g. an ingest its (source, target): while it
waits for that one, it can say what it is waiting for ("another ingest of git 'repo'").

Every wait first tries without blocking; only when the lock is taken does it announce itself
(a warning on stderr with the longest it will wait), then blocks at most `wait` seconds in all
and fails with a StoreError that says what still runs.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from teammemory.errors import StoreError

WAIT_SECONDS = 30.0  # the longest a writer waits for another one (both backends)
WRITE = "teammemory write"  # the store-wide writer lock (PostgreSQL)
ANYONE = "another process is writing to it (an ingest, seed, init-db or identities change)"
# hashlib and logging are imported where used: every question imports this module, few wait or
# take a PostgreSQL lock, and the two cost a process some 3 ms.


@dataclass(frozen=True)
class Lock:
    """A named PostgreSQL advisory lock and what holds it, as a waiter should say it."""

    name: str
    holder: str


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (advisory locks are per database)."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def begin_sqlite(conn: sqlite3.Connection, where: str, wait: float) -> None:
    """BEGIN IMMEDIATE: at once when the file is free, else announce and wait up to `wait` s."""
    conn.execute("pragma busy_timeout = 0")
    try:
        conn.execute("begin immediate")
    except sqlite3.OperationalError as exc:
        if not _busy(exc):
            raise
        _announce(where, ANYONE, wait)
        conn.execute(f"pragma busy_timeout = {int(wait * 1000)}")
        try:
            conn.execute("begin immediate")
        except sqlite3.OperationalError as again:
            if not _busy(again):
                raise
            raise StoreError(f"{where}: still locked after {wait:g} s: {ANYONE}; try again when it has"
                             " finished") from None
    conn.execute(f"pragma busy_timeout = {int(wait * 1000)}")


def _busy(exc: sqlite3.OperationalError) -> bool:
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def begin_pg(conn: Any, where: str, wait: float, first: Lock | None = None) -> None:
    """Take `first` (if any), then the store-wide writer lock, within `wait` seconds in all."""
    deadline = time.monotonic() + wait
    waited = False
    for lock in (first, Lock(WRITE, ANYONE)):
        if lock is not None:
            waited = _advisory(conn, lock, where, wait, deadline, announced=waited) or waited


def _advisory(conn: Any, lock: Lock, where: str, wait: float, deadline: float, *, announced: bool) -> bool:
    """Take `lock`; True when it had to wait (announced once per transaction)."""
    key = lock_key(lock.name)
    if _one(conn, "select pg_try_advisory_xact_lock(%s)", key):
        return False
    if not announced:
        _announce(where, lock.holder, wait)
    previous = _one(conn, "select current_setting('lock_timeout')")
    left = max(1, int((deadline - time.monotonic()) * 1000))
    _one(conn, "select set_config('lock_timeout', %s, true)", f"{left}ms")
    import psycopg

    try:
        _one(conn, "select pg_advisory_xact_lock(%s)::text", key)
    except psycopg.errors.LockNotAvailable:
        raise StoreError(f"{where}: still locked after {wait:g} s: {lock.holder}; try again when it has"
                         " finished") from None
    _one(conn, "select set_config('lock_timeout', %s, true)", previous)
    return True


def _announce(where: str, holder: str, wait: float) -> None:
    """Say that this process waits, and how long at most; with no wait at all, fail at once."""
    if wait <= 0:
        raise StoreError(f"{where}: locked: {holder}")
    import logging

    logging.getLogger(__name__).warning("%s: %s; waiting up to %g s", where, holder, wait)


def _one(conn: Any, sql: str, *params: Any) -> Any:
    row = conn.execute(sql, params).fetchone()
    return next(iter(row.values())) if isinstance(row, dict) else row[0]
