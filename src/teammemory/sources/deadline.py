"""A total deadline for one HTTP request, headers and body, redirects included.

httpx's timeouts bound each wait (for a connection, for the next bytes), never the whole
exchange: a server that sends one byte every few seconds resets the read timeout with each byte
and holds a sync forever. `Watchdog.limit(seconds)` adds the missing bound: a timer that, when
the deadline passes, shuts down the sockets of the client's connections, so the read blocked in
httpx returns at once and fails; `expired()` then tells the caller that the failure was the
deadline, not the network.

The sockets are learnt from httpx's `trace` extension (the request must carry `watchdog.trace`
in `extensions["trace"]`): every connection the client opens is seen as it is made, whether it
then serves one request or many from the pool. Shutting down an idle pooled connection as well
is harmless: the pool sees it closed and opens a new one. One watchdog serves one client used
by one thread at a time, as `sources.http` uses it.
"""

from __future__ import annotations

import socket
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

_OPENED = ("connection.connect_tcp.complete", "connection.start_tls.complete")


class Watchdog:
    """The network streams of one client, and a timer per request that can cut them off."""

    def __init__(self) -> None:
        self._streams: weakref.WeakSet[Any] = weakref.WeakSet()
        self._lock = threading.Lock()

    def trace(self, event: str, info: Mapping[str, Any]) -> None:
        """httpx's trace hook: remember each stream as its connection is opened."""
        stream = info.get("return_value") if event in _OPENED else None
        if stream is not None:
            with self._lock:
                self._streams.add(stream)

    @contextmanager
    def limit(self, seconds: float) -> Iterator[Callable[[], bool]]:
        """Within the block, a request running past `seconds` has its connections shut down;
        yields `expired()`, true once that happened."""
        fired = threading.Event()
        timer = threading.Timer(seconds, self._cut, args=(fired,))
        timer.daemon = True
        timer.start()
        try:
            yield fired.is_set
        finally:
            timer.cancel()

    def _cut(self, fired: threading.Event) -> None:
        fired.set()
        with self._lock:
            streams = list(self._streams)
        for stream in streams:
            _shut_down(stream)


def _shut_down(stream: Any) -> None:
    """Shut the stream's socket down for both directions, through a duplicate of its descriptor:
    the socket object itself (an SSLSocket, maybe) is in use by the blocked thread and is left
    untouched; the blocked read sees end of file and returns."""
    try:
        sock = stream.get_extra_info("socket")
        fd = sock.fileno() if sock is not None else -1
        if fd < 0:
            return
        dup = socket.fromfd(fd, sock.family, sock.type)
    except (OSError, AttributeError):
        return
    try:
        dup.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        dup.close()
