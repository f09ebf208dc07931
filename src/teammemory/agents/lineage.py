"""What bus-factor and coupling read from the replay kept at ingest (store/lineage.py) instead of
replaying the history per question: only when `now` is at or after the newest commit (the kept
replay is the whole history; an earlier `now` replays, agents/file_history.py) and the replay's
components are those of the files now (a rule change not yet restated replays too).

Identity keys are folded into people here, per *set* of keys, so a commit with two accounts of
one person counts once for that person, exactly as the replay counts it. SQL: agents/sql/lineage.sql.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents import paths, persons
from teammemory.agents.bus_factor_score import Shares, authors
from teammemory.agents.evidence import Person
from teammemory.store import Reader, queries
from teammemory.store.queries import in_list

Q = queries.load("teammemory.agents.sql", "lineage.sql")


class CountRow(NamedTuple):
    n: int


class KeysetRow(NamedTuple):
    id: int
    authors: str


class AliveRow(NamedTuple):
    repo: str
    root: int
    path: str
    component: str
    recorded: str
    creators: int
    changes: str  # JSON [[keyset, changes], ...]


class ScopeRow(NamedTuple):
    repo: str
    scope: str
    keyset: int
    commits: int


@dataclass(frozen=True)
class FileFacts:
    repo: str
    root: int
    path: str
    component: str
    changes: int  # every change of the file (rows), as the replay's touches
    shares: Shares
    authors: frozenset[str]  # bus_factor_score.authors(shares), computed with them


@dataclass(frozen=True)
class BusFacts:
    files: list[FileFacts]  # the files that exist, by (repo, path)
    scopes: dict[tuple[str, str], dict[str, int]]  # (repo, '' or component) -> person key -> commits
    people: dict[str, Person]


def usable(db: Reader, now: int, repo: str | None) -> bool:
    """True when the kept replay answers for `now` (at or after the newest commit) and `repo`."""
    row = db.fetch_one(Q["replayed"], CountRow, repo=repo or "")
    return bool(row and row.n) and paths.sees_all(db, now)


class Folder:
    """Sets of identity keys (by number) -> the human people behind them (their keys, sorted)."""

    def __init__(self, db: Reader) -> None:
        sets = {int(r.id): r.authors.split() for r in db.fetch(Q["keysets"], KeysetRow)}
        who = persons.lookup(db, {k for keys in sets.values() for k in keys})
        self.people: dict[str, Person] = {}
        self.keys: dict[int, tuple[str, ...]] = {-1: ()}
        for id_, keys in sets.items():
            humans = {w.person.key: w.person for w in (persons.who(who, k) for k in keys) if not w.is_bot}
            self.people |= humans
            self.keys[id_] = tuple(sorted(humans))


def bus_facts(db: Reader, repo: str | None) -> BusFacts | None:
    """The bus factor's inputs, or None when the replay's components are stale."""
    alive = db.fetch(Q["alive-files"], AliveRow, repo=repo or "")
    if any(a.component != a.recorded for a in alive):
        return None
    fold = Folder(db)
    alive.sort(key=lambda a: (a.repo, a.path))
    changes = json.loads("[" + ",".join(a.changes for a in alive) + "]")  # one decode, not one per file
    files = [_file(a, c, fold.keys) for a, c in zip(alive, changes, strict=True)]
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    people: dict[str, Person] = {}
    for s in db.fetch(Q["scope-commits"], ScopeRow, repo=repo or ""):
        for p in fold.keys[s.keyset]:
            counts[(s.repo, s.scope)][p] += int(s.commits)
            people[p] = fold.people[p]
    return BusFacts(files, {k: dict(v) for k, v in counts.items()}, people)


def _file(a: AliveRow, kept: list[list[int]], keys: dict[int, tuple[str, ...]]) -> FileFacts:
    """One file's shares from its `changes` (decoded: [[keyset, changes], ...]): per person, the
    changes of commits they (co-)authored (DL), and its changes with a human author; its creators."""
    dl: dict[str, int] = {}
    total = changes = 0
    for keyset, n in kept:
        people = keys[keyset]
        changes += n
        if people:
            total += n
            for p in people:
                dl[p] = dl.get(p, 0) + n
    shares = Shares(frozenset(keys[a.creators]), dl, total)
    return FileFacts(a.repo, int(a.root), a.path, a.component, changes, shares, authors(shares))


class RootRow(NamedTuple):
    root: int


class SetRow(NamedTuple):
    label: str  # a commit's hash, a PR's 'repo#number', an issue key
    files: int
    at: int


class PartnerRow(NamedTuple):
    root: int
    path: str
    shared: int


class PairRow(NamedTuple):
    root: int
    label: str


class RevRow(NamedTuple):
    root: int
    n: int


class PathRow(NamedTuple):
    root: int
    path: str


class AtRow(NamedTuple):
    at: int | None


# per level: (the file's sets, the files sharing them, which sets they share), as lineage.sql names them
_LEVELS = {"commit": ("file-commits", "commit-partners", "commit-shared"),
           "pr": ("set-mine", "set-partners", "set-shared"), "issue": ("set-mine", "set-partners", "set-shared")}


def sets_usable(db: Reader, now: int) -> bool:
    """True when the kept PR and issue sets answer for `now` (at or after the newest PR)."""
    row = db.fetch_one(Q["newest-pr"], AtRow)
    return row is None or row.at is None or now >= row.at


def file_at(db: Reader, repo: str, path: str) -> int | None:
    """The file at `path` now, else the last file of that name; None for a name never seen."""
    row = db.fetch_one(Q["file-at"], RootRow, repo=repo, path=path)
    return None if row is None or row.root < 0 else int(row.root)


def sets_of(db: Reader, level: str, repo: str, root: int) -> list[SetRow]:
    """The change sets of `level` holding the file."""
    return db.fetch(Q[_LEVELS[level][0]], SetRow, repo=repo, root=root, level=level)


def partners(db: Reader, level: str, repo: str, root: int, max_files: int, least: int) -> list[PartnerRow]:
    """The existing files sharing at least `least` of the file's sets of `level` (of at most
    `max_files` files), with how many they share."""
    return db.fetch(Q[_LEVELS[level][1]], PartnerRow, repo=repo, root=root, max=max_files, least=least, level=level)


def shared(db: Reader, level: str, repo: str, root: int, mine: AbstractSet[str], max_files: int,
           roots: Iterable[int]) -> dict[int, list[str]]:
    """file -> the labels of its sets of `level` among `mine` (the sets of at most `max_files`
    files of the file they are coupled to), for these files."""
    out: dict[int, list[str]] = defaultdict(list)
    for marks, part in in_list(roots, "r"):
        for r in db.fetch(Q[_LEVELS[level][2]].fill(roots=marks), PairRow, repo=repo, root=root, max=max_files,
                          level=level, **part):
            if r.label in mine:
                out[int(r.root)].append(r.label)
    return out


def revisions(db: Reader, level: str, repo: str, roots: Iterable[int], max_files: int) -> dict[int, int]:
    """file -> its sets of `level` of at most `max_files` files."""
    out: dict[int, int] = {}
    for marks, part in in_list(roots, "r"):
        out |= {int(r.root): int(r.n) for r in db.fetch(Q["revisions"].fill(roots=marks), RevRow,
                                                        repo=repo, max=max_files, level=level, **part)}
    return out
