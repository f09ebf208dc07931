"""Checks made before anything is sent: a base URL that is one, credentials that stay encrypted,
tokens that an HTTP header can carry. Each failure is an InputError naming the option or the
environment variable, never a secret: URLs are shown through `redact.url`, tokens not at all.
"""

from __future__ import annotations

import ipaddress
import re

import httpx

from teammemory import redact
from teammemory.errors import InputError

_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$")


def check_base_url(value: str, *, name: str = "base URL") -> httpx.URL:
    """`value` as an http(s)://HOST URL, or an InputError naming `name` (never a secret in it)."""
    shown = redact.url(value)
    try:
        url = httpx.URL(value)
        host = url.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError, TypeError, ValueError):
        raise InputError(name, f"not a URL: {shown!r}") from None
    if url.scheme not in ("http", "https") or not host:
        raise InputError(name, f"expected http://HOST or https://HOST, got {shown!r}")
    if not (_HOST.match(host) or _is_ip(host)):
        raise InputError(name, f"{host!r} is not a host name, in {shown!r}")
    if url.query or url.fragment:  # httpx would paste every request path into the query
        raise InputError(name, f"a base URL takes no ?query or #fragment: {shown!r}")
    return url


def check_secure(url: httpx.URL, *, credentials: bool, allow_insecure: bool, name: str = "base URL") -> None:
    """Credentials go over plain http:// only to this machine, unless the user allows it."""
    if url.scheme == "http" and credentials and not allow_insecure and not is_loopback(url.host):
        raise InputError(name, f"{redact.url(str(url))} is plain http://: the credentials would cross the"
                               " network unencrypted; use https:// (or --allow-insecure if you must)")


def is_loopback(host: str) -> bool:
    """`localhost`, 127.0.0.0/8 or ::1."""
    return host.lower().rstrip(".") == "localhost" or (_is_ip(host) and ipaddress.ip_address(host).is_loopback)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_token(name: str, value: str) -> str:
    """The token in environment variable `name`, stripped; an InputError naming the variable
    (never the value) when it holds what no HTTP header can carry: httpx would otherwise fail
    with a traceback (non-ASCII) or on every retry (a line break)."""
    token = value.strip()
    bad = next((c for c in token if not "!" <= c <= "~"), None)
    if bad is None:
        return token
    kind = ("a line break" if bad in "\r\n" else "white space" if bad.isspace()
            else "a control character" if ord(bad) < 32 or ord(bad) == 127 else "a non-ASCII character")
    raise InputError(name, f"holds {kind}: a token is printable ASCII; set it again (the value is not shown)")
