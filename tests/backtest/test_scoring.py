"""agents/scoring.py: each formula worked out by hand."""

from __future__ import annotations

import math

import pytest

from teammemory.agents import scoring
from teammemory.config import ExpertiseWeights, RiskWeights

W = ExpertiseWeights(half_life_days=100.0, mass_files=20.0, inactive_days=30.0)
DAY = 86400


def test_fade_halves_every_half_life_and_never_grows() -> None:
    assert scoring.fade(100 * DAY, 100.0) == pytest.approx(0.5)
    assert scoring.fade(300 * DAY, 100.0) == pytest.approx(0.125)
    assert scoring.fade(-5 * DAY, 100.0) == 1.0


def test_mass_cap_spreads_a_big_commit_over_its_files() -> None:
    assert scoring.mass(20, W) == 1.0
    assert scoring.mass(200, W) == pytest.approx(0.1)  # 20/200


def test_value_of_a_commit_adds_log2_of_its_lines() -> None:
    assert scoring.value("commit", 1, 7, W) == pytest.approx(10 + 3)  # log2(8) = 3
    assert scoring.value("review", 40, 999, W) == pytest.approx(8 * 0.5)  # lines never count for a review
    assert scoring.value("commit", 2000, 136_000, W) == pytest.approx((10 + math.log2(136_001)) / 100)


def test_faded_sum_equals_the_direct_sum_at_any_later_time() -> None:
    acc = scoring.Faded(origin=1_000_000, half_life_days=100.0)
    events = [(1_000_000 + 3 * DAY, 5.0), (1_000_000 + 250 * DAY, 2.0), (1_000_000 + 40 * DAY, 1.5)]
    for at, v in events:
        acc.add(at, v)
    now = 1_000_000 + 400 * DAY
    expected = 5.0 * 0.5 ** (397 / 100) + 2.0 * 0.5 ** (150 / 100) + 1.5 * 0.5 ** (360 / 100)
    assert acc.value(now) == pytest.approx(expected)


def test_inactive_cut() -> None:
    assert scoring.inactive(None, 0, W)
    assert not scoring.inactive(0, 30 * DAY, W)
    assert scoring.inactive(0, 30 * DAY + 1, W)
    assert not scoring.inactive(0, 10**9, ExpertiseWeights(inactive_days=0.0))


def test_article_terms_are_the_article_formula() -> None:
    terms = scoring.article_terms(3, 2, 1, 400, 90, ExpertiseWeights())
    assert terms == {"commits": 30.0, "reviews": 16.0, "comments": 2.0, "churn": 20.0, "recency_bonus": 10.0}


def test_bugspots_weighs_recent_fixes_near_one_and_old_ones_near_zero() -> None:
    # t = 1 -> 1/(1+e^0) = 0.5; t = 0 -> 1/(1+e^12)
    assert scoring.bugspots([100, 0], 0, 100) == pytest.approx(0.5 + 1 / (1 + math.exp(12)))


def test_risk_value() -> None:
    r = RiskWeights()
    assert scoring.risk_value(True, 40, 3, r, W) == pytest.approx(0.5 * (5 + 100 + 1 * 2))
