"""Review comments' line fields through `ingest github` into both stores (migration 0018): the
recorded github3.py PR 235 comments keep where they sit, a rerun changes nothing, and comments
recorded before GitHub had line fields (perceval's) get the line their diff hunk ends at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from teammemory.config import Config
from teammemory.ingest.github import ingest_github_files
from teammemory.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PR = FIXTURES / "github" / "repos" / "sigmavirus24" / "github3.py" / "pulls" / "235.json"
COLUMNS = "comment_id, line, start_line, original_line, original_start_line, side, commit_id, original_commit_id"


def rows(store: Store) -> list[tuple[Any, ...]]:
    with store.read() as db:
        got = db.all(f"select {COLUMNS}, diff_hunk, in_reply_to_id from review_comments order by comment_id")
    return [tuple(r.values()) for r in got]


def test_github3py_comments_keep_their_lines_and_a_rerun_changes_nothing(store: Store) -> None:
    ingest_github_files(store, [PR, PR.parent / "235" / "comments.json"], config=Config())
    first = rows(store)
    assert [r[:8] for r in first] == [
        ("12246783", None, None, 109, None, "RIGHT", "560c19155ac83eb38713db56c56c7aeaa122c528",
         "47cba939175db6f450e46c25279d3b83c88df94b"),
        ("12246836", 18, None, 18, None, "RIGHT", "560c19155ac83eb38713db56c56c7aeaa122c528",
         "47cba939175db6f450e46c25279d3b83c88df94b"),
        ("12254558", None, None, 109, None, "RIGHT", "560c19155ac83eb38713db56c56c7aeaa122c528",
         "47cba939175db6f450e46c25279d3b83c88df94b")]
    assert all(r[8].startswith("@@ ") and r[9] is None for r in first)
    ingest_github_files(store, [PR.parent / "235" / "comments.json"], config=Config())
    assert rows(store) == first


def test_comments_from_before_line_fields_take_their_hunks_last_line(store: Store, realdata: Path) -> None:
    ingest_github_files(store, [realdata / "github" / "perceval" / "github_request_pull_request_1_comments.json"],
                        config=Config(), repo="zhquan_example/repo")
    assert [(r[0], r[1], r[3], r[5]) for r in rows(store)] == [("1", None, 27, "RIGHT"), ("2", None, 46, "RIGHT")]
