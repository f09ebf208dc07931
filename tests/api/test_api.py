"""The REST API over a real uvicorn on 127.0.0.1: every question's body is the CLI's `--json`
document for the same question, on SQLite and PostgreSQL; errors in one shape; the token."""

from __future__ import annotations

import subprocess
import sys
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from teammemory.api import create_app
from teammemory.api.parameters import OPTIONS as API_OPTIONS
from teammemory.api.parameters import SUBJECTS as API_SUBJECTS
from teammemory.api.parameters import options_of
from teammemory.api.routes import PATHS
from teammemory.outputs.questions import QUESTIONS
from teammemory.store import Store
from tests.api.conftest import NOW, Demo
from tests.api.server import running

FILE = "src/auth/token_service.py"
SUBJECTS: dict[str, Any] = {"key": "PROJ-1247", "number": 382, "path": FILE, "name": "auth", "component": "auth",
                            "scope": "auth", "target": "auth", "lines": FILE + ":1-3", "bug": "PROJ-1247",
                            "": None}
OPTION_VALUES: dict[str, Any] = {"repo": "acme/platform", "days": 30, "limit": 2, "include_tests": True,
                                 "text": "race condition", "commit": None, "component": "auth",
                                 "since": "2026-05-01T00:00:00Z", "until": "2026-06-01T00:00:00Z", "window": 45,
                                 "include_inactive": True, "scoring": "article"}


def _cases() -> list[tuple[str, Any, dict[str, Any]]]:
    """Each question as it stands, then with every option it takes (from the registry, so an
    option added later is tried too)."""
    out: list[tuple[str, Any, dict[str, Any]]] = []
    for name, q in QUESTIONS.items():
        required = {o: OPTION_VALUES[o] for o in options_of(q) if API_OPTIONS[o].required}  # timeline's since
        out.append((name, SUBJECTS[q.subject], required))
        if options_of(q):
            options = {o: OPTION_VALUES[o] for o in options_of(q) if OPTION_VALUES[o] is not None}
            # similar takes exactly one of KEY, text, commit: with its options it is asked by text
            out.append((name, None if "text" in options else SUBJECTS[q.subject], options))
    return out


CASES = _cases()


def path_of(name: str, subject: Any) -> tuple[str, dict[str, Any]]:
    """The URL path of question `name` about `subject`, and the query holding it (files)."""
    template = PATHS[name]
    # a query parameter, named as the API names it
    if QUESTIONS[name].subject in ("path", "scope", "target", "lines", "bug"):
        return template, {API_SUBJECTS[QUESTIONS[name].subject].name: subject}
    if "{" in template:
        head, _, rest = template.partition("{")
        return head + quote(str(subject), safe="") + rest.partition("}")[2], {}
    return template, {}


def cli_args(name: str, subject: Any, options: dict[str, Any]) -> list[str]:
    args = [name] + ([str(subject)] if subject is not None else []) + ["--now", NOW]
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        args += [flag] if value is True else [flag, str(value)]
    return args


def test_every_registry_question_has_one_endpoint() -> None:
    assert set(PATHS) == set(QUESTIONS)
    for name, question in QUESTIONS.items():
        placeholders = PATHS[name].count("{")
        assert placeholders == (0 if question.subject in ("", "path", "scope", "target", "lines", "bug") else 1), name


@pytest.mark.parametrize(("name", "subject", "options"), CASES,
                         ids=[f"{c[0]}{'-' + '-'.join(c[2]) if c[2] else ''}" for c in CASES])
def test_each_endpoint_returns_the_cli_json_document(api: httpx.Client, demo: Demo, name: str, subject: Any,
                                                     options: dict[str, Any]) -> None:
    path, query = path_of(name, subject)
    response = api.get(path, params={**query, **options, "now": NOW})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == demo.cli_json(*cli_args(name, subject, options))


def test_the_openapi_document_lists_every_endpoint(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert set(PATHS.values()) | {"/components", "/people", "/people/{key}", "/search", "/health"} <= set(paths)
    days = {p["name"]: p for p in paths["/risky-files"]["get"]["parameters"]}["days"]["schema"]
    assert days["anyOf"][0] == {"type": "integer", "minimum": 1, "maximum": 36500}


def test_people_is_the_identities_document(api: httpx.Client, demo: Demo) -> None:
    assert api.get("/people", params={"now": NOW}).json() == demo.cli_json("identities", "--now", NOW)
    some = api.get("/people", params={"now": NOW, "name": "burak", "limit": 1}).json()
    assert some == demo.cli_json("identities", "--name", "burak", "--limit", "1", "--now", NOW)
    assert [d["key"] for d in some["result"]["developers"]] == ["burak-kaya"]


def test_one_person_is_their_entry_in_the_listing(api: httpx.Client, demo: Demo) -> None:
    everyone = demo.cli_json("identities", "--now", NOW)["result"]["developers"]
    burak = next(d for d in everyone if d["key"] == "burak-kaya")
    doc = api.get("/people/burak-kaya", params={"now": NOW}).json()
    assert doc == {"question": "person", "now": "2026-11-20T12:00:00+00:00", "result": burak}
    missing = api.get("/people/burak-kay")
    assert missing.status_code == 404
    assert missing.json()["error"]["suggestions"][0] == "burak-kaya"


@pytest.mark.parametrize(("q", "kind", "hit"), [
    ("PROJ-1247", "issue", "PROJ-1247"), ("proj-1247", "issue", "PROJ-1247"), ("#382", "pr", "382"),
    ("382", "pr", "382"), (FILE, "file", FILE), ("burak-kaya", "person", "burak-kaya"),
])
def test_search_puts_the_exact_match_first(api: httpx.Client, q: str, kind: str, hit: str) -> None:
    first = api.get("/search", params={"q": q}).json()["result"]["hits"][0]
    assert (first["kind"], first["id"], first["exact"]) == (kind, hit, True)


def test_search_finds_by_part_of_a_title_and_treats_wildcards_as_text(api: httpx.Client, demo: Demo) -> None:
    hits = api.get("/search", params={"q": "race condition", "limit": 100}).json()["result"]["hits"]
    with Store.open(demo.url).read() as db:
        issues = sorted(r["key"] for r in db.all("select key, summary from issues")
                        if "race condition" in r["summary"].lower())
        prs = sorted(r["number"] for r in db.all("select number, title from pull_requests")
                     if "race condition" in r["title"].lower())
    assert [h["id"] for h in hits if h["kind"] == "issue"] == issues and issues
    assert [int(h["id"]) for h in hits if h["kind"] == "pr"] == prs and prs
    assert api.get("/search", params={"q": "%"}).json()["result"]["hits"] == []
    cut = api.get("/search", params={"q": "auth", "limit": 2}).json()["result"]
    assert len(cut["hits"]) == 2 and cut["matched"] > 2


def test_health_tells_when_each_source_was_last_ingested(api: httpx.Client, demo: Demo) -> None:
    health = api.get("/health").json()
    head = subprocess.run(["git", "-C", str(demo.files / "repo"), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    assert health["ok"] is True and health["schema_version"] >= 5
    assert [(r["name"], r["head"]) for r in health["repositories"]] == [("acme/platform", head)]
    by_source = {s["source"]: s for s in health["sources"]}
    assert set(by_source) == {"git", "github-files", "jira-files", "incidents"}
    assert all(s["last_status"] == "ok" and s["runs"] == 1 and s["last_ok_at"] for s in by_source.values())
    assert by_source["git"]["cursor"] == head
    assert "derive" not in by_source


@pytest.mark.parametrize(("path", "params", "status", "message"), [
    ("/issues/PROJ-124/context", {}, 404, "issue 'PROJ-124' not found. Did you mean: PROJ-1247"),
    ("/prs/9999/context", {}, 404, "not found"),
    ("/files/experts", {"path": "token_service.py"}, 404, "Did you mean: src/auth/token_service.py"),
    ("/components/auht/risk", {}, 404, "Did you mean: auth"),
    ("/components/nothing-like-it/onboarding", {}, 404, "not found"),
    ("/files/experts", {"path": FILE, "now": "yesterday"}, 422, "now: not an ISO 8601 time"),
    ("/risky-files", {"days": 800000}, 422, "days: 800000 is out of range: 1 to 36500 days"),
    ("/risky-files", {"limit": 0}, 422, "limit: 0 is out of range: 1 to 100000"),
    ("/prs/100000000000000000000000000000/context", {}, 422,
     "number: 100000000000000000000000000000 is out of range: 1 to 2147483647"),
    ("/prs/abc/reviewers", {}, 422, "number: Input should be a valid integer"),
    ("/files/risk", {}, 422, "path: missing"),
    ("/files/risk", {"path": FILE, "days": "many"}, 422, "days: Input should be a valid integer"),
    ("/search", {}, 422, "q: missing"),
    ("/nowhere", {}, 404, "endpoint 'GET /nowhere' not found"),
    ("/issues/PROJ-1247/context", {"colour": "red"}, 422, "colour: issue-context does not take this parameter"),
])
def test_errors_have_one_shape_and_status(api: httpx.Client, path: str, params: dict[str, Any], status: int,
                                          message: str) -> None:
    response = api.get(path, params=params)
    body = response.json()
    assert response.status_code == status and body["status"] == status and body["ok"] is False
    assert set(body["error"]) == {"code", "message", "argument", "suggestions"}
    assert message in body["error"]["message"]
    assert "Traceback" not in response.text


def test_not_found_carries_its_close_matches(api: httpx.Client) -> None:
    error = api.get("/issues/PROJ-124/context").json()["error"]
    assert error["code"] == "not_found" and error["suggestions"][0] == "PROJ-1247"
    bad = api.get("/risky-files", params={"days": 0}).json()["error"]
    assert (bad["code"], bad["argument"]) == ("bad_input", "days")


def test_a_missing_store_is_a_503_naming_the_fix(tmp_path: Any) -> None:
    with running(create_app(str(tmp_path / "none.db"), token="", mcp=False)) as base:
        response = httpx.get(base + "/health")
    assert response.status_code == 503
    assert "teammemory init-db" in response.json()["error"]["message"] and "Traceback" not in response.text


def test_with_a_token_every_request_needs_it(sqlite_demo: Demo) -> None:
    app = create_app(sqlite_demo.url, sqlite_demo.config, token="s3cret-token")
    with running(app) as base:
        for path in ("/health", "/hygiene", "/openapi.json", "/nowhere", "/mcp"):
            bare = httpx.get(base + path)
            wrong = httpx.get(base + path, headers={"Authorization": "Bearer s3cret-tokeN"})
            assert bare.status_code == wrong.status_code == 401, path
            assert bare.headers["www-authenticate"] == "Bearer"
            assert "missing bearer token" in bare.json()["error"]["message"]
            assert "wrong bearer token" in wrong.json()["error"]["message"]
        good = httpx.get(base + "/hygiene", headers={"Authorization": "Bearer s3cret-token"})
    assert good.status_code == 200 and good.json()["question"] == "hygiene"


def test_the_token_comes_from_the_environment(sqlite_demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMMEMORY_API_TOKEN", "from-env")
    with running(create_app(sqlite_demo.url, sqlite_demo.config, mcp=False)) as base:
        assert httpx.get(base + "/health").status_code == 401
        assert httpx.get(base + "/health", headers={"Authorization": "Bearer from-env"}).status_code == 200


def test_plain_commands_do_not_import_the_web_stack() -> None:
    code = ("import sys, teammemory.outputs.cli, teammemory.api; "
            "print(sorted(m for m in ('fastapi', 'uvicorn', 'mcp', 'starlette') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
