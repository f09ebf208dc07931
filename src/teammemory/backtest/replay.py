"""Replay a history in time order and answer each change with only what was known before it.

Events are sorted by (time, phase, order): at one instant every prediction (phase 0) is made
before anything of that instant becomes known (phase 1), so a change never sees itself, and
nothing later than it exists yet in the State (the replay adds facts as it reaches them).

- reviewers: each change with reviewers — a commit whose trailers name reviewers, a pull request
  with submitted reviews (predicted when opened, each review known when submitted), and in a
  git-only store a 'Merge pull request' merge whose merger did not write the branch (the merger
  is its reviewer; files from merge^1..merge^2). Never a candidate: the author, co-authors.
- experts: each non-merge commit by a person; the right answer is its author.
- risk: a cut every `window` days; at each, files alive then ranked; the next window's bug fixes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

from teammemory.agents import risk_signals
from teammemory.agents.scoring import DAY
from teammemory.backtest import rankers
from teammemory.backtest.history import Commit, History, Pull, merged_branches
from teammemory.backtest.metrics import PeopleTally, RiskTally, Role
from teammemory.backtest.state import FileKey, Method, State
from teammemory.config import RiskWeights

Question = Literal["reviewers", "risk", "experts"]
PeopleRanker = Callable[[State, list[FileKey], int, Collection[str]], list[str]]


@dataclass(frozen=True)
class Change:
    """One change to answer: when, where, its files (as named before it), who may not be named,
    and the right answers."""

    at: int
    repo: str
    ref: str
    files: tuple[str, ...]
    exclude: frozenset[str]
    truth: frozenset[str]


@dataclass(frozen=True)
class Prediction:
    change: Change
    ranked: tuple[tuple[str, tuple[str, ...]], ...]  # (method, top people) in the rankers' order


Event = tuple[int, int, int, object]


def origin_of(history: History) -> int:
    times = [c.at for c in history.commits] + [p.at for p in history.pulls]
    return min(times) if times else 0


def reviewer_changes(history: History, since: int, until: int) -> tuple[list[Change], list[Event]]:
    """The reviewed changes in [since, until], and the update events of PR reviews and merges."""
    changes: list[Change] = []
    updates: list[Event] = []
    for c in history.commits:
        if c.reviewers and not c.is_merge and c.files and since <= c.at <= until:
            changes.append(Change(c.at, c.repo, c.hash, _before(c), frozenset((c.author, *c.coauthors)),
                                  frozenset(c.reviewers)))
    for p in history.pulls:
        _pull(p, since, until, changes, updates)
    if not any(c.reviewers for c in history.commits) and not history.pulls:
        merges = {(c.repo, c.hash): c for c in history.commits if c.is_merge}
        for key, branch in merged_branches(history.commits).items():
            _merge(merges[key], branch, since, until, changes, updates)
    return changes, updates


def _before(c: Commit) -> tuple[str, ...]:
    return tuple(sorted({t.before or t.path for t in c.files}))


def _pull(p: Pull, since: int, until: int, changes: list[Change], updates: list[Event]) -> None:
    if not p.files:
        return
    if p.reviews and since <= p.at <= until:
        changes.append(Change(p.at, p.repo, f"#{p.number}", p.files, frozenset({p.author}),
                              frozenset(who for _, who in p.reviews)))
    for at, who in p.reviews:
        updates.append((at, 1, len(updates), ("review", p.repo, p.files, who)))


def _merge(m: Commit, branch: tuple[Commit, ...], since: int, until: int, changes: list[Change],
           updates: list[Event]) -> None:
    writers = {c.author for c in branch} | {p for c in branch for p in c.coauthors}
    files = tuple(sorted({t.before or t.path for c in branch for t in c.files}))
    if not files or m.author in writers or m.author_is_bot:
        return
    if since <= m.at <= until:
        changes.append(Change(m.at, m.repo, m.hash, files, frozenset(writers), frozenset({m.author})))
    updates.append((m.at, 1, len(updates), ("review", m.repo, files, m.author)))


def replay_people(history: History, changes: list[Change], updates: list[Event], methods: tuple[Method, ...],
                  baselines: dict[str, PeopleRanker], *, keep: int = 0, routing: bool = False
                  ) -> tuple[list[PeopleTally], list[Prediction]]:
    """Answer every change by every method and baseline; `keep` > 0 also returns the top `keep`
    of each answer (the tests compare them with a brute-force scoring). `routing`: the tool's
    methods score as review routing (file expertise plus reviewing activity), for reviewers."""
    state = State(methods, origin_of(history))
    events: list[Event] = [(c.at, 1, i, c) for i, c in enumerate(history.commits)]
    events += [(u[0], 1, len(history.commits) + u[2], u[3]) for u in updates]
    events += [(ch.at, 0, i, ch) for i, ch in enumerate(changes)]
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    rankers_: list[tuple[str, Role, PeopleRanker]] = [
        (m.name, "tool", _method_ranker(i, routing)) for i, m in enumerate(methods)]
    rankers_ += [(name, "baseline", fn) for name, fn in baselines.items()]
    tallies = [PeopleTally(name, role) for name, role, _ in rankers_]
    kept: list[Prediction] = []
    for at, _, _, item in events:
        if isinstance(item, Commit):
            state.add_commit(item)
        elif isinstance(item, Change):
            files = [(item.repo, f) for f in item.files]
            answers = [fn(state, files, at, item.exclude) for _, _, fn in rankers_]
            for tally, ranked in zip(tallies, answers, strict=True):
                tally.add(ranked, item.truth)
            if keep:
                kept.append(Prediction(item, tuple((name, tuple(a[:keep]))
                                                   for (name, _, _), a in zip(rankers_, answers, strict=True))))
        else:
            review: tuple[str, str, tuple[str, ...], str] = item  # type: ignore[assignment]
            state.add_review(review[1], review[2], review[3], at)
    return tallies, kept


def _method_ranker(index: int, routing: bool) -> PeopleRanker:
    return lambda state, files, now, exclude: rankers.by_method(state, index, files, now, exclude, routing)


REVIEWER_BASELINES: dict[str, PeopleRanker] = {
    "most active reviewer, last year": rankers.active_reviewer,
    "most frequent past author of the files": rankers.past_authors,
    "most frequent past reviewer of the files": rankers.past_reviewers,
}
EXPERT_BASELINES: dict[str, PeopleRanker] = {"most frequent past author of the files": rankers.past_authors}


def expert_changes(history: History, since: int, until: int) -> list[Change]:
    return [Change(c.at, c.repo, c.hash, _before(c), frozenset(), frozenset({c.author}))
            for c in history.commits
            if not c.is_merge and not c.author_is_bot and c.files and since <= c.at <= until]


RISK_BASELINES: dict[str, rankers.FileRanking] = {
    "churn": rankers.risk_churn, "commit count": rankers.risk_commits, "bug-fix count": rankers.risk_fixes,
    "bugspots": rankers.risk_bugspots,
}


def risk_cuts(since: int, until: int, window_days: int) -> list[int]:
    step = window_days * DAY
    return list(range(since, until - step + 1, step))


@dataclass(frozen=True)
class SignalMethod:
    """A ranking by risk signals: `weights` per signal, on top of the article's score when `article`."""

    name: str
    weights: dict[str, float]
    article: bool


def signal_methods(w: RiskWeights) -> tuple[SignalMethod, ...]:
    """Each signal alone and as 'article + w*signal' (w = its configured weight, else its probe
    weight risk_signals.PROBE), and the configured combination when a weight is set."""
    out: list[SignalMethod] = []
    for name in risk_signals.SIGNALS:
        wt = risk_signals.weight(w, name) or risk_signals.PROBE[name]
        out += [SignalMethod(f"article + {wt:g}*{name}", {name: wt}, True),
                SignalMethod(f"{name} alone", {name: 1.0}, False)]
    if risk_signals.any_weight(w):
        out.append(SignalMethod("article + signals (configured)", risk_signals.weights(w), True))
    return tuple(out)


def replay_risk(history: History, methods: tuple[Method, ...], cuts: list[int], *, days: int, window_days: int,
                weights: RiskWeights, signals: rankers.SignalSetup | None = None,
                by_signals: tuple[SignalMethod, ...] = ()) -> list[RiskTally]:
    """At each cut: rank the alive files by each method, signal method and baseline; score the next
    window's fixes. Signal values are computed once per cut and shared by the signal methods."""
    state = State(methods, origin_of(history), weights)
    commits = history.commits
    times = [c.at for c in commits]
    rank_fns: list[tuple[str, Role, rankers.FileRanking]] = [
        (m.name, "tool", _risk_method(i)) for i, m in enumerate(methods)]
    rank_fns += [(name, "baseline", fn) for name, fn in RISK_BASELINES.items()]
    tallies = [RiskTally(name, role) for name, role, _ in rank_fns]
    tallies += [RiskTally(m.name, "signal") for m in by_signals]
    done = 0
    for cut in cuts:
        end = bisect_right(times, cut)
        for c in commits[done:end]:
            state.add_commit(c)
        done = end
        window = list(commits[bisect_left(times, cut - days * DAY):end])
        later = commits[end:bisect_right(times, cut + window_days * DAY)]
        fixes = [{(c.repo, t.before or t.path) for t in c.files} for c in later if c.is_bug_fix and not c.is_merge]
        alive = len(state.alive)
        answers = [fn(state, window, cut) for _, _, fn in rank_fns]
        if by_signals and signals is not None:
            values = rankers.signal_values(state, window, cut, signals)
            base = rankers.article(state, window)
            answers += [rankers.with_signals(base if m.article else None, values, m.weights) for m in by_signals]
        for tally, scores in zip(tallies, answers, strict=True):
            tally.add(fixes, rankers.top_files(scores, 0.1, alive), rankers.top_files(scores, 0.2, alive))
    return tallies


def _risk_method(index: int) -> rankers.FileRanking:
    return lambda state, window, now: rankers.risk_by_method(state, index, window, now)
