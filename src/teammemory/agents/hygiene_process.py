"""Hygiene of how changes land (agents/hygiene.py's checks beyond linkage): review, PR flow, link
coverage over time and place, and postmortem follow-up.

- PRs merged with no approving review: merged by `now`, and no review of state APPROVED submitted
  at or before the merge by a person other than the PR's author (denominator: merged PRs);
  examples newest merge first, then repo, number.
- commits that came through no PR: the default branch's own commits (the first-parent chain from
  the ingested head: a PR's branch commits sit off it, behind its merge), authored by `now`, that
  no PR holds (pr_commits: listed by GitHub, or a merge/squash naming it in its subject) and that
  are no PR's merge commit (pull_requests.merge_commit); denominator: first-parent commits;
  examples newest first, then repo, hash.
- link coverage: linked / non-merge commits by people (not bots), linked when the commit names a
  key of a known project (any key when no project is known: hygiene's key rule), per repository,
  per component (component_commits) and per month (UTC calendar months, the 12 ending with the month of `now`);
      percent = round(100 * linked / commits, 1)   (None when there are no commits)
- open postmortem action items: incidents.open_actions' rule (an item is open while its issue is not
  done at `now`, or not in the store), over the incidents `repo` keeps (denominator: every action
  item of those incidents); oldest incident first, then key; each example names its incident.
Each part is read once per question; the walks and counts are pure functions below.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from teammemory.agents import hygiene_links, incidents
from teammemory.agents.evidence import iso_day, short
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "hygiene.sql")
MONTHS = 12
Item = tuple[tuple[object, ...], str]
Scope = Literal["repository", "component", "month"]


@dataclass(frozen=True)
class Coverage:
    """Link coverage of one repository, component or month."""

    scope: Scope
    name: str  # the repository, the component, or 'YYYY-MM'
    linked: int
    commits: int
    percent: float | None


class MergedRow(NamedTuple):
    repo: str
    number: int
    title: str
    merged_at: int
    a_key: str | None


class ApprovalRow(NamedTuple):
    repo: str
    number: int
    r_key: str | None


class CountRow(NamedTuple):
    repo: str
    total: int
    through_pr: int


class KeptRow(NamedTuple):
    repo: str
    total: int
    through_pr: int
    repos: int  # how many repositories the question covers: each must have its row


class SubjectRow(NamedTuple):
    hash: str
    subject: str
    authored_at: int


class CountsRow(NamedTuple):
    name: str
    commits: int
    linked: int


class RecentRow(NamedTuple):
    authored_at: int
    linked: int


# --- PRs merged with no approving review ---------------------------------------------------------

def unapproved(db: Reader, q: dict[str, object]) -> tuple[list[Item], int]:
    """(the merged PRs with no approval by another person, how many PRs were merged)."""
    merged = db.fetch(Q["merged-prs"], MergedRow, **q)
    return unapproved_of(merged, db.fetch(Q["approvals"], ApprovalRow, **q)), len(merged)


def unapproved_of(merged: Sequence[MergedRow], approvals: Iterable[ApprovalRow]) -> list[Item]:
    """Pure: the merged PRs no one but their author approved (an approval by an unknown person counts)."""
    author = {(p.repo, p.number): p.a_key for p in merged}
    approved = {(a.repo, a.number) for a in approvals
                if (a.repo, a.number) in author and (a.r_key is None or a.r_key != author[(a.repo, a.number)])}
    return [((-p.merged_at, p.repo, p.number), f"{p.repo}#{p.number} {p.title} (merged {iso_day(p.merged_at)})")
            for p in merged if (p.repo, p.number) not in approved]


# --- commits on the default branch that came through no PR ----------------------------------------

def direct_commits(db: Reader, now: int, repo: str | None, examples: int,
                   newest: bool = False) -> tuple[list[Item], int, int]:
    """(example items, how many came through no PR, how many first-parent commits) over the
    repositories: counts over first_parent_commits (the chain walked at ingest, as `first_parents`
    walks it; when `now` is at or after the newest commit, as the last ingest counted them, while
    they still hold), examples its newest commits no PR holds."""
    items: list[Item] = []
    bad = total = 0
    for r in _first_parent_counts(db, now, repo, newest):
        total += r.total
        bad += r.total - r.through_pr
        if r.total > r.through_pr and examples > 0:
            for s in db.fetch(Q["newest-direct"], SubjectRow, now=now, repo=r.repo, n=examples):
                items.append(((-s.authored_at, r.repo, s.hash), f"{short(s.hash)} {s.subject} ({r.repo})"))
    return items, bad, total


def _first_parent_counts(db: Reader, now: int, repo: str | None, newest: bool) -> list[CountRow]:
    """Per repository (total, through_pr): kept at ingest (store/link_counts.py), or counted now."""
    if newest:
        kept = db.fetch(Q["first-parent-counts-kept"], KeptRow, repo=repo or "")
        if kept and len(kept) == kept[0].repos:
            return [CountRow(k.repo, k.total, k.through_pr) for k in kept]
    return db.fetch(Q["first-parent-counts"], CountRow, now=now, repo=repo or "")


# --- link coverage ------------------------------------------------------------------------------

def coverage(db: Reader, now: int, repo: str | None, projects: Sequence[str] | None,
             counts: hygiene_links.LinkCounts | None = None) -> tuple[Coverage, ...]:
    """Per repository, component and month (see the module docstring). `projects`: the projects
    whose keys are links, spelled as commits spell them (None: every key is one). From the link
    counts kept at ingest when they answer (`counts`: a `now` at or after the newest commit)."""
    months = last_months(now)
    if counts is not None:
        linking = None if projects is None else frozenset(projects)
        return coverage_rows(hygiene_links.by_name(counts, linking, False),
                             hygiene_links.by_name(counts, linking, True), hygiene_links.by_month(counts, linking),
                             months)
    params: dict[str, object] = {}
    if projects is None:
        links = "1 = 1"
    elif projects:
        marks, params = queries.one_list(projects, "p")
        links = f"ci.project in ({marks})"
    else:
        links = "1 = 0"
    q = {"now": now, "repo": repo or "", **params}
    repos = db.fetch(Q["coverage-repos"].fill(links=links), CountsRow, **q)
    components = db.fetch(Q["coverage-components"].fill(links=links), CountsRow, **q)
    recent = db.fetch(Q["coverage-recent"].fill(links=links), RecentRow, **q, since=_month_start(months[0]))
    return coverage_of(repos, components, recent, months)


def coverage_of(repos: Sequence[CountsRow], components: Sequence[CountsRow], recent: Iterable[RecentRow],
                months: Sequence[str]) -> tuple[Coverage, ...]:
    """Pure: repositories then components (each by name), then `months` (oldest first)."""
    total: Counter[str] = Counter()
    good: Counter[str] = Counter()
    for r in recent:
        m = _month(r.authored_at)
        total[m] += 1
        good[m] += r.linked
    return coverage_rows({r.name: (r.commits, r.linked) for r in repos},
                         {r.name: (r.commits, r.linked) for r in components},
                         {m: (total[m], good[m]) for m in total}, months)


def coverage_rows(repos: dict[str, tuple[int, int]], components: dict[str, tuple[int, int]],
                  by_month: dict[str, tuple[int, int]], months: Sequence[str]) -> tuple[Coverage, ...]:
    """Pure: the Coverage rows from name -> (commits, linked) per repository, component and month."""
    rows: list[tuple[Scope, str, int, int]] = [("repository", name, t[1], t[0]) for name, t in repos.items()]
    rows += [("component", name, t[1], t[0]) for name, t in components.items()]
    rows = sorted(rows, key=lambda x: (x[0] != "repository", x[1]))
    rows += [("month", m, by_month.get(m, (0, 0))[1], by_month.get(m, (0, 0))[0]) for m in months]
    return tuple(Coverage(s, n, linked, n_commits, round(100 * linked / n_commits, 1) if n_commits else None)
                 for s, n, linked, n_commits in rows)


def last_months(now: int) -> list[str]:
    """Pure: the MONTHS calendar months ending with the month of `now`, oldest first ('YYYY-MM')."""
    d = datetime.fromtimestamp(now, UTC)
    index = d.year * 12 + d.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - MONTHS + 1, index + 1)]


def _month_start(month: str) -> int:
    return int(datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC).timestamp())


def _month(t: int) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m")


# --- open postmortem action items ---------------------------------------------------------------

def open_actions(db: Reader, now: int, repo: str | None) -> tuple[list[Item], int]:
    """(the open action items of the incidents `repo` keeps, how many action items they have)."""
    kept = [i for i in incidents.load(db, now=now) if incidents.keep(i, component=None, repo=repo)]
    items: list[Item] = [((i.started_at, i.key, a.key),
              f"{a.key} {a.summary or '(not in the store)'} ({'; '.join(x for x in (a.status, i.key) if x)})")
             for i in kept for a in i.open_actions]
    return items, sum(len(i.action_items) for i in kept)
