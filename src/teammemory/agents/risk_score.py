"""Risk's formula and its explanation, over literal rows (pure: no store).

    risk = churn*1 + bug_fixes*100 + contributors*25 + commits*5

(weights `config.risk`): commits = distinct commits in the window, churn = their added+deleted
lines on the file (each (commit, changed path) once), bug_fixes = those with `is_bug_fix`,
contributors = distinct people among their authors and co-authors (bots not counted, but
named). `terms` is the one place the formula is written: `score`, the formula text of an
answer, and risk_window's totals and pruning bounds all call it.
Ties: higher risk, then path.

Sources: code-maat's `revisions`, `authors` and `abs-churn` analyses and Adam Tornhill's
hotspots ("Your Code as a Crime Scene"); bug-fix density as in Nagappan & Ball's churn metrics
and pydriller's `LinesCount`/`ContributorsCount`.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents import risk_signals
from teammemory.agents.covering_tests import CoveringTest, is_test_path
from teammemory.agents.evidence import Evidence, Person, Score, short
from teammemory.agents.risk_signals import Signal
from teammemory.config import RiskWeights


class Change(NamedTuple):
    """One (commit, file, person) fact in the window: what `rank` counts (a tuple: thousands are built)."""

    path: str  # the file it counts for (its current name)
    commit: str  # 'repo@hash'
    at: int
    churn: int  # lines added+deleted on `changed_path` in this commit
    is_bug_fix: bool
    person: Person
    changed_path: str = ""  # the path as the commit saw it
    is_bot: bool = False
    issues: tuple[str, ...] = ()  # issue keys linked to the commit
    subject: str = ""


@dataclass(frozen=True)
class Risk:
    name: str  # a path, or the component's name for a component's totals
    score: Score
    commits: int
    bug_fixes: int
    contributors: int
    churn: int
    contributor_names: tuple[str, ...]
    bots_excluded: tuple[str, ...]
    bug_fix_refs: tuple[str, ...]  # issue keys (else short hashes) of the bug fixes
    test_file: str
    test_commits: int
    explanation: str
    evidence: tuple[Evidence, ...]  # the bug-fix commits, newest first
    total: float = 0.0  # what files are ranked by: score.total plus the weighted signals' points
    signals: tuple[Signal, ...] = ()  # risk_signals', every one computed (value 0 when absent)
    signal_text: str = ""  # the strongest signals in sentences, with their points ('' for none)


def with_signals(risk: Risk, signals: tuple[Signal, ...]) -> Risk:
    """The risk with its signals: their points added to the total, the strongest (risk_signals.top)
    said in sentences apart from the article's numbers."""
    text = "; ".join(f"{s.sentence} ({_points(s)})" for s in risk_signals.top(signals))
    return dataclasses.replace(risk, total=round(risk.score.total + risk_signals.total(signals), 2),
                               signals=signals, signal_text=text)


def _points(s: Signal) -> str:
    return f"+{s.points:g} at weight {s.weight:g}" if s.weight else "weight 0: not counted"


def terms(churn: int, bug_fixes: int, contributors: int, commits: int, w: RiskWeights) -> dict[str, float]:
    """THE formula: each input times its weight; the risk is their sum (rounded to 2 decimals
    by `Score.of`). The terms are in the order answers show them."""
    return {"churn": churn * w.churn, "bug_fixes": bug_fixes * w.bug_fix,
            "contributors": contributors * w.contributor, "commits": commits * w.commit}


def formula(w: RiskWeights) -> str:
    """The formula as answers write it, 'churn*1 + bug_fixes*100 + contributors*25 + commits*5':
    read off `terms` itself, each weight being its term for one unit of its input."""
    return " + ".join(f"{name}*{weight:g}" for name, weight in terms(1, 1, 1, 1, w).items())


def rank(changes: Iterable[Change], *, weights: RiskWeights, days: int) -> tuple[Risk, ...]:
    """One Risk per file, sorted by (-risk, path) (no test-file lookup here)."""
    by_path: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        by_path[c.path].append(c)
    risks = [score(p, cs, weights=weights, days=days, test=None) for p, cs in by_path.items()]
    return tuple(sorted(risks, key=lambda r: (-r.score.total, r.name)))


def score(name: str, changes: Sequence[Change], *, weights: RiskWeights, days: int,
          test: CoveringTest | None, is_test: bool | None = None) -> Risk:
    """The risk of one file or component from its window's changes, with its explanation
    (`is_test`: whether `name` is a test file, by the configured conventions; by default ones
    when None and a test lookup was made)."""
    commits: dict[str, Change] = {}  # one row per commit; a co-authored commit's first person by key
    for c in sorted(changes, key=lambda c: (-c.at, c.commit, c.is_bot, c.person.key)):
        commits.setdefault(c.commit, c)
    fixes = [c for c in commits.values() if c.is_bug_fix]
    churn = sum({(c.commit, c.changed_path): c.churn for c in changes}.values())
    humans = {c.person.key: c.person.name for c in changes if not c.is_bot}
    bots = tuple(sorted({c.person.name for c in changes if c.is_bot} - set(humans.values())))
    refs = tuple(dict.fromkeys(k for c in fixes for k in (c.issues or (short(c.commit.split("@")[1]),))))
    s = Score.of(formula(weights),
                 {"churn": churn, "bug_fixes": len(fixes), "contributors": len(humans),
                  "commits": len(commits)},
                 terms(churn, len(fixes), len(humans), len(commits), weights))
    tested = len(test.commits & commits.keys()) if test and test.path else 0
    text = explain(len(commits), len(fixes), refs, len(humans), bots, churn, days,
                   test.path if test else None, tested,
                   is_test=(test is not None and is_test_path(name)) if is_test is None else is_test)
    evidence = tuple(Evidence("commit", short(c.commit.split("@")[1]), c.subject, c.at, "bug fix",
                              c.person.name) for c in fixes)
    return Risk(name, s, len(commits), len(fixes), len(humans), churn,
                tuple(sorted(humans.values())), bots, refs, test.path if test else "", tested, text, evidence,
                s.total)


def explain(commits: int, bug_fixes: int, fix_refs: Sequence[str], contributors: int, bots: Sequence[str],
            churn: int, days: int, test_file: str | None, test_commits: int, *, is_test: bool = False) -> str:
    """The numbers as sentences, e.g. 'changed 18 times in the last 90 days; 5 of those ...'."""
    if commits == 0:
        return f"not changed in the last {days} days"
    parts = [f"changed {_times(commits)} in the last {days} days"]
    n = bug_fixes
    parts.append("none of those changes is linked to a bug fix" if n == 0 else
                 f"1 of those changes is linked to a bug fix ({_list(fix_refs)})" if n == 1 else
                 f"{n:,} of those changes are linked to bug fixes ({_list(fix_refs)})")
    devs = f"{contributors:,} different developers changed it"
    if contributors == 1:
        devs = "1 developer changed it"
    if bots:
        devs += f" (bots not counted: {', '.join(bots)})"
    parts += [devs, f"{churn:,} line{'s' if churn != 1 else ''} churned"]
    if is_test:
        parts.append("it is a test file")
    elif test_file is not None:
        parts.append(f"its test file {test_file} {_test_changes(test_commits, commits)}"
                     if test_file else "no test file found")
    return "; ".join(parts)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n:,} times"


def _list(refs: Sequence[str], n: int = 3) -> str:
    return ", ".join(refs[:n]) + (", …" if len(refs) > n else "")


def _test_changes(part: int, whole: int) -> str:
    """'changed in 2 of those 3 commits', 'changed in that commit', 'did not change in any of those
    3 commits', 'did not change in that commit' (never 'changed in 0 of those 1 commits')."""
    those = "that commit" if whole == 1 else f"any of those {whole:,} commits"
    if part == 0:
        return f"did not change in {those}"
    return "changed in that commit" if whole == 1 else f"changed in {part:,} of those {whole:,} commits"
