"""A component's folded commits (`Work`, the fast path) score bit for bit what the same commits
score as Activity rows (the path every file question takes): the inlined fade of
`expertise._fading` must be scoring.fade's float, not a close one."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from teammemory.agents import expertise, persons
from teammemory.agents.evidence import Person
from teammemory.agents.expertise import Activity
from teammemory.agents.expertise_activity import CommitRow, Source, fold_commits
from teammemory.config import ExpertiseWeights

NOW = datetime(2026, 1, 27, 8, 41, 57, tzinfo=UTC)
NOW_TS = int(NOW.timestamp())
DAY = 86400


def _rows(seed: int) -> list[CommitRow]:
    """Commits of three people over ten years, some in the future of NOW (not faded up), some at
    NOW exactly, a few trailer reviews of their own commits (which never count)."""
    rnd = random.Random(seed)
    rows: list[CommitRow] = []
    for i in range(600):
        who = rnd.choice(["ana", "bruno", "chen"])
        at = NOW_TS - rnd.randrange(-30 * DAY, 3650 * DAY) if i % 50 else NOW_TS
        ref = f"r@{i:040x}"
        rows.append(CommitRow(who, 0, ref, at, rnd.randrange(0, 5000)))
        if i % 7 == 0:
            rows.append(CommitRow(rnd.choice(["ana", "bruno", "chen"]), 1, ref, at, 0))
    return rows


def _as_activity(r: CommitRow, who: dict[str, persons.Who]) -> Activity:
    w = persons.who(who, r.identity_key)
    source: Source = "trailer-review" if r.reviewed else "author"
    return Activity("api", w.person, source, r.ref, r.at, churn=0 if r.reviewed else r.churn)


@pytest.mark.parametrize("half_life", [365.0, 37.5, 0.0])
@pytest.mark.parametrize("seed", [1, 2])
def test_folded_commits_score_exactly_what_their_rows_score(seed: int, half_life: float) -> None:
    rows = _rows(seed)
    who = {k: persons.Who(Person(k, k.title()), False) for k in ("ana", "bruno", "chen")}
    weights = ExpertiseWeights(half_life_days=half_life)
    work, bots = fold_commits(rows, who)
    folded = expertise.rank([], now=NOW, weights=weights, work=work)
    direct = expertise.rank([_as_activity(r, who) for r in rows], now=NOW, weights=weights)
    assert bots == ()
    assert [(e.person.key, e.commits, e.reviews, e.churn, e.last_activity) for e in folded] == \
        [(e.person.key, e.commits, e.reviews, e.churn, e.last_activity) for e in direct]
    assert [e.score.terms for e in folded] == [e.score.terms for e in direct]
    # the exact totals (fsum of the unrounded terms): ==, not approx
    exact = [x for x, _ in expertise.scored([], now=NOW, weights=weights, work=work)]
    assert exact == [x for x, _ in expertise.scored([_as_activity(r, who) for r in rows], now=NOW, weights=weights)]
    assert all(x > 0 for x in exact)
    assert sum(e.commits for e in folded) == len({r.ref for r in rows if not r.reviewed})
