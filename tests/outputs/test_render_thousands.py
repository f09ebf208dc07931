"""Counts of a thousand or more read with a thousands comma in every text answer (as the tables
and the churn of risk answers already did): BookKeeper's central file showed '10518 lines changed'
beside '1,470 files'."""

from __future__ import annotations

from datetime import datetime

from teammemory import derive
from teammemory.agents import context, expertise, onboarding
from teammemory.model import FileChange
from teammemory.outputs.render_context import render_file_context
from teammemory.outputs.render_expertise import render_expertise
from teammemory.outputs.render_onboarding import render_onboarding
from teammemory.store import Store
from teammemory.store.write import write_commits
from tests.agents import teamdata
from tests.outputs.test_render_context import text

PATH = "src/auth/token_service.py"


def test_large_counts_of_lines_have_a_thousands_comma(sqlite_store: Store, now: datetime) -> None:
    teamdata.build(sqlite_store)
    with sqlite_store.write() as db:  # c9: Mehmet rewrites the file, 1,200 lines in and 34 out
        write_commits(db, [teamdata.commit(9, teamdata.MEHMET_GIT, 0.5, "Rewrite token service",
                                           (FileChange(PATH, 1200, 34),), parents=(teamdata.h(8),))])
        derive.refresh(db, teamdata.CONFIG)
    with sqlite_store.read() as db:
        ctx = text(render_file_context(context.ask_file(db, PATH, now=now, config=teamdata.CONFIG)), width=200)
        experts = text(render_expertise(expertise.ask_file(db, PATH, now=now, config=teamdata.CONFIG)), width=200)
        onboard = text(render_onboarding(onboarding.ask(db, "auth", now=now, config=teamdata.CONFIG)), width=200)
    # token_service.py: c1 Ayşe +50, c2 Mehmet +10 -2, c3 Ayşe +5 -1 with Mehmet as co-author, c9 Mehmet
    # +1,200 -34. Mehmet: c2 + c3 + c9 = 12 + 6 + 1,234 = 1,252 lines in 3 commits; the file: 1,302 in 4.
    assert "- Mehmet Turac: 3 commits, 1,252 lines, last 2026-06-01" in ctx.splitlines()
    assert "    commits: 3, reviews: 0, comments: 0, churn: 1,252, last activity: 2026-06-01" in experts.splitlines()
    assert "    2 people, 4 commits, 1,302 lines changed, last 2026-06-01" in onboard.splitlines()
