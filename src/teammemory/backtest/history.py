"""The history a backtest replays, read from the store once (backtest/sql/backtest.sql).

Commits come back with their files, co-authors and trailer reviewers; pull requests with their
files and submitted reviews. People are the `persons` view's person keys; bots are kept in the
history (their commits still change files) but flagged, so no scoring counts them and no answer
names them. Ordering is done in Python with a full key, so SQLite and PostgreSQL replay alike.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.store import Reader, queries

Q = queries.load("teammemory.backtest.sql", "backtest.sql")
MERGE_PR = re.compile(r"^Merge pull request #(\d+) from ")


class CommitRow(NamedTuple):
    repo: str
    hash: str
    at: int
    is_merge: int
    is_bug_fix: int
    parents: str
    subject: str
    person_key: str
    is_bot: int
    is_revert: int


class FileRow(NamedTuple):
    repo: str
    hash: str
    path: str
    old_path: str
    change_type: str
    churn: int


class PeopleRow(NamedTuple):
    repo: str
    hash: str
    person_key: str
    role: str
    is_bot: int


class PullRow(NamedTuple):
    repo: str
    number: int
    at: int
    person_key: str
    is_bot: int


class ReviewRow(NamedTuple):
    repo: str
    number: int
    person_key: str
    is_bot: int
    at: int


class PullFileRow(NamedTuple):
    repo: str
    number: int
    path: str


class Touch(NamedTuple):
    """One file a commit changed: its path after the commit and before it ('' when added)."""

    path: str
    before: str  # the name the file had before this commit ('' for an added file)
    change_type: str
    churn: int


@dataclass(frozen=True, slots=True)
class Commit:
    repo: str
    hash: str
    at: int
    author: str  # person key
    author_is_bot: bool
    is_merge: bool
    is_bug_fix: bool
    parents: tuple[str, ...]
    subject: str
    files: tuple[Touch, ...]
    coauthors: tuple[str, ...]  # people, bots left out
    reviewers: tuple[str, ...]  # trailer reviewers, bots and the commit's own authors left out
    is_revert: bool = False  # `Revert "..."` / `This reverts commit <sha>` (risk signals)


@dataclass(frozen=True, slots=True)
class Pull:
    repo: str
    number: int
    at: int
    author: str
    files: tuple[str, ...]
    reviews: tuple[tuple[int, str], ...]  # (submitted at, reviewer person), bots and the author left out


@dataclass(frozen=True)
class History:
    commits: tuple[Commit, ...]  # ordered by (at, repo, hash)
    pulls: tuple[Pull, ...]  # ordered by (at, repo, number)


def load(db: Reader, *, repo: str | None, until: int) -> History:
    """The whole history up to `until` (epoch seconds), of one repository or all."""
    params = {"repo": repo or "", "until": until}
    files: dict[tuple[str, str], list[Touch]] = defaultdict(list)
    for f in db.fetch(Q["commit-files"], FileRow, **params):
        before = f.old_path or ("" if f.change_type == "A" else f.path)
        files[(f.repo, f.hash)].append(Touch(f.path, before, f.change_type, int(f.churn or 0)))
    people: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for p in db.fetch(Q["commit-people"], PeopleRow, **params):
        if not p.is_bot:
            people[(p.repo, p.hash)][p.role].add(p.person_key)
    commits = [_commit(c, files, people) for c in db.fetch(Q["commits"], CommitRow, **params)]
    commits.sort(key=lambda c: (c.at, c.repo, c.hash))
    return History(tuple(commits), _pulls(db, params))


def _commit(c: CommitRow, files: dict[tuple[str, str], list[Touch]],
            people: dict[tuple[str, str], dict[str, set[str]]]) -> Commit:
    key = (c.repo, c.hash)
    roles = people.get(key, {})
    coauthors = tuple(sorted(roles.get("co-author", set()) - {c.person_key}))
    reviewers = tuple(sorted(roles.get("reviewer", set()) - {c.person_key} - set(coauthors)))
    return Commit(c.repo, c.hash, int(c.at), c.person_key, bool(c.is_bot), bool(c.is_merge), bool(c.is_bug_fix),
                  tuple(c.parents.split()), c.subject, tuple(sorted(files.get(key, ()))), coauthors, reviewers,
                  bool(c.is_revert))


def _pulls(db: Reader, params: dict[str, object]) -> tuple[Pull, ...]:
    rows = db.fetch(Q["pulls"], PullRow, **params)
    if not rows:
        return ()
    reviews: dict[tuple[str, int], set[tuple[int, str]]] = defaultdict(set)
    for r in db.fetch(Q["pull-reviews"], ReviewRow, **params):
        if not r.is_bot:
            reviews[(r.repo, r.number)].add((int(r.at), r.person_key))
    paths: dict[tuple[str, int], set[str]] = defaultdict(set)
    for f in db.fetch(Q["pull-files"], PullFileRow, repo=params["repo"]):
        paths[(f.repo, f.number)].add(f.path)
    out = []
    for p in rows:
        if p.is_bot:
            continue
        key = (p.repo, p.number)
        mine = tuple(sorted((at, who) for at, who in reviews.get(key, set()) if who != p.person_key))
        out.append(Pull(p.repo, p.number, int(p.at), p.person_key, tuple(sorted(paths.get(key, ()))), mine))
    out.sort(key=lambda p: (p.at, p.repo, p.number))
    return tuple(out)


def merged_branches(commits: tuple[Commit, ...]) -> dict[tuple[str, str], tuple[Commit, ...]]:
    """For each 'Merge pull request #N from …' merge: the commits it brought in (merge^1..merge^2),
    found by walking back from its second parent until a commit of the first-parent line of the
    repository's newest commit (the default branch) — exact for branches forked from it."""
    by_key = {(c.repo, c.hash): c for c in commits}
    mainline: set[tuple[str, str]] = set()
    for repo in {c.repo for c in commits}:
        head = next((c for c in reversed(commits) if c.repo == repo), None)
        while head is not None and (head.repo, head.hash) not in mainline:
            mainline.add((head.repo, head.hash))
            head = by_key.get((repo, head.parents[0])) if head.parents else None
    out: dict[tuple[str, str], tuple[Commit, ...]] = {}
    for c in commits:
        if c.is_merge and len(c.parents) == 2 and MERGE_PR.match(c.subject):
            out[(c.repo, c.hash)] = _branch(c, by_key, mainline)
    return out


def _branch(merge: Commit, by_key: dict[tuple[str, str], Commit], mainline: set[tuple[str, str]]
            ) -> tuple[Commit, ...]:
    seen: set[tuple[str, str]] = set()
    todo = [(merge.repo, merge.parents[1])]
    while todo:
        key = todo.pop()
        c = by_key.get(key)
        if c is None or key in seen or key in mainline:
            continue
        seen.add(key)
        todo.extend((c.repo, p) for p in c.parents)
    return tuple(sorted((by_key[k] for k in seen if not by_key[k].is_merge), key=lambda c: (c.at, c.hash)))
