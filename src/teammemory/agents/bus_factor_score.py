"""The bus factor's formulas over literal numbers (pure: no store).

Degree of Authorship (Avelino, Passos, Hora, Valente, "A novel approach for estimating truck
factors", ICPC 2016), for a person d and a file f:

    DOA(d, f) = 3.293 + 1.098*FA + 0.164*DL - 0.321*ln(1 + AC)

FA = 1 when d created f (authored the commit that added it), DL = the commits of f that d
authored or co-authored, AC = the commits of f that others made (bots count for neither).
d is an *author* of f when DOA(d, f) >= 3.293 and DOA(d, f) / max over people of DOA(., f) >= 0.75.

Truck factor (the paper's greedy): order the authors by how many files they author (ties: more
commits to the files, then person key); remove them in that order until fewer than half of the
files have an author left; the truck factor is how many were removed.

Contributor absence factor (CHAOSS "Bus Factor" metric): the smallest number of contributors
whose contributions add up to more than half of all contributions, the largest first (ties:
person key). CHAOSS's worked example: 1000, 202, 90, 33, 332, 343, 42, 433 -> 2 (1000 + 433 =
1433 > 2475 / 2).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from teammemory.agents.evidence import Score

BASE, FA_WEIGHT, DL_WEIGHT, AC_WEIGHT = 3.293, 1.098, 0.164, 0.321
NORMALIZED_MIN = 0.75
DOA_FORMULA = "3.293 + 1.098*FA + 0.164*DL - 0.321*ln(1 + AC)"


def doa_terms(fa: int, dl: int, ac: int) -> dict[str, float]:
    """THE formula, as terms whose sum is the DOA."""
    return {"base": BASE, "fa": FA_WEIGHT * fa, "dl": DL_WEIGHT * dl, "ac": -AC_WEIGHT * math.log1p(ac)}


def doa(fa: int, dl: int, ac: int) -> float:
    """`doa_terms` summed in their order (the same float, without a dict: every file's every
    person is scored, ~55,000 times on the 100k bench store)."""
    return BASE + FA_WEIGHT * fa + DL_WEIGHT * dl + -AC_WEIGHT * math.log1p(ac)


def doa_score(fa: int, dl: int, ac: int) -> Score:
    return Score.of(DOA_FORMULA, {"FA": fa, "DL": dl, "AC": ac}, doa_terms(fa, dl, ac))


@dataclass(frozen=True)
class Shares:
    """One file's changes: each person's (FA, DL) and the file's human commits."""

    created_by: frozenset[str]  # person keys of the creating commit (empty: unknown)
    commits: Mapping[str, int]  # person key -> DL
    total: int  # the file's commits with a human author

    def doa(self, person: str) -> float:
        dl = self.commits[person]
        return doa(int(person in self.created_by), dl, self.total - dl)


def authors(shares: Shares) -> frozenset[str]:
    """The people whose DOA passes both thresholds (absolute and relative to the file's best)."""
    made, total, log1p = shares.created_by, shares.total, math.log1p
    # `doa` written out (the same float: the same terms summed in the same order), ~55,000 times
    values = {p: BASE + FA_WEIGHT * (p in made) + DL_WEIGHT * dl + -AC_WEIGHT * log1p(total - dl)
              for p, dl in shares.commits.items()}
    best = max(values.values(), default=0.0)
    return frozenset(p for p, v in values.items() if v >= BASE and best > 0 and v / best >= NORMALIZED_MIN)


@dataclass(frozen=True)
class Step:
    """One author removed by the greedy: how many files they authored, and the files still
    having an author once they and everyone before them are gone."""

    person: str
    files: int
    covered_after: int


def author_order(by_file: Mapping[str, frozenset[str]], commits: Mapping[str, int]) -> list[tuple[str, int]]:
    """(person, files authored), most files first (ties: more commits, then person key)."""
    files: dict[str, int] = {}
    for people in by_file.values():
        for p in people:
            files[p] = files.get(p, 0) + 1
    return sorted(files.items(), key=lambda kv: (-kv[1], -commits.get(kv[0], 0), kv[0]))


def truck_factor(by_file: Mapping[str, frozenset[str]], commits: Mapping[str, int],
                 order: Sequence[tuple[str, int]] | None = None) -> tuple[int, tuple[Step, ...]]:
    """The greedy (module docstring): (truck factor, the authors removed, in order). A scope
    where fewer than half the files have an author to begin with has truck factor 0. `order`:
    `author_order(by_file, commits)` when the caller has it already."""
    n = len(by_file)
    left = {f: len(p) for f, p in by_file.items() if p}  # file -> its authors not removed yet
    of: dict[str, list[str]] = {}  # person -> the files they author
    for f, people in by_file.items():
        for p in people:
            of.setdefault(p, []).append(f)
    covered = len(left)
    steps: list[Step] = []
    for person, files in author_order(by_file, commits) if order is None else order:
        if 2 * covered < n:
            break
        for f in of[person]:
            left[f] -= 1
            if not left[f]:
                covered -= 1
        steps.append(Step(person, files, covered))
    return len(steps), tuple(steps)


def absence_factor(contributions: Mapping[str, int]) -> tuple[int, tuple[tuple[str, int], ...]]:
    """CHAOSS contributor absence factor: (how many, those contributors with their counts)."""
    ranked = sorted(((p, c) for p, c in contributions.items() if c > 0), key=lambda kv: (-kv[1], kv[0]))
    total = sum(c for _, c in ranked)
    taken: list[tuple[str, int]] = []
    running = 0
    for p, c in ranked:
        if 2 * running > total:
            break
        taken.append((p, c))
        running += c
    return len(taken), tuple(taken)


def absence_factor_of(counts: Iterable[int]) -> int:
    """The factor of bare counts (the CHAOSS example is given as numbers, not people)."""
    return absence_factor({f"{i:09d}": c for i, c in enumerate(counts)})[0]


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def sentence_if_leaves(name: str, sole: int, authored: int, files: int) -> str:
    """'if Ana leaves, 12 files lose their only author: files with an author drop from 80% to 65%'."""
    if sole == 0:
        return f"if {name} leaves, every file they author still has another author"
    s = "file loses its" if sole == 1 else "files lose their"
    return (f"if {name} leaves, {sole:,} {s} only author: files with an author drop from "
            f"{percent(authored, files)}% to {percent(authored - sole, files)}%")
