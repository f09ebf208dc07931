"""The replay: no future leak, never the author, and the same ranking as the scoring computed
directly (brute force) from the data before each change, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from teammemory.agents import scoring
from teammemory.backtest import history, replay
from teammemory.backtest.history import History
from teammemory.backtest.run import methods_of, run
from teammemory.backtest.state import Method
from teammemory.config import Config, ExpertiseWeights
from teammemory.store import Store
from tests.backtest import world

W = ExpertiseWeights(half_life_days=60.0, inactive_days=120.0)
METHODS = (Method("fading", "fading", W), Method("article", "article", W))


def _predictions(store: Store, until: int | None = None) -> tuple[History, list[replay.Prediction]]:
    with store.read() as db:
        past = history.load(db, repo=None, until=until or 2**40)
    changes, updates = replay.reviewer_changes(past, 0, 2**40)
    _, kept = replay.replay_people(past, changes, updates, METHODS, replay.REVIEWER_BASELINES, keep=100)
    return past, kept


def brute(past: History, files: tuple[str, ...], now: int, exclude: frozenset[str], m: Method) -> list[str]:
    """The method's ranking from every commit strictly before `now`, computed directly."""
    score: dict[str, float] = defaultdict(float)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # commits, reviews, churn, last
    last: dict[str, int] = {}
    for c in past.commits:
        if c.at >= now or c.is_merge:
            continue
        for p in (c.author, *c.reviewers):
            last[p] = max(last.get(p, 0), c.at)
        for t in c.files:
            if t.path not in files:
                continue
            for p, kind in [(c.author, "commit")] + [(r, "review") for r in c.reviewers]:
                score[p] += scoring.faded(scoring.value(kind, len(c.files), t.churn, W), c.at, now, W)  # type: ignore[arg-type]
                k = counts[(p, t.path)]
                k[0 if kind == "commit" else 1] += 1
                k[2] += t.churn if kind == "commit" else 0
                k[3] = max(k[3], c.at)
    if m.scoring == "article":
        score = defaultdict(float)
        for (p, _), (n, r, churn, at) in counts.items():
            score[p] += scoring.article_score(n, r, 0, churn, scoring.days_since(at, now), W)
    else:
        score = defaultdict(float, {p: v for p, v in score.items() if not scoring.inactive(last.get(p), now, W)})
    ranked = sorted((kv for kv in score.items() if kv[1] > 0 and kv[0] not in exclude),
                    key=lambda kv: (-round(kv[1], 9), -last.get(kv[0], 0), kv[0]))
    return [p for p, _ in ranked]


def test_replay_ranks_as_the_scoring_computed_directly(store: Store, tmp_path: Path) -> None:
    world.store_of(tmp_path, world.commits(80), store)
    past, kept = _predictions(store)
    assert len(kept) > 40
    for pred in kept[::7]:  # a few cut points
        ch = pred.change
        for m in METHODS:
            assert dict(pred.ranked)[m.name] == tuple(brute(past, ch.files, ch.at, ch.exclude, m)), (ch.ref, m.name)


def test_no_future_leak_appended_history_leaves_earlier_answers_unchanged(tmp_path: Path) -> None:
    early = world.commits(60)
    a = world.store_of(tmp_path / "a", early)
    later = world.commits(90)[60:]  # the same generator carries on: 30 commits after the first 60
    b = world.store_of(tmp_path / "b", early + later)
    _, before = _predictions(a)
    _, after = _predictions(b)
    assert len(after) > len(before) > 30
    assert after[:len(before)] == before


def test_until_reads_nothing_later(tmp_path: Path) -> None:
    store = world.store_of(tmp_path, world.commits(90))
    cut = world.START + 59 * world.STEP
    _, full = _predictions(store)
    _, cut_off = _predictions(store, until=cut)
    assert cut_off == [p for p in full if p.change.at <= cut]


def test_never_the_author_nor_a_co_author(tmp_path: Path) -> None:
    _, kept = _predictions(world.store_of(tmp_path, world.commits(80)))
    for pred in kept:
        for _, people in pred.ranked:
            assert not set(people) & pred.change.exclude


def test_run_gives_the_same_figures_on_both_stores(store: Store, tmp_path: Path) -> None:
    world.store_of(tmp_path, world.commits(80), store)
    with store.read() as db:
        result = run(db, "reviewers", config=Config(), half_lives=(30.0,))
        risk = run(db, "risk", config=Config(), window_days=30)
        experts = run(db, "experts", config=Config())
    # Both stores must agree: compare with a fresh SQLite store of the same history.
    other = world.store_of(tmp_path / "other", world.commits(80))
    with other.read() as db:
        assert run(db, "reviewers", config=Config(), half_lives=(30.0,)) == result
        assert run(db, "risk", config=Config(), window_days=30) == risk
        assert run(db, "experts", config=Config()) == experts
    assert [f.method for f in result.people] == ["fading 365 d", "article", "fading 30 d",
                                                 "most active reviewer, last year",
                                                 "most frequent past author of the files",
                                                 "most frequent past reviewer of the files"]
    # changes from a year (73 steps of 5 days) after the first commit, each with a Reviewers: trailer
    assert result.changes == sum(1 for c in world.commits(80)[73:] if "Reviewers:" in c.message)


def test_methods_refuse_unknown_scoring() -> None:
    from teammemory.errors import InputError

    with pytest.raises(InputError, match="--scoring"):
        methods_of(Config(), scorings=("magic",))
