"""sources.jira against a local replay server: Server startAt paging over perceval's recorded
jira.fiware.org pages, comments beyond the first page, the Cloud nextPageToken endpoint, the
Server-to-Cloud fallback, incremental JQL and the two kinds of credentials."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from teammemory.errors import InputError, SourceError
from teammemory.sources import jira
from teammemory.sources.http import Http, HttpStatusError, RetryPolicy, make_client
from tests.helpers.replay_server import ReplayServer, serving

FIWARE = "jira/perceval_fiware"
JQL = "project = HELP ORDER BY updated ASC"


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with serving() as replay:
        yield replay


def http_for(base: str) -> Http:
    client = make_client(base, auth_headers=jira.auth_headers({"JIRA_API_TOKEN": "pat-1"}), timeout=5)
    return Http(client, RetryPolicy(attempts=2, rand=lambda: 0.0), sleep=lambda s: None)


def load(realdata: Path, name: str) -> Any:
    return json.loads((realdata / FIWARE / f"{name}.json").read_text())


def search_path(path: str, **params: Any) -> str:
    return f"{path}?" + urlencode({"jql": JQL, "expand": "changelog", "fields": "*all", **params})


def with_cut_comments(issue: dict[str, Any], first: dict[str, Any], total: int) -> dict[str, Any]:
    """An issue whose search result carries only its first comment of `total` (as Jira cuts them)."""
    block = {"comments": [first], "maxResults": 1, "total": total, "startAt": 0}
    fields = {**issue["fields"], "comment": block}
    return {**issue, "fields": fields}


def test_server_search_pages_and_comment_pages(server: ReplayServer, realdata: Path) -> None:
    page1, page2 = load(realdata, "jira_issues_page_1"), load(realdata, "jira_issues_page_2")
    comments1 = load(realdata, "jira_comments_issue_page_1")
    comments2 = load(realdata, "jira_comments_issue_page_2")
    page1["issues"][0] = with_cut_comments(page1["issues"][0], comments1["comments"][0], comments1["total"])
    server.add("GET", search_path(jira.SERVER_SEARCH, startAt=0, maxResults=2), page1)
    server.add("GET", search_path(jira.SERVER_SEARCH, startAt=2, maxResults=2), page2)
    server.add("GET", "/rest/api/2/issue/HELP-6043/comment?startAt=0&maxResults=100", comments1)
    server.add("GET", "/rest/api/2/issue/HELP-6043/comment?startAt=2&maxResults=100", comments2)
    issues = list(jira.fetch_issues(http_for(server.url), JQL, cloud=None, page_size=2))
    assert [i["key"] for i in issues] == ["HELP-6043", "HELP-6042", "HELP-6041"]
    got = issues[0]["fields"]["comment"]["comments"]
    # the recorded page 2 repeats page 1's ids: the fetcher passes what it got, the parser dedups
    assert [c["id"] for c in got] == ["10022", "10024", "10022", "10024"]
    assert server.unexpected == []
    assert all(r.headers["authorization"] == "Bearer pat-1" for r in server.requests)


def test_cloud_search_uses_next_page_token_and_v3_comments(server: ReplayServer, realdata: Path) -> None:
    page1, page2 = load(realdata, "jira_issues_page_1"), load(realdata, "jira_issues_page_2")
    comments = {**load(realdata, "jira_comments_issue_page_1"), "total": 2}  # the two it holds
    first = with_cut_comments(page1["issues"][1], comments["comments"][0], 2)
    server.add("GET", search_path(jira.CLOUD_SEARCH, maxResults=2),
               {"issues": [page1["issues"][0], first], "nextPageToken": "tok-2"})
    server.add("GET", search_path(jira.CLOUD_SEARCH, maxResults=2, nextPageToken="tok-2"),
               {"issues": page2["issues"], "isLast": True})
    server.add("GET", "/rest/api/3/issue/HELP-6042/comment?startAt=0&maxResults=100", comments)
    issues = list(jira.fetch_issues(http_for(server.url), JQL, cloud=True, page_size=2))
    assert [i["key"] for i in issues] == ["HELP-6043", "HELP-6042", "HELP-6041"]
    assert len(issues[1]["fields"]["comment"]["comments"]) == 2
    assert server.unexpected == []


def test_unknown_site_falls_back_to_cloud_when_server_search_is_gone(server: ReplayServer) -> None:
    server.add("GET", search_path(jira.SERVER_SEARCH, startAt=0, maxResults=100),
               {"errorMessages": ["The requested API has been removed."]}, status=410)
    server.add("GET", search_path(jira.CLOUD_SEARCH, maxResults=100),
               {"issues": [{"key": "A-1", "fields": {}}]})
    assert [i["key"] for i in jira.fetch_issues(http_for(server.url), JQL)] == ["A-1"]
    assert [r.path.split("?")[0] for r in server.requests] == [jira.SERVER_SEARCH, jira.CLOUD_SEARCH]


def test_explicit_server_does_not_fall_back(server: ReplayServer) -> None:
    server.add("GET", search_path(jira.SERVER_SEARCH, startAt=0, maxResults=100), {"errorMessages": ["gone"]},
               status=404)
    with pytest.raises(HttpStatusError, match="HTTP 404: gone"):
        list(jira.fetch_issues(http_for(server.url), JQL, cloud=False))


def test_a_search_issue_that_is_not_an_object_is_an_error(server: ReplayServer) -> None:
    server.add("GET", search_path(jira.CLOUD_SEARCH, maxResults=100), {"issues": ["HELP-1"]})
    with pytest.raises(SourceError, match="an issue is not an object"):
        list(jira.fetch_issues(http_for(server.url), JQL, cloud=True))


def test_fields_list(server: ReplayServer, realdata: Path) -> None:
    server.add("GET", jira.FIELDS, load(realdata, "jira_fields"))
    assert len(jira.fetch_fields(http_for(server.url))) == 44


def test_incremental_jql() -> None:
    assert jira.incremental_jql("project = HELP ORDER BY created DESC", None) == \
        "(project = HELP) ORDER BY updated ASC"
    # 2016-03-03T14:32:47Z minus the 13 h overlap is 2016-03-03 01:32:47 -> minute precision
    assert jira.incremental_jql("project = HELP", 1_457_015_567) == \
        '(project = HELP) AND updated >= "2016-03-03 01:32" ORDER BY updated ASC'
    assert jira.incremental_jql("  ", 1_457_015_567) == 'updated >= "2016-03-03 01:32" ORDER BY updated ASC'


def test_cloud_hosts() -> None:
    assert jira.is_cloud_host("finosfoundation.atlassian.net")
    assert not jira.is_cloud_host("jira.fiware.org")


def test_auth_headers() -> None:
    basic = jira.auth_headers({"JIRA_API_TOKEN": "t0k", "JIRA_EMAIL": "ana@example.com"})
    assert basic == {"Authorization": "Basic " + base64.b64encode(b"ana@example.com:t0k").decode()}
    assert jira.auth_headers({"JIRA_API_TOKEN": "t0k"}) == {"Authorization": "Bearer t0k"}
    assert jira.auth_headers({"JIRA_EMAIL": "ana@example.com"}) == {}


def test_damaged_credentials_are_refused_by_name() -> None:
    with pytest.raises(InputError, match="JIRA_API_TOKEN: holds a non-ASCII character"):
        jira.auth_headers({"JIRA_API_TOKEN": "tök"})
    with pytest.raises(InputError, match="JIRA_EMAIL: holds a line break"):
        jira.auth_headers({"JIRA_API_TOKEN": "t0k", "JIRA_EMAIL": "ana@\nexample.com"})


def test_credentials_in_the_url_count_as_a_token_and_leave_the_url(server: ReplayServer) -> None:
    url = server.url.replace("://", "://ana%40example.com:t0k@")
    assert jira.missing_token({}, url) is None
    assert "JIRA_API_TOKEN is not set" in (jira.missing_token({}, server.url) or "")
    client = jira.make_jira_client(url, env={}, timeout=5)
    assert not client.base_url.userinfo  # httpx logs and errors print request URLs: none holds them
    server.add("GET", jira.FIELDS, [])
    assert jira.fetch_fields(Http(client)) == []
    expected = "Basic " + base64.b64encode(b"ana@example.com:t0k").decode()
    assert server.requests[0].headers["authorization"] == expected
