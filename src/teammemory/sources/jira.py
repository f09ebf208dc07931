"""Fetch Jira issues over REST: raw JSON only (parsing is `jira_parse`'s job, writing the store's).

Two search endpoints, because Atlassian removed the old one from Cloud:
- Server / Data Center: `GET /rest/api/2/search`, paged by startAt/maxResults/total;
- Cloud: `GET /rest/api/3/search/jql`, paged by `nextPageToken` (no total). v3 sends rich text as
  Atlassian Document Format, which `jira_parse` turns into text.
`cloud=None` detects: a `*.atlassian.net` host is Cloud; any other host is tried as Server and,
when its search endpoint answers 404 or 410 (a Cloud site behind its own domain), as Cloud.
Every search asks `expand=changelog` and `fields=*all`; an issue whose `fields.comment.total`
exceeds the comments it came with gets them all from `/issue/{key}/comment` (startAt paging).

Incremental runs (`incremental_jql`): `(<user JQL>) AND updated >= "yyyy-MM-dd HH:mm" ORDER BY
updated ASC`. Jira reads that date in the *user's* time zone, which we do not know, so the
cursor is moved back OVERLAP seconds (the largest UTC offset west, plus a margin): a rerun
re-reads a few hours of issues (idempotent writes make that harmless) and never misses one.
Credentials (`auth_headers`): JIRA_API_TOKEN with JIRA_EMAIL -> basic auth (Cloud API token);
JIRA_API_TOKEN alone -> Bearer (Server/DC personal access token); neither -> anonymous, or the
user:password of the base URL (httpx sends them as basic auth; they are never printed or stored:
every URL shown passes through `redact.url`). Both variables are checked before use. Every
listing is guarded against paging that loops (`sources.paging`).
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from teammemory.errors import InputError, SourceError
from teammemory.sources.http import TIMEOUT, Http, HttpStatusError, make_client
from teammemory.sources.http_checks import check_token
from teammemory.sources.paging import start_at_pages, token_pages

log = logging.getLogger(__name__)

SERVER_SEARCH = "/rest/api/2/search"
CLOUD_SEARCH = "/rest/api/3/search/jql"
FIELDS = "/rest/api/2/field"
PAGE_SIZE = 100
OVERLAP = 13 * 3600  # UTC-12 is the westernmost offset; one hour more for daylight saving quirks
_ORDER_BY = re.compile(r"\s+order\s+by\s+.*$", re.IGNORECASE | re.DOTALL)


def auth_headers(env: Mapping[str, str]) -> dict[str, str]:
    """Basic (email + API token, Cloud) or Bearer (personal access token, Server/DC) or none."""
    token = check_token("JIRA_API_TOKEN", env.get("JIRA_API_TOKEN", ""))
    if not token:
        return {}
    email = env.get("JIRA_EMAIL", "").strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in email):
        raise InputError("JIRA_EMAIL", "holds a line break or a control character; set it again")
    if email:
        pair = base64.b64encode(f"{email}:{token}".encode()).decode("ascii")
        return {"Authorization": f"Basic {pair}"}
    return {"Authorization": f"Bearer {token}"}


def missing_token(env: Mapping[str, str], base_url: str) -> str | None:
    """The warning to show when neither JIRA_API_TOKEN nor the URL's user:password is set."""
    if env.get("JIRA_API_TOKEN", "").strip() or httpx.URL(base_url).userinfo:
        return None
    return "JIRA_API_TOKEN is not set: anonymous requests see only what the site shows to everyone"


def make_jira_client(base_url: str, *, env: Mapping[str, str], timeout: float = TIMEOUT,
                     transport: httpx.BaseTransport | None = None, allow_insecure: bool = False,
                     name: str = "base URL") -> httpx.Client:
    """A client for one Jira site (its base URL, with any context path), authenticated from `env`."""
    return make_client(base_url, auth_headers=auth_headers(env), timeout=timeout, transport=transport,
                       headers={"Accept": "application/json"}, allow_insecure=allow_insecure, name=name)


def is_cloud_host(host: str) -> bool:
    return host.lower().endswith((".atlassian.net", ".jira.com"))


def incremental_jql(user_jql: str, since: int | None) -> str:
    """The user's JQL (its own ORDER BY dropped), limited to issues updated since `since` (epoch)."""
    base = _ORDER_BY.sub("", " " + user_jql.strip()).strip()
    clauses = [f"({base})"] if base else []
    if since is not None:
        moment = datetime.fromtimestamp(max(0, since - OVERLAP), tz=UTC)
        clauses.append(f'updated >= "{moment:%Y-%m-%d %H:%M}"')
    return " AND ".join(clauses) + " ORDER BY updated ASC"


def fetch_issues(http: Http, jql: str, *, cloud: bool | None = None,
                 page_size: int = PAGE_SIZE) -> Iterator[dict[str, Any]]:
    """Yield raw issues (with changelog and all their comments) in the order the search gives."""
    for page, api in search_pages(http, jql, cloud=cloud, page_size=page_size):
        for issue in page.get("issues") or []:
            if not isinstance(issue, dict):
                raise SourceError(f"Jira search: an issue is not an object: {str(issue)[:80]}")
            yield with_all_comments(http, issue, api=api)


def search_pages(http: Http, jql: str, *, cloud: bool | None,
                 page_size: int = PAGE_SIZE) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield (search page, REST API version) from the endpoint that fits the site."""
    params: dict[str, str | int] = {"jql": jql, "expand": "changelog", "fields": "*all"}
    if cloud or (cloud is None and is_cloud_host(http.client.base_url.host)):
        yield from _tagged(token_pages(http, CLOUD_SEARCH, {**params, "maxResults": page_size},
                                       items_key="issues"), "3")
        return
    pages = start_at_pages(http, SERVER_SEARCH, params, items_key="issues", page_size=page_size)
    try:
        first = next(pages)
    except HttpStatusError as exc:
        if cloud is not None or exc.status not in (404, 410):
            raise
        log.info("%s answered %d: using the Cloud search endpoint", SERVER_SEARCH, exc.status)
        yield from search_pages(http, jql, cloud=True, page_size=page_size)
        return
    yield first, "2"
    yield from _tagged(pages, "2")


def _tagged(pages: Iterator[Any], api: str) -> Iterator[tuple[dict[str, Any], str]]:
    for page in pages:
        yield page, api


def with_all_comments(http: Http, issue: dict[str, Any], *, api: str = "2") -> dict[str, Any]:
    """`issue`, with `fields.comment.comments` completed from the comment endpoint when cut short."""
    fields = issue.get("fields")
    if not isinstance(fields, dict):
        return issue
    block = fields.get("comment")
    if not isinstance(block, dict) or not isinstance(block.get("comments"), list):
        return issue
    if int(block.get("total") or 0) <= len(block["comments"]):
        return issue
    comments = list(fetch_comments(http, str(issue.get("key") or issue.get("id")), api=api))
    return {**issue, "fields": {**fields, "comment": {**block, "comments": comments, "startAt": 0,
                                                      "maxResults": len(comments)}}}


def fetch_comments(http: Http, key: str, *, api: str = "2") -> Iterator[dict[str, Any]]:
    """Every comment of one issue, oldest first, from `/rest/api/{api}/issue/{key}/comment`."""
    url = f"/rest/api/{api}/issue/{key}/comment"
    for page in start_at_pages(http, url, items_key="comments", page_size=PAGE_SIZE):
        yield from page["comments"]


def fetch_fields(http: Http) -> list[dict[str, Any]]:
    """Field definitions (`GET /rest/api/2/field`): they tell which custom field is the Epic Link."""
    data = http.get(FIELDS).data
    if not isinstance(data, list):
        raise SourceError(f"{FIELDS}: expected a list of fields")
    return [f for f in data if isinstance(f, dict)]
