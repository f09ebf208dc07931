"""File arguments as a shell or an editor gives them name the stored path (outputs/file_args.py):
on a real clone, ingested, and through the command as a process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.outputs.file_args import store_path
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo

T = 1_700_000_000


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    commits = [FakeCommit("Ana <ana@example.com>", T + 60 * i, f"change {i}",
                          {"src/app/core.py": f"{i}\n", "README.md": f"{i}\n"}) for i in range(3)]
    commits.append(FakeCommit("Ana <ana@example.com>", T + 600, "move", renames={"src/app/core.py": "src/app/main.py"}))
    path = build_repo(tmp_path / "proj", commits)
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "main"], check=True)
    ingest_git(Store.open(str(tmp_path / "tm.db")), path, config=Config(), clock=lambda: T + 10**6)
    return path


def test_each_way_of_typing_a_file_names_its_stored_path(clone: Path, tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "tm.db")).read() as db:
        for typed, cwd in (("src/app/main.py", clone), ("./src/app/main.py", clone), ("src/app/main.py/", clone),
                           ("src//app/main.py", clone), (str(clone / "src/app/main.py"), tmp_path),
                           ("app/main.py", clone / "src"), ("main.py", clone / "src/app"),
                           ("../app/main.py", clone / "src/app")):
            assert store_path(db, typed, cwd) == "src/app/main.py", (typed, cwd)
        assert store_path(db, "src/app/core.py", clone) == "src/app/core.py"  # a name it had: as given
        for unknown in ("src/app/nope.py", "../proj/README.md", str(tmp_path / "elsewhere.py"), ""):
            assert store_path(db, unknown, clone / "src") == unknown  # nothing matches: the question says so
        assert store_path(db, "..", clone / "src") == ".."  # the clone's root is no file


def test_the_command_answers_for_a_path_relative_to_a_sub_folder(clone: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "teammemory", "--db", str(tmp_path / "tm.db"), "file-experts", "./main.py",
               "--now", "2024-01-01T00:00:00Z"]
    done = subprocess.run(command, cwd=clone / "src" / "app", capture_output=True, text=True, check=True)
    assert done.stdout.startswith("Experts for src/app/main.py")
