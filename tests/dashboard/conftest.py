"""The dashboard served by a real uvicorn on 127.0.0.1 over the demo store (tests/api's seed), and
a small HTML reader: the links and the table cells of a page, parsed with the standard library."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlencode

import httpx
import pytest

from teammemory.api import create_app
from tests.api.conftest import NOW, Demo, seed
from tests.api.server import running


def at_now(path: str) -> str:
    """`path` as of the tests' fixed moment (every page takes `now`, and its links keep it)."""
    return path + ("&" if "?" in path else "?") + urlencode({"now": NOW})


class Page(HTMLParser):
    """The hrefs and srcs of a page, and each table cell's text with whether a link or a score's
    `<summary>` (its formula and terms) holds it. Cells of a score's own terms table
    (`table.terms`: input and points of each term, beside the formula) are that score's
    explanation, and are not listed."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.cells: list[tuple[str, bool]] = []  # (text, linked)
        self.ids: set[str] = set()
        self._cell: list[str] | None = None
        self._linked = False
        self._depth = 0  # open <a>/<summary> inside the current cell
        self._terms = 0  # open table.terms
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for name in ("href", "src", "action"):
            if a.get(name) and tag in ("a", "link", "script", "img", "form"):
                self.links.append(str(a[name]))
        if tag == "table" and "terms" in str(a.get("class") or "").split():
            self._terms += 1
        elif tag == "table" and self._terms:
            self._terms += 1
        if tag == "td" and not self._terms:
            self._cell, self._linked, self._depth = [], False, 0
        elif tag in ("a", "summary") and self._cell is not None:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._terms:
            self._terms -= 1
        if tag == "td" and self._cell is not None:
            self.cells.append(("".join(self._cell).strip(), self._linked))
            self._cell = None
        elif tag in ("a", "summary") and self._cell is not None:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
            if self._depth > 0 and data.strip():
                self._linked = True


@pytest.fixture(scope="session")
def sqlite_site_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    where = tmp_path_factory.mktemp("dashboard-demo")
    return seed(str(where / "demo.db"), where)


@pytest.fixture(scope="session")
def site(sqlite_site_demo: Demo) -> Iterator[httpx.Client]:
    """An HTTP client on the app (API and dashboard) over the SQLite demo, without a token."""
    app = create_app(sqlite_site_demo.url, sqlite_site_demo.config, token="", mcp=False)
    with running(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        yield client
