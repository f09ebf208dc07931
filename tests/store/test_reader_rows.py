"""Reader.rows: `fetch`'s rows as plain tuples, columns checked, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from teammemory.errors import StoreError
from teammemory.store import Store

SQL = ("select n, label from (select 2 as n, 'b' as label union all select 1 as n, 'a' as label"
       " union all select 3 as n, 'c' as label) t where n >= :least order by n")


class NumberRow(NamedTuple):
    n: int
    label: str


def test_rows_are_fetchs_rows_as_plain_tuples(store: Store) -> None:
    with store.read() as db:
        rows = db.rows(SQL, NumberRow._fields, least=2)
        fetched = db.fetch(SQL, NumberRow, least=2)
    assert rows == [(2, "b"), (3, "c")]
    assert [type(r) for r in rows] == [tuple, tuple]  # no NamedTuple built per row
    assert rows == [tuple(r) for r in fetched]


def test_rows_refuses_columns_that_differ(store: Store) -> None:
    with store.read() as db, pytest.raises(StoreError, match=r"returns columns \('n', 'label'\), expected"):
        db.rows(SQL, ("label", "n"), least=1)
