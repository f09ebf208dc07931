"""`why`'s blame starts before Typer loads (outputs/early_why.py, sources/blame.start_early): plain
`why` arguments start it, the agent's blame takes it over when it asks the same, and whatever is
not taken over is stopped. On a real repository (tests/agents/why_world.py) and a real store."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import typer

from teammemory.agents import why_line
from teammemory.agents.evidence import epoch
from teammemory.errors import InputError
from teammemory.outputs import cli, early_why
from teammemory.outputs.early_why import Plan
from teammemory.outputs.options import parse_now
from teammemory.sources import blame, commit_graph
from teammemory.store import Store
from tests.agents.why_world import NEW, T, build, build_clone
from tests.outputs.test_early_ingest import _options


@pytest.mark.parametrize(("args", "plan"), [
    (["why", "a.py:3"], Plan("a.py:3", None, None, None, None, None)),
    (["--db", "t.db", "why", "a.py:3-4", "--git-dir", "/c", "--json"],
     Plan("a.py:3-4", "/c", None, None, "t.db", None)),
    (["--db=t.db", "--config", "c.toml", "why", "--now=2026-01-01", "a.py", "--repo", "r", "--limit", "5",
      "--format", "markdown"], Plan("a.py", None, "r", "2026-01-01", "t.db", "c.toml")),
    (["why", "a.py", "--repo", "x", "--repo", "y"], Plan("a.py", None, "y", None, None, None)),  # Click's last
    (["why"], None),  # no spec: Typer says so
    (["why", "a.py", "b.py"], None),
    (["why", "a.py", "--help"], None),
    (["why", "a.py", "--git-dir"], None),  # a value missing
    (["why", "--db", "t.db", "a.py"], None),  # not where Typer takes it
    (["--json", "why", "a.py"], None),
    (["file-experts", "why"], None),
    (["similar", "why", "--text", "x"], None),
])
def test_only_plain_why_arguments_are_read(args: list[str], plan: Plan | None) -> None:
    assert early_why.scan(args) == plan


def test_the_scan_knows_the_options_typer_has() -> None:
    """A new option of `why` (or of the tool) must be taught to the scan, or plain arguments with
    it would start nothing early (or be misread)."""
    root: Any = typer.main.get_command(cli.whole())
    assert _options(root.commands["why"]) == (set(early_why.COMMAND_OPTIONS), set(early_why.COMMAND_FLAGS))
    values, flags = _options(root)
    assert values == set(early_why.GLOBAL_OPTIONS) and flags == {"--version"}


@pytest.mark.parametrize("spec", ["a.py", "./a.py", " a.py:3 ", "a.py:3-9", "dir/x:y.py:2", "a.py:0", "a.py:5-2",
                                  ":3", "", "  ", "a.py:x", "a.py:3-", "C:\\a.py:1"])
def test_the_spec_is_read_as_the_agent_reads_it(spec: str) -> None:
    try:
        agent = why_line.parse_spec(spec)
        expected: tuple[str, tuple[int, int] | None] | None = (agent.path, agent.lines)
    except InputError:
        expected = None
    assert early_why.spec_of(spec) == expected


@pytest.mark.parametrize("now", ["2026-01-27T08:41:57+00:00", "2026-01-27T08:41:57Z", "2026-01-27",
                                 "2026-01-27T10:41:57+02:00", "2026-01-27T08:41:57.9"])
def test_the_time_is_read_as_the_command_reads_it(now: str) -> None:
    assert early_why.until_of(now) == epoch(parse_now(now))


def test_a_time_the_command_refuses_starts_nothing() -> None:
    assert early_why.until_of("yesterday") is None
    assert early_why.until_of(None) == pytest.approx(epoch(datetime.now(UTC)), abs=2)


def _main(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> str:
    out = io.StringIO()
    monkeypatch.setattr(sys, "argv", ["teammemory", *args])
    monkeypatch.setattr(sys, "stdout", out)
    try:
        cli.main()
    except SystemExit as done:
        assert done.code in (0, None)
    return out.getvalue()


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """The early blames started (their _Early) and the blames the agent ran itself."""
    seen: dict[str, list[Any]] = {"early": [], "own": []}
    real_start, real_git = blame.start_early, blame.git

    def start(find: Any, note: Any = None) -> None:
        real_start(find, note)
        seen["early"].append(blame._early)

    def git(repo: Path, *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
        if args[0] == "blame":
            seen["own"].append(args)
        return real_git(repo, *args, **kw)

    monkeypatch.setattr(blame, "start_early", start)
    monkeypatch.setattr(blame, "git", git)
    return seen


def test_the_agent_takes_over_the_blame_started_before_typer(
        sqlite_store: Store, tmp_path: Path, spied: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    clone, h = build(sqlite_store, tmp_path)
    db = str(sqlite_store.url.target)
    asked = ["--db", db, "why", f"{NEW}:1-2", "--now", f"{datetime.fromtimestamp(T(0), UTC):%Y-%m-%dT%H:%M:%SZ}"]
    for args in (asked, [*asked, "--git-dir", str(clone)]):  # the clone from the store's row, then as given
        text = _main(monkeypatch, args)
        [early] = spied["early"][-1:]
        assert early.ask is not None and early.ask.repo.resolve() == clone.resolve() and early.ask.lines == (1, 2)
        assert spied["own"] == [] and blame._early is None  # taken over: no second git blame
        assert early.process.returncode == 0
        assert f"Why {NEW}:1-2 in app" in text and h[0][:7] in text and h[1][:7] in text
    own = _main(monkeypatch, [*asked, "--limit=3", "--json", "--format", "text", "--repo", "app"])
    assert spied["own"] == [] and len(spied["early"]) == 3
    monkeypatch.setattr(early_why, "start", lambda args: None)  # the same question, nothing started early
    assert _main(monkeypatch, [*asked, "--limit=3", "--json", "--format", "text", "--repo", "app"]) == own
    assert len(spied["own"]) == 1


def test_a_blame_asked_otherwise_is_not_taken_over_and_its_git_is_stopped(tmp_path: Path) -> None:
    clone, h = build_clone(tmp_path)
    blame.start_early(lambda: blame.Asked(clone, NEW, (1, 5), T(0), "HEAD"))
    early = blame._early
    assert early is not None and early.ready.wait(10)
    got = blame.blame(clone, NEW, (2, 2), until=T(0))  # other lines
    assert blame._early is None and early.process is not None and early.process.returncode is not None
    assert [(b.line, b.hash) for b in got.lines] == [(2, h[1])]


def test_a_moment_that_resolves_to_the_same_commit_takes_it_over_and_one_that_does_not_blames_anew(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clone, h = build_clone(tmp_path)
    own: list[tuple[str, ...]] = []
    real_git = blame.git

    def git(repo: Path, *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
        if args[0] == "blame":
            own.append(args)
        return real_git(repo, *args, **kw)

    monkeypatch.setattr(blame, "git", git)
    blame.start_early(lambda: blame.Asked(clone, NEW, None, T(0), "HEAD"))
    assert blame.blame(clone, NEW, None, until=T(0) + 1).rev == h[6] and own == []  # a second later: still c6
    blame.start_early(lambda: blame.Asked(clone, NEW, None, T(0), "HEAD"))
    got = blame.blame(clone, NEW, None, until=T(45))  # before c6 (T(40)): c5
    assert got.rev == h[5] and len(own) == 1


def test_an_early_blame_that_cannot_be_planned_leaves_the_error_to_the_agent(tmp_path: Path) -> None:
    clone, _ = build_clone(tmp_path)
    blame.start_early(lambda: blame.Asked(clone, NEW, (9, 9), T(0), "HEAD"))  # past the end of the file
    with pytest.raises(InputError, match="past the end"):
        blame.blame(clone, NEW, (9, 9), until=T(0))
    blame.start_early(lambda: 1 / 0)  # type: ignore[arg-type, return-value]  # find itself fails
    assert [b.line for b in blame.blame(clone, NEW, (1, 1), until=T(0)).lines] == [1]
    blame.start_early(lambda: None)  # nothing to start
    assert blame._early is not None and blame._early.ready.wait(10) and blame._early.process is None
    assert [b.line for b in blame.blame(clone, NEW, (1, 1), until=T(0)).lines] == [1]


def test_the_store_names_the_clone_only_when_it_is_a_file_with_one_repository(
        sqlite_store: Store, tmp_path: Path) -> None:
    clone, h = build(sqlite_store, tmp_path)
    db = str(sqlite_store.url.target)
    plan = Plan(NEW, None, None, None, db, None)
    assert early_why.stored_repository(plan) == (str(clone.resolve()), h[6])
    assert early_why.stored_repository(plan._replace(repo="app")) == (str(clone.resolve()), h[6])
    assert early_why.stored_repository(plan._replace(repo="other")) is None
    assert early_why.stored_repository(plan._replace(db=str(tmp_path / "none.db"))) is None
    assert early_why.stored_repository(plan._replace(db="postgresql://localhost/x")) is None
    (tmp_path / "junk.db").write_text("not a database")
    assert early_why.stored_repository(plan._replace(db=str(tmp_path / "junk.db"))) is None


def test_as_a_process_the_answer_and_the_errors_are_the_commands_own(sqlite_store: Store, tmp_path: Path) -> None:
    """Whole processes, as a user runs them: the early blame's thread and its git end with the
    process, whether the command answers, refuses the lines or refuses an option."""
    clone, h = build(sqlite_store, tmp_path)
    now = f"{datetime.fromtimestamp(T(0), UTC):%Y-%m-%dT%H:%M:%SZ}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", "from teammemory.outputs.cli import main; main()",
                               "--db", str(sqlite_store.url.target), "why", *args, "--now", now],
                              capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "100"})

    answered = run(f"{NEW}:1-2")
    assert answered.returncode == 0 and answered.stderr == ""
    assert answered.stdout.startswith(f"Why {NEW}:1-2 in app\nlines 1-2 of 5, blamed at {h[6][:7]}")
    assert (commit_graph.entry(clone) / "tip").read_text().strip() == h[6]  # the early blame wrote the graph
    past = run(f"{NEW}:9")
    assert past.returncode == 2 and "past the end of src/parser.py (5 lines" in past.stderr and past.stdout == ""
    limit = run(f"{NEW}:1", "--limit", "0")
    assert limit.returncode == 2 and "--limit" in limit.stderr and limit.stdout == ""
