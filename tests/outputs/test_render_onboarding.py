"""Text rendering of onboarding answers."""

from __future__ import annotations

from datetime import datetime

from teammemory.agents import onboarding
from teammemory.model import Issue
from teammemory.outputs.render_onboarding import render_onboarding
from teammemory.store import Store
from teammemory.store.write import write_issue
from tests.agents import teamdata
from tests.outputs.test_render_context import text


def test_onboarding_text_says_how_each_list_is_ranked(sqlite_store: Store, now: datetime) -> None:
    with teamdata.build(sqlite_store).read() as db:
        answer = onboarding.ask(db, "auth", now=now, config=teamdata.CONFIG)
    out = text(render_onboarding(answer), width=220)
    lines = out.splitlines()
    assert lines[0] == "Onboarding: auth"
    assert lines[1] == ("Issues to read first (score = linked_commits*3 + linked_prs*3 + comments*1 + links*2"
                        " + bug*5; ties: later update, then key)")
    assert lines[2].split() == ["1.", "PROJ-1247", "Token", "refresh", "race", "condition", "(Bug,", "In",
                                "Progress)", "score", "17"]
    assert lines[3].split() == ["commits", "1,", "PRs", "1,", "comments", "2,", "links", "2,", "bug", "1"]
    files = lines.index("Central files (distinct people who changed it, then commits, then lines changed,"
                        " then path)")
    assert lines[files + 1].split() == ["1.", "src/auth/token_service.py"]
    assert lines[files + 2] == "    2 people, 3 commits, 68 lines changed, last 2026-05-23"
    assert "src/auth/lock.py" not in out  # renamed away by c6: not a file of the component now


def test_empty_lists_say_so(sqlite_store: Store, now: datetime) -> None:
    with teamdata.build(sqlite_store).write() as db:
        write_issue(db, Issue("PROJ-1400", "Payments roadmap", components=("payments",)))
    with sqlite_store.read() as db:
        answer = onboarding.ask(db, "payments", now=now, config=teamdata.CONFIG)
    out = text(render_onboarding(answer), width=220)
    lines = out.splitlines()
    assert lines[2].split() == ["1.", "PROJ-1400", "Payments", "roadmap", "score", "0"]
    assert lines[3].split() == ["commits", "0,", "PRs", "0,", "comments", "0,", "links", "0,", "bug", "0"]
    assert lines.count("  (none found)") == 3  # PRs, files, people
