"""The roots a repository is known by (same_repo.py) after an incremental ingest: those of the
stored head plus the ones only the new commits reach, without walking the whole history again;
equal to git's own `rev-list --max-parents=0` (SQLite and PostgreSQL)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.sources import gitlog
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo

ANA = "Ana <ana@example.com>"
T0 = 1_700_000_000
HISTORY = [
    FakeCommit(ANA, T0, "one", {"a": "1\n"}),
    FakeCommit(ANA, T0 + 10, "two", {"a": "2\n"}),
    FakeCommit(ANA, T0 + 20, "another history", {"b": "1\n"}, branch="other"),  # a second root
    FakeCommit(ANA, T0 + 30, "merge it", {}, merge=2),
    FakeCommit(ANA, T0 + 40, "three", {"a": "3\n"}),
]


def _roots(store: Store) -> list[str]:
    with store.read() as db:
        return [str(r["hash"]) for r in db.all("select hash from repository_roots where repo = 'app' order by hash")]


def _git_roots(repo: Path) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), "rev-list", "--max-parents=0", "HEAD"], capture_output=True,
                         text=True, check=True).stdout
    return sorted(out.split())


def test_new_roots_come_from_the_new_commits_alone(store: Store, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first = build_repo(tmp_path / "first", HISTORY[:2])
    ingest_git(store, first, config=Config(), name="app")
    assert _roots(store) == _git_roots(first)
    walks: list[str] = []
    real = gitlog.walk

    def walk(repo: gitlog.GitRepo, head: str) -> gitlog.Walk:
        walks.append(head)
        return real(repo, head)

    monkeypatch.setattr(gitlog, "walk", walk)
    whole = build_repo(tmp_path / "whole", HISTORY)
    ingest_git(store, whole, config=Config(), name="app")
    assert walks == []  # the stored head is an ancestor: only the new commits were walked
    assert _roots(store) == _git_roots(whole) and len(_roots(store)) == 2
    ingest_git(store, whole, config=Config(), name="app")  # nothing new: the same roots
    assert _roots(store) == _git_roots(whole)
    ingest_git(store, first, config=Config(), name="app")  # back to the old head: not a descendant, walked
    assert walks and _roots(store) == _git_roots(first)
