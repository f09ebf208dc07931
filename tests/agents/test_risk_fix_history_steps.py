"""An ingest in steps keeps the bug-fix summary (store/fix_history.py) the full fold keeps, on
SQLite and PostgreSQL, and folds only the new commits when that gives the same rows.

Each step ingests a longer prefix of one history (same fast-import stream: same commit ids) into
one store; after each, its rows must equal those of a store that ingested the same prefix at once,
and those of `compute` over the raw rows. Whether a step took the incremental path is seen by
counting calls of the full fold (`fix_history.compute`) while it ran.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, fix_history
from tests.helpers.gitrepo import FakeCommit, build_repo, rev

DAY = 86400
NOW = 1780000000
ANA, BEN = "Ana <ana@example.com>", "Ben <ben@example.com>"
CONFIG = Config()


def at(days_ago: int) -> int:
    return NOW - days_ago * DAY


HISTORY = [
    FakeCommit(ANA, at(300), "init\n", {"a.py": "a\n", "c.py": "c\n", "gone.py": "g\n", "d.py": "d\n"}),
    FakeCommit(BEN, at(250), "fix crash in a\n", {"a.py": "a\nx\n"}),
    FakeCommit(ANA, at(200), "fix wrong total in gone\n", {"gone.py": "g\nx\n"}),
    FakeCommit(BEN, at(150), "fix wrong sum in c\n", {"c.py": "c\nx\n"}),
    # step 2 (index 4-7): a kept file renamed, fixed under its new name; one deleted; one renamed onto
    FakeCommit(ANA, at(100), "move a to b\n", renames={"a.py": "b.py"}),
    FakeCommit(BEN, at(90), "fix null in b\n", {"b.py": "a\nx\ny\n"}),
    FakeCommit(ANA, at(80), "drop gone\n", {"gone.py": None}),
    FakeCommit(BEN, at(70), "fix leak in d\n", {"d.py": "d\nx\n"}),
    # step 3 (index 8-9): a renamed file renamed again; c.py fixed and moved in one fix
    FakeCommit(ANA, at(60), "move b to e\n", renames={"b.py": "e.py"}),
    FakeCommit(BEN, at(50), "fix race and move c\n", {"f.py": "c\nx\nr\n"}, renames={"c.py": "f.py"}),
    # step 4 (index 10): the deleted file comes back: its old fix counts again (the full fold)
    FakeCommit(ANA, at(40), "bring gone back\n", {"gone.py": "g\n"}),
]
STEPS = (4, 8, 10, 11)


def rows(store: Store) -> list[tuple[str, list[int], list[str]]]:
    with store.read() as db:
        return sorted((str(r["path"]), json.loads(r["times"]), json.loads(r["refs"]))
                      for r in db.all("select * from risk_fix_files"))


def counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Calls of the full fold, from now on."""
    calls: list[int] = []
    full: Callable[..., fix_history.Fixes] = fix_history.compute

    def wrapped(*args: object, **kwargs: object) -> fix_history.Fixes:
        calls.append(1)
        return full(*args, **kwargs)

    monkeypatch.setattr(fix_history, "compute", wrapped)
    return calls


def test_steps_keep_what_one_ingest_keeps(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting(monkeypatch)
    full_folds = []
    for n in STEPS:
        repo = build_repo(tmp_path / f"step{n}", HISTORY[:n])
        before = len(calls)
        ingest_git(store, repo, config=CONFIG, name="acme/app")
        full_folds.append(len(calls) - before)
        once = Store.open(str(tmp_path / f"once{n}.db"))
        ingest_git(once, repo, config=CONFIG, name="acme/app")
        assert rows(store) == rows(once), n
        with store.read() as db:
            assert {p: [list(x) for x in fs] for p, fs in fix_history.compute(db, fix_history.FOREVER).items()} == {
                p: [[t, r] for t, r in zip(ts, rs, strict=True)] for p, ts, rs in rows(store)}
    # the first ingest and the one reviving a deleted name fold everything; the others only the new commits
    assert full_folds == [1, 0, 0, 1]
    # worked by hand after the last step: a's fix (250) and b's (90) count for e.py; c's (150) and the
    # fix that moved it (50) for f.py; d's (70) for d.py; gone.py is back, with its fix at 200
    ref = {i: f"acme/app@{rev(repo, f'HEAD~{len(HISTORY) - 1 - i}')}" for i in range(len(HISTORY))}
    assert rows(store) == [("d.py", [at(70)], [ref[7]]),
                           ("e.py", [at(250), at(90)], [ref[1], ref[5]]),
                           ("f.py", [at(150), at(50)], [ref[3], ref[9]]),
                           ("gone.py", [at(200)], [ref[2]])]


def test_a_commit_older_than_the_last_ingest_refolds(store: Store, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A branch made long ago and merged now brings commits older than the newest one seen: the
    new-commits-are-later premise fails, so the whole history is folded again."""
    base = HISTORY[:4]
    ingest_git(store, build_repo(tmp_path / "first", base), config=CONFIG, name="acme/app")
    calls = counting(monkeypatch)
    late = [*base,
            FakeCommit(BEN, at(200), "fix overflow in c\n", {"c.py": "c\ny\n"}, branch="old", from_=0),
            FakeCommit(ANA, at(10), "merge old\n", merge=4, from_=3)]
    repo = build_repo(tmp_path / "second", late)
    ingest_git(store, repo, config=CONFIG, name="acme/app")
    once = Store.open(str(tmp_path / "once.db"))
    ingest_git(once, repo, config=CONFIG, name="acme/app")
    assert calls and rows(store) == rows(once)
    assert [t for p, t, _ in rows(store) if p == "c.py"] == [[at(200), at(150)]]
