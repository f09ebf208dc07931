"""The three paging styles of the sync APIs, each a generator that cannot loop forever.

- `follow_link_pages`: GitHub's `Link: <url>; rel="next"` (the link carries the whole query);
- `start_at_pages`: Jira Server's `{startAt, maxResults, total, <items>}`;
- `token_pages`: Jira Cloud's `nextPageToken` (no total; `isLast` when the server says so).

A server can page wrongly: a next link back to a page already read (itself, or a cycle), a
`startAt` that does not move, a `nextPageToken` that comes back, or pages that ignore the
position and repeat the same items. Each would make a sync run forever while its memory grows,
so a `PageGuard` watches every listing and stops it with a SourceError naming the URL and the
position: a position asked twice, REPEATS pages in a row holding exactly the same items (one
repeat is tolerated: recorded Jira data has one, and the parser drops duplicates), or more pages
than `Http.max_pages` (a backstop far above any real listing).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from teammemory import redact
from teammemory.errors import SourceError
from teammemory.sources.http import Http, Params

REPEATS = 3  # pages in a row with the same items that mean the server ignores the position


class PageGuard:
    """Positions already asked for, and the item ids of the last page, of one listing."""

    def __init__(self, where: str, max_pages: int) -> None:
        self.where = where
        self.max_pages = max_pages
        self.pages = 0
        self._seen: set[str] = set()
        self._last: tuple[str, ...] = ()
        self._same = 1  # pages in a row holding the items of `_last`

    def ask(self, position: str, label: str) -> None:
        """Before asking for the page at `position`: refuse it when it was asked before."""
        if position in self._seen:
            self.stop(f"{label} was already fetched: the server's paging loops")
        if self.pages >= self.max_pages:
            self.stop(f"more than {self.max_pages} pages: the server's paging does not end")
        self._seen.add(position)
        self.pages += 1

    def read(self, items: Any, label: str) -> None:
        """After a page: refuse it when it is the REPEATS-th in a row to hold the same items."""
        ids = _item_ids(items)
        self._same = self._same + 1 if ids and ids == self._last else 1
        self._last = ids
        if self._same >= REPEATS:
            self.stop(f"{label} holds the same {len(ids)} items as the {REPEATS - 1} pages before: the server"
                      " ignores the paging")

    def stop(self, why: str) -> None:
        raise SourceError(f"{self.where}: {why}; stopped after {self.pages} page{'s' * (self.pages != 1)}")


def follow_link_pages(http: Http, url: str, params: Params = None) -> Iterator[Any]:
    """Yield each page's JSON, following `Link: rel="next"` (which carries the query itself).

    A next link to another host is refused: following it would send the token there.
    """
    reply = http.get(url, params)
    guard = PageGuard(f"GET {reply.url}", http.max_pages)
    guard.ask(_position(reply.url), "the first page")
    guard.read(reply.data, f"page 1 ({reply.url})")
    yield reply.data
    while reply.next_url:
        _check_same_origin(http.client, reply.next_url, reply.url)
        public = redact.url(reply.next_url)
        guard.ask(_position(public), f"the next page {public}")
        reply = http.get(reply.next_url)
        guard.read(reply.data, f"page {guard.pages} ({public})")
        yield reply.data


def _position(url: str) -> str:
    """A page's URL with its query sorted: the same page however a server orders its link."""
    parsed = httpx.URL(url)
    return str(parsed.copy_with(params=sorted(parsed.params.multi_items())))


def _check_same_origin(client: httpx.Client, next_url: str, came_from: str) -> None:
    target, base = httpx.URL(next_url), client.base_url
    if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
        raise SourceError(f"{came_from}: next page is on another host ({target.host}); refusing to send the"
                          " token there")


def start_at_pages(http: Http, url: str, params: Params = None, *, items_key: str,
                   page_size: int = 100) -> Iterator[Any]:
    """Yield Jira Server pages ({startAt, maxResults, total, <items_key>: [...]}) until `total`.

    The next position is the page's own `startAt` plus its items; one that is not past the
    position asked for would ask the same page again, and stops the listing."""
    guard = PageGuard(f"GET {url}", http.max_pages)
    start = 0
    while True:
        guard.ask(str(start), f"startAt={start}")
        data = http.get(url, {**(params or {}), "startAt": start, "maxResults": page_size}).data
        items = _items(data, items_key, url)
        guard.read(items, f"the page at startAt={start}")
        yield data
        said = _int(data.get("startAt", start), "startAt", url)
        if not items or said + len(items) >= _int(data.get("total", 0), "total", url):
            return
        if said + len(items) <= start:
            guard.stop(f"startAt does not advance (asked {start}, the page says startAt={said} with"
                       f" {len(items)} items)")
        start = said + len(items)


def token_pages(http: Http, url: str, params: Params = None, *, items_key: str,
                token_param: str = "nextPageToken") -> Iterator[Any]:
    """Yield Jira Cloud pages until one has no `nextPageToken` (or says `isLast`)."""
    guard = PageGuard(f"GET {url}", http.max_pages)
    token: str | None = None
    while True:
        label = f"{token_param}={_short(token)}" if token else "the first page"
        guard.ask(f"{token_param}={token}" if token else "", label)
        page_params = {**(params or {}), **({token_param: token} if token else {})}
        data = http.get(url, page_params).data
        guard.read(_items(data, items_key, url), f"the page of {label}")
        yield data
        token = data.get(token_param)
        if not token or data.get("isLast") is True:
            return
        token = str(token)


def _items(data: Any, key: str, url: str) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get(key, []), list):
        raise SourceError(f"{url}: expected an object with a '{key}' list")
    return list(data.get(key, []))


def _item_ids(items: Any) -> tuple[str, ...]:
    """The `id` (else `key`) of every item of a page; () when a page is not a list of such."""
    if not isinstance(items, list):
        return ()
    ids = [item.get("id", item.get("key")) if isinstance(item, dict) else None for item in items]
    return () if any(i is None for i in ids) else tuple(map(str, ids))


def _int(value: Any, field: str, url: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SourceError(f"{url}: '{field}' is not a number: {str(value)[:40]!r}") from None


def _short(token: str) -> str:
    return token if len(token) <= 40 else token[:37] + "..."
