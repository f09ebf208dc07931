"""Text rendering of the hygiene report."""

from __future__ import annotations

from datetime import datetime

from teammemory.agents import hygiene
from teammemory.outputs.render_hygiene import render_hygiene
from teammemory.store import Store
from tests.agents import teamdata
from tests.outputs.test_render_context import text


def test_hygiene_text(sqlite_store: Store, now: datetime) -> None:
    with teamdata.build(sqlite_store).read() as db:
        out = text(render_hygiene(hygiene.ask(db, now=now, config=teamdata.CONFIG)), width=120)
    lines = out.splitlines()
    assert lines[0] == "Data hygiene (as of 2026-06-01); known projects: PROJ"
    assert lines[1].split() == ["check", "count", "of", "%", "coverage"]
    assert lines[2].split() == ["commits", "without", "an", "issue", "key", "3", "6", "non-merge", "commits",
                                "(not", "bots)", "50.0", "50.0"]
    assert lines[8].split()[-4:] == ["keys", "named", "25.0", "75.0"]
    assert ("percent = round(100 * count / denominator, 1); coverage = round(100 * (denominator - count)"
            " / denominator, 1)") in lines
    start = lines.index("commits without an issue key:")
    assert lines[start + 1:start + 4] == ["  - c600000 Rename lock module",
                                          "  - c300000 Add lock around refresh",
                                          "  - c100000 Initial auth module"]
    assert "Identity suggestions (never merged automatically):" in lines
