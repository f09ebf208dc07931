"""The window's changes of many files at once, and the fast path that ranks them.

A component or the whole store has thousands of changed files in a window; ranking them needs
only their totals. So the window is read as two narrow sets of facts (risk.sql: `window-files`
and `window-commits`; once per answer, a component's facts being those of its files), files whose
best possible risk cannot make the cut are dropped by bounds, the rest are totalled straight from
the facts, and `Change` rows are built only for the files an answer explains. Bounds and totals call
risk_score.terms, the formula itself, so they cannot drift from it.

Renames: a change counts under the file's later name when the file was renamed afterwards
within the window; a file whose last change is a deletion is dropped (`fold_renames`): as of
`now`, since the window's facts stop at `now` (risk.sql), a file deleted by then is not ranked.
The fold is store/fix_history.py's (the bug-fix history kept at ingest folds alike).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from teammemory.agents import persons
from teammemory.agents.risk_score import Change, terms
from teammemory.config import RiskWeights
from teammemory.store import Reader, queries
from teammemory.store.fix_history import fold_renames

__all__ = ["CommitRow", "FactRow", "WindowFacts", "fold_renames", "window_facts"]

Q = queries.load("teammemory.agents.sql", "risk.sql")


class FactRow(NamedTuple):
    """One (commit, changed path) of the window (`window-files`)."""

    ref: str  # 'repo@hash'
    path: str
    old_path: str
    change_type: str
    churn: int


class CommitRow(NamedTuple):
    """One (commit, author or co-author) of the window (`window-commits`)."""

    ref: str
    authored_at: int
    committed_at: int
    is_bug_fix: int
    subject: str
    identity_key: str


_REF, _CHURN = attrgetter("ref"), attrgetter("churn")


@dataclass(frozen=True)
class WindowFacts:
    """The window's changes of many files as the rows SQL gave them: `Change` rows (one per
    person too) are built just for the files explained, and a commit stays its first
    `window-commits` row."""

    files: dict[str, list[FactRow]]  # the name each fact counts for (see fold_renames) -> its facts
    commits: dict[str, CommitRow]  # ref -> its first row (authored_at, committed_at, is_bug_fix, subject)
    authors: dict[str, list[persons.Who]]  # ref -> its authors and co-authors, one per commit_people row

    def totals(self, w: RiskWeights, paths: Iterable[str]) -> dict[str, float]:
        """These files' `score(path, self.changes(path), ...).score.total`, straight from the facts:
        each (commit, changed path) is one fact (primary keys of commit_files and files), so churn
        adds up; commits, bug fixes and people are counted once each."""
        out = {}
        for path in paths:
            facts = self.files[path]
            refs = set(map(_REF, facts))
            humans = {a.person.key for r in refs for a in self.authors[r] if not a.is_bot}
            fixes = sum(1 for r in refs if self.commits[r].is_bug_fix)
            out[path] = round(sum(terms(sum(map(_CHURN, facts)), fixes, len(humans), len(refs), w).values()), 2)
        return out

    def candidates(self, w: RiskWeights, limit: int, extra: Mapping[str, float] | None = None) -> list[str]:
        """The files that may be among the `limit` riskiest (all of them unless every weight, read
        off `terms`, is finite and >= 0, so that the risk grows with each input). A file whose
        highest total (`_bounds`) is below `limit` files' lowest totals cannot be among them (a
        margin of one point covers float and 2-decimal rounding). Most of a window's files go
        unscored. `extra`: points each file gets beyond the formula (risk signals, >= 0), added to
        both bounds."""
        weights = terms(1, 1, 1, 1, w).values()
        if limit <= 0 or len(self.files) <= limit or not all(0 <= x < math.inf for x in weights):
            return list(self.files)
        most = max(map(len, self.authors.values()), default=0)
        bounds = {p: _bounds(sum(map(_CHURN, facts)), len(facts), most, w) for p, facts in self.files.items()}
        if extra:
            bounds = {p: (low + extra.get(p, 0.0), high + extra.get(p, 0.0)) for p, (low, high) in bounds.items()}
        floor = sorted((low for low, _ in bounds.values()), reverse=True)[limit - 1] - 1
        return [p for p, (_, high) in bounds.items() if high >= floor]

    def split(self, is_test: Callable[[str], bool]) -> tuple[WindowFacts, WindowFacts]:
        """The facts of code files and those of test files, apart (each ranked on its own)."""
        code = {p: fs for p, fs in self.files.items() if not is_test(p)}
        tests = {p: fs for p, fs in self.files.items() if p not in code}
        return WindowFacts(code, self.commits, self.authors), WindowFacts(tests, self.commits, self.authors)

    def fix_refs(self, paths: Iterable[str]) -> set[str]:
        """The bug-fix commits among these files' facts (is_bug_fix = 1: those risk looks up issues of)."""
        return {f.ref for p in paths for f in self.files[p] if self.commits[f.ref].is_bug_fix == 1}

    def changes(self, path: str, fix_keys: Mapping[str, tuple[str, ...]]) -> list[Change]:
        """The (commit, file, person) rows of one file, as `score` takes them (`fix_keys`: a bug
        fix's 'repo@hash' -> its issue keys)."""
        out = []
        for f in self.files[path]:
            c = self.commits[f.ref]
            fix, keys = bool(c.is_bug_fix), fix_keys.get(f.ref, ())
            out += [Change(path, f.ref, c.authored_at, f.churn, fix, w.person, f.path, w.is_bot, keys, c.subject)
                    for w in self.authors[f.ref]]
        return out


def _bounds(churn: int, facts: int, most: int, w: RiskWeights) -> tuple[float, float]:
    """The lowest and the highest risk (before rounding) of a file with this churn and `facts`
    facts: `terms` at the extreme inputs. Churn is exact; 1 <= commits <= facts,
    0 <= bug fixes <= facts, 0 <= people <= facts * `most` (the most people of one commit)."""
    return sum(terms(churn, 0, 0, 1, w).values()), sum(terms(churn, facts, facts * most, facts, w).values())


class PathRow(NamedTuple):
    repo: str
    path: str


class _Window(NamedTuple):
    facts: list[FactRow]  # the window's (commit, changed path) facts, not folded
    when: dict[str, int]  # ref -> committed_at
    commits: dict[str, CommitRow]
    authors: dict[str, list[persons.Who]]


# Per reader (one question's read transaction): the window read once, though an answer asks for
# it twice (a component's facts, and the whole store's for the signals' coupling).
def window_facts(db: Reader, since: int, end: int, component: str | None = None,
                 repo: str | None = None) -> WindowFacts:
    """SQL only: the window's (commit, file) facts of the whole store (or of one component: the
    facts of its files as they were changed, of one repository), folded, with their commits. A
    commit with no author row has no people to count: as in an inner join, it counts for nothing."""
    w = _window(db, since, end, repo)
    facts = w.facts
    if component is not None:
        mine = component_files(db, component)
        facts = [f for f in facts if (f.ref.rpartition("@")[0], f.path) in mine]
    return WindowFacts(fold_renames(facts, w.when), w.commits, w.authors)


def component_files(db: Reader, component: str) -> frozenset[tuple[str, str]]:
    """The (repo, path) of one component's files as they are now (`files.component`), read once
    per reader: its window facts and its candidates from the fix history both ask."""
    return db.kept(("risk_window.component", component),
                   lambda: frozenset(db.fetch(Q["component-files"], PathRow, component=component)))


def _window(db: Reader, since: int, end: int, repo: str | None) -> _Window:
    return db.kept(("risk_window.window", since, end, repo), lambda: _read_window(db, since, end, repo))


def _read_window(db: Reader, since: int, end: int, repo: str | None) -> _Window:
    rows = db.fetch(Q["window-commits"], CommitRow, since=since, now=end)
    if repo is not None:  # a ref is '<repo>@<hash>' and a hash holds no '@'
        rows = [r for r in rows if r.ref.rpartition("@")[0] == repo]
    keys = {r.identity_key for r in rows}
    directory = persons.lookup(db, keys)
    who = {k: persons.who(directory, k) for k in keys}
    commits: dict[str, CommitRow] = {}
    found: dict[str, list[persons.Who]] = defaultdict(list)
    for r in rows:
        commits.setdefault(r.ref, r)
        found[r.ref].append(who[r.identity_key])
    when = {ref: c.committed_at for ref, c in commits.items()}
    facts = [f for f in db.fetch(Q["window-files"], FactRow, since=since, now=end) if f.ref in when]
    return _Window(facts, when, commits, dict(found))
