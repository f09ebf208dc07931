"""The read-ahead of a first ingest (sources/git_read_ahead.py): git started before the store is
open gives exactly the chunks one `git log` gives; what is not taken is stopped, never leaked."""

from __future__ import annotations

from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.errors import SourceError
from teammemory.ingest.git import ingest_git
from teammemory.sources import git_read_ahead, gitlog
from teammemory.store import Store
from tests.helpers.gitrepo import build_repo
from tests.sources.test_gitlog_segments import history


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> gitlog.GitRepo:
    monkeypatch.setattr(gitlog, "SEGMENT_COMMITS", (2, 8))  # 15 commits: 6 full, 9 left as 5:2:2
    monkeypatch.setattr(gitlog.os, "cpu_count", lambda: 2)
    return gitlog.open_repo(build_repo(tmp_path / "proj", history()))


def _starts(monkeypatch: pytest.MonkeyPatch) -> list[list[list[str]]]:
    """Every gitlog.start_segments call's parts, from whichever thread."""
    calls: list[list[list[str]]] = []
    real = gitlog.start_segments

    def spy(repo: gitlog.GitRepo, parts: list[list[str]], *a: object) -> tuple[gitlog.Streamed, gitlog.Spooled]:
        calls.append(parts)
        return real(repo, parts, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(gitlog, "start_segments", spy)
    return calls


def test_taken_segments_give_one_git_logs_chunks(repo: gitlog.GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = list(gitlog.log_chunks(repo, [repo.head]))
    starts = _starts(monkeypatch)
    ahead = git_read_ahead.ReadAhead(repo)
    walked = ahead.walk()
    assert walked == gitlog.walk(repo, repo.head)
    assert len(starts) == 1 and [len(p) for p in starts[0]] == [6, 5, 2, 2]  # started by the read-ahead
    chunks = list(gitlog.log_chunks(repo, [repo.head], segments=True, order=walked.hashes, ahead=ahead))
    assert chunks == whole
    assert len(starts) == 1  # log_chunks used them, started nothing of its own
    assert ahead.take(walked.hashes) is None  # handed over once
    ahead.close()


def test_other_commits_are_read_by_their_own_git(repo: gitlog.GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    old = gitlog.walk(repo, repo.head).hashes[5]
    expected = list(gitlog.log_chunks(repo, [repo.head, "^" + old]))
    starts = _starts(monkeypatch)
    ahead = git_read_ahead.ReadAhead(repo)
    ahead.walk()
    chunks = list(gitlog.log_chunks(repo, [repo.head, "^" + old], segments=True, ahead=ahead))
    assert chunks == expected
    assert len(starts) == 2  # the read-ahead's were not what was asked: closed, and others started
    ahead.close()


def test_close_stops_what_was_not_taken(repo: gitlog.GitRepo) -> None:
    ahead = git_read_ahead.ReadAhead(repo)
    ahead.walk()
    started = ahead._started
    assert started is not None
    ahead.close()
    first, second = started
    assert first._proc is not None and first._proc.poll() is not None
    assert second._proc.poll() is not None
    assert ahead.take(gitlog.walk(repo, repo.head).hashes) is None


def test_a_short_history_starts_no_segments(repo: gitlog.GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitlog, "SEGMENT_COMMITS", (400, 20_000))
    ahead = git_read_ahead.ReadAhead(repo)
    assert len(ahead.walk().hashes) == 15 and ahead._started is None
    ahead.close()


def test_a_first_ingest_reads_ahead_and_a_later_one_does_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             repo: gitlog.GitRepo) -> None:
    made: list[git_read_ahead.ReadAhead] = []
    real = git_read_ahead.ReadAhead

    def spy(r: gitlog.GitRepo) -> git_read_ahead.ReadAhead:
        made.append(real(r))
        return made[-1]

    monkeypatch.setattr("teammemory.ingest.git.ReadAhead", spy)
    store = Store.open(f"sqlite:///{tmp_path / 'tm.db'}")
    summary = ingest_git(store, repo.path, config=Config())
    assert summary.counts["commits"] == 15 and len(made) == 1 and made[0]._started is None  # taken
    assert ingest_git(store, repo.path, config=Config()).counts["commits"] == 0
    assert len(made) == 1  # the store holds commits: nothing is read ahead


def test_a_failed_walk_fails_the_ingest_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           repo: gitlog.GitRepo) -> None:
    def broken(r: gitlog.GitRepo, head: str) -> gitlog.Walk:
        raise SourceError("git rev-list --parents failed: simulated")

    monkeypatch.setattr(gitlog, "walk", broken)
    db = tmp_path / "tm.db"
    with pytest.raises(SourceError, match="simulated"):
        ingest_git(Store.open(f"sqlite:///{db}"), repo.path, config=Config())
    assert not db.exists()
