"""Text rendering of the context answers, on the team history of tests/agents/teamdata.py."""

from __future__ import annotations

import io
from datetime import datetime

from rich.console import Console, RenderableType

from teammemory.agents import context
from teammemory.outputs.render_context import render_file_context, render_issue_context, render_pr_context
from teammemory.store import Store
from tests.agents import teamdata

C = teamdata.CONFIG


def text(renderable: RenderableType, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, _environ={})
    console.print(renderable)
    return "\n".join(line.rstrip() for line in console.file.getvalue().splitlines())  # type: ignore[attr-defined]


def test_issue_context_reads_like_the_article(sqlite_store: Store, now: datetime) -> None:
    with teamdata.build(sqlite_store).read() as db:
        out = text(render_issue_context(context.ask_issue(db, "PROJ-1247", now=now, config=C)), width=200)
    assert out == """\
PROJ-1247: Token refresh race condition
Status: In Progress | Priority: High | Component: auth
Type: Bug | Reporter: Burak Kaya | Assignee: Mehmet Turac | Created: 2026-05-20
Description: When two requests refresh the token at the same time, one of them fails with 401.
Related PRs:
- #382 Fix token refresh race condition (merged)
    found by: {pr_found_by}
Commits:
- c300000 Ayşe Demir: Add lock around refresh
    2026-05-23, found by: in PR #382
- c200000 Mehmet Turac: PROJ-1247 Fix concurrent refresh token update
    2026-05-22, found by: in PR #382; key PROJ-1247 in commit message
Merged by: c400000 Merge pull request #382 from acme/PROJ-1247-fix
Changed files:
- src/auth/token_service.py (+15 -3, 2 commits)
- src/auth/lock.py (+20 -0, 1 commit)
Linked issues:
- relates to PROJ-1200: Session handling (Done)
Linked, not in the store: 1 issue (PROJ-999)
People in context:
- Mehmet Turac (author), Ayşe Demir (author), Burak Kaya (reviewer)
Status timeline:
- 2026-05-21 Open -> In Progress by Mehmet Turac""".format(
        pr_found_by="contains commit c200000 linked to PROJ-1247;"
                    " contains commit c400000 linked to PROJ-1247; key PROJ-1247 in PR branch")


def test_pr_context_text(sqlite_store: Store, now: datetime) -> None:
    with teamdata.build(sqlite_store).read() as db:
        out = text(render_pr_context(context.ask_pr(db, 382, now=now, config=C)), width=200).splitlines()
    assert out[:3] == ["#382 Fix token refresh race condition (merged)",
                       "Repository: acme/app | Author: Mehmet Turac | Branch: PROJ-1247-fix -> main",
                       "Created: 2026-05-23 | Merged: 2026-05-24"]
    reviews = out.index("Reviews:")
    assert out[reviews + 1:reviews + 7] == [
        "- Ayşe Demir: COMMENTED (2026-05-23)", "- Burak Kaya: APPROVED (2026-05-24)", "Comments:",
        "- dependabot[bot]: Coverage 91%",  # plain text: the brackets are not read as markup
        "- Burak Kaya on src/auth/token_service.py: Should this lock be re-entrant?",
        "- Ayşe Demir: LGTM once CI passes"]


def test_file_context_text(sqlite_store: Store, now: datetime) -> None:
    with teamdata.build(sqlite_store).read() as db:
        out = text(render_file_context(context.ask_file(db, "src/auth/locking.py", now=now, config=C)))
    assert out.splitlines()[:8] == [
        "src/auth/locking.py",
        "Component: auth | Commits: 3 | Repository: acme",
        "Earlier names: src/auth/lock.py",
        "Last touched: 2026-05-29 by Ayşe Demir (c700000 Tune locking timeout PROJ-1300 and FOO-7)",
        "Changed most by:",
        "- Mehmet Turac: 2 commits, 20 lines, last 2026-05-27",
        "- Ayşe Demir: 1 commit, 20 lines, last 2026-05-23",
        "- Ayşe Demir: 1 commit, 6 lines, last 2026-05-29"]
    assert "Referenced, not in the store: 2 issues (FOO-7, PROJ-1300)" in out
