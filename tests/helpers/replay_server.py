"""A real HTTP server on 127.0.0.1 that replays scripted responses and records what it was asked.

Responses are keyed by method + path + query (query parameters compared as a sorted multiset, so
their order does not matter). Several responses under one key are served in turn; the last one
is repeated. `{base}` in a body or header is replaced by the server's own URL, so recorded `Link`
headers can point back at it. A request nobody scripted gets a 404 and is listed in `unexpected`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit


@dataclass(frozen=True)
class Scripted:
    status: int = 200
    body: Any = None  # JSON-able, or bytes/str sent as they are
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    """One request the server received: method, path with query, headers (lower-case names)."""

    method: str
    path: str
    headers: Mapping[str, str]

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))


def route_key(method: str, path: str) -> str:
    parts = urlsplit(path)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{method.upper()} {parts.path}" + (f"?{query}" if query else "")


class ReplayServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Scripted]] = {}
        self.requests: list[Seen] = []
        self.unexpected: list[str] = []
        self.url = ""
        self._lock = threading.Lock()

    def add(self, method: str, path: str, body: Any = None, *, status: int = 200,
            headers: Mapping[str, str] | None = None) -> None:
        scripted = Scripted(status, body, dict(headers or {}))
        self.routes.setdefault(route_key(method, path), []).append(scripted)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def respond(self, method: str, path: str, headers: Mapping[str, str]) -> Scripted:
        key = route_key(method, path)
        with self._lock:
            self.requests.append(Seen(method, path, dict(headers)))
            queue = self.routes.get(key)
            if not queue:
                self.unexpected.append(key)
                return Scripted(404, {"message": f"no scripted response for {key}"})
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def render(self, scripted: Scripted) -> tuple[bytes, dict[str, str]]:
        body = scripted.body
        if body is None:
            raw = b""
        elif isinstance(body, bytes):
            raw = body
        elif isinstance(body, str):
            raw = body.replace("{base}", self.url).encode()
        else:
            raw = json.dumps(body).replace("{base}", self.url).encode()
        headers = {k: v.replace("{base}", self.url) for k, v in scripted.headers.items()}
        if body is not None and not isinstance(body, bytes | str):
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        return raw, headers


def _handler(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body are two writes: with Nagle on, a kept-alive connection waits ~40 ms
        # per answer for the client's delayed ACK
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
            scripted = server.respond("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
            raw, headers = server.render(scripted)
            raw = b"" if scripted.status == 304 else raw
            self.send_response(scripted.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            """Keep the test output quiet: the server records every request in `requests` instead
            of printing one stderr line each, as BaseHTTPRequestHandler would."""

    return Handler


@contextmanager
def serving() -> Iterator[ReplayServer]:
    """Start a ReplayServer on 127.0.0.1:<free port> in a thread; stop it afterwards."""
    replay = ReplayServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(replay))
    httpd.daemon_threads = True
    replay.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    # serve_forever checks for shutdown() once per poll_interval (0.5 s by default), which every
    # teardown waited for; 0.01 s costs nothing measurable while serving.
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield replay
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
