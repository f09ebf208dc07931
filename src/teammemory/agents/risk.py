"""Risk: which files (or components) are risky to change now, and why, in plain sentences.

    risk = churn*1 + bug_fixes*100 + contributors*25 + commits*5

over the window [now - days, now] (default `config.risk.days` = 90; weights `config.risk`):
commits = distinct non-merge commits that changed the file (earlier names followed across
renames), churn = their added+deleted lines on it, bug_fixes = those with `commits.is_bug_fix`,
contributors = distinct people among their authors and co-authors (bots not counted, but named).
The answer also says whether a test file exists (by the conventions of `config.test_patterns`,
agents/covering_tests.py) and how many of the changes touched it. Test files are ranked apart
from code (`tests`; `include_tests=True` ranks them together), so a test is never counted as a
risky code file, and a component's totals count its code files only unless tests are included.
As of `now`: only commits authored in the window and committed at or before `now` count; files
whose last change in the window deletes them are not ranked; when the newest commit known at
`now` is older than the window, `note` says so.
Ties: higher total, then path.

Beyond the article's score (which stays as written, its four terms), each file carries risk
signals (agents/risk_signals.py), each with its value, weight, points, sentence and evidence:

    total = risk + revert*reverts + incident*incidents + recent_fix*recent_fixes
          + untested_change*untested_changes + unreviewed_infra*unreviewed_infra + coupling*coupling

reverts in the window (each linked to what it reverts), incidents its changes caused, bug fixes
of its whole history faded by 2^(-age/`risk.recent_fix_half_life_days`), window changes that
left its covering test unchanged, changes of an infrastructure file (`risk.infra_patterns`)
with no approving review, and its strongest change coupling over the window's commits. Files
are ranked by the total; a file unchanged in the window but with weighted signals (bug fixes
earlier in its history, incidents) is ranked by them alone. Defaults, from the backtest
(docs/backtest.md, "Risk signals"): `risk.recent_fix = 100` (top-20 % hit rate of the next 90
days' bug fixes 61.4 % -> 77.6 % on BookKeeper, 66.0 % -> 73.8 % on Flask, 40.0 % -> 45.5 % on the
demo); every other weight 0: reverts, test co-change and coupling changed the hit rates by less
than a point on the real histories, and incidents and approving reviews are not in a git-only
store, so they could not be measured there. Signals at weight 0 are still computed and said
("weight 0: not counted"). A component's own totals are the article's; signals are per file.

Here: the questions (one file, a component, the whole store) and their SQL; the formula and the
sentences are risk_score's (pure), the window's facts and the fast path that ranks thousands of
files are risk_window's. SQL: agents/sql/risk.sql.

Sources: code-maat's `revisions`, `authors` and `abs-churn` analyses and Adam Tornhill's
hotspots ("Your Code as a Crime Scene"); bug-fix density as in Nagappan & Ball's churn metrics
and pydriller's `LinesCount`/`ContributorsCount`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from teammemory.agents import paths, persons, risk_signals
from teammemory.agents import risk_signal_facts as signal_facts
from teammemory.agents.covering_tests import covering_tests, is_test_lookup, is_test_path
from teammemory.agents.evidence import DAY, epoch, iso_day, not_found
from teammemory.agents.risk_score import Change, Risk, explain, rank, score, with_signals
from teammemory.agents.risk_window import WindowFacts, component_files, fold_renames, window_facts
from teammemory.config import Config
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


class NewestRow(NamedTuple):
    at: int | None


@dataclass(frozen=True)
class RiskReport:
    kind: Literal["file", "component", "top"]
    name: str
    days: int
    since: int
    since_day: str
    as_of: str
    total: Risk | None  # the file's or component's own numbers (None for `top`)
    files: tuple[Risk, ...]  # riskiest files, for a component or `top` (code only, unless include_tests)
    tests: tuple[Risk, ...] = ()  # riskiest test files, ranked apart (empty with include_tests)
    include_tests: bool = False
    note: str = ""  # why the window is empty: 'the newest commit is from 2019-03-02, ...'


def ask_file(db: Reader, path: str, *, now: datetime, config: Config, days: int | None = None,
             repo: str | None = None) -> RiskReport:
    """Risk of one file over the window; NotFound with close paths when unknown."""
    repos = paths.file_repos(db, path, repo)
    if not repos:
        raise not_found("file", path, paths.all_paths(db))
    cte, params = paths.spans_cte(paths.lineage(db, path, repos))
    days, since, end = _window(now, config, days)
    changes = [_root(c, path) for c in _changes(db, cte, params, since, end)]
    tests = covering_tests(db, [path], since, end, config.test_patterns)
    total = score(path, changes, weights=config.risk, days=days, test=tests.get(path),
                  is_test=is_test_path(path, config.test_patterns))
    ctx = signal_facts.Context(db, window_facts(db, since, end, repo=repo), now=end, days=days, config=config,
                               repo=repo)
    total = with_signals(total, ctx.signals([path], tests)[path])
    return RiskReport("file", path, days, since, iso_day(since), iso_day(end), total, (),
                      note=_note(db, since, end, days))


def ask_component(db: Reader, name: str, *, now: datetime, config: Config, days: int | None = None,
                  limit: int = 10, include_tests: bool = False, repo: str | None = None) -> RiskReport:
    """A component's totals and its riskiest files (in `repo`, or every repository); NotFound
    with close names when unknown."""
    paths.check_repo(db, repo)
    days, since, end = _window(now, config, days)
    facts = window_facts(db, since, end, component=name, repo=repo)
    if not _component_exists(db, name, repo, facts.files):
        names = paths.components(db, repo=repo)
        if name not in names:
            raise not_found("component", name, names)
    is_test = is_test_lookup(db, config.test_patterns)
    counted = [p for p in facts.files if include_tests or not is_test(p)]
    keys = _fix_keys(db, facts.fix_refs(counted))
    changes = [c for p in counted for c in facts.changes(p, keys)]
    total = score(name, changes, weights=config.risk, days=days, test=None)
    ctx = signal_facts.Context(db, window_facts(db, since, end, repo=repo), now=end, days=days, config=config,
                               repo=repo)
    mine = signal_facts.component_paths(db, name)
    files, tests = _split(db, facts, config, days, since, end, limit, include_tests, ctx, mine.__contains__)
    return RiskReport("component", name, days, since, iso_day(since), iso_day(end), total, files, tests,
                      include_tests, _note(db, since, end, days))


def _component_exists(db: Reader, name: str, repo: str | None, changed: Container[str], tries: int = 3) -> bool:
    """True when one of component `name`'s files (in `repo`) that the window `changed` exists after
    the newest commit, as paths.components decides (its moves folded by paths.removed_paths): a
    file or two looked up instead of every file and move of the store. False: not decided here."""
    mine = sorted((r, p) for r, p in component_files(db, name) if (repo is None or r == repo) and p in changed)
    for r, p in mine[:tries]:
        if (r, p) not in paths.removed_paths(db.fetch(Q["moves-of-file"], paths.MoveRow, repo=r, path=p)):
            return True
    return False


def ask_top(db: Reader, *, now: datetime, config: Config, days: int | None = None,
            limit: int = 10, include_tests: bool = False, repo: str | None = None) -> RiskReport:
    """The riskiest files of the whole store (or of `repo`) over the window (tests ranked apart
    unless included)."""
    paths.check_repo(db, repo)
    days, since, end = _window(now, config, days)
    facts = window_facts(db, since, end, repo=repo)
    ctx = signal_facts.Context(db, facts, now=end, days=days, config=config, repo=repo)
    files, tests = _split(db, facts, config, days, since, end, limit, include_tests, ctx, lambda p: True)
    return RiskReport("top", "", days, since, iso_day(since), iso_day(end), None, files, tests,
                      include_tests, _note(db, since, end, days))


def _split(db: Reader, facts: WindowFacts, config: Config, days: int, since: int, end: int, limit: int,
           include_tests: bool, ctx: signal_facts.Context, scope: Callable[[str], bool]
           ) -> tuple[tuple[Risk, ...], tuple[Risk, ...]]:
    """The riskiest code files and, apart, the riskiest test files (all together with include_tests).
    `scope`: which files beyond the window's may be ranked for their signals alone (a component's)."""
    if include_tests:
        return _ranked(db, facts, config, days, since, end, limit, ctx, scope), ()
    test = is_test_lookup(db, config.test_patterns)
    code, tests = facts.split(test)
    return (_ranked(db, code, config, days, since, end, limit, ctx, lambda p: scope(p) and not test(p)),
            _ranked(db, tests, config, days, since, end, limit, ctx, lambda p: scope(p) and test(p)))


def _note(db: Reader, since: int, end: int, days: int) -> str:
    """'the newest commit is from 2019-03-02, 2,100 days before --now; no change in the last 90 days'
    when the data stops before the window; '' otherwise."""
    newest = db.fetch(Q["newest-commit"], NewestRow, now=end)[0].at
    if newest is None:
        return f"no commit at or before {iso_day(end)}; no change in the last {days} days"
    if newest >= since:
        return ""
    return (f"the newest commit is from {iso_day(newest)}, {(end - newest) // DAY:,} days before --now;"
            f" no change in the last {days} days")


def _window(now: datetime, config: Config, days: int | None) -> tuple[int, int, int]:
    days = config.risk.days if days is None else days
    end = epoch(now)
    return days, end - days * DAY, end


def _ranked(db: Reader, facts: WindowFacts, config: Config, days: int, since: int, end: int,
            limit: int, ctx: signal_facts.Context, scope: Callable[[str], bool]) -> tuple[Risk, ...]:
    """The `limit` riskiest files, fully explained; the other candidates are only totalled, the rest
    only bounded (same order as `rank`). With signal weights set, each file's weighted signals
    add to its total, and a file of `scope` unchanged in the window but with signals (bug fixes
    earlier in its history, incidents) is ranked by them alone."""
    weights, patterns = config.risk, config.test_patterns
    extra: dict[str, float] = {}
    if risk_signals.any_weight(weights):
        others = [p for p in set(ctx.history.times) | set(ctx.caused) if p not in facts.files and scope(p)]
        extra = {p: v for p, v in ctx.extra([*facts.files, *others]).items() if v or p in facts.files}
    totals = facts.totals(weights, facts.candidates(weights, limit, extra))
    totals = {p: round(v + extra.get(p, 0.0), 2) for p, v in totals.items()}
    totals.update({p: v for p, v in extra.items() if p not in facts.files})
    top = sorted(totals, key=lambda p: (-totals[p], p))[:limit]
    if not top:
        return ()
    changed = [p for p in top if p in facts.files]
    tests, keys = covering_tests(db, top, since, end, patterns), _fix_keys(db, facts.fix_refs(changed))
    signals = ctx.signals(top, tests)
    return tuple(with_signals(score(p, facts.changes(p, keys) if p in facts.files else [], weights=weights,
                                    days=days, test=tests.get(p), is_test=is_test_path(p, patterns)), signals[p])
                 for p in top)


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
