"""Hygiene's commit counts read from the link counts kept at ingest (store/link_counts.py).

"Commits without an issue key" and the link coverage per repository, component and month both
count people's non-merge commits and those among them that name a key that counts as a link.
At a `now` at or after the newest commit every commit counts, so these come from
commit_link_counts (a few hundred rows: commits per repository and month, and per component, by
the projects their keys name) less the bots' commits (read one by one: they are few, and which
accounts are bots is config's and identity resolution's, not the counts'). An earlier `now` reads
the raw rows (agents/sql/hygiene.sql); both give the same numbers (tests/agents/test_hygiene_links.py).

Which projects make a key a link is the caller's (`Links`: None = every key, else the projects,
spelled as commits spell them).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents import paths
from teammemory.store import Reader, queries
from teammemory.store.link_counts import NO_MONTH, REPOSITORY, built_under, month_of

Q = queries.load("teammemory.agents.sql", "hygiene.sql")
Links = Collection[str] | None  # the projects whose keys are links; None: every key is one


class CountRow(NamedTuple):
    repo: str
    component: str
    month: int
    is_merge: int
    projects: str
    commits: int


class StateRow(NamedTuple):
    built: str | None
    rules: str | None
    commits: int


class BotRow(NamedTuple):
    repo: str
    authored_at: int
    projects: str
    component: str


@dataclass(frozen=True)
class Counted:
    """One count: `commits` commits (negative for bots' commits taken out) of a repository and
    UTC month (component ''), or of a component (month -1), naming keys of `projects`."""

    repo: str
    component: str
    month: int
    is_merge: bool
    projects: tuple[str, ...]
    commits: int


@dataclass(frozen=True)
class LinkCounts:
    counted: tuple[Counted, ...]
    named: frozenset[str]  # every project a stored commit's keys name


def read(db: Reader, now: int, repo: str | None) -> LinkCounts | None:
    """The counts for `repo` (every repository: None), or None when `now` is before the newest
    commit or the counts do not hold the store's commits as they are linked now (the raw rows
    answer then)."""
    state = db.fetch_one(Q["link-counts-state"], StateRow, repo=repo or "")
    if state is None or state.built != built_under(state.rules) or not paths.sees_all(db, now):
        return None
    decoded: dict[str, tuple[str, ...]] = {}

    def projects(text: str) -> tuple[str, ...]:
        if text not in decoded:
            decoded[text] = tuple(json.loads(text))
        return decoded[text]

    counted = [Counted(r.repo, r.component, r.month, bool(r.is_merge), projects(r.projects), int(r.commits))
               for r in db.fetch(Q["link-counts"], CountRow, repo=repo or "")]
    if sum(c.commits for c in counted if c.component == REPOSITORY) != state.commits:
        return None
    named = frozenset(p for c in counted for p in c.projects)
    counted += [Counted(b.repo, b.component, month_of(b.authored_at) if b.component == REPOSITORY else NO_MONTH,
                        False, projects(b.projects), -1)
                for b in db.fetch(Q["bot-link-commits"], BotRow, repo=repo or "")]
    return LinkCounts(tuple(counted), named)


def is_link(projects: tuple[str, ...], links: Links) -> bool:
    """Pure: a commit naming keys of `projects` is linked (any key when `links` is None)."""
    return bool(projects) if links is None else any(p in links for p in projects)


def people(counts: LinkCounts, component: bool = False) -> Iterator[Counted]:
    """The counts of people's non-merge commits: the repositories' rows (or the components')."""
    return (c for c in counts.counted if not c.is_merge and (c.component != REPOSITORY) == component)


def commit_totals(counts: LinkCounts, links: Links) -> tuple[int, int, int]:
    """Pure: (every commit, people's non-merge commits, how many of those are linked)."""
    total = sum(c.commits for c in counts.counted if c.component == REPOSITORY and c.commits > 0)
    mine = list(people(counts))
    return total, sum(c.commits for c in mine), sum(c.commits for c in mine if is_link(c.projects, links))


def by_name(counts: LinkCounts, links: Links, component: bool) -> dict[str, tuple[int, int]]:
    """Pure: name (repository, or component) -> (people's commits, linked), those with commits."""
    out: dict[str, list[int]] = {}
    for c in people(counts, component):
        t = out.setdefault(c.component if component else c.repo, [0, 0])
        t[0] += c.commits
        t[1] += c.commits if is_link(c.projects, links) else 0
    return {name: (n, linked) for name, (n, linked) in out.items() if n > 0}


def by_month(counts: LinkCounts, links: Links) -> dict[str, tuple[int, int]]:
    """Pure: 'YYYY-MM' -> (people's commits, linked) over the repositories."""
    out: dict[str, list[int]] = {}
    for c in people(counts):
        t = out.setdefault(f"{c.month // 12:04d}-{c.month % 12 + 1:02d}", [0, 0])
        t[0] += c.commits
        t[1] += c.commits if is_link(c.projects, links) else 0
    return {m: (n, linked) for m, (n, linked) in out.items()}
