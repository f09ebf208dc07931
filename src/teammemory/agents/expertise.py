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
over its files. Bots are left out. Ties: higher score, then later last activity, then person key.

Sources: code-maat's `main-dev`/`entity-ownership` (who holds a file by churn) and pydriller's
`ContributorsCount`/`ContributorsExperience`, extended with review work as in "Who should review
my code?" (Thongtanunam et al., 2015); recency decay because old knowledge fades.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from teammemory.agents import people
from teammemory.agents.evidence import Evidence, Person, Score, days_between, epoch, iso_day, not_found, short
from teammemory.agents.evidence import recency_bonus as decay
from teammemory.agents.expertise_sql import (
    ACTIVITY_SQL,
    ANY_OTHER_SQL,
    COMPONENT_EVIDENCE_SQL,
    COMPONENT_OTHER_SQL,
    COMPONENT_SHARED_SQL,
    COMPONENT_TALLY_SQL,
)
from teammemory.config import Config, ExpertiseWeights
from teammemory.store import Reader, Row

EVIDENCE_PER_KIND = 3
_NEVER = -(2**62)  # before any commit time


@dataclass(frozen=True)
class Activity:
    """One thing a person did on a file: a commit, a review or a comment (what `rank` counts)."""

    root: str  # the file it counts for
    person: Person
    kind: str  # commit | review | comment
    ref: str  # identity of the counted thing: 'repo@hash', 'repo#12', 'issue comment PROJ-1/7'
    at: int | None
    path: str = ""  # the path as the commit saw it (an earlier name after a rename)
    churn: int = 0
    label: str = ""  # shown in evidence: short hash or '#12'; '' = not shown
    summary: str = ""
    found_by: str = ""
    is_bot: bool = False


@dataclass(frozen=True)
class Tally:
    """A person's commit work counted in SQL (a component's): the Activity rows of kind 'commit'
    and trailer reviews given with it then serve as evidence only."""

    commits: int
    reviews: int  # commits naming the person in a reviewer trailer
    churn: int
    last_at: int | None


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
    kind: str  # file | component
    name: str
    paths: tuple[str, ...]  # the paths whose history counted (earlier names included)
    experts: tuple[Expert, ...]
    bots_excluded: tuple[str, ...]
    as_of: str


def ask_file(db: Reader, path: str, *, now: datetime, config: Config, repo: str | None = None) -> Expertise:
    """Experts on `path` (following its renames); NotFound with close paths when unknown."""
    repos = people.file_repos(db, path, repo)
    if not repos:
        raise not_found("file", path, people.all_paths(db))
    spans = people.lineage(db, path, repos)
    cte, params = people.spans_cte(spans)
    rows = activity(db, cte, params)
    paths = tuple(sorted({s.path for s in spans}))
    return _result("file", path, paths, rows, now, config.expertise)


def ask_component(db: Reader, name: str, *, now: datetime, config: Config) -> Expertise:
    """Experts on every file of component `name`; NotFound with close names when unknown."""
    paths = tuple(sorted({str(r["path"]) for r in db.all("select path from files where component = :c",
                                                         c=name)}))
    if not paths or not name:
        raise not_found("component", name, people.components(db))
    rows, counts = component_activity(db, name)
    bots = tuple(sorted({a.person.name for a in rows if a.is_bot}))
    ranked = rank(rows, now=now, weights=config.expertise, tallies=counts)
    return Expertise("component", name, paths, ranked, bots, iso_day(epoch(now)))


def _result(kind: str, name: str, paths: tuple[str, ...], rows: list[Activity], now: datetime,
            weights: ExpertiseWeights) -> Expertise:
    bots = tuple(sorted({a.person.name for a in rows if a.is_bot}))
    return Expertise(kind, name, paths, rank(rows, now=now, weights=weights), bots, iso_day(epoch(now)))


def activity(db: Reader, cte: str, params: dict[str, object], *, skip: tuple[str, int] = ("", -1)
             ) -> list[Activity]:
    """Every commit, review and comment on the target files, as Activity rows (SQL only here).

    `skip` = (repo, number) of a PR whose own commits, reviews and comments are left out.
    """
    p = {**params, "skip_repo": skip[0], "skip_number": skip[1]}
    rows = db.all(ACTIVITY_SQL.format(target=cte), **p)
    who = people.lookup(db, {str(r["identity_key"]) for r in rows})
    out = []
    for r in rows:
        w = people.who(who, r["identity_key"])
        out.append(_commit(r, w) if r["kind"] == "commit" else _review(r, w) if r["kind"] == "review" else
                   Activity(r["root"], w.person, "comment", r["ref"], r["at"], is_bot=w.is_bot))
    return out


def component_activity(db: Reader, name: str) -> tuple[list[Activity], dict[str, Tally]]:
    """A component's work: commits counted per person (Tally, mostly in SQL), plus as Activity rows
    the evidence candidates among them and every review and comment (see expertise_sql)."""
    tally = db.all(COMPONENT_TALLY_SQL, component=name)
    shared = db.all(COMPONENT_SHARED_SQL, component=name)
    rows = db.all(COMPONENT_EVIDENCE_SQL, component=name)
    if db.one(ANY_OTHER_SQL):
        rows += db.all(COMPONENT_OTHER_SQL, component=name)
    who = people.lookup(db, {str(r["identity_key"]) for r in rows + tally})
    out = []
    for r in rows:
        w = people.who(who, r["identity_key"])
        row = {**r, "root": name, "path": ""}
        out.append(_commit(row, w) if r["kind"] == "commit" else _review(row, w) if r["kind"] == "review" else
                   Activity(name, w.person, "comment", r["ref"], r["at"], is_bot=w.is_bot))
    return out, tallies(tally, shared, lambda key: people.who(who, key).person.key)


def tallies(counted: list[Row], shared: list[Row], person_of: Callable[[str], str]) -> dict[str, Tally]:
    """Per person: commits and churn (author, co-author), trailer reviews, last commit time, from
    `counted` rows per (account, role) and `shared` rows per (person, reviewed), already deduped."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, _NEVER])  # commits, reviews, churn, last

    def add(person: str, reviewed: bool, n: int, churn: int, at: int) -> None:
        t = sums[person]
        t[1 if reviewed else 0] += n
        t[2] += 0 if reviewed else churn
        t[3] = max(t[3], at)

    for r in counted:
        add(person_of(str(r["identity_key"])), r["role"] == "reviewer", int(r["n"]), int(r["churn"]),
            int(r["last_at"]))
    for r in shared:
        add(str(r["person_key"]), bool(r["reviewed"]), int(r["n"]), int(r["churn"]), int(r["last_at"]))
    return {k: Tally(t[0], t[1], t[2], t[3]) for k, t in sums.items()}


def _commit(r: dict[str, object], w: people.Who) -> Activity:
    reviewer = r["role"] == "reviewer"
    return Activity(str(r["root"]), w.person, "review" if reviewer else "commit", f"{r['repo']}@{r['hash']}",
                    _int(r["at"]), path=str(r["path"]), churn=0 if reviewer else int(str(r["churn"])),
                    label=short(str(r["hash"])), summary=str(r["title"]),
                    found_by="reviewer trailer" if reviewer else str(r["role"]), is_bot=w.is_bot)


def _review(r: dict[str, object], w: people.Who) -> Activity:
    number = int(str(r["number"]))
    return Activity(str(r["root"]), w.person, "review", f"{r['repo']}#{number}", _int(r["at"]),
                    label=f"#{number}", summary=str(r["title"]), found_by="reviewed PR", is_bot=w.is_bot)


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


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
    counted = acts if tally is None else [a for a in acts if a.kind == "comment" or a.label.startswith("#")]
    t = tally or Tally(0, 0, 0, None)
    refs = {kind: {a.ref for a in counted if a.kind == kind} for kind in ("commit", "review", "comment")}
    churn = t.churn + sum({(a.ref, a.path): a.churn for a in counted if a.kind == "commit"}.values())
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


def _evidence(acts: list[Activity]) -> tuple[Evidence, ...]:
    """The most recent few commits and PRs behind a score (newest first, then by ref)."""
    items: dict[tuple[str, str], Evidence] = {}
    for a in sorted(acts, key=lambda a: (-(a.at or 0), a.label, a.ref, a.found_by)):
        kind = "pr" if a.label.startswith("#") else "commit"
        if a.label and (kind, a.label) not in items:
            items[(kind, a.label)] = Evidence(kind, a.label, a.summary, a.at, a.found_by, a.person.name)
    commits = [e for k, e in items.items() if k[0] == "commit"][:EVIDENCE_PER_KIND]
    prs = [e for k, e in items.items() if k[0] == "pr"][:EVIDENCE_PER_KIND]
    return tuple(commits + prs)
