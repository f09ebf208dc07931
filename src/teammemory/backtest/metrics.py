"""The figures a backtest prints, and the tallies that add them up one prediction at a time.

For people (reviewers, experts): a prediction is a ranked list and the set of right answers;
its rank is the position of the first right answer. top-k = share of changes with rank <= k;
MRR = mean of 1/rank (0 when none is listed); no candidate = share with an empty list.
For risk: at each cut the top 10 % / 20 % of the files alive then (by score) and the next
window's bug-fix commits; hit rate = share of those fixes touching at least one listed file.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

Role = Literal["tool", "baseline", "signal"]  # signal: a risk signal measured (risk_signals)


@dataclass(frozen=True)
class PeopleFigures:
    method: str
    role: Role
    n: int
    top1: float
    top3: float
    top5: float
    mrr: float
    no_candidate: float


@dataclass(frozen=True)
class RiskFigures:
    method: str
    role: Role
    cuts: int
    fixes: int
    hit10: float
    hit20: float


def rank_of(ranked: Sequence[str], truth: Collection[str]) -> int | None:
    """1-based position of the first right answer, or None."""
    for i, person in enumerate(ranked, 1):
        if person in truth:
            return i
    return None


class PeopleTally:
    def __init__(self, method: str, role: Role) -> None:
        self.method, self.role = method, role
        self.n = self.none = 0
        self.hits = {1: 0, 3: 0, 5: 0}
        self.rr = 0.0

    def add(self, ranked: Sequence[str], truth: Collection[str]) -> None:
        self.n += 1
        self.none += not ranked
        r = rank_of(ranked, truth)
        if r is not None:
            self.rr += 1.0 / r
            for k in self.hits:
                self.hits[k] += r <= k

    def figures(self) -> PeopleFigures:
        n = self.n or 1
        return PeopleFigures(self.method, self.role, self.n, round(self.hits[1] / n, 4), round(self.hits[3] / n, 4),
                             round(self.hits[5] / n, 4), round(self.rr / n, 4), round(self.none / n, 4))


class RiskTally:
    def __init__(self, method: str, role: Role) -> None:
        self.method, self.role = method, role
        self.cuts = self.fixes = self.hit10 = self.hit20 = 0

    def add(self, fixes: Sequence[Collection[object]], top10: Collection[object], top20: Collection[object]) -> None:
        """One cut: each fix is the set of files it touched."""
        self.cuts += 1
        for files in fixes:
            self.fixes += 1
            self.hit10 += any(f in top10 for f in files)
            self.hit20 += any(f in top20 for f in files)

    def figures(self) -> RiskFigures:
        n = self.fixes or 1
        return RiskFigures(self.method, self.role, self.cuts, self.fixes, round(self.hit10 / n, 4),
                           round(self.hit20 / n, 4))
