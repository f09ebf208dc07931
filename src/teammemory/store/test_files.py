"""Which stored files are tests, and the name of the file each tests, kept on `files` (migration 0010).

Matching every known path against the configured test globs (38 by default) took ~135 ms per
question on a store of 7,000 paths, twice in `risky-files`. Derive does it once per new file
instead: `files.test_kind` (-1 not derived, 0 not a test, 1 a test) and `files.test_name` (the
name of the file it tests, '' for a test of no one file by name). The patterns that derived them
are the cursor ('derive', 'test_patterns'); other patterns re-derive every file on the next
ingest, and until then `stored_for` says the stored column does not answer for them (the agent
matches the globs itself: the answer never depends on when the patterns changed).

The matching rule (`tested_name`) is the one of agents/covering_tests.py, which re-exports it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from teammemory.components import compile_glob
from teammemory.store import Reader, Writer

CURSOR = ("derive", "test_patterns")


def tested_name(path: str, patterns: Sequence[str]) -> str | None:
    """None when `path` is not a test file; else the name it tests ('' for none by name).
    First matching pattern wins; a pattern's first `*` captures the name."""
    for glob in patterns:
        m = compile_glob(glob).fullmatch(path)
        if m:
            return m.group(1) if m.groups() and m.group(1) else ""
    return None


def fingerprint(patterns: Sequence[str]) -> str:
    return json.dumps(list(patterns))


def refresh(db: Writer, patterns: Sequence[str]) -> int:
    """Derive the test columns of the files not derived yet (all of them when the patterns
    changed); returns how many files were derived."""
    same = _stored_patterns(db) == fingerprint(patterns)
    rows = db.all("select repo, path from files" + (" where test_kind = -1" if same else ""))
    updates = []
    for r in rows:
        name = tested_name(str(r["path"]), patterns)
        updates.append({"repo": r["repo"], "path": r["path"], "kind": int(name is not None), "name": name or ""})
    db.executemany("update files set test_kind = :kind, test_name = :name where repo = :repo and path = :path",
                   updates)
    if not same:
        db.execute("insert into cursors (source, target, value, updated_at) values (:s, :t, :v, 0)"
                   " on conflict (source, target) do update set value = excluded.value",
                   s=CURSOR[0], t=CURSOR[1], v=fingerprint(patterns))
    return len(updates)


def stored_for(db: Reader, patterns: Sequence[str]) -> bool:
    """True when the stored test columns were derived by `patterns` and every file has them."""
    if _stored_patterns(db) != fingerprint(patterns):
        return False
    return db.scalar("select 1 as x from files where test_kind = -1 limit 1") is None


def _stored_patterns(db: Reader) -> str | None:
    value = db.scalar("select value from cursors where source = :s and target = :t", s=CURSOR[0], t=CURSOR[1])
    return None if value is None else str(value)
