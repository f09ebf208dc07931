"""The summary tables equal what they summarize, however the store got there.

The oracle recomputes every summary in Python from the base rows (commits, commit_files,
commit_people, files); each test drives the store a different way (first ingest, incremental,
rewritten history, changed component rules, a store migrated from schema 1) and compares.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from teammemory import derive
from teammemory.config import Config
from teammemory.identity import merge_login, merge_login_walks
from teammemory.identity.resolve import _git_commits
from teammemory.ingest import same_repo, tags
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, fix_history, lineage, migrate, summaries, test_files, text_index
from tests.helpers.gitrepo import build_repo, rev
from tests.ingest.test_ingest_git import HISTORY, git

Summaries = dict[str, list[tuple[Any, ...]]]


def ingest(store: Store, path: Path, config: Config | None = None) -> dict[str, int]:
    return ingest_git(store, path, config=config or Config(), name="proj", clock=lambda: 1800000000.0).counts


def stored(store: Store) -> Summaries:
    with store.read() as db:
        return {
            "component_commits": sorted(tuple(r.values()) for r in db.all(
                "select component, repo, hash, authored_at, is_merge, churn from component_commits")),
            "component_people": sorted(tuple(r.values()) for r in db.all(
                "select component, identity_key, role, repo, hash, authored_at, churn, shared from component_people")),
            "file_authors": sorted(tuple(r.values()) for r in db.all(
                "select repo, path, identity_key, commits, churn, last_at from file_authors")),
            "component_authors": sorted(tuple(r.values()) for r in db.all(  # 0017
                "select component, identity_key, repo, commits from component_authors")),
        }


def expected(store: Store) -> Summaries:
    """The summaries by their definition (store/summaries.py's docstring), computed in Python."""
    with store.read() as db:
        commits = {(r["repo"], r["hash"]): r for r in db.all("select * from commits")}
        files = db.all("select * from commit_files")
        component = {(r["repo"], r["path"]): r["component"] for r in db.all("select * from files")}
        people = db.all("select * from commit_people")
    churn: dict[tuple[str, str, str], int] = defaultdict(int)
    sums: dict[tuple[str, str, str], list[int]] = {}
    for f in files:
        c = commits[(f["repo"], f["hash"])]
        lines = f["added"] + f["deleted"]
        if component[(f["repo"], f["path"])]:
            churn[(component[(f["repo"], f["path"])], f["repo"], f["hash"])] += lines
        if not c["is_merge"]:
            s = sums.setdefault((f["repo"], f["path"], c["author_key"]), [0, 0, 0])
            s[0], s[1], s[2] = s[0] + 1, s[1] + lines, max(s[2], c["authored_at"])
    cc = sorted((comp, repo, h, commits[(repo, h)]["authored_at"], commits[(repo, h)]["is_merge"], n)
                for (comp, repo, h), n in churn.items())
    counted = [p for p in people if p["role"] in ("author", "co-author", "reviewer")]
    kinds = Counter((p["repo"], p["hash"], p["role"] == "reviewer") for p in counted)  # authored / reviewed
    cp = sorted((comp, p["identity_key"], p["role"], repo, h, at, n,
                 int(kinds[(repo, h, p["role"] == "reviewer")] > 1))
                for comp, repo, h, at, merge, n in cc if not merge
                for p in counted if (p["repo"], p["hash"]) == (repo, h))
    fa = sorted((repo, path, key, s[0], s[1], s[2]) for (repo, path, key), s in sums.items())
    sole = Counter((r[0], r[1], r[3]) for r in cp if r[7] == 0 and r[2] in ("author", "co-author"))
    ca = sorted(k + (n,) for k, n in sole.items())
    return {"component_commits": cc, "component_people": cp, "file_authors": fa, "component_authors": ca}


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return build_repo(tmp_path / "proj", HISTORY)


def test_first_ingest(store: Store, history: Path) -> None:
    ingest(store, history)
    got = stored(store)
    assert got == expected(store)
    # by hand: commit 6 (HEAD~1) cut src/lexer.py from 4 lines to 2, by Eve, with two trailer reviewers
    six = [r for r in got["component_people"] if r[3:5] == ("proj", rev(history, "HEAD~1"))]
    assert sorted((r[0], r[2], r[6], r[7]) for r in six) == [("src", "author", 2, 0), ("src", "reviewer", 2, 1),
                                                             ("src", "reviewer", 2, 1)]
    # src/lexer.py: non-merge commits 1 (Bo), 6 (Eve), 7 (Ana); the merge 8 does not count
    assert sorted(r[3] for r in got["file_authors"] if r[1] == "src/lexer.py") == [1, 1, 1]


def test_incremental_equals_one_run(store: Store, history: Path) -> None:
    head = rev(history)
    git(history, "update-ref", "refs/heads/main", rev(history, "HEAD~3"))
    ingest(store, history)
    git(history, "update-ref", "refs/heads/main", head)
    ingest(store, history)
    assert stored(store) == expected(store)
    assert ingest(store, history)["commits"] == 0
    assert stored(store) == expected(store)


def test_rewritten_history(store: Store, history: Path) -> None:
    ingest(store, history)
    git(history, "checkout", "-q", "-B", "main", rev(history, "HEAD~3"))
    (history / "src" / "lexer.py").write_text("z\n")
    git(history, "add", "-A")
    git(history, "-c", "user.name=Zed", "-c", "user.email=zed@example.com", "commit", "-q", "-m", "redo")
    assert ingest(store, history)["removed"] == 4
    assert stored(store) == expected(store)
    assert sorted(r[3] for r in stored(store)["file_authors"] if r[1] == "src/lexer.py") == [1, 1]  # Bo, Zed


def test_changed_component_rules(store: Store, history: Path) -> None:
    ingest(store, history)
    moved = dataclasses.replace(Config(), component_rules=(("src/lexer.py", "lexing"), ("*/**", "{1}")))
    ingest(store, history, moved)  # nothing new in git: only derive runs, with the new rules
    got = stored(store)
    assert got == expected(store)
    assert {r[0] for r in got["component_commits"]} == {"lexing", "src"}


# The ingest steps that write tables of migrations after 0001 (repository identity, tags, the
# text index, test files): a TeamMemory that knew only migration 1 had none of them.
LATER_WRITES = [(same_repo, "refuse_other_name"), (same_repo, "record"), (tags, "ingest_tags"),
                (text_index, "refresh"), (test_files, "refresh"), (lineage, "refresh"),
                (fix_history, "refresh")]


def test_a_store_of_schema_1_is_summarized_when_migrated(tmp_path: Path, history: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Written by a TeamMemory that knew only migration 1 (and so no summaries), then opened by this one."""
    sqlite_store = Store.open(str(tmp_path / "old.db"))
    known = migrate.migrations
    with monkeypatch.context() as old:
        old.setattr(migrate, "migrations", lambda dialect: known(dialect)[:1])
        old.setattr(summaries, "refresh", lambda db: None)
        old.setattr(summaries, "restate_files", lambda db, files: None)
        old.setattr(derive, "component_classifier", lambda config: None)
        for module, name in LATER_WRITES:  # what the tables of later migrations hold: not written then
            old.setattr(module, name, lambda *args, **kwargs: None)
        old.setattr(merge_login_walks, "proofs", lambda db: merge_login.merge_logins(_git_commits(db)))  # 0020
        ingest(sqlite_store, history)
        with sqlite_store.read() as db:
            assert migrate.current_version(db) == 1
    assert sqlite_store.upgrade()
    got = stored(sqlite_store)
    assert got == expected(sqlite_store)
    assert got["component_people"] and got["file_authors"]


RULES = dataclasses.replace(Config(), component_rules=(("*/**", "{1}"),))  # no layout: known as it writes


def two_ways(tmp_path: Path, history: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Store, Store]:
    """The same history ingested with the summary rows written with the commits (rules that need
    no layout: each path's component is known as it is written) and without (as under the default
    rules, which need the whole layout: `refresh` derives them in SQL)."""
    written = Store.open(str(tmp_path / "written.db"))
    ingest(written, history, RULES)
    with monkeypatch.context() as patched:
        patched.setattr(derive, "component_classifier", lambda config: None)
        in_sql = Store.open(str(tmp_path / "sql.db"))
        ingest(in_sql, history, RULES)
    return written, in_sql


def test_written_with_the_commits_or_derived_in_sql_alike(tmp_path: Path, history: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """git ingestion writes summary rows from the parsed commits; `refresh` derives them in SQL."""
    written, in_sql = two_ways(tmp_path, history, monkeypatch)
    assert stored(written) == stored(in_sql) == expected(in_sql)
    assert stored(written)["component_people"]
    for store in (written, in_sql):
        with store.read() as db:
            assert db.scalar("select count(*) as n from commits where summarized <> 1") == 0
