"""Expertise: who knows a file (or a component) best, and the evidence for it.

Two scorings (`expertise.scoring`, agents/scoring.py). `fading` (the default):

    score = sum over the person's commits, reviews and comments of value * 2^(-age_days/half_life_days)
    value = mass * (kind weight + log2(1 + lines)),  mass = 1/max(1, files/mass_files)

(kind weight commit 10, review 8, comment 2; lines only for commits; files = the commit's files,
the reviewed PR's files, 1 for a comment; a component counts each commit once by its lines on the
component, without the mass cap). People whose last activity anywhere is older than
`inactive_days` are left out unless `include_inactive`, and the answer names them
(`inactive_left_out`, best score first). Terms: the faded sums of commits, reviews and comments;
inputs: the counts, churn, days since last activity, half-life and mass_files.
`article`, the article's formula with its exact terms:

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

As of `now`: only commits authored, PRs created, reviews submitted and comments written at or
before `now` count, and only files a commit had changed by then are known (a commit's time is its
author time, as in every window and summary table of TeamMemory; a commit authored before `now`
but committed after it, by a rebase, counts). `repo` restricts a file or a component to one
repository.

Sources: code-maat's `main-dev`/`entity-ownership` (who holds a file by churn) and pydriller's
`ContributorsCount`/`ContributorsExperience`, extended with review work as in "Who should review
my code?" (Thongtanunam et al., 2015); recency decay because old knowledge fades.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from teammemory.agents import expertise_activity as act
from teammemory.agents import paths, scoring
from teammemory.agents.evidence import Evidence, Person, Score, days_between, epoch, iso_day, not_found
from teammemory.agents.evidence import recency_bonus as decay
from teammemory.agents.expertise_activity import Activity, Kind, Tally, Work, activity, component_activity
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
    # fading scoring: the people left out as inactive (last activity anywhere more than
    # `inactive_days` ago), best score first, so an answer can say who is missing and why
    inactive_left_out: tuple[Person, ...] = ()
    inactive_days: float = 0.0


def ask_file(db: Reader, path: str, *, now: datetime, config: Config, repo: str | None = None,
             include_inactive: bool = False) -> Expertise:
    """Experts on `path` (following its renames) as of `now`; NotFound with close paths when unknown.
    Fading scoring: people inactive longer than `inactive_days` are left out unless `include_inactive`."""
    paths.check_repo(db, repo)
    at = epoch(now)
    repos = paths.file_repos(db, path, repo, now=at)
    if not repos:
        raise not_found("file", path, paths.all_paths(db, now=at, repo=repo))
    spans = paths.lineage(db, path, repos)
    rows = activity(db, *paths.spans_cte(spans), now=at)
    names = tuple(sorted({s.path for s in spans}))
    return _result("file", path, names, rows, now, config.expertise,
                   last_seen=seen(db, rows, at, config.expertise, include_inactive))


def ask_component(db: Reader, name: str, *, now: datetime, config: Config, repo: str | None = None,
                  include_inactive: bool = False, files: tuple[str, ...] | None = None) -> Expertise:
    """Experts on every file of component `name` (in `repo`, or in every repository) as of `now`;
    NotFound with close names when unknown. `files`: the caller's `paths.component_files` of the
    same arguments, when it has read them already."""
    paths.check_repo(db, repo)
    at = epoch(now)
    files = paths.component_files(db, name, now=at, repo=repo) if files is None else files
    if not files or not name:
        raise not_found("component", name, paths.components(db, now=at, repo=repo))
    fading = config.expertise.scoring == "fading"
    rows, counts, work, bots = component_activity(db, name, now=at, repo=repo, every_commit=fading)
    last = seen(db, rows, at, config.expertise, include_inactive, work)
    return _result("component", name, files, rows, now, config.expertise, None if fading else counts, last,
                   work, bots)


def seen(db: Reader, rows: list[Activity], now: int, w: ExpertiseWeights, include_inactive: bool,
         work: Mapping[str, Work] | None = None) -> dict[str, int] | None:
    """Each person's last activity anywhere, for the fading scoring's inactive cut (None: no cut)."""
    if w.scoring != "fading" or include_inactive or w.inactive_days <= 0:
        return None
    acts = [(a.person.key, a.at) for a in rows if not a.is_bot] + [(k, x.last_at) for k, x in (work or {}).items()]
    return last_seen(db, acts, now, w)


def last_seen(db: Reader, acts: Iterable[tuple[str, int | None]], now: int, w: ExpertiseWeights) -> dict[str, int]:
    """Last activity anywhere of the people whose activity here (`acts`: person key, time) is
    all older than the inactive cut; the others are active already, so the store is not asked."""
    here: dict[str, int] = {}
    for key, at in acts:
        here[key] = max(here.get(key, 0), at or 0)
    old = {k for k, at in here.items() if scoring.inactive(at, now, w)}
    return {**here, **act.last_activity(db, old, now=now)} if old else here


def _result(kind: Subject, name: str, files: tuple[str, ...], rows: list[Activity],
           now: datetime, weights: ExpertiseWeights, tallies: dict[str, Tally] | None = None,
           last_seen: Mapping[str, int] | None = None, work: Mapping[str, Work] | None = None,
           work_bots: tuple[str, ...] = ()) -> Expertise:
    bots = tuple(sorted({a.person.name for a in rows if a.is_bot} | set(work_bots)))
    at = epoch(now)
    ranked: list[Expert] = []
    left_out: list[Person] = []
    for _, e in scored(rows, now=now, weights=weights, tallies=tallies, work=work):
        if scoring.active(last_seen, e.person.key, e.last_activity, at, weights):
            ranked.append(e)
        else:
            left_out.append(e.person)
    return Expertise(kind, name, files, tuple(ranked), bots, iso_day(at), tuple(left_out),
                     weights.inactive_days if last_seen is not None else 0.0)


def rank(rows: Iterable[Activity], *, now: datetime, weights: ExpertiseWeights,
         tallies: dict[str, Tally] | None = None, last_seen: Mapping[str, int] | None = None,
         work: Mapping[str, Work] | None = None) -> tuple[Expert, ...]:
    """Pure: group non-bot rows by person, score each, sort by (-score, -last_activity, key).

    With `tallies` (person key -> commit work counted in SQL; article scoring), a person's commits,
    trailer reviews, churn and last commit come from the tally, and their commit rows are evidence
    only. With `last_seen` (person key -> last activity anywhere; fading scoring), people whose
    last activity is older than `inactive_days` are left out. With `work` (person key -> their
    component commits folded, expertise_activity.fold_commits; fading scoring), those commits count
    as if they were rows."""
    return tuple(e for _, e in scored(rows, now=now, weights=weights, tallies=tallies, last_seen=last_seen,
                                      work=work))


def scored(rows: Iterable[Activity], *, now: datetime, weights: ExpertiseWeights,
           tallies: dict[str, Tally] | None = None, last_seen: Mapping[str, int] | None = None,
           work: Mapping[str, Work] | None = None) -> list[tuple[float, Expert]]:
    """`rank` with each expert's exact (unrounded) score, which orders them and which review
    routing sums."""
    at = epoch(now)
    by_person: dict[str, list[Activity]] = defaultdict(list)
    for a in rows:
        if not a.is_bot:
            by_person[a.person.key].append(a)
    if weights.scoring == "fading":
        work = work or {}
        experts = [_fading(by_person.get(key, []), at, weights, work.get(key))
                   for key in set(by_person) | set(work)]
        experts = [x for x in experts if scoring.active(last_seen, x[1].person.key, x[1].last_activity, at, weights)]
    else:
        experts = [_exact(_expert(acts, at, weights, (tallies or {}).get(key))) for key, acts in by_person.items()]
    return sorted(experts, key=lambda x: (-x[0], -(x[1].last_activity or 0), x[1].person.key))


def _exact(e: Expert) -> tuple[float, Expert]:
    """The article scoring orders by its rounded total, as it always has."""
    return e.score.total, e


def _fading(acts: list[Activity], now: int, w: ExpertiseWeights, work: Work | None = None
            ) -> tuple[float, Expert]:
    """One person's fading score: each commit, review and comment once, valued by scoring.value
    (mass cap, log-scaled lines) and faded by its age; the counts behind it are the inputs.
    `work`: more of their commits, folded (a component's; one file each)."""
    churns: dict[tuple[str, str], int] = {}  # per (commit, path): a commit's lines count once
    seen_at: dict[tuple[Kind, str], tuple[int, int]] = {}  # (kind, ref) -> (time, files)
    for a in acts:
        # one per commit, per reviewed PR, per comment: at its latest time (a PR reviewed twice once)
        seen_at[(a.kind, a.ref)] = max(seen_at.get((a.kind, a.ref), (0, 0)), (a.at or 0, a.files))
        if a.kind == "commit":
            churns[(a.ref, a.path)] = a.churn
    folded: dict[tuple[Kind, str], int] = {}  # `work`'s (kind, ref) -> time, one file each
    lines: dict[str, int] = {}
    if work is not None:
        folded = work.seen
        for key in seen_at.keys() & folded.keys():
            seen_at[key] = max(seen_at[key], (folded[key], 1))
        lines = dict(work.churn)  # its (ref, '') churn replaces a row's of the same ref and path ''
        churns = {k: n for k, n in churns.items() if not (k[1] == "" and k[0] in work.churn)}
    for (ref, _), n in churns.items():
        lines[ref] = lines.get(ref, 0) + n
    authored = {ref for kind, ref in seen_at if kind == "commit"} | lines.keys()
    parts: dict[Kind, list[float]] = {"commit": [], "review": [], "comment": []}
    # A component's work is tens of thousands of commits over a few thousand distinct (kind,
    # files, lines): each value is computed once (the same call, so the same float). The sums are
    # fsum, exact whatever the order, so `work`'s contributions are visited on their own.
    values: dict[tuple[Kind, int, int], float] = {}
    fade, half_life = scoring.fade, w.half_life_days

    def value(kind: Kind, ref: str, files: int) -> float | None:
        if kind == "review" and ref in authored:
            return None  # a commit's own author named as its reviewer is no second pair of eyes
        vkey = (kind, files, lines.get(ref, 0) if kind == "commit" else 0)
        v = values.get(vkey)
        if v is None:
            v = values[vkey] = scoring.value(kind, files, vkey[2], w)
        return v

    for (kind, ref), (at, files) in seen_at.items():
        v = value(kind, ref, files)
        if v is not None:
            parts[kind].append(v * fade(now - at, half_life))
    if folded:
        # the bulk (tens of thousands on a large component), inlined: one file each, so a commit's
        # value depends on its lines only; the same scoring.value and scoring.fade floats as above
        # fade(age, h) is 2.0 ** (-max(0.0, age) / (h * DAY)), written out: the same float
        per = half_life * scoring.DAY if half_life > 0 else 0.0
        commit_v: dict[int, float] = {}
        review_v = scoring.value("review", 1, 0, w)
        commits_out, reviews_out = parts["commit"], parts["review"]
        for key, at in folded.items():
            if key in seen_at:
                continue
            age = now - at
            f = (2.0 ** (-(age if age > 0 else 0.0) / per)) if per else 1.0
            ref = key[1]
            if key[0] == "commit":
                n = lines.get(ref, 0)
                v = commit_v.get(n)
                if v is None:
                    v = commit_v[n] = scoring.value("commit", 1, n, w)
                commits_out.append(v * f)
            elif ref not in authored:
                reviews_out.append(review_v * f)
    counts = {k: len(v) for k, v in parts.items()}
    # fsum: exactly rounded whatever the row order, so SQLite and PostgreSQL give the same totals
    terms = {f"{k}s": math.fsum(v) for k, v in parts.items()}
    times = [a.at for a in acts if a.at is not None] + ([work.last_at] if work is not None else [])
    last = max(times) if times else None
    days = days_between(last, now) if last is not None else None
    churn = sum(churns.values()) + (sum(work.churn.values()) if work is not None else 0)
    score = Score.of(
        f"sum of mass*(kind weight + log2(1 + lines))*2^(-age_days/{w.half_life_days:g}),"
        f" mass = 1/max(1, files/{w.mass_files:g}); commit {w.commit:g}, review {w.review:g}, comment {w.comment:g}",
        {"commits": counts["commit"], "reviews": counts["review"], "comments": counts["comment"], "churn": churn,
         "days_since_last_activity": "" if days is None else days, "half_life_days": w.half_life_days,
         "mass_files": w.mass_files},
        terms)
    line = (f"commits: {counts['commit']:,}, reviews: {counts['review']:,}, comments: {counts['comment']:,}, "
            f"churn: {churn:,}, last activity: {iso_day(last) or 'unknown'}")
    person = acts[0].person if acts else work.person if work is not None else None
    assert person is not None, "a person with no activity is never scored"
    expert = Expert(person, score, counts["commit"], counts["review"], counts["comment"], churn, last,
                    iso_day(last), line, _evidence(acts))
    return math.fsum(terms.values()), expert


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
    line = (f"commits: {commits:,}, reviews: {reviews:,}, comments: {comments:,}, churn: {churn:,}, "
            f"last activity: {iso_day(last) or 'unknown'}")
    return Expert(acts[0].person, score, commits, reviews, comments, churn, last, iso_day(last), line,
                  _evidence(acts))


def _counted(acts: list[Activity], tally: Tally | None) -> list[Activity]:
    """The rows a score counts: all, or with a tally (which holds the commit work) the PR reviews
    and comments only."""
    return acts if tally is None else [a for a in acts if a.source in ("pr-review", "comment")]


def _evidence(acts: list[Activity]) -> tuple[Evidence, ...]:
    """The most recent few commits, PRs and commented PRs/issues behind a score (newest first,
    then by ref): a person credited for comments only shows what they commented on."""
    items: dict[tuple[str, str], Evidence] = {}
    for a in sorted(acts, key=lambda a: (-(a.at or 0), a.label, a.ref, a.found_by)):
        kind = {"pr-review": "pr", "comment": "comment"}.get(a.source, "commit")
        if a.label and (kind, a.label) not in items:
            items[(kind, a.label)] = Evidence(kind, a.label, a.summary, a.at, a.found_by, a.person.name)
    return tuple(e for want in ("commit", "pr", "comment")
                 for e in [e for k, e in items.items() if k[0] == want][:EVIDENCE_PER_KIND])
