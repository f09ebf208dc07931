"""What a store's schema is, read back from the database itself, the same shape on both backends.

`schema_of(db)` gives every table (its columns: name, type, nullability, default, primary-key
position), every index (name, table, columns, uniqueness, partial-index condition) and every
view (its columns and definition). Two stores built by different paths — a fresh one, and an old
one brought up to date — have the same schema exactly when their `schema_of` are equal.

SQLite: `sqlite_master`, `pragma table_info`, `index_list`, `index_info`. PostgreSQL:
`information_schema.tables/columns/views` and `pg_indexes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from teammemory.store import Reader


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    not_null: bool
    default: str | None
    pk: int  # position in the primary key, 0 when not part of it


@dataclass(frozen=True)
class Index:
    table: str
    columns: tuple[str, ...]  # column names; an expression as written, e.g. 'lower(component)'
    unique: bool
    where: str  # the partial index's condition, '' for a full index


@dataclass(frozen=True)
class Schema:
    tables: dict[str, tuple[Column, ...]] = field(default_factory=dict)
    indexes: dict[str, Index] = field(default_factory=dict)
    views: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)  # columns, definition


def schema_of(db: Reader) -> Schema:
    return _sqlite(db) if db.dialect == "sqlite" else _postgresql(db)


def _norm(sql: str | None) -> str:
    """SQL text compared without letter case, extra blanks or `--` comments."""
    text = " ".join(line.split("--", 1)[0] for line in (sql or "").splitlines())
    text = re.sub(r"\s+", " ", text.lower()).strip()
    return re.sub(r"\s*([(),=<>])\s*", r"\1", text)


def _sqlite(db: Reader) -> Schema:
    schema = Schema()
    objects = db.all("select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%'"
                     " order by name")
    for obj in (o for o in objects if o["type"] in ("table", "view")):
        info = db.all(f"pragma table_info(\"{obj['name']}\")")
        columns = tuple(Column(c["name"], c["type"].lower(), bool(c["notnull"]), c["dflt_value"], c["pk"])
                        for c in info)
        if obj["type"] == "table":
            schema.tables[obj["name"]] = columns
            for index in db.all(f"pragma index_list(\"{obj['name']}\")"):
                schema.indexes[index["name"]] = _sqlite_index(db, obj["name"], index, objects)
        else:
            body = _norm(obj["sql"]).partition(" as ")[2]
            schema.views[obj["name"]] = (tuple(c.name for c in columns), body)
    return schema


def _sqlite_index(db: Reader, table: str, index: dict[str, Any], objects: list[dict[str, Any]]) -> Index:
    sql = next((o["sql"] for o in objects if o["type"] == "index" and o["name"] == index["name"]), None)
    words, where = _index_key(_norm(sql)) if sql else ([], "")  # a primary key's index has no SQL
    info = db.all(f"pragma index_info(\"{index['name']}\")")
    columns = tuple(c["name"] if c["name"] is not None else words[c["seqno"]] for c in info)
    return Index(table, columns, bool(index["unique"]), where)


def _index_key(sql: str) -> tuple[list[str], str]:
    """`create index x on t(a,lower(b)) where c=''` -> (['a', 'lower(b)'], "c=''")."""
    rest = sql.partition(" on ")[2]
    rest = rest[rest.index("("):]
    end = _close(rest)
    return _split_top(rest[1:end]), _strip_parens(rest[end + 1:].strip().removeprefix("where").strip())


def _split_top(text: str) -> list[str]:
    """`a,lower(b),c` -> ['a', 'lower(b)', 'c']: commas outside parentheses."""
    out, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
            continue
        depth += (ch == "(") - (ch == ")")
        current += ch
    return out + [current.strip()] if current.strip() else out


def _postgresql(db: Reader) -> Schema:
    schema = Schema()
    kinds = {r["table_name"]: r["table_type"] for r in db.all(
        "select table_name, table_type from information_schema.tables where table_schema = current_schema()")}
    columns: dict[str, list[Column]] = {}
    for c in db.all("select table_name, column_name, data_type, is_nullable, column_default"
                    " from information_schema.columns where table_schema = current_schema()"
                    " order by table_name, ordinal_position"):
        columns.setdefault(c["table_name"], []).append(
            Column(c["column_name"], c["data_type"], c["is_nullable"] == "NO", c["column_default"], 0))
    for row in db.all("select indexname, tablename, indexdef from pg_indexes where schemaname = current_schema()"):
        sql = _norm(row["indexdef"])  # create [unique] index x on public.t using btree(a,b) where(...)
        words, where = _index_key(sql)
        schema.indexes[row["indexname"]] = Index(row["tablename"], tuple(words), sql.startswith("create unique"),
                                                 where)
    pk = {(i.table, col): n + 1 for name, i in schema.indexes.items() if name.endswith("_pkey")
          for n, col in enumerate(i.columns)}
    for table, cols in columns.items():
        cols = [Column(c.name, c.type, c.not_null, c.default, pk.get((table, c.name), 0)) for c in cols]
        if kinds.get(table) == "BASE TABLE":
            schema.tables[table] = tuple(cols)
    for v in db.all("select table_name, view_definition from information_schema.views"
                    " where table_schema = current_schema()"):
        schema.views[v["table_name"]] = (tuple(c.name for c in columns[v["table_name"]]),
                                         _norm(v["view_definition"]))
    return schema


def _strip_parens(text: str) -> str:
    """`(a=1)` -> `a=1`; `(a) and (b)` stays as it is."""
    while text.startswith("(") and _close(text) == len(text) - 1:
        text = text[1:-1]
    return text


def _close(text: str) -> int:
    """Where the parenthesis opening `text` closes (-1 when it does not)."""
    depth = 0
    for at, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return at
    return -1
