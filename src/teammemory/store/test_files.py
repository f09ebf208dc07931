"""Which stored files are tests, and the name of the file each tests, kept on `files` (migration 0010).

Matching every known path against the configured test globs (38 by default) took ~135 ms per
question on a store of 7,000 paths, twice in `risky-files`. Derive does it once per new file
instead: `files.test_kind` (-1 not derived, 0 not a test, 1 a test) and `files.test_name` (the
name of the file it tests, '' for a test of no one file by name). The patterns that derived them
are the cursor ('derive', 'test_patterns'); other patterns re-derive every file on the next
ingest, and until then `stored_for` says the stored column does not answer for them (the agent
matches the globs itself: the answer never depends on when the patterns changed).

The matching rule (`tested_name`) is the one of agents/covering_tests.py, which re-exports it: the
globs in order, first match wins, compiled into one regex (`_matcher`: 0.25 s -> 0.09 s for
BookKeeper's ~10,000 paths; tests/store/test_test_files.py checks it against one glob at a time).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache

from teammemory.components import compile_glob
from teammemory.store import Reader, Writer

CURSOR = ("derive", "test_patterns")


def tested_name(path: str, patterns: Sequence[str]) -> str | None:
    """None when `path` is not a test file; else the name it tests ('' for none by name).
    First matching pattern wins; a pattern's first `*` captures the name."""
    rx, first = _matcher(tuple(patterns))
    m = rx.fullmatch(path)
    if m is None:
        return None
    group = first[m.lastgroup or ""]
    return (m.group(group) or "") if group else ""


@lru_cache(maxsize=16)
def _matcher(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, int]]:
    """All the globs as one regex, one named group per alternative, and the number of the capture
    group that names the tested file when that alternative matches (0: none). A fullmatch tries
    the alternatives in order, so the one that matches holds the first glob that matches alone,
    with the captures it has alone: one regex scan per path instead of one per glob (38 by
    default, ~4x faster on BookKeeper's paths). Consecutive globs share their scan of the folders:

    - `**/TAIL` whose TAIL matches within one name (no `/`, no `**`): `(?:[^/]+/)*+(?:TAIL|...)`,
      the possessive `*+` exact since such a TAIL can only match after the last `/`;
    - globs without captures (`**/src/test/**`, `tests/**`): which of them matches changes
      nothing (a test, of no file by name), so they are one alternative, a union whose `**/`
      prefix is written once."""
    parts: list[str] = []
    first: dict[str, int] = {}
    run: list[tuple[str, re.Pattern[str]]] = []  # consecutive globs of one kind
    kind = ""
    groups = 0  # capture groups opened so far

    def close() -> None:
        nonlocal groups
        if not run:
            return
        name = f"g{len(first)}"
        if kind != "plain":  # each glob its own group
            alts = []
            for _, one in run:
                alts.append(f"(?P<{name}>{one.pattern})")
                first[name] = groups + 2 if one.groups else 0
                groups += 1 + one.groups
                name = f"g{len(first)}"
            parts.append(_DIRS + "(?:" + "|".join(alts) + ")" if kind == "tail" else alts[0])
        else:
            deep = [one.pattern for glob, one in run if glob.startswith("**/")]
            flat = [one.pattern for glob, one in run if not glob.startswith("**/")]
            union = ([_DIRS_ANY + "(?:" + "|".join(deep) + ")"] if deep else []) + flat
            parts.append(f"(?P<{name}>" + "|".join(union) + ")")
            first[name] = 0
            groups += 1
        run.clear()

    for glob in patterns:
        tail = glob[3:] if glob.startswith("**/") else ""
        if tail and "/" not in tail and "**" not in tail:
            this, one = "tail", compile_glob(tail)
        else:
            one = compile_glob(glob)
            this = "plain" if not one.groups else "own"
            if this == "plain" and glob.startswith("**/"):
                one = compile_glob(tail)
        if this != kind or this == "own":
            close()
        kind = this
        run.append((glob, one))
    close()
    return re.compile("|".join(parts) or "(?!)"), first


_DIRS = "(?:[^/]+/)*+"  # compile_glob's `**/`, possessive
_DIRS_ANY = "(?:[^/]+/)*"  # compile_glob's `**/`


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
