"""Every way an HTTP exchange can fail without a status, as one line and a verdict: retry or not.

Retried, because they can recover: httpx's timeouts (connect, read, write, pool), a connection
that was open and then reset or broken, a server that hung up mid-answer. Not retried, because
the same request would fail the same way: no connection at all (refused: nothing listens at that
port; the network or host unreachable; a host name that does not resolve, whatever the name
server's reason — a wrong `--base-url` is far likelier than a server about to come up, and four
tries only delay the one line that says so), a request that ran past its whole deadline (a server
that trickles does so again, and a retry would multiply the wait), a redirect loop, a URL httpx
cannot send (`ftp://`, no scheme), a request header that is not valid HTTP, a body that cannot be
decoded, a proxy's refusal, and anything else httpx raises.
Messages never quote a request header (a token lives there: httpx's own message for a bad
header quotes its value) and pass every URL through `redact.url`.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

import httpx

from teammemory import redact

#: what `send` catches around one attempt: every error httpx raises, plus the UnicodeError a
#: header with a non-ASCII character causes
ERRORS: tuple[type[BaseException], ...] = (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError,
                                           httpx.CookieConflict, UnicodeError)
_NO_SUCH_HOST = {getattr(socket, n) for n in ("EAI_NONAME", "EAI_NODATA", "EAI_SERVICE") if hasattr(socket, n)}


@dataclass(frozen=True)
class Failure:
    """What went wrong, in words for the user, and whether another try may succeed."""

    what: str
    retry: bool


def classify(exc: BaseException, *, expired: bool, deadline: float, timeout: httpx.Timeout) -> Failure:
    """The Failure that `exc`, raised by one attempt, stands for."""
    if expired:
        return Failure(f"no complete response within {deadline:g} s (the deadline for one request)", False)
    if isinstance(exc, httpx.TimeoutException):
        return Failure(_timeout(exc, timeout), True)
    if isinstance(exc, httpx.ConnectError):
        return Failure(_no_connection(exc), False)
    if isinstance(exc, httpx.NetworkError):
        return Failure(f"connection failed ({_reason(exc)})", True)
    if isinstance(exc, httpx.RemoteProtocolError):
        return Failure(f"the server broke off its answer ({_reason(exc)})", True)
    if isinstance(exc, httpx.TooManyRedirects):
        return Failure("too many redirects: the server's redirects loop", False)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return Failure(f"cannot be sent: {_reason(exc)}", False)
    if isinstance(exc, httpx.LocalProtocolError | UnicodeError):
        return Failure("cannot be sent: a request header is not valid HTTP (is a token damaged?)", False)
    if isinstance(exc, httpx.ProxyError):
        return Failure(f"the proxy refused the request ({_reason(exc)})", False)
    if isinstance(exc, httpx.DecodingError):
        return Failure(f"the response cannot be decoded ({_reason(exc)})", False)
    return Failure(f"{type(exc).__name__}: {_reason(exc)}", False)


def _timeout(exc: httpx.TimeoutException, timeout: httpx.Timeout) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"no connection within {_seconds(timeout.connect)}"
    if isinstance(exc, httpx.ReadTimeout):
        return f"no data for {_seconds(timeout.read)} (read timeout)"
    if isinstance(exc, httpx.WriteTimeout):
        return f"could not send the request within {_seconds(timeout.write)}"
    return f"no free connection within {_seconds(timeout.pool)}"


def _seconds(value: float | None) -> str:
    return "the time allowed" if value is None else f"{value:g} s"


def _no_connection(exc: httpx.ConnectError) -> str:
    """Why no connection could be opened, in words: refused, no such host, or the OS's reason."""
    cause = _cause(exc, (socket.gaierror, ConnectionRefusedError))
    if isinstance(cause, socket.gaierror):
        known = "no such host" if cause.errno in _NO_SUCH_HOST else "the name server failed"
        return f"the host name does not resolve ({known}: {_reason(exc)})"
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused: nothing listens at that host and port"
    return f"no connection ({_reason(exc)})"


def _cause(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> BaseException | None:
    """The first exception of `kinds` in the chain of causes of `exc`, or None."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kinds):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return redact.url(text) or type(exc).__name__
