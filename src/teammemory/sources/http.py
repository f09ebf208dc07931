"""HTTP for the live sync clients: one client factory, one request loop (paging: `sources.paging`).

`make_client` checks before anything is sent (`sources.http_checks`): the base URL is
http(s)://HOST; a client that carries credentials (a token header, or user:password in the URL)
talks plain `http://` only to the loopback unless `allow_insecure`. Tokens are checked by
`check_token` when they are read.

`send()` implements once, for GitHub and Jira alike:
- conditional requests: an `EtagCache` (in memory, for one run, keyed by the request URL as
  `redact.url` prints it) sends `If-None-Match`; a 304 returns the cached reply. GitHub does not
  count a 304 against the quota, so re-reading an unchanged page within a run is free;
- primary rate limits: a 403/429 with `X-RateLimit-Remaining: 0` sleeps until
  `X-RateLimit-Reset` (+1 s); a reset further away than `RetryPolicy.max_wait` is a SourceError
  (a clock that far off, or a limit that low, needs a human, not a silent hour-long hang);
- secondary limits: a 403/429 with `Retry-After` sleeps that long; a 403/429 whose body mentions
  'secondary rate limit' or 'abuse' sleeps `secondary_wait`, doubled on each repeat;
- time: httpx's timeouts (`timeout`, default TIMEOUT) bound each wait for a connection or for the
  next bytes, and `RetryPolicy.deadline` the whole request, headers and body (`sources.deadline`):
  a server that trickles its answer fails like a silent one;
- failures that can recover (timeouts, connections reset or broken mid-answer, 408, 5xx; never
  a connection refused, a host that does not resolve or a bad URL): exponential back-off with
  jitter (or the server's `Retry-After`, seconds or an HTTP date, up to `max_backoff`), at most
  `attempts` tries, each retry announced on the log (stderr) with its number.
  Anything else fails at once with one line (`sources.http_errors`): the deadline, 401 ('token
  refused'), other 4xx (the URL and the API's own message), a body that is not JSON. So with
  the defaults a silent server fails within 4 x 15 s plus at most 7 s of back-off, a trickling
  one within 60 s, and each retry says so as it goes.
Errors and log lines name the URL through `redact.url` and never a header: the token lives only
in the client.
"""

from __future__ import annotations

import functools
import json
import logging
import random
import ssl
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from teammemory import __version__, redact
from teammemory.errors import SourceError
from teammemory.sources.deadline import Watchdog
from teammemory.sources.http_checks import check_base_url, check_secure
from teammemory.sources.http_errors import ERRORS, Failure, classify

log = logging.getLogger(__name__)

Params = Mapping[str, str | int] | None
SECONDARY_MARKERS = ("secondary rate limit", "abuse")
TIMEOUT = 15.0  # seconds: the longest wait for a connection, or for the next bytes of an answer
DEADLINE = 60.0  # seconds: the longest one request may take in all, however it trickles
ATTEMPTS = 4  # tries of one request facing failures that can recover
MAX_PAGES = 10_000  # pages of one listing (a million items): far above any real one
_WATCHDOGS: weakref.WeakKeyDictionary[httpx.Client, Watchdog] = weakref.WeakKeyDictionary()


class HttpStatusError(SourceError):
    """An HTTP error status that retries could not (or should not) get past; `status` is kept
    (0 when no answer came at all)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: transient retries, back-off bounds, the longest rate-limit wait, and the
    deadline of one request."""

    attempts: int = ATTEMPTS  # tries for one request facing timeouts / 5xx / broken connections
    backoff: float = 1.0  # first back-off in seconds, doubled on each retry
    max_backoff: float = 60.0
    max_wait: float = 3900.0  # GitHub resets hourly: a longer wait means something is wrong
    secondary_wait: float = 60.0  # secondary limit without Retry-After (GitHub's advice: >= 1 min)
    rate_waits: int = 10  # rate-limit waits allowed for one request before giving up
    deadline: float = DEADLINE  # seconds one attempt may take in all (connect, headers, body)
    rand: Callable[[], float] = random.random  # jitter source; tests pass a constant


@dataclass(frozen=True)
class Reply:
    """One parsed JSON response: the URL asked (as `redact.url` prints it), the status, the body
    and the next-page link."""

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
    """What a fetcher needs to talk to one API: the client, the policy, the clock, the cache and
    the most pages one listing may have (`sources.paging`)."""

    client: httpx.Client
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    etags: EtagCache = field(default_factory=EtagCache)
    max_pages: int = MAX_PAGES

    def get(self, url: str, params: Params = None) -> Reply:
        return send(self.client, "GET", url, params, retry_policy=self.policy, sleep=self.sleep,
                    clock=self.clock, etags=self.etags)


def make_client(base_url: str, *, auth_headers: Mapping[str, str], timeout: float = TIMEOUT,
                transport: httpx.BaseTransport | None = None, headers: Mapping[str, str] | None = None,
                allow_insecure: bool = False, name: str = "base URL") -> httpx.Client:
    """An httpx client for one API; redirects are followed (httpx drops auth on a host change).

    A user:password in `base_url` becomes the client's basic auth and leaves the URL, so no
    request URL (which httpx logs and errors print) ever holds it. `name` is what an InputError
    calls the URL (the CLI passes its option, `--base-url`)."""
    url = check_base_url(base_url, name=name)
    check_secure(url, credentials=bool(auth_headers) or bool(url.userinfo), allow_insecure=allow_insecure,
                 name=name)
    auth = httpx.BasicAuth(url.username, url.password) if url.userinfo else None
    all_headers = {"User-Agent": f"teammemory/{__version__}", **(headers or {}), **auth_headers}
    return httpx.Client(base_url=url.copy_with(username=None, password=None), headers=all_headers, auth=auth,
                        timeout=timeout, transport=transport, follow_redirects=True, verify=trusted_roots())


@functools.cache
def trusted_roots() -> ssl.SSLContext:
    """The certificates httpx trusts by default (certifi's, or SSL_CERT_FILE / SSL_CERT_DIR), loaded
    once per process: httpx loads the bundle again for every client, ~50 ms of CPU each (a server
    or a test makes many; an SSLContext is safe to share between clients and threads)."""
    return httpx.create_ssl_context()


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
    watchdog = _watchdog(client)
    try:
        request = client.build_request(method, url, params=dict(params) if params else None,
                                       extensions={"trace": watchdog.trace})
    except ERRORS as exc:
        failure = classify(exc, expired=False, deadline=0, timeout=client.timeout)
        raise SourceError(f"{method} {redact.url(url)}: {failure.what}") from None
    key = redact.url(str(request.url))
    where = f"{method} {key}"
    cached = etags.etag(key) if etags is not None and method == "GET" else None
    if cached:
        request.headers["If-None-Match"] = cached
    failures = waits = 0
    while True:
        outcome = _attempt(client, request, watchdog, retry_policy)
        if isinstance(outcome, Failure) and not outcome.retry:
            raise HttpStatusError(f"{where}: {outcome.what}", 0)
        response = outcome if isinstance(outcome, httpx.Response) else None
        if response is not None and response.status_code == 304 and cached and etags is not None:
            return etags.replay(key)
        wait = _rate_limit_wait(response, clock(), retry_policy, waits) if response is not None else None
        if wait is not None:
            waits += 1
            _check_wait(wait, waits, retry_policy, where)
            log.warning("%s: rate limited, waiting %.0f s", where, wait)
            sleep(wait)
            continue
        if response is None or response.status_code >= 500 or response.status_code == 408:
            failures += 1
            what = _describe(outcome)
            _check_failures(response, what, failures, retry_policy, where)
            delay = _server_delay(response, clock(), retry_policy) or backoff(failures, retry_policy)
            log.warning("%s: %s; retry %d of %d in %.1f s", where, what, failures, retry_policy.attempts - 1,
                        delay)
            sleep(delay)
            continue
        reply = _reply(response, key, where)
        if etags is not None and method == "GET":
            etags.remember(key, response.headers.get("ETag"), reply)
        return reply


def _watchdog(client: httpx.Client) -> Watchdog:
    """The client's one watchdog (it must see every connection the client opens)."""
    watchdog = _WATCHDOGS.get(client)
    if watchdog is None:
        watchdog = _WATCHDOGS[client] = Watchdog()
    return watchdog


def _attempt(client: httpx.Client, request: httpx.Request, watchdog: Watchdog,
             policy: RetryPolicy) -> httpx.Response | Failure:
    """One try, body included, within the deadline; a Failure when no response came."""
    with watchdog.limit(policy.deadline) as expired:
        try:
            return client.send(request)
        except ERRORS as exc:
            return classify(exc, expired=expired(), deadline=policy.deadline, timeout=client.timeout)


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
    retry_after = retry_after_seconds(headers.get("Retry-After", ""), now)
    if retry_after is not None:
        return retry_after
    if response.status_code == 429 or any(m in response.text.lower() for m in SECONDARY_MARKERS):
        return policy.secondary_wait * 2 ** waits
    return None


def retry_after_seconds(value: str, now: float) -> float | None:
    """`Retry-After` in seconds: a number of seconds, or an HTTP date (RFC 9110 §10.2.3); None
    when absent or unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    if not value:
        return None
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now) if when.tzinfo else None


def _server_delay(response: httpx.Response | None, now: float, policy: RetryPolicy) -> float | None:
    """The wait a 503 (or any 5xx) asks for with `Retry-After`, held to the policy's longest
    back-off; None when it asks for none (exponential back-off applies)."""
    if response is None:
        return None
    asked = retry_after_seconds(response.headers.get("Retry-After", ""), now)
    return None if asked is None else min(max(asked, 0.0), policy.max_backoff)


def _check_wait(wait: float, waits: int, policy: RetryPolicy, where: str) -> None:
    if wait > policy.max_wait:
        raise SourceError(f"{where}: rate limited for {wait:.0f} s, longer than the {policy.max_wait:.0f} s"
                          " this run will wait; try again later")
    if waits > policy.rate_waits:
        raise SourceError(f"{where}: still rate limited after {policy.rate_waits} waits; try again later")


def _check_failures(response: httpx.Response | None, what: str, failures: int, policy: RetryPolicy,
                    where: str) -> None:
    if failures < policy.attempts:
        return
    status = response.status_code if response is not None else 0
    raise HttpStatusError(f"{where}: {what} after {failures} attempts", status)


def _describe(outcome: httpx.Response | Failure) -> str:
    return outcome.what if isinstance(outcome, Failure) else f"HTTP {outcome.status_code}"


def _reply(response: httpx.Response, url: str, where: str) -> Reply:
    """Turn a final response into a Reply, or raise the error it stands for."""
    status = response.status_code
    if status == 401:
        raise HttpStatusError(f"{where}: token refused (HTTP 401); check the token in the environment", 401)
    if status >= 400:
        raise HttpStatusError(f"{where}: HTTP {status}: {_api_message(response)}", status)
    if status == 204 or not response.content:
        return Reply(url, status, None, _next(response), dict(response.headers))
    try:
        data = json.loads(response.content)
    except ValueError as exc:
        raise SourceError(f"{where}: response is not JSON ({exc.__class__.__name__}: {exc})") from None
    except RecursionError:  # json.loads gives up near 1000 levels of nesting
        raise SourceError(f"{where}: response is not readable JSON (nested too deeply)") from None
    return Reply(url, status, data, _next(response), dict(response.headers))


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
