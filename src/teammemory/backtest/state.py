"""What the replay knows at each moment: per-file and per-person accumulators, updated commit by commit.

Per (file, person): commits, reviews, churn, last activity (the article scoring's inputs) and,
for each fading method, the sum S = value * 2^((t - origin)/h), so a fading score at any later
`now` is S / 2^((now - origin)/h) (scoring.Faded's rule) and nothing is recomputed per change.
Renames move a file's accumulators to its new name (the agents follow renames backwards).
Per person: the last activity anywhere (the fading scoring's inactive cut). The last year's
reviews (a window kept with a deque) serve the "most active reviewer" baseline.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass

from teammemory.agents import scoring
from teammemory.agents.scoring import ContributionKind, Scoring
from teammemory.backtest.history import Commit, Touch
from teammemory.config import ExpertiseWeights, RiskWeights

YEAR = 365 * scoring.DAY


@dataclass(frozen=True)
class Method:
    """One scoring the replay answers with: its name in the results, which scoring, its weights."""

    name: str
    scoring: Scoring
    weights: ExpertiseWeights


class PersonFile:
    """One person's work on one file (mutable: the replay's hot loop updates it in place)."""

    __slots__ = ("churn", "commits", "last", "reviews", "s")

    def __init__(self, methods: int) -> None:
        self.commits = 0
        self.reviews = 0
        self.churn = 0
        self.last = 0
        self.s = [0.0] * methods

    def merge(self, other: PersonFile) -> None:
        self.commits += other.commits
        self.reviews += other.reviews
        self.churn += other.churn
        self.last = max(self.last, other.last)
        self.s = [a + b for a, b in zip(self.s, other.s, strict=True)]


FileKey = tuple[str, str]  # (repo, path)


class State:
    def __init__(self, methods: tuple[Method, ...], origin: int, risk: RiskWeights | None = None) -> None:
        self.methods = methods
        self.origin = origin
        self.risk = risk or RiskWeights()
        self.files: dict[FileKey, dict[str, PersonFile]] = {}
        self.last: dict[str, int] = {}
        self.reviews_window: deque[tuple[int, str]] = deque()
        self.review_counts: Counter[str] = Counter()
        self.alive: set[FileKey] = set()
        self.risk_s: dict[FileKey, list[float]] = {}
        self.fix_times: dict[FileKey, list[int]] = {}
        self.reviewing: dict[str, dict[str, list[float]]] = {}  # repo -> person -> per method faded reviews

    def scale(self, at: int, m: Method) -> float:
        return scoring.scale(at, self.origin, m.weights.half_life_days * scoring.DAY)

    # --- updates -----------------------------------------------------------------------------
    def add_commit(self, c: Commit) -> None:
        """A commit becomes known: renames, files alive, its authors' and trailer reviewers' work."""
        for t in c.files:
            self._move(c.repo, t)
        if c.is_merge:
            return
        workers: tuple[str, ...] = () if c.author_is_bot else (c.author,)
        workers += tuple(p for p in c.coauthors if p != c.author)
        n = len(c.files)
        for t in c.files:
            key = (c.repo, t.path)
            for person in workers:
                self._credit(key, person, c.at, "commit", n, t.churn)
            for person in c.reviewers:
                self._credit(key, person, c.at, "review", n, 0)
            self._add_risk(key, c, n, t.churn)
        for person in workers + c.reviewers:
            self.last[person] = max(self.last.get(person, 0), c.at)
        for person in c.reviewers:
            self.note_review(c.at, person, c.repo)

    def add_review(self, repo: str, paths: Iterable[str], person: str, at: int) -> None:
        """A review of a change of `paths` (a PR's review, or a merge of a PR's branch) becomes known."""
        keys = [(repo, p) for p in paths]
        for key in keys:
            self._credit(key, person, at, "review", len(keys), 0)
        self.last[person] = max(self.last.get(person, 0), at)
        self.note_review(at, person, repo)

    def note_review(self, at: int, person: str, repo: str) -> None:
        """One review by `person` anywhere in `repo`: the baseline's window and the fading methods'
        reviewing activity (scoring.routing_score's second term)."""
        self.reviews_window.append((at, person))
        self.review_counts[person] += 1
        mine = self.reviewing.setdefault(repo, {})
        sums = mine.get(person)
        if sums is None:
            sums = mine[person] = [0.0] * len(self.methods)
        for i, m in enumerate(self.methods):
            if m.scoring == "fading" and m.weights.review_activity:
                sums[i] += scoring.scale(at, self.origin, m.weights.review_activity_half_life_days * scoring.DAY)

    def reviewing_at(self, repo: str, index: int, now: int) -> dict[str, float]:
        """Method `index`'s faded count of reviews per person in `repo` at `now`."""
        m = self.methods[index]
        divisor = scoring.scale(now, self.origin, m.weights.review_activity_half_life_days * scoring.DAY)
        return {p: s[index] / divisor for p, s in self.reviewing.get(repo, {}).items()}

    def _move(self, repo: str, t: Touch) -> None:
        if t.before and t.before != t.path:
            old = (repo, t.before)
            self.alive.discard(old)
            moved = self.files.pop(old, None)
            if moved:
                here = self.files.setdefault((repo, t.path), {})
                for person, pf in moved.items():
                    if person in here:
                        here[person].merge(pf)
                    else:
                        here[person] = pf
            if old in self.risk_s:
                self.risk_s[(repo, t.path)] = self.risk_s.pop(old)
            if old in self.fix_times:
                self.fix_times[(repo, t.path)] = self.fix_times.pop(old)
        if t.change_type == "D":
            self.alive.discard((repo, t.path))
        else:
            self.alive.add((repo, t.path))

    def _credit(self, key: FileKey, person: str, at: int, kind: ContributionKind, n: int, churn: int) -> None:
        people = self.files.setdefault(key, {})
        pf = people.get(person)
        if pf is None:
            pf = people[person] = PersonFile(len(self.methods))
        if kind == "commit":
            pf.commits += 1
            pf.churn += churn
        else:
            pf.reviews += 1
        pf.last = max(pf.last, at)
        for i, m in enumerate(self.methods):
            if m.scoring == "fading":
                pf.s[i] += scoring.value(kind, n, churn, m.weights) * self.scale(at, m)

    def _add_risk(self, key: FileKey, c: Commit, n: int, churn: int) -> None:
        s = self.risk_s.setdefault(key, [0.0] * len(self.methods))
        for i, m in enumerate(self.methods):
            if m.scoring == "fading":
                s[i] += scoring.risk_value(c.is_bug_fix, n, churn, self.risk, m.weights) * self.scale(c.at, m)
        if c.is_bug_fix:
            self.fix_times.setdefault(key, []).append(c.at)

    def expire_reviews(self, now: int) -> None:
        """Drop reviews older than a year from the window (the baseline's 'last year')."""
        while self.reviews_window and self.reviews_window[0][0] < now - YEAR:
            _, person = self.reviews_window.popleft()
            self.review_counts[person] -= 1
            if not self.review_counts[person]:
                del self.review_counts[person]
