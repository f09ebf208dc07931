"""Review routing: who should review this pull request, and what each of them knows of it.

    total(candidate) = sum over the PR's files of the candidate's file expertise score

where the file expertise score is exactly `expertise.rank`'s (commits*10 + reviews*8 +
comments*2 + churn/20 + recency bonus, renames followed). The PR's files are its `pr_files`, or
else the files its commits changed. The PR's own activity is left out: its commits, its reviews
and its comments must not make anyone an expert on the PR itself (otherwise its author, and
whoever already reviewed it, would always come first). Never suggested: the PR's author (any
account of the author's developer), whoever wrote or co-wrote one of its commits (they are
listed as `contributors`: a co-author reviewing their own code is no second pair of eyes), and
bots. Reviewers already requested are flagged, not
removed. Ties: higher total, then more files known, then later last activity, then person key.

The PR's queries are agents/sql/review_routing.sql; the file expertise is expertise.sql's
`file-activity` with the PR skipped.

Sources: "Who should review my code?" (Thongtanunam et al., SANER 2015) and the expertise
recommenders it compares (ReviewBot's line history, cHRev's review history), reduced to the
expertise formula this project already explains.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from teammemory.agents import expertise, paths, persons
from teammemory.agents.evidence import Evidence, Person, Score, epoch, iso_day, not_found
from teammemory.agents.expertise_activity import Activity, activity
from teammemory.config import Config, ExpertiseWeights
from teammemory.errors import InputError
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "review_routing.sql")


class PrRow(NamedTuple):
    repo: str
    number: int
    title: str
    author_key: str | None


class NumberRow(NamedTuple):
    number: int


class PathRow(NamedTuple):
    path: str


class ReviewerRow(NamedTuple):
    reviewer_key: str


class AccountRow(NamedTuple):
    identity_key: str


@dataclass(frozen=True)
class FileKnowledge:
    path: str
    score: float
    commits: int
    reviews: int
    comments: int
    last_activity: int | None
    reason: str  # '3 commits and 1 review on src/auth/token_service.py; last active 2026-05-20'


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: Score  # one term per file known
    files_known: int
    last_activity: int | None
    last_activity_day: str
    requested: bool  # a review is already requested from them
    files: tuple[FileKnowledge, ...]  # highest score first, then path
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class ReviewSuggestion:
    repo: str
    number: int
    title: str
    author: Person | None
    files: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    requested: tuple[Person, ...]  # reviewers already requested, suggested or not
    contributors: tuple[Person, ...]  # wrote or co-wrote the PR's commits: not suggested
    bots_excluded: tuple[str, ...]
    as_of: str


def ask(db: Reader, number: int, *, now: datetime, config: Config, repo: str | None = None,
        limit: int | None = None) -> ReviewSuggestion:
    """Suggest reviewers for PR `number`; NotFound when the store has no such PR."""
    pr = _find(db, number, repo)
    args = {"repo": pr.repo, "n": number}
    asked = [r.reviewer_key for r in db.fetch(Q["requested-reviewers"], ReviewerRow, **args)]
    wrote = [r.identity_key for r in db.fetch(Q["contributors"], AccountRow, **args)]
    who = persons.lookup(db, asked + wrote + ([pr.author_key] if pr.author_key else []))
    author = persons.who(who, pr.author_key).person if pr.author_key else None
    files = _files(db, args)
    requested = sorted({persons.who(who, k).person for k in asked}, key=lambda p: p.key)
    rows = activity(db, *_target(db, files), skip=(pr.repo, number)) if files else []
    contributors = sorted({persons.who(who, k).person for k in wrote} - ({author} if author else set()),
                          key=lambda p: p.key)
    cands = rank(rows, now=now, weights=config.expertise, author=author.key if author else None,
                 requested={p.key for p in requested}, contributors={p.key for p in contributors})
    bots = tuple(sorted({a.person.name for a in rows if a.is_bot}))
    n = config.review_max_suggestions if limit is None else limit
    return ReviewSuggestion(pr.repo, number, pr.title, author, tuple(files), cands[:n], tuple(requested),
                            tuple(contributors), bots, iso_day(epoch(now)))


def _find(db: Reader, number: int, repo: str | None) -> PrRow:
    """The one PR with this number (in `repo`, when given)."""
    rows = sorted((r for r in db.fetch(Q["pull-requests-numbered"], PrRow, n=number)
                   if repo is None or r.repo == repo), key=lambda r: r.repo)
    if not rows:
        known = [f"#{r.number}" for r in db.fetch(Q["pull-request-numbers"], NumberRow)]
        raise not_found("pull request", f"#{number}", known)
    if len(rows) > 1:
        raise InputError(f"pull request #{number}", f"found in {', '.join(r.repo for r in rows)}: say which repository")
    return rows[0]


def _files(db: Reader, args: dict[str, object]) -> list[str]:
    """The PR's files: those it lists, else those its commits changed."""
    listed = {r.path for r in db.fetch(Q["pr-files"], PathRow, **args)}
    return sorted(listed or {r.path for r in db.fetch(Q["pr-commit-files"], PathRow, **args)})


def _target(db: Reader, files: Sequence[str]) -> tuple[str, dict[str, object]]:
    """Spans for every file (renames followed); a file git has not seen yet still matches PR data."""
    spans: list[paths.PathSpan] = []
    for path in files:
        repos = paths.file_repos(db, path)
        unseen = [paths.PathSpan("", path, paths.FOREVER, path)]
        spans += paths.lineage(db, path, repos) if repos else unseen
    return paths.spans_cte(spans)


def rank(rows: Iterable[Activity], *, now: datetime, weights: ExpertiseWeights,
         author: str | None = None, requested: AbstractSet[str] = frozenset(),
         contributors: AbstractSet[str] = frozenset()) -> tuple[Candidate, ...]:
    """Pure: per file `expertise.rank`, summed per person; the author, contributors and bots left out."""
    by_file: dict[str, list[Activity]] = defaultdict(list)
    for a in rows:
        if a.person.key != author and a.person.key not in contributors:
            by_file[a.root].append(a)
    known: dict[str, list[tuple[str, expertise.Expert]]] = defaultdict(list)
    for path in sorted(by_file):
        for e in expertise.rank(by_file[path], now=now, weights=weights):
            known[e.person.key].append((path, e))
    cands = [_candidate(files, p in requested) for p, files in known.items()]
    return tuple(sorted(cands, key=lambda c: (-c.score.total, -c.files_known, -(c.last_activity or 0),
                                              c.person.key)))


def _candidate(files: list[tuple[str, expertise.Expert]], requested: bool) -> Candidate:
    files = sorted(files, key=lambda f: (-f[1].score.total, f[0]))
    times = [e.last_activity for _, e in files if e.last_activity is not None]
    last = max(times) if times else None
    score = Score.of("sum of file expertise scores", {"files_known": len(files)},
                     {path: e.score.total for path, e in files})
    knowledge = tuple(FileKnowledge(path, e.score.total, e.commits, e.reviews, e.comments, e.last_activity,
                                    reason(path, e)) for path, e in files)
    evidence = tuple(dict.fromkeys(x for _, e in files for x in e.evidence))
    person = files[0][1].person
    return Candidate(person, score, len(files), last, iso_day(last), requested, knowledge, evidence)


def reason(path: str, e: expertise.Expert) -> str:
    """'3 commits and 1 review on src/x.py; last active 2026-05-20'."""
    counts = [_plural(e.commits, "commit"), _plural(e.reviews, "review"), _plural(e.comments, "comment")]
    said = [c for c in counts if c]
    what = " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)
    return f"{what} on {path}; last active {e.last_activity_day or 'unknown'}"


def _plural(n: int, word: str) -> str:
    return "" if n == 0 else f"{n} {word}{'' if n == 1 else 's'}"
