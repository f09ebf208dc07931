"""The API fuzzed from its own OpenAPI document (schemathesis) over a real uvicorn: zero 5xx.

Bounded (a fixed seed, 10 examples per operation plus schemathesis' coverage phase: ~650
requests) so it runs in about 10 s (one worker: two made hypothesis itself fail at random with a
SystemError, no server error behind it); `not_a_server_error` is the check, and the server's own
log is read for 5xx too.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import Request, Response

from teammemory.api import create_app
from tests.api.conftest import Demo
from tests.api.server import running

CLI = Path(shutil.which("schemathesis") or Path(__file__).parents[2] / ".venv" / "bin" / "schemathesis")


def test_fuzzing_the_openapi_document_finds_no_server_error(sqlite_demo: Demo, tmp_path: Path) -> None:
    if not CLI.exists():
        pytest.skip("schemathesis is not installed (the dev extra has it)")
    statuses: list[int] = []
    app = create_app(sqlite_demo.url, sqlite_demo.config, token="", mcp=False)

    @app.middleware("http")
    async def record(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        statuses.append(response.status_code)
        return response

    with running(app) as base:
        assert httpx.get(base + "/openapi.json").status_code == 200
        run = subprocess.run([str(CLI), "run", base + "/openapi.json", "--checks", "not_a_server_error",
                              "--max-examples", "10", "--seed", "1", "--workers", "1", "--no-shrink",
                              "--report-dir", str(tmp_path)],
                             capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert len(statuses) > 200
    assert [s for s in statuses if s >= 500] == []
    assert {200, 404, 422} <= set(statuses)
