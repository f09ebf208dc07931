"""Dump a store's data as sorted text, so two ingests of one history can be diffed row by row.

    python bench/store_diff.py dump  before.db > before.txt      # or a postgresql:// URL
    python bench/store_diff.py ingest <clone> before.txt          # fresh SQLite store, ingest, dump
    python bench/store_diff.py diff before.txt after.txt          # exit 1 and a unified diff if they differ

The proof that an ingest-speed change stores exactly what it stored before: ingest a real
history with the old code and the new, dump both, diff. Every table of the schema is dumped
(schema_migrations' times aside), each row as its repr'd tuple in the table's declared column
order, rows sorted, so row order and rowids never matter. Values that name the moment or the run
(ingest_runs' ids and times, cursors' and repositories' update times) differ on every run and are
blanked; everything else must match.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]

from teammemory.store import Reader, Store  # noqa: E402

VOLATILE = {  # table -> columns that change from run to run by design
    "ingest_runs": {"run_id", "started_at", "finished_at"},
    "cursors": {"updated_at"},
    "repositories": {"ingested_at"},
    "schema_migrations": {"applied_at"},
}


def tables(db: Reader) -> list[str]:
    if db.dialect == "sqlite":
        rows = db.all("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
    else:
        rows = db.all("select table_name as name from information_schema.tables where table_schema = current_schema()")
    return sorted(str(r["name"]) for r in rows)


def dump(db: Reader) -> Iterator[str]:
    """`## table (columns)` then one sorted line per row, for every table."""
    for table in tables(db):
        if db.dialect == "sqlite" and table.endswith(("_data", "_idx", "_docsize", "_config", "_content")):
            continue  # an FTS5 index's shadow tables: internal pages, not data
        rows = db.all(f"select * from {table}")
        columns = list(rows[0]) if rows else []
        blank = VOLATILE.get(table, set())
        yield f"## {table} ({len(rows)} rows) {', '.join(columns)}"
        yield from sorted(repr(tuple("*" if c in blank else _plain(r[c]) for c in columns)) for r in rows)


def _plain(value: object) -> object:
    """Driver differences that are not data differences (bytes vs memoryview)."""
    return bytes(value) if isinstance(value, memoryview) else value


def write_dump(url: str, out: Path | None) -> None:
    with Store.open(url).read() as db:
        text = "\n".join(dump(db)) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text)


def ingest_and_dump(clone: Path, out: Path, python: str) -> None:
    """Ingest `clone` into a fresh SQLite store with `python` (the code under test), then dump it."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.db"
        subprocess.run([python, "-m", "teammemory", "--db", str(db), "ingest", "git", str(clone), "-q"], check=True)
        write_dump(str(db), out)


def diff(before: Path, after: Path) -> int:
    a, b = before.read_text().splitlines(), after.read_text().splitlines()
    if a == b:
        print(f"same: {len(a)} lines")
        return 0
    sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(a, b, str(before), str(after), lineterm="", n=1))
    return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="dump a store (SQLite path or postgresql:// URL)")
    d.add_argument("store")
    d.add_argument("out", nargs="?", type=Path)
    i = sub.add_parser("ingest", help="ingest a clone into a fresh SQLite store and dump it")
    i.add_argument("clone", type=Path)
    i.add_argument("out", type=Path)
    i.add_argument("--python", default=sys.executable, help="the interpreter whose teammemory ingests")
    c = sub.add_parser("diff", help="compare two dumps")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        write_dump(args.store, args.out)
    elif args.command == "ingest":
        ingest_and_dump(args.clone, args.out, args.python)
    else:
        sys.exit(diff(args.before, args.after))


if __name__ == "__main__":
    main()
