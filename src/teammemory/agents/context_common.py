"""Shared parts of the context agents (issue, PR, file): the records they answer with, the rows
their queries return, and how "people in context" are grouped.

People come from the `persons` view (the one definition of a person,
store/migrations/0003_persons.sql): joined in a query as its `<p>_key`/`<p>_name` (and `<p>_bot`)
columns, or read once per account key with persons.lookup where that is cheaper.

People in context are grouped authors, then reviewers, then commenters; each person appears once,
in the first group they belong to; inside a group the order is (-count, name, key).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from teammemory.agents.evidence import Person, iso_day, short

if TYPE_CHECKING:  # annotations only
    from teammemory.agents.incidents import IncidentItem

Role = Literal["author", "reviewer", "commenter"]
ROLES: tuple[Role, ...] = ("author", "reviewer", "commenter")

def excerpt(text: str, limit: int = 300) -> str:
    """Whitespace-folded text cut at `limit` characters (with an ellipsis when cut)."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def key_order(key: str) -> tuple[str, int, str]:
    """Natural order of issue keys: PROJ-9 before PROJ-10, o/r#9 before o/r#10."""
    project, _, number = key.rpartition("#") if "#" in key else key.rpartition("-")
    return (project, int(number), key) if number.isdigit() else (key, 0, key)


@dataclass(frozen=True)
class CommitRef:
    repo: str
    hash: str
    short: str
    subject: str
    author: Person
    at: int
    date: str
    found_by: tuple[str, ...]


@dataclass(frozen=True)
class PrRef:
    repo: str
    number: int
    title: str
    state: str
    author: Person | None
    at: int | None  # merged, else created
    date: str
    found_by: tuple[str, ...]


@dataclass(frozen=True)
class IssueRef:
    key: str
    summary: str
    status: str
    ingested: bool
    found_by: tuple[str, ...]


@dataclass(frozen=True)
class FileChurn:
    path: str
    commits: int
    added: int
    deleted: int


@dataclass(frozen=True)
class PersonInContext:
    key: str
    name: str
    role: Role
    count: int


class CommitRow(NamedTuple):
    """A commit as the context agents list it: how it was found and its author's person."""

    repo: str
    hash: str
    subject: str
    authored_at: int
    is_merge: int
    found_by: str
    a_key: str | None
    a_name: str | None


class PrRow(NamedTuple):
    """A PR as the context agents list it: how it was found and its author's person."""

    repo: str
    number: int
    title: str
    state: str
    merged_at: int | None
    closed_at: int | None
    created_at: int | None
    found_by: str
    a_key: str | None
    a_name: str | None


class IssueKeyRow(NamedTuple):
    """An issue key and how it was found; summary and status are null when it was never ingested."""

    issue_key: str
    summary: str | None
    status: str | None
    found_by: str


class ChurnRow(NamedTuple):
    """One commit's change to one path."""

    repo: str
    hash: str
    path: str
    added: int
    deleted: int


def person_of(key: str | None, name: str | None) -> Person | None:
    """The Person in a row's `<p>_key`/`<p>_name` columns, or None when the column was empty."""
    return None if key is None else Person(key, name or "")


def commit_refs(rows: Iterable[CommitRow]) -> tuple[list[CommitRef], list[CommitRef]]:
    """(non-merge commits, merge commits): one CommitRef per commit, newest first, found_by merged."""
    found: dict[tuple[str, str], set[str]] = {}
    first: dict[tuple[str, str], CommitRow] = {}
    for row in rows:
        k = (row.repo, row.hash)
        found.setdefault(k, set()).add(row.found_by)
        first.setdefault(k, row)
    plain: list[CommitRef] = []
    merges: list[CommitRef] = []
    for k, row in first.items():
        author = person_of(row.a_key, row.a_name) or Person("?", "?")
        ref = CommitRef(k[0], k[1], short(k[1]), row.subject, author, row.authored_at,
                        iso_day(row.authored_at), tuple(sorted(found[k])))
        (merges if row.is_merge else plain).append(ref)
    order = lambda c: (-c.at, c.repo, c.hash)  # noqa: E731
    return sorted(plain, key=order), sorted(merges, key=order)


def pr_refs(rows: Iterable[PrRow]) -> list[PrRef]:
    """One PrRef per (repo, number), found_by merged; newest (merged, else created) first."""
    found: dict[tuple[str, int], set[str]] = {}
    first: dict[tuple[str, int], PrRow] = {}
    for row in rows:
        k = (row.repo, row.number)
        found.setdefault(k, set()).add(row.found_by)
        first.setdefault(k, row)
    out = []
    for k, row in first.items():
        at = row.merged_at if row.merged_at is not None else row.created_at
        out.append(PrRef(k[0], k[1], row.title, row.state, person_of(row.a_key, row.a_name), at,
                         iso_day(at), tuple(sorted(found[k]))))
    return sorted(out, key=lambda p: (-(p.at or 0), p.repo, p.number))


def issue_refs(rows: Iterable[IssueKeyRow]) -> list[IssueRef]:
    """One IssueRef per key, found_by merged, in key order."""
    found: dict[str, set[str]] = {}
    first: dict[str, IssueKeyRow] = {}
    for row in rows:
        if row.issue_key not in first:
            first[row.issue_key], found[row.issue_key] = row, set()
        found[row.issue_key].add(row.found_by)
    ordered = sorted(first.items(), key=lambda kv: key_order(kv[0]))
    return [IssueRef(k, r.summary or "", r.status or "", r.status is not None, tuple(sorted(found[k])))
            for k, r in ordered]


def file_churn(rows: Iterable[ChurnRow]) -> list[FileChurn]:
    """Per path: distinct commits and summed lines. Most commits first, then most lines changed,
    then path."""
    commits: dict[str, set[tuple[str, str]]] = {}
    lines: dict[str, list[int]] = {}
    for row in rows:
        commits.setdefault(row.path, set()).add((row.repo, row.hash))
        tot = lines.setdefault(row.path, [0, 0])
        tot[0] += row.added
        tot[1] += row.deleted
    out = [FileChurn(p, len(commits[p]), lines[p][0], lines[p][1]) for p in commits]
    return sorted(out, key=lambda f: (-f.commits, -(f.added + f.deleted), f.path))


def rank_people(acts: Iterable[tuple[str, Person, bool]]) -> tuple[PersonInContext, ...]:
    """Pure: (role, person, is_bot) facts -> people in context. Bots are left out; each person is
    kept in the first of ROLES they act in, counted by their facts in that role; sorted by
    (role order, -count, name, key)."""
    counts: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}
    for role, who_, bot in acts:
        if bot or role not in ROLES:
            continue
        counts[(role, who_.key)] = counts.get((role, who_.key), 0) + 1
        names.setdefault(who_.key, who_.name)
    placed: dict[str, PersonInContext] = {}
    for role in ROLES:
        for (r, key), n in counts.items():
            if r == role and key not in placed:
                placed[key] = PersonInContext(key, names[key], role, n)
    return tuple(sorted(placed.values(), key=lambda p: (ROLES.index(p.role), -p.count, p.name, p.key)))


@dataclass(frozen=True)
class IncidentRef:
    """An incident in a file's or component's context: one line, and how it relates."""

    key: str
    severity: str
    state: str  # open | mitigated | resolved, as of `now`
    title: str
    started: str  # the day it started
    relations: tuple[str, ...]  # 'caused by commit a1b2c3d', 'fixed by PR #77', 'component auth'


def incident_refs(items: Iterable[IncidentItem], names: set[tuple[str, str]] | None = None) -> list[IncidentRef]:
    """Pure: incidents (agents/incidents.IncidentItem, in their order) as refs. With `names`
    ((repo, path) pairs: a file's names over its renames), each relation is a cause or fix that
    changed one of them (a PR by the path alone: git and GitHub may name a repository
    differently), and an incident with none is left out; without, it is the incident's
    causes and fixes, and its components."""
    out = []
    bare = {p for _, p in names or ()}
    for i in items:
        relations = []
        for c in (*i.causes, *i.fixes):
            if names is not None and not any((c.repo, p) in names or (c.kind == "pr" and p in bare)
                                             for p in c.paths):
                continue
            what = f"commit {short(c.ref)}" if c.kind == "commit" else f"PR #{c.ref}"
            relations.append(f"{'caused' if c.role == 'cause' else 'fixed'} by {what}")
        if names is not None and not relations:
            continue
        if names is None:
            relations += [f"component {c}" for c in i.component_names]
        out.append(IncidentRef(i.key, i.severity, i.state, i.title, iso_day(i.started_at),
                               tuple(dict.fromkeys(relations))))
    return out
