"""How much a contribution counts, defined once: time that fades, mass changes capped, people gone.

Two named scorings (`expertise.scoring`):

- ``article`` — the article's formula with its exact terms, as `expertise.rank` computes it:

      score = commits*10 + reviews*8 + comments*2 + churn/20 + 20*max(0, 1 - days_since_last/180)

  Old work never loses weight; the recency bonus is at most 20 points.

- ``fading`` — every contribution weighs its value times a half-life decay of its age:

      score = sum over contributions of value * 2^(-age_days / half_life_days)
      value = mass * (kind weight + log2(1 + lines))           (lines only for authored commits)
      mass  = 1 / max(1, files_in_commit / mass_files)

  kind weight: commit 10, review 8, comment 2 (the article's weights, `expertise.*`). Why these
  shapes: a half-life lets ten-year-old work fade to nothing without a cliff (a window would); the
  mass cap spreads a commit touching hundreds of files (a move, a reformat, a licence header) over
  them, so per file it counts like one normal commit shared out, while a commit of up to
  `mass_files` files counts in full; churn on the log scale keeps a 136k-line move at ~17 points
  instead of 6,800, so lines tell a big change from a small one but never outweigh who did the
  work. People whose last contribution anywhere in the repository is older than
  `inactive_days` are left out (0 keeps everyone).

Incremental use (backtest replay): a fading sum is kept as S = sum value * 2^((t - origin)/h), so
its value at any later `now` is S * 2^(-(now - origin)/h) with no recomputation (`Faded`).
Sources: exponential decay of expertise as in Mockus & Herbsleb's Expertise Browser and the
"time-decayed" reviewer recommenders (cHRev, Zanjani et al. 2016); bugspots' time weighting for
risk (Google, 2011): sum over fixes of 1 / (1 + e^(-12 t + 12)), t the fix's normalised age.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

from teammemory.config import ExpertiseWeights as Weights
from teammemory.config import RiskWeights

DAY = 86400
Scoring = Literal["fading", "article"]
SCORINGS: tuple[Scoring, ...] = ("fading", "article")
ContributionKind = Literal["commit", "review", "comment"]
MAX_HALF_LIVES = 900.0  # 2^900 is still a float: a Faded sum spans at most this many half-lives


def kind_weight(kind: ContributionKind, w: Weights) -> float:
    """Points of one commit, review or comment before fading."""
    return {"commit": w.commit, "review": w.review, "comment": w.comment}[kind]


def mass(files_in_commit: int, w: Weights) -> float:
    """1 / max(1, files/mass_files): a commit of many files counts less on each of them."""
    return 1.0 / max(1.0, files_in_commit / w.mass_files) if w.mass_files > 0 else 1.0


def churn_value(lines: int) -> float:
    """log2(1 + lines): big changes count more, bulk moves not thousands of times more."""
    return math.log2(1 + max(0, lines))


def value(kind: ContributionKind, files_in_commit: int, lines: int, w: Weights) -> float:
    """The fading scoring's value of one contribution to one file, before its age is applied."""
    lines_term = churn_value(lines) if kind == "commit" else 0.0
    return mass(files_in_commit, w) * (kind_weight(kind, w) + lines_term)


def fade(age_seconds: float, half_life_days: float) -> float:
    """2^(-age/half_life); a contribution of the future (negative age) is not faded up."""
    return 2.0 ** (-max(0.0, age_seconds) / (half_life_days * DAY)) if half_life_days > 0 else 1.0


def faded(v: float, at: int, now: int, w: Weights) -> float:
    """One contribution's fading score at `now` (the brute-force form of `Faded`)."""
    return v * fade(now - at, w.half_life_days)


def inactive(last_at: int | None, now: int, w: Weights) -> bool:
    """Left out: no contribution at all, or the last one more than `inactive_days` before now."""
    if last_at is None:
        return True
    return w.inactive_days > 0 and now - last_at > w.inactive_days * DAY


def active(last_seen: Mapping[str, int] | None, key: str, last_activity: int | None, now: int, w: Weights) -> bool:
    """Not left out by the inactive cut: `last_seen` holds each person's last activity anywhere
    (None: no cut), `last_activity` theirs in the answer, for a person it does not hold."""
    return last_seen is None or not inactive(last_seen.get(key, last_activity), now, w)


def article_terms(commits: int, reviews: int, comments: int, churn: int, days_since_last: int | None,
                  w: Weights) -> dict[str, float]:
    """The article formula's terms, exactly as `expertise.rank` writes them."""
    bonus = 0.0
    if days_since_last is not None and w.recency_days > 0:
        bonus = w.recency_bonus * max(0.0, 1.0 - days_since_last / w.recency_days)
    return {"commits": commits * w.commit, "reviews": reviews * w.review, "comments": comments * w.comment,
            "churn": churn / w.churn_divisor if w.churn_divisor else 0.0, "recency_bonus": bonus}


def article_score(commits: int, reviews: int, comments: int, churn: int, days_since_last: int | None,
                  w: Weights) -> float:
    return sum(article_terms(commits, reviews, comments, churn, days_since_last, w).values())


def days_since(last_at: int, now: int) -> int:
    """Whole days from `last_at` to `now`, never negative (evidence.days_between's rule)."""
    return max(0, (now - last_at) // DAY)


def bugspots(fix_times: list[int], first_at: int, now: int) -> float:
    """Bugspots' score of a file: sum over its fixes of 1/(1+e^(-12t+12)), t = (fix - first)/(now - first)."""
    span = now - first_at
    if span <= 0:
        return float(len(fix_times))
    return sum(1.0 / (1.0 + math.exp(-12.0 * ((t - first_at) / span) + 12.0)) for t in fix_times)


class Faded:
    """A fading sum kept for query-time decay: `add(at, v)` in any order, `value(now)` at any time.

    S = sum v * 2^((at - origin)/h); value(now) = S * 2^(-(now - origin)/h), exact for every
    contribution at or before `now` (what a replay asks)."""

    __slots__ = ("h", "origin", "s")

    def __init__(self, origin: int, half_life_days: float) -> None:
        self.origin = origin
        self.h = half_life_days * DAY
        self.s = 0.0

    def add(self, at: int, v: float) -> None:
        self.s += v * scale(at, self.origin, self.h)

    def value(self, now: int) -> float:
        return self.s / scale(now, self.origin, self.h)


def scale(at: int, origin: int, h: float) -> float:
    """2^((at - origin)/h), refusing spans a float cannot hold (a half-life far too short)."""
    if h <= 0:
        return 1.0
    exponent = (at - origin) / h
    if abs(exponent) > MAX_HALF_LIVES:
        raise ValueError(f"history spans more than {MAX_HALF_LIVES:g} half-lives: half-life too short")
    return 2.0 ** exponent


def routing_score(file_expertise: float, reviewing: float, w: Weights) -> float:
    """Review routing's fading total: the candidate's file expertise summed over the change's files,
    plus `review_activity` points per review they did anywhere in the repository, each faded by
    its age with `review_activity_half_life_days` (`reviewing` = sum of 2^(-age/h))."""
    return file_expertise + w.review_activity * reviewing


def risk_value(is_bug_fix: bool, files_in_commit: int, lines: int, r: RiskWeights, w: Weights) -> float:
    """The fading risk of one commit on one file before its age is applied: the risk formula's
    per-commit terms (commit, bug fix, churn on the log scale), with the same mass cap."""
    return mass(files_in_commit, w) * (r.commit + (r.bug_fix if is_bug_fix else 0.0) + r.churn * churn_value(lines))
