"""The risk backtest measures the signals the agent answers with: at the world's `now`, the replay's
signal values per file (backtest/rankers.signal_values) equal those of `risky-files`, on SQLite
and PostgreSQL."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from teammemory.agents import risk, risk_signals
from teammemory.backtest import history, replay, run
from teammemory.backtest.rankers import signal_values
from teammemory.backtest.state import State
from teammemory.store import Store
from tests.agents.test_risk_signals import CONFIG, NOW, now, world  # noqa: F401  (world: the fixture)

DAY = 86400


def test_replay_signals_equal_the_agents(world: tuple[Store, dict[str, str]]) -> None:  # noqa: F811
    store, _ = world
    with store.read() as db:
        past = history.load(db, repo=None, until=NOW)
        setup = run.signal_setup(db, CONFIG, NOW)
        top = risk.ask_top(db, now=now(), config=CONFIG, limit=100, include_tests=True)
    state = State(run.methods_of(CONFIG, scorings=("article",)), replay.origin_of(past), CONFIG.risk)
    times = [c.at for c in past.commits]
    for c in past.commits[:bisect_right(times, NOW)]:
        state.add_commit(c)
    window = list(past.commits[bisect_left(times, NOW - CONFIG.risk.days * DAY):bisect_right(times, NOW)])
    values = signal_values(state, window, NOW, setup)
    agent = {(name, f.name): s.value for f in top.files for s in f.signals for name in [s.name] if s.value}
    replayed = {(name, path): round(v, 4) for name, by_file in values.items() for (_, path), v in by_file.items()
                if v}
    assert agent == replayed
    assert {name for name, _ in agent} == set(risk_signals.SIGNALS)  # every signal is exercised
