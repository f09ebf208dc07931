"""The demo store (`teammemory seed`) on SQLite and PostgreSQL, and the API served over it by a
real uvicorn on 127.0.0.1; `cli_json` asks the CLI the same question for comparison."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from teammemory.api import create_app
from teammemory.outputs.cli import app as cli
from tests.api.server import running

NOW = "2026-11-20T12:00:00Z"


@dataclass(frozen=True)
class Demo:
    url: str  # the store
    config: Path  # the demo's teammemory.toml
    files: Path  # where `seed` wrote the demo's repository and recorded JSON

    def cli(self, *args: str) -> Any:
        return CliRunner().invoke(cli, ["--db", self.url, "--config", str(self.config), *args],
                                  catch_exceptions=False)

    def cli_json(self, *args: str) -> Any:
        result = self.cli(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.output)


def seed(url: str, where: Path) -> Demo:
    demo = Demo(url, where / "files" / "teammemory.toml", where / "files")
    result = CliRunner().invoke(cli, ["--db", url, "seed", "--dir", str(demo.files)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return demo


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    where = tmp_path_factory.mktemp("demo")
    url = str(where / "demo.db") if request.param == "sqlite" else \
        request.getfixturevalue("pg_cluster").create_database()
    return seed(url, where)


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    where = tmp_path_factory.mktemp("demo")
    return seed(str(where / "demo.db"), where)


@pytest.fixture(scope="module")
def api(demo: Demo) -> Iterator[httpx.Client]:
    """An HTTP client on the API served over the demo (no token)."""
    with running(create_app(demo.url, demo.config, token="")) as base, httpx.Client(base_url=base) as client:
        yield client
