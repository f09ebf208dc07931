"""Risk: which files (or components) are risky to change now, and why, in plain sentences.

    risk = churn*1 + bug_fixes*100 + contributors*25 + commits*5

over the window [now - days, now] (default `config.risk.days` = 90; weights `config.risk`):
commits = distinct non-merge commits that changed the file (earlier names followed across
renames), churn = their added+deleted lines on it, bug_fixes = those with `commits.is_bug_fix`,
contributors = distinct people among their authors and co-authors (bots not counted, but named).
The answer also says whether a test file exists (tests/<subpath>/test_<name>, test_<name>
anywhere under tests/, <name>_test) and how many of the changes touched it.
Ties: higher risk, then path.

Here: the questions (one file, a component, the whole store) and their SQL; the formula and the
sentences are risk_score's (pure), the window's facts and the fast path that ranks thousands of
files are risk_window's. SQL: agents/sql/risk.sql.

Sources: code-maat's `revisions`, `authors` and `abs-churn` analyses and Adam Tornhill's
hotspots ("Your Code as a Crime Scene"); bug-fix density as in Nagappan & Ball's churn metrics
and pydriller's `LinesCount`/`ContributorsCount`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from teammemory.agents import paths, persons
from teammemory.agents.covering_tests import covering_tests
from teammemory.agents.evidence import DAY, epoch, iso_day, not_found
from teammemory.agents.risk_score import Change, Risk, explain, rank, score
from teammemory.agents.risk_window import WindowFacts, fold_renames, window_facts
from teammemory.config import Config, RiskWeights
from teammemory.store import Reader, queries

__all__ = ["Change", "Risk", "RiskReport", "WindowFacts", "ask_component", "ask_file", "ask_top", "explain",
           "fold_renames", "rank", "score", "window_facts"]

Q = queries.load("teammemory.agents.sql", "risk.sql")


class ChangeRow(NamedTuple):
    """One (commit, file, person) row of a file's spans (`file-changes`)."""

    root: str
    path: str
    repo: str
    hash: str
    subject: str
    authored_at: int
    churn: int
    is_bug_fix: int
    identity_key: str


class IssueRow(NamedTuple):
    hash: str
    issue_key: str


@dataclass(frozen=True)
class RiskReport:
    kind: Literal["file", "component", "top"]
    name: str
    days: int
    since: int
    since_day: str
    as_of: str
    total: Risk | None  # the file's or component's own numbers (None for `top`)
    files: tuple[Risk, ...]  # riskiest files, for a component or `top`


def ask_file(db: Reader, path: str, *, now: datetime, config: Config, days: int | None = None,
             repo: str | None = None) -> RiskReport:
    """Risk of one file over the window; NotFound with close paths when unknown."""
    repos = paths.file_repos(db, path, repo)
    if not repos:
        raise not_found("file", path, paths.all_paths(db))
    cte, params = paths.spans_cte(paths.lineage(db, path, repos))
    days, since, end = _window(now, config, days)
    changes = [_root(c, path) for c in _changes(db, cte, params, since, end)]
    tests = covering_tests(db, [path], since, end)
    total = score(path, changes, weights=config.risk, days=days, test=tests.get(path))
    return RiskReport("file", path, days, since, iso_day(since), iso_day(end), total, ())


def ask_component(db: Reader, name: str, *, now: datetime, config: Config, days: int | None = None,
                  limit: int = 10) -> RiskReport:
    """A component's totals and its riskiest files; NotFound with close names when unknown."""
    names = paths.components(db)
    if name not in names:
        raise not_found("component", name, names)
    days, since, end = _window(now, config, days)
    facts = window_facts(db, since, end, component=name)
    keys = _fix_keys(db, facts.fix_refs(facts.files))
    changes = [c for p in facts.files for c in facts.changes(p, keys)]
    total = score(name, changes, weights=config.risk, days=days, test=None)
    return RiskReport("component", name, days, since, iso_day(since), iso_day(end), total,
                      _ranked(db, facts, config.risk, days, since, end, limit))


def ask_top(db: Reader, *, now: datetime, config: Config, days: int | None = None,
            limit: int = 10) -> RiskReport:
    """The riskiest files of the whole store over the window."""
    days, since, end = _window(now, config, days)
    facts = window_facts(db, since, end)
    return RiskReport("top", "", days, since, iso_day(since), iso_day(end), None,
                      _ranked(db, facts, config.risk, days, since, end, limit))


def _window(now: datetime, config: Config, days: int | None) -> tuple[int, int, int]:
    days = config.risk.days if days is None else days
    end = epoch(now)
    return days, end - days * DAY, end


def _ranked(db: Reader, facts: WindowFacts, weights: RiskWeights, days: int, since: int, end: int,
            limit: int) -> tuple[Risk, ...]:
    """The `limit` riskiest files, fully explained; the other candidates are only totalled, the rest
    only bounded (same order as `rank`)."""
    totals = facts.totals(weights, facts.candidates(weights, limit))
    top = sorted(totals, key=lambda p: (-totals[p], p))[:limit]
    tests, keys = covering_tests(db, top, since, end), _fix_keys(db, facts.fix_refs(top))
    return tuple(score(p, facts.changes(p, keys), weights=weights, days=days, test=tests.get(p)) for p in top)


def _changes(db: Reader, cte: str, params: dict[str, object], since: int, end: int) -> list[Change]:
    """SQL only: the window's (commit, file, person) rows of a file's spans, with bug-fix issue keys."""
    rows = db.fetch(Q["file-changes"].fill(target=cte), ChangeRow, **params, since=since, now=end)
    who = persons.lookup(db, {r.identity_key for r in rows})
    keys = _fix_keys(db, {f"{r.repo}@{r.hash}" for r in rows if r.is_bug_fix == 1})
    out = []
    for r in rows:
        w, ref = persons.who(who, r.identity_key), f"{r.repo}@{r.hash}"
        out.append(Change(r.root, ref, r.authored_at, r.churn, bool(r.is_bug_fix), w.person, r.path, w.is_bot,
                          keys.get(ref, ()), r.subject))
    return out


def _fix_keys(db: Reader, refs: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each of these 'repo@hash' bug fixes that names an issue key -> its keys, sorted. Looked up by
    primary key for just the commits an answer explains, not for every bug fix of the window."""
    hashes: dict[str, set[str]] = defaultdict(set)
    for ref in refs:
        repo, _, hash_ = ref.rpartition("@")
        hashes[repo].add(hash_)
    keys: dict[str, set[str]] = defaultdict(set)
    for repo, some in sorted(hashes.items()):
        for marks, params in queries.in_list(some, "k"):
            for r in db.fetch(Q["fix-issues"].fill(hashes=marks), IssueRow, **params, repo=repo):
                keys[f"{repo}@{r.hash}"].add(r.issue_key)
    return {ref: tuple(sorted(ks)) for ref, ks in keys.items()}


def _root(c: Change, root: str) -> Change:
    return c if c.path == root else c._replace(path=root)
