"""Start-up: a process loads only what its command needs, and sees exactly what the whole app shows
(each command from its own module; the whole tool's `--help` from the listing app)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teammemory import collector
from teammemory.outputs import cli

ENV = {"COLUMNS": "100", "TERM": "dumb"}


def commands() -> list[list[str]]:
    """Every command and subcommand of the whole app, as the words that name it."""
    app = cli.whole()
    out = [[name] for name in cli.command_names(app)]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        out += [[group.name or "", name] for name in cli.command_names(group.typer_instance)]
    return out


def shown(app: object, args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env=ENV, color=False)  # type: ignore[arg-type]
    return result.exit_code, result.output


@pytest.mark.parametrize("words", commands(), ids=" ".join)
def test_the_small_app_shows_what_the_whole_app_shows(words: list[str]) -> None:
    small = cli.app_for(words)
    assert small is not cli.whole(), f"{words[0]} is not found by its module: update cli.HINTS or cli.MODULES"
    for args in ([*words, "--help"], [*words, "--no-such-option"], ["--db", "x.db", *words, "--help"]):
        assert shown(small, args) == shown(cli.whole(), args), args


@pytest.mark.parametrize(("args", "name"), [
    (["file-risk", "a.py"], "file-risk"), (["--db", "x.db", "hygiene"], "hygiene"),
    (["--db=x.db", "--config", "t.toml", "ingest", "git", "."], "ingest"), (["--help"], None),
    (["--version", "hygiene"], None), (["--db"], None), (["--config", "hygiene"], None), ([], None),
    (["-x", "hygiene"], None),
])
def test_command_name(args: list[str], name: str | None) -> None:
    assert cli.command_name(args) == name


def test_unknown_commands_get_the_whole_app() -> None:
    for args in (["no-such-command"], ["--version", "hygiene"], ["--", "hygiene"]):
        assert cli.app_for(args) is cli.whole()


def run_main(args: list[str]) -> dict[str, Any]:
    """Run `teammemory ARGS` in a fresh interpreter; its output and the modules it loaded."""
    code = ("import json, sys\n"
            f"sys.argv = ['teammemory', *{args!r}]\n"
            "from teammemory.outputs import cli\n"
            "out = sys.stdout; sys.stdout = open('/dev/null', 'w')\n"
            "code = 0\n"
            "try:\n    cli.main()\nexcept SystemExit as exc:\n    code = exc.code or 0\n"
            "out.write(json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_version_prints_what_typer_prints_without_loading_typer() -> None:
    done = subprocess.run([sys.executable, "-m", "teammemory", "--version"], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, shown(cli.whole(), ["--version"])[1], "")
    assert not [m for m in run_main(["--version"])["modules"] if m.split(".")[0] in {"typer", "rich"}]


def test_a_question_loads_neither_sync_ingest_nor_the_api() -> None:
    loaded = run_main(["file-risk", "--help"])
    assert loaded["code"] == 0
    heavy = {"httpx", "psycopg", "teammemory.ingest.sync", "teammemory.outputs.commands_sync",
             "teammemory.outputs.commands_data", "teammemory.api"}
    assert heavy.isdisjoint(loaded["modules"])


def test_an_ingest_loads_no_identities_commands_before_git_starts(tmp_path: Path) -> None:
    """`ingest git` reaches the clone without the identities group (its own module) or derive:
    those imports would delay the read-ahead that starts git (ingest/git.py). A clone that is not
    there stops it right at that point."""
    loaded = run_main(["--db", str(tmp_path / "tm.db"), "ingest", "git", str(tmp_path / "no-such-clone")])
    assert loaded["code"] == 2
    assert "teammemory.ingest.git" in loaded["modules"]
    assert {"teammemory.outputs.commands_identities", "teammemory.derive",
            "teammemory.identity.resolve"}.isdisjoint(loaded["modules"])


@pytest.mark.parametrize("columns", ["60", "80", "100", "200"])
@pytest.mark.parametrize("args", [[], ["--help"], ["-h"], ["--db", "x.db", "--help"],
                                  ["--config=t.toml", "-h", "--db=y"]], ids=lambda args: " ".join(args) or "bare")
def test_the_listing_app_shows_the_whole_tools_help_as_the_whole_app_does(args: list[str], columns: str) -> None:
    """`cli.COMMANDS` and the registry give `teammemory --help` exactly: a command added to a
    module (or a changed first paragraph of its help) fails here until it is listed there."""
    assert cli.only_listing(args)
    runner = CliRunner()
    env = {**ENV, "COLUMNS": columns}
    listed = runner.invoke(cli.listing_app(), args, env=env, color=False)
    whole = runner.invoke(cli.whole(), args, env=env, color=False)
    assert (listed.exit_code, listed.output) == (whole.exit_code, whole.output)


def test_commands_are_listed_with_their_modules() -> None:
    from teammemory.outputs.questions import QUESTIONS

    app = cli.whole()
    assert set(cli.command_names(app)) == set(cli.COMMANDS) | set(QUESTIONS)
    groups = {g.name for g in app.registered_groups}
    assert {name for name, listed in cli.COMMANDS.items() if listed.group} == groups
    for name, listed in cli.COMMANDS.items():
        assert name in cli.command_names(cli.build([listed.module])), name


@pytest.mark.parametrize("args", [["--help", "hygiene"], ["--", "hygiene"], ["-h", "-x"], ["--db"], ["--version"],
                                  ["--db", "x.db"], ["hygiene", "--help"]], ids=" ".join)
def test_anything_but_the_whole_tools_help_is_not_for_the_listing_app(args: list[str]) -> None:
    assert not cli.only_listing(args)


def test_the_whole_tools_help_loads_no_command_module_and_no_rich() -> None:
    loaded = run_main(["--help"])
    assert loaded["code"] == 0
    assert not [m for m in loaded["modules"] if m.startswith(("teammemory.outputs.commands", "teammemory.agents",
                                                              "teammemory.store", "rich"))]


def test_a_commands_app_holds_that_command_only() -> None:
    assert cli.command_names(cli.app_for(["--db", "x.db", "file-risk", "a.py"])) == ["file-risk"]
    assert cli.command_names(cli.app_for(["ingest", "git", "."])) == ["ingest"]


def test_the_collector_is_tuned_frozen_last_and_an_ingest_leaves_its_store_closed(tmp_path: Path) -> None:
    """cli.main collects every FIRST_GENERATION allocations and freezes the garbage collector at
    exit, after every exit handler registered once it runs (one registered before it runs after it
    and sees the freeze), and the store an ingest wrote is closed by then: no -wal or -journal
    left beside it, and a second process reads it."""
    from tests.helpers.gitrepo import FakeCommit, build_repo

    repo = build_repo(tmp_path / "repo", [FakeCommit("Ana <ana@example.com>", 1767000000, "add a\n", {"a.py": "1\n"}),
                                          FakeCommit("Ana <ana@example.com>", 1767100000, "fix a\n", {"a.py": "2\n"})])
    db = tmp_path / "tm.db"
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('after:', gc.get_freeze_count() > 0))\n"
            "from teammemory.outputs import cli\n"
            "sys.argv = ['teammemory', *sys.argv[1:]]\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "print('threshold:', gc.get_threshold()[0])\n"
            "atexit.register(lambda: print('before:', gc.get_freeze_count() > 0))\n")
    for first in (True, False):  # a first ingest (a private build, published) and one into the store
        if not first:
            subprocess.run(["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "again"], check=True,
                           env={"GIT_AUTHOR_NAME": "Ana", "GIT_AUTHOR_EMAIL": "ana@example.com",
                                "GIT_COMMITTER_NAME": "Ana", "GIT_COMMITTER_EMAIL": "ana@example.com",
                                "PATH": "/usr/bin:/bin", "HOME": str(repo)})
        done = subprocess.run([sys.executable, "-c", code, "--db", str(db), "ingest", "git", str(repo), "-q"],
                              capture_output=True, text=True, check=True)
        said = done.stdout.splitlines()[-3:]
        threshold = f"threshold: {collector.FIRST_GENERATION}"
        assert said == [threshold, "before: False", "after: True"], done.stdout + done.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "tm.db"]
    answer = subprocess.run([sys.executable, "-m", "teammemory", "--db", str(db), "file-experts", "a.py", "--json",
                             "--now", "2026-01-01T00:00:00+00:00"], capture_output=True, text=True, check=True)
    assert json.loads(answer.stdout)["result"]["experts"][0]["person"]["name"] == "Ana"
