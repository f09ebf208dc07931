"""After the git bar, a git ingest says which step runs: derive's steps, the planner's statistics,
the store file's writing (a first ingest's), in the order they run; on a terminal as a spinner
line that is gone when the summary is printed (ingest/status.py). A sync's line: tests/ingest/test_sync.py."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.ingest import git as ingest_git_module
from teammemory.ingest import status
from teammemory.store import Store, helper_steps
from tests.helpers.gitrepo import FakeCommit, build_repo

ANA = "Ana <ana@example.com>"
DERIVE = ["links", "components", "test files", "bug fixes", "identities", "summaries"]
IN_PROCESS = [*DERIVE, "lineage", "bug-fix history", "text index"]


def history(n: int = 6) -> list[FakeCommit]:
    return [FakeCommit(ANA, 1_700_000_000 + 3600 * i, f"PROJ-{i} change {i}", {f"src/app/m{i % 3}.py": f"x={i}\n"})
            for i in range(n)]


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, list[str]]]:
    """What each ingest's status heard: (shown, the steps in order)."""
    seen: list[tuple[bool, list[str]]] = []

    @contextmanager
    def recording(show: bool, name: str) -> Iterator[Callable[[str], None]]:
        heard: list[str] = []
        seen.append((show, heard))
        yield heard.append

    monkeypatch.setattr(ingest_git_module, "status_line", recording)
    return seen


def test_a_first_ingest_and_a_later_one_say_each_step(tmp_path: Path,
                                                      steps: list[tuple[bool, list[str]]]) -> None:
    repo = build_repo(tmp_path / "proj", history())
    store = Store.open(str(tmp_path / "tm.db"))
    ingest_git_module.ingest_git(store, repo, config=Config(), progress=True)  # a new store: built privately
    ingest_git_module.ingest_git(store, repo, config=Config(), progress=True)  # into it, nothing new
    derived = [f"deriving {s}" for s in IN_PROCESS]
    statistics = "updating the planner's statistics"
    assert steps == [(False, [*derived, statistics, "writing the store file"]),  # stderr is no terminal here
                     (False, [*derived, statistics])]


def test_steps_handed_to_helper_processes_are_said_once_they_are_waited_for(
        tmp_path: Path, steps: list[tuple[bool, list[str]]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helper_steps, "MIN_COMMITS", 0)  # helpers for this short history too
    repo = build_repo(tmp_path / "proj", history())
    ingest_git_module.ingest_git(Store.open(str(tmp_path / "tm.db")), repo, config=Config())
    assert steps == [(False, [*(f"deriving {s}" for s in [*DERIVE, "bug-fix history"]),
                              "deriving lineage, text index (in helper processes)",
                              "updating the planner's statistics", "writing the store file"])]


def test_no_status_off_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with status.status_line(False, "proj") as step:
        step("deriving identities")
    assert capsys.readouterr() == ("", "")


def test_counted_says_where_it_is_every_so_many_items() -> None:
    said: list[str] = []
    assert list(status.counted(range(25), "pull requests", said.append, every=10)) == list(range(25))
    assert said == ["fetching pull requests", "fetching pull requests: 10 so far", "fetching pull requests: 20 so far"]


def _on_a_terminal(args: list[str], cwd: Path) -> str:
    """What `teammemory ARGS` writes to a pseudo-terminal (stdout and stderr both), until it exits."""
    try:
        main, child = pty.openpty()
    except OSError as exc:  # no /dev/ptmx (a container without devpts)
        pytest.skip(f"no pseudo-terminal here: {exc}")
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    process = subprocess.Popen([sys.executable, "-m", "teammemory", *args], stdin=child, stdout=child,
                               stderr=child, cwd=cwd, env=env, close_fds=True)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child's side is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert process.wait(timeout=60) == 0, out.decode(errors="replace")
    return out.decode(errors="replace")


def test_the_cli_on_a_terminal_shows_the_steps_then_only_the_summary(tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "proj", history())
    raw = _on_a_terminal(["--db", str(tmp_path / "tm.db"), "ingest", "git", str(repo)], tmp_path)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw)
    frames = [f.strip() for f in re.split(r"[\r\n]", text) if f.strip()]
    shown = [f for f in frames if f.startswith(("⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"))]
    said = [re.sub(r"^\S+ proj: (.*?) \d+:\d\d:\d\d$", r"\1", f) for f in shown]
    assert shown and all(" proj: " in f for f in shown)  # no frame without a step
    assert "deriving identities" in said and "deriving summaries" in said and said[-1] == "writing the store file"
    assert said.index("deriving identities") < said.index("deriving summaries")
    assert frames[-1].startswith("ingested git proj: commits: 6, file changes: 6, links: 5")
    assert "\x1b[2K" in raw.rsplit("ingested git proj", 1)[0][-200:]  # the status line erased before it
