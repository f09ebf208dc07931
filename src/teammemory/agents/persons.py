"""The person behind an account, read from the store's one definition (the `persons` view).

Identity resolution groups accounts into people; `persons` gives each account its person key,
name and bot flag (store/migrations/0003_persons.sql says how). Agents that fold accounts into
people in Python read them here, a few keys at a time; agents that do it in SQL join `persons`
in their own named queries. Nothing else decides who someone is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents.evidence import Person
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "persons.sql")


class PersonRow(NamedTuple):
    account_key: str
    person_key: str
    person_name: str
    is_bot: int


@dataclass(frozen=True)
class Who:
    """The person behind one account, and whether that person is a bot."""

    person: Person
    is_bot: bool


def lookup(db: Reader, account_keys: Iterable[str]) -> dict[str, Who]:
    """account key -> Who, for these accounts (keys the store holds no account for are left out:
    `who` makes them their own person)."""
    return {r.account_key: _who(r) for r in _rows(db, "accounts", account_keys)}


def lookup_persons(db: Reader, person_keys: Iterable[str]) -> dict[str, Who]:
    """person key -> Who, for these people."""
    return {r.person_key: _who(r) for r in _rows(db, "people", person_keys)}


def who(people: dict[str, Who], account_key: str) -> Who:
    """The Who of an account key; an account the store does not hold is its own (human) person."""
    return people.get(account_key) or Who(Person(account_key, account_key), False)


def person_keys(people: dict[str, Who], account_keys: Iterable[str | None]) -> set[str]:
    """Person keys behind some account keys (None skipped)."""
    return {who(people, k).person.key for k in account_keys if k}


def _who(r: PersonRow) -> Who:
    return Who(Person(r.person_key, r.person_name), bool(r.is_bot))


def _rows(db: Reader, name: str, keys: Iterable[str]) -> list[PersonRow]:
    out: list[PersonRow] = []
    for marks, params in queries.in_list(keys, "k"):
        out += db.fetch(Q[name].fill(keys=marks), PersonRow, **params)
    return out
