"""The dashboard's pages for issue 13's questions (a real uvicorn over the demo store): each shows
the API's own document for its question, links every item to its evidence, and says so readably
when what it needs is missing (the clone `why` blames in, the issue text `similar` compares)."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta
from urllib.parse import quote

import httpx
import pytest

from teammemory.api import create_app
from teammemory.api.dashboard.formats import duration, moment
from teammemory.api.dashboard.links import Links
from teammemory.store import Store
from tests.api.conftest import NOW, Demo, seed
from tests.api.server import running
from tests.dashboard.conftest import Page, at_now
from tests.dashboard.test_pages import FILE, PAGES, api_json

NOW_AT = datetime.fromisoformat(NOW.replace("Z", "+00:00"))


def html_of(site: httpx.Client, path: str) -> str:
    response = site.get(at_now(path))
    assert response.status_code == 200, response.text[:500]
    return response.text


def test_durations_read_as_people_say_them() -> None:
    assert duration(None) == "—" and duration(45) == "45 s" and duration(60) == "1 min"
    assert duration(2 * 3600 + 5 * 60) == "2 h 5 min"
    assert duration(166680) == "1 d 22 h"  # 166680 s = 1 day (86400) + 22 h (79200) + 18 min (1080)
    assert moment("2026-10-31T09:00:00+00:00") == "2026-10-31 09:00" and moment(None) == "—"


def test_refs_of_the_new_answers_link_to_their_pages() -> None:
    links = Links()
    assert links.ref("acme/platform@594929c16df53e9cdd8b3a7993bf0b121f136cd0") == \
        "/ui/commits/594929c16df53e9cdd8b3a7993bf0b121f136cd0?repo=acme%2Fplatform"
    assert links.evidence({"kind": "commit", "ref": "acme/platform@be7d483"}) == \
        "/ui/commits/be7d483?repo=acme%2Fplatform"
    assert links.evidence({"kind": "incident", "ref": "INC-3"}) == "/ui/incidents/INC-3"
    assert links.ref("PR acme/platform#379".split(" ")[-1]) == "/ui/prs/379?repo=acme%2Fplatform"
    assert links.why("src/a.py", "3-4") == "/ui/why?path=src%2Fa.py&lines=3-4"


def test_the_overview_links_the_new_pages_and_counts_component_changes(site: httpx.Client,
                                                                        sqlite_site_demo: Demo) -> None:
    html = html_of(site, "/")
    for page in ("/ui/components?", "/ui/bus-factor?", "/ui/incidents?", "/ui/timeline?", "/ui/why?"):
        assert f'href="{page}' in html, page
    # most changed components: non-merge commits authored in the risk window (since, now], counted
    # here from the store's rows, and the same numbers as each component's why-changed
    since = NOW_AT - timedelta(days=90)
    with Store.open(sqlite_site_demo.url).read() as db:
        rows = db.all("select component, authored_at, is_merge, churn from component_commits")
    counted: dict[str, list[int]] = {}
    for r in rows:
        if not r["is_merge"] and since.timestamp() < r["authored_at"] <= NOW_AT.timestamp():
            commits_churn = counted.setdefault(r["component"], [0, 0])
            commits_churn[0] += 1
            commits_churn[1] += r["churn"]
    shown = re.findall(r'href="/ui/components/([^"?]+)\?now=[^"]*#why-changed">(\d+)</a></td>\s*'
                       r'<td><a href="[^"]*#why-changed">(\d+)</a>', html)
    assert shown and {name: [int(c), int(ch)] for name, c, ch in shown} == counted
    assert [int(c) for _, c, _ in shown] == sorted((int(c) for _, c, _ in shown), reverse=True)
    for name, commits, churn in shown:
        current = api_json(site, "/why-changed", target=name)["result"]["current"]
        assert (current["commits"], current["churn"]) == (int(commits), int(churn)), name
    assert 'href="/ui/incidents/INC-3?' in html


def test_the_component_page_shows_why_changed_bus_factor_and_incidents(site: httpx.Client) -> None:
    why = api_json(site, "/why-changed", target="auth")["result"]
    bus = api_json(site, "/bus-factor", component="auth")["result"]["scopes"][0]
    incidents = api_json(site, "/incidents", component="auth")["result"]["incidents"]
    html = html_of(site, "/ui/components/auth")
    page = Page(html)
    assert why["explanation"] in html
    assert f'href="#wc-changes">{why["current"]["commits"]}</a>' in html
    for c in why["changes"]:
        assert any(h.startswith(f"/ui/commits/{c['ref']}?") for h in page.links), c["ref"]
    for i in why["issues"]:
        assert any(h.startswith(f"/ui/issues/{i['key']}?") for h in page.links)
    assert bus["explanation"] in html
    assert f'href="#bus-removed">{bus["truck_factor"]}</a>' in html
    for x in bus["removed"]:
        assert f'/ui/people/{x["person"]["key"]}?' in html
    for f in bus["island_files"]:
        assert f"path={quote(f['path'], safe='')}" in html
    assert incidents and all(f'href="/ui/incidents/{i["key"]}?' in html for i in incidents)
    # the previous window's numbers link to the timeline of that window and component
    prev = why["previous"]
    assert f'/ui/timeline?since={prev["since_day"]}&amp;until={prev["until_day"]}&amp;component=auth' in html


def test_the_file_page_shows_coupling_why_changed_incidents_and_the_why_form(site: httpx.Client) -> None:
    coupling = api_json(site, "/files/coupling", path=FILE)["result"]
    why = api_json(site, "/why-changed", target=FILE)["result"]
    incidents = api_json(site, "/incidents", limit="100")["result"]["incidents"]
    html = html_of(site, PAGES["file"])
    page = Page(html)
    assert coupling["explanation"] in html and why["explanation"] in html
    coupled = [c for level in coupling["levels"] for c in level["coupled"]]
    assert coupled
    for c in coupled:
        assert f"<strong>{c['score']['total']}</strong>" in html
        assert any(h.startswith(f"/ui/files?path={quote(c['path'], safe='')}") for h in page.links)
        for e in c["evidence"]:  # commit-level evidence is a commit, issue-level an issue, PR-level a PR
            want = {"commit": f"/ui/commits/{e['ref']}?", "issue": f"/ui/issues/{e['ref']}?"}.get(
                e["kind"], f"/ui/prs/{e['ref'].lstrip('#').split('#')[-1]}?")
            assert want in html, e
    assert f"changed in {coupling['test_changes']} of its {coupling['changes']} changes" in html or \
        f"No test file found for it ({coupling['changes']} changes)" in html
    # incidents touching the file: those whose causes or fixes changed it, worked out here
    touching = [i["key"] for i in incidents if any(FILE in c["paths"] for c in i["causes"] + i["fixes"])]
    section = html[html.index('<section id="incidents">'):]
    section = section[:section.index("</section>")]
    assert touching and list(dict.fromkeys(re.findall(r'href="/ui/incidents/([^"?]+)\?', section))) == touching
    # the "why is this line so" form asks /ui/why for this path, as of the page's moment
    form = html[html.index('<form class="why"'):]
    form = form[:form.index("</form>")]
    assert 'action="/ui/why"' in form and f'name="path" value="{FILE}"' in form
    assert f'name="now" value="{NOW}"' in form and 'name="lines"' in form


def test_the_issue_page_shows_similar_issues(site: httpx.Client) -> None:
    similar = api_json(site, "/similar", key="PROJ-1247")["result"]
    page = Page(html_of(site, "/ui/issues/PROJ-1247"))
    assert similar["hits"]
    for h in similar["hits"]:
        if h["kind"] == "issue":
            want = f"/ui/issues/{h['ref']}?"
        elif h["kind"] == "commit":
            repo, _, sha = h["ref"].partition("@")
            want = f"/ui/commits/{sha}?repo={quote(repo, safe='')}"
        elif h["kind"] == "incident":
            want = f"/ui/incidents/{quote(h['ref'], safe='')}"
        else:
            repo, _, number = h["ref"].partition("#")
            want = f"/ui/prs/{number}?repo={quote(repo, safe='')}"
        assert any(link.startswith(want) for link in page.links), want
    assert site.get(at_now("/ui/issues/PROJ-1251")).status_code == 200


def test_the_incidents_page_lists_them_with_open_action_items(site: httpx.Client) -> None:
    doc = api_json(site, "/incidents")["result"]
    page = Page(html_of(site, "/ui/incidents"))
    for i in doc["incidents"]:
        assert any(h.startswith(f"/ui/incidents/{i['key']}?") for h in page.links)
    open_items = [a["key"] for i in doc["incidents"] for a in i["action_items"] if a["open"]]
    assert len(open_items) == doc["open_action_items"] > 0
    for key in open_items:
        assert any(h.startswith(f"/ui/issues/{key}?") for h in page.links)
    auth = Page(html_of(site, "/ui/incidents?component=auth"))
    keys = {i["key"] for i in api_json(site, "/incidents", component="auth")["result"]["incidents"]}
    assert {h.split("?")[0].rsplit("/", 1)[-1] for h in auth.links if h.startswith("/ui/incidents/")} == keys


def test_one_incident_shows_causes_fixes_measures_and_action_items(site: httpx.Client) -> None:
    i = next(x for x in api_json(site, "/incidents")["result"]["incidents"] if x["key"] == "INC-3")
    html = html_of(site, "/ui/incidents/INC-3")
    started, detected = (datetime.fromisoformat(i[k]) for k in ("started_at", "detected_at"))
    ttd = int((detected - started).total_seconds())  # time to detect = detected - started
    assert [m["seconds"] for m in i["measures"] if m["name"] == "ttd"] == [ttd]
    assert f"<td>TTD</td><td>{duration(ttd)}</td>" in html
    assert "<td>TTR</td><td>—</td>" in html  # not resolved yet: no time to resolve
    for c in i["causes"] + i["fixes"]:
        assert f'/ui/prs/{c["ref"]}?repo={quote(c["repo"], safe="")}' in html if c["kind"] == "pr" else \
            f'/ui/commits/{c["ref"]}' in html
    for a in i["action_items"]:
        assert f'/ui/issues/{a["key"]}?' in html
    assert i["root_cause"].splitlines()[0] in html
    missing = site.get(at_now("/ui/incidents/INC-33"))
    assert missing.status_code == 404 and 'href="/ui/incidents/INC-3?' in missing.text


def test_the_timeline_defaults_to_the_30_days_before_now(site: httpx.Client) -> None:
    since = (NOW_AT - timedelta(days=30)).isoformat()
    doc = api_json(site, "/timeline", since=since)["result"]
    html = html_of(site, "/ui/timeline")
    assert doc["events"] and f"Events <span class=\"muted small\">{len(doc['events'])}</span>" in html
    for e in doc["events"]:
        if e["kind"] in ("commit", "merge"):
            assert f"/ui/commits/{e['ref']}?" in html
    for b in doc["bursts"]:
        assert f'id="burst-{b["number"]}"' in html
    narrow = api_json(site, "/timeline", since="2026-11-01T00:00:00Z", until="2026-11-10T00:00:00Z",
                      component="auth")["result"]
    page = html_of(site, "/ui/timeline?since=2026-11-01T00:00:00Z&until=2026-11-10T00:00:00Z&component=auth")
    assert f"Events <span class=\"muted small\">{len(narrow['events'])}</span>" in page
    assert site.get(at_now("/ui/timeline?since=yesterday")).status_code == 422


def test_the_components_and_bus_factor_pages(site: httpx.Client) -> None:
    comps = api_json(site, "/components")["result"]["components"]
    html = html_of(site, "/ui/components")
    if any(not c["name"] for c in comps):
        assert "no rule matched (" in html
    for c in (c for c in comps if c["name"]):  # '' holds the files no rule matched: no page of its own
        assert f'href="/ui/components/{quote(c["name"], safe="")}?now=' in html
        assert f'#onboarding">{c["files"]}</a>' in html
    bus = api_json(site, "/bus-factor")["result"]
    page = html_of(site, "/ui/bus-factor")
    repo = next(s for s in bus["scopes"] if s["kind"] == "repository")
    assert repo["explanation"] in page
    for s in bus["scopes"]:
        assert f">{s['truck_factor']}</a>" in page


def test_the_why_page_shows_the_blamed_commits(site: httpx.Client) -> None:
    doc = api_json(site, "/files/why", path=f"{FILE}:1-8")["result"]
    html = html_of(site, PAGES["why"])
    assert doc["commits"]
    for c in doc["commits"]:
        assert f"/ui/commits/{c['hash']}?" in html and f">{c['lines']}</a>" in html
        for p in c["prs"]:
            assert f"/ui/prs/{p['pr']['number']}?" in html
    assert html.count('<tr id="l-') == len(doc["lines"]) == 8
    assert doc["git_dir"] not in html  # the server's own paths stay on the server
    assert "Give a file" in html_of(site, "/ui/why")


def test_why_says_so_when_the_clone_is_not_on_the_server(tmp_path_factory: pytest.TempPathFactory) -> None:
    where = tmp_path_factory.mktemp("dashboard-no-clone")
    demo = seed(str(where / "demo.db"), where)
    shutil.move(str(demo.files / "repo"), str(where / "moved-away"))
    with running(create_app(demo.url, demo.config, token="", mcp=False)) as base, httpx.Client(base_url=base) as c:
        response = c.get(at_now(PAGES["why"]))
        assert response.status_code == 200
        assert "that clone is not on this server" in response.text and 'class="note"' in response.text
        assert "Traceback" not in response.text
        assert c.get(at_now(PAGES["file"])).status_code == 200  # the file page itself needs no clone
        bad = c.get(at_now(f"/ui/why?path={quote(FILE, safe='')}&lines=9-3"))
        assert bad.status_code == 422 and 'class="error"' in bad.text


def test_an_issue_named_only_in_commits_is_compared_by_their_text(site: httpx.Client,
                                                                  sqlite_site_demo: Demo) -> None:
    with Store.open(sqlite_site_demo.url).read() as db:
        rows = db.all("select ci.issue_key from commit_issues ci left join issues i on i.key = ci.issue_key"
                      " where i.key is null order by ci.issue_key limit 1")
    if not rows:
        pytest.skip("the demo names no issue it did not ingest")
    key = rows[0]["issue_key"]
    html = html_of(site, f"/ui/issues/{key}")
    assert f"query: {key} is not an ingested issue: the text and files of the" in html


def test_a_component_named_after_a_folder_reaches_its_page(site: httpx.Client) -> None:
    """Inferred components are folders (`stream/clients` on BookKeeper): the link's %2F arrives
    decoded, and still names the component, not an unknown page."""
    response = site.get(at_now("/ui/components/" + quote("stream/clients", safe="")))
    assert response.status_code == 404 and "component" in response.text and "stream/clients" in response.text
    assert "page" not in response.text.split('class="error">')[1].split("</p>")[0]
    month = site.get(at_now("/ui/components/auth/commits?month=2026-10"))
    assert month.status_code == 200 and "auth" in month.text
