"""Each file's bug fixes over its whole history, under its name now, kept at ingest (migration 0015).

The risk signal `recent_fixes` (agents/risk_signals.py) fades every bug fix of a file's history,
so `file-risk`, `component-risk` and `risky-files` each read every bug fix's files and every
rename, addition and deletion of the store, and folded them across renames: ~0.9 s per question
on the 100,000-commit bench store. The fold is the same at every question up to the newest
commit, so it is kept instead: `risk_fix_files` holds its result for the whole store, rebuilt
inside every ingest's transaction (derive.refresh) when what it is made of changed (its
fingerprint is the cursor ('derive', 'risk_fix_history')), and right after the migration.

`compute` is the fold itself (the exact path: an earlier `now`, or one repository of several,
recomputes it from the raw rows); `stored` reads the summary, which answers only when `now` is
at or after every commit's author and commit time (then no row is left out as of `now`).

Renames (`fold_renames`): a change counts under the file's later name when the file was renamed
afterwards among the facts; a file whose last change is a deletion is dropped.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple, Protocol, TypeVar

from teammemory.store import Reader, Writer
from teammemory.store.queries import in_list

CURSOR = ("derive", "risk_fix_history")
Fixes = dict[str, list[tuple[int, str]]]  # path -> its bug fixes (authored at, 'repo@hash'), oldest first

# The bug fixes' files, and every rename, addition and deletion (file_moves, the ~4 % of
# commit_files rows that are not modifications: to follow renames and drop the files deleted
# since). `is_bug_fix` tells the fixes apart; a fix's own move is listed twice, harmlessly.
_HISTORY = """
select c.repo || '@' || c.hash as ref, cf.path, cf.old_path, cf.change_type, c.authored_at, c.committed_at,
       1 as is_bug_fix
  from commits c cross join commit_files cf
 where c.is_bug_fix = 1 and c.is_merge = 0 and c.authored_at <= :now and c.committed_at <= :now
   and cf.repo = c.repo and cf.hash = c.hash
union all
select m.repo || '@' || m.hash, m.path, m.old_path, m.change_type, m.authored_at, m.committed_at, 0
  from file_moves m
 where m.authored_at <= :now and m.committed_at <= :now"""
FOREVER = 2**62


class Fact(Protocol):
    """What fold_renames reads of a change (risk_window.FactRow, HistoryRow)."""

    @property
    def ref(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def old_path(self) -> str: ...
    @property
    def change_type(self) -> str: ...


F = TypeVar("F", bound=Fact)


class HistoryRow(NamedTuple):
    ref: str
    path: str
    old_path: str
    change_type: str
    authored_at: int
    committed_at: int
    is_bug_fix: int


class TimesRow(NamedTuple):
    path: str
    times: str


class FixRow(NamedTuple):
    path: str
    times: str
    refs: str


def fold_renames(facts: Sequence[F], when: Mapping[str, int]) -> dict[str, list[F]]:
    """Pure: the facts by the name each counts for: a change counts under the file's later name
    when the file was renamed afterwards (`when`: committed_at of each ref) among the facts;
    files whose last change (greatest (committed_at, change_type)) is a deletion are dropped:
    they are not there to be risky. This runs over every change of a window, so the common
    case (a name never renamed away, never deleted) costs one append."""
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for f in facts:
        if f.old_path and f.old_path != f.path:
            found[f.old_path].append((when[f.ref], f.path))
    renames = {old: sorted(later) for old, later in found.items()}
    files: dict[str, list[F]] = defaultdict(list)
    deleted: set[str] = set()
    for f in facts:
        path = f.path
        if path in renames:
            path = _final(path, when[f.ref], renames)
        files[path].append(f)
        if f.change_type == "D":
            deleted.add(path)
    for path in deleted:
        if max([(-1, "")] + [(when[f.ref], f.change_type) for f in files[path]])[1] == "D":
            del files[path]
    return dict(files)


def _final(path: str, at: int, renames: Mapping[str, list[tuple[int, str]]]) -> str:
    """Follow the earliest rename at or after `at` (ties: new name), then the next, and so on;
    each name's renames are sorted by (time, new name)."""
    for _ in range(100):  # a guard against rename cycles
        later = renames.get(path, ())
        i = bisect_left(later, (at,))
        if i == len(later):
            break
        at, path = later[i]
    return path


def compute(db: Reader, now: int, repo: str | None = None) -> Fixes:
    """Each file alive at `now` (by its name then) -> its bug fixes (authored at, 'repo@hash'),
    oldest first (of `repo`, or all), from the raw rows."""
    rows = db.fetch(_HISTORY, HistoryRow, now=now)
    if repo is not None:
        rows = [r for r in rows if r.ref.rpartition("@")[0] == repo]
    fixes = {r.ref: r.authored_at for r in rows if r.is_bug_fix}
    reach = {r.path for r in rows if r.is_bug_fix}  # the names fixed files had, and later took
    grew = True
    while grew:
        later = {r.path for r in rows if r.old_path in reach and r.path not in reach}
        grew, reach = bool(later), reach | later
    rows = [r for r in rows if r.path in reach or r.old_path in reach]
    when = {r.ref: r.committed_at for r in rows}
    out: Fixes = {}
    for path, fs in fold_renames(rows, when).items():
        mine = sorted({(fixes[f.ref], f.ref) for f in fs if f.ref in fixes})
        if mine:
            out[path] = mine
    return out


def answers(db: Reader, now: int, repo: str | None = None) -> bool:
    """Whether the summary gives `compute(db, now, repo)`: it was built (the cursor), `now` leaves
    no commit out, and `repo` is None or the store's only repository."""
    if db.scalar("select value from cursors where source = :s and target = :t", s=CURSOR[0], t=CURSOR[1]) is None:
        return False
    for column in ("authored_at", "committed_at"):  # one max() each: an index lookup, not a scan
        latest = db.scalar(f"select max({column}) as t from commits")
        if latest is not None and int(latest) > now:
            return False
    if repo is None:
        return True
    first = db.scalar("select repo from commits order by repo limit 1")
    last = db.scalar("select repo from commits order by repo desc limit 1")
    return first is None or first == last == repo


def stored_times(db: Reader) -> dict[str, list[int]]:
    """Each file's bug-fix times (authored at, in `Fixes` order) from the summary."""
    rows = db.fetch("select path, times from risk_fix_files", TimesRow)
    every = json.loads("[" + ",".join(r.times for r in rows) + "]")  # one parse, not one per file
    return {r.path: times for r, times in zip(rows, every, strict=True)}


def stored(db: Reader, paths: Iterable[str]) -> Fixes:
    """These files' bug fixes from the summary (files with none left out)."""
    out: Fixes = {}
    for marks, params in in_list(paths, "p"):
        for r in db.fetch(f"select path, times, refs from risk_fix_files where path in ({marks})", FixRow, **params):
            out[r.path] = list(zip(json.loads(r.times), json.loads(r.refs), strict=True))
    return out


def refresh(db: Writer) -> bool:
    """Rebuild the summary when what it is made of changed; True when it did."""
    mark = fingerprint(db)
    known = db.scalar("select value from cursors where source = :s and target = :t", s=CURSOR[0], t=CURSOR[1])
    if known == mark:
        return False
    db.execute("delete from risk_fix_files")
    rows = [(p, json.dumps([t for t, _ in fs]), json.dumps([r for _, r in fs]))
            for p, fs in sorted(compute(db, FOREVER).items())]
    db.insert_rows("risk_fix_files", ("path", "times", "refs"), rows)
    db.execute("insert into cursors (source, target, value, updated_at) values (:s, :t, :v, 0)"
               " on conflict (source, target) do update set value = excluded.value",
               s=CURSOR[0], t=CURSOR[1], v=mark)
    return True


def fingerprint(db: Reader) -> str:
    """What the fold is made of, in one digest, from indexes and one small table: the bug fixes
    (ref and times: commits_fixes), how many commits there are and the newest commit time, and
    the moves (count and times). A new, removed or reclassified commit changes one of them."""
    h = hashlib.sha256()
    for r in db.iterate("select repo, hash, authored_at, committed_at from commits"
                        " where is_bug_fix = 1 and is_merge = 0 order by repo, hash"):
        h.update(f"{r['repo']}@{r['hash']} {r['authored_at']} {r['committed_at']}\n".encode())
    for sql in ("select count(*) as n from commits", "select max(committed_at) as n from commits",
                "select count(*) as n from file_moves", "select coalesce(sum(committed_at), 0) as n from file_moves"):
        h.update(f"{db.scalar(sql)}\n".encode())
    return h.hexdigest()
