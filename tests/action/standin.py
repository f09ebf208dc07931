"""A stand-in for the GitHub REST API on 127.0.0.1: scripted GETs, and PR comments it keeps.

GET requests are answered from `routes` (path with query, query order ignored, as in
tests/helpers/replay_server.py); the comments of each PR live in `comments`, so listing them,
PATCHing one and POSTing one behave as GitHub's do (paged by `per_page` with a `Link` header).
`fail` makes the next comment writes answer a given status and body. Every request is recorded
with its headers and body.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.helpers.replay_server import route_key

_LIST = re.compile(r"^/repos/([^/]+/[^/]+)/issues/(\d+)/comments$")
_ONE = re.compile(r"^/repos/([^/]+/[^/]+)/issues/comments/(\d+)$")


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class GitHub:
    url: str = ""
    routes: dict[str, Any] = field(default_factory=dict)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # PR -> its comments
    requests: list[Seen] = field(default_factory=list)
    fail: list[tuple[int, Any]] = field(default_factory=list)  # (status, body) for the next writes
    next_id: int = 1000

    def get(self, path: str, body: Any) -> None:
        self.routes[route_key("GET", path)] = body

    def writes(self) -> list[Seen]:
        return [r for r in self.requests if r.method in ("POST", "PATCH")]

    def handle(self, method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any, dict[str, str]]:
        self.requests.append(Seen(method, path, headers, body))
        parts = urlsplit(path)
        listing, one = _LIST.match(parts.path), _ONE.match(parts.path)
        if method != "GET" and self.fail:
            status, answer = self.fail.pop(0)
            return status, answer, {}
        if method == "GET" and listing:
            return self._page(int(listing.group(2)), dict(parse_qsl(parts.query)), parts.path)
        if method == "POST" and listing:
            number = int(listing.group(2))
            self.next_id += 1
            made = {"id": self.next_id, "body": body["body"], "user": {"login": "github-actions[bot]"},
                    "html_url": f"https://github.example/{listing.group(1)}/pull/{number}#issuecomment-{self.next_id}"}
            self.comments.setdefault(number, []).append(made)
            return 201, made, {}
        if method == "PATCH" and one:
            for made in (c for cs in self.comments.values() for c in cs):
                if made["id"] == int(one.group(2)):
                    made["body"] = body["body"]
                    return 200, made, {}
            return 404, {"message": "Not Found"}, {}
        key = route_key(method, path)
        if method == "GET" and key in self.routes:
            return 200, self.routes[key], {}
        return 404, {"message": f"not scripted: {key}"}, {}

    def _page(self, number: int, query: dict[str, str], path: str) -> tuple[int, Any, dict[str, str]]:
        per_page, page = int(query.get("per_page", "30")), int(query.get("page", "1"))
        every = self.comments.get(number, [])
        headers = {}
        if page * per_page < len(every):
            headers["Link"] = f'<{self.url}{path}?per_page={per_page}&page={page + 1}>; rel="next"'
        return 200, every[(page - 1) * per_page:page * per_page], headers


def _handler(api: GitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body are two writes: with Nagle on, a kept-alive connection waits ~40 ms
        # per answer for the client's delayed ACK
        disable_nagle_algorithm = True

        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            status, answer, headers = api.handle(method, self.path, {k.lower(): v for k, v in self.headers.items()},
                                                 body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
            self._answer("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._answer("POST")

        def do_PATCH(self) -> None:  # noqa: N802
            self._answer("PATCH")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            """Quiet: every request is in `requests`."""

    return Handler


@contextmanager
def serving() -> Iterator[GitHub]:
    api = GitHub()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    httpd.daemon_threads = True
    api.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
