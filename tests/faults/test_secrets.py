"""Secrets kept: a secret planted where a user puts one never reaches any output or the store.

Planted: the PostgreSQL password as `?password=` and as `user:pw@` in the store URL; Jira
credentials in `--url http://user:SECRET@host`; GITHUB_TOKEN and JIRA_API_TOKEN in the
environment. Then a whole session runs through the CLI, on SQLite and PostgreSQL: init-db,
ingest git, sync github and sync jira against a server on 127.0.0.1 (the Jira one twice: the
second run must find its cursor, stored under the redacted target), a sync that fails, and a
store that cannot be reached. ALL of it is searched for every secret: stdout and stderr of each
command, every log record (DEBUG, httpx's and httpcore's included), and every value of every
table of the store. The secrets must also have been used (the server saw them), or the test
would prove nothing.
Also: a store written by an older version, whose cursor and runs hold the secret in their
target, is cleaned by the next sync, which still continues from that cursor; `redact.url` on
every form it knows (userinfo, query parameters, libpq key=value, text holding URLs).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from teammemory import redact
from teammemory.config import Config
from teammemory.errors import SourceError
from teammemory.ingest.sync import jira_target, sync_jira
from teammemory.outputs.cli import app
from teammemory.sources import jira
from teammemory.sources.http import Http, RetryPolicy
from teammemory.store import Store
from tests.faults import hostile_servers
from tests.helpers import postgres
from tests.helpers.gitrepo import FakeCommit, build_repo
from tests.helpers.replay_server import ReplayServer, serving
from tests.ingest.test_sync import JQL, REPO, jira_search, script_github, script_jira

PG_SECRET = "pgPLANTED7f3a"
JIRA_SECRET = "jiraPLANTED9c1e"
GH_SECRET = "ghpPLANTED42d0"
JIRA_TOKEN_SECRET = "patPLANTED5b8e"
SECRETS = (PG_SECRET, JIRA_SECRET, GH_SECRET, JIRA_TOKEN_SECRET)


@pytest.fixture(scope="module")
def shared_server() -> Iterator[ReplayServer]:
    with serving() as replay:  # one per module: a server's shutdown takes half a second
        yield replay


@pytest.fixture
def server(shared_server: ReplayServer) -> ReplayServer:
    shared_server.routes.clear()
    shared_server.requests.clear()
    shared_server.unexpected.clear()
    return shared_server


def store_url(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A store URL holding PG_SECRET twice (PostgreSQL, trust auth ignores it); SQLite has none."""
    if kind == "sqlite":
        return str(tmp_path / "tm.db")
    cluster: postgres.Cluster = request.getfixturevalue("pg_cluster")
    url = cluster.create_database()  # postgresql://postgres@/NAME?host=DIR&port=N
    return url.replace("postgres@", f"postgres:{PG_SECRET}@", 1) + f"&password={PG_SECRET}"


def dump_store(url: str) -> str:
    """Every value of every table of the store, as one text."""
    with Store.open(url).read() as db:
        if db.dialect == "sqlite":
            tables = [r["name"] for r in db.all("select name from sqlite_master where type = 'table'")]
        else:
            tables = [r["table_name"] for r in db.all(
                "select table_name from information_schema.tables"
                " where table_schema = current_schema() and table_type = 'BASE TABLE'")]
        assert {"cursors", "ingest_runs", "http_cache", "issues"} <= set(tables)
        return json.dumps({t: db.all(f"select * from {t}") for t in sorted(tables)}, default=str)


def assert_clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{where} holds {secret}"
        assert quote(secret) not in text and base64.b64encode(secret.encode()).decode() not in text


class Session:
    """Runs CLI commands on one store and keeps everything they printed."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.printed: list[str] = []

    def run(self, *args: str, code: int = 0, env: dict[str, str] | None = None) -> str:
        result = CliRunner().invoke(app, ["--db", self.db, *args], env=env or {})
        self.printed += [result.stdout, result.stderr]
        assert result.exit_code == code, (args, result.stdout, result.stderr, result.exception)
        return result.stdout + result.stderr


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_no_planted_secret_in_any_output_or_the_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest,
                                                      server: ReplayServer, realdata: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    script_github(server, realdata)
    script_jira(server, realdata)
    db = store_url(kind, tmp_path, request)
    session = Session(db)
    assert "schema version" in session.run("init-db")
    repo = build_repo(tmp_path / "repo", [FakeCommit("Ana <ana@example.com>", 1_700_000_000, "PROJ-1 add",
                                                     {"a.py": "x\n"})])
    session.run("ingest", "git", str(repo), "--quiet")
    session.run("sync", "github", REPO, "--base-url", server.url, env={"GITHUB_TOKEN": GH_SECRET})
    jira_url = server.url.replace("://", f"://ana:{JIRA_SECRET}@")
    for _ in range(2):  # the second run starts from the cursor the first one stored
        out = session.run("sync", "jira", "--url", jira_url, "--jql", JQL)
        assert "ingested jira http://ana:***@127.0.0.1" in out
    assert server.requests[-1].query["jql"].startswith('(project = HELP) AND updated >=')
    failed = session.run("sync", "jira", "--url", jira_url, "--jql", "project = NOPE", code=1,
                         env={"JIRA_API_TOKEN": JIRA_TOKEN_SECRET})
    assert "error: GET http://127.0.0.1" in failed and "HTTP 404" in failed
    refused = session.run("sync", "jira", "--url", f"{server.url}/?token={JIRA_SECRET}", "--jql", JQL, code=2)
    assert "a base URL takes no ?query" in refused and "token=***" in refused

    basic = "Basic " + base64.b64encode(f"ana:{JIRA_SECRET}".encode()).decode()
    assert basic in {r.headers.get("authorization") for r in server.requests}  # the secrets were used
    assert f"Bearer {GH_SECRET}" in {r.headers.get("authorization") for r in server.requests}
    for i, text in enumerate(session.printed):
        assert_clean(text, f"output {i}")
    assert_clean(caplog.text, "the log")
    store = dump_store(db)
    assert jira_target(jira_url, JQL) in store and "failed" in store
    assert_clean(store, "the store")


@pytest.mark.parametrize("url", [
    f"postgresql://postgres:{PG_SECRET}@127.0.0.1:1/tm",
    f"postgresql://postgres@127.0.0.1:1/tm?password={PG_SECRET}&connect_timeout=2",
    f"postgres://127.0.0.1:1/tm?sslpassword={PG_SECRET}&password={PG_SECRET}",
    f"mysql://root:{PG_SECRET}@db/tm",
])
def test_a_store_that_cannot_be_reached_never_prints_its_password(url: str) -> None:
    for args in (["init-db"], ["file-experts", "a.py"], ["ingest", "git", "."]):
        result = CliRunner().invoke(app, ["--db", url, *args])
        assert result.exit_code == 1 and result.stderr.startswith("error: "), result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert_clean(result.stdout + result.stderr, " ".join(args))


def test_a_failing_sync_logs_and_raises_only_redacted_urls(sqlite_store: Store,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    """Retries are logged with the URL: a silent server (a read timeout), tried twice."""
    caplog.set_level(logging.DEBUG)
    with hostile_servers.silent() as base:
        url = base.replace("http://", f"http://ana:{JIRA_SECRET}@") + "/jira"
        client = jira.make_jira_client(url, env={"JIRA_API_TOKEN": JIRA_TOKEN_SECRET}, timeout=0.2)
        http = Http(client, RetryPolicy(attempts=2, rand=lambda: 0.0), sleep=lambda s: None)
        with pytest.raises(SourceError, match="read timeout") as err:
            sync_jira(sqlite_store, url, JQL, config=Config(), client=http)
    assert "retry 1 of 1" in caplog.text
    assert_clean(str(err.value) + caplog.text, "the error and the log")
    assert_clean(dump_store(str(sqlite_store.url)), "the store")


def test_an_older_store_with_a_secret_in_its_targets_is_cleaned_and_keeps_its_cursor(
        store: Store, server: ReplayServer, realdata: Path) -> None:
    script_jira(server, realdata)
    url = server.url.replace("://", f"://ana:{JIRA_SECRET}@")
    raw_target = f"{url} :: {JQL}"  # as versions before redact.url stored it
    with store.write() as db:
        db.execute("insert into cursors (source, target, value, updated_at)"
                   " values ('jira', :t, '2016-03-03T14:32:47Z', 1)", t=raw_target)
        db.execute("insert into ingest_runs (run_id, source, target, started_at, finished_at, status, counts)"
                   " values ('old', 'jira', :t, 1, 2, 'ok', '{}')", t=raw_target)
    client = jira.make_jira_client(url, env={}, timeout=5)
    summary = sync_jira(store, url, JQL, config=Config(), client=client)
    assert summary.counts["issues"] == 0  # it went on from the old cursor: nothing newer
    assert server.requests[-1].path == jira_search(
        '(project = HELP) AND updated >= "2016-03-03 01:32" ORDER BY updated ASC')
    with store.read() as db:
        cursors = db.all("select target, value from cursors where source = 'jira'")
        runs = sorted(r["target"] for r in db.all("select target from ingest_runs where source = 'jira'"))
    assert cursors == [{"target": jira_target(url, JQL), "value": "2016-03-03T14:32:47Z"}]
    assert runs == [jira_target(url, JQL)] * 2
    assert_clean(dump_store(str(store.url) if store.dialect == "sqlite" else store.url.target), "the store")


@pytest.mark.parametrize(("given", "shown"), [
    ("postgresql://ana:pw@db/tm", "postgresql://ana:***@db/tm"),
    ("postgresql://ana@db/tm?host=/run&password=pw&port=5", "postgresql://ana@db/tm?host=/run&password=***&port=5"),
    ("postgres://db/tm?sslpassword=pw", "postgres://db/tm?sslpassword=***"),
    ("host=db password='a b\\' c' dbname=tm", "host=db password=*** dbname=tm"),
    ("host=db password = pw dbname=tm", "host=db password = *** dbname=tm"),
    ("https://me@x.org:tok@jira.x.org/", "https://me@x.org:***@jira.x.org/"),
    ("https://u:p%40ss@h/x?a=1&access_token=t&apikey=k&x_api_key=k2&Token=T#f",
     "https://u:***@h/x?a=1&access_token=***&apikey=***&x_api_key=***&Token=***#f"),
    ("GET https://h/x?client_secret=s&sig=s2: HTTP 500", "GET https://h/x?client_secret=***&sig=***: HTTP 500"),
    ("https://api.github.com/repos/o/r/pulls?state=all&per_page=100&page=2",
     "https://api.github.com/repos/o/r/pulls?state=all&per_page=100&page=2"),
    ("postgresql://postgres@/t?host=/tmp/x&port=5432", "postgresql://postgres@/t?host=/tmp/x&port=5432"),
    ("teammemory.db", "teammemory.db"),
    ("store URL 'mysql://h/?password=pw': unknown", "store URL 'mysql://h/?password=***': unknown"),
    ("(token=abc), token=a:b", "(token=***), token=***"),
    ("http://u:@h/", "http://u:@h/"),
])
def test_redact_url_masks_every_form_and_nothing_else(given: str, shown: str) -> None:
    assert redact.url(given) == shown
    assert redact.url(shown) == shown  # stable: a redacted target redacts to itself
