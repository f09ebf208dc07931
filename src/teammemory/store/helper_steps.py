"""Derive steps run by helper processes on the other core, into side files copied in at the end.

A first ingest of a long history spends most of its derive time on one core while the other one
idles (bench/RESULTS.md, whole-process ingest: BookKeeper's lineage ~1.3-2.3 s and text index
~1.0-1.8 s after a git phase that already keeps both cores busy). These two steps read only what
the git phase and the component rules wrote and write only tables of their own, so they can run
beside derive's other steps: each in a helper process that reads the store as committed so far
and writes its tables into a side file of their exact schema. The ingest then copies the side
files' tables in (`insert into t select * from side.t`, which SQLite carries out as a page copy
when the table is empty: ~0.4 s for BookKeeper's 25 MB), in its own transaction.

This needs the rows committed where another process can read them, which the one-transaction
rule forbids in a store someone may read: so helpers serve only a store built in a private file
(store/fresh_build.py), and only steps whose tables are still empty there (a first ingest's):
the same function over the same rows then writes the same rows as it would in-process.

A helper is a new interpreter (`python -c`, ~0.14 s with its imports), started only once the
history is known to be long enough (MIN_COMMITS): never a fork of the ingest, whose open SQLite
connection and threads a child must not inherit. It reports by its exit status; its traceback
goes to a temporary file and the first line of the ingest's error names its last line.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import teammemory
from teammemory.errors import StoreError
from teammemory.store import Writer, lineage, text_index

# step -> (the derive function, the tables it writes and alone reads back)
STEPS: dict[str, tuple[Callable[[Writer], object], tuple[str, ...]]] = {
    "lineage": (lineage.refresh, (*lineage.TABLES, "lineage_keysets")),
    "text_index": (text_index.refresh, ("text_docs", "text_terms", "text_df", "text_fts")),
}
# The indexes a step reads its own rows through while it runs (lineage's PR and issue sets join
# file_lineage by commit); its tables' other indexes are built once its rows are in: one sorted
# build instead of an insert into each index per row (100,000 bench commits, CPU of the step:
# text index 10.1-10.4 -> 8.3-8.8 s, lineage 11.1-13.7 -> 9.6-11.6 s; the same rows in the same order).
USED_DURING: dict[str, tuple[str, ...]] = {"lineage": ("file_lineage_commit",), "text_index": ()}
MIN_COMMITS = 1000  # below this a step costs less in-process than a helper's start and its copy
CHILD = "from teammemory.store.helper_steps import main; main()"
POLL = 0.01  # seconds between looks at the helpers while the ingest waits for the first one


@dataclass
class _Running:
    process: subprocess.Popen[bytes]
    log: IO[bytes]


@dataclass
class Helpers:
    """The helpers of the store being built at `path` (a private file, store/fresh_build.py)."""

    path: Path
    running: dict[str, _Running] = field(default_factory=dict)
    copied: list[str] = field(default_factory=list)  # side files attached to the build's connection

    def side(self, step: str) -> Path:
        return self.path.with_name(f"{self.path.name}.{step}")

    def start(self, db: Writer, steps: tuple[str, ...] = tuple(STEPS)) -> set[str]:
        """Commit what `db` wrote (it goes on in a new transaction) and hand each of `steps` whose
        tables are still empty to a helper; returns the steps handed over (derive runs the
        others itself). Nothing is handed over for a history shorter than MIN_COMMITS."""
        if int(db.scalar("select count(*) as n from commits") or 0) < MIN_COMMITS:
            return set()
        handed = {step for step in steps if step not in self.running
                  and all(_empty(db, table) for table in STEPS[step][1])}
        if not handed:
            return set()
        db.commit_point()
        for step in sorted(handed):
            self.side(step).unlink(missing_ok=True)
            log = tempfile.TemporaryFile()
            try:
                process = subprocess.Popen([sys.executable, "-c", CHILD, step, str(self.path), str(self.side(step))],
                                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                           env=_env())
            except BaseException:
                log.close()
                raise
            self.running[step] = _Running(process, log)
        return handed

    def finish(self, db: Writer, handed: set[str]) -> None:
        """Copy the handed steps' tables in, each as soon as its helper is done (the first one's
        copy overlaps the other's work): commit `db`, attach the side file, copy. A helper's
        failure is raised here (the private build is then discarded)."""
        pending = set(handed)
        while pending:
            done = sorted(step for step in pending if self.running[step].process.poll() is not None)
            if not done:
                time.sleep(POLL)
                continue
            for step in done:
                self._check(step)

            def attach(conn: sqlite3.Connection, done: list[str] = done) -> None:  # not in a transaction
                for step in self.copied:  # copied before: done with (an unlinked file may not stay attached)
                    conn.execute(f"detach database side_{step}")
                    self.side(step).unlink()
                self.copied.clear()
                for step in done:
                    conn.execute(f"attach database ? as side_{step}", (str(self.side(step)),))

            db.commit_point(between=attach)  # the helpers still running read their own snapshot
            for step in done:
                _copy_in(db, f"side_{step}", STEPS[step][1])
            self.copied.extend(done)  # the last ones stay attached to the end: close() removes them
            pending -= set(done)

    def _check(self, step: str) -> None:
        run = self.running.pop(step)
        code = run.process.wait()
        run.log.seek(0)
        said = run.log.read().decode("utf-8", "replace").strip().splitlines()
        run.log.close()
        if code != 0:
            raise StoreError(f"the {step} helper of this ingest failed (exit status {code}): "
                             f"{said[-1] if said else 'it said nothing'}")

    def close(self) -> None:
        """Stop the helpers still running (an ingest that failed) and remove the side files."""
        for run in self.running.values():
            if run.process.poll() is None:
                run.process.kill()
            run.process.wait()
            run.log.close()
        self.running.clear()
        for step in STEPS:
            self.side(step).unlink(missing_ok=True)


def _env() -> dict[str, str]:
    """The ingest's environment, with the folder this `teammemory` was imported from first on the
    path when it is a source tree (a checkout, `PYTHONPATH=old/src`), so the helper runs the same code."""
    env = dict(os.environ)
    root = Path(teammemory.__file__).resolve().parent.parent
    if not {"site-packages", "dist-packages"} & set(root.parts):
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    return env


def main() -> None:
    """A helper: `python -c CHILD <step> <store> <side>`; exit status 0 when its tables are written."""
    step, store, side = sys.argv[1:4]
    try:
        run_step(step, Path(store), Path(side))
    except BaseException:  # noqa: BLE001 - the ingest reads it from the log and raises
        traceback.print_exc()
        sys.exit(1)


def run_step(step: str, store: Path, side: Path) -> None:
    """Run `step` with `side` as its database and the store attached read-only: SQLite looks an
    unqualified table up in the main database first, so the step's own tables are the side's
    (created empty, as in the store) and every other table is the store's. Indexes the step
    does not read through (USED_DURING) are made after it."""
    run, tables = STEPS[step]
    conn = sqlite3.connect(side.absolute().as_uri(), uri=True, isolation_level=None)
    conn.row_factory = sqlite3.Row  # as the store's own connections (sqlite_file.connect)
    try:
        conn.execute("pragma journal_mode = off")  # a scratch file: a failure discards it
        conn.execute("pragma synchronous = off")
        conn.execute("pragma cache_size = -65536")
        conn.execute("attach database ? as store", (f"{store.absolute().as_uri()}?mode=ro",))
        conn.execute("pragma store.cache_size = -65536")  # each database has its own cache
        schema = _schema(conn, tables)
        later = [sql for kind, name, sql in schema if kind == "index" and name not in USED_DURING[step]]
        for sql in (sql for _, _, sql in schema if sql not in later):
            conn.execute(sql)
        conn.execute("begin")  # one read snapshot of the store for the whole step, whatever commits meanwhile
        run(Writer(conn, "sqlite"))
        for sql in later:
            conn.execute(sql)
        conn.execute("commit")
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection, tables: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """The store's (type, name, statement) that create `tables` and their indexes, tables first
    (an FTS5 table creates its own shadow tables; a key's own index comes with its table)."""
    marks = ", ".join("?" for _ in tables)
    rows = conn.execute(f"select type, name, sql from store.sqlite_master where tbl_name in ({marks})"
                        " and sql is not null and type in ('table', 'index') order by type = 'index', name",
                        tables).fetchall()
    return [(str(kind), str(name), str(sql)) for kind, name, sql in rows]


def _empty(db: Writer, table: str) -> bool:
    return db.scalar(f"select count(*) as n from (select 1 from {table} limit 1)") == 0


def _copy_in(db: Writer, side: str, tables: tuple[str, ...]) -> None:
    """Copy a side file's tables into the store's empty ones. An FTS5 table is copied as its
    shadow tables (its own content, made by the same SQLite), replacing the blank index's rows."""
    for table in tables:
        sql = str(db.scalar(f"select sql from {side}.sqlite_master where name = :t", t=table))
        if sql.upper().startswith("CREATE VIRTUAL"):
            names = db.all(f"select name from {side}.sqlite_master where type = 'table'")
            shadows = sorted(str(r["name"]) for r in names if str(r["name"]).startswith(f"{table}_"))
            for shadow in shadows:
                db.execute(f"delete from main.{shadow}")
                db.execute(f"insert into main.{shadow} select * from {side}.{shadow}")
        else:
            db.execute(f"insert into main.{table} select * from {side}.{table}")
