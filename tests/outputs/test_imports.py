"""Start-up is part of every answer (issue #11): a process imports only what its command needs.

Each case runs `teammemory ARGS` in a fresh interpreter over a real store (a git repository
built here and ingested) and checks the modules it loaded, not a time: a module that creeps
back into a path it does not serve fails here, whatever the machine's speed. What each path
must not load, and why it need not:

- every question: the Markdown writer (`--format markdown` only), the ingest writers, sync and
  the sources (httpx), the API, YAML (postmortems), psycopg on SQLite, `logging` (store/locks.py:
  a writer that waits), tomllib (no config file given), model.py's records and hashlib (~15 ms:
  writers build records and hash keys; a question splits an issue key with issue_keys.py);
- a JSON answer: rich and the question's text renderer as well;
- a question's `--help`: the store, the agents, rich and the config parser.

Typer itself imports typer.completion (and shellingham) whatever the app asks, so that one is
not in the lists: avoiding it would mean patching Typer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo

ANA = "Ana <ana@example.com>"
NOW = "2026-01-01T00:00:00+00:00"

NOT_FOR_ANY_QUESTION = (
    "teammemory.outputs.markdown", "teammemory.ingest.git", "teammemory.ingest.sync", "teammemory.derive",
    "teammemory.store.write", "teammemory.sources", "teammemory.api", "teammemory.outputs.commands_data",
    "teammemory.outputs.commands_sync", "teammemory.outputs.commands_serve", "httpx", "yaml", "psycopg",
    "logging", "tomllib", "teammemory.model", "hashlib",
)
NOT_FOR_JSON = ("rich", "teammemory.outputs.render_risk", "teammemory.outputs.blocks")
NOT_FOR_HELP = ("teammemory.store", "teammemory.agents", "teammemory.ingest", "teammemory.outputs.answers",
                "rich", "sqlite3", "tomllib")


def loaded(args: list[str], cwd: Path) -> dict[str, Any]:
    """Run `teammemory ARGS` in a fresh interpreter in `cwd`: its exit code, output, and the
    modules it had loaded when it ended."""
    code = ("import json, sys\n"
            f"sys.argv = ['teammemory', *{args!r}]\n"
            "from teammemory.outputs import cli\n"
            "import io; out = sys.stdout; sys.stdout = io.StringIO()\n"
            "code = 0\n"
            "try:\n    cli.main()\nexcept SystemExit as exc:\n    code = exc.code or 0\n"
            "out.write(json.dumps({'code': code, 'output': sys.stdout.getvalue(), 'modules': sorted(sys.modules)}))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"})
    return json.loads(done.stdout)


def among(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """The modules that are one of `packages` or inside one."""
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one repository: Ana's two commits of a.py (the second a fix)."""
    tmp = tmp_path_factory.mktemp("imports")
    repo = build_repo(tmp / "repo", [FakeCommit(ANA, 1767000000, "add a\n", {"a.py": "1\n"}),
                                     FakeCommit(ANA, 1767100000, "fix crash in a\n", {"a.py": "1\n2\n"})])
    path = tmp / "tm.db"
    ingest_git(Store.open(str(path)), repo, config=Config(db_url=str(path)))
    return path


@pytest.mark.parametrize("question", [["file-risk", "a.py"], ["file-experts", "a.py"], ["hygiene"]], ids=" ".join)
def test_a_text_answer_loads_no_writer_no_markdown_and_no_source(db: Path, question: list[str]) -> None:
    run = loaded(["--db", str(db), *question, "--now", NOW], db.parent)
    assert run["code"] == 0 and run["output"].strip()
    assert "rich" in run["modules"]  # text is rendered by rich: the check below is not vacuous
    assert among(run["modules"], NOT_FOR_ANY_QUESTION) == []


@pytest.mark.parametrize("question", [["file-risk", "a.py"], ["file-experts", "a.py"], ["hygiene"]], ids=" ".join)
def test_a_json_answer_loads_no_rich(db: Path, question: list[str]) -> None:
    run = loaded(["--db", str(db), *question, "--now", NOW, "--json"], db.parent)
    assert run["code"] == 0 and json.loads(run["output"])["question"] == question[0]
    assert among(run["modules"], NOT_FOR_ANY_QUESTION + NOT_FOR_JSON) == []


def test_a_markdown_answer_loads_the_markdown_writer(db: Path) -> None:
    run = loaded(["--db", str(db), "file-risk", "a.py", "--now", NOW, "--format", "markdown"], db.parent)
    assert run["code"] == 0 and "teammemory.outputs.markdown" in run["modules"]


@pytest.mark.parametrize("args", [["file-risk", "--help"], ["review-suggest", "--help"], ["hygiene", "-h"]],
                         ids=" ".join)
def test_a_questions_help_loads_no_store_no_agent_and_no_rich(tmp_path: Path, args: list[str]) -> None:
    run = loaded(args, tmp_path)
    assert run["code"] == 0 and "Usage: teammemory" in run["output"]
    assert among(run["modules"], NOT_FOR_HELP) == []


def test_a_config_file_is_still_read(db: Path, tmp_path: Path) -> None:
    """tomllib is imported where the file is read: a config file given still takes effect."""
    config = tmp_path / "tm.toml"
    config.write_text('[store]\ndb = "does-not-matter.db"\n[risk]\ndays = 7\n')
    run = loaded(["--db", str(db), "--config", str(config), "file-risk", "a.py", "--now", NOW, "--json"], tmp_path)
    assert run["code"] == 0 and "tomllib" in run["modules"]
    assert json.loads(run["output"])["result"]["days"] == 7
