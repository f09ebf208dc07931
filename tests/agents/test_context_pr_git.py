"""pr-context for a PR known only from git (issue #10's last miss): a git-only store built from a
real git repository, through the CLI, on both stores.

The PRs, by how GitHub merged them:
- #7 `Merge pull request #7 from eve/feature` (title in the second paragraph): commits
  merge^1..merge^2 = commits 2 and 3;
- #9 a squash commit `Tidy b (#9)`: that commit alone;
- #11 a merge titled as its PR, `Tune b (#11)` (GitHub's "pull request title" merge message):
  commit 6;
- #12 `Merge pull request #12` without `from ...`: commit 8;
- #13 a commit by Apache's merge script (`This closes #13 from bob/speed`, a `Reviewers:` trailer);
and a revert whose subject names #7's merge, which is no commit of #7.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.outputs.cli import app
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

T0 = 1_700_000_000
DAY = 86400
NOW = "2026-01-01T00:00:00Z"
ANA, BOB, CY, EVE = "Ana <ana@x.org>", "Bob <bob@x.org>", "Cy <cy@x.org>", "Eve <eve@x.org>"
GUS, HAL, FAY, IVY = "Gus <gus@x.org>", "Hal <hal@x.org>", "Fay <fay@x.org>", "Ivy <ivy@x.org>"
COMMITS = [
    FakeCommit(ANA, T0, "Start", {"a.py": "1\n", "b.py": "1\n"}),                                      # 0
    FakeCommit(BOB, T0 + DAY, "PROJ-1 Fix a", {"a.py": "2\n"}),                                        # 1
    FakeCommit(EVE, T0 + 2 * DAY, "Change a for PROJ-2\n\nCo-authored-by: Cy <cy@x.org>", {"a.py": "3\n"},
               branch="feature", from_=1),                                                             # 2
    FakeCommit(EVE, T0 + 3 * DAY, "Add c\n\nReviewed-by: Dee <dee@x.org>", {"c.py": "1\n"}, branch="feature"),  # 3
    FakeCommit(FAY, T0 + 4 * DAY, "Merge pull request #7 from eve/feature\n\nFeature c\n\nWhy: c is needed.",
               merge=3, from_=1),                                                                      # 4
    FakeCommit(GUS, T0 + 5 * DAY, "Tidy b (#9)\n\nShorter lines.", {"b.py": "2\n"}),                   # 5
    FakeCommit(HAL, T0 + 6 * DAY, "Topic b", {"b.py": "3\n"}, branch="topic", from_=5),               # 6
    FakeCommit(FAY, T0 + 7 * DAY, "Tune b (#11)", merge=6, from_=5),                                   # 7
    FakeCommit(IVY, T0 + 8 * DAY, "Doc d", {"d.md": "1\n"}, branch="docs", from_=7),                  # 8
    FakeCommit(FAY, T0 + 9 * DAY, "Merge pull request #12\n\nDoc title", merge=8, from_=7),           # 9
    FakeCommit(ANA, T0 + 10 * DAY, 'Revert "Merge pull request #7 from eve/feature"', {"c.py": None}),  # 10
    FakeCommit(BOB, T0 + 11 * DAY, "Speed up b\n\nReviewers: Dee <dee@x.org>\n\nThis closes #13 from bob/speed",
               {"b.py": "5\n"}),                                                                    # 11
]
REVERT = 10  # main's first parents: 11, 10, 9, 7, 5, 4, 1, 0


def tm(url: str, *args: str) -> Any:
    return CliRunner().invoke(app, ["--db", url, *args], catch_exceptions=False)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(store URL, clone) with the clone's main branch ingested by `teammemory ingest git`."""
    where = tmp_path_factory.mktemp("prgit")
    clone = build_repo(where / "repo", COMMITS)
    url = str(where / "tm.db") if request.param == "sqlite" else request.getfixturevalue("pg_cluster").create_database()
    done = tm(url, "ingest", "git", str(clone), "--name", "o/r")
    assert done.exit_code == 0, done.output
    yield url, clone


def context(url: str, number: int, *args: str) -> dict[str, Any]:
    done = tm(url, "pr-context", str(number), "--now", NOW, "--json", *args)
    assert done.exit_code == 0, done.output
    return dict(json.loads(done.output)["result"])


def sha(clone: Path, index: int) -> str:
    """The hash of COMMITS[index], found from main by its first parents (or a merge's second)."""
    walk = {11: "main", 10: "main~1", 9: "main~2", 8: "main~2^2", 7: "main~3", 6: "main~3^2", 5: "main~4",
            4: "main~5", 3: "main~5^2", 2: "main~5^2~1", 1: "main~6", 0: "main~7"}
    return rev(clone, walk[index])


def test_a_merge_commit_gives_its_commits_files_issues_and_people(world: tuple[str, Path]) -> None:
    url, clone = world
    r = context(url, 7)
    merge = sha(clone, 4)
    assert (r["number"], r["title"], r["state"], r["body"]) == (7, "Feature c", "merged", "Why: c is needed.")
    assert r["known_from"] == f"merge commit {merge[:7]} (its commits: merge^1..merge^2)"
    assert (r["head_branch"], r["merged_at"], r["created_at"]) == ("eve/feature", "2023-11-18T22:13:20+00:00", None)
    assert [c["hash"] for c in r["commits"]] == [sha(clone, 3), sha(clone, 2)]  # newest first
    assert {f for c in r["commits"] for f in c["found_by"]} == {f"merge^1..merge^2 of {merge[:7]}"}
    assert [c["hash"] for c in r["merges"]] == [merge]
    # a.py: commit 2 turned "2" into "3" (+1 -1); c.py: commit 3 added one line (+1 -0)
    assert [(f["path"], f["added"], f["deleted"], f["commits"]) for f in r["files"]] == [
        ("a.py", 1, 1, 1), ("c.py", 1, 0, 1)]
    assert r["files_from"] == "commits" and r["reviews"] == [] and r["comments"] == []
    assert [i["key"] for i in r["issues"]] == ["PROJ-2"]  # PROJ-1 is commit 1's, on main before the PR
    assert r["author"]["name"] == "Eve"
    # authors: Eve wrote 2 commits, Cy co-wrote 1; Dee reviewed commit 3 (trailer)
    assert [(p["name"], p["role"], p["count"]) for p in r["people"]] == [
        ("Eve", "author", 2), ("Cy", "author", 1), ("Dee", "reviewer", 1)]


def test_squash_and_titled_and_bare_merges(world: tuple[str, Path]) -> None:
    url, clone = world
    squash = context(url, 9)
    assert (squash["title"], squash["body"], squash["author"]["name"]) == ("Tidy b", "Shorter lines.", "Gus")
    assert squash["known_from"] == f"squash commit {sha(clone, 5)[:7]}" and squash["merges"] == []
    assert [c["hash"] for c in squash["commits"]] == [sha(clone, 5)]
    assert [(f["path"], f["added"], f["deleted"]) for f in squash["files"]] == [("b.py", 1, 1)]
    titled = context(url, 11)
    assert (titled["title"], titled["head_branch"], titled["author"]["name"]) == ("Tune b", "", "Hal")
    assert [c["hash"] for c in titled["commits"]] == [sha(clone, 6)]
    assert titled["known_from"].startswith(f"merge commit {sha(clone, 7)[:7]}")
    bare = context(url, 12)
    assert (bare["title"], [c["hash"] for c in bare["commits"]]) == ("Doc title", [sha(clone, 8)])
    assert [f["path"] for f in bare["files"]] == ["d.md"]


def test_the_revert_naming_a_merge_is_no_commit_of_that_pr(world: tuple[str, Path]) -> None:
    url, clone = world
    assert sha(clone, REVERT) not in {c["hash"] for c in context(url, 7)["commits"]}


def test_text_and_markdown_say_known_from_git_only(world: tuple[str, Path]) -> None:
    url, clone = world
    for fmt in ("text", "markdown"):
        done = tm(url, "pr-context", "7", "--now", NOW, "--format", fmt)
        assert done.exit_code == 0, done.output
        assert f"Known from git only: merge commit {sha(clone, 4)[:7]}" in done.output
        assert "Feature c" in done.output and "Eve" in done.output


def test_as_of_before_the_merge_the_pr_is_unknown(world: tuple[str, Path]) -> None:
    url, _ = world
    before = tm(url, "pr-context", "7", "--now", "2023-11-18T00:00:00Z")  # the merge is at 22:13:20 that day
    assert before.exit_code == 2 and "not found" in before.stderr
    assert tm(url, "pr-context", "8", "--now", NOW).exit_code == 2  # no commit names #8


def test_without_the_clone_the_stores_graph_gives_the_same_answer(world: tuple[str, Path],
                                                                   tmp_path: Path) -> None:
    url, clone = world
    with_clone = {n: context(url, n) for n in (7, 11, 12)}
    moved = tmp_path / "away"
    shutil.move(clone, moved)
    try:
        assert {n: context(url, n) for n in (7, 11, 12)} == with_clone
    finally:
        shutil.move(moved, clone)


def test_review_suggest_finds_the_titled_and_bare_merges_too(world: tuple[str, Path]) -> None:
    url, _ = world
    for number, title in ((11, "Tune b"), (12, "Doc title")):
        done = tm(url, "review-suggest", str(number), "--now", NOW, "--json")
        assert done.exit_code == 0, done.output
        result = json.loads(done.output)["result"]
        assert result["change"].startswith(f"PR #{number} (from its merge commit") and result["title"] == title


def test_a_commit_of_apaches_merge_script_is_its_prs_one_commit(world: tuple[str, Path]) -> None:
    url, clone = world
    r = context(url, 13)
    assert (r["title"], r["head_branch"], r["author"]["name"]) == ("Speed up b", "bob/speed", "Bob")
    assert r["known_from"] == f"squash commit {sha(clone, 11)[:7]}"
    assert [c["hash"] for c in r["commits"]] == [sha(clone, 11)] and r["merges"] == []
    assert [(f["path"], f["added"], f["deleted"]) for f in r["files"]] == [("b.py", 1, 1)]
    assert [(p["name"], p["role"], p["count"]) for p in r["people"]] == [("Bob", "author", 1), ("Dee", "reviewer", 1)]
