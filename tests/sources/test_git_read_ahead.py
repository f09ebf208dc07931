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


def _starts(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What started segments, from whichever thread: `open` (the read-ahead's first segment,
    gitlog.start_open), `cut N` (where the walk ended it), or the parts of a start_segments call
    (log_chunks starting its own)."""
    calls: list[object] = []
    real_open, real_start, real_cut = gitlog.start_open, gitlog.start_segments, gitlog.Streamed.cut_after

    def opened(repo: gitlog.GitRepo, head: str, *a: object) -> gitlog.Streamed:
        calls.append("open")
        return real_open(repo, head, *a)  # type: ignore[arg-type]

    def started(repo: gitlog.GitRepo, parts: list[list[str]], *a: object) -> tuple[gitlog.Streamed, gitlog.Spooled]:
        calls.append([len(p) for p in parts])
        return real_start(repo, parts, *a)  # type: ignore[arg-type]

    def cut(self: gitlog.Streamed, records: int) -> None:
        calls.append(f"cut {records}")
        real_cut(self, records)

    monkeypatch.setattr(gitlog, "start_open", opened)
    monkeypatch.setattr(gitlog, "start_segments", started)
    monkeypatch.setattr(gitlog.Streamed, "cut_after", cut)
    return calls


def test_taken_segments_give_one_git_logs_chunks(repo: gitlog.GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = list(gitlog.log_chunks(repo, [repo.head]))
    starts = _starts(monkeypatch)
    ahead = git_read_ahead.ReadAhead(repo)
    walked = ahead.walk()
    assert walked == gitlog.walk(repo, repo.head)
    assert starts == ["open", "cut 6"]  # git log from the head at once, cut after the first segment's 6
    chunks = list(gitlog.log_chunks(repo, [repo.head], segments=True, order=walked.hashes, ahead=ahead))
    assert chunks == whole
    assert starts == ["open", "cut 6"]  # log_chunks used them, started nothing of its own
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
    # the read-ahead's were not what was asked: log_chunks started others, for its 8 commits: full
    # segments of max(2, ceil(8 * 4 / 11)) = 3 while more than 3 * 7 // 4 = 5 are left, then 5 as 4:2:1
    assert starts == ["open", "cut 6", [3, 2, 1, 2]]
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
    opened: list[gitlog.Streamed] = []
    real = gitlog.start_open

    def spy(r: gitlog.GitRepo, head: str) -> gitlog.Streamed:
        opened.append(real(r, head))
        return opened[-1]

    monkeypatch.setattr(gitlog, "start_open", spy)
    ahead = git_read_ahead.ReadAhead(repo)
    assert len(ahead.walk().hashes) == 15 and ahead._started is None
    [first] = opened  # started before the walk said the history is short: stopped
    assert first._proc is not None and first._proc.poll() is not None
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


def _stream(n: int) -> bytes:
    """n records as git log -z prints them: each starts with MARK, the next one's follows a NUL."""
    return b"\0".join(gitlog.MARK + f"commit {i}\0body {i}\0\0".encode() for i in range(n)) + b"\0"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 6, 7, 64])
def test_the_first_records_end_before_the_next_ones_mark(size: int) -> None:
    """Cut at every block size (a separator split across blocks is held back): exactly the bytes
    of the first 3 records, up to the NUL before the 4th one's MARK, where the next segment's
    output (which starts with its MARK) goes on as one git log's would."""
    data = _stream(5)
    blocks = [data[i:i + size] for i in range(0, len(data), size)]
    cut = b"".join(gitlog._first_records(blocks, 3))
    assert data.startswith(cut) and data[len(cut):].startswith(gitlog.MARK)
    assert len(list(gitlog._split([cut]))) == 3


def test_an_open_stream_stops_reading_after_its_limit() -> None:
    """The pump of an open-ended first segment stops once it read the start of the commit after
    its limit: what git prints after that is not read (another segment reads those commits)."""
    import os

    r, w = os.pipe()
    pump = gitlog.Pump(os.fdopen(r, "rb"), 16, count=True)
    pump.limit = 2
    data = _stream(40)
    os.write(w, data)
    got = b"".join(pump.blocks())
    pump.close()
    os.close(w)
    # read: the 2 commits and the 3rd one's start (a MARK split across two reads is missed, so
    # the stop may come a commit later), not the 40 commits
    assert pump.cut and got.count(gitlog.MARK) >= 3 and len(got) < len(data) // 4


def test_a_first_segment_that_cannot_start_is_the_walks_error(repo: gitlog.GitRepo,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(r: gitlog.GitRepo, head: str) -> gitlog.Streamed:
        raise SourceError("git is not installed (or not on PATH)")

    monkeypatch.setattr(gitlog, "start_open", broken)
    ahead = git_read_ahead.ReadAhead(repo)
    with pytest.raises(SourceError, match="not installed"):
        ahead.walk()
    ahead.close()
