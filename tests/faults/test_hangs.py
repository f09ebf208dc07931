"""No hangs: every wait of a sync is bounded, and every way it can fail is one clear line.

Against real servers on 127.0.0.1 (tests/helpers/replay_server.py for scripted answers,
tests/faults/hostile_servers.py for a silent and a trickling one), with tiny timeouts injected so
each case runs in well under two seconds; every loop is bounded in requests and in time.
- paging that never ends: a GitHub `Link: next` to itself or a cycle (with ETags too), pages that
  ignore the position (same items), more pages than the bound; a Jira Server `startAt` that does
  not move or is ignored; a Jira Cloud `nextPageToken` that repeats: a SourceError naming the URL
  and the position, after a bounded number of requests;
- a server that sends one byte at a time (from the status line, or after fast headers): the total
  deadline per request ends it, whatever the read timeout; it is not retried;
- a silent server: the read timeout, a bounded number of tries, each retry on stderr; the
  defaults bound it to about a minute and the help says so;
- a PostgreSQL host that accepts TCP and never answers: a default connect_timeout (the URL's own
  wins);
- a redirect loop, a redirect to ftp://, a damaged token (newline, non-ASCII), a URL that is not
  one, a host that does not exist: one line, exit code, no retry, no traceback;
- a token over plain http:// to another machine is refused unless --allow-insecure; a sync
  without a token warns.
"""

from __future__ import annotations

import functools
import re
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from teammemory import store as store_module
from teammemory.errors import InputError, SourceError
from teammemory.outputs import commands_sync
from teammemory.outputs.cli import app
from teammemory.sources import github, jira
from teammemory.sources.http import ATTEMPTS, DEADLINE, TIMEOUT, Http, RetryPolicy, make_client
from teammemory.sources.http_errors import classify
from teammemory.sources.paging import REPEATS
from tests.faults import hostile_servers
from tests.helpers.replay_server import ReplayServer, serving

LIST = "state=all&sort=updated&direction=desc&per_page=100"
PULLS = f"/repos/o/r/pulls?{LIST}"


@pytest.fixture(scope="module")
def shared_server() -> Iterator[ReplayServer]:
    with serving() as replay:  # one per module: a server's shutdown takes half a second
        yield replay


@pytest.fixture
def server(shared_server: ReplayServer) -> ReplayServer:
    shared_server.routes.clear()
    shared_server.requests.clear()
    shared_server.unexpected.clear()
    return shared_server


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "tm.db")


def http_for(url: str, *, timeout: float = 1.0, deadline: float = 0.5, attempts: int = 2,
             max_pages: int = 10_000, slept: list[float] | None = None) -> Http:
    client = github.make_github_client(url, env={"GITHUB_TOKEN": "tok"}, timeout=timeout)
    sleep = slept.append if slept is not None else (lambda s: None)
    return Http(client, RetryPolicy(attempts=attempts, deadline=deadline, rand=lambda: 0.0), sleep=sleep,
                max_pages=max_pages)


def pull(n: int) -> dict[str, Any]:
    return {"id": n, "number": n, "updated_at": "2024-01-01T00:00:00Z"}


def link(path: str) -> dict[str, str]:
    return {"Link": f'<{{base}}{path}>; rel="next"'}


def cli(db: str, *args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str, float]:
    started = time.monotonic()
    result = CliRunner().invoke(app, ["--db", db, *args], env=env or {"GITHUB_TOKEN": "tok"})
    return result.exit_code, result.stdout, result.stderr, time.monotonic() - started


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if not line.startswith("warning: ")]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in stderr, stderr
    return lines[0]


# -- paging that never ends ----------------------------------------------------------------------


def test_a_github_next_link_to_itself_stops_at_once(server: ReplayServer) -> None:
    server.add("GET", PULLS, [pull(1)], headers=link(PULLS))
    with pytest.raises(SourceError, match=r"GET http://127\.0\.0\.1:\d+/repos/o/r/pulls\?.*: the next page"
                                          r" .*/repos/o/r/pulls\?.* was already fetched.*after 1 page$"):
        list(github.fetch_pulls(http_for(server.url), "o/r"))
    assert len(server.requests) == 1


def test_a_next_link_to_itself_with_its_query_reordered_is_the_same_page(server: ReplayServer) -> None:
    server.add("GET", PULLS, [pull(1)], headers=link("/repos/o/r/pulls?per_page=100&direction=desc&sort=updated"
                                                     "&state=all"))
    with pytest.raises(SourceError, match="already fetched"):
        list(github.fetch_pulls(http_for(server.url), "o/r"))
    assert len(server.requests) == 1


def test_a_cycle_of_next_links_with_etags_stops(server: ReplayServer) -> None:
    page2 = f"/repositories/9/pulls?{LIST}&page=2"
    server.add("GET", PULLS, [pull(2)], headers={**link(page2), "ETag": '"a"'})
    server.add("GET", page2, [pull(1)], headers={**link(PULLS), "ETag": '"b"'})
    with pytest.raises(SourceError, match=r"the next page .*/repos/o/r/pulls\?.* was already fetched.*after 2"):
        list(github.fetch_pulls(http_for(server.url), "o/r"))
    assert len(server.requests) == 2


def test_pages_that_ignore_the_page_number_stop_after_a_few(server: ReplayServer) -> None:
    for n in range(1, 8):
        server.add("GET", f"/repos/o/r/pulls/5/files?per_page=100{f'&page={n}' * (n > 1)}",
                   [{"id": 1, "filename": "a.py"}], headers=link(f"/repos/o/r/pulls/5/files?per_page=100&page={n + 1}"))
    with pytest.raises(SourceError, match=f"holds the same 1 items as the {REPEATS - 1} pages before"):
        list(github.fetch_list(http_for(server.url), "/repos/o/r/pulls/5/files"))
    assert len(server.requests) == REPEATS


def test_a_listing_longer_than_the_bound_stops(server: ReplayServer) -> None:
    for n in range(1, 8):
        server.add("GET", f"/x?per_page=100{f'&page={n}' * (n > 1)}", [{"id": n}],
                   headers=link(f"/x?per_page=100&page={n + 1}"))
    with pytest.raises(SourceError, match="more than 3 pages: the server's paging does not end"):
        list(github.fetch_list(http_for(server.url, max_pages=3), "/x"))
    assert len(server.requests) == 3


def jira_path(endpoint: str, **params: str | int) -> str:
    query = {"jql": "project = X", "expand": "changelog", "fields": "*all", **params}
    return f"{endpoint}?" + "&".join(f"{k}={v}" for k, v in query.items()).replace(" ", "%20")


def issues(*keys: str) -> list[dict[str, Any]]:
    return [{"id": k, "key": k, "fields": {}} for k in keys]


def test_a_jira_server_start_at_that_does_not_move_stops(server: ReplayServer) -> None:
    stuck = {"startAt": 0, "maxResults": 100, "total": 1000, "issues": issues("X-1", "X-2")}
    server.add("GET", jira_path(jira.SERVER_SEARCH, startAt=0, maxResults=100), stuck)
    server.add("GET", jira_path(jira.SERVER_SEARCH, startAt=2, maxResults=100), stuck)
    with pytest.raises(SourceError, match=r"GET /rest/api/2/search: startAt does not advance \(asked 2, the page"
                                          r" says startAt=0 with 2 items\); stopped after 2 pages"):
        list(jira.fetch_issues(http_for(server.url), "project = X", cloud=False))
    assert len(server.requests) == 2 and server.unexpected == []


def test_a_jira_server_that_ignores_start_at_stops(server: ReplayServer) -> None:
    for start in range(0, 20, 2):
        server.add("GET", jira_path(jira.SERVER_SEARCH, startAt=start, maxResults=100),
                   {"startAt": start, "maxResults": 100, "total": 10**9, "issues": issues("X-1", "X-2")})
    with pytest.raises(SourceError, match="the page at startAt=4 holds the same 2 items"):
        list(jira.fetch_issues(http_for(server.url), "project = X", cloud=False))
    assert len(server.requests) == REPEATS


def test_a_jira_cloud_next_page_token_that_repeats_stops(server: ReplayServer) -> None:
    server.add("GET", jira_path(jira.CLOUD_SEARCH, maxResults=100), {"issues": issues("X-1"), "nextPageToken": "t1"})
    server.add("GET", jira_path(jira.CLOUD_SEARCH, maxResults=100, nextPageToken="t1"),
               {"issues": issues("X-2"), "nextPageToken": "t1"})
    with pytest.raises(SourceError, match=r"GET /rest/api/3/search/jql: nextPageToken=t1 was already fetched"):
        list(jira.fetch_issues(http_for(server.url), "project = X", cloud=True))
    assert len(server.requests) == 2


# -- servers that never finish -------------------------------------------------------------------


@pytest.mark.parametrize("head_first", [False, True], ids=["byte-by-byte", "headers-then-bytes"])
def test_a_trickling_server_meets_the_deadline_not_the_read_timeout(head_first: bool) -> None:
    slept: list[float] = []
    with hostile_servers.trickle(0.02, head_first=head_first) as url:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"GET http://127\.0\.0\.1:\d+/repos/o/r/pulls\?.*: no complete"
                                              r" response within 0\.3 s \(the deadline for one request\)$"):
            list(github.fetch_pulls(http_for(url, timeout=5, deadline=0.3, attempts=4, slept=slept), "o/r"))
        assert time.monotonic() - started < 3  # the whole answer would take hours
    assert slept == []  # a deadline is not retried


def test_a_trickling_server_over_tls_meets_the_deadline(tmp_path: Path) -> None:
    """GitHub and Jira speak HTTPS: the deadline cuts a TLS connection off as well."""
    pem = hostile_servers.self_signed(tmp_path)
    if pem is None:
        pytest.skip("no openssl command to make a certificate")
    with hostile_servers.trickle(0.02, tls=pem) as url:
        trusting = httpx.HTTPTransport(verify=ssl.create_default_context(cafile=str(pem)))
        client = github.make_github_client(url, env={"GITHUB_TOKEN": "tok"}, timeout=5, transport=trusting)
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"GET https://127\.0\.0\.1:\d+/x: no complete response within 0\.3 s"):
            Http(client, RetryPolicy(deadline=0.3), sleep=lambda s: None).get("/x")
        assert time.monotonic() - started < 3


def test_a_server_whose_certificate_nobody_vouches_for_is_refused(tmp_path: Path) -> None:
    """The CA bundle is loaded once per process (sources.http.trusted_roots) and shared by every
    client: still verifying, a self-signed certificate fails at once, and is not retried."""
    pem = hostile_servers.self_signed(tmp_path)
    if pem is None:
        pytest.skip("no openssl command to make a certificate")
    slept: list[float] = []
    with hostile_servers.trickle(0.02, tls=pem) as url:
        for _ in range(2):  # a second client shares the first one's roots
            client = github.make_github_client(url, env={"GITHUB_TOKEN": "tok"}, timeout=5)
            with pytest.raises(SourceError, match=r"(?i)certificate"):
                Http(client, RetryPolicy(deadline=5), sleep=slept.append).get("/x")
    assert slept == []


def test_a_trickling_jira_through_the_cli(db: str) -> None:
    with hostile_servers.trickle(0.02) as url:
        code, _, err, took = cli(db, "sync", "jira", "--url", url, "--jql", "project = X", "--deadline", "0.3",
                                 env={"JIRA_API_TOKEN": "pat"})
    assert code == 1 and "no complete response within 0.3 s" in one_line(err) and took < 5


def test_a_silent_server_fails_after_its_tries_each_announced(caplog: pytest.LogCaptureFixture) -> None:
    slept: list[float] = []
    with hostile_servers.silent() as url:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"no data for 0\.2 s \(read timeout\) after 3 attempts"):
            http_for(url, timeout=0.2, deadline=5, attempts=3, slept=slept).get("/x")
        assert time.monotonic() - started < 3
    assert len(slept) == 2
    assert "retry 1 of 2" in caplog.text and "retry 2 of 2" in caplog.text


def test_a_silent_server_through_the_cli_prints_each_retry(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands_sync, "RetryPolicy", functools.partial(RetryPolicy, backoff=0.01))
    with hostile_servers.silent() as url:
        code, _, err, took = cli(db, "sync", "github", "o/r", "--base-url", url, "--timeout", "0.1")
    assert code == 1 and took < 20  # a hang guard, not a timing: ~1 s when quiet
    lines = err.splitlines()
    retry = r"warning: GET http://127\.0\.0\.1:\d+/repos/o/r/pulls\?\S+: no data for 0\.1 s \(read timeout\); retry"
    assert [bool(re.match(f"{retry} {n} of {ATTEMPTS - 1} in", line)) for n, line in enumerate(lines[:-1], 1)] \
        == [True] * (ATTEMPTS - 1)
    assert lines[-1].startswith("error: ") and f"(read timeout) after {ATTEMPTS} attempts" in lines[-1]


def test_the_defaults_bound_a_silent_server_to_about_a_minute_and_the_help_says_so() -> None:
    worst_backoff = sum(min(60.0, 1.0 * 2 ** (n - 1)) for n in range(1, ATTEMPTS))
    assert ATTEMPTS * TIMEOUT + worst_backoff <= 70 and DEADLINE <= 60
    assert RetryPolicy().attempts == ATTEMPTS and RetryPolicy().deadline == DEADLINE
    client = github.make_github_client(env={})
    assert client.timeout.connect == client.timeout.read == TIMEOUT
    help_text = CliRunner().invoke(app, ["sync", "github", "--help"]).stdout
    assert "--timeout" in help_text and "--deadline" in help_text and f"{ATTEMPTS} times" in help_text


def test_a_postgres_host_that_never_answers_times_out(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "PG_CONNECT_TIMEOUT", 2)  # psycopg's least; the default is 10
    monkeypatch.delenv("PGCONNECT_TIMEOUT", raising=False)
    with hostile_servers.silent() as url:
        pg = url.replace("http://", "postgresql://ana:pw@") + "/tm"
        code, _, err, took = cli(pg, "init-db")
    line = one_line(err)
    assert code == 1 and took < 5
    assert "cannot connect to postgresql://ana:***@127.0.0.1" in line and "connect_timeout=SECONDS" in line


def test_the_connect_timeout_is_a_default_the_url_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGCONNECT_TIMEOUT", raising=False)
    assert store_module._pg_timeout("postgresql://h/db") == {"connect_timeout": 10}
    assert store_module._pg_timeout("postgresql://h/db?connect_timeout=90") == {}
    assert store_module._pg_timeout("host=h dbname=db connect_timeout=3") == {}
    monkeypatch.setenv("PGCONNECT_TIMEOUT", "7")
    assert store_module._pg_timeout("postgresql://h/db") == {}


# -- one clear line, at once ---------------------------------------------------------------------


def test_a_redirect_loop_is_one_line(db: str, server: ReplayServer) -> None:
    server.add("GET", PULLS, None, status=302, headers={"Location": f"{{base}}{PULLS}"})
    code, _, err, took = cli(db, "sync", "github", "o/r", "--base-url", server.url)
    assert code == 1 and one_line(err).endswith("too many redirects: the server's redirects loop")
    assert len(server.requests) <= 21 and took < 5  # httpx's 20 redirects, never retried


def test_a_redirect_to_another_scheme_is_one_line(db: str, server: ReplayServer) -> None:
    server.add("GET", PULLS, None, status=301, headers={"Location": "ftp://files.example.com/pulls"})
    code, _, err, _ = cli(db, "sync", "github", "o/r", "--base-url", server.url)
    assert code == 1 and "cannot be sent: Request URL has an unsupported protocol 'ftp://'" in one_line(err)
    assert len(server.requests) == 1


@pytest.mark.parametrize(("command", "variable", "value", "kind"), [
    (["sync", "github", "o/r"], "GITHUB_TOKEN", "ghp_abc\ndef", "a line break"),
    (["sync", "github", "o/r"], "GITHUB_TOKEN", "ghp_abcé", "a non-ASCII character"),
    (["sync", "github", "o/r"], "GITHUB_TOKEN", "ghp abc", "white space"),
    (["sync", "jira", "--jql", "x"], "JIRA_API_TOKEN", "pat\r\n1", "a line break"),
    (["sync", "jira", "--jql", "x"], "JIRA_API_TOKEN", "pat\x07", "a control character"),
])
def test_a_damaged_token_is_named_never_shown_and_nothing_is_sent(db: str, server: ReplayServer, command: list[str],
                                                                  variable: str, value: str, kind: str) -> None:
    where = ["--base-url" if command[1] == "github" else "--url", server.url]
    code, out, err, _ = cli(db, *command, *where, env={variable: value})
    line = one_line(err)
    assert code == 2 and line.startswith(f"error: {variable}: holds {kind}") and "not shown" in line
    assert value.strip() not in out + err and server.requests == []


def test_a_damaged_jira_email_is_named(db: str, server: ReplayServer) -> None:
    code, _, err, _ = cli(db, "sync", "jira", "--url", server.url, "--jql", "x",
                          env={"JIRA_API_TOKEN": "pat", "JIRA_EMAIL": "ana@example.com\n"})
    assert code == 0 or "JIRA_EMAIL" not in err  # a trailing newline is stripped, as for tokens
    code, _, err, _ = cli(db, "sync", "jira", "--url", server.url, "--jql", "x",
                          env={"JIRA_API_TOKEN": "pat", "JIRA_EMAIL": "ana@\nexample.com"})
    assert code == 2 and one_line(err).startswith("error: JIRA_EMAIL: holds a line break")


def test_a_header_httpx_refuses_is_never_retried_nor_quoted(server: ReplayServer) -> None:
    client = make_client(server.url, auth_headers={"Authorization": "Bearer s3cret\nX-Evil: 1"}, timeout=1)
    http = Http(client, RetryPolicy(attempts=5), sleep=lambda s: pytest.fail("retried"))
    with pytest.raises(SourceError, match="a request header is not valid HTTP") as err:
        http.get("/x")
    assert "s3cret" not in str(err.value) and server.requests == []


@pytest.mark.parametrize(("args", "message"), [
    (["sync", "github", "o/r", "--base-url", "not-a-url"], "--base-url: expected http://HOST or https://HOST"),
    (["sync", "github", "o/r", "--base-url", "ftp://example.com"], "--base-url: expected http://HOST"),
    (["sync", "github", "o/r", "--base-url", "http://exa mple.com"], "--base-url: 'exa%20mple.com' is not a host"),
    (["sync", "jira", "--url", "jira.example.com", "--jql", "x"], "--url: expected http://HOST or https://HOST"),
    (["sync", "github", "o/r", "--base-url", "http://example.com/api"], "--base-url: http://example.com/api is"
                                                                         " plain http://"),
    (["sync", "jira", "--url", "http://ana:pw@jira.example.com", "--jql", "x"], "--url: http://ana:***@jira"),
])
def test_bad_urls_fail_at_once_with_one_line(db: str, args: list[str], message: str) -> None:
    code, _, err, took = cli(db, *args)
    assert code == 2 and one_line(err).startswith(f"error: {message}") and took < 3


def test_credentials_over_plain_http_only_to_this_machine_or_when_allowed() -> None:
    token = {"Authorization": "Bearer t"}
    for url in ("http://127.0.0.1:9", "http://127.0.0.7", "http://[::1]:8", "http://localhost:9", "https://x.org"):
        make_client(url, auth_headers=token)
    for url, headers in (("http://10.0.0.1", token), ("http://ana:pw@jira.example.com", {})):
        with pytest.raises(InputError, match="plain http://"):
            make_client(url, auth_headers=headers)
        make_client(url, auth_headers=headers, allow_insecure=True)
    make_client("http://example.com", auth_headers={})  # nothing secret to send


def test_sync_without_a_token_warns(db: str, server: ReplayServer) -> None:
    server.add("GET", PULLS, [])
    server.add("GET", f"/repos/o/r/issues?{LIST}", [])
    code, _, err, _ = cli(db, "sync", "github", "o/r", "--base-url", server.url, env={"GITHUB_TOKEN": None})
    assert code == 0 and err.startswith("warning: GITHUB_TOKEN is not set: anonymous requests, 60 an hour")
    code, _, err, _ = cli(db, "sync", "github", "o/r", "--base-url", server.url)
    assert code == 0 and "warning" not in err


def test_a_host_name_that_does_not_resolve_is_not_retried_whatever_the_reason() -> None:
    request = httpx.Request("GET", "https://no-such-host.invalid/")

    def failed(errno: int) -> httpx.ConnectError:
        exc = httpx.ConnectError("[Errno] lookup failed", request=request)
        exc.__cause__ = socket.gaierror(errno, "lookup failed")
        return exc

    timeout = httpx.Timeout(1.0)
    gone = classify(failed(socket.EAI_NONAME), expired=False, deadline=1, timeout=timeout)
    busy = classify(failed(socket.EAI_AGAIN), expired=False, deadline=1, timeout=timeout)
    assert (gone.retry, busy.retry) == (False, False) and "does not resolve (no such host" in gone.what
    assert "does not resolve (the name server failed" in busy.what
