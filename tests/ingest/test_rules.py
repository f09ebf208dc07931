"""Changed component rules take effect on the next command: `apply_component_rules` re-derives
components and their summaries once, in its own write, before a question reads (the read itself
stays read-only); unchanged rules cost one lookup and write nothing. SQLite and PostgreSQL."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.ingest.rules import apply_component_rules, stale_rules
from teammemory.outputs.cli import app
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo

T = 1700000000
ANA, BO = "Ana <ana@example.com>", "Bo <bo@example.com>"
HISTORY = [FakeCommit(ANA, T, "add auth", {"src/auth/token.py": "a\n", "src/auth/session.py": "s\n"}),
           FakeCommit(BO, T + 60, "add pay", {"src/pay/card.py": "c\nd\n"}),
           FakeCommit(ANA, T + 120, "both", {"src/auth/token.py": "a\nb\n", "src/pay/card.py": "c\n"})]
OLD = Config(component_rules=(("src/*/**", "{1}"),))
NEW = Config(component_rules=(("src/auth/**", "security"), ("src/pay/**", "security")))


def components(store: Store) -> dict[str, list[Any]]:
    with store.read() as db:
        files = {r["path"]: r["component"] for r in db.all("select path, component from files")}
        rows = db.all("select component, count(*) as n, sum(churn) as churn from component_commits"
                      " group by component order by component")
    return {"files": sorted(files.items()), "commits": [(r["component"], int(r["n"]), int(r["churn"])) for r in rows]}


def test_new_rules_take_effect_once_without_a_reingest(store: Store, tmp_path: Path) -> None:
    ingest_git(store, build_repo(tmp_path / "r", HISTORY), config=OLD)
    # churn: commit 0 token +1, session +1 -> auth 2; commit 1 card +2 -> pay 2;
    # commit 2 token +1 (one line added), card -1 (one line deleted) -> auth 1, pay 1
    assert components(store)["commits"] == [("auth", 2, 3), ("pay", 2, 3)]
    assert not stale_rules(store, OLD) and stale_rules(store, NEW)
    assert apply_component_rules(store, OLD) is False  # same rules: nothing written
    assert apply_component_rules(store, NEW) is True
    after = components(store)
    assert after["files"] == [("src/auth/session.py", "security"), ("src/auth/token.py", "security"),
                              ("src/pay/card.py", "security")]
    assert after["commits"] == [("security", 3, 6)]  # every commit; churn 3 + 3
    assert apply_component_rules(store, NEW) is False  # once


def test_the_next_question_answers_by_the_new_rules(tmp_path: Path) -> None:
    db = str(tmp_path / "tm.db")
    ingest_git(Store.open(db), build_repo(tmp_path / "r", HISTORY), config=OLD)
    toml = tmp_path / "teammemory.toml"
    toml.write_text('[components]\nrules = [{glob = "src/**", component = "security"}]\n')
    runner = CliRunner()
    # no re-ingest: the question itself sees the rules changed and re-derives the components first
    result = runner.invoke(app, ["--db", db, "--config", str(toml), "component-experts", "security", "--json"])
    assert result.exit_code == 0, result.output
    assert components(Store.open(db))["commits"] == [("security", 3, 6)]
    back = runner.invoke(app, ["--db", db, "component-experts", "auth", "--json"])  # default rules again
    assert back.exit_code == 0, back.output


def test_a_store_busy_with_another_writer_answers_by_the_stored_rules_with_a_warning(store: Store,
                                                                                    tmp_path: Path) -> None:
    ingest_git(store, build_repo(tmp_path / "r", HISTORY), config=OLD)
    log = io.StringIO()
    with store.write():  # an ingest in progress holds the writer lock
        assert apply_component_rules(store, NEW, log=log) is False
    assert log.getvalue().startswith(f"warning: the component rules changed, but {store.where} cannot be updated")
    assert log.getvalue().count("\n") == 1
    assert components(store)["commits"] == [("auth", 2, 3), ("pay", 2, 3)]
    assert apply_component_rules(store, NEW) is True  # the next command, once the writer is done


def test_a_missing_store_is_left_to_the_question(tmp_path: Path) -> None:
    assert apply_component_rules(Store.open(str(tmp_path / "none.db")), NEW) is False
    assert not (tmp_path / "none.db").exists()
