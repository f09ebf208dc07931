"""Expertise: who knows a file (or a component) best, and the evidence for it.

    score = commits*10 + reviews*8 + comments*2 + churn/20 + recency_bonus
    recency_bonus = 20 * max(0, 1 - days_since_last_activity/180)

(weights from `config.expertise`). For a file, following renames backwards (each earlier name
only up to the rename): commits = distinct non-merge commits touching it that the person
authored or co-authored; churn = their added+deleted lines on it; reviews = one per reviewer
per PR that touched it (the PR lists the file, or one of its commits changed it; any state but
PENDING) plus commits touching it whose trailers name the person as reviewer; comments = review
comments on the file, conversation comments on those PRs, and Jira comments on issues linked
to those commits or PRs; last activity = the latest of all of it. A component sums the same
over its files (its commits counted in SQL, see expertise_activity). Accounts are people as the
`persons` view groups them; bots are left out. Ties: higher score, then later last activity, then
person key.

Sources: code-maat's `main-dev`/`entity-ownership` (who holds a file by churn) and pydriller's
`ContributorsCount`/`ContributorsExperience`, extended with review work as in "Who should review
my code?" (Thongtanunam et al., 2015); recency decay because old knowledge fades.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from teammemory.agents import paths
from teammemory.agents.evidence import Evidence, Person, Score, days_between, epoch, iso_day, not_found
from teammemory.agents.evidence import recency_bonus as decay
from teammemory.agents.expertise_activity import Activity, Kind, Tally, activity, component_activity
from teammemory.config import Config, ExpertiseWeights
from teammemory.store import Reader

EVIDENCE_PER_KIND = 3
Subject = Literal["file", "component"]


@dataclass(frozen=True)
class Expert:
    person: Person
    score: Score
    commits: int
    reviews: int
    comments: int
    churn: int
    last_activity: int | None
    last_activity_day: str
    summary: str  # 'commits: 4, reviews: 2, comments: 1, churn: 430, last activity: 2026-05-20'
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Expertise:
    kind: Subject
    name: str
    paths: tuple[str, ...]  # the paths whose history counted (earlier names included)
    experts: tuple[Expert, ...]
    bots_excluded: tuple[str, ...]
    as_of: str


def ask_file(db: Reader, path: str, *, now: datetime, config: Config, repo: str | None = None) -> Expertise:
    """Experts on `path` (following its renames); NotFound with close paths when unknown."""
    repos = paths.file_repos(db, path, repo)
    if not repos:
        raise not_found("file", path, paths.all_paths(db))
    spans = paths.lineage(db, path, repos)
    rows = activity(db, *paths.spans_cte(spans))
    names = tuple(sorted({s.path for s in spans}))
    return _result("file", path, names, rows, now, config.expertise)


def ask_component(db: Reader, name: str, *, now: datetime, config: Config) -> Expertise:
    """Experts on every file of component `name`; NotFound with close names when unknown."""
    files = paths.component_files(db, name)
    if not files or not name:
        raise not_found("component", name, paths.components(db))
    rows, counts = component_activity(db, name)
    return _result("component", name, files, rows, now, config.expertise, counts)


def _result(kind: Subject, name: str, files: tuple[str, ...], rows: list[Activity],
           now: datetime, weights: ExpertiseWeights, tallies: dict[str, Tally] | None = None) -> Expertise:
    bots = tuple(sorted({a.person.name for a in rows if a.is_bot}))
    ranked = rank(rows, now=now, weights=weights, tallies=tallies)
    return Expertise(kind, name, files, ranked, bots, iso_day(epoch(now)))


def rank(rows: Iterable[Activity], *, now: datetime, weights: ExpertiseWeights,
         tallies: dict[str, Tally] | None = None) -> tuple[Expert, ...]:
    """Pure: group non-bot rows by person, score each, sort by (-score, -last_activity, key).

    With `tallies` (person key -> commit work counted in SQL), a person's commits, trailer reviews,
    churn and last commit come from the tally, and their commit rows are evidence only."""
    by_person: dict[str, list[Activity]] = defaultdict(list)
    for a in rows:
        if not a.is_bot:
            by_person[a.person.key].append(a)
    experts = [_expert(acts, epoch(now), weights, (tallies or {}).get(key))
               for key, acts in by_person.items()]
    return tuple(sorted(experts, key=lambda e: (-e.score.total, -(e.last_activity or 0), e.person.key)))


def _expert(acts: list[Activity], now: int, w: ExpertiseWeights, tally: Tally | None = None) -> Expert:
    t = tally or Tally(0, 0, 0, None)
    counted = _counted(acts, tally)
    refs: dict[Kind, set[str]] = {"commit": set(), "review": set(), "comment": set()}
    churns: dict[tuple[str, str], int] = {}  # per (commit, path): a commit's lines count once
    for a in counted:
        refs[a.kind].add(a.ref)
        if a.kind == "commit":
            churns[(a.ref, a.path)] = a.churn
    churn = t.churn + sum(churns.values())
    times = [a.at for a in counted if a.at is not None] + ([t.last_at] if t.last_at is not None else [])
    last = max(times) if times else None
    days = days_between(last, now) if last is not None else None
    commits, reviews, comments = t.commits + len(refs["commit"]), t.reviews + len(refs["review"]), len(refs["comment"])
    bonus = decay(days, full=w.recency_bonus, horizon=w.recency_days) if days is not None else 0.0
    score = Score.of(
        f"commits*{w.commit:g} + reviews*{w.review:g} + comments*{w.comment:g} + churn/{w.churn_divisor:g}"
        f" + {w.recency_bonus:g}*max(0, 1 - days_since_last_activity/{w.recency_days:g})",
        {"commits": commits, "reviews": reviews, "comments": comments, "churn": churn,
         "days_since_last_activity": "" if days is None else days},
        {"commits": commits * w.commit, "reviews": reviews * w.review, "comments": comments * w.comment,
         "churn": churn / w.churn_divisor if w.churn_divisor else 0.0, "recency_bonus": bonus})
    line = (f"commits: {commits}, reviews: {reviews}, comments: {comments}, churn: {churn}, "
            f"last activity: {iso_day(last) or 'unknown'}")
    return Expert(acts[0].person, score, commits, reviews, comments, churn, last, iso_day(last), line,
                  _evidence(acts))


def _counted(acts: list[Activity], tally: Tally | None) -> list[Activity]:
    """The rows a score counts: all, or with a tally (which holds the commit work) the PR reviews
    and comments only."""
    return acts if tally is None else [a for a in acts if a.source in ("pr-review", "comment")]


def _evidence(acts: list[Activity]) -> tuple[Evidence, ...]:
    """The most recent few commits and PRs behind a score (newest first, then by ref)."""
    items: dict[tuple[str, str], Evidence] = {}
    for a in sorted(acts, key=lambda a: (-(a.at or 0), a.label, a.ref, a.found_by)):
        kind = "pr" if a.source == "pr-review" else "commit"
        if a.label and (kind, a.label) not in items:
            items[(kind, a.label)] = Evidence(kind, a.label, a.summary, a.at, a.found_by, a.person.name)
    commits = [e for k, e in items.items() if k[0] == "commit"][:EVIDENCE_PER_KIND]
    prs = [e for k, e in items.items() if k[0] == "pr"][:EVIDENCE_PER_KIND]
    return tuple(commits + prs)
