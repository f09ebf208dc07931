"""`why PATH[:LINE[-LINE]]` on a real repository and on both stores (tests/agents/why_world.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from teammemory.agents import why_line
from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.outputs.render_why import render_why
from teammemory.sources.blame import blame
from teammemory.store import Store
from tests.agents.why_world import NEW, OLD, UTIL, build
from tests.conftest import NOW


def ask(store: Store, spec: str, **kw: object) -> why_line.WhyLine:
    with store.read() as db:
        return why_line.ask(db, spec, now=kw.pop("now", NOW), config=Config(), blame=blame, **kw)  # type: ignore[arg-type]


def test_each_line_leads_to_its_commit_pr_review_and_issue(store: Store, tmp_path: Path) -> None:
    _, h = build(store, tmp_path)
    got = ask(store, f"{NEW}:1-5")
    assert (got.repo, got.rev, got.first, got.last, got.total) == ("app", h[6], 1, 5, 5)
    assert got.ignored_revs == (h[5],)
    assert [(c.hash, c.lines, c.paths) for c in got.commits] == [(h[0], "1, 3-5", (OLD, UTIL)), (h[1], "2", (OLD,))]
    fix = got.commits[1]
    assert fix.subject == "PROJ-7 fix overflow in the parser" and fix.author and fix.author.name == "Ben Okafor"
    assert fix.is_bug_fix and [i.key for i in fix.issues] == ["PROJ-7"] and fix.issues[0].status == "Done"
    (pr,) = fix.prs
    assert (pr.pr.number, pr.pr.title, pr.pr.found_by) == (7, "Fix parser overflow", ("PR #7 lists commit",))
    assert [i.key for i in pr.issues] == ["PROJ-7"]
    assert [(r.state, r.date) for r in pr.reviews] == [("APPROVED", "2026-03-04")]
    # only the comments on the file under its name then (src/parse.py), and none written after now
    assert [(c.comment_id, c.path) for c in pr.comments] == [("c1", OLD)]
    assert got.commits[0].prs == () and got.commits[0].issues == ()


def test_as_of_an_earlier_moment_blames_the_history_then(store: Store, tmp_path: Path) -> None:
    _, h = build(store, tmp_path)
    got = ask(store, f"{OLD}:2", now=NOW.replace(month=3, day=1))  # T(92): before c1
    assert got.rev == h[0] and [(c.hash, c.lines) for c in got.commits] == [(h[0], "2")]
    assert got.lines[0].text == "y = 2"


def test_the_clone_comes_from_the_store_or_from_git_dir(store: Store, tmp_path: Path) -> None:
    path, h = build(store, tmp_path)
    assert ask(store, NEW).git_dir == str(path)
    moved = tmp_path / "moved"
    path.rename(moved)
    with pytest.raises(InputError, match=r"^--git-dir: repository app was ingested from .*: give the clone"):
        ask(store, NEW)
    assert ask(store, NEW, git_dir=str(moved)).rev == h[6]
    with pytest.raises(InputError, match=r"^--repo: no repository 'nope' in the store \(it has app\)"):
        ask(store, NEW, repo="nope")


@pytest.mark.parametrize(("spec", "message"), [
    (f"{NEW}:0", "lines must be"), (f"{NEW}:3-2", "lines must be"), (":3", "no file before"),
    (f"{NEW}:6", r"lines 6-6 are past the end of src/parser.py \(5 lines"), ("src/gone.py:1", "no such file"),
])
def test_bad_specs_name_the_path_argument(sqlite_store: Store, tmp_path: Path, spec: str, message: str) -> None:
    build(sqlite_store, tmp_path)
    with pytest.raises(InputError, match=rf"^PATH: .*{message}"):
        ask(sqlite_store, spec)


def test_spec_parsing_and_line_runs() -> None:
    assert why_line.parse_spec("./src/a.py:12-14") == why_line.LineSpec("src/a.py", (12, 14))
    assert why_line.parse_spec("src/a.py:7") == why_line.LineSpec("src/a.py", (7, 7))
    assert why_line.parse_spec("src/a.py") == why_line.LineSpec("src/a.py", None)
    assert why_line.runs([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8" and why_line.runs([]) == ""


def test_text_names_each_commit_its_pr_and_the_discussion(sqlite_store: Store, tmp_path: Path) -> None:
    _, h = build(sqlite_store, tmp_path)
    console = Console(file=io.StringIO(), width=140, color_system=None, _environ={})
    console.print(render_why(ask(sqlite_store, f"{NEW}:2")))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert f"Why {NEW}:2 in app\nline 2 of 5, blamed at {h[6][:7]} as of {NOW:%Y-%m-%d}" in text
    assert "1 revision of .git-blame-ignore-revs skipped" in text
    assert f" 1. {h[1][:7]} 2026-03-03 Ben Okafor: line 2 (as {OLD})\n" \
           "    PROJ-7 fix overflow in the parser [bug fix]" in text
    assert "    PR #7 Fix parser overflow (merged" in text
    assert "issue PROJ-7 Parser overflows on long input [Done]" in text
    assert "comment ana 2026-03-03 on src/parse.py: 20 is enough for the widest input?" in text
