"""A first ingest's git starts before Typer loads (outputs/early_ingest.py): plain `ingest git`
arguments into a new store file start the read-ahead, the ingest claims it for the same clone and
head only, and whatever is not claimed is stopped."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from teammemory.outputs import cli, early_ingest
from teammemory.outputs.early_ingest import Plan
from teammemory.sources import git_read_ahead, gitlog
from teammemory.store import Store
from tests.helpers.gitrepo import build_repo
from tests.sources.test_gitlog_segments import history


@pytest.mark.parametrize(("args", "plan"), [
    (["ingest", "git", "repo"], Plan("repo", None, None, None)),
    (["--db", "t.db", "ingest", "git", "repo", "-q"], Plan("repo", None, "t.db", None)),
    (["--db=t.db", "--config", "c.toml", "ingest", "git", "--branch", "dev", "repo", "--name=x", "--quiet"],
     Plan("repo", "dev", "t.db", "c.toml")),
    (["--db", "a.db", "--db", "b.db", "ingest", "git", "repo"], Plan("repo", None, "b.db", None)),  # Click's last
    (["ingest", "git"], None),  # no clone: Typer says so
    (["ingest", "git", "a", "b"], None),
    (["ingest", "git", "repo", "--help"], None),
    (["ingest", "git", "repo", "--branch"], None),  # a value missing
    (["ingest", "--db", "t.db", "git", "repo"], None),  # not where Typer takes it
    (["ingest", "jira", "repo"], None),
    (["--version", "ingest", "git", "repo"], None),
    (["-q", "ingest", "git", "repo"], None),
    (["file-experts", "ingest", "git"], None),
])
def test_only_plain_ingest_git_arguments_are_read(args: list[str], plan: Plan | None) -> None:
    assert early_ingest.scan(args) == plan


def _options(command: Any) -> tuple[set[str], set[str]]:
    """(options taking a value, flags) of a Click command (Typer's own Click), --help left out."""
    values: set[str] = set()
    flags: set[str] = set()
    for param in command.params:
        if param.param_type_name == "option" and "--help" not in param.opts:
            (flags if param.is_flag else values).update(param.opts)
    return values, flags


def test_the_scan_knows_the_options_typer_has() -> None:
    """A new option of `ingest git` (or of the tool) must be taught to the scan, or plain
    arguments with it would start nothing early (or be misread)."""
    root: Any = typer.main.get_command(cli.whole())
    ingest = root.commands["ingest"]
    assert _options(ingest) == (set(), set())  # the group itself takes none
    assert _options(ingest.commands["git"]) == (set(early_ingest.COMMAND_OPTIONS), set(early_ingest.COMMAND_FLAGS))
    values, flags = _options(root)
    assert values == set(early_ingest.GLOBAL_OPTIONS) and flags == {"--version"}  # --version: answered first


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(gitlog, "SEGMENT_COMMITS", (2, 8))  # 15 commits: segmented
    monkeypatch.setattr(gitlog.os, "cpu_count", lambda: 2)
    return build_repo(tmp_path / "proj", history())


def _main(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["teammemory", *args])
    try:
        cli.main()
    except SystemExit as done:
        assert done.code in (0, None)


def test_a_first_ingest_claims_the_read_ahead_started_before_typer(
        tmp_path: Path, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[git_read_ahead.ReadAhead] = []
    real_start = git_read_ahead.start_early

    def spy(r: gitlog.GitRepo) -> None:
        real_start(r)
        assert git_read_ahead._early is not None
        started.append(git_read_ahead._early)

    monkeypatch.setattr(git_read_ahead, "start_early", spy)
    monkeypatch.setattr("teammemory.ingest.git.ReadAhead", lambda r: pytest.fail("a second read-ahead was started"))
    db = tmp_path / "tm.db"
    _main(monkeypatch, ["--db", str(db), "ingest", "git", str(repo), "-q"])
    [early] = started
    assert early._started is None  # taken by the ingest
    with Store.open(str(db)).read() as r:
        assert r.scalar("select count(*) as n from commits") == 15
    assert git_read_ahead._early is None
    # a store that exists: nothing starts early (ingest_git decides about blank stores itself)
    _main(monkeypatch, ["--db", str(db), "ingest", "git", str(repo), "-q"])
    assert len(started) == 1


def test_a_read_ahead_not_claimed_is_stopped(repo: Path) -> None:
    clone = gitlog.open_repo(repo)
    for claimed_for in (None, gitlog.GitRepo(clone.path, clone.branch, "0" * 40)):  # no whole read; another head
        git_read_ahead.start_early(clone)
        early = git_read_ahead._early
        assert early is not None
        early.walk()
        started = early._started
        assert started is not None
        assert git_read_ahead.claim(claimed_for) is None and git_read_ahead._early is None
        first, second = started
        assert first._proc is not None and first._proc.poll() is not None and second._proc.poll() is not None
