"""What the dashboard shows that no question answers: one commit (the evidence most numbers
point at), a developer's recent work, and a component's commits over time (its activity chart).

Plain reads over the store, like api/catalog.py; every list is sorted in Python with a full key
(newest first, then repository and hash or number) so both stores show the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from teammemory.agents.evidence import not_found
from teammemory.api import catalog
from teammemory.errors import InputError, NotFound
from teammemory.store import Reader, queries

Q = queries.load("teammemory.api.sql", "dashboard.sql")
HEX = frozenset("0123456789abcdef")


class CommitRow(NamedTuple):
    repo: str
    hash: str
    subject: str
    message: str
    authored_at: int
    is_merge: int
    is_bug_fix: int
    bug_fix_reason: str
    author_key: str
    author_name: str


class FileRow(NamedTuple):
    path: str
    old_path: str
    change_type: str
    added: int
    deleted: int


class IssueRow(NamedTuple):
    issue_key: str
    summary: str
    found_by: str


class PrRow(NamedTuple):
    repo: str
    number: int
    title: str
    found_by: str


@dataclass(frozen=True)
class CommitView:
    commit: CommitRow
    at: datetime
    files: tuple[FileRow, ...]
    issues: tuple[IssueRow, ...]
    prs: tuple[PrRow, ...]


def when(epoch: int | None) -> datetime:
    return datetime.fromtimestamp(int(epoch or 0), UTC)


def commit(db: Reader, ref: str, repo: str = "") -> CommitView:
    """The commit whose hash starts with `ref` (4+ hex digits), with its files, issues and PRs.
    NotFound when none does; InputError naming `hash` when the prefix is ambiguous."""
    prefix = ref.strip().lower()
    if len(prefix) < 4 or not set(prefix) <= HEX:
        raise InputError("hash", f"not a commit hash (4 to 40 hex digits): {ref!r}")
    rows = sorted(db.fetch(Q["commit"], CommitRow, low=prefix, high=prefix + "g", repo=repo),
                  key=lambda r: (r.repo, r.hash))
    if not rows:
        raise NotFound("commit", ref, ())
    if len(rows) > 1:
        raise InputError("hash", f"{ref} is ambiguous: " + ", ".join(f"{r.repo}@{r.hash[:12]}" for r in rows[:5]))
    c = rows[0]
    files = sorted(db.fetch(Q["commit-files"], FileRow, repo=c.repo, hash=c.hash), key=lambda f: f.path)
    issues = sorted(db.fetch(Q["commit-issues"], IssueRow, repo=c.repo, hash=c.hash),
                    key=lambda i: (i.issue_key, i.found_by))
    prs = sorted(db.fetch(Q["commit-prs"], PrRow, hash=c.hash), key=lambda p: (p.repo, p.number, p.found_by))
    return CommitView(c, when(c.authored_at), tuple(files), tuple(issues), tuple(prs))


class PersonCommitRow(NamedTuple):
    repo: str
    hash: str
    subject: str
    authored_at: int
    is_merge: int


class PersonPrRow(NamedTuple):
    repo: str
    number: int
    title: str
    state: str
    created_at: int


class PersonReviewRow(NamedTuple):
    repo: str
    number: int
    title: str
    state: str
    submitted_at: int


@dataclass(frozen=True)
class RecentWork:
    commits: tuple[PersonCommitRow, ...]  # newest first, at most `limit`
    commit_count: int
    prs: tuple[PersonPrRow, ...]
    pr_count: int
    reviews: tuple[PersonReviewRow, ...]
    review_count: int


def recent_work(db: Reader, key: str, *, limit: int = 10) -> RecentWork:
    """The developer's latest commits, PRs opened and reviews given, with how many of each."""
    commits = sorted(db.fetch(Q["person-commits"], PersonCommitRow, key=key),
                     key=lambda r: (-r.authored_at, r.repo, r.hash))
    prs = sorted(db.fetch(Q["person-prs"], PersonPrRow, key=key), key=lambda r: (-r.created_at, r.repo, r.number))
    reviews = sorted(db.fetch(Q["person-reviews"], PersonReviewRow, key=key),
                     key=lambda r: (-r.submitted_at, r.repo, r.number, r.state))
    return RecentWork(tuple(commits[:limit]), len(commits), tuple(prs[:limit]), len(prs),
                      tuple(reviews[:limit]), len(reviews))


class ComponentCommitRow(NamedTuple):
    repo: str
    hash: str
    authored_at: int
    is_merge: int
    churn: int
    subject: str


def component_commits(db: Reader, name: str, known: list[str]) -> list[ComponentCommitRow]:
    """The non-merge commits that changed component `name`'s files, newest first; NotFound with
    close names (from `known`) when the component has none and is not known."""
    rows = [r for r in db.fetch(Q["component-commits"], ComponentCommitRow, name=name) if not r.is_merge]
    if not rows and name.lower() not in {k.lower() for k in known}:
        raise not_found("component", name, known)
    return sorted(rows, key=lambda r: (-r.authored_at, r.repo, r.hash))


class NameRow(NamedTuple):
    key: str
    name: str


def developer_names(db: Reader) -> list[tuple[str, str]]:
    """(key, name) of every developer, by key."""
    return sorted((r.key, r.name) for r in db.fetch(Q["developer-names"], NameRow))


class ActivityRow(NamedTuple):
    component: str
    commits: int
    churn: int


def component_activity(db: Reader, *, since: str, now: datetime) -> list[ActivityRow]:
    """Each component's non-merge commits and churn authored after `since` (ISO) up to `now`,
    most commits first (then churn, then name); components with none are left out."""
    start = int(datetime.fromisoformat(since).timestamp())
    rows = db.fetch(Q["component-activity"], ActivityRow, since=start, now=int(now.timestamp()))
    return sorted((ActivityRow(r.component, int(r.commits), int(r.churn)) for r in rows),
                  key=lambda r: (-r.commits, -r.churn, r.component))


def component_sizes(db: Reader) -> dict[str, int]:
    """{component: how many files it holds now} (the overview's `files` column)."""
    return {c.name: c.files for c in catalog.list_components(db).components}
