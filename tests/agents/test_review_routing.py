from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from teammemory.agents import review_routing
from teammemory.agents.evidence import Person
from teammemory.agents.expertise import Activity
from teammemory.config import Config, ExpertiseWeights
from teammemory.errors import InputError, NotFound
from teammemory.model import PrFile, PullRequest
from teammemory.store import Store
from teammemory.store.write import write_pull_request
from tests.agents import people_world as w
from tests.agents.people_world import NOW_TS, T

ANA, BOB, CY, BOT = Person("ana", "Ana"), Person("bob", "Bob"), Person("cy", "Cy"), Person("bot", "bot")
NO_BONUS = ExpertiseWeights(recency_bonus=0, scoring="article")
ARTICLE = replace(Config(), expertise=ExpertiseWeights(scoring="article"))


def test_rank_sums_file_scores_and_never_suggests_the_author_or_a_bot(now: datetime) -> None:
    rows = [
        Activity("a.py", ANA, "author", "c1", T(3), path="a.py", churn=40),
        Activity("b.py", ANA, "pr-review", "org#1", T(2)),
        Activity("a.py", BOB, "author", "c2", T(1), path="a.py", churn=200),  # Bob is the author
        Activity("b.py", CY, "author", "c3", T(9), path="b.py", churn=0),
        Activity("b.py", CY, "comment", "x", T(9)),
        Activity("a.py", BOT, "author", "c4", T(1), path="a.py", churn=999, is_bot=True),
    ]
    ranked = review_routing.rank(rows, now=now, weights=NO_BONUS, author="bob", requested={"cy"})
    # Ana: a.py 10 + 40/20 = 12; b.py 8 -> 20, 2 files.  Cy: b.py 10 + 2 = 12, 1 file.
    assert [(c.person.key, c.score.total, c.files_known, c.requested) for c in ranked] == [
        ("ana", 20.0, 2, False), ("cy", 12.0, 1, True)]
    assert dict(ranked[0].score.terms) == {"a.py": 12.0, "b.py": 8.0}
    assert [f.reason for f in ranked[0].files] == [
        "1 commit on a.py; last active 2026-05-29", "1 review on b.py; last active 2026-05-30"]
    assert ranked[1].files[0].reason == "1 commit and 1 comment on b.py; last active 2026-05-23"


def test_rank_ties_files_known_then_activity_then_key(now: datetime) -> None:
    rows = [
        Activity("a.py", ANA, "pr-review", "r1", T(5)),  # with the next: 16, 2 files
        Activity("b.py", ANA, "pr-review", "r2", T(5)),
        Activity("a.py", BOB, "author", "c1", T(5), churn=120),  # 10 + 6 = 16, 1 file
        Activity("a.py", Person("dee", "Dee"), "comment", "x1", T(1)),  # 2, 1 file, later
        Activity("a.py", CY, "comment", "x2", T(4)),  # 2, 1 file, earlier
        Activity("a.py", Person("al", "Al"), "comment", "x3", T(4)),  # 2, same as Cy -> by key
    ]
    ranked = review_routing.rank(rows, now=now, weights=NO_BONUS)
    assert [c.person.key for c in ranked] == ["ana", "bob", "dee", "al", "cy"]


def test_ask_leaves_out_the_pr_itself_its_author_and_bots(store: Store, now: datetime) -> None:
    with w.build(store).read() as db:
        result = review_routing.ask(db, 8, now=now, config=ARTICLE)
    assert result.author == Person("ben", "Ben Okafor") and result.files == (w.SERVICE, w.TEST)
    got = [(c.person.name, c.score.total, c.files_known, c.requested) for c in result.candidates]
    assert got == [
        # Cy without #8's review: token_service c2 co-author + review comment on #7, last T(9):
        #   10 + 2 + 7/20 + 20*(1 - 9/180) = 31.35; test file c8: 10 + 10/20 + 20*(1 - 20/180) = 28.2778
        ("Cy Park", 59.63, 2, False),
        ("Ana Lima", 45.39, 1, True),  # as in expertise: c1 + c3; a review of #8 is already requested
        ("Cy P.", 21.11, 1, False),
    ]
    assert result.candidates[0].files[0].reason == (
        "1 commit and 1 comment on src/auth/token_service.py; last active 2026-05-23")
    assert result.requested == (Person("ana", "Ana Lima"),) and result.bots_excluded == ("dependabot",)


def test_ask_limit_and_files_from_commits(store: Store, now: datetime) -> None:
    pr9 = PullRequest("org/app", 9, "Only commits", author=w.CY_GH, created_at=T(1), commits=(w.h(3),))
    with w.build(store).write() as db:
        write_pull_request(db, pr9)
    with store.read() as db:
        result = review_routing.ask(db, 9, now=now, config=ARTICLE, limit=1)
    # files of c3; c3 is #9's own commit, so Ana's expertise is c1 only: 10 + 100/20 = 15, 100 days ago
    # -> 15 + 20*(1 - 100/180) = 23.8889; Cy wrote #9; Ben: c2 + c7, churn 11, review of #7, comment on
    # #7 (c3's Reviewed-by belongs to #9), last T(2): 20 + 8 + 2 + 0.55 + 19.7778 = 50.3278
    assert result.files == (w.SERVICE,)
    assert [(c.person.key, c.score.total) for c in result.candidates] == [("ben", 50.33)]
    # Ana wrote c3, #9's only commit: she co-wrote the PR, so she is no candidate at any limit
    with store.read() as db:
        everyone = review_routing.ask(db, 9, now=now, config=ARTICLE, limit=10)
    # (Cy's unmerged Jira account stays: it commented on PROJ-2, and no rule ties it to Cy)
    assert [c.person.name for c in everyone.candidates] == ["Ben Okafor", "Cy P."]
    assert everyone.contributors == (Person("ana", "Ana Lima"),)


def test_rank_leaves_out_whoever_wrote_part_of_the_pr(now: datetime) -> None:
    rows = [Activity("a.py", ANA, "author", "c1", T(3), path="a.py", churn=40),
            Activity("a.py", CY, "author", "c2", T(3), path="a.py", churn=0)]
    ranked = review_routing.rank(rows, now=now, weights=NO_BONUS, author="bob", contributors={"ana"})
    assert [(c.person.key, c.score.total) for c in ranked] == [("cy", 10.0)]


def test_ask_unknown_and_ambiguous_pr(sqlite_store: Store, now: datetime) -> None:
    with w.build(sqlite_store).write() as db:
        write_pull_request(db, PullRequest("org/other", 8, "Same number", files=(PrFile("x.py", 1, 0),)))
    with sqlite_store.read() as db:
        with pytest.raises(NotFound) as err:
            review_routing.ask(db, 80, now=now, config=ARTICLE)
        assert err.value.suggestions == ("#8",)
        with pytest.raises(InputError, match="org/app, org/other"):
            review_routing.ask(db, 8, now=now, config=ARTICLE)
        assert review_routing.ask(db, 8, now=now, config=ARTICLE, repo="org/other").candidates == ()


def test_ask_is_deterministic(sqlite_store: Store, now: datetime) -> None:
    with w.build(sqlite_store).read() as db:
        first = review_routing.ask(db, 8, now=now, config=replace(ARTICLE, review_max_suggestions=5))
        assert review_routing.ask(db, 8, now=now, config=replace(ARTICLE, review_max_suggestions=5)) == first
    assert len(first.candidates) == 3


def D(days: int) -> int:
    """Exactly `days` days before NOW (T is an hour earlier still)."""
    return NOW_TS - days * 86400


def test_fading_adds_faded_reviewing_activity_anywhere(now: datetime) -> None:
    from teammemory.agents.review_routing import Review

    weights = ExpertiseWeights(half_life_days=365.0, review_activity=30.0, review_activity_half_life_days=30.0)
    rows = [Activity("a.py", ANA, "author", "c1", D(0), path="a.py", churn=0, files=1)]
    reviews = [Review(CY, D(0), False), Review(CY, D(30), False), Review(ANA, D(60), False),
               Review(BOB, D(0), False), Review(BOT, D(0), True)]
    ranked = review_routing.rank(rows, now=now, weights=weights, author="bob", reviewing=reviews)
    # Cy: no file known; 30*(2^0 + 2^-1) = 45.  Ana: a.py 10*2^0 = 10, plus 30*2^-2 = 7.5 -> 17.5.
    # Bob is the author, the bot a bot: neither is suggested.
    assert [(c.person.key, c.score.total, c.files_known) for c in ranked] == [("cy", 45.0, 0), ("ana", 17.5, 1)]
    assert dict(ranked[1].score.terms) == {"a.py": 10.0, "reviewing activity": 7.5}
    assert ranked[0].score.input("reviews_in_repository") == 2


def test_ask_names_the_candidates_the_inactive_cut_left_out(store: Store, now: datetime) -> None:
    fading = Config()  # the default scoring, with its inactive cut
    late = replace(fading, expertise=replace(fading.expertise, inactive_days=1.0))  # nobody acted in the last day
    with w.build(store).read() as db:
        everyone = review_routing.ask(db, 8, now=now, config=fading, include_inactive=True)
        cut = review_routing.ask(db, 8, now=now, config=late)
    assert everyone.candidates and everyone.inactive_left_out == () and everyone.inactive_days == 0.0
    assert cut.candidates == ()
    # every candidate is left out, best score first, and the answer says by which cut
    assert cut.inactive_left_out == tuple(c.person for c in everyone.candidates) and cut.inactive_days == 1.0
