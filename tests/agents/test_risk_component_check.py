"""component-risk checks a component's name on a file or two the window changed (risk
._component_exists) instead of every file and move of the store: it must say "exists" only when
paths.components (the whole fold) lists the name, and the question must raise NotFound exactly
for the names paths.components does not list. The history: `api/` files changed and kept, one
renamed away; `old/` files all deleted, the last one inside the window."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.agents import paths, risk
from teammemory.agents.risk_window import window_facts
from teammemory.config import Config
from teammemory.errors import NotFound
from teammemory.ingest.git import ingest_git
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo

DAY = 86400
NOW = 1780000000
ANA = "Ana <ana@example.com>"


def test_the_quick_check_agrees_with_the_whole_fold(store: Store, tmp_path: Path) -> None:
    history = [
        FakeCommit(ANA, NOW - 300 * DAY, "init\n", {"api/a.py": "a\n", "api/b.py": "b\n", "old/x.py": "x\n",
                                                   "old/y.py": "y\n", "web/w.py": "w\n"}),
        FakeCommit(ANA, NOW - 200 * DAY, "drop y\n", {"old/y.py": None}),
        FakeCommit(ANA, NOW - 20 * DAY, "touch api\n", {"api/a.py": "a\na\n", "old/x.py": "x\nx\n"}),
        FakeCommit(ANA, NOW - 10 * DAY, "move b\n", renames={"api/b.py": "web/b.py"}),
        FakeCommit(ANA, NOW - 5 * DAY, "drop x\n", {"old/x.py": None}),
    ]
    ingest_git(store, build_repo(tmp_path / "repo", history), config=Config(), name="acme/app")
    now = datetime.fromtimestamp(NOW, UTC)
    end, since = NOW, NOW - Config().risk.days * DAY
    with store.read() as db:
        known = {str(r["component"]) for r in db.all("select distinct component from files where component <> ''")}
        listed = set(paths.components(db))
        assert known - listed  # some component has no file left (old/), so the check matters
        quick = set()
        for name in sorted(known | {"nosuch"}):
            facts = window_facts(db, since, end, component=name)
            if risk._component_exists(db, name, None, facts.files):
                assert name in listed, name
                quick.add(name)
            if name in listed:
                assert risk.ask_component(db, name, now=now, config=Config()).name == name
            else:
                with pytest.raises(NotFound):
                    risk.ask_component(db, name, now=now, config=Config())
        assert quick  # a kept file the window changed (api/a.py) decides its component at once
