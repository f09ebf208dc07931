"""Who or what each method puts first, read off the replay's State at one moment.

The tool's methods are agents/scoring.py's scorings summed over a change's files (as
review-suggest sums file expertise); the baselines are the issue's simplest rules:
most active reviewer of the last year, most frequent past author / past reviewer of the
change's files; for risk: churn, commit count and bug-fix count in the window, and bugspots.
Every ranking sorts by (-score, -last activity, key): no tie is left to dict order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from teammemory.agents import risk_score, risk_signals, scoring
from teammemory.agents.covering_tests import (
    find_in_index,  # the indexed lookup risk's answers use
    tested_name,
)
from teammemory.backtest.history import Commit
from teammemory.backtest.state import FileKey, Method, PersonFile, State
from teammemory.config import RiskWeights

PersonScore = Callable[[PersonFile], float]


def people(state: State, files: Iterable[FileKey], now: int, exclude: Collection[str],
           score: PersonScore, *, active_only: Method | None = None) -> list[str]:
    """People ranked by `score` summed over `files`, without `exclude`; only positive totals.
    With `active_only`, people inactive by that method's weights are left out."""
    totals: dict[str, float] = defaultdict(float)
    for key in files:
        for person, pf in state.files.get(key, {}).items():
            if person not in exclude:
                totals[person] += score(pf)
    if active_only is not None:
        totals = {p: v for p, v in totals.items()
                  if not scoring.inactive(state.last.get(p), now, active_only.weights)}
    return order(totals, state.last)


def order(totals: dict[str, float], last: dict[str, int]) -> list[str]:
    return [p for p, v in sorted(totals.items(), key=lambda kv: (-kv[1], -last.get(kv[0], 0), kv[0])) if v > 0]


def method_score(state: State, index: int, now: int) -> PersonScore:
    """A person's score on one file by method `index` at `now`."""
    m = state.methods[index]
    if m.scoring == "article":
        w = m.weights
        return lambda pf: scoring.article_score(pf.commits, pf.reviews, 0, pf.churn,
                                                scoring.days_since(pf.last, now), w)
    divisor = state.scale(now, m)
    return lambda pf: pf.s[index] / divisor


def by_method(state: State, index: int, files: list[FileKey], now: int, exclude: Collection[str],
              routing: bool = False) -> list[str]:
    """Method `index`'s ranking; with `routing` (the reviewers question) a fading method scores as
    review routing does: file expertise plus the faded reviewing activity (scoring.routing_score)."""
    m = state.methods[index]
    if routing and m.scoring == "fading" and m.weights.review_activity and files:
        return _routed(state, index, files, now, exclude)
    return people(state, files, now, exclude, method_score(state, index, now),
                  active_only=m if m.scoring == "fading" else None)


def _routed(state: State, index: int, files: list[FileKey], now: int, exclude: Collection[str]) -> list[str]:
    m = state.methods[index]
    score = method_score(state, index, now)
    known: dict[str, float] = defaultdict(float)
    for key in files:
        for person, pf in state.files.get(key, {}).items():
            known[person] += score(pf)
    reviewing = state.reviewing_at(files[0][0], index, now)
    totals = {p: scoring.routing_score(known.get(p, 0.0), reviewing.get(p, 0.0), m.weights)
              for p in set(known) | set(reviewing)
              if p not in exclude and not scoring.inactive(state.last.get(p), now, m.weights)}
    return order(totals, state.last)


def past_authors(state: State, files: list[FileKey], now: int, exclude: Collection[str]) -> list[str]:
    return people(state, files, now, exclude, lambda pf: float(pf.commits))


def past_reviewers(state: State, files: list[FileKey], now: int, exclude: Collection[str]) -> list[str]:
    return people(state, files, now, exclude, lambda pf: float(pf.reviews))


def active_reviewer(state: State, files: list[FileKey], now: int, exclude: Collection[str]) -> list[str]:
    state.expire_reviews(now)
    return order({p: float(n) for p, n in state.review_counts.items() if p not in exclude}, state.last)


# --- risk --------------------------------------------------------------------------------------
FileRanking = Callable[[State, list[Commit], int], dict[FileKey, float]]


def window_stats(state: State, window: list[Commit]) -> dict[FileKey, tuple[int, int, int, int]]:
    """Per alive file over the window's non-merge commits: (churn, bug fixes, contributors, commits)."""
    churn: dict[FileKey, int] = defaultdict(int)
    fixes: dict[FileKey, int] = defaultdict(int)
    commits: dict[FileKey, int] = defaultdict(int)
    who: dict[FileKey, set[str]] = defaultdict(set)
    for c in window:
        if c.is_merge:
            continue
        for t in c.files:
            key = (c.repo, t.path)
            churn[key] += t.churn
            fixes[key] += c.is_bug_fix
            commits[key] += 1
            who[key].update(((c.author,) if not c.author_is_bot else ()) + c.coauthors)
    return {k: (churn[k], fixes[k], len(who[k]), commits[k]) for k in commits if k in state.alive}


def risk_by_method(state: State, index: int, window: list[Commit], now: int) -> dict[FileKey, float]:
    m = state.methods[index]
    if m.scoring == "article":
        return {k: sum(risk_score.terms(*v, state.risk).values()) for k, v in window_stats(state, window).items()}
    divisor = state.scale(now, m)
    return {k: s[index] / divisor for k, s in state.risk_s.items() if k in state.alive}


def risk_churn(state: State, window: list[Commit], now: int) -> dict[FileKey, float]:
    return {k: float(v[0]) for k, v in window_stats(state, window).items()}


def risk_fixes(state: State, window: list[Commit], now: int) -> dict[FileKey, float]:
    return {k: float(v[1]) for k, v in window_stats(state, window).items()}


def risk_commits(state: State, window: list[Commit], now: int) -> dict[FileKey, float]:
    return {k: float(v[3]) for k, v in window_stats(state, window).items()}


def risk_bugspots(state: State, window: list[Commit], now: int) -> dict[FileKey, float]:
    return {k: scoring.bugspots(times, state.origin, now) for k, times in state.fix_times.items()
            if k in state.alive}


def top_files(scores: dict[FileKey, float], share: float, alive: int) -> set[FileKey]:
    """The top `share` of the alive files (at least one), by (-score, key); zero scores never count."""
    n = max(1, round(share * alive))
    ranked = sorted(((k, v) for k, v in scores.items() if v > 0), key=lambda kv: (-kv[1], kv[0]))
    return {k for k, _ in ranked[:n]}


# --- risk signals (agents/risk_signals.py), measured one by one ----------------------------------
@dataclass(frozen=True)
class SignalSetup:
    """What the replay needs to compute the risk signals as the agent does: the weights (infra
    patterns, fix half-life), test conventions, coupling limits, and the incidents known (each
    (started at, the files its causes changed))."""

    weights: RiskWeights
    test_patterns: tuple[str, ...]
    max_changeset: int
    min_shared: int
    incidents: tuple[tuple[int, frozenset[FileKey]], ...] = ()
    approved: Mapping[str, int] = field(default_factory=dict)  # commit hash -> first APPROVED review


SignalValues = dict[str, dict[FileKey, float]]


@lru_cache(maxsize=1 << 17)
def _tested_name(path: str, patterns: tuple[str, ...]) -> str | None:
    return tested_name(path, patterns)


def signal_values(state: State, window: list[Commit], now: int, setup: SignalSetup) -> SignalValues:
    """Every signal's value per alive file at `now` (risk_signals' definitions: a change is reviewed
    when a trailer names a reviewer or a PR review approved it by `now`)."""
    w, patterns = setup.weights, setup.test_patterns
    touched: dict[FileKey, list[Commit]] = defaultdict(list)
    sets: list[list[FileKey]] = []
    for c in window:
        if c.is_merge:
            continue
        keys = [(c.repo, t.path) for t in c.files]
        sets.append(keys)
        for k in keys:
            touched[k].append(c)
    out: SignalValues = {name: {} for name in risk_signals.SIGNALS}
    tests_of: dict[str, dict[str, list[str]]] = {}
    for k, cs in touched.items():
        if k not in state.alive:
            continue
        repo, path = k
        out["reverts"][k] = float(sum(c.is_revert for c in cs))
        if risk_signals.is_infra(path, w.infra_patterns):
            out["unreviewed_infra"][k] = float(sum(1 for c in cs if not c.reviewers
                                                   and setup.approved.get(c.hash, now + 1) > now))
        if _tested_name(path, patterns) is None:
            if repo not in tests_of:
                names: dict[str, list[str]] = defaultdict(list)
                for r, p in sorted(state.alive):
                    n = _tested_name(p, patterns) if r == repo else None
                    if n:
                        names[n].append(p)
                tests_of[repo] = dict(names)
            test = find_in_index(path, tests_of[repo], patterns)
            refs = {c.hash for c in cs}
            tested = {c.hash for c in touched.get((repo, test), ())} if test else set()
            out["untested_changes"][k] = float(risk_signals.untested(refs, tested))
    for k, (degree, *_rest) in risk_signals.couplings(sets, setup.max_changeset, setup.min_shared).items():
        if k in state.alive:
            out["coupling"][k] = degree
    for k, times in state.fix_times.items():
        if k in state.alive:
            out["recent_fixes"][k] = risk_signals.faded_fixes(times, now, w.recent_fix_half_life_days)
    for started, files in setup.incidents:
        if started <= now:
            for k in files & state.alive:
                out["incidents"][k] = out["incidents"].get(k, 0.0) + 1
    return out


def article(state: State, window: list[Commit]) -> dict[FileKey, float]:
    return {k: sum(risk_score.terms(*v, state.risk).values()) for k, v in window_stats(state, window).items()}


def with_signals(base: dict[FileKey, float] | None, values: SignalValues, weights: dict[str, float]
                 ) -> dict[FileKey, float]:
    """`base` (the article's score of the window's files) plus each weighted signal; a file with a
    signal but no change in the window counts too (as the agent ranks it: a file fixed often
    lately is risky though untouched for 90 days; ranking only the window's files halved the
    gain of recent_fixes)."""
    out = dict(base) if base is not None else {}
    for name, wt in weights.items():
        if wt:
            for k, v in values[name].items():
                out[k] = out.get(k, 0.0) + wt * v
    return out
