"""Risk signals beyond the article's score: each one a number with its weight, a sentence and its evidence.

The article's `risk = churn*1 + bug_fixes*100 + contributors*25 + commits*5` (risk_score.terms)
stays as it is; an answer adds `sum of weight * value` over these signals (weights `config.risk`,
0 leaves a signal out of the total but it is still measured and shown when present):

    reverts           revert commits in the window that changed the file (`Revert "..."`,
                      `This reverts commit <sha>`: commits.is_revert; each linked to what it reverts)
    incidents         incidents whose causes changed the file, started at or before `now`
                      (agents/incidents.py: postmortems and Jira incidents), with their dormancy
    recent_fixes      bug fixes of the file's whole history, each worth 2^(-age/half-life)
                      (`risk.recent_fix_half_life_days`): time-weighted risk, recent fixes count most
    untested_changes  the window's changes of a code file in which its covering test
                      (agents/covering_tests.py) did not change; every change when it has no test
    unreviewed_infra  the window's changes of a configuration/infrastructure file
                      (`risk.infra_patterns`) with no approving review: no PR review in state
                      APPROVED (submitted at or before `now`) on a PR holding the commit, and no
                      `Reviewed-by:`/`Reviewers:` trailer
    coupling          the file's highest change-coupling degree over the window's commits
                      (agents/coupling.py's degree = 100*shared/((revs_a+revs_b)/2), change sets over
                      `coupling.max_changeset` files ignored, at least `coupling.min_shared` shared)

Default weights were chosen with `teammemory backtest risk` (docs/backtest.md, "Risk signals"):
each signal was replayed alone and as "article + w*signal" on BookKeeper, Flask and the demo;
a signal keeps weight 0 unless it raised the top-20 % hit rate of the article's score on the
real histories. Only recent_fixes did (weight 100, half-life 365 days: 61.4 % -> 77.6 % on
BookKeeper, 66.0 % -> 73.8 % on Flask); reverts, test co-change and coupling moved it by less
than a point. Incidents and approving reviews are absent from a git-only store, so those
signals could not be measured there and keep weight 0.

Pure here (no store): the values, the sentences and the weighted total; risk_window reads the
facts, risk.py attaches them to answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from teammemory.agents.evidence import DAY, Evidence, short
from teammemory.components import compile_glob
from teammemory.config import RiskWeights

SIGNALS = ("reverts", "incidents", "recent_fixes", "untested_changes", "unreviewed_infra", "coupling")
WEIGHT_OF = {"reverts": "revert", "incidents": "incident", "recent_fixes": "recent_fix",
             "untested_changes": "untested_change", "unreviewed_infra": "unreviewed_infra",
             "coupling": "coupling"}  # signal -> its RiskWeights field (setting `risk.<field>`)
# The weight the backtest tries a signal at when its configured weight is 0: one unit of each
# signal worth about what the article gives one commit, bug fix or developer.
PROBE = {"reverts": 100.0, "incidents": 500.0, "recent_fixes": 100.0, "untested_changes": 5.0,
         "unreviewed_infra": 100.0, "coupling": 1.0}


@dataclass(frozen=True)
class Signal:
    """One signal of one file: its value, its weight, the points it adds, and why."""

    name: str
    value: float
    weight: float
    points: float
    sentence: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class WindowCommit:
    """One commit of the window that changed the file, as the signals need it."""

    ref: str  # 'repo@hash'
    at: int
    subject: str
    is_revert: bool = False
    reverts: str = ""  # the reverted commit's hash ('' unknown), or the subject it names
    reviewed: bool = False  # an approving review or a reviewer trailer


@dataclass(frozen=True, slots=True)
class Caused:
    """An incident one of the file's changes caused."""

    key: str
    severity: str
    started_at: int
    cause: str  # the short hash (or PR) of the cause that changed the file
    landed_at: int | None


def weight(w: RiskWeights, name: str) -> float:
    return float(getattr(w, WEIGHT_OF[name]))


def weights(w: RiskWeights) -> dict[str, float]:
    return {name: weight(w, name) for name in SIGNALS}


def any_weight(w: RiskWeights) -> bool:
    """Whether any signal counts in the total (else the article's fast path ranks alone)."""
    return any(v != 0 for v in weights(w).values())


# --- values (pure, shared with the backtest) --------------------------------------------------
def faded_fixes(fix_times: Iterable[int], now: int, half_life_days: float) -> float:
    """Sum over the file's bug fixes at or before `now` of 2^(-age/half_life)."""
    h = half_life_days * DAY
    return sum(2.0 ** (-(now - t) / h) for t in fix_times if t <= now) if h > 0 else 0.0


@lru_cache(maxsize=64)
def _infra_res(patterns: str) -> tuple[object, ...]:
    return tuple(compile_glob(p) for p in patterns.split())


def is_infra(path: str, patterns: str) -> bool:
    """Whether `path` is a configuration/infrastructure file by `risk.infra_patterns` (globs, space-separated)."""
    return any(r.fullmatch(path) for r in _infra_res(patterns))  # type: ignore[attr-defined]


def untested(refs: Iterable[str], test_refs: Iterable[str]) -> int:
    """The changes (refs) in which the covering test (its commits `test_refs`) did not change."""
    return len(set(refs) - set(test_refs))


K = TypeVar("K", str, tuple[str, str])  # a path, or the replay's (repo, path)


def couplings(change_sets: Iterable[Iterable[K]], max_changeset: int, min_shared: int
              ) -> dict[K, tuple[float, K, int, int, int]]:
    """Each file's strongest partner over these change sets: (degree, partner, shared, revs, partner revs),
    degree = 100*shared/((revs_a+revs_b)/2) (agents/coupling.py); sets of more than `max_changeset`
    files ignored, partners with fewer than `min_shared` shared sets left out. Ties: higher
    degree, more shared, then partner path."""
    revs: dict[K, int] = defaultdict(int)
    shared: dict[tuple[K, K], int] = defaultdict(int)
    for s in change_sets:
        files = sorted(set(s))
        if len(files) > max_changeset:
            continue
        for i, a in enumerate(files):
            revs[a] += 1
            for b in files[i + 1:]:
                shared[(a, b)] += 1
    best: dict[K, tuple[float, K, int, int, int]] = {}
    for (a, b), n in shared.items():
        if n < min_shared:
            continue
        d = 100 * n / ((revs[a] + revs[b]) / 2)
        for me, other in ((a, b), (b, a)):
            mine = best.get(me)
            cand = (d, other, n, revs[me], revs[other])
            if mine is None or (-d, -n, other) < (-mine[0], -mine[2], mine[1]):
                best[me] = cand
    return best


def couplings_of(change_sets: Iterable[Iterable[K]], wanted: Iterable[K], max_changeset: int, min_shared: int
                 ) -> dict[K, tuple[float, K, int, int, int]]:
    """`couplings(change_sets, ...)`'s entries for the `wanted` files only (the few an answer
    explains): every file's revisions are counted, pairs only where a wanted file is in the set."""
    wanted = set(wanted)
    kept = [files for files in map(set, change_sets) if len(files) <= max_changeset]
    revs: dict[K, int] = defaultdict(int)
    shared: dict[K, dict[K, int]] = defaultdict(lambda: defaultdict(int))
    for files in kept:
        for a in files:
            revs[a] += 1
        for a in wanted & files:
            mine = shared[a]
            for b in files:
                if b != a:
                    mine[b] += 1
    best: dict[K, tuple[float, K, int, int, int]] = {}
    for a, partners in shared.items():
        found = [(-(100 * n / ((revs[a] + revs[b]) / 2)), -n, b) for b, n in partners.items() if n >= min_shared]
        if found:
            d, n, b = min(found)
            best[a] = (-d, b, -n, revs[a], revs[b])
    return best


# --- the signals of one file -------------------------------------------------------------------
def signals(path: str, *, days: int, now: int, w: RiskWeights, commits: Sequence[WindowCommit],
            fixes: Sequence[tuple[int, str]], test_path: str | None, test_refs: Iterable[str], is_test: bool,
            caused: Sequence[Caused], coupled: tuple[float, str, int, int, int] | None) -> tuple[Signal, ...]:
    """Every signal of `path`, in SIGNALS order (`fixes`: its bug fixes' (authored at, 'repo@hash');
    `test_path`: None when no lookup was made, '' when none was found; `coupled`: couplings()'s
    entry for the file)."""
    refs = {c.ref for c in commits}
    out = [_reverts(commits, days, w), _incidents(caused, w),
           _recent(fixes, now, w),
           _untested(refs, test_path, set(test_refs), is_test, w),
           _unreviewed(path, commits, days, w), _coupling(coupled, w)]
    return tuple(out)


def total(sigs: Iterable[Signal]) -> float:
    return round(sum(s.points for s in sigs), 2)


def weighted(values: dict[str, float], w: RiskWeights) -> float:
    """`total` of signals with these values, without their sentences (the ranking's fast path)."""
    return round(sum(round(v * weight(w, name), 2) for name, v in values.items()), 2)


def top(sigs: Iterable[Signal], n: int = 3) -> tuple[Signal, ...]:
    """The signals worth saying, strongest first: those with a value, weighted ones before the rest."""
    present = [s for s in sigs if s.value > 0]
    return tuple(sorted(present, key=lambda s: (-s.points, SIGNALS.index(s.name)))[:n])


def _sig(name: str, value: float, w: RiskWeights, sentence: str, evidence: tuple[Evidence, ...] = ()) -> Signal:
    wt = weight(w, name)
    return Signal(name, round(value, 4), wt, round(value * wt, 2), sentence, evidence)


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _reverts(commits: Sequence[WindowCommit], days: int, w: RiskWeights) -> Signal:
    reverts = sorted((c for c in commits if c.is_revert), key=lambda c: (-c.at, c.ref))
    if not reverts:
        return _sig("reverts", 0, w, "")
    pairs = [f"{short(c.ref.split('@')[1])} reverts {_target(c.reverts)}" for c in reverts]
    more = ", …" if len(pairs) > 3 else ""
    text = f"reverted {_times(len(reverts))} in the last {days} days ({', '.join(pairs[:3])}{more})"
    ev = tuple(Evidence("commit", short(c.ref.split("@")[1]), c.subject, c.at, f"reverts {_target(c.reverts)}")
               for c in reverts)
    return _sig("reverts", len(reverts), w, text, ev)


def _target(reverts: str) -> str:
    if not reverts:
        return "an unknown commit"
    if reverts.startswith("subject:"):
        return f'"{reverts[len("subject:"):]}"'
    return short(reverts)


def _incidents(caused: Sequence[Caused], w: RiskWeights) -> Signal:
    items = sorted(caused, key=lambda c: (-c.started_at, c.key))
    if not items:
        return _sig("incidents", 0, w, "")
    parts = []
    for c in items[:3]:
        sev = f" ({c.severity})" if c.severity else ""
        after = f" {_span(c.started_at - c.landed_at)} after it landed" if c.landed_at is not None else ""
        parts.append(f"caused {c.key}{sev}{after} (cause {c.cause})")
    text = "; ".join(parts) + (f"; and {len(items) - 3} more incidents" if len(items) > 3 else "")
    ev = tuple(Evidence("incident", c.key, f"caused by {c.cause}", c.started_at, "postmortem cause") for c in items)
    return _sig("incidents", len(items), w, text, ev)


def _span(seconds: int) -> str:
    """'219 days', '1 day', '3 hours', '1 hour', '40 minutes' (never negative)."""
    seconds = max(0, seconds)
    for unit, size in (("day", DAY), ("hour", 3600), ("minute", 60)):
        if seconds >= size or unit == "minute":
            n = seconds // size
            return f"{n:,} {unit}{'s' if n != 1 else ''}"
    return ""  # pragma: no cover


def _recent(fixes: Sequence[tuple[int, str]], now: int, w: RiskWeights) -> Signal:
    past = sorted((f for f in fixes if f[0] <= now), key=lambda f: (-f[0], f[1]))
    if not past:
        return _sig("recent_fixes", 0, w, "")
    h = w.recent_fix_half_life_days
    v = faded_fixes([t for t, _ in past], now, h)
    text = (f"{len(past)} bug fix{'es' if len(past) != 1 else ''} in its history, worth {v:.2f} at a"
            f" {h:g}-day half-life (newest {(now - past[0][0]) // DAY:,} days ago)")
    ev = tuple(Evidence("commit", short(ref.split("@")[1]), "bug fix", t,
                        f"worth {faded_fixes([t], now, h):.2f}") for t, ref in past[:5])
    return _sig("recent_fixes", v, w, text, ev)


def _untested(refs: set[str], test_path: str | None, test_refs: set[str], is_test: bool, w: RiskWeights) -> Signal:
    if is_test or test_path is None or not refs:
        return _sig("untested_changes", 0, w, "")
    n = untested(refs, test_refs)
    if not test_path:
        changes = "its change" if n == 1 else f"its {n} changes"
        return _sig("untested_changes", n, w, f"no test file found to change with {changes}")
    if n == 0:
        return _sig("untested_changes", 0, w, "")
    ratio = (len(refs) - n) / len(refs)
    if n == len(refs):
        text = ("its one change left its test unchanged" if n == 1 else
                f"none of its {n} changes changed its test") + " (test co-change ratio 0%)"
    else:
        text = f"{n} of its {len(refs)} changes left its test unchanged (test co-change ratio {ratio:.0%})"
    return _sig("untested_changes", n, w, text)


def _unreviewed(path: str, commits: Sequence[WindowCommit], days: int, w: RiskWeights) -> Signal:
    if not is_infra(path, w.infra_patterns):
        return _sig("unreviewed_infra", 0, w, "")
    bare = sorted((c for c in commits if not c.reviewed), key=lambda c: (-c.at, c.ref))
    if not bare:
        return _sig("unreviewed_infra", 0, w, "")
    refs = ", ".join(short(c.ref.split("@")[1]) for c in bare[:3]) + (", …" if len(bare) > 3 else "")
    text = (f"an infrastructure/configuration file changed {_times(len(bare))} in the last {days} days"
            f" without an approving review ({refs})")
    ev = tuple(Evidence("commit", short(c.ref.split("@")[1]), c.subject, c.at, "no approving review") for c in bare)
    return _sig("unreviewed_infra", len(bare), w, text, ev)


def _coupling(coupled: tuple[float, str, int, int, int] | None, w: RiskWeights) -> Signal:
    if coupled is None:
        return _sig("coupling", 0, w, "")
    d, other, n, revs, theirs = coupled
    text = f"changes together with {other} (degree {d:.0f}: {n} shared of {revs} and {theirs} commits)"
    return _sig("coupling", d, w, text, (Evidence("file", other, f"degree {d:.0f}", None, "change coupling"),))
