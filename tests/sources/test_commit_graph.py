"""sources/commit_graph.py: the commit-graph TeamMemory keeps for `git blame`, outside the clone,
on a real repository (tests/agents/why_world.py) and real git."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from teammemory.sources import blame, commit_graph
from tests.agents.why_world import NEW, OLD, T, build_clone

ENV = {"GIT_AUTHOR_NAME": "Ana Lima", "GIT_AUTHOR_EMAIL": "ana@example.com", "GIT_COMMITTER_NAME": "Ana Lima",
       "GIT_COMMITTER_EMAIL": "ana@example.com", "GIT_AUTHOR_DATE": "1780000000 +0000",
       "GIT_COMMITTER_DATE": "1780000000 +0000", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def run_git(path: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=True,
                          env={**os.environ, **ENV, **(env or {})}).stdout


def listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under `root` with its size and mtime: what "left untouched" means."""
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def layers(clone: Path) -> list[str]:
    return (commit_graph.entry(clone) / "objects" / commit_graph.CHAIN).read_text().split()


def graph_commits(clone: Path) -> int:
    """Commits in our graph, as git checks it against the clone's objects (`commit-graph verify`)
    and as its layers' headers count them (the OID fan-out's last entry)."""
    objects = commit_graph.entry(clone) / "objects"
    run_git(clone, "commit-graph", "verify", "--object-dir", str(objects),
            env={"GIT_ALTERNATE_OBJECT_DIRECTORIES": str(objects)})
    total = 0
    for name in layers(clone):
        data = (objects / "info" / "commit-graphs" / f"graph-{name}.graph").read_bytes()
        assert data[:4] == b"CGPH"
        chunks = [(data[8 + 12 * i:12 + 12 * i], int.from_bytes(data[12 + 12 * i:20 + 12 * i], "big"))
                  for i in range(data[6])]
        fanout = dict(chunks)[b"OIDF"]
        total += int.from_bytes(data[fanout + 255 * 4:fanout + 256 * 4], "big")
    return total


def test_the_first_blame_writes_a_graph_git_reads_and_leaves_the_clone_alone(tmp_path: Path) -> None:
    clone, h = build_clone(tmp_path)
    before = listing(clone / ".git")
    said: list[str] = []
    got = blame.blame(clone, NEW, None, until=T(0), note=said.append)
    assert listing(clone / ".git") == before  # not one file of the clone written or touched
    home = commit_graph.entry(clone)
    assert home.parent.parent == Path(os.environ[commit_graph.ENV])  # the test's own cache (tests/conftest.py)
    assert len(said) == 1 and str(clone) in said[0] and str(home) in said[0]
    assert (home / "tip").read_text().strip() == h[6] == got.rev
    assert (home / "clone").read_text().strip() == str(clone.resolve())
    assert len(layers(clone)) == 1 and graph_commits(clone) == 7  # c0-c6, as git checks them


def test_a_graph_at_the_blamed_commit_is_not_written_again(tmp_path: Path) -> None:
    clone, _ = build_clone(tmp_path)
    blame.blame(clone, NEW, None, until=T(0))
    home = commit_graph.entry(clone)
    kept = listing(home)
    said: list[str] = []
    blame.blame(clone, NEW, (1, 2), until=T(0), note=said.append)
    assert listing(home) == kept and said == []


def test_new_commits_add_a_layer_and_say_nothing(tmp_path: Path) -> None:
    clone, _ = build_clone(tmp_path)
    blame.blame(clone, NEW, None, until=T(0))
    (clone / "src" / "new.py").write_text("n = 1\n")
    run_git(clone, "add", "src/new.py")
    run_git(clone, "commit", "-q", "-m", "add new.py")
    head = run_git(clone, "rev-parse", "HEAD").strip()
    said: list[str] = []
    got = blame.blame(clone, NEW, None, until=1780000000, note=said.append)
    assert got.rev == head and said == []
    assert len(layers(clone)) == 2 and graph_commits(clone) == 8  # the old layer kept, the new commit in its own
    assert (commit_graph.entry(clone) / "tip").read_text().strip() == head
    assert got.lines == blame.blame(clone, NEW, None, until=T(0)).lines  # the new commit changed another file


def test_a_clone_with_a_graph_of_its_own_is_left_to_it(tmp_path: Path) -> None:
    clone, h = build_clone(tmp_path)
    run_git(clone, "commit-graph", "write", "--reachable")
    got = blame.blame(clone, NEW, None, until=T(0))
    assert not commit_graph.entry(clone).exists()  # git would read the clone's graph first
    assert [b.hash for b in got.lines] == [h[0], h[1], h[0], h[0], h[0]]  # as tests/agents/why_world.py works out


def test_a_cache_that_cannot_be_written_blames_as_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clone, _ = build_clone(tmp_path)
    expected = blame.blame(clone, NEW, None, until=T(0)).lines
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder\n")
    monkeypatch.setenv(commit_graph.ENV, str(blocked))
    assert commit_graph.alternates(clone, expected[0].hash) is None
    assert blame.blame(clone, NEW, None, until=T(0)).lines == expected
    monkeypatch.delenv(commit_graph.ENV)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")  # as pathlib says it

    monkeypatch.setattr(Path, "home", no_home)
    assert commit_graph.alternates(clone, expected[0].hash) is None  # no home folder at all
    assert blame.blame(clone, NEW, None, until=T(0)).lines == expected


def test_a_broken_layer_is_written_over(tmp_path: Path) -> None:
    clone, h = build_clone(tmp_path)
    expected = blame.blame(clone, NEW, None, until=T(0)).lines
    home = commit_graph.entry(clone)
    (home / "objects" / commit_graph.CHAIN).write_text("0" * 40 + "\n")  # names a layer that is not there
    (home / "tip").write_text("stale\n")
    assert blame.blame(clone, NEW, None, until=T(0)).lines == expected
    assert graph_commits(clone) == 7 and (home / "tip").read_text().strip() == h[6]


def test_a_write_that_fails_removes_the_entry_and_the_next_blame_starts_afresh(tmp_path: Path) -> None:
    clone, h = build_clone(tmp_path)
    expected = blame.blame(clone, NEW, None, until=T(0)).lines
    home = commit_graph.entry(clone)
    graphs = home / "objects" / "info" / "commit-graphs"
    for f in graphs.iterdir():
        f.chmod(0o644)
        f.unlink()
    graphs.rmdir()
    graphs.write_text("a file where git keeps its layers\n")  # git cannot write there
    assert commit_graph.alternates(clone, h[6]) is None and not home.exists()
    said: list[str] = []
    assert blame.blame(clone, NEW, None, until=T(0), note=said.append).lines == expected
    assert len(said) == 1 and graph_commits(clone) == 7


def test_a_live_lock_is_left_to_its_writer_and_a_dead_ones_entry_written_afresh(tmp_path: Path) -> None:
    clone, h = build_clone(tmp_path)
    blame.blame(clone, OLD, None, until=T(95))  # a graph up to c0
    home = commit_graph.entry(clone)
    lock = home / "objects" / "info" / "commit-graphs" / "commit-graph-chain.lock"
    lock.write_text("")
    assert commit_graph.alternates(clone, h[6]) == str(home / "objects")  # another writer: use it as it stands
    assert (home / "tip").read_text().strip() == h[0]
    old = time.time() - 2 * commit_graph.STALE_LOCK
    os.utime(lock, (old, old))
    said: list[str] = []
    assert commit_graph.alternates(clone, h[6], said.append) == str(home / "objects")  # its writer died:
    assert not lock.exists() and len(said) == 1  # the entry went with the lock and was written afresh
    assert (home / "tip").read_text().strip() == h[6] and graph_commits(clone) == 7


def test_the_cache_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(commit_graph.ENV, str(tmp_path / "mine"))
    assert commit_graph.cache_root() == tmp_path / "mine"
    monkeypatch.delenv(commit_graph.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert commit_graph.cache_root() == tmp_path / "xdg" / "teammemory"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert commit_graph.cache_root() == tmp_path / "home" / ".cache" / "teammemory"
    a, b = commit_graph.entry(tmp_path / "one"), commit_graph.entry(tmp_path / "two")
    assert a != b and a == commit_graph.entry(tmp_path / "x" / ".." / "one")  # keyed by the resolved path


def test_a_shallow_clone_gets_no_graph_and_is_asked_once_per_commit(tmp_path: Path) -> None:
    source, h = build_clone(tmp_path)
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{source}", str(clone)], check=True,
                   capture_output=True)
    said: list[str] = []
    first = blame.blame(clone, NEW, None, until=T(0), note=said.append)
    plain = subprocess.run(["git", "-C", str(clone), "blame", "-w", "-M", "-C", "--line-porcelain",
                            *[f"--ignore-rev={r}" for r in first.ignored_revs], "HEAD", "--", NEW],
                           capture_output=True, text=True, check=True).stdout
    assert first.lines == blame.parse_porcelain(plain)  # as git blames it there (its boundary takes the rest)
    home = commit_graph.entry(clone)
    assert not (home / "objects" / commit_graph.CHAIN).exists()  # git writes none for a shallow clone
    assert (home / "tip").read_text().strip() == f"{h[6]} declined" and len(said) == 1
    kept = listing(home)
    assert blame.blame(clone, NEW, None, until=T(0), note=said.append).lines == first.lines
    assert listing(home) == kept and len(said) == 1  # no second try, no second note


def test_a_write_that_lost_the_race_for_the_lock_keeps_the_other_writers_graph(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other writer may be done (its lock gone) by the time this one looks: git's own words
    tell that its write failed on the lock, not on the cache."""
    clone, h = build_clone(tmp_path)
    blame.blame(clone, NEW, None, until=T(0))
    home = commit_graph.entry(clone)
    (home / "tip").write_text(f"{h[5]}\n")  # behind: a write is due
    said = "fatal: Unable to create '.../commit-graph-chain.lock': File exists.\n"
    with monkeypatch.context() as patched:
        patched.setattr(commit_graph.subprocess, "run", lambda *a, **kw: subprocess.CompletedProcess(a, 128, "", said))
        assert commit_graph.alternates(clone, h[6]) == str(home / "objects")
    assert graph_commits(clone) == 7  # the graph there is kept
