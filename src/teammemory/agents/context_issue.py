"""Context of an issue: "why is it so?" — the PRs, commits, files, linked issues and people behind it.

What is gathered (every item says how it was found, `found_by`):
- related PRs: those whose title/body/branch name the key (pr_issues), and those containing a
  commit linked to the key (commit_issues -> pr_commits, joined on the commit hash);
- commits: those naming the key (commit_issues) and the commits of the related PRs; merge
  commits are kept apart (`merges`) so the list shows the work, not the bookkeeping;
- changed files: paths of those non-merge commits with distinct commits and added/deleted totals,
  ordered by (-commits, -lines, path);
- linked issues (issue_links, both directions) with their summary and status;
- people in context: authors (commit authors and co-authors, PR authors), then reviewers (PR
  reviews, and the `Reviewers:` trailers of the commits: one act per commit reviewed), then
  commenters (Jira, PR and review comments); each person once, in their first group; inside a
  group (-count, name, key); bots left out;
- the status timeline (issue_transitions), oldest first.

The idea is the "context" query of team-memory tools: an issue key is the join point between
Jira, GitHub and git (cf. pydriller's and code-maat's commit-issue coupling by message key).
A key that only commits or PRs mention (its issue was never ingested) still gets an answer.

As of `now`: an issue or PR created later does not exist yet; commits (by author time), reviews,
comments and status changes after `now` are left out; the status is the one the changelog had at
`now`, a PR merged later is open (agents/issue_state.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from teammemory.agents import paths
from teammemory.agents.context_common import (
    ChurnRow,
    CommitRef,
    CommitRow,
    FileChurn,
    PersonInContext,
    PrRef,
    PrRow,
    Role,
    commit_refs,
    excerpt,
    file_churn,
    key_order,
    person_of,
    pr_refs,
    rank_people,
)
from teammemory.agents.evidence import Person, epoch, iso_day, not_found
from teammemory.agents.issue_state import issue_rows_at, issue_states, pr_rows_at
from teammemory.config import Config
from teammemory.issue_keys import issue_project
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "context_issue.sql")


@dataclass(frozen=True)
class LinkedIssue:
    key: str
    link: str  # 'is duplicated by', 'blocks', or the link type
    link_type: str
    direction: str
    summary: str
    status: str
    ingested: bool


@dataclass(frozen=True)
class StatusChange:
    at: int
    date: str
    from_status: str
    to_status: str
    who: str


@dataclass(frozen=True)
class IssueContext:
    key: str
    ingested: bool
    summary: str
    status: str
    status_category: str
    priority: str
    issue_type: str
    resolution: str
    components: tuple[str, ...]
    reporter: Person | None
    assignee: Person | None
    created_at: int | None
    created: str
    resolved_at: int | None
    resolved: str
    url: str
    description: str
    prs: tuple[PrRef, ...]
    commits: tuple[CommitRef, ...]
    merges: tuple[CommitRef, ...]
    files: tuple[FileChurn, ...]
    links: tuple[LinkedIssue, ...]
    people: tuple[PersonInContext, ...]
    transitions: tuple[StatusChange, ...]


class IssueRow(NamedTuple):
    key: str
    summary: str
    description: str
    status: str
    status_category: str
    priority: str
    issue_type: str
    resolution: str
    created_at: int | None
    resolved_at: int | None
    url: str
    r_key: str | None
    r_name: str | None
    s_key: str | None
    s_name: str | None


NO_ISSUE = IssueRow("", "", "", "", "", "", "", "", None, None, "", None, None, None, None)  # never ingested


class KeyRow(NamedTuple):
    key: str


class ReferencedKeyRow(NamedTuple):
    issue_key: str


class ComponentRow(NamedTuple):
    component: str


class FactRow(NamedTuple):
    role: Role
    ref: str
    w_key: str | None
    w_name: str | None
    w_bot: int | None


class LinkRow(NamedTuple):
    other_key: str
    link_type: str
    direction: str
    description: str
    summary: str | None
    status: str | None


class TransitionRow(NamedTuple):
    at: int
    from_status: str
    to_status: str
    t_name: str | None


def ask_issue(db: Reader, key: str, *, now: datetime, config: Config, repo: str | None = None) -> IssueContext:
    """Everything the store links to issue `key` (case-insensitive) as of `now`, each item with its
    evidence; with `repo`, only that repository's commits and PRs."""
    paths.check_repo(db, repo)
    at = epoch(now)
    row = db.fetch_one(Q["issue"], IssueRow, key=key.strip(), now=at)
    canonical = row.key if row else _referenced_key(db, key.strip(), at)
    if row is not None:
        state = issue_states(db, [row.key], at)[row.key]
        row = row._replace(status=state.status, status_category=state.status_category,
                           resolution=state.resolution, resolved_at=state.resolved_at)
    q = {"key": canonical, "now": at}
    prs = pr_refs(r for r in pr_rows_at(db.fetch(Q["prs"], PrRow, **q), at) if _in(r.repo, repo))
    commits, merges = commit_refs(r for r in db.fetch(Q["commits"], CommitRow, **q)
                                  if r.authored_at <= at and _in(r.repo, repo))
    components = tuple(sorted(r.component for r in db.fetch(Q["components"], ComponentRow, **q))) if row else ()
    people = rank_people_facts([r for r in db.fetch(Q["people"], FactRow, **q) if _in(_fact_repo(r.ref), repo)])
    files = file_churn(r for r in db.fetch(Q["files"], ChurnRow, **q) if _in(r.repo, repo))
    links = issue_rows_at(db, db.fetch(Q["links"], LinkRow, **q), at, key="other_key")
    return _build(canonical, row, components, tuple(prs), tuple(commits), tuple(merges), tuple(files),
                  rank_links(links), people, rank_transitions(db.fetch(Q["transitions"], TransitionRow, **q)))


def _in(item_repo: str, repo: str | None) -> bool:
    """Whether an item of `item_repo` counts under `repo` ('' = of no repository: Jira's)."""
    return repo is None or item_repo in ("", repo)


def _fact_repo(ref: str) -> str:
    """The repository of a fact's act ('c:<repo>:<hash>', 'p:<repo>:<n>', ...; Jira comments: none)."""
    kind, _, rest = ref.partition(":")
    return "" if kind == "j" else rest.rsplit(":", 1)[0]


def rank_people_facts(rows: list[FactRow]) -> tuple[PersonInContext, ...]:
    """Pure: people in context from (role, act, person) rows, each act counted once; acts are taken
    in (role, act, person key) order, so a person's name is the one on their first act."""
    facts = {(r.role, r.ref, person_of(r.w_key, r.w_name), bool(r.w_bot)) for r in rows}
    return rank_people((role, p, bot) for role, _, p, bot in sorted(facts, key=_fact_order) if p)


def _fact_order(fact: tuple[str, str, Person | None, bool]) -> tuple[str, str, str]:
    return (fact[0], fact[1], fact[2].key if fact[2] else "")


def _referenced_key(db: Reader, key: str, now: int) -> str:
    """The key as commits or PRs spell it, for an issue that was never ingested; else NotFound."""
    refs = db.fetch(Q["referenced-keys"], ReferencedKeyRow, key=key, now=now)
    if refs:
        return sorted(r.issue_key for r in refs)[0]
    project = issue_project(key) if "#" in key or "-" in key else ""
    pool = db.fetch(Q["project-keys"], KeyRow, project=project, now=now) if project else []
    pool = pool or db.fetch(Q["all-keys"], KeyRow, now=now)
    raise not_found("issue", key, [r.key for r in pool])


def rank_links(rows: list[LinkRow]) -> tuple[LinkedIssue, ...]:
    """Pure: one entry per (other key, link type, direction), in key order."""
    out: dict[tuple[str, str, str], LinkedIssue] = {}
    for r in rows:
        link = r.description or f"{r.link_type} ({r.direction})"
        out.setdefault((r.other_key, r.link_type, r.direction),
                       LinkedIssue(r.other_key, link, r.link_type, r.direction, r.summary or "", r.status or "",
                                   r.status is not None))
    return tuple(sorted(out.values(), key=lambda li: (key_order(li.key), li.link_type, li.direction)))


def rank_transitions(rows: list[TransitionRow]) -> tuple[StatusChange, ...]:
    """Pure: the status timeline, oldest first (ties by target status)."""
    out = [StatusChange(r.at, iso_day(r.at), r.from_status, r.to_status, r.t_name or "") for r in rows]
    return tuple(sorted(out, key=lambda t: (t.at, t.to_status, t.from_status)))


def _build(key: str, row: IssueRow | None, components: tuple[str, ...], prs: tuple[PrRef, ...],
           commits: tuple[CommitRef, ...], merges: tuple[CommitRef, ...], files: tuple[FileChurn, ...],
           links: tuple[LinkedIssue, ...], people: tuple[PersonInContext, ...],
           transitions: tuple[StatusChange, ...]) -> IssueContext:
    r = row or NO_ISSUE
    return IssueContext(
        key=key, ingested=row is not None, summary=r.summary, status=r.status,
        status_category=r.status_category, priority=r.priority, issue_type=r.issue_type,
        resolution=r.resolution, components=components, reporter=person_of(r.r_key, r.r_name),
        assignee=person_of(r.s_key, r.s_name),
        created_at=r.created_at, created=iso_day(r.created_at), resolved_at=r.resolved_at,
        resolved=iso_day(r.resolved_at), url=r.url, description=excerpt(r.description), prs=prs,
        commits=commits, merges=merges, files=files, links=links, people=people, transitions=transitions)


__all__ = ["IssueContext", "LinkedIssue", "StatusChange", "ask_issue", "rank_links", "rank_people_facts",
           "rank_transitions"]
