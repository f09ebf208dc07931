"""Where a review comment sits (issue #13): GitHub's line fields read from recorded responses
(github3.py's PR 235, PyGithub's replies, perceval's comments without line fields), and the line a
diff hunk ends at for data from before GitHub had those fields (sources/diff_hunk.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from teammemory.errors import InputError
from teammemory.model import ReviewComment
from teammemory.sources import diff_hunk
from teammemory.sources.github_parse import Doc, read_document
from tests.sources.test_github_parse import OPTS, REPO


def comments(data: Any, api_path: str) -> list[ReviewComment]:
    return [c for p in read_document(Doc(data, "x.json", api_path), OPTS).parts for c in p.pr.review_comments]


def test_github3py_pr_235_comments_keep_their_lines_commits_and_hunk() -> None:
    got = comments(json.loads((REPO / "pulls" / "235" / "comments.json").read_text()), "repos/o/r/pulls/235/comments")
    assert [(c.comment_id, c.line, c.start_line, c.original_line, c.original_start_line, c.side) for c in got] == [
        ("12246783", None, None, 109, None, "RIGHT"),  # outdated: no line at the head any more
        ("12246836", 18, None, 18, None, "RIGHT"),
        ("12254558", None, None, 109, None, "RIGHT")]
    first = got[0]
    assert (first.commit_id, first.original_commit_id) == ("560c19155ac83eb38713db56c56c7aeaa122c528",
                                                           "47cba939175db6f450e46c25279d3b83c88df94b")
    assert first.diff_hunk.startswith("@@ -104,7 +106,9 @@") and first.in_reply_to_id == ""
    # the hunk GitHub sends ends at the commented line: it agrees with original_line
    assert diff_hunk.last_line(first.diff_hunk) == (109, "RIGHT")


def test_a_reply_names_its_thread(realdata: Path) -> None:
    path = realdata / "github" / "pygithub" / "extracted" / (
        "PullRequest1375.testCreateReviewCommentReply__0__POST_repos_rsn491_PyGithub_pulls_1_comments_373866377"
        "_replies.json")
    (reply,) = comments(json.loads(path.read_text()), "repos/rsn491/PyGithub/pulls/1/comments")
    assert (reply.comment_id, reply.in_reply_to_id) == ("376773699", "373866377")
    # no line fields in this recording: the line is where its hunk ends (@@ -402,6 +402,24 @@, 10 lines on)
    assert (reply.line, reply.original_line, reply.side) == (None, 411, "RIGHT")


def test_comments_without_line_fields_take_the_line_their_hunk_ends_at(realdata: Path) -> None:
    data = json.loads((realdata / "github" / "perceval" / "github_request_pull_request_1_comments.json").read_text())
    got = comments(data, "repos/zhquan_example/repo/pulls/1/comments")
    assert [(c.comment_id, c.line, c.original_line, c.side) for c in got] == [
        ("1", None, 27, "RIGHT"), ("2", None, 46, "RIGHT")]


def test_diff_hunk_last_line_counts_each_side() -> None:
    hunk = "@@ -10,4 +20,5 @@ def f():\n context\n+added\n-removed\n+added again\n\\ No newline at end of file"
    assert diff_hunk.last_line(hunk) == (22, "RIGHT")  # context 20, added 21, removed (old 11), added 22
    assert diff_hunk.last_line("@@ -10,4 +20,5 @@\n context\n-removed") == (11, "LEFT")
    assert diff_hunk.last_line("@@ -1 +1 @@\n+x") == (1, "RIGHT")
    assert diff_hunk.last_line("") is None and diff_hunk.last_line("no header\n+x") is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("line", "twelve", r"line': expected a whole number or null, got text \('twelve'\)"),
    ("start_line", 1.5, r"start_line': expected a whole number or null, got a number with a fraction"),
    ("side", 3, r"side': expected text or null, got a number \(3\)"),
    ("in_reply_to_id", [1], r"in_reply_to_id': expected text or a number, got a list"),
])
def test_mistyped_line_fields_are_refused_by_name(field: str, value: Any, message: str) -> None:
    raw = {"id": 5, "path": "a.py", "diff_hunk": "@@ -1 +1 @@\n+x", "body": "x", "user": {"login": "ann"},
           "created_at": "2024-01-01T00:00:00Z",
           "pull_request_url": "https://api.github.com/repos/o/r/pulls/7", field: value}
    with pytest.raises(InputError, match=r"^x\.json: PR #7: field 'comment 5\." + message):
        comments([raw], "repos/o/r/pulls/7/comments")
