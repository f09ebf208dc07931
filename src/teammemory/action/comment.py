"""The Action's one PR comment: find it by its hidden marker, then update it or create it.

    GET   /repos/O/R/issues/N/comments?per_page=100   (every page, `Link: rel="next"`)
    PATCH /repos/O/R/issues/comments/ID  {"body": ...}  when a comment holds MARKER
    POST  /repos/O/R/issues/N/comments   {"body": ...}  otherwise

Reading goes through `sources.http` (its retries, rate-limit waits, deadline and paging guard).
Writing sends a JSON body, which `sources.http.send` does not, so it is one small loop here with
the same rules: connection failures, timeouts, 408 and 5xx are retried with the same back-off,
a 429 (or a 403 with Retry-After) waits as asked; every other status fails at once with one line
naming the request and GitHub's own message. A PATCH is retried as it is (it is idempotent); a
POST that failed in a way that may have reached GitHub is never simply sent again: the comments
are listed first, and a comment holding the marker is updated instead, so a retry cannot leave
two comments. The token is in the client's headers only; no message quotes a header.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from teammemory import redact
from teammemory.errors import SourceError
from teammemory.sources.http import Http, HttpStatusError, backoff, retry_after_seconds
from teammemory.sources.http_errors import ERRORS, classify
from teammemory.sources.paging import follow_link_pages

log = logging.getLogger(__name__)
MARKER = "<!-- teammemory -->"
PERMISSION_HINT = ("the workflow's token cannot write PR comments: give the job `permissions: pull-requests: write`"
                   " (a PR from a fork gets a read-only token on `pull_request`)")


@dataclass(frozen=True)
class Posted:
    """The comment as GitHub holds it now, and whether this run created it."""

    id: int
    url: str
    created: bool


def find(http: Http, repo: str, number: int) -> dict[str, Any] | None:
    """The first comment on PR `number` whose body holds MARKER (oldest first), else None."""
    for page in follow_link_pages(http, f"/repos/{repo}/issues/{number}/comments", {"per_page": 100}):
        if not isinstance(page, list):
            raise SourceError(f"GET /repos/{repo}/issues/{number}/comments: expected a list of comments")
        for comment in page:
            if isinstance(comment, dict) and MARKER in str(comment.get("body") or "") and isinstance(
                    comment.get("id"), int):
                return comment
    return None


def upsert(http: Http, repo: str, number: int, body: str) -> Posted:
    """Update the marked comment on PR `number` with `body`, or create it: never a second one."""
    if MARKER not in body:
        body = f"{MARKER}\n{body}"
    found = find(http, repo, number)
    if found is not None:
        return _posted(_write(http, "PATCH", f"/repos/{repo}/issues/comments/{found['id']}", body), created=False)
    url = f"/repos/{repo}/issues/{number}/comments"
    return _posted(_write(http, "POST", url, body, recheck=lambda: find(http, repo, number)), created=True)


def _posted(data: Any, *, created: bool) -> Posted:
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise SourceError("GitHub's answer to the comment request holds no comment id")
    return Posted(data["id"], str(data.get("html_url") or ""), created)


def _write(http: Http, method: str, url: str, body: str,
           recheck: Callable[[], dict[str, Any] | None] | None = None) -> Any:
    """Send `body` as {"body": ...}; retry what can recover (a POST only after `recheck` found no
    comment it may have created: then that comment is updated instead)."""
    policy, where = http.policy, f"{method} {redact.url(url)}"
    failures = 0
    while True:
        what, wait, response = _send(http.client, method, url, body, policy.deadline)
        if response is not None and what is None:
            return _json(response, where)
        if wait is None:  # cannot recover
            raise HttpStatusError(f"{where}: {what}", response.status_code if response is not None else 0)
        failures += 1
        if failures >= policy.attempts:
            raise HttpStatusError(f"{where}: {what} after {failures} attempts",
                                  response.status_code if response is not None else 0)
        delay = min(wait, policy.max_wait) if wait else backoff(failures, policy)
        log.warning("%s: %s; retry %d of %d in %.1f s", where, what, failures, policy.attempts - 1, delay)
        http.sleep(delay)
        if recheck is not None:
            done = recheck()
            if done is not None:  # the failed POST did reach GitHub: update what it created
                method, url = "PATCH", f"{url.rsplit('/issues/', 1)[0]}/issues/comments/{done['id']}"
                where, recheck = f"{method} {redact.url(url)}", None


def _send(client: httpx.Client, method: str, url: str, body: str, deadline: float
          ) -> tuple[str | None, float | None, httpx.Response | None]:
    """One try: (None, None, response) on success; else (what went wrong, the wait before a
    retry (0: back off), or None when retrying cannot help, the response if one came)."""
    try:
        response = client.request(method, url, json={"body": body})
    except ERRORS as exc:
        failure = classify(exc, expired=False, deadline=deadline, timeout=client.timeout)
        return failure.what, 0.0 if failure.retry else None, None
    status = response.status_code
    if status < 400:
        return None, None, response
    message = f"HTTP {status}: {api_message(response)}"
    asked = retry_after_seconds(response.headers.get("Retry-After", ""), time.time())
    if status in (408,) or status >= 500:
        return message, min(asked, 60.0) if asked else 0.0, response
    if status == 429 or (status == 403 and (asked is not None or response.headers.get("X-RateLimit-Remaining") == "0")):
        return message, asked or 60.0, response
    if status == 401:
        return "token refused (HTTP 401); check the token given to the action", None, response
    if status in (403, 404):
        message += f" ({PERMISSION_HINT})"
    return message, None, response


def _json(response: httpx.Response, where: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise SourceError(f"{where}: response is not JSON") from None


def api_message(response: httpx.Response) -> str:
    """GitHub's own words: `message`, then each validation error's `message` (or field and code)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    if not isinstance(body, dict):
        return str(body)[:200]
    parts = [str(body["message"])] if body.get("message") else []
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            parts.append(str(error.get("message") or f"{error.get('field', '?')} {error.get('code', 'invalid')}"))
        else:
            parts.append(str(error))
    return "; ".join(parts)[:300] or response.reason_phrase
