"""Hygiene on the team history of tests/agents/teamdata.py; counts worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from teammemory import derive
from teammemory.agents import hygiene
from teammemory.agents.hygiene import check
from teammemory.agents.hygiene_identities import IdentityRow, fold, suggest_identities
from teammemory.model import Ref
from teammemory.store import Store
from teammemory.store.write import write_commits
from tests.agents import teamdata

C = teamdata.CONFIG


@pytest.fixture
def team(store: Store) -> Store:
    return teamdata.build(store)


def _by_name(report: hygiene.HygieneReport) -> dict[str, hygiene.Check]:
    return {c.name: c for c in report.checks}


def test_report_on_the_team_history(team: Store, now: datetime) -> None:
    with team.read() as db:
        report = hygiene.ask(db, now=now, config=C)
    checks = _by_name(report)
    assert report.known_projects == ("PROJ",)
    got = {name: (c.count, c.denominator, c.percent, c.coverage) for name, c in checks.items()}
    assert got == {
        # non-merge, non-bot commits: c1 c2 c3 c6 c7 c8; keys of PROJ on c2 c7 c8 -> c1 c3 c6 lack one
        "commits_without_issue": (3, 6, 50.0, 50.0),
        # non-bot PRs #382 (names PROJ-1247) and #391 (its commit c8 names PROJ-1250); #390 is dependabot's
        "prs_without_issue": (0, 2, 0.0, 100.0),
        "prs_without_description": (1, 2, 50.0, 50.0),  # #391's body is empty
        # PROJ-1200 and PROJ-1201 are done; no commit or PR names either
        "done_issues_without_commit": (2, 2, 100.0, 0.0),
        # README.md and requirements.txt match no rule; 6 files exist (7 known: lock.py was renamed away)
        # 2/6 = 33.3 %
        "files_without_component": (2, 6, round(100 * 2 / 6, 1), round(100 * 4 / 6, 1)),
        # 11 accounts, 2 of them dependabot's; of the 9 others only Ayşe's old git email is alone
        "identities_unresolved": (1, 9, 11.1, 88.9),
        # keys named: PROJ-1247, PROJ-1300, PROJ-1250, FOO-7; FOO is no known project
        "ignored_keys": (1, 4, 25.0, 75.0),
        # of the 3 PROJ keys, PROJ-1300 was never ingested: 1/3
        "dangling_keys": (1, 3, 33.3, 66.7),
        # people (not bots): ayse-demir, ayse-demir-2, burak-kaya, mehmet-turac; one shared name
        "possible_duplicate_people": (1, 4, 25.0, 75.0),
        # merged: #382 (Burak approved at t(8.5), before its merge at t(8)) and #390 (no review)
        "prs_without_approval": (1, 2, 50.0, 50.0),
        # the history is written to the store, not ingested from a clone: no default branch is known
        "commits_without_pr": (0, 0, None, None),
        "open_action_items": (0, 0, None, None),  # no incidents
    }
    assert checks["commits_without_issue"].examples == (
        "c600000 Rename lock module", "c300000 Add lock around refresh", "c100000 Initial auth module")
    assert checks["done_issues_without_commit"].examples == (
        "PROJ-1201 Support SAML (Won't Do)", "PROJ-1200 Session handling")  # latest resolved first
    assert checks["files_without_component"].examples == ("README.md", "requirements.txt")
    assert checks["ignored_keys"].examples == ("FOO-7 (1 commit)",)
    assert checks["dangling_keys"].examples == ("PROJ-1300 (1 commit)",)
    # a data-quality report, not a blame tool: commit and PR examples name no one
    for name in ("commits_without_issue", "prs_without_issue", "prs_without_description"):
        assert not any(who in e for e in checks[name].examples for who in ("Mehmet", "Ayşe", "Burak"))
    [s] = report.suggestions
    assert [p.key for p in s.people] == ["ayse-demir", "ayse-demir-2"]
    assert s.accounts == ("git: Ayşe Demir <5550123+ayse-old@users.noreply.github.com>",
                          "git: Ayşe Demir <ayse@acme.io>", "github: ademir (Ayşe Demir)",
                          "jira: Ayşe Demir <ayse@acme.io>")


def test_configured_projects_turn_ignored_keys_into_dangling_ones(team: Store, now: datetime) -> None:
    with team.read() as db:
        checks = _by_name(hygiene.ask(db, now=now, config=replace(C, project_keys=("FOO",)), examples=1))
    assert (checks["ignored_keys"].count, checks["ignored_keys"].denominator) == (0, 4)
    # FOO-7 and PROJ-1300 now dangle (4 keys, all of known projects); one commit each: key order
    assert (checks["dangling_keys"].count, checks["dangling_keys"].denominator) == (2, 4)
    assert checks["dangling_keys"].examples == ("FOO-7 (1 commit)",)


def test_keys_on_merges_and_bots_change_nothing(team: Store, now: datetime) -> None:
    """People's linked commits are counted as all linked commits minus the linked merges and bot
    commits: keys on those, of a known project or not, change neither the count nor the examples."""
    # commit 12, not 10: h(10) is h(1)'s hash
    bump = teamdata.commit(9, teamdata.BOT_GIT, 0.5, "Bump lock for PROJ-1247", (), issues=(teamdata.KEY,))
    merge = teamdata.commit(12, teamdata.MEHMET_GIT, 0.4, "Merge FOO-8", (), parents=(teamdata.h(8), teamdata.h(9)),
                            issues=(Ref("FOO-8", "key FOO-8 in commit message"),))
    with team.write() as db:
        write_commits(db, [bump, merge])
        derive.refresh(db, C)
    # FOO unknown: only PROJ keys count; FOO configured: every project commits name is known
    for config in (C, replace(C, project_keys=("FOO",))):
        with team.read() as db:
            commits = _by_name(hygiene.ask(db, now=now, config=config))["commits_without_issue"]
        assert (commits.count, commits.denominator) == (3, 6)
        assert commits.examples == (
            "c600000 Rename lock module", "c300000 Add lock around refresh", "c100000 Initial auth module")


def test_without_known_projects_every_key_counts(store: Store, now: datetime) -> None:
    with store.write() as db:
        write_commits(db, teamdata.commits())
    with store.read() as db:
        checks = _by_name(hygiene.ask(db, now=now, config=C))
    # no developers resolved: the bot is not known as one, so c5 counts too (7 non-merge commits);
    # c2, c7 and c8 name keys
    assert (checks["commits_without_issue"].count, checks["commits_without_issue"].denominator) == (4, 7)
    for name in ("ignored_keys", "dangling_keys"):
        assert (checks[name].count, checks[name].denominator, checks[name].coverage) == (0, 0, None)
        assert "cannot tell" in checks[name].note
    assert checks["identities_unresolved"].count == checks["identities_unresolved"].denominator == 4


def test_when_commits_name_no_known_project_no_commit_is_linked(store: Store, now: datetime) -> None:
    with store.write() as db:
        write_commits(db, teamdata.commits())
    with store.read() as db:
        checks = _by_name(hygiene.ask(db, now=now, config=replace(C, project_keys=("NOPE",))))
    # commits name PROJ and FOO keys only, neither known: all 7 non-merge commits lack a key (the
    # bot is not known as one without resolution), and all 4 keys are ignored
    assert (checks["commits_without_issue"].count, checks["commits_without_issue"].denominator) == (7, 7)
    assert checks["commits_without_issue"].examples[:2] == (
        "c800000 Add billing stub PROJ-1250", "c700000 Tune locking timeout PROJ-1300 and FOO-7")
    assert (checks["ignored_keys"].count, checks["ignored_keys"].denominator) == (4, 4)
    assert (checks["dangling_keys"].count, checks["dangling_keys"].denominator) == (0, 0)


def test_check_arithmetic_and_stable_examples() -> None:
    bad = [((2, "b"), "second"), ((1, "z"), "first"), ((2, "a"), "also second")]
    c = check("files_without_component", "things", bad, 9, "items", examples=2)
    # 3/9 = 33.33..% -> 33.3; 6/9 = 66.66..% -> 66.7
    assert (c.count, c.percent, c.coverage, c.examples) == (3, 33.3, 66.7, ("first", "also second"))
    empty = check("files_without_component", "things", [], 0, "items", examples=2)
    assert (empty.percent, empty.coverage) == (None, None)


def test_identity_suggestions_are_folded_names_across_people() -> None:
    def ident(key: str, person: str, name: str, bot: int = 0, source: str = "git") -> IdentityRow:
        return IdentityRow(key=key, source=source, email=f"{key}@x.io", name=name, login="",
                           display_name="", developer_key=person, person_key=person, developer_name=name,
                           bot=bot)
    rows = [ident("a", "p1", "José Ruiz"), ident("b", "p2", "jose  ruiz"), ident("c", "p1", "José Ruiz"),
            ident("d", "p3", "Al"), ident("e", "p4", "Al"),
            ident("f", "p5", "ci-bot", 1), ident("g", "p6", "ci-bot", 1)]
    [s] = suggest_identities(rows)  # 'al' is too short to mean anything; bots are not people
    # people by (name, key): 'José Ruiz' < 'jose  ruiz' ('J' sorts before 'j')
    assert (s.name, [p.key for p in s.people]) == ("jose ruiz", ["p1", "p2"])
    assert fold("Ayşe  DEMİR-Kaya") == "ayse demir kaya"
