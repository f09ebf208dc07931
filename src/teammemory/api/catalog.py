"""What the store holds, listed for browsing: components with their sizes, and one developer.

The developer listing itself is `identity.people.list_developers` (what `teammemory identities`
prints); this module adds the lookups the CLI has no command for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents.evidence import not_found
from teammemory.identity.people import DeveloperView, list_developers
from teammemory.store import Reader, queries

Q = queries.load("teammemory.api.sql", "api.sql")


class SizeRow(NamedTuple):
    component: str
    files: int
    repos: int


@dataclass(frozen=True)
class Component:
    name: str
    files: int
    repos: int


@dataclass(frozen=True)
class Components:
    components: tuple[Component, ...]  # sorted by name


def list_components(db: Reader) -> Components:
    """Every component files are assigned to, with how many files and repositories it spans."""
    rows = db.fetch(Q["component-sizes"], SizeRow)
    return Components(tuple(Component(r.component, int(r.files), int(r.repos))
                            for r in sorted(rows, key=lambda r: r.component)))


def developer(db: Reader, key: str) -> DeveloperView:
    """The developer with this key and their accounts; NotFound with close keys otherwise."""
    everyone = list_developers(db).developers
    for d in everyone:
        if d.key == key:
            return d
    raise not_found("developer", key, [d.key for d in everyone])
