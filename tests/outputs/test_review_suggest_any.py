"""review-suggest for any change (issue #10): a commit, a range, a branch, files, a diff on stdin,
and PRs known only from their merge or squash commit, on a git-only store built from a real git
repository, through the CLI, on both stores. Plus issue-context's trailer reviewers.

Expected candidates come from the article's formula (`--scoring article`), with `--now` more
than 180 days after the last commit so the recency bonus is 0: per file

    score = 10 * commits + 8 * reviews + churn / 20

Every file holds one line, so a commit that adds a file has churn 1 and one that changes it churn 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.outputs.cli import app
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

T0 = 1_700_000_000
DAY = 86400
NOW = "2026-01-01T00:00:00Z"  # > 180 days after the last commit: no recency bonus
ANA, BOB, CY, EVE = "Ana <ana@x.org>", "Bob <bob@x.org>", "Cy <cy@x.org>", "Eve <eve@x.org>"
GUS, HAL, FAY = "Gus <gus@x.org>", "Hal <hal@x.org>", "Fay <fay@x.org>"
COMMITS = [
    FakeCommit(ANA, T0, "Start", {"a.py": "1\n", "b.py": "1\n"}),                               # 0
    FakeCommit(BOB, T0 + DAY, "PROJ-1 Fix a", {"a.py": "2\n"}),                                 # 1
    FakeCommit(CY, T0 + 2 * DAY, "PROJ-1 Fix b\n\nReviewers: Dee <dee@x.org>", {"b.py": "2\n"}),  # 2
    FakeCommit(EVE, T0 + 3 * DAY, "Change a", {"a.py": "3\n"}, branch="feature", from_=2),      # 3
    FakeCommit(EVE, T0 + 4 * DAY, "Add c", {"c.py": "1\n"}, branch="feature"),                  # 4
    FakeCommit(FAY, T0 + 5 * DAY, "Merge pull request #7 from eve/feature\n\nFeature c", merge=4, from_=2),  # 5
    FakeCommit(GUS, T0 + 6 * DAY, "Tidy b (#9)", {"b.py": "3\n"}),                               # 6
    FakeCommit(HAL, T0 + 7 * DAY, "Topic b", {"b.py": "4\n"}, branch="topic", from_=6),         # 7
]


def tm(url: str, *args: str, stdin: bytes | str | None = None) -> Any:
    return CliRunner().invoke(app, ["--db", url, *args], input=stdin, catch_exceptions=False)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(store URL, clone) with the clone's main branch ingested by `teammemory ingest git`."""
    where = tmp_path_factory.mktemp("any")
    clone = build_repo(where / "repo", COMMITS)
    url = str(where / "tm.db") if request.param == "sqlite" else request.getfixturevalue("pg_cluster").create_database()
    done = tm(url, "ingest", "git", str(clone))
    assert done.exit_code == 0, done.output
    yield url, clone


def suggest(world: tuple[str, Path], *args: str, stdin: bytes | str | None = None) -> dict[str, Any]:
    done = tm(world[0], "review-suggest", *args, "--now", NOW, "--scoring", "article", "--json", stdin=stdin)
    assert done.exit_code == 0, done.output
    return json.loads(done.output)["result"]


def ranked(result: dict[str, Any]) -> list[tuple[str, float]]:
    return [(c["person"]["name"], c["score"]["total"]) for c in result["candidates"]]


def test_a_commit_resolved_in_the_clone(world: tuple[str, Path]) -> None:
    sha = rev(world[1], "main~3")  # commit 1 (main's first parents: 6, merge 5, 2, 1, 0)
    result = suggest(world, "--commit", sha[:10])
    assert result["change"] == f"commit {sha[:7]}" and result["files"] == ["a.py"]
    assert result["author"]["name"] == "Bob"
    # a.py: Eve 10*1 + 2/20 = 10.1 (commit 3), Ana 10*1 + 1/20 = 10.05 (commit 0); Bob wrote it
    assert ranked(result) == [("Eve", 10.1), ("Ana", 10.05)]


def test_a_range_and_a_branch(world: tuple[str, Path]) -> None:
    r = suggest(world, "--range", f"{rev(world[1], 'main~4')}..{rev(world[1], 'main~2')}")  # commits 1, 2
    assert r["change"].startswith("range ") and "(2 commits)" in r["change"]
    assert r["files"] == ["a.py", "b.py"] and r["author"]["name"] in ("Bob", "Cy")
    assert {p["name"] for p in [r["author"], *r["contributors"]]} == {"Bob", "Cy"}
    # a.py: Eve 10.1, Ana 10.05; b.py: Gus 10.1 (commit 6), Ana 10.05, and Dee's trailer review of
    # commit 2 is that commit's own activity: left out. Ana knows both: 20.1
    assert ranked(r) == [("Ana", 20.1), ("Gus", 10.1), ("Eve", 10.1)]
    b = suggest(world, "--branch", "topic")  # commit 7 only: not on main
    assert b["change"] == "branch topic (1 commit not on main)" and b["files"] == ["b.py"]
    assert b["author"]["key"] == "hal@x.org"  # not in the store (topic is not ingested): their git email
    # b.py: Gus 10.1 (day 6), Cy 10.1 (day 2): tie broken by later activity; Ana 10.05
    assert ranked(b) == [("Gus", 10.1), ("Cy", 10.1), ("Ana", 10.05)]


def test_pr_known_only_from_its_merge_or_squash_commit(world: tuple[str, Path]) -> None:
    merged = suggest(world, "7")  # no PR row: its commits are merge^1..merge^2 = commits 3, 4
    assert merged["change"].startswith("PR #7 (from its merge commit") and "2 commits" in merged["change"]
    assert merged["number"] == 7 and merged["title"] == "Feature c" and merged["files"] == ["a.py", "c.py"]
    assert merged["author"]["name"] == "Eve"
    # a.py: Bob 10*1 + 2/20 = 10.1, Ana 10.05; c.py: nobody else (Eve's own commits are the PR's)
    assert ranked(merged) == [("Bob", 10.1), ("Ana", 10.05)]
    squash = suggest(world, "9")  # the squash commit is the PR's commit
    assert squash["change"].startswith("PR #9 (from its squash commit") and squash["title"] == "Tidy b"
    assert squash["files"] == ["b.py"] and squash["author"]["name"] == "Gus"
    # b.py: Cy 10.1 (commit 2, plus nothing for Dee: she reviewed, 8 + 0 churn = 8), Ana 10.05
    assert ranked(squash) == [("Cy", 10.1), ("Ana", 10.05), ("Dee", 8.0)]


def test_files_with_and_without_an_author(world: tuple[str, Path]) -> None:
    given = suggest(world, "--files", "a.py", "c.py", "--author", "eve@x.org")
    assert given["change"] == "2 files" and given["author"]["name"] == "Eve" and given["notes"] == []
    assert ranked(given) == [("Bob", 10.1), ("Ana", 10.05)]
    unknown = suggest(world, "--files", "a.py", "c.py")
    assert unknown["author"] is None and "No author was known" in unknown["notes"][0]
    # Eve: a.py 10.1 + c.py 10*1 + 1/20 = 10.05 -> 20.15
    assert ranked(unknown)[0] == ("Eve", 20.15)


DIFF = """diff --git a/a.py b/a2.py
similarity index 100%
rename from a.py
rename to a2.py
diff --git a/d.py b/d.py
new file mode 100644
index 0000000..587be6b
--- /dev/null
+++ b/d.py
@@ -0,0 +1 @@
+x
diff --git a/b.py b/b.py
deleted file mode 100644
index 1..0
--- a/b.py
+++ /dev/null
@@ -1 +0,0 @@
-4
"""


def test_a_diff_on_stdin(world: tuple[str, Path]) -> None:
    result = suggest(world, "-", "--author", "hal@x.org", "--limit", "10", stdin=DIFF)
    # a2.py is new to the store: counted as a.py (its old name); d.py new; b.py deleted
    assert result["change"] == "a diff of 3 files" and result["files"] == ["a.py", "b.py", "d.py"]
    # a.py: Eve 10.1, Bob 10.1, Ana 10.05; b.py: Gus 10.1, Cy 10.1, Ana 10.05, Dee 8
    assert ranked(result) == [("Ana", 20.1), ("Gus", 10.1), ("Eve", 10.1), ("Cy", 10.1), ("Bob", 10.1), ("Dee", 8.0)]


@pytest.mark.parametrize(("args", "stdin", "where"), [
    (["-"], b"\x00\x01\x02", "stdin"),
    (["-"], b"\xff\xfe", "stdin"),
    (["-"], b"", "stdin"),
    (["-"], b"hello\n", "stdin"),
    (["7", "--commit", "abc1"], None, "--commit"),
    ([], None, "NUMBER"),
    (["--range", "main"], None, "--range"),
    (["--commit", "nosuchref"], None, "--commit"),
    (["--branch", "main"], None, "--branch"),
    (["x.py"], None, "NUMBER"),
    (["--files"], None, "--files"),
    (["--commit", "main", "--author", "a@b.c"], None, "--author"),
])
def test_bad_input_is_one_line_naming_the_argument(world: tuple[str, Path], args: list[str], stdin: bytes | None,
                                                   where: str) -> None:
    done = tm(world[0], "review-suggest", *args, stdin=stdin)
    assert done.exit_code == 2, done.output
    lines = [ln for ln in done.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {where}:"), done.output


def test_issue_context_lists_trailer_reviewers(world: tuple[str, Path]) -> None:
    done = tm(world[0], "issue-context", "PROJ-1", "--now", NOW, "--json")
    assert done.exit_code == 0, done.output
    people = {p["name"]: p["role"] for p in json.loads(done.output)["result"]["people"]}
    assert people == {"Bob": "author", "Cy": "author", "Dee": "reviewer"}
