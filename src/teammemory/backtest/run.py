"""`teammemory backtest`: one function from a store and a question to the figures of every method.

Methods: the configured scoring (`expertise.scoring`, with its half-life), the other named
scoring, and a fading scoring for each extra half-life asked for — all agents/scoring.py's —
beside the question's baselines, answered over the same changes in one replay.
Defaults: changes from one year after the first commit (a year to learn from) to the last one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from teammemory.agents import incidents, risk_score, risk_signal_facts
from teammemory.agents.evidence import epoch, iso_day
from teammemory.agents.scoring import DAY, SCORINGS
from teammemory.backtest import history, replay
from teammemory.backtest.metrics import PeopleFigures, RiskFigures
from teammemory.backtest.rankers import SignalSetup
from teammemory.backtest.replay import Question
from teammemory.backtest.state import Method
from teammemory.config import Config, RiskWeights
from teammemory.errors import InputError
from teammemory.store import Reader

QUESTIONS: tuple[Question, ...] = ("reviewers", "risk", "experts")
LEARN_DAYS = 365
FAR_FUTURE = 253402300799  # 9999-12-31T23:59:59Z


@dataclass(frozen=True)
class Backtest:
    question: Question
    repo: str  # '' = every repository
    since: str
    until: str
    changes: int  # changes answered (risk: bug-fix commits in the windows after the cuts)
    methods: tuple[str, ...]  # how each tool method scores, e.g. 'fading: half-life 365 d, ...'
    people: tuple[PeopleFigures, ...]  # reviewers, experts
    risk: tuple[RiskFigures, ...]  # risk
    note: str


def methods_of(config: Config, half_lives: tuple[float, ...] = (), scorings: tuple[str, ...] = ()
               ) -> tuple[Method, ...]:
    """The tool's methods: the asked scorings (default: the configured one first, then the other),
    and a fading method per extra half-life."""
    w = config.expertise
    names = scorings or (w.scoring, *(s for s in SCORINGS if s != w.scoring))
    out: list[Method] = []
    for name in names:
        if name not in SCORINGS:
            raise InputError("--scoring", f"{name!r} is not one of {', '.join(SCORINGS)}")
        if name == "article":
            out.append(Method("article", "article", w))
        else:
            out.append(Method(f"fading {w.half_life_days:g} d", "fading", w))
    for h in half_lives:
        if not 1 <= h <= 36500:
            raise InputError("--half-life", f"{h:g} is out of range: 1 to 36500 days")
        if h != w.half_life_days or "fading" not in names:
            out.append(Method(f"fading {h:g} d", "fading", dataclasses.replace(w, half_life_days=h)))
    return tuple(out)


def describe(m: Method, question: Question = "reviewers", risk: RiskWeights | None = None) -> str:
    w = m.weights
    if question == "risk":
        r = risk or RiskWeights()
        if m.scoring == "article":
            return f"{m.name}: {risk_score.formula(r)} over the risk.days window"
        return (f"{m.name}: sum of mass*({r.commit:g} + {r.bug_fix:g}*is_fix + {r.churn:g}*log2(1+lines))"
                f" * 2^(-age/{w.half_life_days:g} d), mass = 1/max(1, files/{w.mass_files:g})")
    if m.scoring == "article":
        return (f"{m.name}: commits*{w.commit:g} + reviews*{w.review:g} + churn/{w.churn_divisor:g}"
                f" + {w.recency_bonus:g}*max(0, 1 - days/{w.recency_days:g})")
    prior = (f"; plus {w.review_activity:g}*reviews anywhere in the repository * 2^(-age/"
             f"{w.review_activity_half_life_days:g} d)") if question == "reviewers" and w.review_activity else ""
    return (f"{m.name}: sum of mass*(kind weight + log2(1+lines)) * 2^(-age/{w.half_life_days:g} d),"
            f" mass = 1/max(1, files/{w.mass_files:g}), inactive after {w.inactive_days:g} d{prior}")


def run(db: Reader, question: Question, *, config: Config, repo: str | None = None,
        since: datetime | None = None, until: datetime | None = None, half_lives: tuple[float, ...] = (),
        scorings: tuple[str, ...] = (), window_days: int | None = None) -> Backtest:
    """Replay the store's history and score every method and baseline on `question`."""
    if question not in QUESTIONS:
        raise InputError("QUESTION", f"{question!r} is not one of {', '.join(QUESTIONS)}")
    methods = methods_of(config, half_lives, scorings)
    end = epoch(until) if until else FAR_FUTURE
    past = history.load(db, repo=repo, until=end)
    if not past.commits:
        raise InputError("--repo" if repo else "store", "no commits to replay" + (f" in {repo}" if repo else ""))
    first, last = replay.origin_of(past), max(c.at for c in past.commits)
    start = epoch(since) if since else first + LEARN_DAYS * DAY
    end = min(end, last)
    if start > end:
        raise InputError("--since", f"{iso_day(start)} is after the last change replayed ({iso_day(end)})")
    setup = signal_setup(db, config, end) if question == "risk" else None
    figures, changes, note = _answer(past, question, methods, start, end, config, window_days, setup)
    return Backtest(question, repo or "", iso_day(start), iso_day(end), changes,
                    tuple(describe(m, question, config.risk) for m in methods), *figures, note)


def signal_setup(db: Reader, config: Config, until: int) -> SignalSetup:
    """The risk signals' inputs beyond the history: test and coupling settings, the incidents
    known at `until` with the files their causes changed, and the commits approved in review with
    when (none of either in a git-only store)."""
    known = incidents.load(db, now=until)
    found = tuple((i.started_at, frozenset((c.repo, p) for c in i.causes for p in c.paths)) for i in known)
    return SignalSetup(config.risk, config.test_patterns, config.coupling_max_changeset,
                       config.coupling_min_shared, tuple(f for f in found if f[1]),
                       risk_signal_facts.approvals(db, until))


def _answer(past: history.History, question: Question, methods: tuple[Method, ...], start: int, end: int,
            config: Config, window_days: int | None, setup: SignalSetup | None = None
            ) -> tuple[tuple[tuple[PeopleFigures, ...], tuple[RiskFigures, ...]], int, str]:
    if question == "risk":
        window = window_days or config.risk.days
        cuts = replay.risk_cuts(start, end, window)
        risk = replay.replay_risk(past, methods, cuts, days=config.risk.days, window_days=window,
                                  weights=config.risk, signals=setup,
                                  by_signals=replay.signal_methods(config.risk) if setup else ())
        figures = tuple(t.figures() for t in risk)
        n = figures[0].fixes if figures else 0
        return ((), figures), n, f"{len(cuts)} cuts every {window} days; bug fixes of the {window} days after each"
    if question == "reviewers":
        changes, updates = replay.reviewer_changes(past, start, end)
        baselines = replay.REVIEWER_BASELINES
        note = _reviewer_note(past, changes)
    else:
        changes, updates = replay.expert_changes(past, start, end), []
        baselines = replay.EXPERT_BASELINES
        note = "changes: non-merge commits by a person; the right answer is the commit's author"
    tallies, _ = replay.replay_people(past, changes, updates, methods, baselines, routing=question == "reviewers")
    return (tuple(t.figures() for t in tallies), ()), len(changes), note


def _reviewer_note(past: history.History, changes: list[replay.Change]) -> str:
    by_commit = sum(1 for c in changes if not c.ref.startswith("#"))
    by_pr = len(changes) - by_commit
    source = "merges of pull-request branches (git only: the merger reviewed)" \
        if not any(c.reviewers for c in past.commits) and not past.pulls else "commits with reviewer trailers"
    return f"changes: {by_commit} {source}, {by_pr} pull requests with reviews"
