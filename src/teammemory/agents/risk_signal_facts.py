"""What the risk signals read from the store (agents/risk_signals.py holds their rules; SQL:
agents/sql/risk_signals.sql). As of `now`: commits authored and committed by then, reviews
submitted by then, incidents started by then (agents/incidents.py's own as-of rules).

- `window_commits`: the window's commits of some files as the signals see them: revert of what,
  reviewed or not (an APPROVED PR review, or a reviewer trailer).
- `FixHistory`: each file's bug-fix times over its whole history, under its name at `now`
  (renames followed with fold_renames; files deleted since dropped): kept at ingest
  (store/fix_history.py), folded from the raw rows only for an earlier `now`.
- `caused`: the incidents each file's changes caused (the files a cause changed).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from teammemory.agents import risk_signals
from teammemory.agents.covering_tests import CoveringTest, covering_tests, is_test_lookup, is_test_path
from teammemory.agents.evidence import DAY, short
from teammemory.agents.risk_signals import Caused, Signal, WindowCommit, couplings_of
from teammemory.agents.risk_window import WindowFacts, component_files
from teammemory.config import Config
from teammemory.store import Reader, fix_history, queries

Q = queries.load("teammemory.agents.sql", "risk_signals.sql")
_NONE = (0.0, "", 0, 0, 0)  # no coupling found (a marker: compared by identity)


class RevertRow(NamedTuple):
    hash: str
    is_revert: int
    reverts: str


_NO_REVERT = RevertRow("", 0, "")


class HashRow(NamedTuple):
    hash: str


class SubjectRow(NamedTuple):
    hash: str
    subject: str
    committed_at: int


def window_commits(db: Reader, commits: Mapping[str, tuple[int, int, str]], now: int) -> dict[str, WindowCommit]:
    """`commits`: 'repo@hash' -> (authored_at, committed_at, subject) -> each as a WindowCommit
    (stored commits: the window's). Reverts and reviewer trailers are read for just the commits
    that have them (two index lookups), not from each commit's row."""
    by_repo: dict[str, set[str]] = defaultdict(set)
    for ref in commits:
        repo, _, hash_ = ref.rpartition("@")
        by_repo[repo].add(hash_)
    approved = set(approvals(db, now)) if commits else set()
    out: dict[str, WindowCommit] = {}
    for repo, hashes in sorted(by_repo.items()):
        reverts: dict[str, RevertRow] = {}
        trailers: set[str] = set()
        for marks, params in queries.in_list(hashes, "h"):
            reverts.update((r.hash, r) for r in db.fetch(Q["commit-reverts"].fill(hashes=marks), RevertRow,
                                                         **params, repo=repo))
            trailers.update(r.hash for r in db.fetch(Q["commit-reviewers"].fill(hashes=marks), HashRow,
                                                     **params, repo=repo))
        for hash_ in hashes:
            ref, r = f"{repo}@{hash_}", reverts.get(hash_, _NO_REVERT)
            at, committed, subject = commits[ref]
            out[ref] = WindowCommit(ref, at, subject, bool(r.is_revert or r.reverts), r.reverts,
                                    hash_ in trailers or hash_ in approved)
    named: dict[str, list[WindowCommit]] = defaultdict(list)
    for c in out.values():
        if c.reverts.startswith("subject:"):
            named[c.ref.rpartition("@")[0]].append(c)
    for repo, some in sorted(named.items()):
        found = _by_subject(db, repo, {c.reverts[len("subject:"):] for c in some})
        for c in some:
            before = [(t, h) for t, h in found.get(c.reverts[len("subject:"):], ()) if t <= commits[c.ref][1]]
            if before:
                out[c.ref] = dataclasses.replace(c, reverts=max(before)[1])
    return out


class ApprovalRow(NamedTuple):
    hash: str
    at: int


def approvals(db: Reader, now: int) -> dict[str, int]:
    """Each commit hash approved in review by `now` -> when it was first approved."""
    return {r.hash: int(r.at) for r in db.fetch(Q["approved-commits"], ApprovalRow, now=now)}


def _by_subject(db: Reader, repo: str, subjects: set[str]) -> dict[str, list[tuple[int, str]]]:
    """The commits of `repo` with these subjects: (committed at, hash), for `Revert "<subject>"`
    when no hash was written (the latest one before the revert is what it reverts)."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for marks, params in queries.in_list(sorted(subjects), "s"):
        for r in db.fetch(Q["commits-by-subject"].fill(subjects=marks), SubjectRow, **params, repo=repo):
            found[r.subject].append((int(r.committed_at), r.hash))
    return dict(found)


class FixHistory:
    """Each file's bug fixes over its whole history, under its name at `now` (of `repo`, or all):
    from the summary kept at ingest (store/fix_history.py) when it answers for `now` (every
    file's fix times for the ranking, the fixes themselves only for the files explained), else
    folded from the raw rows (an earlier `now`, one repository of several): the same fixes."""

    def __init__(self, db: Reader, now: int, repo: str | None = None) -> None:
        self._db = db
        self._all: fix_history.Fixes | None = None
        self._times: dict[str, list[int]] | None = None
        if not fix_history.answers(db, now, repo):
            self._all = fix_history.compute(db, now, repo)
            self._times = {p: [t for t, _ in fs] for p, fs in self._all.items()}

    @property
    def times(self) -> dict[str, list[int]]:
        """Every file's fix times (authored at), oldest first: what ranking many files needs."""
        if self._times is None:
            self._times = fix_history.stored_times(self._db)
        return self._times

    def of(self, paths: Iterable[str]) -> fix_history.Fixes:
        """These files' fixes (authored at, 'repo@hash'), oldest first; files with none left out
        (one file's answer reads just its own)."""
        if self._all is not None:
            return {p: self._all[p] for p in paths if p in self._all}
        return fix_history.stored(self._db, paths)


def component_paths(db: Reader, component: str) -> set[str]:
    """The paths of one component's files (to keep a component's candidates from the fix history)."""
    return {path for _, path in component_files(db, component)}


def caused(db: Reader, now: int, paths: Iterable[str] | None = None) -> dict[str, list[Caused]]:
    """Each file -> the incidents (started by `now`) that a change of it caused."""
    if all(db.scalar(f"select 1 as x from {table} limit 1") is None for table in ("incidents", "issues")):
        return {}  # incidents.load finds incidents in these two tables only: a git-only store skips its import
    from teammemory.agents import incidents

    wanted = set(paths) if paths is not None else None
    out: dict[str, list[Caused]] = defaultdict(list)
    for item in incidents.load(db, now=now):
        for c in item.causes:
            ref = short(c.ref) if c.kind == "commit" else f"#{c.ref}"
            for p in c.paths:
                if wanted is None or p in wanted:
                    if all(x.key != item.key for x in out[p]):
                        out[p].append(Caused(item.key, item.severity, item.started_at, ref, c.landed_at))
    return dict(out)


class Context:
    """Everything one answer needs to compute signals for any of its files, read once: the whole
    window's facts (coupling, commits), the fix history, the incidents; window commits' revert
    and review facts are looked up only for the files asked."""

    def __init__(self, db: Reader, window: WindowFacts, *, now: int, days: int, config: Config,
                 repo: str | None = None) -> None:
        self.db, self.window, self.now, self.days, self.config = db, window, now, days, config
        self.history = FixHistory(db, now, repo)
        self.caused = caused(db, now)
        self._sets: list[set[str]] | None = None
        self._coupled: dict[str, tuple[float, str, int, int, int]] = {}
        self._commits: dict[str, WindowCommit] = {}

    def coupled(self, paths: Iterable[str]) -> dict[str, tuple[float, str, int, int, int]]:
        """Each of these paths' strongest change coupling over the window's commits (those it has),
        as `risk_signals.couplings` over the whole window gives it: worked out for these paths only."""
        todo = [p for p in paths if p not in self._coupled]
        if todo:
            if self._sets is None:
                sets: dict[str, set[str]] = defaultdict(set)
                for path, facts in self.window.files.items():
                    for f in facts:
                        sets[f.ref].add(path)
                self._sets = list(sets.values())
            found = couplings_of(self._sets, todo, self.config.coupling_max_changeset,
                                 self.config.coupling_min_shared)
            self._coupled.update({p: found.get(p, _NONE) for p in todo})
        return {p: c for p in paths if (c := self._coupled[p]) is not _NONE}

    def signals(self, paths: Iterable[str], tests: Mapping[str, CoveringTest] | None = None
                ) -> dict[str, tuple[Signal, ...]]:
        """Every signal of each path (`tests`: covering tests found, else none looked up)."""
        paths = list(paths)
        refs = {f.ref for p in paths for f in self.window.files.get(p, ())}
        todo = {r: (self.window.commits[r].authored_at, self.window.commits[r].committed_at,
                    self.window.commits[r].subject) for r in refs - self._commits.keys()}
        if todo:
            self._commits.update(window_commits(self.db, todo, self.now))
        patterns, w = self.config.test_patterns, self.config.risk
        fixes, coupled = self.history.of(paths), self.coupled(paths)
        out = {}
        for p in paths:
            mine = sorted({self._commits[f.ref] for f in self.window.files.get(p, ()) if f.ref in self._commits},
                          key=lambda c: (-c.at, c.ref))
            test = tests.get(p) if tests is not None else None
            out[p] = risk_signals.signals(
                p, days=self.days, now=self.now, w=w, commits=mine, fixes=fixes.get(p, ()),
                test_path=test.path if test else None, test_refs=test.commits if test else (),
                is_test=is_test_path(p, patterns), caused=self.caused.get(p, ()), coupled=coupled.get(p))
        return out

    def extra(self, paths: Iterable[str]) -> dict[str, float]:
        """Each path's weighted signal points, as `risk_signals.total(self.signals(...))` gives them,
        computing only the weighted signals and no sentences: window commits are looked up only
        when reverts or unreviewed infrastructure are weighted, covering tests (a query per file)
        only when untested changes are."""
        paths = list(paths)
        w, ws = self.config.risk, risk_signals.weights(self.config.risk)
        if ws["reverts"] or ws["unreviewed_infra"]:
            self.signals([p for p in paths if p in self.window.files])  # fills the commit facts
        tests = (covering_tests(self.db, paths, self.now - self.days * DAY, self.now, self.config.test_patterns)
                 if ws["untested_changes"] else {})
        is_test = is_test_lookup(self.db, self.config.test_patterns)
        coupled = self.coupled(paths) if ws["coupling"] else {}
        out = {}
        for p in paths:
            facts = self.window.files.get(p, ())
            values: dict[str, float] = {}
            if ws["reverts"]:
                values["reverts"] = sum(1 for r in {f.ref for f in facts} if self._commits[r].is_revert)
            if ws["incidents"]:
                values["incidents"] = len(self.caused.get(p, ()))
            if ws["recent_fixes"]:
                values["recent_fixes"] = risk_signals.faded_fixes(
                    self.history.times.get(p, ()), self.now, w.recent_fix_half_life_days)
            if ws["untested_changes"] and facts and not is_test(p):
                test = tests[p]
                values["untested_changes"] = risk_signals.untested({f.ref for f in facts}, test.commits)
            if ws["unreviewed_infra"] and risk_signals.is_infra(p, w.infra_patterns):
                values["unreviewed_infra"] = sum(1 for r in {f.ref for f in facts} if not self._commits[r].reviewed)
            if ws["coupling"] and p in coupled:
                values["coupling"] = coupled[p][0]
            out[p] = round(sum(round(v * ws[name], 2) for name, v in values.items()), 2)  # risk_signals.weighted
        return out
