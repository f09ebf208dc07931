from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from teammemory.agents import expertise, paths
from teammemory.agents.evidence import Person
from teammemory.agents.expertise import Activity
from teammemory.agents.expertise_activity import activity
from teammemory.config import Config, ExpertiseWeights
from teammemory.errors import NotFound
from teammemory.store import Store
from tests.agents import people_world as w
from tests.agents.people_world import NOW_TS, T

ANA, BOB, BOT = Person("ana", "Ana"), Person("bob", "Bob"), Person("bot", "dependabot")
W = ExpertiseWeights(scoring="article")  # the article formula, exact terms (fading: test_fading_*)
ARTICLE = replace(Config(), expertise=W)


def test_rank_scores_literal_rows(now: datetime) -> None:
    rows = [
        Activity("f.py", ANA, "author", "app@1", T(10), path="f.py", churn=100, label="1111111",
                 summary="one"),
        Activity("f.py", ANA, "author", "app@1", T(10), path="f.py", churn=100),  # same commit again: once
        Activity("f.py", ANA, "author", "app@2", T(30), path="old.py", churn=40, label="2222222"),
        Activity("f.py", ANA, "pr-review", "org/app#1", T(5), label="#1", summary="PR one"),
        Activity("f.py", ANA, "pr-review", "org/app#1", T(6), label="#1"),  # one per reviewer per PR
        Activity("f.py", ANA, "comment", "pr comment 1", T(40)),
        Activity("f.py", BOB, "author", "app@3", T(200), path="f.py", churn=0),
        Activity("f.py", BOT, "author", "app@4", T(1), path="f.py", churn=500, is_bot=True),
    ]
    ana, bob = expertise.rank(rows, now=now, weights=W)
    # Ana: 2 commits*10 + 1 review*8 + 1 comment*2 + (100+40)/20 + 20*(1 - 5/180)
    #    = 20 + 8 + 2 + 7 + 19.4444 = 56.4444 -> 56.44
    assert ana.person == ANA and ana.score.total == 56.44
    assert (ana.commits, ana.reviews, ana.comments, ana.churn) == (2, 1, 1, 140)
    assert ana.last_activity == T(5) and ana.score.input("days_since_last_activity") == 5
    assert dict(ana.score.terms) == {"commits": 20.0, "reviews": 8.0, "comments": 2.0, "churn": 7.0,
                                     "recency_bonus": 19.4444}
    assert ana.summary == "commits: 2, reviews: 1, comments: 1, churn: 140, last activity: 2026-05-27"
    assert [(e.kind, e.ref) for e in ana.evidence] == [
        ("commit", "1111111"), ("commit", "2222222"), ("pr", "#1")]
    # Bob: 1 commit*10, 200 days ago so no recency bonus -> 10; the bot is not ranked at all
    assert bob.person == BOB and bob.score.total == 10.0


def test_rank_ties_later_activity_then_person_key(now: datetime) -> None:
    rows = [Activity("f", Person(k, k), "pr-review", f"r{k}", at) for k, at in
            (("eve", T(200)), ("fay", T(190)), ("dee", T(3)), ("cy", T(3)))]
    ranked = expertise.rank(rows, now=now, weights=W)
    # cy and dee: 8 + 20*(1 - 3/180) = 27.67 each -> by key; eve and fay: 8 each -> fay is more recent
    assert [(e.person.key, e.score.total) for e in ranked] == [
        ("cy", 27.67), ("dee", 27.67), ("fay", 8.0), ("eve", 8.0)]


def test_rank_uses_configured_weights(now: datetime) -> None:
    weights = ExpertiseWeights(commit=1, review=0, comment=0, churn_divisor=10, recency_bonus=0, scoring="article")
    rows = [Activity("f", ANA, "author", "c1", T(0), churn=55)]
    # 1*1 + 55/10 = 6.5
    assert expertise.rank(rows, now=now, weights=weights)[0].score.total == 6.5


def test_ask_file_follows_renames_and_skips_bots_merges_and_pending(store: Store, now: datetime) -> None:
    with w.build(store).read() as db:
        result = expertise.ask_file(db, w.SERVICE, now=now, config=ARTICLE)
    assert result.paths == (w.TOKEN, w.SERVICE) and result.bots_excluded == ("dependabot",)
    got = [(e.person.name, e.commits, e.reviews, e.comments, e.churn, e.score.total) for e in result.experts]
    assert got == [
        # c2 + c7 (c5 is a merge); PR #7 once + Reviewed-by on c3; PR comment on #7; churn 7 + 4;
        # last T(2): 20 + 16 + 2 + 0.55 + 20*(1 - 2/180) = 58.3278
        ("Ben Okafor", 2, 2, 1, 11, 58.33),
        # c1 under the old name (before the rename) + c3; churn 100 + 30; last T(10):
        # 20 + 6.5 + 20*(1 - 10/180) = 45.3889
        ("Ana Lima", 2, 0, 0, 130, 45.39),
        # co-author of c2 (c6's new token.py is not this file's history); review on #8 (PENDING on #7
        # not counted); review comment on #7; churn 7; last T(1): 10 + 8 + 2 + 0.35 + 19.8889 = 40.2389
        ("Cy Park", 1, 1, 1, 7, 40.24),
        # Jira comment on PROJ-2 (linked to c3 and #7) by an unresolved account: 2 + 20*(1 - 8/180)
        ("Cy P.", 0, 0, 1, 0, 21.11),
    ]
    assert result.experts[0].summary == (
        "commits: 2, reviews: 2, comments: 1, churn: 11, last activity: 2026-05-30")


def test_ask_component_sums_over_its_files(store: Store, now: datetime) -> None:
    with w.build(store).read() as db:
        result = expertise.ask_component(db, "auth", now=now, config=ARTICLE)
    assert result.paths == (w.TOKEN, w.SERVICE, w.TEST)
    got = [(e.person.key, e.commits, e.churn, e.score.total) for e in result.experts]
    # Cy: c2 + c8 + c6, churn 7 + 10 + 3, review on #8, comment on #7, last T(1):
    #     30 + 8 + 2 + 1 + 19.8889 = 60.8889.  Ben: c2 + c7, churn 7 + 4 + 8:
    #     20 + 16 + 2 + 0.95 + 19.7778 = 58.7278
    assert got[:3] == [("cy", 3, 20, 60.89), ("ben", 2, 19, 58.73), ("ana", 2, 130, 45.39)]


def test_ask_unknown_file_and_component_suggest_close_matches(sqlite_store: Store, now: datetime) -> None:
    with w.build(sqlite_store).read() as db:
        with pytest.raises(NotFound) as err:
            expertise.ask_file(db, "src/auth/token_servce.py", now=now, config=ARTICLE)
        assert w.SERVICE in err.value.suggestions
        with pytest.raises(NotFound) as err:
            expertise.ask_component(db, "auht", now=now, config=ARTICLE)
        assert err.value.suggestions == ("auth",)
        with pytest.raises(NotFound):
            expertise.ask_file(db, w.SERVICE, now=now, config=ARTICLE, repo="other")


def test_ask_is_deterministic(sqlite_store: Store, now: datetime) -> None:
    with w.build(sqlite_store).read() as db:
        first = expertise.ask_file(db, w.SERVICE, now=now, config=ARTICLE)
        assert expertise.ask_file(db, w.SERVICE, now=now, config=ARTICLE) == first


def test_component_counts_made_in_sql_equal_rank_over_its_files_rows(store: Store, now: datetime) -> None:
    # The component fast path (commits counted per person in SQL, `Tally`) must score exactly what
    # `rank` gives over the Activity rows of the component's files: one formula, not two.
    with w.build(store).read() as db:
        fast = expertise.ask_component(db, "auth", now=now, config=ARTICLE)
        spans = [paths.PathSpan(repo, p, paths.FOREVER, "auth") for p in fast.paths for repo in paths.file_repos(db, p)]
        slow = expertise.rank(activity(db, *paths.spans_cte(spans)), now=now, weights=W)
    assert len(fast.experts) == 4
    assert [replace(e, evidence=()) for e in fast.experts] == [replace(e, evidence=()) for e in slow]
    assert [e.evidence for e in fast.experts] == [e.evidence for e in slow]


def D(days: int) -> int:
    """Exactly `days` days before NOW (T is an hour earlier still)."""
    return NOW_TS - days * 86400


FADING = ExpertiseWeights(half_life_days=365.0, mass_files=20.0, inactive_days=730.0)


def test_fading_scores_literal_rows(now: datetime) -> None:
    rows = [
        # a commit of 40 files a year ago: mass 1/max(1, 40/20) = 0.5, lines 7 -> log2(8) = 3
        Activity("f.py", ANA, "author", "app@1", D(365), path="f.py", churn=7, files=40),
        Activity("f.py", ANA, "co-author", "app@1", D(365), path="f.py", churn=7, files=40),  # once
        Activity("f.py", ANA, "pr-review", "org/app#1", D(0), label="#1", files=10),  # today, 10 files: mass 1
        Activity("f.py", ANA, "comment", "pr comment 1", D(730)),  # two half-lives ago
        Activity("f.py", BOB, "author", "app@2", D(800), path="f.py", churn=0, files=1),
    ]
    ana, bob = expertise.rank(rows, now=now, weights=FADING)
    # Ana: 0.5*(10 + 3)*2^-1 + 8*2^0 + 2*2^-2 = 3.25 + 8 + 0.5 = 11.75
    assert dict(ana.score.terms) == {"commits": 3.25, "reviews": 8.0, "comments": 0.5}
    assert ana.score.total == 11.75 and (ana.commits, ana.reviews, ana.comments, ana.churn) == (1, 1, 1, 7)
    assert ana.score.input("half_life_days") == 365.0 and ana.score.input("mass_files") == 20.0
    # Bob: 10 * 2^(-800/365)
    assert bob.score.total == round(10 * 2 ** (-800 / 365), 2)
    # Bob's last activity anywhere is 800 days ago (> 730): left out, unless nobody asks for the cut
    assert [e.person for e in expertise.rank(rows, now=now, weights=FADING,
                                             last_seen={"ana": D(0), "bob": D(800)})] == [ANA]
    assert [e.person for e in expertise.rank(rows, now=now, weights=FADING,
                                             last_seen={"ana": D(0), "bob": D(3)})] == [ANA, BOB]


def test_fading_is_the_default_and_leaves_out_the_inactive_unless_asked(store: Store, now: datetime) -> None:
    late = replace(Config(), expertise=replace(Config().expertise, inactive_days=1.0))
    with w.build(store).read() as db:
        everyone = expertise.ask_file(db, w.SERVICE, now=now, config=Config())
        assert everyone.experts and everyone.experts[0].score.formula.startswith("sum of mass*")
        cut = expertise.ask_file(db, w.SERVICE, now=now, config=late)
        assert cut.experts == ()
        # the answer says who was left out, best score first, and by which cut
        assert cut.inactive_left_out == tuple(e.person for e in everyone.experts) and cut.inactive_days == 1.0
        kept = expertise.ask_file(db, w.SERVICE, now=now, config=late, include_inactive=True)
        assert [e.person for e in kept.experts] == [e.person for e in everyone.experts]
        assert kept.inactive_left_out == () and kept.inactive_days == 0.0  # no cut was made
        component = expertise.ask_component(db, "auth", now=now, config=Config())
        assert component.experts and all(e.score.total > 0 for e in component.experts)
