"""The git progress bar moves steadily: against `git rev-list --count`, every STEP commits read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.ingest import git as ingest_git_module
from teammemory.sources import gitlog
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo

COMMITS = 2 * ingest_git_module.STEP + 7  # two full steps and a remainder


def test_progress_advances_every_step_against_the_commit_count(
        sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commits = [FakeCommit("Ana <ana@example.com>", 1_700_000_000 + 60 * i, f"change {i}", {f"f{i % 7}.txt": str(i)})
               for i in range(COMMITS)]
    repo = gitlog.open_repo(build_repo(tmp_path / "proj", commits), None)
    seen: list[tuple[int, list[int]]] = []

    @contextmanager
    def recording(show: bool, total: int, name: str) -> Iterator[Callable[[int], None]]:
        steps: list[int] = []
        seen.append((total, steps))
        yield steps.append

    monkeypatch.setattr(ingest_git_module, "progress_bar", recording)
    monkeypatch.setattr(ingest_git_module, "BATCH", 1000)  # one write batch: the bar must still move
    with sqlite_store.write() as db:
        counts = ingest_git_module.ingest_commits(db, repo, "proj", config=Config(), now=1_800_000_000,
                                                  show_progress=True)
    step = ingest_git_module.STEP
    assert counts["commits"] == COMMITS
    assert seen == [(COMMITS, [step, step, COMMITS - 2 * step])]
