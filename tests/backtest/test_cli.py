"""`teammemory backtest` through the CLI: text, markdown and JSON; bad input exits 2 naming it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from teammemory.outputs.cli import app
from tests.backtest import world


def test_backtest_formats_and_errors(tmp_path: Path) -> None:
    world.store_of(tmp_path, world.commits(80))
    db = ["--db", str(tmp_path / "t.db")]
    runner = CliRunner()
    text = runner.invoke(app, [*db, "backtest", "reviewers"])
    assert text.exit_code == 0, text.output
    assert "7 changes" in text.output and "baseline" in text.output
    md = runner.invoke(app, [*db, "backtest", "risk", "--format", "markdown", "--window", "30"])
    assert md.exit_code == 0 and "| method | role | cuts |" in md.output
    out = runner.invoke(app, [*db, "backtest", "experts", "--format", "json", "--scoring", "article"])
    doc = json.loads(out.output)
    assert [f["method"] for f in doc["result"]["people"]] == ["article", "most frequent past author of the files"]
    bad = runner.invoke(app, [*db, "backtest", "owners"])
    assert bad.exit_code == 2 and "QUESTION" in bad.output
    late = runner.invoke(app, [*db, "backtest", "reviewers", "--since", "2100-01-01"])
    assert late.exit_code == 2 and "--since" in late.output
