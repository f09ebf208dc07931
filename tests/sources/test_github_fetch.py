"""sources.github against a local replay server: listing newest-first with a stop at `since`,
the five per-PR lists from recorded github3.py responses, GitHub Enterprise base paths, auth;
issues (PRs left out, `since` sent, comments only where there are some)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from teammemory.errors import InputError, SourceError
from teammemory.sources import github
from teammemory.sources.http import Http, RetryPolicy
from tests.helpers.replay_server import ReplayServer, serving

TOKEN = "ghp_github_fetch_token"
LIST = "state=all&sort=updated&direction=desc&per_page=100"
EXTRACTED = "github/github3py/extracted"


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with serving() as replay:
        yield replay


def http_for(base: str) -> Http:
    client = github.make_github_client(base, env={"GITHUB_TOKEN": TOKEN}, timeout=5)
    return Http(client, RetryPolicy(attempts=2, rand=lambda: 0.0), sleep=lambda s: None)


def pull(number: int, updated: str) -> dict[str, Any]:
    return {"number": number, "updated_at": updated, "title": f"PR {number}", "head": {}, "base": {}}


def recorded(realdata: Path, name: str) -> Any:
    return json.loads(next((realdata / EXTRACTED).glob(f"{name}*.json")).read_text())


def script_listing(server: ReplayServer, prefix: str = "") -> None:
    server.add("GET", f"{prefix}/repos/o/r/pulls?{LIST}",
               [pull(3, "2024-03-03T00:00:00Z"), pull(2, "2024-02-02T00:00:00Z")],
               headers={"Link": f'<{{base}}{prefix}/repositories/9/pulls?{LIST}&page=2>; rel="next"'})
    server.add("GET", f"{prefix}/repositories/9/pulls?{LIST}&page=2", [pull(1, "2024-01-01T00:00:00Z")])


def test_lists_every_pull_across_pages_without_a_cursor(server: ReplayServer) -> None:
    script_listing(server)
    got = [p["number"] for p in github.fetch_pulls(http_for(server.url), "o/r")]
    assert got == [3, 2, 1]
    query = {"state": "all", "sort": "updated", "direction": "desc", "per_page": "100"}
    assert server.requests[0].query == query


def test_stops_at_the_first_pull_older_than_since(server: ReplayServer) -> None:
    script_listing(server)
    since = 1_707_955_200  # 2024-02-15T00:00:00Z: PR 3 is newer, PR 2 older
    assert [p["number"] for p in github.fetch_pulls(http_for(server.url), "o/r", since=since)] == [3]
    assert len(server.requests) == 1  # page 2 never asked for


def test_pull_updated_exactly_at_since_is_fetched_again(server: ReplayServer) -> None:
    script_listing(server)
    since = 1_706_832_000  # 2024-02-02T00:00:00Z, PR 2's update time
    assert [p["number"] for p in github.fetch_pulls(http_for(server.url), "o/r", since=since)] == [3, 2]
    assert len(server.requests) == 2  # PR 1 on page 2 shows the listing is past `since`


def test_enterprise_base_path_and_headers(server: ReplayServer) -> None:
    script_listing(server, prefix="/api/v3")
    got = [p["number"] for p in github.fetch_pulls(http_for(f"{server.url}/api/v3"), "o/r")]
    assert got == [3, 2, 1] and server.unexpected == []
    for r in server.requests:
        assert r.path.startswith("/api/v3/")
        assert r.headers["authorization"] == f"Bearer {TOKEN}"
        assert r.headers["accept"] == "application/vnd.github+json"


def test_details_of_recorded_pull_235(server: ReplayServer, realdata: Path) -> None:
    base = "/repos/sigmavirus24/github3.py"
    pr = recorded(realdata, "PullRequest_files__0__")
    lists = {"pulls/235/files": recorded(realdata, "PullRequest_files__1__"),
             "pulls/235/commits": recorded(realdata, "PullRequest_commits__1__"),
             "pulls/235/comments": recorded(realdata, "PullRequest_review_comments__1__"),
             "issues/235/comments": recorded(realdata, "PullRequest_issue_comments__1__"),
             "pulls/235/reviews": []}
    for path, body in lists.items():
        server.add("GET", f"{base}/{path}?per_page=100", body)
    bundle = github.fetch_details(http_for(server.url), "sigmavirus24/github3.py", pr)
    assert bundle.number == 235
    assert (len(bundle.files), len(bundle.commits), len(bundle.review_comments), len(bundle.comments),
            len(bundle.reviews)) == (2, 2, 3, 1, 0)
    assert sorted(server.paths()) == sorted(f"{base}/{p}?per_page=100" for p in lists)


def test_a_list_endpoint_answering_an_object_is_an_error(server: ReplayServer) -> None:
    server.add("GET", "/repos/o/r/pulls/1/files?per_page=100", {"message": "Not a list"})
    with pytest.raises(SourceError, match="/repos/o/r/pulls/1/files: expected a JSON list, got dict"):
        list(github.fetch_list(http_for(server.url), "/repos/o/r/pulls/1/files"))


def test_bad_updated_at_names_the_pull(server: ReplayServer) -> None:
    server.add("GET", f"/repos/o/r/pulls?{LIST}", [pull(7, "yesterday")])
    with pytest.raises(SourceError, match="PR #7: 'updated_at' is not a time: 'yesterday'"):
        list(github.fetch_pulls(http_for(server.url), "o/r", since=0))


def test_repo_argument_is_checked_before_any_request() -> None:
    with pytest.raises(InputError, match="repository: expected OWNER/REPO, got 'just-a-name'"):
        github.check_repo("just-a-name")


def test_auth_headers_from_the_environment() -> None:
    assert github.auth_headers({"GITHUB_TOKEN": " abc "}) == {"Authorization": "Bearer abc"}
    assert github.auth_headers({"GITHUB_TOKEN": "abc\n"}) == {"Authorization": "Bearer abc"}  # `$(cat file)`
    assert github.auth_headers({}) == {}


def test_a_damaged_token_is_refused_by_name() -> None:
    with pytest.raises(InputError, match="GITHUB_TOKEN: holds a line break") as err:
        github.auth_headers({"GITHUB_TOKEN": "ghp_Zq9\nXw7"})
    assert "Zq9" not in str(err.value) and "Xw7" not in str(err.value)


def test_a_missing_token_is_worth_a_warning() -> None:
    assert "GITHUB_TOKEN is not set" in (github.missing_token({}) or "")
    assert github.missing_token({"GITHUB_TOKEN": "t"}) is None


def an_issue(number: int, updated: str, *, comments: int = 0, pr: bool = False) -> dict[str, Any]:
    item: dict[str, Any] = {"number": number, "updated_at": updated, "title": f"issue {number}",
                            "comments": comments}
    return {**item, "pull_request": {"url": f"/repos/o/r/pulls/{number}"}} if pr else item


def test_issues_skip_prs_and_send_since_to_the_server(server: ReplayServer) -> None:
    listing = [an_issue(9, "2024-03-03T00:00:00Z"), an_issue(8, "2024-02-20T00:00:00Z", pr=True),
               an_issue(7, "2024-02-15T00:00:00Z"), an_issue(6, "2024-01-01T00:00:00Z")]
    server.add("GET", f"/repos/o/r/issues?{LIST}", listing)
    server.add("GET", f"/repos/o/r/issues?{LIST}&since=2024-02-15T00:00:00Z", listing)
    http = http_for(server.url)
    assert [i["number"] for i in github.fetch_issues(http, "o/r")] == [9, 7, 6]  # PR 8 is the pulls' business
    since = 1_707_955_200  # 2024-02-15T00:00:00Z: 9 newer, 7 exactly then, 6 older (a server ignoring `since`)
    assert [i["number"] for i in github.fetch_issues(http, "o/r", since=since)] == [9, 7]
    assert server.requests[-1].query["since"] == "2024-02-15T00:00:00Z"
    assert server.unexpected == []


def test_issue_comments_are_fetched_only_for_issues_that_have_some(server: ReplayServer) -> None:
    server.add("GET", f"/repos/o/r/issues?{LIST}", [an_issue(2, "2024-02-02T00:00:00Z", comments=2),
                                                    an_issue(1, "2024-01-01T00:00:00Z")])
    server.add("GET", "/repos/o/r/issues/2/comments?per_page=100", [{"id": 1}, {"id": 2}])
    bundles = list(github.fetch_issue_bundles(http_for(server.url), "o/r"))
    assert [(b.number, len(b.comments)) for b in bundles] == [(2, 2), (1, 0)]
    assert not any("/issues/1/comments" in p for p in server.paths()) and server.unexpected == []


def test_bad_issue_updated_at_names_the_issue(server: ReplayServer) -> None:
    server.add("GET", f"/repos/o/r/issues?{LIST}&since=1970-01-01T00:00:00Z", [an_issue(7, "yesterday")])
    with pytest.raises(SourceError, match=r"/repos/o/r/issues: issue #7: 'updated_at' is not a time"):
        list(github.fetch_issues(http_for(server.url), "o/r", since=0))
