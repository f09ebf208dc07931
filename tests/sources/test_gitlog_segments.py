"""gitlog's segmented read (several git processes, one ahead into a file): the same chunks, in the
same order, as one `git log`, on a real repository with a side branch, a merge and a rename."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from teammemory.errors import SourceError
from teammemory.sources import gitlog
from tests.helpers.gitrepo import FakeCommit, build_repo

T = 1700000000


def history() -> list[FakeCommit]:
    """Eleven commits on main, a side branch of three forked at commit 3 and merged last."""
    commits = [FakeCommit(f"Dev{i % 3} <d{i % 3}@example.com>", T + 60 * i, f"PROJ-{i} change {i}",
                          {f"src/m{i % 4}.py": f"v{i}\n" * (i + 1)}) for i in range(11)]
    commits[6] = replace(commits[6], renames={"src/m1.py": "src/moved.py"})
    commits += [FakeCommit("Side <s@example.com>", T + 30 + 120 * k, f"side {k}", {f"side/{k}.txt": "x\n"},
                           branch="side", from_=3 if k == 0 else None) for k in range(3)]
    commits.append(FakeCommit("Dev0 <d0@example.com>", T + 9999, "Merge branch 'side'", {}, merge=13, from_=10))
    return commits


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> gitlog.GitRepo:
    monkeypatch.setattr(gitlog, "SEGMENT_COMMITS", (2, 3))  # 15 commits: 5 segments of 3
    monkeypatch.setattr(gitlog.os, "cpu_count", lambda: 2)
    return gitlog.open_repo(build_repo(tmp_path / "proj", history()))


def test_segments_give_exactly_one_git_logs_chunks(repo: gitlog.GitRepo) -> None:
    whole = list(gitlog.log_chunks(repo, [repo.head]))
    assert len(whole) == 15
    assert list(gitlog.log_chunks(repo, [repo.head], segments=True)) == whole
    assert list(gitlog.log_chunks(repo, [repo.head], segments=True, read_size=7)) == whole


def test_segments_of_an_incremental_range_and_of_a_list(repo: gitlog.GitRepo) -> None:
    old = gitlog.git(repo.path, "rev-parse", "main~4").stdout.strip()
    new = list(gitlog.log_chunks(repo, [repo.head, "^" + old]))
    assert list(gitlog.log_chunks(repo, [repo.head, "^" + old], segments=True)) == new
    listed = [chunk.split("\0", 1)[0] for chunk in new][::-1]
    assert [c.split("\0", 1)[0] for c in gitlog.log_chunks(repo, listed, no_walk=True, segments=True)] == listed


def test_one_cpu_or_a_short_history_reads_with_one_git(repo: gitlog.GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def segmented(r: gitlog.GitRepo, hashes: list[str], size: int) -> Iterator[str]:
        calls.append(len(hashes))
        return iter(())

    monkeypatch.setattr(gitlog, "_segmented", segmented)
    monkeypatch.setattr(gitlog.os, "cpu_count", lambda: 1)
    assert len(list(gitlog.log_chunks(repo, [repo.head], segments=True))) == 15
    monkeypatch.setattr(gitlog.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(gitlog, "SEGMENT_COMMITS", (8, 20))  # 15 < 2 * 8
    assert len(list(gitlog.log_chunks(repo, [repo.head], segments=True))) == 15
    assert calls == []


def test_a_failing_later_segment_is_a_source_error(repo: gitlog.GitRepo) -> None:
    listed = [c.split("\0", 1)[0] for c in gitlog.log_chunks(repo, [repo.head])] + ["f" * 40]
    with pytest.raises(SourceError, match="git log in .* failed"):
        list(gitlog.log_chunks(repo, listed, no_walk=True, segments=True))


def test_stopping_early_ends_every_git(repo: gitlog.GitRepo) -> None:
    chunks = gitlog.log_chunks(repo, [repo.head], segments=True)
    first = next(chunks)
    chunks.close()  # what ingest does on a refused record: no git left running, no file left open
    assert first == next(gitlog.log_chunks(repo, [repo.head]))


@pytest.mark.parametrize(("total", "sizes"), [
    # full = ceil(4/11 of the total) within (400, 20000); while more than 7/4 of a full one is
    # left, a full one; the rest as 4:2:1 (integer parts, the last takes the remainder)
    (5531, [2012, 2010, 1005, 504]),  # full 2012, 3519 left: 2010, 1005, 504
    (3705, [1348, 1346, 673, 338]),
    (800, [400, 228, 114, 58]),  # full at its floor of 400
    (100_000, [20_000] * 4 + [11_428, 5_714, 2_858]),  # full at its cap: 20000 left as 4:2:1
])
def test_segment_sizes_end_with_a_shrinking_tail(total: int, sizes: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitlog, "SEGMENT_COMMITS", (400, 20_000))
    assert gitlog.segment_sizes(total) == sizes
    assert sum(sizes) == total


def test_at_most_segments_gits_run_while_one_is_parsed(repo: gitlog.GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every spooled segment's git is started while fewer than SEGMENTS other spooled ones run."""
    made: list[gitlog.Spooled] = []
    running_before: list[int] = []
    real = gitlog.Spooled.__init__

    def spy(self: gitlog.Spooled, *a: object) -> None:
        running_before.append(sum(s.running() for s in made))
        real(self, *a)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(gitlog.Spooled, "__init__", spy)
    whole = list(gitlog.log_chunks(repo, [repo.head]))
    assert list(gitlog.log_chunks(repo, [repo.head], segments=True)) == whole
    assert len(made) == len(gitlog.segment_sizes(15)) - 1  # all but the streamed first
    assert max(running_before) < gitlog.SEGMENTS
