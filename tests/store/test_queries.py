"""Named queries: the file format, the declared slots, and every agent query run on both backends."""

from __future__ import annotations

import re
from importlib import resources
from typing import NamedTuple

import pytest

from teammemory.agents import paths
from teammemory.errors import StoreError
from teammemory.store import Store, queries

SQL_PACKAGE = "teammemory.agents.sql"


def test_a_file_splits_into_named_queries_with_their_docs_and_slots() -> None:
    text = """-- header comment, no query yet

-- name: first-one
-- What it returns.
select 1 as x;

-- name: with-list
-- Rows for some keys.
-- slot: keys  an in-list
select key from t where key in ({keys})
"""
    got = queries.parse(text, where="x.sql")
    assert list(got) == ["first-one", "with-list"]
    assert got["first-one"].sql == "select 1 as x" and got["first-one"].doc == "What it returns."
    assert got["first-one"].slots == () and got["first-one"].text == "select 1 as x"
    assert got["with-list"].slots == ("keys",)
    assert got["with-list"].fill(keys=":a, :b") == "select key from t where key in (:a, :b)"


@pytest.mark.parametrize(("text", "message"), [
    ("select 1", "SQL before the first '-- name:' line"),
    ("-- name: a\nselect 1\n-- name: a\nselect 2", "defined twice"),
    ("-- name: a\n-- only a comment", "has no SQL"),
    ("-- name: a\nselect * from t where k in ({keys})", r"uses slots \['keys'\] but declares \[\]"),
    ("-- name: a\n-- slot: keys  a list\nselect 1", r"uses slots \[\] but declares \['keys'\]"),
])
def test_malformed_files_are_refused_naming_the_file_and_query(text: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        queries.parse(text, where="x.sql")


def test_slots_must_be_filled_and_a_query_with_slots_does_not_run_unfilled() -> None:
    q = queries.parse("-- name: a\n-- slot: keys  a list\nselect 1 where 1 in ({keys})", where="x.sql")["a"]
    with pytest.raises(StoreError, match="slots"):
        q.fill()
    with pytest.raises(StoreError, match="fill them first"):
        _ = q.text


def test_in_list_chunks_sorted_distinct_values() -> None:
    parts = queries.in_list(["b", "a", "b"] + [f"x{i:04}" for i in range(queries.CHUNK)], "k")
    assert len(parts) == 2
    marks, params = parts[0]
    assert marks.startswith(":k0, :k1") and params["k0"] == "a" and params["k1"] == "b"
    assert sum(len(p) for _, p in parts) == queries.CHUNK + 2


class One(NamedTuple):
    x: int


def test_fetch_checks_the_columns_against_the_row_type(store: Store) -> None:
    with store.read() as db:
        assert db.fetch("select 1 as x", One) == [One(1)]
        assert db.fetch_one("select 1 as x where 1 = 0", One) is None
        with pytest.raises(StoreError, match=r"returns columns \('y',\), One has \('x',\)"):
            db.fetch("select 1 as y", One)


# Values for every parameter name the agent queries bind (a new name must be added here).
PARAMS: dict[str, object] = {
    "path": "src/a.py", "repo": "r", "component": "auth", "since": 0, "now": 2**40, "n": 5, "number": 1,
    "key": "PROJ-1", "skip_repo": "", "skip_number": -1, "examples": 5, "limit": 5, "at": 0, "until": 2**40,
    "hash": "abc", "login": "x", "name": "x", "email": "x@example.com", "project": "PROJ",
    "kind": "issue", "ref": "PROJ-1", "prefix": "ab%",  # text_search.sql, similar.sql
    "root": 1, "max": 30, "least": 1, "level": "pr",  # lineage.sql
    "k1": 1.2, "b": 0.75, "avgdl": 10.0,  # text_search.sql's BM25
}
_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def _agent_queries() -> list[tuple[str, queries.Query]]:
    files = sorted(e.name for e in resources.files(SQL_PACKAGE).iterdir() if e.name.endswith(".sql"))
    return [(f, q) for f in files for q in queries.load(SQL_PACKAGE, f).values()]


def _filled(q: queries.Query) -> tuple[str, dict[str, object]]:
    parts: dict[str, str] = {}
    params: dict[str, object] = {}
    for slot in q.slots:
        if slot == "terms":  # text_search.sql's (term, idf) pairs
            parts[slot], params["w0"], params["i0"] = "(:w0, :i0)", "token", 1.5
        elif slot == "target":
            parts[slot], spans = paths.spans_cte([paths.PathSpan("r", "src/a.py", paths.FOREVER, "src/a.py")])
            params.update(spans)
        else:  # an in-list: one value, a string (both backends cast an untyped string to the column's type)
            parts[slot], params[f"{slot}_0"] = f":{slot}_0", "1"
    return q.fill(**parts), params


def test_role_lists_in_agent_sql_are_credited_roles() -> None:
    """The roles a commit credits work in are defined once (model.CREDITED_ROLES); SQL that
    filters commit_people by role names only those."""
    from teammemory.model import CREDITED_ROLES

    for file, q in _agent_queries():
        for listed in re.findall(r"role in \(([^)]*)\)", q.sql):
            roles = {r.strip().strip("'") for r in listed.split(",")}
            assert roles <= set(CREDITED_ROLES), f"{file}: {q.name}: {sorted(roles)}"


@pytest.mark.parametrize(("file", "query"), _agent_queries(), ids=lambda v: getattr(v, "name", v))
def test_every_agent_query_runs_on_both_backends(store: Store, file: str, query: queries.Query) -> None:
    sql, params = _filled(query)
    names = set(_PARAM.findall(queries._without_comments(sql)))
    missing = names - set(PARAMS) - set(params)
    assert not missing, f"{file}: {query.name}: add values for {sorted(missing)} to PARAMS"
    with store.read() as db:
        db.all(sql, **{k: PARAMS[k] for k in names if k in PARAMS}, **{k: v for k, v in params.items() if k in names})
