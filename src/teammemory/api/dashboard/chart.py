"""The activity chart: commits per calendar month, as bar geometry for an inline SVG.

Drawn on the server from the data (no JS chart library, no CDN): `monthly` counts commits into
months, `bars` lays them out in a fixed viewBox that the template scales to the page's width.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

WIDTH, HEIGHT, AXIS = 600, 160, 18  # viewBox size; the bottom AXIS pixels hold the month labels


@dataclass(frozen=True)
class Bar:
    month: str  # YYYY-MM
    commits: int
    x: float
    y: float
    width: float
    height: float
    label: str  # the month's label under the axis, '' to leave it out (crowded)


def month_of(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m")


def month_range(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` (YYYY-MM), both included."""
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def monthly(times: Iterable[int], now: datetime, *, months: int = 24) -> list[tuple[str, int]]:
    """(month, commits) for each of the last `months` months up to `now`'s, from the first with
    a commit; commits after `now` are not counted (an answer as of `now`)."""
    last = now.astimezone(UTC).strftime("%Y-%m")
    counts = Counter(m for m in map(month_of, times) if m <= last)
    if not counts:
        return []
    span = month_range(min(counts), last)[-months:]
    return [(m, counts.get(m, 0)) for m in span]


def bars(series: list[tuple[str, int]]) -> list[Bar]:
    """Bars scaled to the busiest month; the last month labelled, and every third (sixth past a year) before it."""
    if not series:
        return []
    top = max(n for _, n in series) or 1
    step = WIDTH / len(series)
    plot = HEIGHT - AXIS
    out = []
    for i, (month, n) in enumerate(series):
        h = round(plot * n / top, 1)
        label = month if (len(series) - 1 - i) % (3 if len(series) <= 12 else 6) == 0 else ""
        out.append(Bar(month, n, round(i * step + step * 0.1, 1), round(plot - h, 1), round(step * 0.8, 1), h, label))
    return out
