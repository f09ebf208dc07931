"""Review routing: who should review this pull request (or any change given as files), and what
each of them knows of it.

    fading (default):  total = sum over the change's files of the file expertise score
                              + review_activity * sum over the candidate's reviews anywhere in the
                                repository of 2^(-age_days/review_activity_half_life_days)
    article:           total = sum over the change's files of the file expertise score

(scoring.routing_score; defaults 30 points and 30 days, tuned with `teammemory backtest
reviewers`, docs/backtest.md). A review is a trailer review of a non-merge commit, a submitted
PR review or a `Merge pull request #N` merge by its author; people inactive longer than
`inactive_days` are left out unless `include_inactive`, and named (`inactive_left_out`). The
file expertise score is exactly `expertise.rank`'s in the configured scoring (renames followed).
The PR's files are its `pr_files`, or else the files its commits changed. The PR's own activity
is left out: its commits, its reviews and its comments must not make anyone an expert on the PR
itself (otherwise its author, and whoever already reviewed it, would always come first). Never
suggested: the PR's author (any account of the author's developer), whoever wrote or co-wrote
one of its commits (they are listed as `contributors`: a co-author reviewing their own code is
no second pair of eyes), and bots. Reviewers already requested are flagged, not removed. Ties:
higher total, then more files known, then later last activity, then person key.

The PR's queries are agents/sql/review_routing.sql; the file expertise is expertise.sql's
`file-activity` with the PR skipped.

Sources: "Who should review my code?" (Thongtanunam et al., SANER 2015) and the expertise
recommenders it compares (ReviewBot's line history, cHRev's review history), reduced to the
expertise formula this project already explains.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from teammemory.agents import change, expertise, paths, persons, scoring
from teammemory.agents.change import ChangeGit
from teammemory.agents.evidence import Evidence, Person, Score, epoch, iso_day, not_found
from teammemory.agents.expertise_activity import Activity, activity
from teammemory.config import Config, ExpertiseWeights
from teammemory.errors import InputError, NotFound
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
    change: str = ""  # what was asked about: 'PR #8', 'commit 1a2b3c4d5e6f', 'a diff of 3 files'
    notes: tuple[str, ...] = ()  # e.g. that no author was known, so nobody was left out as one
    # fading scoring: the candidates left out as inactive (expertise's cut), best score first
    inactive_left_out: tuple[Person, ...] = ()
    inactive_days: float = 0.0


def ask(db: Reader, number: int, *, now: datetime, config: Config, repo: str | None = None,
        limit: int | None = None, include_inactive: bool = False, git: ChangeGit | None = None,
        git_dir: str | None = None) -> ReviewSuggestion:
    """Suggest reviewers for PR `number` as of `now`; NotFound when the store has no such PR then.
    A PR without a row, or whose row has no commits or files, is taken from its merge or squash
    commit (agents/change.py `pr_from_commits`, with `git` in the clone when it is here)."""
    paths.check_repo(db, repo)
    at = epoch(now)
    try:
        pr = _find(db, number, repo, at)
    except NotFound:
        derived = change.pr_from_commits(db, number, now=at, git=git, repo=repo, git_dir=git_dir)
        if derived is None:
            raise
        return ask_files(db, derived.files, now=now, config=config, repo=derived.repo, authors=derived.authors,
                         limit=limit, include_inactive=include_inactive, what=derived.what,
                         commits=derived.commits, title=derived.title, number=number)
    args = {"repo": pr.repo, "n": number, "now": at}
    files = _files(db, args)
    derived = None if files else change.pr_from_commits(db, number, now=at, git=git, repo=pr.repo, git_dir=git_dir)
    asked = [r.reviewer_key for r in db.fetch(Q["requested-reviewers"], ReviewerRow, **args)]
    wrote = [r.identity_key for r in db.fetch(Q["contributors"], AccountRow, **args)]
    who = persons.lookup(db, asked + wrote + ([pr.author_key] if pr.author_key else []))
    author = persons.who(who, pr.author_key).person if pr.author_key else None
    requested = sorted({persons.who(who, k).person for k in asked}, key=lambda p: p.key)
    contributors = sorted({persons.who(who, k).person for k in wrote} - ({author} if author else set()),
                          key=lambda p: p.key)
    what, own = f"PR #{number}", frozenset[str]()
    if derived is not None:  # its commits and files from its merge or squash commit
        files, what, own = list(derived.files), derived.what, frozenset(derived.commits)
        extra = persons.lookup_persons(db, derived.authors)
        contributors = sorted(set(contributors) | {persons.who(extra, k).person for k in derived.authors}
                              - ({author} if author else set()), key=lambda p: p.key)
    ask_ = Asked(pr.repo, tuple(files), author, tuple(requested), tuple(contributors), own)
    return _suggest(db, ask_, at, config, (pr.repo, number), pr.title, limit, include_inactive, what)


def ask_files(db: Reader, files: Sequence[str], *, now: datetime, config: Config, repo: str | None = None,
              authors: Collection[str] = (), limit: int | None = None, include_inactive: bool = False,
              what: str = "", commits: Collection[str] = (), title: str = "", number: int = 0
              ) -> ReviewSuggestion:
    """Suggest reviewers for any change given as its files (a commit, a range, a diff), as of
    `now`; `authors` (person keys) wrote it and are never suggested. The repository is `repo`, or
    the one repository that holds the files (InputError when several do). `what` says what the
    change was; its own `commits` (full hashes) count as nobody's expertise on it."""
    paths.check_repo(db, repo)
    at = epoch(now)
    where = repo or _repo_of(db, files, at)
    people = persons.lookup_persons(db, authors)
    wrote = list(dict.fromkeys(persons.who(people, k).person for k in authors))  # the main author first
    author = wrote[0] if wrote else None
    others = tuple(sorted(set(wrote[1:]) - {author}, key=lambda p: p.key))
    ask_ = Asked(where, tuple(sorted(set(files))), author, (), others, frozenset(commits))
    n = len(ask_.files)
    notes = () if authors else ("No author was known (give --author EMAIL): nobody was left out as the author.",)
    return _suggest(db, ask_, at, config, ("", -1), title, limit, include_inactive,
                    what or f"{n} file{'s' * (n != 1)}", notes, number)


@dataclass(frozen=True)
class Asked:
    """What review routing is asked about: the change's repository and files, who wrote it, and
    whom a review is already requested from."""

    repo: str
    files: tuple[str, ...]
    author: Person | None
    requested: tuple[Person, ...]
    contributors: tuple[Person, ...]
    commits: frozenset[str] = frozenset()  # the change's own commits: left out of everyone's expertise


def _suggest(db: Reader, q: Asked, at: int, config: Config, skip: tuple[str, int], title: str,
             limit: int | None, include_inactive: bool, what: str = "", notes: tuple[str, ...] = (),
             number: int = 0) -> ReviewSuggestion:
    now = datetime.fromtimestamp(at, UTC)
    w = config.expertise
    rows = activity(db, *_target(db, q.files, at), skip=skip, now=at) if q.files else []
    if q.commits:
        own = {f"{q.repo}@{h}" for h in q.commits}
        rows = [a for a in rows if a.ref not in own]
    fading = w.scoring == "fading"
    reviewing = reviews_in(db, q.repo, at) if fading and w.review_activity and q.files else []
    acts = [(a.person.key, a.at) for a in rows if not a.is_bot]
    acts += [(r.person.key, r.at) for r in reviewing if not r.is_bot]
    last = None if not fading or include_inactive or w.inactive_days <= 0 else expertise.last_seen(db, acts, at, w)
    everyone = rank(rows, now=now, weights=w, author=q.author.key if q.author else None,
                    requested={p.key for p in q.requested}, contributors={p.key for p in q.contributors},
                    reviewing=reviewing)
    cands: list[Candidate] = []
    left: list[Person] = []
    for c in everyone:
        if scoring.active(last, c.person.key, c.last_activity, at, w):
            cands.append(c)
        else:
            left.append(c.person)
    bots = tuple(sorted({a.person.name for a in rows if a.is_bot}))
    n = config.review_max_suggestions if limit is None else limit
    return ReviewSuggestion(q.repo, skip[1] if skip[1] >= 0 else number, title, q.author, q.files, tuple(cands[:n]),
                            q.requested, q.contributors, bots, iso_day(at), what, notes, tuple(left),
                            w.inactive_days if last is not None else 0.0)


class Review(NamedTuple):
    """One review done anywhere in the repository (the reviewing-activity term); a tuple, not a
    dataclass: ~25,000 of them are made per question on the 100k bench store."""

    person: Person
    at: int
    is_bot: bool


class ReviewingRow(NamedTuple):
    identity_key: str
    at: int


def reviews_in(db: Reader, repo: str, now: int) -> list[Review]:
    """Every review done in `repo` at or before `now` (review_routing.sql's `reviewing`)."""
    rows = db.fetch(Q["reviewing"], ReviewingRow, repo=repo, now=now)
    keys = {r.identity_key for r in rows}
    who = persons.lookup(db, keys)
    of = {k: persons.who(who, k) for k in keys}  # once per account, not per review
    return [Review(of[k].person, int(at), of[k].is_bot) for k, at in rows]


def _repo_of(db: Reader, files: Sequence[str], now: int) -> str:
    repos = sorted({r for f in files for r in paths.file_repos(db, f, now=now)})
    if len(repos) > 1:
        raise InputError("--repo", f"the files are in {', '.join(repos)}: say which repository")
    if not repos:
        raise not_found("file", files[0] if files else "", paths.all_paths(db, now=now))
    return repos[0]


def _find(db: Reader, number: int, repo: str | None, now: int) -> PrRow:
    """The one PR with this number (in `repo`, when given) created at or before `now`."""
    rows = sorted((r for r in db.fetch(Q["pull-requests-numbered"], PrRow, n=number, now=now)
                   if repo is None or r.repo == repo), key=lambda r: r.repo)
    if not rows:
        known = [f"#{r.number}" for r in db.fetch(Q["pull-request-numbers"], NumberRow, now=now)]
        raise not_found("pull request", f"#{number}", known)
    if len(rows) > 1:
        raise InputError(f"pull request #{number}", f"found in {', '.join(r.repo for r in rows)}: say which repository")
    return rows[0]


def _files(db: Reader, args: dict[str, object]) -> list[str]:
    """The PR's files: those it lists, else those its commits changed."""
    listed = {r.path for r in db.fetch(Q["pr-files"], PathRow, **args)}
    return sorted(listed or {r.path for r in db.fetch(Q["pr-commit-files"], PathRow, **args)})


def _target(db: Reader, files: Sequence[str], now: int) -> tuple[str, dict[str, object]]:
    """Spans for every file (renames followed); a file git has not seen yet still matches PR data."""
    spans: list[paths.PathSpan] = []
    for path in files:
        repos = paths.file_repos(db, path, now=now)
        unseen = [paths.PathSpan("", path, paths.FOREVER, path)]
        spans += paths.lineage(db, path, repos) if repos else unseen
    return paths.spans_cte(spans)


def rank(rows: Iterable[Activity], *, now: datetime, weights: ExpertiseWeights,
         author: str | None = None, requested: AbstractSet[str] = frozenset(),
         contributors: AbstractSet[str] = frozenset(), reviewing: Iterable[Review] = ()) -> tuple[Candidate, ...]:
    """Pure: per file `expertise.scored`, summed per person; the author, contributors and bots
    left out. Fading scoring: plus the reviewing-activity term (scoring.routing_score) over
    `reviewing` (the inactive cut is `_suggest`'s, which names whom it left out)."""
    out = {author} | set(contributors)
    by_file: dict[str, list[Activity]] = defaultdict(list)
    for a in rows:
        if a.person.key not in out:
            by_file[a.root].append(a)
    known: dict[str, list[tuple[str, float, expertise.Expert]]] = defaultdict(list)
    for path in sorted(by_file):
        for exact, e in expertise.scored(by_file[path], now=now, weights=weights):
            known[e.person.key].append((path, exact, e))
    fading = weights.scoring == "fading"
    faded = _reviewing(reviewing, epoch(now), weights, out) if fading and weights.review_activity else {}
    whom = {r.person.key: r.person for r in reviewing}
    cands = [_candidate(whom.get(p) or known[p][0][2].person, known.get(p, []), p in requested,
                        faded.get(p) if fading and weights.review_activity else None, weights)
             for p in set(known) | set(faded)]
    ranked = sorted(cands, key=lambda c: (-c[0], -c[1].files_known, -(c[1].last_activity or 0), c[1].person.key))
    return tuple(c for _, c in ranked)


def _reviewing(reviews: Iterable[Review], now: int, w: ExpertiseWeights, out: AbstractSet[str | None]
               ) -> dict[str, tuple[int, float, int]]:
    """Per person (bots and `out` left out): (reviews, sum of 2^(-age/h), last review time)."""
    faded: dict[str, list[float]] = defaultdict(list)
    last: dict[str, int] = {}
    fade, half_life = scoring.fade, w.review_activity_half_life_days
    for person, at, is_bot in reviews:
        key = person.key
        if is_bot or key in out or at > now:
            continue
        faded[key].append(fade(now - at, half_life))
        if at > last.get(key, at - 1):
            last[key] = at
    # fsum: exactly rounded whatever the row order, so SQLite and PostgreSQL give the same totals
    return {k: (len(v), math.fsum(v), last[k]) for k, v in faded.items()}


def _candidate(person: Person, files: list[tuple[str, float, expertise.Expert]], requested: bool,
               reviewing: tuple[int, float, int] | None, w: ExpertiseWeights) -> tuple[float, Candidate]:
    files = sorted(files, key=lambda f: (-f[1], f[0]))
    times = [e.last_activity for _, _, e in files if e.last_activity is not None]
    exact = math.fsum(x for _, x, _ in files)
    terms = {path: e.score.total for path, _, e in files}
    inputs: dict[str, float | int | str] = {"files_known": len(files)}
    formula = "sum of file expertise scores"
    if reviewing is not None or (w.scoring == "fading" and w.review_activity):
        n, s, at = reviewing or (0, 0.0, 0)
        times += [at] if n else []
        formula = (f"sum of file expertise scores + {w.review_activity:g}*reviews in the repository faded"
                   f" by 2^(-age_days/{w.review_activity_half_life_days:g})")
        inputs.update({"reviews_in_repository": n, "reviews_faded": round(s, 4)})
        terms["reviewing activity"] = w.review_activity * s
        exact = scoring.routing_score(exact, s, w)
    last = max(times) if times else None
    score = Score.of(formula, inputs, terms)
    exact = exact if w.scoring == "fading" else score.total  # article: ordered by its rounded total, as ever
    knowledge = tuple(FileKnowledge(path, e.score.total, e.commits, e.reviews, e.comments, e.last_activity,
                                    reason(path, e)) for path, _, e in files)
    evidence = tuple(dict.fromkeys(x for _, _, e in files for x in e.evidence))
    return exact, Candidate(person, score, len(files), last, iso_day(last), requested, knowledge, evidence)


def reason(path: str, e: expertise.Expert) -> str:
    """'3 commits and 1 review on src/x.py; last active 2026-05-20'."""
    counts = [_plural(e.commits, "commit"), _plural(e.reviews, "review"), _plural(e.comments, "comment")]
    said = [c for c in counts if c]
    what = " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)
    return f"{what} on {path}; last active {e.last_activity_day or 'unknown'}"


def _plural(n: int, word: str) -> str:
    return "" if n == 0 else f"{n} {word}{'' if n == 1 else 's'}"
