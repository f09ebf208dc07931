"""The backtest measures what the CLI answers: at a few cut points, review routing on a change's
files and file expertise, asked of a store holding only the commits before the change (now = the
change's time), rank the same people in the same order as the replay's tool methods.

Difference by design, not exercised here (the history is git-only with trailers): the replay has no
comments (GitHub/Jira), and in a git-only store without trailers it counts the merger of a PR
branch as a reviewer of the branch's files, which the agents' file expertise does not (their
reviewing-activity term does count PR merges)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.agents import expertise, review_routing
from teammemory.backtest import history, replay
from teammemory.backtest.run import methods_of
from teammemory.config import Config
from teammemory.store import Store
from tests.backtest import world

N = 80
CONFIGS = {"fading": Config(), "article": replace(Config(), expertise=replace(Config().expertise, scoring="article")),
           "fading, short inactive cut": replace(Config(), expertise=replace(Config().expertise, inactive_days=60.0))}


def _kept(tmp: Path, config: Config, question: str) -> list[replay.Prediction]:
    store = world.store_of(tmp, world.commits(N))
    with store.read() as db:
        past = history.load(db, repo=None, until=2**40)
    if question == "reviewers":
        changes, updates = replay.reviewer_changes(past, 0, 2**40)
    else:
        changes, updates = replay.expert_changes(past, 0, 2**40), []
    methods = methods_of(config, scorings=(config.expertise.scoring,))
    _, kept = replay.replay_people(past, changes, updates, methods, {}, keep=100,
                                   routing=question == "reviewers")
    return kept


def _prefix_store(tmp: Path, at: int) -> Store:
    """A store of the commits before `at` only (world commits are 5 days apart)."""
    return world.store_of(tmp, [c for c in world.commits(N) if c.when < at])


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_review_suggest_on_a_change_ranks_as_the_backtest(tmp_path: Path, name: str) -> None:
    config = CONFIGS[name]
    kept = _kept(tmp_path / "full", config, "reviewers")
    for i, pred in enumerate(kept[20::17]):  # a few cut points, early to late
        ch = pred.change
        with _prefix_store(tmp_path / f"cut{i}", ch.at).read() as db:
            got = review_routing.ask_files(db, ch.files, now=_dt(ch.at), config=config, repo=ch.repo,
                                           authors=ch.exclude, limit=100)
        assert tuple(c.person.key for c in got.candidates) == pred.ranked[0][1], (name, ch.ref)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_file_experts_rank_as_the_backtest(tmp_path: Path, name: str) -> None:
    config = CONFIGS[name]
    one_file = [p for p in _kept(tmp_path / "full", config, "experts") if len(p.change.files) == 1]
    assert len(one_file) > 12
    for i, pred in enumerate(one_file[6::4][:4]):
        ch = pred.change
        with _prefix_store(tmp_path / f"cut{i}", ch.at).read() as db:
            got = expertise.ask_file(db, ch.files[0], now=_dt(ch.at), config=config, repo=ch.repo)
        assert tuple(e.person.key for e in got.experts) == pred.ranked[0][1], (name, ch.ref)


def _dt(at: int) -> datetime:
    return datetime.fromtimestamp(at, UTC)
