"""The bug-fix history kept at ingest (store/fix_history.py, migration 0015) gives what folding
the raw rows gives, on SQLite and PostgreSQL: after one ingest or two, at `now` (the summary) and
as of an earlier `now` (the exact fold), for the whole store and for one repository.

The history: `a.py` fixed, then renamed to `b.py`, fixed again; `gone.py` fixed, then deleted;
`c.py` fixed twice and `keep.py` never. Expected fixes are worked out here from the rules (a fix
counts under the file's name after later renames; a deleted file has none), never read back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.agents import risk
from teammemory.agents.risk_signal_facts import FixHistory
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


def history() -> list[FakeCommit]:
    return [
        FakeCommit(ANA, at(300), "init\n", {"a.py": "a\n", "c.py": "c\n", "gone.py": "g\n", "keep.py": "k\n"}),
        FakeCommit(BEN, at(250), "fix crash in a\n", {"a.py": "a\nx\n"}),
        FakeCommit(ANA, at(200), "fix wrong total in gone\n", {"gone.py": "g\nx\n"}),
        FakeCommit(BEN, at(150), "fix wrong sum in c\n", {"c.py": "c\nx\n"}),
        FakeCommit(ANA, at(100), "move a to b\n", renames={"a.py": "b.py"}),  # HEAD~4
        FakeCommit(BEN, at(60), "fix null in b\n", {"b.py": "a\nx\ny\n"}),
        FakeCommit(ANA, at(40), "drop gone\n", {"gone.py": None}),
        FakeCommit(BEN, at(20), "fix overflow in c\n", {"c.py": "c\nx\nz\n"}),
        FakeCommit(ANA, at(10), "touch keep\n", {"keep.py": "k\nk\n"}),
    ]


def refs(repo: Path, name: str, *backs: int) -> list[str]:
    return [f"{name}@{rev(repo, f'HEAD~{n}')}" for n in backs]


def rows(store: Store) -> list[tuple[str, str, str]]:
    with store.read() as db:
        return sorted((str(r["path"]), str(r["times"]), str(r["refs"])) for r in db.all("select * from risk_fix_files"))


def test_the_summary_is_the_fold_worked_by_hand(store: Store, tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "repo", history())
    ingest_git(store, repo, config=CONFIG, name="acme/app")
    # fixes: a (250 days ago, HEAD~7) and b (60, HEAD~3) count for b.py; c at 150 (HEAD~5) and 20 (HEAD~1);
    # gone.py is deleted (its fix at 200 days counts for no file); keep.py has none
    expected = {"b.py": list(zip([at(250), at(60)], refs(repo, "acme/app", 7, 3), strict=True)),
                "c.py": list(zip([at(150), at(20)], refs(repo, "acme/app", 5, 1), strict=True))}
    with store.read() as db:
        assert fix_history.answers(db, NOW)
        assert fix_history.stored(db, ["b.py", "c.py", "gone.py", "keep.py"]) == expected
        assert fix_history.stored_times(db) == {p: [t for t, _ in fs] for p, fs in expected.items()}
        assert fix_history.compute(db, NOW) == expected
        assert fix_history.compute(db, fix_history.FOREVER) == expected
        # before the rename (at 120 days ago): a.py holds its fix, gone.py still exists
        early = at(120)
        assert not fix_history.answers(db, early)
        assert FixHistory(db, early).of(["a.py", "b.py", "gone.py", "c.py"]) == {
            "a.py": [(at(250), refs(repo, "acme/app", 7)[0])],
            "gone.py": [(at(200), refs(repo, "acme/app", 6)[0])],
            "c.py": [(at(150), refs(repo, "acme/app", 5)[0])]}


def test_two_ingests_keep_what_one_keeps(store: Store, tmp_path: Path) -> None:
    once = Store.open(str(tmp_path / "once.db"))
    repo = build_repo(tmp_path / "repo", history())
    ingest_git(once, repo, config=CONFIG, name="acme/app")
    part = build_repo(tmp_path / "part", history()[:4])  # same stream, same ids: up to the rename
    ingest_git(store, part, config=CONFIG, name="acme/app")
    first = rows(store)
    assert [p for p, _, _ in first] == ["a.py", "c.py", "gone.py"]  # as of the first ingest
    ingest_git(store, repo, config=CONFIG, name="acme/app")
    assert rows(store) == rows(once) != first
    assert [p for p, _, _ in rows(store)] == ["b.py", "c.py"]


def test_answers_at_now_and_as_of_earlier_agree_with_the_formula(store: Store, tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "repo", history())
    ingest_git(store, repo, config=CONFIG, name="acme/app")
    h = CONFIG.risk.recent_fix_half_life_days
    with store.read() as db:
        now = risk.ask_file(db, "b.py", now=datetime.fromtimestamp(NOW, UTC), config=CONFIG).total
        early = risk.ask_file(db, "a.py", now=datetime.fromtimestamp(at(120), UTC), config=CONFIG).total
        top = risk.ask_top(db, now=datetime.fromtimestamp(NOW, UTC), config=CONFIG)
    assert now is not None and early is not None
    fixes = {s.name: s for s in now.signals}["recent_fixes"]
    assert fixes.value == pytest.approx(2 ** (-250 / h) + 2 ** (-60 / h), abs=1e-4)
    assert {s.name: s for s in early.signals}["recent_fixes"].value == pytest.approx(2 ** (-130 / h), abs=1e-4)
    # gone.py is not ranked for its fix: deleted; b.py and c.py are, by their faded fixes
    assert "gone.py" not in [r.name for r in top.files]
    assert {"b.py", "c.py"} <= {r.name for r in top.files}


def test_one_repository_of_several_folds_the_raw_rows(store: Store, tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "repo", history())
    other = build_repo(tmp_path / "other", [FakeCommit(BEN, at(50), "init other\n", {"b.py": "o\n"}),
                                            FakeCommit(BEN, at(30), "fix leak in other\n", {"b.py": "o\nx\n"})])
    ingest_git(store, repo, config=CONFIG, name="acme/app")
    with store.read() as db:
        assert fix_history.answers(db, NOW, "acme/app")  # the only repository: the summary answers
    ingest_git(store, other, config=CONFIG, name="acme/other")
    with store.read() as db:
        assert fix_history.answers(db, NOW) and not fix_history.answers(db, NOW, "acme/app")
        mine = FixHistory(db, NOW, "acme/app").of(["b.py", "c.py"])
        both = FixHistory(db, NOW).of(["b.py"])
    assert [ref for _, ref in mine["b.py"]] == refs(repo, "acme/app", 7, 3)
    assert [ref for _, ref in both["b.py"]] == [*refs(repo, "acme/app", 7, 3), f"acme/other@{rev(other)}"]
