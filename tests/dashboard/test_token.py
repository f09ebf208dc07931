"""With TEAMMEMORY_API_TOKEN set, the pages need it too: a browser gives it once as `?token=`,
gets an HttpOnly, SameSite=Strict cookie and a redirect to the URL without it, and from then on
the cookie stands for the bearer header (pages and API); without it, a page asks for the token
(HTML, 401) and the API answers its JSON 401 as before."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from teammemory.api import create_app
from tests.api.conftest import Demo
from tests.api.server import running

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def guarded(sqlite_site_demo: Demo) -> Iterator[str]:
    with running(create_app(sqlite_site_demo.url, sqlite_site_demo.config, token=TOKEN, mcp=False)) as base:
        yield base


def test_a_page_without_the_token_asks_for_it(guarded: str) -> None:
    with httpx.Client(base_url=guarded) as client:
        response = client.get("/ui/issues/PROJ-1247")
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("text/html")
        assert 'name="token"' in response.text and "PROJ-1247" not in response.text
        api = client.get("/issues/PROJ-1247/context")
        assert api.status_code == 401 and api.json()["error"]["code"] == "unauthorized"


def test_a_wrong_token_sets_no_cookie(guarded: str) -> None:
    with httpx.Client(base_url=guarded) as client:
        response = client.get("/ui/issues/PROJ-1247", params={"token": "wrong"})
        assert response.status_code == 401 and "not this server" in response.text
        assert "set-cookie" not in response.headers
        client.cookies.set("teammemory_token", "wrong")
        assert client.get("/").status_code == 401
        assert client.get("/hygiene").status_code == 401


def test_the_token_once_then_the_cookie(guarded: str) -> None:
    with httpx.Client(base_url=guarded) as client:
        response = client.get("/ui/issues/PROJ-1247", params={"token": TOKEN, "now": "2026-11-20T12:00:00Z"})
        assert response.status_code == 303
        assert response.headers["location"] == "/ui/issues/PROJ-1247?now=2026-11-20T12%3A00%3A00Z"
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
        page = client.get(response.headers["location"])  # the client keeps the cookie, as a browser does
        assert page.status_code == 200 and "Token refresh race condition" in page.text
        assert client.get("/static/app.css").status_code == 200
        assert client.get("/issues/PROJ-1247/context").status_code == 200  # the API, from the same browser


def test_the_bearer_header_still_opens_everything(guarded: str) -> None:
    with httpx.Client(base_url=guarded, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        assert client.get("/").status_code == 200
        assert client.get("/health").status_code == 200
    with httpx.Client(base_url=guarded, headers={"Authorization": "Bearer nope"}) as client:
        assert client.get("/").status_code == 401
