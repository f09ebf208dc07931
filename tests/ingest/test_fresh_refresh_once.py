"""A first ingest into a blank store runs each derived-data refresh once (derive.refresh, after the
work), not also from the migration hooks on empty tables; the store it leaves is the one an
`init-db` (hooks run) followed by the same ingest leaves."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, fix_history, lineage, migrate, parse_url, summaries, test_files, text_index
from tests.helpers.gitrepo import FakeCommit, build_repo

ANA, BO = "Ana <ana@example.com>", "Bo <bo@example.com>"
T0 = 1_700_000_000
HISTORY = [
    FakeCommit(ANA, T0, "add core", {"src/core/a.py": "1\n", "tests/test_a.py": "t\n"}),
    FakeCommit(BO, T0 + 10, "fix crash in core", {"src/core/a.py": "2\n"}),
    FakeCommit(ANA, T0 + 20, "move it", {}, renames={"src/core/a.py": "src/core/b.py"}),
    FakeCommit(BO, T0 + 30, "fix b again", {"src/core/b.py": "3\n"}),
]
VOLATILE = {"ingest_runs", "schema_migrations", "cursors", "repositories"}


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    with store.read() as db:
        names = [str(r["name"]) for r in db.all(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
            " and name not like 'text_fts%'")]
        return {n: sorted((tuple(r.values()) for r in db.all(f'select * from "{n}"')), key=repr)
                for n in names if n not in VOLATILE}


def test_a_first_ingest_refreshes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = build_repo(tmp_path / "app", HISTORY)
    calls: Counter[str] = Counter()
    for module in (summaries, lineage, text_index, fix_history, test_files):
        real = module.refresh

        def counted(*args: Any, _real: Any = real, _name: str = module.__name__, **kw: Any) -> Any:
            calls[_name] += 1
            return _real(*args, **kw)

        monkeypatch.setattr(module, "refresh", counted)
    fresh = Store(parse_url(str(tmp_path / "fresh.db")))
    ingest_git(fresh, repo, config=Config(), name="app")
    assert set(calls.values()) == {1} and len(calls) == 5

    calls.clear()
    migrated = Store(parse_url(str(tmp_path / "migrated.db")))
    with migrated.write() as db:
        migrate.apply(db)  # `init-db`: the hooks run, on empty tables
    assert calls["teammemory.store.lineage"] == 1
    ingest_git(migrated, repo, config=Config(), name="app")
    assert _dump(fresh) == _dump(migrated)
    assert _dump(fresh)["file_lineage"]  # the replay did run
