"""What `similar` looks for: the subject's text, files, components, Jira links and own documents.

A KEY is, in this order: an ingested Jira issue (its summary and description; the files of the
commits and PRs that name it; its Jira components and links), else an ingested postmortem (its
title, summary, trigger, root cause and lessons; the files and components of the commits and PRs
that caused and fixed it, and the components it names), else a key that only commits and PRs
name (a git-only store: the text of those commits and PRs, as of `now`, and their files). The
subject's `basis` says which in a sentence. `--commit SHA` is that commit's message and files;
`--text` the text alone. Own documents (the subject itself and the changes that are part of it)
are not earlier occurrences: `similar` leaves them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents import incidents
from teammemory.agents.evidence import short
from teammemory.errors import InputError, NotFound
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "similar.sql")
Refs = set[tuple[str, str]]  # (kind, ref) of documents


@dataclass(frozen=True)
class Subject:
    kind: str  # issue | incident | key (named in commits only) | commit | text
    ref: str
    title: str
    text: str
    files: tuple[str, ...]
    components: tuple[str, ...]
    basis: str = ""  # what the query was made of, in a sentence


@dataclass(frozen=True)
class Found:
    subject: Subject
    own: Refs
    links: dict[str, str]  # other issue key -> 'Duplicate (duplicates)'


class IssueRow(NamedTuple):
    key: str
    summary: str
    description: str
    created_at: int | None


class LinkRow(NamedTuple):
    other_key: str
    link_type: str
    direction: str
    description: str


class FileRow(NamedTuple):
    path: str
    component: str


class ComponentRow(NamedTuple):
    component: str


class OwnRow(NamedTuple):
    kind: str
    ref: str


class CommitRow(NamedTuple):
    repo: str
    hash: str
    message: str
    authored_at: int


class PrRow(NamedTuple):
    repo: str
    number: int
    title: str
    body: str
    created_at: int | None


_KEYLIKE = re.compile(r"[A-Za-z][A-Za-z0-9_]*-[0-9]+")  # PROJ-1247, INC-3: a KEY given beside --text


class KeyRow(NamedTuple):
    key: str


def find(db: Reader, key: str | None, text: str | None, commit: str | None, repo: str | None, *,
         at: int) -> Found:
    """The subject of exactly one of KEY, --text, --commit (InputError names the argument at fault)."""
    given = [n for n, v in (("KEY", key), ("--text", text), ("--commit", commit)) if v]
    if text and key and not commit and not _KEYLIKE.fullmatch(key.strip()):  # `--text ledger recovery`
        raise InputError("--text", f'takes the whole text as one argument: quote it, as in --text "{text} {key}"')
    if len(given) != 1:
        raise InputError("KEY", "give exactly one of KEY, --text or --commit"
                         + (f" (got {', '.join(given)})" if given else ""))
    if text:
        return Found(Subject("text", "", text[:80], text, (), (), "the text given"), set(), {})
    if commit:
        return commit_subject(db, commit.strip().lower(), repo)
    assert key is not None
    key = key.strip()
    found = (issue_subject(db, key) or incident_subject(db, key, at) or key_subject(db, key, at)
             or (key != key.upper() and key_subject(db, key.upper(), at)))
    if not found:
        raise NotFound("issue", key)
    return found


def issue_subject(db: Reader, key: str) -> Found | None:
    row = db.fetch_one(Q["issue"], IssueRow, key=key)
    if row is None:
        return None
    files = db.fetch(Q["issue-files"], FileRow, key=key)
    comps = {r.component for r in db.fetch(Q["issue-components"], ComponentRow, key=key)}
    own = {(r.kind, r.ref) for r in db.fetch(Q["issue-own"], OwnRow, key=key)} | {("issue", key), ("incident", key)}
    links: dict[str, str] = {}
    for r in db.fetch(Q["issue-links"], LinkRow, key=key) + db.fetch(Q["linked-to"], LinkRow, key=key):
        links.setdefault(r.other_key, f"{r.link_type} ({r.description})" if r.description else r.link_type)
    subject = Subject("issue", key, row.summary, f"{row.summary}\n{row.description}", paths(files),
                      components(files, comps), "the issue's summary and description")
    return Found(subject, own, links)


def incident_subject(db: Reader, key: str, at: int) -> Found | None:
    if db.fetch_one(Q["incident"], KeyRow, key=key) is None:
        return None
    item = next((i for i in incidents.load(db, now=at) if i.key == key and i.source == "postmortem"), None)
    if item is None:
        return None  # it starts after `now`: as of then there is no such incident
    changes = item.causes + item.fixes
    own = {("incident", key), ("issue", key)} | {change_ref(c) for c in changes if c.in_store}
    text = "\n".join(p for p in (item.title, item.summary, item.trigger, item.root_cause, *item.lessons) if p)
    subject = Subject("incident", key, item.title, text, tuple(sorted({p for c in changes for p in c.paths})),
                      item.component_names, "the postmortem's title, summary, trigger, root cause and lessons")
    return Found(subject, own, {})


def change_ref(c: incidents.Change) -> tuple[str, str]:
    """The text index's (kind, ref) of an incident's cause or fix."""
    return ("commit", f"{c.repo}@{c.ref}") if c.kind == "commit" else ("pr", f"{c.repo}#{c.ref}")


def key_subject(db: Reader, key: str, at: int) -> Found | None:
    """A key no issue or postmortem has: the commits and PRs (as of `at`) that name it."""
    commits = sorted((c for c in db.fetch(Q["key-commits"], CommitRow, key=key) if c.authored_at <= at),
                     key=lambda c: (c.authored_at, c.repo, c.hash))
    prs = sorted((p for p in db.fetch(Q["key-prs"], PrRow, key=key) if (p.created_at or 0) <= at),
                 key=lambda p: (p.created_at or 0, p.repo, p.number))
    if not commits and not prs:
        return None
    files: list[FileRow] = []
    for c in commits:
        files += db.fetch(Q["commit-files"], FileRow, repo=c.repo, hash=c.hash)
    for p in prs:
        files += db.fetch(Q["pr-files"], FileRow, repo=p.repo, number=p.number)
    own = {("commit", f"{c.repo}@{c.hash}") for c in commits} | {("pr", f"{p.repo}#{p.number}") for p in prs}
    text = "\n".join([c.message for c in commits] + [f"{p.title}\n{p.body or ''}" for p in prs])
    title = commits[0].message.split("\n", 1)[0] if commits else prs[0].title
    named = [f"{c.repo}@{short(c.hash)}" for c in commits] + [f"{p.repo}#{p.number}" for p in prs]
    basis = (f"{key} is not an ingested issue: the text and files of the {_count(commits, prs)} that name it"
             f" ({', '.join(named[:5])}{', ...' if len(named) > 5 else ''})")
    return Found(Subject("key", key, title, text, paths(files), components(files, set()), basis), own, {})


def _count(commits: list[CommitRow], prs: list[PrRow]) -> str:
    parts = [f"{len(commits)} commit{'s' if len(commits) != 1 else ''}" if commits else "",
             f"{len(prs)} PR{'s' if len(prs) != 1 else ''}" if prs else ""]
    return " and ".join(p for p in parts if p)


def commit_subject(db: Reader, sha: str, repo: str | None) -> Found:
    if len(sha) < 4 or any(c not in "0123456789abcdef" for c in sha):
        raise InputError("--commit", f"{sha!r} is not a commit hash (4 to 40 hex digits)")
    rows = [r for r in db.fetch(Q["commit-lookup"], CommitRow, prefix=sha + "%") if repo in (None, r.repo)]
    if not rows:
        raise NotFound("commit", sha)
    if len({(r.repo, r.hash) for r in rows}) > 1:
        raise InputError("--commit", f"{sha} is ambiguous: " + ", ".join(sorted(f"{r.repo}@{short(r.hash)}"
                                                                                for r in rows)[:5]))
    c = rows[0]
    files = db.fetch(Q["commit-files"], FileRow, repo=c.repo, hash=c.hash)
    subject = Subject("commit", f"{c.repo}@{c.hash}", c.message.split("\n", 1)[0], c.message, paths(files),
                      components(files, set()), "the commit's message")
    own = {(r.kind, r.ref) for r in db.fetch(Q["commit-own"], OwnRow, repo=c.repo, hash=c.hash)}
    return Found(subject, own | {("commit", subject.ref)}, {})


def paths(rows: list[FileRow]) -> tuple[str, ...]:
    return tuple(sorted({r.path for r in rows}))


def components(rows: list[FileRow], more: set[str]) -> tuple[str, ...]:
    return tuple(sorted(({r.component for r in rows} | more) - {""}))
