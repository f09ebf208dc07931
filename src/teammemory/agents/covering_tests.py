"""Which files are tests, which test file covers a file, and which of a window's commits changed it.

A test file is a path that one of `config.test_patterns` matches (globs as in components.py,
first match wins; the defaults are the conventions of Java, Kotlin, Scala, C#, Go, JS/TS, Ruby,
Rust and Python: docs/tests-and-fixes.md). A pattern's first `*` captures the name of the file
it tests: `**/*Test.java` makes `FooTest.java` a test of `Foo.java`, `**/test_*.py` makes
`test_foo.py` one of `foo.py`; a folder pattern (`**/src/test/**`) marks tests that cover no one
file by name.

The covering test of `dir/Foo.ext` is the known test file whose captured name is `Foo`, with
the same extension (or one of the same family: JVM languages, JS/TS), sharing the longest run of
leading folders with it once test/source folder names (src, main, test, tests, spec, lib, java,
...) are set aside, so `m/src/test/java/a/b/FooTest.java` covers `m/src/main/java/a/b/Foo.java`;
ties: fewer folders, then path. A test file has no test file of its own. Used by `risk` to say
whether risky code is tested. SQL: agents/sql/covering_tests.sql.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.config import DEFAULT_TEST_PATTERNS
from teammemory.store import Reader, queries, test_files

Q = queries.load("teammemory.agents.sql", "covering_tests.sql")
FAMILIES = ({"java", "kt", "kts", "scala", "groovy"}, {"js", "jsx", "ts", "tsx", "mjs", "cjs", "vue", "svelte"})
NEUTRAL = frozenset({"src", "main", "test", "tests", "spec", "specs", "lib", "java", "kotlin", "scala", "groovy",
                     "__tests__", "unit", "it", "integration", "testing"})


class PathRow(NamedTuple):
    path: str


class KindRow(NamedTuple):
    path: str
    test_kind: int
    test_name: str


class CommitRow(NamedTuple):
    repo: str
    hash: str


@dataclass(frozen=True)
class CoveringTest:
    path: str  # '' when none was found
    commits: frozenset[str]  # 'repo@hash' of the window's commits that changed it


def covering_tests(db: Reader, paths: Iterable[str], since: int, end: int,
                   patterns: Sequence[str] = DEFAULT_TEST_PATTERNS) -> dict[str, CoveringTest]:
    """Each path's test file and the window's commits (at or before `end`) that changed it."""
    known = stored_tests(db, patterns)
    out = {}
    for p in paths:
        t = find_in_index(p, known, patterns)
        hits = db.fetch(Q["path-commits"], CommitRow, path=t, since=since, now=end) if t else []
        out[p] = CoveringTest(t, frozenset(f"{r.repo}@{r.hash}" for r in hits))
    return out


def tested_name(path: str, patterns: Sequence[str] = DEFAULT_TEST_PATTERNS) -> str | None:
    """None when `path` is not a test file; else the name it tests ('' for none by name)."""
    return test_files.tested_name(path, patterns)


def is_test_path(path: str, patterns: Sequence[str] = DEFAULT_TEST_PATTERNS) -> bool:
    """True for a test file by convention (`patterns`: FooTest.java, foo_test.go, tests/...)."""
    return tested_name(path, patterns) is not None


def find_test_file(path: str, known: Iterable[str], patterns: Sequence[str] = DEFAULT_TEST_PATTERNS) -> str:
    """The test file of `path` by convention, among `known` paths; '' if none (or if it is a test)."""
    return find_in_index(path, index_tests(known, patterns), patterns)


TestIndex = dict[str, list[str]]  # the name a test tests -> its test files, sorted


# Per reader (one question's read transaction) and test patterns: the test index and each stored
# file's test kind, which one answer asks for up to three times (a file, then code and tests
# ranked apart), from one read of `files`.


def stored_tests(db: Reader, patterns: Sequence[str] = DEFAULT_TEST_PATTERNS) -> TestIndex:
    """The index of the store's test files: from files.test_kind/test_name when derive stored them
    under these patterns (store/test_files.py), else by matching every known path (the same index).
    Kept for the reader's life (read it, do not change it)."""
    def read() -> TestIndex:
        rows = _stored_rows(db, patterns)
        if rows is None:
            return index_tests((r.path for r in db.fetch(Q["known-paths"], PathRow)), patterns)
        by_name: dict[str, list[str]] = defaultdict(list)
        for path, name in sorted({(r.path, r.test_name) for r in rows if r.test_kind == 1}):
            if name:
                by_name[name].append(path)
        return dict(by_name)

    return db.kept(("covering_tests.index", tuple(patterns)), read)


def is_test_lookup(db: Reader, patterns: Sequence[str] = DEFAULT_TEST_PATTERNS) -> Callable[[str], bool]:
    """`is_test_path` for the thousands of paths of a window: the stored files.test_kind when
    derive stored it under these patterns (a dict lookup; a path's kind depends on the path
    alone), the globs for any other path or patterns. Kept for the reader's life."""
    kinds = db.kept(("covering_tests.kinds", tuple(patterns)),
                    lambda: {r.path: r.test_kind == 1 for r in _stored_rows(db, patterns) or ()})

    def is_test(path: str) -> bool:
        found = kinds.get(path)
        return is_test_path(path, patterns) if found is None else found

    return is_test


def _stored_rows(db: Reader, patterns: Sequence[str]) -> list[KindRow] | None:
    """Every file's stored test kind and name, or None when derive did not store them under these
    patterns (read once per reader)."""
    return db.kept(("covering_tests.rows", tuple(patterns)),
                   lambda: db.fetch(Q["test-kinds"], KindRow) if test_files.stored_for(db, patterns) else None)


def index_tests(known: Iterable[str], patterns: Sequence[str] = DEFAULT_TEST_PATTERNS) -> TestIndex:
    """Index the known test files once by the name each tests, for looking up many paths."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for p in sorted(set(known)):
        name = tested_name(p, patterns)
        if name:
            by_name[name].append(p)
    return dict(by_name)


def find_in_index(path: str, known: TestIndex, patterns: Sequence[str]) -> str:
    if is_test_path(path, patterns):
        return ""
    folder, name = posixpath.split(path)
    stem, ext = posixpath.splitext(name)
    found = [t for t in known.get(stem, ()) if _same_family(ext, posixpath.splitext(t)[1])]
    if not found:
        return ""
    mine = _folders(folder)

    def key(t: str) -> tuple[int, int, str]:
        theirs = _folders(posixpath.dirname(t))
        shared = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b),
                      min(len(mine), len(theirs)))
        return -shared, len(theirs), t

    return min(found, key=key)


def _folders(folder: str) -> list[str]:
    return [p for p in folder.split("/") if p and p not in NEUTRAL]


def _same_family(a: str, b: str) -> bool:
    a, b = a.lstrip(".").lower(), b.lstrip(".").lower()
    return a == b or any(a in f and b in f for f in FAMILIES)
