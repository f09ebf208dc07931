"""Onboarding on the team history of tests/agents/teamdata.py; scores worked out from the formulas."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from teammemory.agents import onboarding
from teammemory.agents.onboarding import (
    FileRow,
    IssueFactRow,
    IssueRow,
    PrFactRow,
    PrRow,
    rank_files,
    rank_issues,
    rank_prs,
)
from teammemory.errors import NotFound
from teammemory.model import Issue
from teammemory.store import Store
from teammemory.store.write import write_issue
from tests.agents import teamdata

C = teamdata.CONFIG


@pytest.fixture
def team(store: Store) -> Store:
    return teamdata.build(store)


def test_onboarding_for_a_component(team: Store, now: datetime) -> None:
    with team.read() as db:
        result = onboarding.ask(db, "auth", now=now, config=C)
    assert result.component == "auth"
    assert [name for name, _ in result.ranking] == ["issues", "prs", "files", "people"]
    # PROJ-1247: commits {c2} (c4 is a merge), PRs {#382}, 2 comments, 2 links, a Bug:
    #   1*3 + 1*3 + 2*1 + 2*2 + 5 = 17
    # PROJ-1200: only its link from PROJ-1247 (stored on PROJ-1247's side): 1*2 = 2
    # PROJ-1300 is named by c7 (which changed auth) but was never ingested: nothing to read
    assert [(i.key, i.score.total) for i in result.issues] == [("PROJ-1247", 17), ("PROJ-1200", 2)]
    top = result.issues[0]
    assert dict(top.score.inputs) == {"linked_commits": 1, "linked_prs": 1, "comments": 2, "links": 2,
                                      "bug": 1}
    assert dict(top.score.terms) == {"linked_commits": 3, "linked_prs": 3, "comments": 2, "links": 4,
                                     "bug": 5}
    assert top.found_by == ("Jira component auth", "its PRs change the component",
                            "its commits change the component")
    # #382: files {token_service, lock.py} 2*2 + reviews 2*3 + review comments 1*2 + comments 2*1
    #       + linked 5 = 19
    [pr] = result.prs
    assert (pr.number, pr.score.total) == (382, 19)
    assert dict(pr.score.inputs) == {"component_files": 2, "reviews": 2, "review_comments": 1, "comments": 2,
                                     "issue_linked": 1}
    # token_service: Ayşe, Mehmet / c1 c2 c3 / 50+12+6; locking: Mehmet (c6), Ayşe's old address (c7) / 0+6;
    # lock.py is not listed: c6 renamed it away, so it no longer exists
    assert [(f.path, f.people, f.commits, f.churn) for f in result.files] == [
        ("src/auth/token_service.py", 2, 3, 68), ("src/auth/locking.py", 2, 2, 6)]
    names = [p.person.key for p in result.people]
    assert set(names) == {"ayse-demir", "mehmet-turac", "burak-kaya", "ayse-demir-2"}
    assert "dependabot-bot" not in names
    totals = [p.score.total for p in result.people]
    assert totals == sorted(totals, reverse=True)


def test_limit_and_case_insensitive_name(team: Store, now: datetime) -> None:
    with team.read() as db:
        result = onboarding.ask(db, "AUTH", now=now, config=replace(C, onboarding_limit=1))
        assert (len(result.issues), len(result.files), len(result.people)) == (1, 1, 1)
        assert len(onboarding.ask(db, "auth", now=now, config=C, limit=2).files) == 2


def test_component_only_jira_knows(team: Store, now: datetime) -> None:
    with team.write() as db:
        write_issue(db, Issue("PROJ-1400", "Payments roadmap", issue_type="Epic", components=("payments",)))
    with team.read() as db:
        result = onboarding.ask(db, "payments", now=now, config=C)
    assert [(i.key, i.score.total) for i in result.issues] == [("PROJ-1400", 0)]
    assert result.prs == () and result.files == () and result.people == ()


def test_unknown_component_suggests_names(team: Store, now: datetime) -> None:
    with team.read() as db, pytest.raises(NotFound) as err:
        onboarding.ask(db, "auht", now=now, config=C)
    assert err.value.suggestions == ("auth",)


def _issue(key: str, updated: int | None, kind: str = "Task") -> IssueRow:
    return IssueRow(key=key, summary=key, status="Done", issue_type=kind, created_at=1,
                    updated_at=updated, found_by="Jira component x")


def test_rank_issues_formula_and_tie_breaks() -> None:
    issues = [_issue("P-10", 100), _issue("P-9", 100), _issue("P-2", 200), _issue("P-1", 50, "Bug")]
    facts = [IssueFactRow("P-1", "comment", "1"),
             IssueFactRow("P-2", "link", "P-3 Relates"),
             IssueFactRow("P-2", "link", "P-3 Relates"),
             IssueFactRow("P-9", "commit", "r:a"), IssueFactRow("P-10", "pr", "r#1")]
    ranked = rank_issues(issues, facts, ("Bug",))
    # P-1: comment 1 + bug 5 = 6; P-9: 3; P-10: 3 (same update: key order puts P-9 first); P-2: one link = 2
    assert [(i.key, i.score.total) for i in ranked] == [("P-1", 6), ("P-9", 3), ("P-10", 3), ("P-2", 2)]


def test_rank_prs_leaves_bots_out_and_breaks_ties() -> None:
    def pr(n: int, merged: int | None, bot: int = 0) -> PrRow:
        return PrRow(repo="o/r", number=n, title=f"t{n}", state="merged", merged_at=merged, closed_at=merged,
                     created_at=1, a_key="k", a_name="K", a_bot=bot)
    facts = [PrFactRow("o/r", n, "file", "a.py") for n in (1, 2, 3, 4)]
    facts += [PrFactRow("o/r", 4, "issue", "P-1"), PrFactRow("o/r", 4, "issue", "P-2")]
    ranked = rank_prs([pr(1, 10), pr(2, 20), pr(3, 30, bot=1), pr(4, None)], facts)
    # #4: 1 file*2 + linked 5 = 7; #2 and #1: 2 each, later merge first; #3 is a bot's
    assert [(p.number, p.score.total) for p in ranked] == [(4, 7), (2, 2), (1, 2)]


def test_rank_files_orders_by_people_commits_churn_path() -> None:
    def row(path: str, people: int, commits: int, churn: int, last: int = 86400) -> FileRow:
        return FileRow(path=path, people=people, commits=commits, churn=churn, last_at=last)
    # b: 2 people; a: 1 person but 2 commits; c and d: 1 person, 1 commit, 3 lines each: by path
    rows = [row("d.py", 1, 1, 3), row("a.py", 1, 2, 101), row("c.py", 1, 1, 3), row("b.py", 2, 2, 2)]
    ranked = rank_files(rows)
    assert [(f.path, f.people, f.commits, f.churn) for f in ranked] == [
        ("b.py", 2, 2, 2), ("a.py", 1, 2, 101), ("c.py", 1, 1, 3), ("d.py", 1, 1, 3)]
    assert (ranked[0].last_at, ranked[0].last) == (86400, "1970-01-02")
