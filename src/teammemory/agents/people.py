"""Shared by the agents: who an identity is, whether it is a bot, and where a path used to live.

A person is `coalesce(identities.developer_key, identities.key)`: identity resolution groups
accounts into developers, and an account it could not place still counts as its own person
(SortingHat keeps unmatched identities too). A person is a bot when its developer is marked as
one or any of its accounts is. Path lineage follows `commit_files.old_path` backwards, the way
`git log --follow` does, so history from before a rename still counts for the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from teammemory.agents.evidence import Person
from teammemory.store import Reader

FOREVER = 2**62  # an `until` later than any commit: the path as it is now

PEOPLE_SQL = """
select i.key, coalesce(i.developer_key, i.key) as person_key, i.is_bot as identity_bot,
       d.name as developer_name, d.is_bot as developer_bot,
       i.display_name, i.name, i.login, i.email
  from identities i
  left join developers d on d.key = i.developer_key
"""

RENAMES_SQL = """
select cf.old_path, max(c.committed_at) as renamed_at
  from commit_files cf
  join commits c on c.repo = cf.repo and c.hash = cf.hash
 where cf.repo = :repo and cf.path = :path and cf.old_path <> '' and cf.old_path <> cf.path
 group by cf.old_path
"""


@dataclass(frozen=True)
class Who:
    """The person behind one identity, and whether that person is a bot."""

    person: Person
    is_bot: bool


@dataclass(frozen=True)
class PathSpan:
    """`path` in `repo` counts for `root` up to `until` (committed_at of the rename away from it)."""

    repo: str
    path: str
    until: int
    root: str


def directory(db: Reader) -> dict[str, Who]:
    """identity key -> Who, for every identity in the store (one query, then pure grouping)."""
    return _group(db.all(PEOPLE_SQL))


def _group(rows: Iterable[dict[str, Any]]) -> dict[str, Who]:
    """Pure: a person's name is their developer's, else the label of their first account by key;
    a person is a bot when the developer or any of their accounts is."""
    rows = list({r["key"]: r for r in rows}.values())
    names: dict[str, str] = {}
    bots: set[str] = set()
    for r in sorted(rows, key=lambda r: r["key"]):
        pk = r["person_key"]
        label = r["display_name"] or r["name"] or r["login"] or r["email"] or r["key"]
        names.setdefault(pk, r["developer_name"] or label)
        if r["identity_bot"] or r["developer_bot"]:
            bots.add(pk)
    return {r["key"]: Who(Person(r["person_key"], names[r["person_key"]]), r["person_key"] in bots)
            for r in rows}


LOOKUP_SQL = PEOPLE_SQL + """
 where coalesce(i.developer_key, i.key) in (
       select coalesce(j.developer_key, j.key) from identities j where j.key in ({keys}))"""
CHUNK = 500  # keys per query: far below every backend's parameter limit


def lookup(db: Reader, identity_keys: Iterable[str]) -> dict[str, Who]:
    """`directory` for just the people behind these identity keys (all of their accounts, so names
    and bot flags come out exactly as `directory` gives them) without reading every identity."""
    return _group(chunked(db, LOOKUP_SQL, identity_keys))


PERSONS_SQL = PEOPLE_SQL + " where coalesce(i.developer_key, i.key) in ({keys})"


def lookup_persons(db: Reader, person_keys: Iterable[str]) -> dict[str, Who]:
    """person key -> Who, for just these people (a key the store has no account for: its own person)."""
    found = _group(chunked(db, PERSONS_SQL, person_keys))
    return {w.person.key: w for w in found.values()}


def chunked(db: Reader, sql: str, keys: Iterable[str], **more: object) -> list[dict[str, Any]]:
    """`sql` with `{keys}` bound to each slice of CHUNK sorted keys (and `more` parameters as they
    are); the rows of all slices."""
    ordered = sorted(set(keys))
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ordered), CHUNK):
        params = {f"k{i}": k for i, k in enumerate(ordered[start:start + CHUNK])}
        rows += db.all(sql.format(keys=", ".join(f":{p}" for p in params)), **params, **more)
    return rows


def who(people: dict[str, Who], identity_key: str) -> Who:
    """The Who of an identity key; an identity the store does not hold is its own (human) person."""
    return people.get(identity_key) or Who(Person(identity_key, identity_key), False)


def person_keys(people: dict[str, Who], identity_keys: Iterable[str | None]) -> set[str]:
    """Person keys behind some identity keys (None skipped)."""
    return {who(people, k).person.key for k in identity_keys if k}


def file_repos(db: Reader, path: str, repo: str | None = None) -> list[str]:
    """Repositories whose history holds `path` (all, or just `repo`), sorted."""
    rows = db.all("select repo from files where path = :path", path=path)
    return sorted({r["repo"] for r in rows if repo is None or r["repo"] == repo})


def lineage(db: Reader, path: str, repos: Iterable[str]) -> tuple[PathSpan, ...]:
    """`path` in each repo plus every earlier name it had, each bounded by its rename time."""
    spans: dict[tuple[str, str], int] = {}
    todo = [(r, path, FOREVER) for r in repos]
    while todo:
        repo, p, until = todo.pop()
        if spans.get((repo, p), -1) >= until:
            continue
        spans[(repo, p)] = until
        for r in db.all(RENAMES_SQL, repo=repo, path=p):
            todo.append((repo, r["old_path"], min(until, int(r["renamed_at"]))))
    return tuple(PathSpan(repo, p, until, path) for (repo, p), until in sorted(spans.items()))


def spans_cte(spans: Iterable[PathSpan]) -> tuple[str, dict[str, object]]:
    """`target(repo, path, until_at, root)` as a CTE over literal spans, and its parameters."""
    parts: list[str] = []
    params: dict[str, object] = {}
    for i, s in enumerate(spans):
        parts.append(f"select cast(:r{i} as text), cast(:p{i} as text), cast(:u{i} as bigint),"
                     f" cast(:o{i} as text)")
        params.update({f"r{i}": s.repo, f"p{i}": s.path, f"u{i}": s.until, f"o{i}": s.root})
    return "target(repo, path, until_at, root) as (" + " union all ".join(parts) + ")", params


COMPONENT_CTE = f"""target(repo, path, until_at, root) as (
    select f.repo, f.path, {FOREVER}, f.path from files f where f.component = :component)"""


def components(db: Reader) -> list[str]:
    """Every component name files are assigned to, sorted (for lookups and NotFound hints)."""
    return sorted({r["component"] for r in db.all("select distinct component from files") if r["component"]})


def all_paths(db: Reader) -> list[str]:
    """Every path the store knows, sorted (for NotFound hints)."""
    return sorted({r["path"] for r in db.all("select distinct path from files")})
