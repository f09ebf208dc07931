"""sources.http against a real server on 127.0.0.1: paging, rate limits, retries, errors, ETags,
and the checks before anything is sent (tokens, base URLs). Hostile servers and endless paging:
tests/faults/test_hangs.py.

Waiting is injected (`FakeTime`), so every test asserts the exact seconds the code asked to sleep
and none of them actually waits.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory.errors import InputError, SourceError
from teammemory.outputs.cli import app
from teammemory.sources.http import (
    Http,
    HttpStatusError,
    RetryPolicy,
    backoff,
    make_client,
    request_json,
)
from teammemory.sources.http_checks import check_token
from teammemory.sources.paging import follow_link_pages, start_at_pages, token_pages
from tests.helpers.replay_server import ReplayServer, serving

TOKEN = "ghp_s3cretTOKEN4tests"
T0 = 1_700_000_000.0


@dataclass
class FakeTime:
    """A clock that moves only when the code under test sleeps."""

    now: float = T0
    slept: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with serving() as replay:
        yield replay


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def make_http(url: str, fake: FakeTime, **policy: Any) -> Http:
    client = make_client(url, auth_headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
    return Http(client, RetryPolicy(rand=lambda: 0.5, **policy), sleep=fake.sleep, clock=fake.clock)


def nock_get_interactions(realdata: Path) -> list[dict[str, Any]]:
    """The five GET pages of octokit's recorded paginate-issues scenario, Link host made local."""
    out = []
    for x in json.loads((realdata / "github/octokit_fixtures/paginate-issues.raw.json").read_text()):
        if x["method"] != "get":
            continue
        raw = x["rawHeaders"]
        headers = dict(zip(raw[::2], raw[1::2], strict=True))
        link = headers["Link"].replace("https://api.github.com", "{base}")
        out.append({"path": x["path"], "body": x["response"], "link": link})
    return out


def test_follow_link_pages_walks_recorded_octokit_pages(server: ReplayServer, fake: FakeTime,
                                                         realdata: Path) -> None:
    pages = nock_get_interactions(realdata)
    for p in pages:
        server.add("GET", p["path"], p["body"], headers={"Link": p["link"]})
    http = make_http(server.url, fake)
    got = list(follow_link_pages(http, "/repos/octokit-fixture-org/tmp-scenario-paginate-issues"
                                       "-20220719043836917-izyoe/issues", {"per_page": 3}))
    assert [len(page) for page in got] == [3, 3, 3, 3, 1]
    assert server.paths()[1:] == [f"/repositories/515435940/issues?per_page=3&page={n}" for n in (2, 3, 4, 5)]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)
    assert server.unexpected == [] and fake.slept == []


def test_next_link_to_another_host_is_refused(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/items", [1], headers={"Link": '<https://evil.example.com/items?page=2>; rel="next"'})
    pages = follow_link_pages(make_http(server.url, fake), "/items")
    assert next(pages) == [1]
    with pytest.raises(SourceError, match="another host"):
        next(pages)
    assert len(server.requests) == 1


def test_primary_rate_limit_sleeps_until_reset(server: ReplayServer, fake: FakeTime) -> None:
    reset = int(T0) + 120
    server.add("GET", "/x", {"message": "API rate limit exceeded"}, status=403,
               headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
    server.add("GET", "/x", {"ok": True})
    assert make_http(server.url, fake).get("/x").data == {"ok": True}
    assert fake.slept == [121.0]  # reset - now + 1 s of margin


def test_rate_limit_wait_beyond_the_bound_is_a_clear_error(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/x", {"message": "API rate limit exceeded"}, status=403,
               headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(T0) + 86_400)})
    with pytest.raises(SourceError, match=r"rate limited for 86401 s, longer than the 3900 s"):
        make_http(server.url, fake).get("/x")
    assert fake.slept == []


def test_secondary_limit_with_retry_after(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/x", {"message": "You have exceeded a secondary rate limit"}, status=429,
               headers={"Retry-After": "30"})
    server.add("GET", "/x", [])
    assert make_http(server.url, fake).get("/x").data == []
    assert fake.slept == [30.0]


def test_abuse_body_without_headers_backs_off_and_doubles(server: ReplayServer, fake: FakeTime,
                                                          realdata: Path) -> None:
    abuse = json.loads((realdata / "github/perceval/abuse_rate_limit.json").read_text())
    server.add("GET", "/x", abuse, status=403)
    server.add("GET", "/x", abuse, status=403)
    server.add("GET", "/x", {"ok": 1})
    assert make_http(server.url, fake, secondary_wait=60.0).get("/x").data == {"ok": 1}
    assert fake.slept == [60.0, 120.0]


def test_transient_5xx_retried_with_backoff_and_jitter(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/x", "<html>bad gateway</html>", status=502)
    server.add("GET", "/x", "", status=503)
    server.add("GET", "/x", {"ok": 1})
    assert make_http(server.url, fake).get("/x").data == {"ok": 1}
    # equal jitter with rand()=0.5: delay/2 + 0.5*delay/2 for delays 1 s then 2 s
    assert fake.slept == [0.75, 1.5]


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(backoff=1.0, max_backoff=8.0, rand=lambda: 1.0)
    assert [backoff(n, policy) for n in (1, 2, 3, 4, 5, 6)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_5xx_gives_up_after_the_attempts(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/x", {"message": "Server Error"}, status=500)
    expected = r"GET http://127\.0\.0\.1:\d+/x: HTTP 500 after 3 attempts"
    with pytest.raises(HttpStatusError, match=expected) as err:
        make_http(server.url, fake, attempts=3).get("/x")
    assert err.value.status == 500
    assert len(server.requests) == 3 and fake.slept == [0.75, 1.5]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound once (so it was free), then closed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused_is_one_attempt_and_one_line(fake: FakeTime, caplog: pytest.LogCaptureFixture) -> None:
    """A refused connection cannot recover by trying again: one attempt (counted by the client's
    request hook), no sleep, no retry line, one error line naming the URL."""
    caplog.set_level(logging.DEBUG)
    http = make_http(f"http://127.0.0.1:{closed_port()}", fake, attempts=4)
    attempts: list[str] = []
    http.client.event_hooks["request"].append(lambda request: attempts.append(str(request.url)))
    with pytest.raises(SourceError, match=r"^GET http://127\.0\.0\.1:\d+/x: connection refused: nothing listens "
                                          r"at that host and port$") as err:
        http.get("/x")
    assert len(attempts) == 1 and fake.slept == [] and "retry" not in caplog.text
    assert "\n" not in str(err.value)


def test_malformed_json_names_the_url(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/broken?a=1", b'{"total": 3, "issues": [',
               headers={"Content-Type": "application/json"})
    with pytest.raises(SourceError, match=r"GET http://127\.0\.0\.1:\d+/broken\?a=1: response is not JSON"):
        request_json(make_http(server.url, fake).client, "GET", "/broken", {"a": 1},
                     retry_policy=RetryPolicy(), sleep=fake.sleep, clock=fake.clock)


def test_json_nested_too_deeply_is_one_clear_error(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/deep", b"[" * 100_000 + b"]" * 100_000, headers={"Content-Type": "application/json"})
    with pytest.raises(SourceError, match=r"GET http://127\.0\.0\.1:\d+/deep: response is not readable JSON"):
        request_json(make_http(server.url, fake).client, "GET", "/deep", {},
                     retry_policy=RetryPolicy(), sleep=fake.sleep, clock=fake.clock)


def test_refused_token_never_shows_the_token(server: ReplayServer, fake: FakeTime,
                                             caplog: pytest.LogCaptureFixture) -> None:
    server.add("GET", "/user", {"message": "Bad credentials"}, status=401)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SourceError, match="token refused") as err:
        make_http(server.url, fake).get("/user")
    assert TOKEN not in str(err.value) and TOKEN not in repr(err.value)
    assert TOKEN not in caplog.text
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_other_4xx_carries_the_api_message(server: ReplayServer, fake: FakeTime, realdata: Path) -> None:
    error = json.loads((realdata / "jira/jira_ruby_localhost/error_issue_invalid_put.json").read_text())
    server.add("GET", "/rest/api/2/issue/X-1", error, status=400)
    with pytest.raises(HttpStatusError, match="HTTP 400: ") as err:
        make_http(server.url, fake).get("/rest/api/2/issue/X-1")
    assert err.value.status == 400
    for message in error.get("errorMessages") or []:
        assert message in str(err.value)


def test_etag_sends_if_none_match_and_304_replays_the_cached_body(server: ReplayServer,
                                                                   fake: FakeTime) -> None:
    path = "/repos/o/r/pulls/1/files?per_page=100"
    server.add("GET", path, [{"filename": "a.py"}], headers={"ETag": '"v1"'})
    server.add("GET", path, None, status=304, headers={"ETag": '"v1"'})
    http = make_http(server.url, fake)
    first = http.get("/repos/o/r/pulls/1/files", {"per_page": 100})
    second = http.get("/repos/o/r/pulls/1/files", {"per_page": 100})
    assert first.data == second.data == [{"filename": "a.py"}]
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert http.etags.hits == 1


def test_start_at_pages_over_recorded_jira_search(server: ReplayServer, fake: FakeTime,
                                                  realdata: Path) -> None:
    d = realdata / "jira/perceval_fiware"
    server.add("GET", "/rest/api/2/search?jql=project%3DHELP&startAt=0&maxResults=2",
               json.loads((d / "jira_issues_page_1.json").read_text()))
    server.add("GET", "/rest/api/2/search?jql=project%3DHELP&startAt=2&maxResults=2",
               json.loads((d / "jira_issues_page_2.json").read_text()))
    pages = list(start_at_pages(make_http(server.url, fake), "/rest/api/2/search", {"jql": "project=HELP"},
                                items_key="issues", page_size=2))
    assert [i["key"] for p in pages for i in p["issues"]] == ["HELP-6043", "HELP-6042", "HELP-6041"]
    assert [r.query["startAt"] for r in server.requests] == ["0", "2"]  # total 3: no third request
    assert server.unexpected == []


def test_start_at_pages_stops_on_an_empty_page(server: ReplayServer, fake: FakeTime, realdata: Path) -> None:
    empty = json.loads((realdata / "jira/perceval_fiware/jira_issues_page_empty.json").read_text())
    server.add("GET", "/rest/api/2/search?startAt=0&maxResults=50", empty)
    pages = list(start_at_pages(make_http(server.url, fake), "/rest/api/2/search", items_key="issues",
                                page_size=50))
    assert pages == [empty] and len(server.requests) == 1


def test_token_pages_follow_next_page_token(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/rest/api/3/search/jql?jql=x", {"issues": [{"key": "A-1"}], "nextPageToken": "t2"})
    server.add("GET", "/rest/api/3/search/jql?jql=x&nextPageToken=t2",
               {"issues": [{"key": "A-2"}], "nextPageToken": "t3", "isLast": True})
    pages = list(token_pages(make_http(server.url, fake), "/rest/api/3/search/jql", {"jql": "x"},
                             items_key="issues"))
    assert [i["key"] for p in pages for i in p["issues"]] == ["A-1", "A-2"]
    assert len(server.requests) == 2  # isLast wins over a stray token


def test_page_without_its_items_list_is_an_error(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/rest/api/3/search/jql", [{"key": "A-1"}])
    with pytest.raises(SourceError, match="expected an object with a 'issues' list"):
        list(token_pages(make_http(server.url, fake), "/rest/api/3/search/jql", items_key="issues"))


def test_a_4xx_is_not_retried(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/x", {"message": "Validation Failed"}, status=422)
    with pytest.raises(HttpStatusError, match="HTTP 422: Validation Failed"):
        make_http(server.url, fake).get("/x")
    assert len(server.requests) == 1 and fake.slept == []


def test_retries_are_logged_with_their_number(server: ReplayServer, fake: FakeTime,
                                              caplog: pytest.LogCaptureFixture) -> None:
    server.add("GET", "/x", "", status=503)
    server.add("GET", "/x", "", status=408)
    server.add("GET", "/x", {"ok": 1})
    assert make_http(server.url, fake, attempts=3).get("/x").data == {"ok": 1}
    assert "HTTP 503; retry 1 of 2 in 0.8 s" in caplog.text and "HTTP 408; retry 2 of 2" in caplog.text


def test_check_token() -> None:
    assert check_token("T", "  abc\n") == "abc"
    assert check_token("T", "") == ""
    for value, kind in (("a\nb", "a line break"), ("a b", "white space"), ("a\x00", "a control character"),
                        ("añ", "a non-ASCII character")):
        with pytest.raises(InputError, match=f"^T: holds {kind}: .*the value is not shown"):
            check_token("T", value)


def test_the_base_url_is_checked_before_anything_is_sent() -> None:
    for bad, what in (("not-a-url", "expected http://HOST"), ("https://", "expected http://HOST"),
                      ("http://[bad", "is not a host name"), ("https://h/x?token=t", r"takes no \?query")):
        with pytest.raises(InputError, match=f"^--url: .*{what}"):
            make_client(bad, auth_headers={}, name="--url")


def test_a_503_with_retry_after_waits_as_asked(server: ReplayServer, fake: FakeTime) -> None:
    server.add("GET", "/x", "", status=503, headers={"Retry-After": "7"})
    server.add("GET", "/x", "", status=503, headers={"Retry-After": "600"})  # held to max_backoff
    server.add("GET", "/x", {"ok": 1})
    assert make_http(server.url, fake, max_backoff=30.0).get("/x").data == {"ok": 1}
    assert fake.slept == [7.0, 30.0]


def test_retry_after_as_an_http_date(server: ReplayServer, fake: FakeTime) -> None:
    from email.utils import formatdate

    server.add("GET", "/x", {"message": "slow down"}, status=429,
               headers={"Retry-After": formatdate(T0 + 42, usegmt=True)})
    server.add("GET", "/x", [])
    assert make_http(server.url, fake).get("/x").data == []
    assert fake.slept == [42.0]


@pytest.mark.parametrize("command", [["sync", "github", "o/r", "--base-url"],
                                     ["sync", "jira", "--jql", "project = P", "--url"]])
def test_sync_to_a_closed_port_fails_at_once_with_one_line(tmp_path: Path, command: list[str]) -> None:
    """Through the CLI: each retry would print a warning line, so the lines count the attempts."""
    url = f"http://127.0.0.1:{closed_port()}/"
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "tm.db"), *command, url],
                                env={"GITHUB_TOKEN": "tok", "JIRA_API_TOKEN": "tok"})
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [result.stderr.splitlines()[-1]], result.stderr
    assert result.stderr.startswith("error: GET http://127.0.0.1:") and "retry" not in result.stderr
    assert result.stderr.rstrip().endswith(": connection refused: nothing listens at that host and port")
