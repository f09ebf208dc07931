"""ingest.sync end to end: a local replay server (recorded github3.py and jira.fiware.org
responses) -> fetch -> parse -> the store, on SQLite and PostgreSQL; PRs and issues, each with its
cursor; incremental reruns from the stored cursors; a failed run writes nothing and leaves the
cursors; the token is never stored, nor credentials given in the Jira URL (whose redacted target
finds its cursor again). More in tests/faults/test_secrets.py and test_hangs.py."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from teammemory.config import Config
from teammemory.errors import SourceError
from teammemory.ingest.sync import cursor_epoch, cursor_value, jira_target, sync_github, sync_jira
from teammemory.sources import github, jira
from teammemory.sources.http import Http, HttpStatusError, RetryPolicy
from teammemory.store import Store
from tests.helpers.replay_server import ReplayServer, Scripted, route_key, serving

TOKEN = "ghp_sync_token_never_stored"
REPO = "sigmavirus24/github3.py"
LIST = "state=all&sort=updated&direction=desc&per_page=100"
T_671 = "2017-10-26T20:43:48Z"  # PR 671's updated_at, the newer of the two
T_187 = "2014-12-14T04:31:56Z"  # issue 187's updated_at, the newest issue
ISSUES = f"{REPO} issues"  # the issues' cursor
CLOCK = 1_800_000_000.0


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with serving() as replay:
        yield replay


def github_http(url: str, **policy: Any) -> Http:
    client = github.make_github_client(url, env={"GITHUB_TOKEN": TOKEN}, timeout=5)
    return Http(client, RetryPolicy(rand=lambda: 0.0, **policy), sleep=lambda s: None, clock=lambda: CLOCK)


def recorded(realdata: Path, name: str) -> Any:
    return json.loads(next((realdata / "github/github3py/extracted").glob(f"{name}*.json")).read_text())


def script_github(server: ReplayServer, realdata: Path) -> None:
    """PR 671 (5 reviews) on listing page 1, PR 235 (files, commits, comments) on page 2."""
    base = f"/repos/{REPO}"
    server.add("GET", f"{base}/pulls?{LIST}", [recorded(realdata, "PullRequest_pull_reviews__0__")],
               headers={"Link": f'<{{base}}/repositories/3710711/pulls?{LIST}&page=2>; rel="next"'})
    server.add("GET", f"/repositories/3710711/pulls?{LIST}&page=2",
               [recorded(realdata, "PullRequest_files__0__")])
    lists = {
        "pulls/671/reviews": recorded(realdata, "PullRequest_pull_reviews__1__"),
        "pulls/235/files": recorded(realdata, "PullRequest_files__1__"),
        "pulls/235/commits": recorded(realdata, "PullRequest_commits__1__"),
        "pulls/235/comments": recorded(realdata, "PullRequest_review_comments__1__"),
        "issues/235/comments": recorded(realdata, "PullRequest_issue_comments__1__"),
    }
    kinds = ("pulls/{}/reviews", "pulls/{}/files", "pulls/{}/commits", "pulls/{}/comments",
             "issues/{}/comments")
    for path in [kind.format(n) for n in (671, 235) for kind in kinds]:
        server.add("GET", f"{base}/{path}?per_page=100", lists.get(path, []),
                   headers={"ETag": f'"{path}"'} if path == "pulls/671/reviews" else None)
    server.add("GET", f"{base}/pulls/671/reviews?per_page=100", None, status=304)  # for the rerun
    script_issues(server, realdata)


def script_issues(server: ReplayServer, realdata: Path) -> None:
    """Issue 187 (a Bug, 3 comments), PR 218's issue facet (skipped), and issue 188: 187's record with
    no comments and an older update (made here, so a quiet issue costs no comments request)."""
    base = f"/repos/{REPO}"
    issue_187 = recorded(realdata, "Issue_comments__0__")
    quiet = {**issue_187, "number": 188, "comments": 0, "labels": [], "updated_at": "2014-01-01T00:00:00Z",
             "url": f"https://api.github.com{base}/issues/188", "html_url": f"https://github.com/{REPO}/issues/188"}
    listing = [issue_187, recorded(realdata, "Issue_events__1__"), quiet]
    server.add("GET", f"{base}/issues?{LIST}", listing)
    server.add("GET", f"{base}/issues?{LIST}&since={T_187}", [issue_187])  # the rerun, from the cursor
    server.add("GET", f"{base}/issues/187/comments?per_page=100", recorded(realdata, "Issue_comments__1__"))


def table_counts(store: Store) -> dict[str, int]:
    tables = ("pull_requests", "reviews", "review_comments", "pr_comments", "pr_files", "pr_commits", "issues",
              "issue_comments")
    with store.read() as db:
        return {t: db.scalar(f"select count(*) as n from {t}") for t in tables}


def cursor(store: Store, source: str, target: str) -> str | None:
    with store.read() as db:
        return db.scalar("select value from cursors where source = :s and target = :t", s=source, t=target)


def test_github_sync_then_incremental_rerun(store: Store, server: ReplayServer, realdata: Path) -> None:
    script_github(server, realdata)
    http = github_http(server.url)
    first = sync_github(store, REPO, config=Config(), client=http, clock=lambda: CLOCK)
    assert first.counts == {"pull_requests": 2, "reviews": 5, "review_comments": 3, "comments": 1, "file_changes": 2,
                            "commits": 2, "issues": 2, "issue_comments": 3, "not_modified": 0}
    # pr_commits: PR 235 lists 2 commits + its merge commit; PR 671 only its merge commit
    expected = {"pull_requests": 2, "reviews": 5, "review_comments": 3, "pr_comments": 1, "pr_files": 2,
                "pr_commits": 4, "issues": 2, "issue_comments": 3}
    assert table_counts(store) == expected
    assert cursor(store, "github", REPO) == T_671
    assert cursor(store, "github", ISSUES) == T_187
    with store.read() as db:
        states = db.all("select number, state, merge_commit from pull_requests")
        issue = db.one("select key, status, status_category, issue_type, resolved_at from issues"
                       " where key = :k", k=f"{REPO}#187")
    assert sorted((r["number"], r["state"]) for r in states) == [(235, "merged"), (671, "merged")]
    assert issue == {"key": f"{REPO}#187", "status": "closed", "status_category": "done", "issue_type": "Bug",
                     "resolved_at": 1418531513}  # closed_at 2014-12-14T04:31:53Z
    assert f"{REPO}/issues/188/comments?per_page=100" not in " ".join(server.paths())

    server.requests.clear()
    second = sync_github(store, REPO, config=Config(), client=http, clock=lambda: CLOCK)
    # PR 671 was updated exactly at the cursor: read again (its reviews answered 304 from the ETag
    # cache); PR 235 is older, so the listing stops there and its lists are never asked for
    assert second.counts["pull_requests"] == 1 and second.counts["reviews"] == 5
    assert second.counts["not_modified"] == 1
    assert not any("/235/" in p for p in server.paths())
    # issues: asked from their own cursor (`since`); 187 again (updated exactly then), with its comments
    assert (second.counts["issues"], second.counts["issue_comments"]) == (1, 3)
    assert table_counts(store) == expected
    assert cursor(store, "github", REPO) == T_671
    assert cursor(store, "github", ISSUES) == T_187
    assert server.unexpected == []


def test_github_failure_writes_nothing_and_keeps_the_cursor(store: Store, server: ReplayServer,
                                                            realdata: Path) -> None:
    script_github(server, realdata)
    server.routes.pop(route_key("GET", f"/repos/{REPO}/pulls/235/files?per_page=100"))
    server.add("GET", f"/repos/{REPO}/pulls/235/files?per_page=100", {"message": "boom"}, status=502)
    with pytest.raises(HttpStatusError, match="pulls/235/files.*HTTP 502 after 2 attempts"):
        sync_github(store, REPO, config=Config(), client=github_http(server.url, attempts=2))
    assert table_counts(store)["pull_requests"] == 0 and table_counts(store)["reviews"] == 0
    assert cursor(store, "github", REPO) is None
    assert cursor(store, "github", ISSUES) is None
    with store.read() as db:
        runs = db.all("select source, target, status from ingest_runs")
    assert runs == [{"source": "github", "target": REPO, "status": "failed"}]


def test_a_failing_issue_request_rolls_back_the_prs_too(store: Store, server: ReplayServer, realdata: Path) -> None:
    script_github(server, realdata)
    server.routes.pop(route_key("GET", f"/repos/{REPO}/issues/187/comments?per_page=100"))
    server.add("GET", f"/repos/{REPO}/issues/187/comments?per_page=100", {"message": "boom"}, status=502)
    with pytest.raises(HttpStatusError, match="issues/187/comments.*HTTP 502"):
        sync_github(store, REPO, config=Config(), client=github_http(server.url, attempts=1))
    assert set(table_counts(store).values()) == {0}
    assert cursor(store, "github", REPO) is None and cursor(store, "github", ISSUES) is None


def test_github_token_is_never_stored_printed_or_logged(
        sqlite_store: Store, server: ReplayServer, realdata: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    script_github(server, realdata)
    sync_github(sqlite_store, REPO, config=Config(), client=github_http(server.url))
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)
    with sqlite_store.read() as db:
        tables = [r["name"] for r in db.all("select name from sqlite_master where type = 'table'")]
        dump = json.dumps({t: db.all(f"select * from {t}") for t in tables}, default=str)
    assert REPO in dump and TOKEN not in dump
    refused = Scripted(401, {"message": "Bad credentials"})
    server.routes[route_key("GET", f"/repos/{REPO}/pulls?{LIST}")] = [refused]
    with pytest.raises(SourceError, match="token refused") as err:
        sync_github(sqlite_store, REPO, config=Config(), client=github_http(server.url))
    assert TOKEN not in str(err.value)
    assert TOKEN not in caplog.text


JQL = "project = HELP"


def jira_search(jql: str, start: int = 0) -> str:
    return f"{jira.SERVER_SEARCH}?" + urlencode({"jql": jql, "expand": "changelog", "fields": "*all",
                                                 "startAt": start, "maxResults": 100})


def script_jira(server: ReplayServer, realdata: Path) -> None:
    d = realdata / "jira/perceval_fiware"
    page1 = json.loads((d / "jira_issues_page_1.json").read_text())
    page2 = json.loads((d / "jira_issues_page_2.json").read_text())
    comments1 = json.loads((d / "jira_comments_issue_page_1.json").read_text())
    # HELP-6043 as Jira cuts long threads: the search result holds 1 of its 3 comments
    first = page1["issues"][0]
    first["fields"]["comment"] = {"comments": comments1["comments"][:1], "maxResults": 1, "total": 3,
                                  "startAt": 0}
    server.add("GET", jira.FIELDS, json.loads((d / "jira_fields.json").read_text()))
    server.add("GET", jira_search("(project = HELP) ORDER BY updated ASC"), page1)
    server.add("GET", jira_search("(project = HELP) ORDER BY updated ASC", start=2), page2)
    server.add("GET", "/rest/api/2/issue/HELP-6043/comment?startAt=0&maxResults=100", comments1)
    server.add("GET", "/rest/api/2/issue/HELP-6043/comment?startAt=2&maxResults=100",
               json.loads((d / "jira_comments_issue_page_2.json").read_text()))
    # the rerun asks from the cursor (2016-03-03T14:32:47Z) minus 13 h
    server.add("GET", jira_search('(project = HELP) AND updated >= "2016-03-03 01:32" ORDER BY updated ASC'),
               json.loads((d / "jira_issues_page_empty.json").read_text()))


def test_jira_sync_then_incremental_rerun(store: Store, server: ReplayServer, realdata: Path) -> None:
    script_jira(server, realdata)
    client = jira.make_jira_client(server.url, env={"JIRA_API_TOKEN": "pat", "JIRA_EMAIL": "ana@example.com"},
                                   timeout=5)
    target = jira_target(server.url, JQL)
    first = sync_jira(store, server.url, JQL, config=Config(), client=client)
    assert first.counts["issues"] == 3
    assert first.counts["comments"] == 2  # the recorded pages repeat two comment ids
    with store.read() as db:
        keys = sorted(r["key"] for r in db.all("select key from issues"))
        comments = db.scalar("select count(*) as n from issue_comments where issue_key = 'HELP-6043'")
    assert keys == ["HELP-6041", "HELP-6042", "HELP-6043"] and comments == 2
    assert cursor(store, "jira", target) == "2016-03-03T14:32:47Z"

    second = sync_jira(store, server.url, JQL, config=Config(), client=client)
    assert second.counts["issues"] == 0
    assert cursor(store, "jira", target) == "2016-03-03T14:32:47Z"
    assert all(r.headers["authorization"].startswith("Basic ") for r in server.requests)
    assert server.requests[-1].query["jql"].startswith('(project = HELP) AND updated >= "2016-03-03 01:32"')
    assert server.unexpected == []


def test_jira_credentials_in_the_url_stay_out_of_the_cursor_which_is_found_again(
        store: Store, server: ReplayServer, realdata: Path) -> None:
    script_jira(server, realdata)
    url = server.url.replace("://", "://ana:t0ken-in-url@")
    client = jira.make_jira_client(url, env={}, timeout=5)
    assert jira_target(url, JQL) == f"{server.url.replace('://', '://ana:***@')} :: {JQL}"
    first = sync_jira(store, url, JQL, config=Config(), client=client)
    second = sync_jira(store, url, JQL, config=Config(), client=client)
    assert first.target == second.target == jira_target(url, JQL) and "t0ken" not in first.target
    assert cursor(store, "jira", jira_target(url, JQL)) == "2016-03-03T14:32:47Z"
    assert server.requests[-1].query["jql"].startswith('(project = HELP) AND updated >= "2016-03-03 01:32"')
    with store.read() as db:
        stored = db.all("select target from cursors where source = 'jira' union all"
                        " select target from ingest_runs where source = 'jira'")
    assert {r["target"] for r in stored} == {jira_target(url, JQL)}


def test_cursor_round_trip() -> None:
    assert cursor_value(1_457_015_567) == "2016-03-03T14:32:47Z"
    assert cursor_epoch("2016-03-03T14:32:47Z") == 1_457_015_567
    assert cursor_epoch(None) is None


def test_unchanged_pull_list_costs_a_304_across_runs(sqlite_store: Store, server: ReplayServer,
                                                     realdata: Path) -> None:
    """The list page's ETag and body are stored with the data, so the next run (a new process,
    a new client) asks with If-None-Match and is answered 304, which costs no quota."""
    script_github(server, realdata)
    base = f"/repos/{REPO}"
    page1 = recorded(realdata, "PullRequest_pull_reviews__0__")
    link = f'<{{base}}/repositories/3710711/pulls?{LIST}&page=2>; rel="next"'
    server.routes[route_key("GET", f"{base}/pulls?{LIST}")] = [
        Scripted(200, [page1], {"Link": link, "ETag": '"list-1"'}), Scripted(304, None, {"Link": link})]
    server.routes[route_key("GET", f"{base}/pulls/671/reviews?per_page=100")] = [
        Scripted(200, recorded(realdata, "PullRequest_pull_reviews__1__"))]
    sync_github(sqlite_store, REPO, config=Config(), client=github_http(server.url), clock=lambda: CLOCK)
    with sqlite_store.read() as db:
        assert db.scalar("select etag from http_cache where url like :u", u=f"%{base}/pulls?%") == '"list-1"'
    server.requests.clear()
    second = sync_github(sqlite_store, REPO, config=Config(), client=github_http(server.url), clock=lambda: CLOCK)
    listing = [r for r in server.requests if r.path.startswith(f"{base}/pulls?")]
    assert [r.headers.get("if-none-match") for r in listing] == ['"list-1"']
    assert second.counts["not_modified"] == 1 and second.counts["pull_requests"] == 1  # 671, at the cursor


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, str, list[str]]]:
    """What each sync's status line heard: (shown, its name, the steps in order)."""
    from collections.abc import Callable
    from contextlib import contextmanager

    from teammemory.ingest import sync

    seen: list[tuple[bool, str, list[str]]] = []

    @contextmanager
    def recording(show: bool, name: str) -> Iterator[Callable[[str], None]]:
        heard: list[str] = []
        seen.append((show, name, heard))
        yield heard.append

    monkeypatch.setattr(sync, "status_line", recording)
    return seen


DERIVED = ["deriving links", "deriving components", "deriving test files", "deriving bug fixes",
           "deriving identities", "deriving summaries", "deriving lineage", "deriving bug-fix history",
           "deriving text index", "updating the planner's statistics"]


def test_a_github_sync_says_what_it_fetches_then_each_step(sqlite_store: Store, server: ReplayServer,
                                                           realdata: Path,
                                                           said: list[tuple[bool, str, list[str]]]) -> None:
    script_github(server, realdata)
    sync_github(sqlite_store, REPO, config=Config(), client=github_http(server.url), clock=lambda: CLOCK,
                progress=True)
    # stderr is no terminal under pytest: not shown, but told all the same
    assert said == [(False, REPO, ["fetching pull requests", "fetching issues",
                                   "writing 2 pull requests and 2 issues", *DERIVED,
                                   "writing the store file"])]  # a first sync: a store built privately


def test_a_jira_sync_says_what_it_fetches_then_each_step(sqlite_store: Store, server: ReplayServer,
                                                         realdata: Path,
                                                         said: list[tuple[bool, str, list[str]]]) -> None:
    script_jira(server, realdata)
    client = jira.make_jira_client(server.url, env={"JIRA_API_TOKEN": "pat", "JIRA_EMAIL": "ana@example.com"},
                                   timeout=5)
    sync_jira(sqlite_store, server.url, JQL, config=Config(), client=client, progress=True)
    assert said == [(False, server.url, ["fetching issues", "writing 3 issues", *DERIVED, "writing the store file"])]
