"""POST /reviewers over a real uvicorn on 127.0.0.1: a change as files or a unified diff gets exactly
the document `review-suggest --files ... --json` / `review-suggest - --json` prints, on both stores;
bad bodies get the API's one error shape. The store is git-only (tests/outputs/test_review_suggest_any.py's
repository), so PR #7 is known only from its merge commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from teammemory.api import create_app
from tests.api.server import running
from tests.helpers.gitrepo import build_repo
from tests.outputs.test_review_suggest_any import COMMITS, DIFF, NOW, tm


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def served(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, httpx.Client]]:
    where = tmp_path_factory.mktemp("post")
    clone = build_repo(where / "repo", COMMITS)
    url = str(where / "tm.db") if request.param == "sqlite" else request.getfixturevalue("pg_cluster").create_database()
    assert tm(url, "ingest", "git", str(clone)).exit_code == 0
    with running(create_app(url, mcp=False)) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield url, client


def cli_json(url: str, *args: str, stdin: str | None = None) -> Any:
    done = tm(url, "review-suggest", *args, "--now", NOW, "--json", stdin=stdin)
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


@pytest.mark.parametrize(("body", "args", "stdin"), [
    ({"files": ["a.py", "c.py"]}, ["--files", "a.py", "c.py"], None),
    ({"files": ["a.py", "c.py"], "authors": ["eve@x.org"], "limit": 1, "scoring": "article"},
     ["--files", "a.py", "c.py", "--author", "eve@x.org", "--limit", "1", "--scoring", "article"], None),
    ({"diff": DIFF, "include_inactive": True}, ["-", "--include-inactive"], DIFF),
    ({"diff": DIFF, "repo": "repo", "authors": ["hal@x.org"]}, ["-", "--repo", "repo", "--author", "hal@x.org"], DIFF),
], ids=["files", "files-author-limit-article", "diff-inactive", "diff-repo-author"])
def test_post_reviewers_is_the_cli_json(served: tuple[str, httpx.Client], body: dict[str, Any], args: list[str],
                                        stdin: str | None) -> None:
    url, client = served
    got = client.post("/reviewers", json={**body, "now": NOW})
    assert got.status_code == 200, got.text
    assert got.json() == cli_json(url, *args, stdin=stdin)
    if "scoring" in body or body.get("include_inactive"):  # else everyone is inactive by NOW (fading default)
        assert got.json()["result"]["candidates"]


def test_get_pr_reviewers_takes_the_scoring_options(served: tuple[str, httpx.Client]) -> None:
    url, client = served
    got = client.get("/prs/7/reviewers", params={"now": NOW, "scoring": "article", "include_inactive": "true"})
    assert got.status_code == 200, got.text
    assert got.json() == cli_json(url, "7", "--scoring", "article", "--include-inactive")
    assert got.json()["result"]["files"] == ["a.py", "c.py"]  # merge^1..merge^2 from git


@pytest.mark.parametrize(("body", "argument"), [
    ({}, "files"),
    ({"files": ["a.py"], "diff": DIFF}, "diff"),
    ({"diff": "\x00\x01"}, "diff"),
    ({"diff": "   "}, "diff"),
    ({"diff": "not a diff\n"}, "diff"),
    ({"files": []}, "files"),
    ({"files": ["a.py"], "scoring": "newest"}, "scoring"),
    ({"files": ["a.py"], "limit": 0}, "limit"),
    ({"files": ["a.py"], "colour": "red"}, "colour"),
    ({"files": ["a\x00.py"]}, "--files"),
    ({"files": ["nowhere.py"]}, None),
], ids=["empty", "both", "binary", "blank", "not-a-diff", "no-files", "scoring", "limit", "unknown", "nul",
        "unknown-file"])
def test_bad_bodies_get_the_one_error_shape(served: tuple[str, httpx.Client], body: dict[str, Any],
                                            argument: str | None) -> None:
    got = served[1].post("/reviewers", json=body)
    data = got.json()
    assert got.status_code == (404 if argument is None else 422), got.text
    assert data["ok"] is False and data["status"] == got.status_code
    assert set(data["error"]) == {"code", "message", "argument", "suggestions"}
    if argument is not None:
        assert data["error"]["argument"] == argument, data


def test_the_openapi_document_describes_the_body(served: tuple[str, httpx.Client]) -> None:
    spec = served[1].get("/openapi.json").json()
    post = spec["paths"]["/reviewers"]["post"]
    assert "requestBody" in post and {"200", "404", "422"} <= set(post["responses"])
    query = {p["name"] for p in spec["paths"]["/prs/{number}/reviewers"]["get"]["parameters"]}
    assert query == {"number", "repo", "limit", "include_inactive", "scoring", "now"}


def test_a_path_on_disk_is_not_the_clients_to_choose(served: tuple[str, httpx.Client], tmp_path: Path) -> None:
    got = served[1].get("/prs/7/reviewers", params={"git_dir": str(tmp_path)})
    assert got.status_code == 422 and got.json()["error"]["argument"] == "git_dir"
