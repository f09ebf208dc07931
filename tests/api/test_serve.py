"""`teammemory serve` and `uvicorn teammemory.api:app` as a user starts them: real processes on
127.0.0.1, the store from --db or TEAMMEMORY_DB."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.api.conftest import Demo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def process(args: list[str], env: dict[str, str], port: int) -> Iterator[str]:
    """Start `args`, wait until it answers on `port`, and stop it (by its own pid) afterwards."""
    proc = subprocess.Popen(args, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[0]
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def test_uvicorn_serves_the_app_from_the_environment(sqlite_demo: Demo, tmp_path: object) -> None:
    port = free_port()
    env = {"TEAMMEMORY_DB": sqlite_demo.url, "TEAMMEMORY_API_TOKEN": ""}
    args = [sys.executable, "-m", "uvicorn", "teammemory.api:app", "--host", "127.0.0.1", "--port", str(port)]
    with process(args, env, port) as base:
        health = httpx.get(base + "/health").json()
    assert [r["name"] for r in health["repositories"]] == ["acme/platform"]


def test_serve_takes_the_global_db_and_config(sqlite_demo: Demo) -> None:
    port = free_port()
    args = [sys.executable, "-m", "teammemory", "--db", sqlite_demo.url, "--config", str(sqlite_demo.config),
            "serve", "--port", str(port)]
    with process(args, {"TEAMMEMORY_API_TOKEN": "t"}, port) as base:
        assert httpx.get(base + "/hygiene").status_code == 401
        got = httpx.get(base + "/components/auth/experts", params={"now": "2026-11-20T12:00:00Z"},
                        headers={"Authorization": "Bearer t"}).json()
    assert got == sqlite_demo.cli_json("component-experts", "auth", "--now", "2026-11-20T12:00:00Z")


def test_serve_refuses_a_missing_store_before_listening(tmp_path: object, sqlite_demo: Demo) -> None:
    missing = Demo(str(sqlite_demo.files / "none.db"), sqlite_demo.config, sqlite_demo.files)
    result = missing.cli("serve", "--port", str(free_port()))
    assert result.exit_code == 2 and "teammemory init-db" in result.output
    assert missing.cli("serve", "--port", "70000").exit_code == 2
    assert missing.cli("mcp").exit_code == 2  # no store: the argument is at fault (errors.NoStore)
