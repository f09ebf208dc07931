"""Which test file covers a file, by naming convention, and which of a window's commits changed it.

Conventions, first match wins: tests/<subpath>/test_<name> (or test/), test_<name> anywhere under
tests/ (first by path), <name>_test beside the file, else <name>_test anywhere (first by path).
A test file has no test file of its own. Used by `risk` to say whether risky code is tested.
SQL: agents/sql/covering_tests.sql.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "covering_tests.sql")


class PathRow(NamedTuple):
    path: str


class CommitRow(NamedTuple):
    repo: str
    hash: str


@dataclass(frozen=True)
class CoveringTest:
    path: str  # '' when none was found
    commits: frozenset[str]  # 'repo@hash' of the window's commits that changed it


def covering_tests(db: Reader, paths: Iterable[str], since: int, end: int) -> dict[str, CoveringTest]:
    """Each path's test file and the window's commits that changed it. Every name `find_test_file`
    can answer contains 'test', so only such paths are read (`test-paths`)."""
    known = _index_tests(r.path for r in db.fetch(Q["test-paths"], PathRow))
    out = {}
    for p in paths:
        t = _find_test(p, known)
        hits = db.fetch(Q["path-commits"], CommitRow, path=t, since=since, now=end) if t else []
        out[p] = CoveringTest(t, frozenset(f"{r.repo}@{r.hash}" for r in hits))
    return out


def is_test_path(path: str) -> bool:
    """True for a test file by convention: test_x.py, x_test.go, anything under tests/ or test/."""
    name = posixpath.basename(path)
    return name.startswith("test_") or posixpath.splitext(name)[0].endswith("_test") \
        or path.startswith(("tests/", "test/"))


def find_test_file(path: str, known: Iterable[str]) -> str:
    """The test file of `path` by convention, among `known` paths; '' if none (or if it is a test)."""
    return _find_test(path, _index_tests(known))


TestFiles = tuple[frozenset[str], dict[str, list[str]]]  # known paths, and by file name (sorted)


def _index_tests(known: Iterable[str]) -> TestFiles:
    """Index the known paths once, for looking up the test files of many paths."""
    pool = frozenset(known)
    by_name: dict[str, list[str]] = defaultdict(list)
    for p in sorted(pool):
        by_name[posixpath.basename(p)].append(p)
    return pool, dict(by_name)


def _find_test(path: str, known: TestFiles) -> str:
    """`find_test_file` over indexed paths: tests/<subpath>/test_<name>, test_<name> anywhere under
    tests/ (first by path), <name>_test beside it, else anywhere (first by path)."""
    pool, by_name = known
    folder, name = posixpath.split(path)
    stem, ext = posixpath.splitext(name)
    if is_test_path(path):
        return ""
    rest = path.split("/", 1)[1] if "/" in path else path
    for top in ("tests", "test"):
        for sub in (posixpath.dirname(rest), folder):
            cand = posixpath.join(top, sub, "test_" + name)
            if cand in pool:
                return cand
    under = [p for p in by_name.get("test_" + name, ()) if p.startswith(("tests/", "test/"))]
    if under:
        return under[0]
    if posixpath.join(folder, f"{stem}_test{ext}") in pool:
        return posixpath.join(folder, f"{stem}_test{ext}")
    anywhere = by_name.get(f"{stem}_test{ext}", [])
    return anywhere[0] if anywhere else ""
