"""`teammemory sync github` end to end against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from teammemory.outputs.cli import app
from tests.helpers.replay_server import ReplayServer, route_key, serving
from tests.ingest.test_sync import LIST, REPO, TOKEN, script_github


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with serving() as replay:
        yield replay


def test_sync_github_command(tmp_path: Path, server: ReplayServer, realdata: Path) -> None:
    script_github(server, realdata)
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init-db"]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "sync", "github", REPO, "--base-url", server.url],
                           env={"GITHUB_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert f"ingested github {REPO}" in result.output and "pull requests: 2" in result.output
    assert TOKEN not in result.output
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)
    assert TOKEN.encode() not in Path(db).read_bytes()


def test_sync_github_refused_token_exits_1(tmp_path: Path, server: ReplayServer) -> None:
    server.add("GET", f"/repos/{REPO}/pulls?{LIST}", {"message": "Bad credentials"}, status=401)
    db = str(tmp_path / "s.db")
    runner = CliRunner()
    runner.invoke(app, ["--db", db, "init-db"])
    result = runner.invoke(app, ["--db", db, "sync", "github", REPO, "--base-url", server.url],
                           env={"GITHUB_TOKEN": TOKEN})
    assert result.exit_code == 1
    assert "refused" in result.output and TOKEN not in result.output
    assert route_key("GET", f"/repos/{REPO}/pulls?{LIST}") in server.routes
