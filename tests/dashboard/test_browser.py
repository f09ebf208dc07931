"""The dashboard in a real headless browser: Debian's chromium driven by Playwright (its own
browser download is never used: `executable_path` is the system's chromium). Pages load with no
console errors, links and the search box work, and every page is readable at a phone's width
(375 px: the body never scrolls sideways; wide tables scroll inside their own box). A
screenshot of each page, phone and desktop, is kept in tests/artifacts/dashboard/ (git-ignored).

Without chromium the test skips, saying why, except in CI (the CI variable set), where it fails:
.ci/run installs chromium when it is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.dashboard.conftest import at_now
from tests.dashboard.test_pages import PAGES

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "dashboard"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def chromium_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))
    if os.environ.get("CI"):
        pytest.fail(f"chromium is missing in CI ({CHROMIUM}): .ci/run installs it with apt-get install -y chromium")
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install -y chromium); the browser test runs in CI")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A persistent context of a fresh profile (its own user-data-dir), JavaScript on."""
    executable = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api", reason="the dev extra's playwright package")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(str(profile), executable_path=executable, headless=True,
                                                        args=ARGS, viewport=PHONE)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    tab = browser.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    tab.problems = problems
    yield tab
    tab.close()


def overflow(tab: Any) -> int:
    """How many pixels the document is wider than the window (0: no sideways scroll)."""
    return int(tab.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_loads_cleanly_and_fits_a_phone(site: httpx.Client, page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    response = page.goto(str(site.base_url) + at_now(PAGES[name]))
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.evaluate("getComputedStyle(document.body).fontFamily")  # the stylesheet applied
    assert page.evaluate("getComputedStyle(document.querySelector('header.top')).display") == "flex"
    assert overflow(page) <= 0, f"{name}: the body is {overflow(page)} px wider than a 375 px phone"
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert page.problems == []


def test_links_work_in_the_browser(site: httpx.Client, page: Any) -> None:
    page.goto(str(site.base_url) + at_now("/"))
    page.click("text=src/auth/token_service.py >> nth=0")
    page.wait_for_url("**/ui/files?path=src%2Fauth%2Ftoken_service.py*")
    assert "token_service.py" in page.inner_text("h1")
    page.click("section#experts a.person >> nth=0")
    page.wait_for_url("**/ui/people/**")
    page.click("section#knows a >> nth=0")
    page.wait_for_url("**/ui/components/**")
    page.click("svg.chart a >> nth=-1")  # the latest month's bar
    page.wait_for_url("**/commits?month=*")
    page.click("a.hash >> nth=0")
    page.wait_for_url("**/ui/commits/**")
    assert "commit" in page.inner_text("h1")
    assert page.problems == []


def test_the_search_box_finds_an_issue(site: httpx.Client, page: Any) -> None:
    page.goto(str(site.base_url) + at_now("/"))
    page.fill("header input[name=q]", "token refresh race")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/ui/search?*")
    page.click("ul.hits a[href^='/ui/issues/PROJ-1247']")
    page.wait_for_url("**/ui/issues/PROJ-1247*")
    assert page.inner_text("h1").startswith("PROJ-1247")
    assert "now=2026-11-20" in page.url  # the hidden `now` travelled with the search
    assert page.problems == []


def test_a_score_opens_its_formula(site: httpx.Client, page: Any) -> None:
    page.goto(str(site.base_url) + at_now("/ui/components/auth"))
    score = page.locator("section#experts details.score").first
    assert not score.locator("table.terms").is_visible()
    score.locator("summary").click()
    assert score.locator("table.terms").is_visible()
    assert overflow(page) <= 0
