"""The API fuzzed from its own OpenAPI document (schemathesis) over a real uvicorn: zero 5xx.

Bounded (a fixed seed, 10 examples per operation plus schemathesis' coverage phase: ~1,300
requests in all; one schemathesis worker: two made hypothesis itself fail at random with a
SystemError, no server error behind it); `not_a_server_error` is the check, and the status of
every answer the server sent is recorded too. The operations are split into PARTS runs (every
operation in exactly one, by its place in the sorted list of paths) so the suite's workers share
schemathesis' own generation; together they fuzz what one run did. Each run costs ~2.3 s of CPU
before its first request (measured 2026-12-02: one run 11.6 s of schemathesis CPU, four parts
18.5 s; the server's 5.8 s either way), so two parts, not four, once the suite's cores were busy
all through anyway.
"""

from __future__ import annotations

import re
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
PARTS = 2


def part_of(paths: list[str], part: int) -> list[str]:
    """The paths of one part: every PARTS-th of the sorted list, from `part`."""
    return sorted(paths)[part::PARTS]


def test_the_parts_cover_every_operation_once() -> None:
    paths = [f"/p{i}" for i in range(11)]
    parts = [part_of(paths, k) for k in range(PARTS)]
    assert sorted(p for part in parts for p in part) == sorted(paths)


@pytest.mark.parametrize("part", range(PARTS))
def test_fuzzing_the_openapi_document_finds_no_server_error(sqlite_demo: Demo, tmp_path: Path, part: int) -> None:
    if not CLI.exists():
        pytest.skip("schemathesis is not installed (the dev extra has it)")
    statuses: list[int] = []
    app = create_app(sqlite_demo.url, sqlite_demo.config, token="", mcp=False)

    @app.middleware("http")
    async def record(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        if request.url.path != "/openapi.json":
            statuses.append(response.status_code)
        return response

    with running(app) as base:
        document = httpx.get(base + "/openapi.json")
        assert document.status_code == 200
        mine = part_of(list(document.json()["paths"]), part)
        assert mine
        only = "^(" + "|".join(re.escape(p) for p in mine) + ")$"
        run = subprocess.run([str(CLI), "run", base + "/openapi.json", "--checks", "not_a_server_error",
                              "--include-path-regex", only,
                              "--max-examples", "10", "--seed", "1", "--workers", "1", "--no-shrink",
                              "--report-dir", str(tmp_path)],
                             capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert len(statuses) > 20 * len(mine)
    assert [s for s in statuses if s >= 500] == []
    assert 200 in statuses and {404, 422} & set(statuses)
