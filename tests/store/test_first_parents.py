"""first_parent_commits (migration 0012) kept across ingests: new commits on top of the chain
extend it (only they are walked); a head whose chain misses the old head, and a rewritten
history, rewalk it; either way the rows are those of walking the whole chain again (SQLite and
PostgreSQL)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from teammemory.config import Config
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, summaries
from tests.helpers.gitrepo import FakeCommit, build_repo

ANA = "Ana <ana@example.com>"
T0 = 1_700_000_000
HISTORY = [
    FakeCommit(ANA, T0, "one", {"a": "1\n"}),
    FakeCommit(ANA, T0 + 10, "two", {"a": "2\n"}),
    FakeCommit(ANA, T0 + 20, "side work", {"b": "1\n"}, branch="side", from_=1),
    FakeCommit(ANA, T0 + 30, "three", {"a": "3\n"}),
    FakeCommit(ANA, T0 + 40, "merge side", {}, merge=2),
    FakeCommit(ANA, T0 + 50, "four", {"a": "4\n"}),
]


def _chain(store: Store) -> set[tuple[str, str, int]]:
    with store.read() as db:
        return {(str(r["repo"]), str(r["hash"]), int(r["authored_at"]))
                for r in db.all("select repo, hash, authored_at from first_parent_commits")}


def _rewalked(store: Store) -> set[tuple[str, str, int]]:
    """The chain walked whole from the stored head (in a transaction rolled back)."""
    kept = _chain(store)
    with store.write() as db:
        db.execute("delete from first_parent_heads")
        summaries.first_parents(db)
        rows = {(str(r["repo"]), str(r["hash"]), int(r["authored_at"]))
                for r in db.all("select repo, hash, authored_at from first_parent_commits")}
    with store.write() as db:
        db.execute("delete from first_parent_heads")
        summaries.first_parents(db)
    assert _chain(store) == rows
    return kept


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = summaries._rewalk_chain

    def rewalk(*args: object) -> None:
        calls.append("rewalk")
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(summaries, "_rewalk_chain", rewalk)
    return calls


def test_new_commits_on_top_extend_the_chain(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_git(store, build_repo(tmp_path / "first", HISTORY[:4]), config=Config(), name="app")
    calls = _spy(monkeypatch)
    ingest_git(store, build_repo(tmp_path / "whole", HISTORY), config=Config(), name="app")
    assert calls == []  # walked from the new head down to the old one only
    kept = _chain(store)
    assert len(kept) == 5  # four, merge side, three, two, one: not the side branch's commit
    assert _rewalked(store) == kept


def test_a_head_off_the_old_chain_and_a_rewrite_rewalk(store: Store, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = build_repo(tmp_path / "whole", HISTORY)
    ingest_git(store, repo, config=Config(), name="app", branch="side")  # one, two, side work
    calls = _spy(monkeypatch)
    ingest_git(store, repo, config=Config(), name="app")  # main's chain does not pass through `side work`
    assert calls == ["rewalk"]
    assert _rewalked(store) == _chain(store)
    calls.clear()
    amended = [*HISTORY[:5], dataclasses.replace(HISTORY[5], message="four (amended)")]
    ingest_git(store, build_repo(tmp_path / "amended", amended), config=Config(), name="app")
    assert calls == ["rewalk"]  # a commit was removed: the chain is walked again
    kept = _chain(store)
    assert len(kept) == 5 and _rewalked(store) == kept
