"""The merge-login proofs kept in the store (identity/merge_login_walks.py, migration 0020) are
merge_login.merge_logins over every stored commit, however the store got there: one ingest,
ingests in steps (each walking only its new PR merges), a rewritten history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from teammemory.config import Config
from teammemory.identity import merge_login, merge_login_walks
from teammemory.identity.resolve import _git_commits
from teammemory.ingest.git import ingest_git
from teammemory.store import Store
from tests.helpers.gitrepo import FakeCommit, build_repo, rev
from tests.ingest.test_ingest_git import git

T = 1700000000
DAVID, ANA, BO, CY = ("David <david@example.com>", "Ana Lima <ana@example.com>", "Bo <bo@example.com>",
                      "Cy <cy@example.com>")
HISTORY = [
    FakeCommit(DAVID, T, "start", {"a": "1\n"}),                                          # 0
    FakeCommit(ANA, T + 10, "ana's fix", {"b": "1\n"}, branch="ana", from_=0),           # 1
    FakeCommit(ANA, T + 20, "ana's test", {"b": "2\n"}, branch="ana"),                   # 2
    FakeCommit(DAVID, T + 30, "Merge pull request #1 from ana-l/fix", {}, merge=2),      # 3: ana-l is ANA
    FakeCommit(BO, T + 40, "bo's change", {"c": "1\n"}, branch="bo", from_=3),           # 4
    FakeCommit(CY, T + 50, "cy's change", {"c": "2\n"}, branch="bo"),                    # 5
    FakeCommit(DAVID, T + 60, "Merge pull request #2 from bo/x", {}, merge=5),           # 6: two authors, nothing
    FakeCommit(CY, T + 70, "cy again", {"d": "1\n"}, branch="cy", from_=6),              # 7
    FakeCommit(DAVID, T + 80, "on main", {"a": "2\n"}),                                  # 8
    FakeCommit(DAVID, T + 90, "Merge pull request #3 from cyc/y", {}, merge=7),          # 9: cyc is CY
    FakeCommit(BO, T + 100, "bo on main", {"a": "3\n"}),                                 # 10
]
CONFIG = Config()


def ingest(store: Store, path: Path) -> None:
    ingest_git(store, path, config=CONFIG, name="proj", clock=lambda: 1800000000.0)


def kept(store: Store) -> tuple[list[Any], list[Any], list[merge_login.MergeLogin]]:
    with store.read() as db:
        gens = sorted(tuple(r.values()) for r in db.all("select repo, hash, gen from commit_generations"))
        walks = sorted(tuple(r.values()) for r in db.all(
            "select repo, hash, login, git_key, evidence from merge_login_walks"))
        full = merge_login.merge_logins(_git_commits(db))
    return gens, walks, full


def test_in_steps_as_in_one(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = build_repo(tmp_path / "proj", HISTORY)
    head = rev(repo)
    steps = [rev(repo, f"HEAD~{n}") for n in (4, 3, 1)]  # main at commit 3, 6, 9 (its first parents)
    for at in steps:
        git(repo, "update-ref", "refs/heads/main", at)
        ingest(store, repo)
        with store.write() as db:
            assert merge_login_walks.proofs(db) == kept(store)[2]
        monkeypatch.setattr(merge_login_walks, "_rebuild", None)  # later steps only extend
    git(repo, "update-ref", "refs/heads/main", head)
    ingest(store, repo)
    gens, walks, full = kept(store)
    with store.write() as db:
        assert merge_login_walks.proofs(db) == full
    assert [p.login for p in full] == ["ana-l", "cyc"]
    assert len(gens) == len(HISTORY) and len(walks) == 3

    monkeypatch.undo()
    one = Store.open(str(tmp_path / "one.db"))
    one.upgrade()
    ingest(one, repo)
    assert kept(one)[:2] == (gens, walks)  # generations: the longest path down to the root


def test_a_rewritten_history_is_walked_again(store: Store, tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "proj", HISTORY)
    ingest(store, repo)
    git(repo, "checkout", "-q", "-B", "main", rev(repo, "HEAD~2"))  # before the merge of #3
    (repo / "e").write_text("1\n")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Zed", "-c", "user.email=zed@example.com", "commit", "-q", "-m", "redo")
    ingest(store, repo)
    gens, walks, full = kept(store)
    with store.read() as db:
        stored = int(db.scalar("select count(*) as n from commits"))
    assert len(gens) == stored
    assert {w[2] for w in walks if w[3]} == {"ana-l"}
    with store.write() as db:
        assert merge_login_walks.proofs(db) == full
