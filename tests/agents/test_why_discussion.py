"""`why`'s review discussion on the asked lines (agents/why_discussion.py): the rule on literal
rows, then through the store on both backends with the real history of tests/agents/why_world.py.

In that history PR #7 is commit c1, which changed line 2 of src/parse.py (`y = 2` -> `y = 20`);
blaming src/parser.py:2 today leads to c1 with git blame's original line 2 in src/parse.py."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from teammemory.agents import why_line
from teammemory.agents.why_discussion import CommentRow, place, ranges
from teammemory.config import Config
from teammemory.model import PullRequest
from teammemory.model import ReviewComment as Comment
from teammemory.outputs.render_why import render_why
from teammemory.sources.blame import blame
from teammemory.store import Store
from teammemory.store.write import write_pull_request
from tests.agents.why_world import ANA_GH, BEN_GH, CY_GH, NEW, OLD, T, build
from tests.conftest import NOW


def row(cid: str, at: int, *, line: int | None = None, start: int | None = None, original: int | None = None,
        original_start: int | None = None, side: str | None = "RIGHT", reply: str | None = None,
        path: str = "a.py") -> CommentRow:
    return CommentRow(cid, path, f"body {cid}", at, "", line, start, original, original_start, side, reply,
                      None, None)


def test_ranges_are_the_head_and_the_original_range_on_the_prs_side() -> None:
    assert ranges(row("a", 1, line=12, start=10, original=8, original_start=6)) == [(10, 12), (6, 8)]
    assert ranges(row("b", 1, line=5)) == [(5, 5)]  # one line: no start
    assert ranges(row("c", 1, original=7)) == [(7, 7)]  # outdated: only where it was written
    assert ranges(row("d", 1, line=5, side="LEFT")) == []  # on a line the PR deleted
    assert ranges(row("e", 1)) == []  # no line fields (an older store)


def test_threads_on_the_lines_come_first_then_the_rest_counted() -> None:
    rows = [
        row("r1", 10, line=4),                         # rest: line 4 is not blamed to the commit
        row("t1", 20, line=12, start=10),              # on the lines: 10-12 overlaps 11
        row("t1a", 25, line=40, reply="t1"),           # a reply: stays with t1 whatever its lines
        row("r2", 5),                                  # rest: no lines known
        row("t2", 30, original=11),                    # on the lines where it was written (outdated)
        row("r3", 1, line=11, side="LEFT"),            # rest: the deleted side
        row("r4", 2, line=11, path="b.py"),            # rest: another file's line 11
    ]
    got = place(rows, {"a.py": {11, 13}})
    assert [(c.comment_id, c.on_lines, c.reply_to) for c in got.comments] == [
        ("t1", True, ""), ("t1a", True, "t1"), ("t2", True, ""),
        ("r3", False, ""), ("r4", False, ""), ("r2", False, ""), ("r1", False, "")]
    assert (got.on_lines, got.elsewhere) == (3, 4)
    assert [(c.lines, c.outdated) for c in got.comments[:3]] == [("10-12", False), ("40", False), ("11", True)]
    assert got.comments[5].lines == ""


def test_a_reply_to_a_comment_not_fetched_starts_its_own_thread() -> None:
    got = place([row("x", 1, line=11, reply="gone")], {"a.py": {11}})
    assert [(c.comment_id, c.on_lines, c.reply_to) for c in got.comments] == [("x", True, "")]


def add_line_comments(store: Store, hashes: dict[int, str]) -> None:
    """Review comments on PR #7 with GitHub's line fields, next to why_world's c1-c3 (no lines)."""
    at = T(90)
    pr = PullRequest("acme/app", 7, "", review_comments=(
        Comment("L1", ANA_GH, OLD, "why 20?", at + 10, line=2, side="RIGHT", commit_id=hashes[1]),
        Comment("L2", BEN_GH, OLD, "the widest input needs it", at + 20, line=2, side="RIGHT",
                commit_id=hashes[1], in_reply_to_id="L1"),
        Comment("L3", CY_GH, OLD, "and z?", at + 5, line=3, side="RIGHT", commit_id=hashes[1]),
        Comment("L4", CY_GH, OLD, "were lines 1-2 like this before?", at + 30, original_start_line=1,
                original_line=2, side="RIGHT", original_commit_id=hashes[1]),
        Comment("L5", ANA_GH, OLD, "the old value", at + 40, line=2, side="LEFT", commit_id=hashes[1])))
    with store.write() as db:
        write_pull_request(db, pr, with_row=False)


def test_why_shows_the_discussion_on_the_blamed_lines_first(store: Store, tmp_path: Path) -> None:
    _, h = build(store, tmp_path)
    add_line_comments(store, h)
    with store.read() as db:
        got = why_line.ask(db, f"{NEW}:2", now=NOW, config=Config(), blame=blame)
    (commit,) = got.commits
    assert commit.hash == h[1] and commit.paths == (OLD,)
    (pr,) = commit.prs
    # on line 2: L1 with its reply L2, then L4 (1-2 where written); the rest by time: c1 (T(90), no
    # lines), L3 (line 3: not blamed to c1), L5 (the deleted side); README's c2 and the later c3 never
    assert [(c.comment_id, c.on_lines) for c in pr.comments] == [
        ("L1", True), ("L2", True), ("L4", True), ("c1", False), ("L3", False), ("L5", False)]
    assert (pr.on_lines, pr.elsewhere) == (3, 3)
    console = Console(file=io.StringIO(), width=140, color_system=None, _environ={})
    console.print(render_why(got))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "      on these lines: 3 review comments\n" \
           f"        comment ana 2026-03-03 on {OLD} line 2: why 20?\n" \
           f"          reply ben 2026-03-03 on {OLD} line 2: the widest input needs it\n" \
           f"        comment cy 2026-03-03 on {OLD} lines 1-2 (outdated): were lines 1-2 like this before?\n" \
           "      rest of the discussion on the file: 3 review comments\n" \
           f"        comment ana 2026-03-03 on {OLD}: 20 is enough for the widest input?\n" in text


def test_an_older_store_without_lines_still_answers_with_the_files_discussion(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path)  # why_world's comments carry no line fields, as rows from before 0018
    with store.read() as db:
        got = why_line.ask(db, f"{NEW}:2", now=NOW, config=Config(), blame=blame)
    (pr,) = got.commits[0].prs
    assert [(c.comment_id, c.on_lines) for c in pr.comments] == [("c1", False)]
    assert (pr.on_lines, pr.elsewhere) == (0, 1)


def test_the_dashboards_why_page_shows_the_lines_discussion_first(sqlite_store: Store, tmp_path: Path) -> None:
    import httpx

    from teammemory.api import create_app
    from tests.api.server import running

    _, h = build(sqlite_store, tmp_path)
    add_line_comments(sqlite_store, h)
    app = create_app(str(tmp_path / "tm.db"), Config(), token="", mcp=False)
    with running(app) as base:
        page = httpx.get(base + "/ui/why", params={"path": NEW, "lines": "2", "now": NOW.isoformat()})
    assert page.status_code == 200
    html = page.text
    order = [html.index(text) for text in ("on these lines", "why 20?", "the widest input needs it",
                                           "were lines 1-2 like this before?",
                                           "the rest of the discussion on the file", "and z?", "the old value")]
    assert order == sorted(order)
    assert html.count("on these lines") == 1 and html.count("the rest of the discussion on the file") == 1
    assert 'class="reply"' in html and "lines 1-2 (outdated)" in html
