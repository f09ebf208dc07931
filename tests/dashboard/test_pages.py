"""The dashboard over HTTP (a real uvicorn on 127.0.0.1, the demo store): every page answers,
every link on every page resolves, every number in a table links to its evidence, the pages show
the API's own documents, search finds an issue, unknown things get a 404 page with close matches,
and both stores render the same pages."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import quote, urljoin, urlsplit

import httpx
import pytest

from teammemory.api import create_app
from tests.api.conftest import NOW, Demo
from tests.api.server import running
from tests.dashboard.conftest import Page, at_now

FILE = "src/auth/token_service.py"
PAGES = {
    "overview": "/",
    "component": "/ui/components/auth",
    "month": "/ui/components/auth/commits?month=2026-10",
    "file": f"/ui/files?path={quote(FILE, safe='')}",
    "issue": "/ui/issues/PROJ-1247",
    "pr": "/ui/prs/382",
    "person": "/ui/people/ayse-demir",
    "commit": "/ui/commits/be7d483",
    "search": "/ui/search?q=PROJ-1247",
    "components": "/ui/components",
    "bus-factor": "/ui/bus-factor",
    "incidents": "/ui/incidents",
    "incident": "/ui/incidents/INC-3",
    "timeline": "/ui/timeline",
    "why": f"/ui/why?path={quote(FILE, safe='')}&lines=1-8",
}
FORMS = ("/ui/search", "/ui/why", "/ui/timeline")  # form actions: the form's hidden `now` travels with it
NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
CRAWL_LIMIT = 400  # pages fetched, breadth first from `/` (the demo's whole site is about 1,500: a page per commit)


def crawl(client: httpx.Client, start: str, limit: int = CRAWL_LIMIT) -> dict[str, httpx.Response]:
    """Breadth-first over same-site links from `start`: {url: response}, at most `limit` pages
    fetched (only HTML pages are parsed for more links)."""
    seen: dict[str, httpx.Response] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for href in Page(response.text).links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or href.startswith(("data:", "#")):
                continue  # nothing off the site is linked except data: URLs (checked below)
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                queue.append(local)
    return seen


@pytest.fixture(scope="module")
def crawled(site: httpx.Client) -> dict[str, httpx.Response]:
    return crawl(site, at_now("/"))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_answers_html(site: httpx.Client, name: str) -> None:
    response = site.get(at_now(PAGES[name]))
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert "<main>" in response.text and "/static/app.css" in response.text


def test_every_link_on_every_page_resolves(crawled: dict[str, httpx.Response]) -> None:
    broken = {url: r.status_code for url, r in crawled.items() if r.status_code != 200}
    assert not broken, broken
    kinds = {urlsplit(u).path.split("/")[2] if u.startswith("/ui/") else urlsplit(u).path for u in crawled}
    # the crawl from `/` reaches every kind of page
    assert {"components", "files", "issues", "prs", "people", "commits", "search", "incidents", "timeline",
            "bus-factor", "why"} <= kinds, kinds
    assert "/static/app.css" in kinds and "/" in kinds


def test_links_keep_the_moment_asked(crawled: dict[str, httpx.Response]) -> None:
    pages = [u for u in crawled if u.startswith(("/ui/", "/?")) and u not in FORMS]
    assert pages and all("now=" in u for u in pages), [u for u in pages if "now=" not in u][:5]


def test_no_page_links_off_the_site(site: httpx.Client) -> None:
    for path in PAGES.values():
        page = Page(site.get(at_now(path)).text)
        outside = [h for h in page.links if urlsplit(h).scheme not in ("", "data")]
        assert not outside, (path, outside)


def test_every_number_in_a_table_links_to_its_evidence(crawled: dict[str, httpx.Response]) -> None:
    pages = {u: r for u, r in crawled.items() if u.startswith(("/ui/", "/?"))}
    checked = 0
    for url, response in pages.items():
        page = Page(response.text)
        bare = [text for text, linked in page.cells if NUMBER.match(text) and not linked]
        assert not bare, (url, bare[:10])
        checked += sum(1 for text, _ in page.cells if NUMBER.match(text))
    assert checked > 200  # the demo's pages hold hundreds of numbers


def test_in_page_anchors_exist(site: httpx.Client) -> None:
    for path in PAGES.values():
        page = Page(site.get(at_now(path)).text)
        missing = {h for h in page.links if h.startswith("#") and h[1:] not in page.ids}
        assert not missing, (path, missing)


def api_json(site: httpx.Client, endpoint: str, **params: str) -> dict:
    response = site.get(endpoint, params={**params, "now": NOW})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_issue_page_shows_the_api_document(site: httpx.Client) -> None:
    doc = api_json(site, "/issues/PROJ-1247/context")["result"]
    page = Page(site.get(at_now("/ui/issues/PROJ-1247")).text)
    for c in doc["commits"] + doc["merges"]:
        assert any(f"/ui/commits/{c['hash']}?" in h for h in page.links), c["hash"]
    for pr in doc["prs"]:
        assert any(h.startswith(f"/ui/prs/{pr['number']}?") for h in page.links)
    for person in doc["people"]:
        assert any(h.startswith(f"/ui/people/{person['key']}?") for h in page.links)
    for f in doc["files"]:
        assert any(f"path={quote(f['path'], safe='')}" in h for h in page.links)
    cells = [text for text, _ in page.cells]
    assert [str(p["count"]) for p in doc["people"]] == [c for c in cells if c in {str(p["count"]) for p in
                                                                                doc["people"]}][-len(doc["people"]):]


def test_the_component_page_shows_experts_risk_and_onboarding(site: httpx.Client) -> None:
    experts = api_json(site, "/components/auth/experts")["result"]["experts"]
    risk = api_json(site, "/components/auth/risk")["result"]
    onboarding = api_json(site, "/components/auth/onboarding")["result"]
    html = site.get(at_now("/ui/components/auth")).text
    page = Page(html)
    # experts in the API's order, each score as the API gives it
    positions = [html.index(f'href="/ui/people/{x["person"]["key"]}?') for x in experts]
    assert positions == sorted(positions)
    for x in experts:
        assert f"<strong>{x['score']['total']}</strong>" in html
    assert risk["total"]["explanation"] in html
    assert f"<strong>{risk['total']['score']['total']}</strong>" in html
    for i in onboarding["issues"]:
        assert any(h.startswith(f"/ui/issues/{i['key']}?") for h in page.links)
    assert "<svg" in html and "<rect" in html


def test_the_activity_chart_counts_the_components_commits(site: httpx.Client, sqlite_site_demo: Demo) -> None:
    """Each bar's month and count, against the commits the store holds for the component (counted
    here from the store, the way the chart's caption says: non-merge commits per month)."""
    from datetime import UTC, datetime

    from teammemory.store import Store

    with Store.open(sqlite_site_demo.url).read() as db:
        rows = db.all("select authored_at, is_merge from component_commits where component = 'auth'")
    counts: dict[str, int] = {}
    for row in rows:
        month = datetime.fromtimestamp(int(row["authored_at"]), UTC).strftime("%Y-%m")
        if not row["is_merge"] and month <= NOW[:7]:
            counts[month] = counts.get(month, 0) + 1
    html = site.get(at_now("/ui/components/auth")).text
    bars = dict(re.findall(r"<title>(\d{4}-\d{2}): (\d+) commits</title>", html))
    assert 1 < len(counts) <= 24  # the demo's history fits the chart's 24 months: every month is drawn
    assert {m: int(n) for m, n in bars.items()} == counts
    month = max(counts)
    listing = site.get(at_now(f"/ui/components/auth/commits?month={month}")).text
    assert listing.count('class="hash"') == counts[month]


def test_the_pr_page_shows_context_and_reviewers(site: httpx.Client) -> None:
    reviewers = api_json(site, "/prs/382/reviewers")["result"]
    context = api_json(site, "/prs/382/context")["result"]
    html = site.get(at_now("/ui/prs/382")).text
    for c in reviewers["candidates"]:
        assert f"<strong>{c['score']['total']}</strong>" in html
        assert f'/ui/people/{c["person"]["key"]}?' in html
    assert context["author"]["key"] not in [c["person"]["key"] for c in reviewers["candidates"]]
    for c in context["commits"]:
        assert f"/ui/commits/{c['hash']}?" in html


def test_the_file_page_shows_history_experts_risk_issues_and_prs(site: httpx.Client) -> None:
    context = api_json(site, "/files/context", path=FILE)["result"]
    experts = api_json(site, "/files/experts", path=FILE)["result"]["experts"]
    html = site.get(at_now(PAGES["file"])).text
    for c in context["recent"]:
        assert f"/ui/commits/{c['hash']}?" in html
    for x in context["issues"]:
        assert f"/ui/issues/{x['issue']['key']}?" in html
    for p in context["prs"]:
        assert f"/ui/prs/{p['number']}?" in html
    for x in experts:
        assert f"<strong>{x['score']['total']}</strong>" in html
    assert f">{context['commit_count']} commits</a>" in html


def test_the_file_page_says_who_the_inactive_cut_left_out(site: httpx.Client) -> None:
    later = "2036-01-01T00:00:00+00:00"  # ten years on, everyone who worked on FILE is inactive
    doc = site.get("/files/experts", params={"path": FILE, "now": later}).json()["result"]
    left = [p["name"] for p in doc["inactive_left_out"]]
    assert doc["experts"] == [] and len(left) > 3
    html = site.get(f"/ui/files?path={quote(FILE, safe='')}&now={quote(later)}").text
    assert "No one active: everyone who worked on it is left out as inactive." in html
    assert "Nobody has worked on it yet" not in html
    note = html[html.index("Left out as inactive"):]
    assert f"for over {doc['inactive_days']:g} days" in note and f"and {len(left) - 3} more." in note
    for name in left[:3]:
        assert name in note


def test_the_person_page_shows_what_they_know_and_recent_work(site: httpx.Client) -> None:
    html = site.get(at_now("/ui/people/ayse-demir")).text
    experts = api_json(site, "/components/auth/experts")["result"]["experts"]
    rank = [x["person"]["key"] for x in experts].index("ayse-demir") + 1
    assert f">{rank} of {len(experts)}</a>" in html
    assert 'class="hash"' in html and "Reviews given" in html


def test_the_commit_page(site: httpx.Client) -> None:
    html = site.get(at_now("/ui/commits/be7d483")).text
    assert "PROJ-1247 Serialize token refresh per session" in html
    assert "/ui/issues/PROJ-1247?" in html and "/ui/prs/382?" in html
    assert f"path={quote(FILE, safe='')}" in html


def test_search_finds_an_issue(site: httpx.Client) -> None:
    by_key = Page(site.get(at_now("/ui/search?q=PROJ-1247")).text)
    assert any(h.startswith("/ui/issues/PROJ-1247?") for h in by_key.links)
    by_words = site.get(at_now("/ui/search?q=refresh race")).text
    assert "/ui/issues/PROJ-1247?" in by_words
    api = api_json(site, "/search", q="refresh race")["result"]
    assert f"{api['matched']} found" in by_words


def test_an_unknown_issue_gets_a_404_page_with_close_matches(site: httpx.Client) -> None:
    response = site.get(at_now("/ui/issues/PROJ-1248"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    suggested = [h for h in page.links if h.startswith("/ui/issues/")]
    assert suggested, response.text
    for href in suggested:
        assert site.get(href).status_code == 200
    assert "/ui/search?q=PROJ-1248" in response.text


def test_an_unknown_file_gets_a_404_page_with_close_matches(site: httpx.Client) -> None:
    response = site.get(at_now("/ui/files?path=src/auth/token_servce.py"))
    assert response.status_code == 404
    assert f'/ui/files?path={quote(FILE, safe="")}' in response.text


def test_bad_input_is_a_readable_page(site: httpx.Client) -> None:
    for path in ("/ui/commits/zzzz", "/ui/prs/abc", "/ui/components/auth/commits?month=13", "/?now=yesterday"):
        response = site.get(path)
        assert response.status_code == 422, path
        assert 'class="error"' in response.text and "Traceback" not in response.text


def test_text_from_the_store_is_escaped(site: httpx.Client) -> None:
    response = site.get("/ui/issues/" + quote("<img src=x onerror=alert(1)>", safe=""))
    assert response.status_code == 404
    assert "<img" not in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text


def test_an_unknown_page_is_a_404_page(site: httpx.Client) -> None:
    response = site.get(at_now("/ui/nothing/here"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html") and 'class="error"' in response.text


def test_the_api_is_unchanged_beside_the_pages(site: httpx.Client) -> None:
    assert site.get("/health").headers["content-type"] == "application/json"
    paths = site.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p == "/" or p.startswith(("/ui", "/static"))]


@pytest.mark.postgres
def test_both_stores_render_the_same_pages(sqlite_site_demo: Demo, site: httpx.Client,
                                           tmp_path_factory: pytest.TempPathFactory,
                                           request: pytest.FixtureRequest) -> None:
    from tests.api.conftest import seed

    url = request.getfixturevalue("pg_cluster").create_database()
    pg = seed(url, tmp_path_factory.mktemp("dashboard-pg"))
    with running(create_app(pg.url, pg.config, token="", mcp=False)) as base, httpx.Client(base_url=base) as other:
        for name, path in PAGES.items():
            if name != "overview":  # its freshness times are each store's own ingest times
                assert other.get(at_now(path)).text == site.get(at_now(path)).text, name
