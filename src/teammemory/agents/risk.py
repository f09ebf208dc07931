"""Risk: which files (or components) are risky to change now, and why, in plain sentences.

    risk = churn*1 + bug_fixes*100 + contributors*25 + commits*5

over the window [now - days, now] (default `config.risk.days` = 90; weights `config.risk`):
commits = distinct non-merge commits that changed the file (earlier names followed across
renames), churn = their added+deleted lines on it, bug_fixes = those with `commits.is_bug_fix`,
contributors = distinct people among their authors and co-authors (bots not counted, but named).
The answer also says whether a test file exists (tests/<subpath>/test_<name>, test_<name>
anywhere under tests/, <name>_test) and how many of the changes touched it.
Ties: higher risk, then path.

Sources: code-maat's `revisions`, `authors` and `abs-churn` analyses and Adam Tornhill's
hotspots ("Your Code as a Crime Scene"); bug-fix density as in Nagappan & Ball's churn metrics
and pydriller's `LinesCount`/`ContributorsCount`.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from teammemory.agents import people
from teammemory.agents.evidence import DAY, Evidence, Person, Score, epoch, iso_day, not_found, short
from teammemory.config import Config, RiskWeights
from teammemory.store import Reader

ALL_CTE = (f"target(repo, path, until_at, root) as"
           f" (select f.repo, f.path, {people.FOREVER}, f.path from files f)")

CHANGES_SQL = """with {target}
select t.root, cf.path, cf.old_path, cf.change_type, c.repo, c.hash, c.subject, c.committed_at,
       c.authored_at, cf.added + cf.deleted as churn, c.is_bug_fix, cp.identity_key
  from {tables}
  join commit_people cp on cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')
 where cf.repo = t.repo and cf.path = t.path and c.repo = cf.repo and c.hash = cf.hash
   and c.is_merge = 0 and c.committed_at <= t.until_at
   and c.authored_at >= :since and c.authored_at <= :now"""
# Join orders (`cross join` fixes SQLite's; PostgreSQL reorders freely): a file's few spans drive
# the query through its history; a component or the whole store through the window's commits
# (commits_time), so the work grows with the window, not with all the history of many files.
BY_TARGET = "target t cross join commit_files cf cross join commits c"
BY_WINDOW = "commits c cross join commit_files cf cross join target t"

ISSUES_SQL = """select ci.repo, ci.hash, ci.issue_key from commit_issues ci
  join commits c on c.repo = ci.repo and c.hash = ci.hash
 where c.is_bug_fix = 1 and c.authored_at >= :since and c.authored_at <= :now"""

PATH_COMMITS_SQL = """select c.repo, c.hash from commit_files cf
  join commits c on c.repo = cf.repo and c.hash = cf.hash
 where cf.path = :path and c.is_merge = 0 and c.authored_at >= :since and c.authored_at <= :now"""


@dataclass(frozen=True)
class Change:
    """One (commit, file, person) fact in the window: what `rank` counts."""

    path: str  # the file it counts for (its current name)
    commit: str  # 'repo@hash'
    at: int
    churn: int  # lines added+deleted on `changed_path` in this commit
    is_bug_fix: bool
    person: Person
    changed_path: str = ""  # the path as the commit saw it
    is_bot: bool = False
    issues: tuple[str, ...] = ()  # issue keys linked to the commit
    subject: str = ""
    old_path: str = ""  # set on a rename: the name before it
    change_type: str = "M"
    committed_at: int | None = None  # orders renames (defaults to `at`)


@dataclass(frozen=True)
class CoveringTest:
    path: str  # '' when none was found
    commits: frozenset[str]  # 'repo@hash' of the window's commits that changed it


@dataclass(frozen=True)
class Risk:
    name: str  # a path, or the component's name for a component's totals
    score: Score
    commits: int
    bug_fixes: int
    contributors: int
    churn: int
    contributor_names: tuple[str, ...]
    bots_excluded: tuple[str, ...]
    bug_fix_refs: tuple[str, ...]  # issue keys (else short hashes) of the bug fixes
    test_file: str
    test_commits: int
    explanation: str
    evidence: tuple[Evidence, ...]  # the bug-fix commits, newest first


@dataclass(frozen=True)
class RiskReport:
    kind: str  # file | component | top
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
    repos = people.file_repos(db, path, repo)
    if not repos:
        raise not_found("file", path, people.all_paths(db))
    cte, params = people.spans_cte(people.lineage(db, path, repos))
    days, since, end = _window(now, config, days)
    changes = [_root(c, path) for c in _changes(db, cte, params, since, end, BY_TARGET)]
    tests = _tests(db, [path], since, end)
    total = score(path, changes, weights=config.risk, days=days, test=tests.get(path))
    return RiskReport("file", path, days, since, iso_day(since), iso_day(end), total, ())


def ask_component(db: Reader, name: str, *, now: datetime, config: Config, days: int | None = None,
                  limit: int = 10) -> RiskReport:
    """A component's totals and its riskiest files; NotFound with close names when unknown."""
    names = people.components(db)
    if name not in names:
        raise not_found("component", name, names)
    days, since, end = _window(now, config, days)
    changes = fold_renames(_changes(db, people.COMPONENT_CTE, {"component": name}, since, end, BY_WINDOW))
    total = score(name, changes, weights=config.risk, days=days, test=None)
    return RiskReport("component", name, days, since, iso_day(since), iso_day(end), total,
                      _ranked(db, changes, config.risk, days, since, end, limit))


def ask_top(db: Reader, *, now: datetime, config: Config, days: int | None = None,
            limit: int = 10) -> RiskReport:
    """The riskiest files of the whole store over the window."""
    days, since, end = _window(now, config, days)
    changes = fold_renames(_changes(db, ALL_CTE, {}, since, end, BY_WINDOW))
    return RiskReport("top", "", days, since, iso_day(since), iso_day(end), None,
                      _ranked(db, changes, config.risk, days, since, end, limit))


def _window(now: datetime, config: Config, days: int | None) -> tuple[int, int, int]:
    days = config.risk.days if days is None else days
    end = epoch(now)
    return days, end - days * DAY, end


def _ranked(db: Reader, changes: list[Change], weights: RiskWeights, days: int, since: int, end: int,
            limit: int) -> tuple[Risk, ...]:
    """The `limit` riskiest files, fully explained; the rest are only totalled (same order as `rank`)."""
    by_path: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        by_path[c.path].append(c)
    top = sorted(by_path, key=lambda p: (-_total(by_path[p], weights), p))[:limit]
    tests = _tests(db, top, since, end)
    return tuple(score(p, by_path[p], weights=weights, days=days, test=tests.get(p)) for p in top)


def _changes(db: Reader, cte: str, params: dict[str, object], since: int, end: int, tables: str) -> list[Change]:
    """SQL only: the window's (commit, file, person) rows, with bug-fix issue keys attached."""
    rows = db.all(CHANGES_SQL.format(target=cte, tables=tables), **params, since=since, now=end)
    who = people.lookup(db, {str(r["identity_key"]) for r in rows})
    keys: dict[str, list[str]] = defaultdict(list)
    for r in db.all(ISSUES_SQL, since=since, now=end):
        keys[f"{r['repo']}@{r['hash']}"].append(r["issue_key"])
    out = []
    for r in rows:
        w, ref = people.who(who, r["identity_key"]), f"{r['repo']}@{r['hash']}"
        out.append(Change(r["root"], ref, int(r["authored_at"]), int(r["churn"]), bool(r["is_bug_fix"]),
                          w.person, r["path"], w.is_bot, tuple(sorted(set(keys[ref]))), r["subject"],
                          r["old_path"], r["change_type"], int(r["committed_at"])))
    return out


def _root(c: Change, root: str) -> Change:
    return c if c.path == root else replace(c, path=root)


def _when(c: Change) -> int:
    return c.at if c.committed_at is None else c.committed_at


def fold_renames(rows: Sequence[Change]) -> list[Change]:
    """Count each change under the file's later name when it was renamed afterwards in the rows;
    files whose last change is a deletion are dropped (they are not there to be risky)."""
    renames: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in rows:
        if r.old_path and r.old_path != r.changed_path:
            renames[r.old_path].append((_when(r), r.changed_path))
    out = [_root(r, _final(r.changed_path, _when(r), renames)) for r in rows]
    last: dict[str, tuple[int, str]] = {}
    for r, c in zip(rows, out, strict=True):
        last[c.path] = max(last.get(c.path, (-1, "")), (_when(r), r.change_type))
    return [c for c in out if last[c.path][1] != "D"]


def _final(path: str, at: int, renames: Mapping[str, list[tuple[int, str]]]) -> str:
    for _ in range(100):  # a guard against rename cycles
        later = sorted(x for x in renames.get(path, ()) if x[0] >= at)
        if not later:
            break
        at, path = later[0]
    return path


TEST_PATHS_SQL = "select distinct path from files where path like '%test%'"


def _tests(db: Reader, paths: Iterable[str], since: int, end: int) -> dict[str, CoveringTest]:
    """Each path's test file and the window's commits that changed it. Every name `find_test_file`
    can answer contains 'test', so only such paths are read (LIKE: a superset on either backend)."""
    known = sorted({str(r["path"]) for r in db.all(TEST_PATHS_SQL)})
    out = {}
    for p in paths:
        t = find_test_file(p, known)
        hits = db.all(PATH_COMMITS_SQL, path=t, since=since, now=end) if t else []
        out[p] = CoveringTest(t, frozenset(f"{r['repo']}@{r['hash']}" for r in hits))
    return out


def is_test_path(path: str) -> bool:
    """True for a test file by convention: test_x.py, x_test.go, anything under tests/ or test/."""
    name = posixpath.basename(path)
    return name.startswith("test_") or posixpath.splitext(name)[0].endswith("_test") \
        or path.startswith(("tests/", "test/"))


def find_test_file(path: str, known: Sequence[str]) -> str:
    """The test file of `path` by convention, among `known` paths; '' if none (or if it is a test)."""
    folder, name = posixpath.split(path)
    stem, ext = posixpath.splitext(name)
    if is_test_path(path):
        return ""
    rest = path.split("/", 1)[1] if "/" in path else path
    pool = set(known)
    for top in ("tests", "test"):
        for sub in (posixpath.dirname(rest), folder):
            cand = posixpath.join(top, sub, "test_" + name)
            if cand in pool:
                return cand
    under = sorted(p for p in pool
                   if p.startswith(("tests/", "test/")) and posixpath.basename(p) == "test_" + name)
    if under:
        return under[0]
    if posixpath.join(folder, f"{stem}_test{ext}") in pool:
        return posixpath.join(folder, f"{stem}_test{ext}")
    anywhere = sorted(p for p in pool if posixpath.basename(p) == f"{stem}_test{ext}")
    return anywhere[0] if anywhere else ""


def rank(changes: Iterable[Change], *, weights: RiskWeights, days: int) -> tuple[Risk, ...]:
    """Pure: one Risk per file, sorted by (-risk, path) (no test-file lookup here)."""
    by_path: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        by_path[c.path].append(c)
    risks = [score(p, cs, weights=weights, days=days, test=None) for p, cs in by_path.items()]
    return tuple(sorted(risks, key=lambda r: (-r.score.total, r.name)))


def score(name: str, changes: Sequence[Change], *, weights: RiskWeights, days: int,
          test: CoveringTest | None) -> Risk:
    """Pure: the risk of one file or component from its window's changes, with its explanation."""
    w = weights
    commits: dict[str, Change] = {}  # one row per commit; a co-authored commit's first person by key
    for c in sorted(changes, key=lambda c: (-c.at, c.commit, c.is_bot, c.person.key)):
        commits.setdefault(c.commit, c)
    fixes = [c for c in commits.values() if c.is_bug_fix]
    churn = sum({(c.commit, c.changed_path): c.churn for c in changes}.values())
    humans = {c.person.key: c.person.name for c in changes if not c.is_bot}
    bots = tuple(sorted({c.person.name for c in changes if c.is_bot} - set(humans.values())))
    refs = tuple(dict.fromkeys(k for c in fixes for k in (c.issues or (short(c.commit.split("@")[1]),))))
    s = Score.of(f"churn*{w.churn:g} + bug_fixes*{w.bug_fix:g} + contributors*{w.contributor:g}"
                 f" + commits*{w.commit:g}",
                 {"churn": churn, "bug_fixes": len(fixes), "contributors": len(humans),
                  "commits": len(commits)},
                 _terms(churn, len(fixes), len(humans), len(commits), w))
    tested = len(test.commits & commits.keys()) if test and test.path else 0
    text = explain(len(commits), len(fixes), refs, len(humans), bots, churn, days,
                   test.path if test else None, tested, is_test=test is not None and is_test_path(name))
    evidence = tuple(Evidence("commit", short(c.commit.split("@")[1]), c.subject, c.at, "bug fix",
                              c.person.name) for c in fixes)
    return Risk(name, s, len(commits), len(fixes), len(humans), churn,
                tuple(sorted(humans.values())), bots, refs, test.path if test else "", tested, text, evidence)


def _terms(churn: int, fixes: int, humans: int, commits: int, w: RiskWeights) -> dict[str, float]:
    return {"churn": churn * w.churn, "bug_fixes": fixes * w.bug_fix, "contributors": humans * w.contributor,
            "commits": commits * w.commit}


def _total(changes: Sequence[Change], w: RiskWeights) -> float:
    """Pure: `score(...).score.total` without the explanation, for ordering many files cheaply."""
    churn = sum({(c.commit, c.changed_path): c.churn for c in changes}.values())
    fixes = len({c.commit for c in changes if c.is_bug_fix})
    humans = len({c.person.key for c in changes if not c.is_bot})
    return round(sum(_terms(churn, fixes, humans, len({c.commit for c in changes}), w).values()), 2)


def explain(commits: int, bug_fixes: int, fix_refs: Sequence[str], contributors: int, bots: Sequence[str],
            churn: int, days: int, test_file: str | None, test_commits: int, *, is_test: bool = False) -> str:
    """The numbers as sentences, e.g. 'changed 18 times in the last 90 days; 5 of those ...'."""
    if commits == 0:
        return f"not changed in the last {days} days"
    parts = [f"changed {_times(commits)} in the last {days} days"]
    n = bug_fixes
    parts.append("none of those changes is linked to a bug fix" if n == 0 else
                 f"1 of those changes is linked to a bug fix ({_list(fix_refs)})" if n == 1 else
                 f"{n} of those changes are linked to bug fixes ({_list(fix_refs)})")
    devs = f"{contributors} different developers changed it"
    if contributors == 1:
        devs = "1 developer changed it"
    if bots:
        devs += f" (bots not counted: {', '.join(bots)})"
    parts += [devs, f"{churn:,} line{'s' if churn != 1 else ''} churned"]
    if is_test:
        parts.append("it is a test file")
    elif test_file is not None:
        parts.append(f"its test file {test_file} changed in {test_commits} of those {commits} commits"
                     if test_file else "no test file found")
    return "; ".join(parts)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _list(refs: Sequence[str], n: int = 3) -> str:
    return ", ".join(refs[:n]) + (", …" if len(refs) > n else "")
