"""Fetch GitHub pull requests over REST: raw JSON only (`github_parse` parses, the store writes).

Incremental by update time, newest first: `GET /repos/O/R/pulls?state=all&sort=updated&
direction=desc&per_page=100`, following `Link: rel="next"`, stopping at the first PR updated
before `since`. Newest-first lets a rerun stop after a page or two instead of walking the whole
history (ascending order would have to page from the beginning each time). It cannot miss a PR:
one updated during the listing jumps to the front (already passed) but its new `updated_at` is
later than anything this run saw, so the next run, starting at this run's newest time, gets it.
PRs updated exactly at `since` are fetched again (same-second updates are not lost; writes are
idempotent).

For each PR, five lists: reviews, review comments, conversation (issue) comments, files and
commits (`per_page=100`, Link-paged). Requested reviewers come with the PR object itself.

Issues the same way: `GET /repos/O/R/issues?state=all&sort=updated&direction=desc&since=<ISO>
&per_page=100` (the server filters by `since` too; the stop at the first older issue stays as a
guard). That endpoint lists PRs as well (objects with a `pull_request` key): they are skipped
here, the pulls listing brings them. Each issue's comments (`issues/N/comments`) are asked for
only when its `comments` count is not 0, which spares a request per quiet issue.
Works on GitHub Enterprise too: pass its API base, e.g. `https://ghe.example.com/api/v3`.
Credentials: `GITHUB_TOKEN` -> `Authorization: Bearer ...`, set on the client only (never logged,
printed or stored), checked to be printable ASCII first; without it, anonymous access (60
requests an hour: `missing_token` words the warning). Every listing is guarded against paging
that loops (`sources.paging`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from teammemory.errors import InputError, SourceError
from teammemory.sources.http import TIMEOUT, Http, make_client
from teammemory.sources.http_checks import check_token
from teammemory.sources.paging import follow_link_pages

API = "https://api.github.com"
HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
PER_PAGE = 100
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class PullBundle:
    """One PR as the API gives it: the PR object and its five lists, still raw JSON."""

    repo: str
    pull: Mapping[str, Any]
    reviews: tuple[Any, ...] = ()
    review_comments: tuple[Any, ...] = ()
    comments: tuple[Any, ...] = ()
    files: tuple[Any, ...] = ()
    commits: tuple[Any, ...] = ()

    @property
    def number(self) -> int:
        return int(self.pull["number"])


@dataclass(frozen=True)
class IssueBundle:
    """One issue as the API gives it: the issue object and its comments, still raw JSON."""

    repo: str
    issue: Mapping[str, Any]
    comments: tuple[Any, ...] = ()

    @property
    def number(self) -> int:
        return int(self.issue["number"])


def auth_headers(env: Mapping[str, str]) -> dict[str, str]:
    """`GITHUB_TOKEN` as a Bearer header, or nothing (anonymous); InputError if it is damaged."""
    token = check_token("GITHUB_TOKEN", env.get("GITHUB_TOKEN", ""))
    return {"Authorization": f"Bearer {token}"} if token else {}


def missing_token(env: Mapping[str, str]) -> str | None:
    """The warning to show when no token is set, else None."""
    if env.get("GITHUB_TOKEN", "").strip():
        return None
    return "GITHUB_TOKEN is not set: anonymous requests, 60 an hour, public repositories only"


def make_github_client(base_url: str = API, *, env: Mapping[str, str], timeout: float = TIMEOUT,
                       transport: httpx.BaseTransport | None = None, allow_insecure: bool = False,
                       name: str = "base URL") -> httpx.Client:
    """A client for github.com or an Enterprise server, authenticated from `env`."""
    return make_client(base_url, auth_headers=auth_headers(env), timeout=timeout, transport=transport,
                       headers=HEADERS, allow_insecure=allow_insecure, name=name)


def check_repo(repo: str) -> str:
    """`OWNER/REPO` as given, or an InputError naming the argument."""
    if not _REPO.match(repo):
        raise InputError("repository", f"expected OWNER/REPO, got {repo!r}")
    return repo


def fetch_pulls(http: Http, repo: str, *, since: int | None = None) -> Iterator[dict[str, Any]]:
    """Yield PR objects updated at or after `since` (epoch seconds), most recently updated first."""
    params: dict[str, str | int] = {"state": "all", "sort": "updated", "direction": "desc",
                                    "per_page": PER_PAGE}
    for page in follow_link_pages(http, f"/repos/{check_repo(repo)}/pulls", params):
        for pull in _list(page, f"/repos/{repo}/pulls"):
            if since is not None and updated_at(pull, repo) < since:
                return
            yield pull


def fetch_details(http: Http, repo: str, pull: Mapping[str, Any]) -> PullBundle:
    """The PR with its reviews, review comments, conversation comments, files and commits."""
    n = pull.get("number")
    base = f"/repos/{repo}"
    paths = {"reviews": f"{base}/pulls/{n}/reviews", "review_comments": f"{base}/pulls/{n}/comments",
             "comments": f"{base}/issues/{n}/comments", "files": f"{base}/pulls/{n}/files",
             "commits": f"{base}/pulls/{n}/commits"}
    lists = {name: tuple(fetch_list(http, path)) for name, path in paths.items()}
    return PullBundle(repo, pull, **lists)


def fetch_bundles(http: Http, repo: str, *, since: int | None = None) -> Iterator[PullBundle]:
    """Every PR updated since `since`, newest first, each with its details."""
    for pull in fetch_pulls(http, repo, since=since):
        yield fetch_details(http, repo, pull)


def fetch_issues(http: Http, repo: str, *, since: int | None = None) -> Iterator[dict[str, Any]]:
    """Yield issue objects (not PRs) updated at or after `since` (epoch seconds), newest first."""
    params: dict[str, str | int] = {"state": "all", "sort": "updated", "direction": "desc",
                                    "per_page": PER_PAGE}
    if since is not None:
        params["since"] = datetime.fromtimestamp(since, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for page in follow_link_pages(http, f"/repos/{check_repo(repo)}/issues", params):
        for issue in _list(page, f"/repos/{repo}/issues"):
            if since is not None and updated_at(issue, repo, "issues") < since:
                return
            if isinstance(issue, dict) and "pull_request" not in issue:
                yield issue


def fetch_issue_bundles(http: Http, repo: str, *, since: int | None = None) -> Iterator[IssueBundle]:
    """Every issue updated since `since`, newest first, each with its comments."""
    for issue in fetch_issues(http, repo, since=since):
        has_comments = issue.get("comments") != 0
        path = f"/repos/{repo}/issues/{issue.get('number')}/comments"
        yield IssueBundle(repo, issue, tuple(fetch_list(http, path)) if has_comments else ())


def fetch_list(http: Http, path: str) -> Iterator[Any]:
    """All items of a Link-paged list endpoint."""
    for page in follow_link_pages(http, path, {"per_page": PER_PAGE}):
        yield from _list(page, path)


def updated_at(pull: Mapping[str, Any], repo: str, listing: str = "pulls") -> int:
    """A PR's (issue's) `updated_at` (`2019-02-22T16:21:03Z`) as epoch seconds; SourceError if absent."""
    value = pull.get("updated_at") if isinstance(pull, Mapping) else None
    number = pull.get("number", "?") if isinstance(pull, Mapping) else "?"
    what = "PR" if listing == "pulls" else "issue"
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise SourceError(f"/repos/{repo}/{listing}: {what} #{number}: 'updated_at' is not a time:"
                          f" {value!r}") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def _list(page: Any, where: str) -> list[Any]:
    if not isinstance(page, list):
        raise SourceError(f"{where}: expected a JSON list, got {type(page).__name__}")
    return page
