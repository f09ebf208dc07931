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

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import NamedTuple

from teammemory.agents import people
from teammemory.agents.covering_tests import CoveringTest, covering_tests, is_test_path
from teammemory.agents.evidence import DAY, Evidence, Person, Score, epoch, iso_day, not_found, short
from teammemory.config import Config, RiskWeights
from teammemory.store import Reader, Row

CHANGES_SQL = """with {target}
select t.root, cf.path, c.repo, c.hash, c.subject, c.authored_at, cf.added + cf.deleted as churn,
       c.is_bug_fix, cp.identity_key
  from target t cross join commit_files cf cross join commits c
  join commit_people cp on cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')
 where cf.repo = t.repo and cf.path = t.path and c.repo = cf.repo and c.hash = cf.hash
   and c.is_merge = 0 and c.committed_at <= t.until_at
   and c.authored_at >= :since and c.authored_at <= :now"""
# A file's few spans drive CHANGES_SQL through its history (`cross join` fixes SQLite's join order;
# PostgreSQL reorders freely). A component or the whole store is read through the window's commits
# (commits_time) instead, so the work grows with the window, not with the history of many files,
# and in two narrow queries: the window's (commit, file) facts, and each commit's people once
# (joining people to every file row would repeat them, and `rank` needs them per commit only).
# The whole store needs no `files` join: every commit_files path has its files row (write_commits
# writes both; a path leaves `files` only with its last commit_files row).
ALL_FILES_SQL = """
select c.repo || '@' || c.hash as ref, cf.path, cf.old_path, cf.change_type, cf.added + cf.deleted as churn
  from commits c cross join commit_files cf
 where c.authored_at >= :since and c.authored_at <= :now and c.is_merge = 0
   and cf.repo = c.repo and cf.hash = c.hash"""
COMPONENT_FILES_SQL = "with " + people.COMPONENT_CTE + """
select c.repo || '@' || c.hash as ref, cf.path, cf.old_path, cf.change_type, cf.added + cf.deleted as churn
  from commits c cross join commit_files cf cross join target t
 where c.authored_at >= :since and c.authored_at <= :now and c.is_merge = 0
   and cf.repo = c.repo and cf.hash = c.hash and t.repo = cf.repo and t.path = cf.path
   and c.committed_at <= t.until_at"""
WINDOW_COMMITS_SQL = """
select c.repo || '@' || c.hash as ref, c.authored_at, c.committed_at, c.is_bug_fix, c.subject, cp.identity_key
  from commits c cross join commit_people cp
 where c.authored_at >= :since and c.authored_at <= :now and c.is_merge = 0
   and cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')"""

ISSUES_SQL = "select hash, issue_key from commit_issues where repo = :repo and hash in ({keys})"


class Change(NamedTuple):
    """One (commit, file, person) fact in the window: what `rank` counts (a tuple: thousands are built)."""

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
    changes = [_root(c, path) for c in _changes(db, cte, params, since, end)]
    tests = covering_tests(db, [path], since, end)
    total = score(path, changes, weights=config.risk, days=days, test=tests.get(path))
    return RiskReport("file", path, days, since, iso_day(since), iso_day(end), total, ())


def ask_component(db: Reader, name: str, *, now: datetime, config: Config, days: int | None = None,
                  limit: int = 10) -> RiskReport:
    """A component's totals and its riskiest files; NotFound with close names when unknown."""
    names = people.components(db)
    if name not in names:
        raise not_found("component", name, names)
    days, since, end = _window(now, config, days)
    facts = window_facts(db, COMPONENT_FILES_SQL, {"component": name}, since, end)
    keys = _fix_keys(db, facts.fix_refs(facts.files))
    changes = [c for p in facts.files for c in facts.changes(p, keys)]
    total = score(name, changes, weights=config.risk, days=days, test=None)
    return RiskReport("component", name, days, since, iso_day(since), iso_day(end), total,
                      _ranked(db, facts, config.risk, days, since, end, limit))


def ask_top(db: Reader, *, now: datetime, config: Config, days: int | None = None,
            limit: int = 10) -> RiskReport:
    """The riskiest files of the whole store over the window."""
    days, since, end = _window(now, config, days)
    facts = window_facts(db, ALL_FILES_SQL, {}, since, end)
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
    rows = db.all(CHANGES_SQL.format(target=cte), **params, since=since, now=end)
    who = people.lookup(db, {str(r["identity_key"]) for r in rows})
    keys = _fix_keys(db, {f"{r['repo']}@{r['hash']}" for r in rows if r["is_bug_fix"] == 1})
    out = []
    for r in rows:
        w, ref = people.who(who, r["identity_key"]), f"{r['repo']}@{r['hash']}"
        out.append(Change(r["root"], ref, int(r["authored_at"]), int(r["churn"]), bool(r["is_bug_fix"]),
                          w.person, r["path"], w.is_bot, keys.get(ref, ()), r["subject"]))
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
        for r in people.chunked(db, ISSUES_SQL, some, repo=repo):
            keys[f"{repo}@{r['hash']}"].add(r["issue_key"])
    return {ref: tuple(sorted(ks)) for ref, ks in keys.items()}


_REF, _CHURN = itemgetter("ref"), itemgetter("churn")


@dataclass(frozen=True)
class WindowFacts:
    """The window's changes of many files as the rows SQL gave them: ranking thousands of files
    needs only their totals, so `Change` rows (one per person too) are built just for the files
    explained, and a commit stays its first WINDOW_COMMITS_SQL row."""

    files: dict[str, list[Row]]  # the name each fact counts for (see fold_renames) -> its facts
    commits: dict[str, Row]  # ref -> authored_at, committed_at, is_bug_fix, subject
    authors: dict[str, list[people.Who]]  # ref -> its authors and co-authors, one per commit_people row

    def totals(self, w: RiskWeights, paths: Iterable[str]) -> dict[str, float]:
        """These files' `score(path, self.changes(path), ...).score.total`, straight from the facts:
        each (commit, changed path) is one fact (primary keys of commit_files and files), so churn
        adds up; commits, bug fixes and people are counted once each."""
        out = {}
        for path in paths:
            facts = self.files[path]
            refs = set(map(_REF, facts))
            humans = {a.person.key for r in refs for a in self.authors[r] if not a.is_bot}
            fixes = sum(1 for r in refs if self.commits[r]["is_bug_fix"])
            terms = _terms(sum(map(_CHURN, facts)), fixes, len(humans), len(refs), w)
            out[path] = round(sum(terms.values()), 2)
        return out

    def candidates(self, w: RiskWeights, limit: int) -> list[str]:
        """The files that may be among the `limit` riskiest (all of them unless the weights are
        finite and >= 0). Cheap bounds from each file's facts (churn is exact; 1 <= commits <= facts,
        0 <= bug fixes <= facts, 0 <= people <= facts * most people of one commit): a file whose
        highest total is below `limit` files' lowest totals cannot be among them (a margin of one
        point covers float and 2-decimal rounding). Most of a window's files go unscored."""
        weights = (w.churn, w.bug_fix, w.contributor, w.commit)
        if limit <= 0 or len(self.files) <= limit or not all(0 <= x < math.inf for x in weights):
            return list(self.files)
        most = max(map(len, self.authors.values()), default=0)
        per_fact = w.bug_fix + w.contributor * most + w.commit
        bounds = {p: (sum(map(_CHURN, facts)) * w.churn, len(facts)) for p, facts in self.files.items()}
        floor = sorted((churn + w.commit for churn, _ in bounds.values()), reverse=True)[limit - 1] - 1
        return [p for p, (churn, n) in bounds.items() if churn + n * per_fact >= floor]

    def fix_refs(self, paths: Iterable[str]) -> set[str]:
        """The bug-fix commits among these files' facts (is_bug_fix = 1: those _fix_keys looks up)."""
        return {f["ref"] for p in paths for f in self.files[p] if self.commits[f["ref"]]["is_bug_fix"] == 1}

    def changes(self, path: str, fix_keys: Mapping[str, tuple[str, ...]]) -> list[Change]:
        """The (commit, file, person) rows of one file, as `score` takes them (`fix_keys`: see _fix_keys)."""
        out = []
        for f in self.files[path]:
            ref, c = f["ref"], self.commits[f["ref"]]
            at, fix, keys = int(c["authored_at"]), bool(c["is_bug_fix"]), fix_keys.get(ref, ())
            out += [Change(path, ref, at, int(f["churn"]), fix, w.person, f["path"], w.is_bot, keys, c["subject"])
                    for w in self.authors[ref]]
        return out


def window_facts(db: Reader, files_sql: str, params: dict[str, object], since: int, end: int) -> WindowFacts:
    """SQL only: the window's (commit, file) facts `files_sql` reads, folded, with their commits.
    A commit with no author row has no people to count: as in an inner join, it counts for nothing."""
    rows = db.all(WINDOW_COMMITS_SQL, since=since, now=end)
    keys = {str(r["identity_key"]) for r in rows}
    directory = people.lookup(db, keys)
    who = {k: people.who(directory, k) for k in keys}
    commits: dict[str, Row] = {}
    found: dict[str, list[people.Who]] = defaultdict(list)
    for r in rows:
        commits.setdefault(r["ref"], r)
        found[r["ref"]].append(who[str(r["identity_key"])])
    when = {ref: int(c["committed_at"]) for ref, c in commits.items()}
    facts = [r for r in db.rows(files_sql, **params, since=since, now=end) if r["ref"] in when]
    return WindowFacts(fold_renames(facts, when), commits, dict(found))


def _root(c: Change, root: str) -> Change:
    return c if c.path == root else c._replace(path=root)


def fold_renames(facts: Sequence[Row], when: Mapping[str, int]) -> dict[str, list[Row]]:
    """Pure: the facts (ref, path, old_path, change_type) by the name each counts for: a change
    counts under the file's later name when the file was renamed afterwards (`when`: committed_at
    of each ref) among the facts; files whose last change (greatest (committed_at, change_type))
    is a deletion are dropped: they are not there to be risky. This runs over every change of
    the window, so the common case (a name never renamed away, never deleted) costs one append."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for f in facts:
        if f["old_path"] and f["old_path"] != f["path"]:
            found[f["old_path"]].append((when[f["ref"]], f["path"]))
    renames = {old: sorted(later) for old, later in found.items()}
    files: dict[str, list[Row]] = defaultdict(list)
    deleted: set[str] = set()
    for f in facts:
        path = f["path"]
        if path in renames:
            path = _final(path, when[f["ref"]], renames)
        files[path].append(f)
        if f["change_type"] == "D":
            deleted.add(path)
    for path in deleted:
        if max([(-1, "")] + [(when[f["ref"]], f["change_type"]) for f in files[path]])[1] == "D":
            del files[path]
    return dict(files)


def _final(path: str, at: int, renames: Mapping[str, list[tuple[int, str]]]) -> str:
    """Follow the earliest rename at or after `at` (ties: new name), then the next, and so on;
    each name's renames are sorted by (time, new name)."""
    for _ in range(100):  # a guard against rename cycles
        later = renames.get(path, ())
        i = bisect_left(later, (at,))
        if i == len(later):
            break
        at, path = later[i]
    return path


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
