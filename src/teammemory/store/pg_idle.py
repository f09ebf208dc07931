"""PostgreSQL connections a Store keeps between its transactions, to use again.

A connection is a server process that starts with cold caches: ~5 ms of server CPU to start it and
~4 ms more for the first catalog lookups, plus the round trips (far more over TLS to a remote
server). The API and the dashboard run every request on one Store, and an ingest opens several
transactions in a row; each of them paid that again. A connection handed back is left as a new
one would be: its transaction ended (a read's is rolled back) and its prepared statements
deallocated (psycopg does so on every rollback, in the server and in its own cache), so a schema
another process changed in between is not run against stale plans. TeamMemory keeps no other
session state: its locks and settings are the transaction's own (store/locks.py), and it makes no
temporary tables. One taken is checked with a query that opens its
transaction; a connection the server closed meanwhile is dropped and the next one (or a new
connection) is used. A connection that saw an error is closed, never kept. A forked child never
uses its parent's connections (it would share their sockets).
"""

from __future__ import annotations

import os
import threading
from typing import Any

KEEP = 4  # idle connections kept per Store: a server's concurrent requests, beyond that they close


class IdleConnections:
    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def take(self, readonly: bool) -> Any | None:
        """An idle connection, its (read-only or not) transaction begun; None when none is usable."""
        import psycopg

        while True:
            with self._lock:
                if self._pid != os.getpid():
                    self._idle, self._pid = [], os.getpid()
                if not self._idle:
                    return None
                conn = self._idle.pop()
            try:
                conn.read_only = readonly
                conn.execute("select 1")  # begins the transaction, and finds a connection the server closed
                return conn
            except psycopg.Error:
                conn.close()

    def give(self, conn: Any) -> None:
        """Keep `conn` (after a block that ended without an error) for the next transaction."""
        import psycopg

        try:
            if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                conn.execute("select 1")  # a committed write: a transaction for the rollback below
            conn.rollback()  # ends a read's transaction; psycopg deallocates its prepared statements
        except psycopg.Error:
            conn.close()
            return
        with self._lock:
            if self._pid == os.getpid() and len(self._idle) < self.keep:
                self._idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            mine = self._pid == os.getpid()
        for conn in idle if mine else ():
            conn.close()
