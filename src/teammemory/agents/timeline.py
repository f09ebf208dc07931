"""Timeline: what happened between two moments, in order — and which changes came together.

Events in [since, min(until, now)]:
- commit / merge: a commit committed then (a merge has more than one parent); its components are
  those of the files it changed (a merge: those of the PR it merged, when the store knows it);
- pr-opened / pr-merged: a PR created / merged then; its components are those of its files;
- release: a git tag dated then (tagger date, else its commit's date; `ingest git` reads tags);
- incident-started / incident-resolved: an incident (agents/incidents.py) starting or resolving then.

Flagged bursts (the "what changed together just before it broke" question): the changes — the
commits that are not merges, and the PR merges — are chained in time order, a change joining the
burst before it when it came at most `window` minutes (default 30) after the burst's last change;
a burst is flagged when its changes touched at least `min_components` (default 2) components. A
single commit touching two components is a burst of one, flagged.

`component` keeps the events with that component (releases, which belong to no component, are
always kept) and the flagged bursts that include it; bursts are found over all changes first, so
a change to the component is flagged with the change to another that came with it.
Order: time, then kind (KIND_ORDER), then repository and reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from teammemory.agents import incidents
from teammemory.agents.evidence import epoch
from teammemory.agents.paths import check_repo
from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "timeline.sql")
EventKind = Literal["release", "incident-started", "pr-opened", "commit", "merge", "pr-merged", "incident-resolved"]
KIND_ORDER: tuple[EventKind, ...] = ("release", "incident-started", "pr-opened", "commit", "merge", "pr-merged",
                                     "incident-resolved")
WINDOW_MINUTES = 30
MIN_COMPONENTS = 2


@dataclass(frozen=True)
class Event:
    at: int
    kind: EventKind
    repo: str
    ref: str  # a full hash, a PR number, a tag name, an incident key
    summary: str
    components: tuple[str, ...] = ()
    burst: int | None = None  # the flagged burst it belongs to (Burst.number)


@dataclass(frozen=True)
class Burst:
    """Changes close in time that together touched several components."""

    number: int
    start_at: int
    end_at: int
    components: tuple[str, ...]
    changes: tuple[str, ...]  # 'commit acme/platform@1a2b3c4', 'PR acme/platform#382'


@dataclass(frozen=True)
class Timeline:
    since_at: int
    until_at: int
    component: str
    rules: str
    events: tuple[Event, ...]
    bursts: tuple[Burst, ...]


class CommitRow(NamedTuple):
    repo: str
    hash: str
    subject: str
    committed_at: int
    is_merge: int
    is_revert: int


class ComponentRow(NamedTuple):
    repo: str
    hash: str
    component: str


class PrRow(NamedTuple):
    repo: str
    number: int
    title: str
    created_at: int | None
    merged_at: int | None
    merge_commit: str


class PrComponentRow(NamedTuple):
    repo: str
    number: int
    component: str


class TagRow(NamedTuple):
    repo: str
    name: str
    hash: str
    tagged_at: int
    subject: str


def ask(db: Reader, *, since: datetime, until: datetime | None = None, now: datetime, config: Config,
        component: str | None = None, window: int = WINDOW_MINUTES,
        min_components: int = MIN_COMPONENTS, repo: str | None = None) -> Timeline:
    """The events between `since` and `until` (default and at most: `now`), of `repo` (None: every
    repository; an incident naming no repository belongs to every one)."""
    check_repo(db, repo)
    start, end = epoch(since), min(epoch(until) if until is not None else epoch(now), epoch(now))
    if until is not None and epoch(until) < start:
        raise InputError("--until", f"{until.isoformat()} is before --since {since.isoformat()}")
    if window < 0:
        raise InputError("--window", f"{window} minutes: must not be negative")
    params = {"since": start, "until": end}
    commits = db.fetch(Q["commits"], CommitRow, **params)
    commit_components = db.fetch(Q["commit-components"], ComponentRow, **params)
    prs = db.fetch(Q["prs"], PrRow, **params)
    pr_components = db.fetch(Q["pr-components"], PrComponentRow, **params)
    tags = db.fetch(Q["tags"], TagRow, **params)
    items = incidents.load(db, now=end)
    events = gather(commits, commit_components, prs, pr_components, tags, items, since=start, until=end)
    if repo is not None:
        events = [e for e in events if e.repo in (repo, "")]
    return arrange(events, since=start, until=end, component=component or "", window=window * 60,
                   min_components=min_components)


def gather(commits: Sequence[CommitRow], commit_components: Sequence[ComponentRow], prs: Sequence[PrRow],
           pr_components: Sequence[PrComponentRow], tags: Sequence[TagRow],
           items: Sequence[incidents.IncidentItem], *, since: int, until: int) -> list[Event]:
    """Pure: rows -> events in the window (not yet ordered or flagged)."""
    by_commit: dict[tuple[str, str], set[str]] = {}
    for r in commit_components:
        by_commit.setdefault((r.repo, r.hash), set()).add(r.component)
    by_pr: dict[tuple[str, int], set[str]] = {}
    for pc in pr_components:
        by_pr.setdefault((pc.repo, pc.number), set()).add(pc.component)
    merged_by = {p.merge_commit: by_pr.get((p.repo, p.number), set()) for p in prs if p.merge_commit}
    out = [Event(c.committed_at, "merge" if c.is_merge else "commit", c.repo, c.hash, c.subject,
                 tuple(sorted(merged_by.get(c.hash, set()) if c.is_merge else by_commit.get((c.repo, c.hash), set()))))
           for c in commits]
    for p in prs:
        comps = tuple(sorted(by_pr.get((p.repo, p.number), set())))
        if p.created_at is not None and since <= p.created_at <= until:
            out.append(Event(p.created_at, "pr-opened", p.repo, str(p.number), p.title, comps))
        if p.merged_at is not None and since <= p.merged_at <= until:
            out.append(Event(p.merged_at, "pr-merged", p.repo, str(p.number), p.title, comps))
    out += [Event(t.tagged_at, "release", t.repo, t.name, t.subject or f"tag {t.name} at {t.hash[:7]}") for t in tags]
    for i in items:
        label = f"{i.severity} {i.title}".strip()
        if since <= i.started_at <= until:
            out.append(Event(i.started_at, "incident-started", i.repo, i.key, label, i.component_names))
        if i.resolved_at is not None and since <= i.resolved_at <= until:
            out.append(Event(i.resolved_at, "incident-resolved", i.repo, i.key, label, i.component_names))
    return out


def arrange(events: Sequence[Event], *, since: int, until: int, component: str, window: int,
            min_components: int, rules: str = "") -> Timeline:
    """Pure: order the events, find the flagged bursts, apply the component filter."""
    ordered = sorted(events, key=lambda e: (e.at, KIND_ORDER.index(e.kind), e.repo, e.ref))
    bursts, member = flag_bursts(ordered, window=window, min_components=min_components)
    tagged = [Event(e.at, e.kind, e.repo, e.ref, e.summary, e.components, member.get(n)) for n, e in enumerate(ordered)]
    if component:
        low = component.lower()
        tagged = [e for e in tagged if e.kind == "release" or low in {c.lower() for c in e.components}]
        bursts = [b for b in bursts if low in {c.lower() for c in b.components}]
    text = rules or (f"changes (commits that are not merges, PR merges) at most {window // 60} minutes apart form a"
                     f" burst; a burst touching {min_components} or more components is flagged")
    return Timeline(since, until, component, text, tuple(tagged), tuple(bursts))


def is_change(e: Event) -> bool:
    return e.kind in ("commit", "pr-merged")


def flag_bursts(ordered: Sequence[Event], *, window: int, min_components: int) -> tuple[list[Burst], dict[int, int]]:
    """Pure: chain changes at most `window` seconds apart; keep chains touching enough components.
    Returns the flagged bursts (numbered from 1) and {event index: burst number}."""
    chains: list[list[int]] = []
    last = None
    for n, e in enumerate(ordered):
        if not is_change(e):
            continue
        if last is None or e.at - last > window:
            chains.append([])
        chains[-1].append(n)
        last = e.at
    bursts: list[Burst] = []
    member: dict[int, int] = {}
    for chain in chains:
        comps = sorted({c for n in chain for c in ordered[n].components})
        if len(comps) < max(1, min_components):
            continue
        number = len(bursts) + 1
        changes = tuple(f"commit {ordered[n].repo}@{ordered[n].ref[:7]}" if ordered[n].kind == "commit"
                        else f"PR {ordered[n].repo}#{ordered[n].ref}" for n in chain)
        bursts.append(Burst(number, ordered[chain[0]].at, ordered[chain[-1]].at, tuple(comps), changes))
        member.update({n: number for n in chain})
    return bursts, member
