"""files.test_kind/test_name (migration 0010): derived once per file by ingest, re-derived when the
test patterns change, and read by covering_tests in place of matching every path; the covering
test found either way is the same (a real git history, SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from teammemory.agents import covering_tests
from teammemory.config import DEFAULT_TEST_PATTERNS
from teammemory.ingest.git import ingest_git
from teammemory.store import Store, test_files
from tests.agents import q13_world as w
from tests.helpers.gitrepo import FakeCommit, build_repo

MORE = [FakeCommit(author="Ana <ana@example.com>", when=w.NOW_TS - 3000, message="checks",
                   files={"checks/foo_check.py": "x\n", "src/foo.py": "y\n"})]


def _stored(store: Store) -> dict[str, tuple[int, str]]:
    with store.read() as db:
        return {str(r["path"]): (int(r["test_kind"]), str(r["test_name"]))
                for r in db.all("select path, test_kind, test_name from files")}


def test_ingest_derives_each_files_test_status(store: Store, tmp_path: Path, now: datetime) -> None:
    w.build(store, tmp_path)
    got = _stored(store)
    # by the default patterns: tests/** has no name capture, **/test_*.py captures 'a' first
    # (first match wins: `**/test_*.py` comes before `tests/**`)
    assert got[w.TEST] == (1, "a")
    assert got[w.A] == (0, "")
    assert all(kind in (0, 1) for kind, _ in got.values())
    assert got == {p: (int(n is not None), n or "") for p in got
                   for n in [covering_tests.tested_name(p, DEFAULT_TEST_PATTERNS)]}
    with store.read() as db:
        assert test_files.stored_for(db, DEFAULT_TEST_PATTERNS)
        assert not test_files.stored_for(db, ("**/*_check.py",))
        assert covering_tests.stored_tests(db) == covering_tests.index_tests(got)
        found = covering_tests.covering_tests(db, [w.A], 0, w.NOW_TS)[w.A]
    assert found.path == w.TEST


def test_changed_patterns_are_used_at_once_and_stored_by_the_next_ingest(store: Store, tmp_path: Path) -> None:
    w.build(store, tmp_path)
    patterns = ("**/*_check.py",)
    config = dataclasses.replace(w.CONFIG, test_patterns=patterns)
    with store.read() as db:  # not stored under these patterns: matched in Python, the same answer
        assert not test_files.stored_for(db, patterns)
        before = covering_tests.covering_tests(db, ["src/foo.py", w.A], 0, w.NOW_TS, patterns)
    assert (before["src/foo.py"].path, before[w.A].path) == ("", "")  # checks/foo_check.py is not ingested yet
    repo = build_repo(tmp_path / "more", MORE)
    ingest_git(store, repo, config=config, name="more")
    got = _stored(store)
    assert got["checks/foo_check.py"] == (1, "foo")
    assert got[w.TEST] == (0, "")  # every file re-derived under the new patterns
    with store.read() as db:
        assert test_files.stored_for(db, patterns)
        stored = covering_tests.covering_tests(db, ["src/foo.py"], 0, w.NOW_TS, patterns)
        index = covering_tests.stored_tests(db, patterns)
        matched = covering_tests.index_tests((str(r["path"]) for r in db.all("select path from files")), patterns)
    assert stored["src/foo.py"].path == "checks/foo_check.py"
    assert index == matched == {"foo": ["checks/foo_check.py"]}


def _one_glob_at_a_time(path: str, patterns: tuple[str, ...]) -> str | None:
    """The rule as written before the globs were combined: the first glob that matches, its first `*`."""
    from teammemory.components import compile_glob

    for glob in patterns:
        m = compile_glob(glob).fullmatch(path)
        if m:
            return m.group(1) if m.groups() and m.group(1) else ""
    return None


PATHS = ("src/FooTest.java", "a/b/TestFoo.java", "TestFoo.java", "Test.java", "x/__tests__/a.b", "x/__tests__/a/b.c",
         "web/foo.test.js", "tests/a.py", "pkg/tests/test_a.py", "pkg/test_a.py", "a_test.go", "conftest.py",
         "sub/src/test/java/Foo.java", "src/it/X.java", "a/fixtures/b", "spec/x_spec.rb", "README", "", "a//b",
         "tests", "test/", "app/Foo.Tests/Bar.cs", "lib/x.spec.ts", "src/main/java/Foo.java", "a/tests/x.rs")


def test_one_regex_for_all_globs_matches_like_each_glob_in_order() -> None:
    cases = (DEFAULT_TEST_PATTERNS, DEFAULT_TEST_PATTERNS[::-1], ("*", "**"), ("**/*", "tests/**", "**/*_x.py"),
             ("src/*/*Test.java", "**/*.py", "**/a*b*c.d"), ("**/test_*.py", "**/conftest.py", "tests/**"), ())
    for patterns in cases:
        for path in PATHS:
            assert test_files.tested_name(path, patterns) == _one_glob_at_a_time(path, patterns), (patterns, path)
