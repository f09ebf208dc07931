"""HTTP for the live sync clients: one client factory, one request loop, three paging styles.

`send()` implements once, for GitHub and Jira alike:
- conditional requests: an `EtagCache` (in memory, for one run, keyed by the full request URL)
  sends `If-None-Match`; a 304 returns the cached reply. GitHub does not count a 304 against the
  quota, so re-reading an unchanged page within a run is free;
- primary rate limits: a 403/429 with `X-RateLimit-Remaining: 0` sleeps until
  `X-RateLimit-Reset` (+1 s); a reset further away than `RetryPolicy.max_wait` is a SourceError
  (a clock that far off, or a limit that low, needs a human, not a silent hour-long hang);
- secondary limits: a 403/429 with `Retry-After` sleeps that long; a 403/429 whose body mentions
  'secondary rate limit' or 'abuse' sleeps `secondary_wait`, doubled on each repeat;
- transient failures (5xx, connection errors, timeouts): exponential back-off with jitter, at most
  `attempts` tries; 401 is 'token refused'; other 4xx name the URL and the API's own message;
- a body that is not JSON is a SourceError naming the URL.
Errors and log lines name the URL and never a header: the token lives only in the client.
Paging: `follow_link_pages` (GitHub `Link: rel="next"`), `start_at_pages` (Jira Server
startAt/maxResults/total) and `token_pages` (Jira Cloud nextPageToken), all generators.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from teammemory import __version__
from teammemory.errors import SourceError

log = logging.getLogger(__name__)

Params = Mapping[str, str | int] | None
SECONDARY_MARKERS = ("secondary rate limit", "abuse")


class HttpStatusError(SourceError):
    """An HTTP error status that retries could not (or should not) get past; `status` is kept."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: transient retries, back-off bounds, and the longest rate-limit wait."""

    attempts: int = 5  # tries for one request facing 5xx / connection errors
    backoff: float = 1.0  # first back-off in seconds, doubled on each retry
    max_backoff: float = 60.0
    max_wait: float = 3900.0  # GitHub resets hourly: a longer wait means something is wrong
    secondary_wait: float = 60.0  # secondary limit without Retry-After (GitHub's advice: >= 1 min)
    rate_waits: int = 10  # rate-limit waits allowed for one request before giving up
    rand: Callable[[], float] = random.random  # jitter source; tests pass a constant


@dataclass(frozen=True)
class Reply:
    """One parsed JSON response: the URL asked, the status, the body and the next-page link."""

    url: str
    status: int
    data: Any
    next_url: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class EtagCache:
    """ETag -> reply, per request URL, for one run (in memory; nothing is written to disk)."""

    entries: dict[str, tuple[str, Reply]] = field(default_factory=dict)
    hits: int = 0

    def etag(self, url: str) -> str | None:
        entry = self.entries.get(url)
        return entry[0] if entry else None

    def replay(self, url: str) -> Reply:
        self.hits += 1
        return self.entries[url][1]

    def remember(self, url: str, etag: str | None, reply: Reply) -> None:
        if etag:
            self.entries[url] = (etag, reply)


@dataclass(frozen=True)
class Http:
    """What a fetcher needs to talk to one API: the client, the policy, the clock and the cache."""

    client: httpx.Client
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    etags: EtagCache = field(default_factory=EtagCache)

    def get(self, url: str, params: Params = None) -> Reply:
        return send(self.client, "GET", url, params, retry_policy=self.policy, sleep=self.sleep,
                    clock=self.clock, etags=self.etags)


def make_client(base_url: str, *, auth_headers: Mapping[str, str], timeout: float = 30.0,
                transport: httpx.BaseTransport | None = None,
                headers: Mapping[str, str] | None = None) -> httpx.Client:
    """An httpx client for one API; redirects are followed (httpx drops auth on a host change)."""
    all_headers = {"User-Agent": f"teammemory/{__version__}", **(headers or {}), **auth_headers}
    return httpx.Client(base_url=base_url, headers=all_headers, timeout=timeout, transport=transport,
                        follow_redirects=True)


def request_json(client: httpx.Client, method: str, url: str, params: Params = None, *,
                 retry_policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, etags: EtagCache | None = None) -> Any:
    """The JSON body of one request, after the retries, waits and checks `send` applies."""
    return send(client, method, url, params, retry_policy=retry_policy, sleep=sleep, clock=clock,
                etags=etags).data


def send(client: httpx.Client, method: str, url: str, params: Params = None, *,
         retry_policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep,
         clock: Callable[[], float] = time.time, etags: EtagCache | None = None) -> Reply:
    """Send until a usable answer, a refusal, or the policy's limits; return the parsed reply."""
    request = client.build_request(method, url, params=dict(params) if params else None)
    where = f"{method} {_public_url(request.url)}"
    cached = etags.etag(str(request.url)) if etags is not None and method == "GET" else None
    if cached:
        request.headers["If-None-Match"] = cached
    failures = waits = 0
    while True:
        response = _attempt(client, request, where)
        if response is not None and response.status_code == 304 and cached and etags is not None:
            return etags.replay(str(request.url))
        wait = _rate_limit_wait(response, clock(), retry_policy, waits) if response is not None else None
        if wait is not None:
            waits += 1
            _check_wait(wait, waits, retry_policy, where)
            log.warning("%s: rate limited, waiting %.0f s", where, wait)
            sleep(wait)
            continue
        if response is None or response.status_code >= 500:
            failures += 1
            _check_failures(response, failures, retry_policy, where)
            delay = backoff(failures, retry_policy)
            log.warning("%s: %s, retry %d in %.1f s", where, _describe(response), failures, delay)
            sleep(delay)
            continue
        reply = _reply(response, where)
        if etags is not None and method == "GET":
            etags.remember(str(request.url), response.headers.get("ETag"), reply)
        return reply


def _attempt(client: httpx.Client, request: httpx.Request, where: str) -> httpx.Response | None:
    """One try; None stands for a transport failure (refused, reset, timed out) worth a retry."""
    try:
        response = client.send(request)
        response.read()
        return response
    except httpx.TransportError as exc:
        log.warning("%s: %s", where, type(exc).__name__)
        return None


def backoff(failure: int, policy: RetryPolicy) -> float:
    """Exponential back-off with 'equal jitter': half fixed, half random, capped."""
    delay = min(policy.max_backoff, policy.backoff * 2 ** (failure - 1))
    return delay / 2 + policy.rand() * delay / 2


def _rate_limit_wait(response: httpx.Response, now: float, policy: RetryPolicy, waits: int) -> float | None:
    """Seconds to wait when `response` is a primary or secondary rate limit, else None."""
    if response.status_code not in (403, 429):
        return None
    headers = response.headers
    if headers.get("X-RateLimit-Remaining") == "0" and headers.get("X-RateLimit-Reset", "").isdigit():
        return max(0.0, int(headers["X-RateLimit-Reset"]) - now) + 1.0
    retry_after = headers.get("Retry-After", "").strip()
    if retry_after.isdigit():
        return float(retry_after)
    if response.status_code == 429 or any(m in response.text.lower() for m in SECONDARY_MARKERS):
        return policy.secondary_wait * 2 ** waits
    return None


def _check_wait(wait: float, waits: int, policy: RetryPolicy, where: str) -> None:
    if wait > policy.max_wait:
        raise SourceError(f"{where}: rate limited for {wait:.0f} s, longer than the {policy.max_wait:.0f} s"
                          " this run will wait; try again later")
    if waits > policy.rate_waits:
        raise SourceError(f"{where}: still rate limited after {policy.rate_waits} waits; try again later")


def _check_failures(response: httpx.Response | None, failures: int, policy: RetryPolicy, where: str) -> None:
    if failures < policy.attempts:
        return
    status = response.status_code if response is not None else 0
    raise HttpStatusError(f"{where}: {_describe(response)} after {failures} attempts", status)


def _describe(response: httpx.Response | None) -> str:
    if response is None:
        return "no response (connection failed or timed out)"
    return f"HTTP {response.status_code}"


def _reply(response: httpx.Response, where: str) -> Reply:
    """Turn a final response into a Reply, or raise the error it stands for."""
    status = response.status_code
    if status == 401:
        raise HttpStatusError(f"{where}: token refused (HTTP 401); check the token in the environment", 401)
    if status >= 400:
        raise HttpStatusError(f"{where}: HTTP {status}: {_api_message(response)}", status)
    if status == 204 or not response.content:
        return Reply(str(response.request.url), status, None, _next(response), dict(response.headers))
    try:
        data = json.loads(response.content)
    except ValueError as exc:
        raise SourceError(f"{where}: response is not JSON ({exc.__class__.__name__}: {exc})") from None
    return Reply(str(response.request.url), status, data, _next(response), dict(response.headers))


def _api_message(response: httpx.Response) -> str:
    """The API's own words: GitHub's `message`, Jira's `errorMessages`/`errors`, else the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    if isinstance(body, dict):
        parts = [str(body["message"])] if body.get("message") else []
        parts += [str(m) for m in body.get("errorMessages") or []]
        errors = body.get("errors")
        if isinstance(errors, dict):
            parts += [f"{k}: {v}" for k, v in sorted(errors.items())]
        if parts:
            return "; ".join(parts)[:300]
    return json.dumps(body)[:200]


def _next(response: httpx.Response) -> str | None:
    link = response.links.get("next")
    return link.get("url") if link else None


def _public_url(url: httpx.URL) -> str:
    """The URL without any user:password part (it never holds one here, but errors are printed)."""
    return str(url.copy_with(username=None, password=None)) if url.userinfo else str(url)


def follow_link_pages(http: Http, url: str, params: Params = None) -> Iterator[Any]:
    """Yield each page's JSON, following `Link: rel="next"` (which carries the query itself).

    A next link to another host is refused: following it would send the token there.
    """
    reply = http.get(url, params)
    yield reply.data
    while reply.next_url:
        _check_same_origin(http.client, reply.next_url, reply.url)
        reply = http.get(reply.next_url)
        yield reply.data


def _check_same_origin(client: httpx.Client, next_url: str, came_from: str) -> None:
    target, base = httpx.URL(next_url), client.base_url
    if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
        raise SourceError(f"{came_from}: next page is on another host ({target.host}); refusing to send the"
                          " token there")


def start_at_pages(http: Http, url: str, params: Params = None, *, items_key: str,
                   page_size: int = 100) -> Iterator[Any]:
    """Yield Jira Server pages ({startAt, maxResults, total, <items_key>: [...]}) until `total`."""
    start = 0
    while True:
        data = http.get(url, {**(params or {}), "startAt": start, "maxResults": page_size}).data
        items = _items(data, items_key, url)
        yield data
        start = int(data.get("startAt", start)) + len(items)
        if not items or start >= int(data.get("total", 0)):
            return


def token_pages(http: Http, url: str, params: Params = None, *, items_key: str,
                token_param: str = "nextPageToken") -> Iterator[Any]:
    """Yield Jira Cloud pages until one has no `nextPageToken` (or says `isLast`)."""
    token: str | None = None
    while True:
        page_params = {**(params or {}), **({token_param: token} if token else {})}
        data = http.get(url, page_params).data
        _items(data, items_key, url)
        yield data
        token = data.get(token_param)
        if not token or data.get("isLast") is True:
            return


def _items(data: Any, key: str, url: str) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get(key, []), list):
        raise SourceError(f"{url}: expected an object with a '{key}' list")
    return list(data.get(key, []))
