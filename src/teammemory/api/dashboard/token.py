"""The token for a browser: a browser cannot send `Authorization: Bearer`, so the dashboard
takes `?token=` once, answers with an HttpOnly, SameSite=Strict cookie and a redirect to the
same URL without the token (so it leaves the address bar and the history), and from then on
turns the cookie back into the bearer header the app's own guard (app.BearerToken) checks.

A page request with no or a wrong token gets an HTML page asking for it (status 401) instead
of the API's JSON; every other path is left to the guard. All compares are constant-time.
"""

from __future__ import annotations

import hmac
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.responses import HTMLResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "teammemory_token"
PAGES = ("/ui/", "/static/")


def is_page(path: str) -> bool:
    return path == "/" or path.startswith(PAGES)


class DashboardToken:
    """ASGI middleware, outside app.BearerToken: cookie -> bearer header, `?token=` -> cookie."""

    def __init__(self, app: ASGIApp, token: str, login_page: str) -> None:
        self.app, self.token, self.login_page = app, token.encode(), login_page

    def matches(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [v for k, v in query if k == "token"]
        if given and is_page(scope["path"]):
            await self.exchange(scope, receive, send, given[0], [(k, v) for k, v in query if k != "token"])
            return
        cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1")).get(COOKIE)
        if b"authorization" not in headers and cookie is not None and self.matches(cookie.value):
            bearer = (b"authorization", b"Bearer " + self.token)
            scope = {**scope, "headers": [*scope.get("headers", ()), bearer]}
        elif b"authorization" not in headers and is_page(scope["path"]):
            await self.ask(scope, receive, send, wrong=cookie is not None)
            return
        await self.app(scope, receive, send)

    async def exchange(self, scope: Scope, receive: Receive, send: Send, given: str,
                       rest: list[tuple[str, str]]) -> None:
        """The right token: set the cookie, send the browser back to the URL without it."""
        if not self.matches(given):
            await self.ask(scope, receive, send, wrong=True)
            return
        target = scope["path"] + ("?" + urlencode(rest) if rest else "")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, given, httponly=True, samesite="strict", path="/")
        await response(scope, receive, send)

    async def ask(self, scope: Scope, receive: Receive, send: Send, *, wrong: bool) -> None:
        message = "That token is not this server's." if wrong else "This dashboard needs the server's token."
        html = self.login_page.replace("{message}", message)
        await HTMLResponse(html, status_code=401, headers={"WWW-Authenticate": "Bearer"})(scope, receive, send)
