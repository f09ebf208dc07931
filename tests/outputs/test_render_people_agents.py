"""Text renderers of the expertise, risk and review-routing answers, on the people_world store."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime

from rich.console import Console, RenderableType

from teammemory.agents import expertise, review_routing, risk
from teammemory.config import Config
from teammemory.outputs.render_expertise import number, render_expertise
from teammemory.outputs.render_review import render_review_suggestion
from teammemory.outputs.render_risk import render_risk
from teammemory.store import Store
from tests.agents import people_world as w

# the article's formula: these literal scores are worked out from it (people_world.py)
ARTICLE = replace(Config(), expertise=replace(Config().expertise, scoring="article"))

def text(renderable: RenderableType) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None, _environ={})
    console.print(renderable)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in out.splitlines())


def test_number_drops_trailing_zeros() -> None:
    assert (number(153.3), number(238.0), number(58.33), number(0.5)) == ("153.3", "238", "58.33", "0.5")


def test_render_expertise(sqlite_store: Store, now: datetime) -> None:
    with w.build(sqlite_store).read() as db:
        out = text(render_expertise(expertise.ask_file(db, w.SERVICE, now=now, config=ARTICLE)))
    lines = out.splitlines()
    assert lines[0] == "Experts for src/auth/token_service.py"
    assert lines[1] == " 1. Ben Okafor  score 58.33"
    assert lines[2].startswith("    commits: 2, reviews: 2, comments: 1, churn: 11")
    assert lines[3].startswith("    authored: 07ccccc token service tidy · ")  # what each item is
    assert lines[4:6] == ["    reviewed (trailer): 03ccccc fix token expiry PROJ-2",
                          "    reviewed: #7 Fix token expiry"]
    assert " 4. Cy P.       score 21.11" in out
    assert lines[-2:] == ["Earlier names followed: src/auth/token.py", "Bots not counted: dependabot"]


def test_render_expertise_says_who_the_inactive_cut_left_out(sqlite_store: Store, now: datetime) -> None:
    late = replace(Config(), expertise=replace(Config().expertise, inactive_days=1.0))  # everyone is inactive
    with w.build(sqlite_store).read() as db:
        everyone = expertise.ask_file(db, w.SERVICE, now=now, config=Config())
        out = text(render_expertise(expertise.ask_file(db, w.SERVICE, now=now, config=late)))
    names = [e.person.name for e in everyone.experts]
    assert len(names) > 3
    assert "No one active: everyone with commits, reviews or comments here is left out as inactive." in out
    note = " ".join(out.split())  # wrapped at 100 columns
    assert (f"Left out as inactive (no activity anywhere for over 1 day): {', '.join(names[:3])} and "
            f"{len(names) - 3} more; --include-inactive counts them.") in note


def test_render_expertise_component_header(sqlite_store: Store, now: datetime) -> None:
    with w.build(sqlite_store).read() as db:
        out = text(render_expertise(expertise.ask_component(db, "auth", now=now, config=Config())))
    assert out.splitlines()[0] == "Experts for component auth (3 files)"


def test_render_risk_file_and_component(sqlite_store: Store, now: datetime) -> None:
    with w.build(sqlite_store).read() as db:
        one = text(render_risk(risk.ask_file(db, w.SERVICE, now=now, config=Config())))
        comp = text(render_risk(risk.ask_component(db, "auth", now=now, config=Config())))
        top = text(render_risk(risk.ask_top(db, now=now, config=Config())))
    assert one.splitlines()[:2] == [
        "Risk of src/auth/token_service.py over the last 90 days (2026-03-03 to 2026-06-01)",
        "risk 238 = churn 43 + bug fixes 100 + contributors 75 + commits 20"]
    assert one.splitlines()[2].startswith("changed 4 times in the last 90 days; 1 of those changes")
    assert "Riskiest files:" in comp and " 1. src/auth/token_service.py  risk 238" in comp
    assert top.splitlines()[0].startswith("Riskiest files over the last 90 days")
    assert re.search(r"^ \d\. src/auth/token\.py  risk 33$", top, re.M)  # its rank is the agent's


def test_render_review_suggestion(sqlite_store: Store, now: datetime) -> None:
    with w.build(sqlite_store).read() as db:
        out = text(render_review_suggestion(review_routing.ask(db, 8, now=now, config=ARTICLE)))
    lines = out.splitlines()
    assert lines[0] == "Reviewers for PR #8 Tidy token service (org/app), author Ben Okafor"
    assert lines[1] == " 1. Cy Park   score 59.63  knows 2 of 2 files"
    assert " 2. Ana Lima  score 45.39  knows 1 of 2 files   [review requested]" in lines
    assert "2 commits on src/auth/token_service.py; last active 2026-05-22 (45.39)" in out
    assert lines[-2:] == ["Already requested: Ana Lima", "Bots not suggested: dependabot"]
