"""What every agent's answer is made of: people, evidence items, scores with their terms.

A `Score` carries the formula, the inputs and each term, so an answer can be recomputed from
its own evidence. Scores are rounded to 2 decimals *after* summing exact terms.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from teammemory.errors import NotFound

DAY = 86400


@dataclass(frozen=True)
class Person:
    """A developer as answers show them: stable key plus display name."""

    key: str
    name: str


@dataclass(frozen=True)
class Evidence:
    """One fact an answer rests on: a commit, PR, issue, review or comment, and how it was linked."""

    kind: str  # commit | pr | issue | review | comment | file
    ref: str  # 'a1b2c3d', '#382', 'PROJ-1247', 'src/auth/x.py'
    summary: str = ""
    at: int | None = None  # epoch seconds
    found_by: str = ""
    who: str = ""  # display name, where one person is behind it


@dataclass(frozen=True)
class Score:
    """`total` = sum of `terms` values, rounded to 2 decimals; `inputs` are the raw counts."""

    total: float
    formula: str
    inputs: tuple[tuple[str, float | int | str], ...]
    terms: tuple[tuple[str, float], ...]

    @classmethod
    def of(cls, formula: str, inputs: dict[str, float | int | str], terms: dict[str, float]) -> Score:
        total = round(sum(terms.values()), 2)
        return cls(total, formula, tuple(inputs.items()), tuple((k, round(v, 4)) for k, v in terms.items()))

    def input(self, name: str) -> float | int | str:
        return dict(self.inputs)[name]


def epoch(when: datetime) -> int:
    """Epoch seconds of an aware datetime (naive means UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp())


def iso_day(ts: int | None) -> str:
    """'2026-05-20' for an epoch time; '' for none."""
    return "" if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def days_between(earlier: int, now: int) -> int:
    """Whole days from `earlier` to `now` (never negative): the unit every recency rule uses."""
    return max(0, (now - earlier) // DAY)


def recency_bonus(days: int, *, full: float, horizon: float) -> float:
    """full × max(0, 1 − days/horizon): linear decay to zero at `horizon` days."""
    return full * max(0.0, 1.0 - days / horizon) if horizon > 0 else 0.0


def short(hash_: str) -> str:
    return hash_[:7]


def close_matches(name: str, candidates: Iterable[str], n: int = 3) -> tuple[str, ...]:
    """Up to n candidates that look like `name` (for NotFound hints), in a stable order."""
    pool = sorted(set(candidates))
    by_suffix = [c for c in pool if name and (c.endswith("/" + name) or c.endswith(name))]
    fuzzy = difflib.get_close_matches(name, pool, n=n, cutoff=0.6)
    out: list[str] = []
    for c in by_suffix + fuzzy:
        if c not in out:
            out.append(c)
    return tuple(out[:n])


def not_found(kind: str, name: str, candidates: Sequence[str]) -> NotFound:
    return NotFound(kind, name, close_matches(name, candidates))
