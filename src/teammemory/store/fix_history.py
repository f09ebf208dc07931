"""Each file's bug fixes over its whole history, under its name now, kept at ingest (migration 0015).

The risk signal `recent_fixes` (agents/risk_signals.py) fades every bug fix of a file's history,
so `file-risk`, `component-risk` and `risky-files` each read every bug fix's files and every
rename, addition and deletion of the store, and folded them across renames: ~0.9 s per question
on the 100,000-commit bench store. The fold is the same at every question up to the newest
commit, so it is kept instead: `risk_fix_files` holds its result for the whole store, kept up to
date inside every ingest's transaction (derive.refresh) when what it is made of changed (its mark
is the cursor ('derive', 'risk_fix_history')), and right after the migration. An ingest that only
adds commits newer than every commit seen folds just their fixes and moves into the rows they
touch (~50 ms for +100 commits on the 100k bench store, ~30 ms of it the mark, against ~0.45 s for
the whole fold); anything else (a reclassified or older commit, a deleted name coming back) folds
everything again.

`compute` is the fold itself (the exact path: an earlier `now`, or one repository of several,
recomputes it from the raw rows); `stored` reads the summary, which answers only when `now` is
at or after every commit's author and commit time (then no row is left out as of `now`).

Renames (`fold_renames`): a change counts under the file's later name when the file was renamed
afterwards among the facts; a file whose last change is a deletion is dropped.
"""

from __future__ import annotations

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
    """Bring the summary up to date; True when it changed. When the only change since the last
    refresh is commits newer than every commit it had seen (an incremental ingest), only their
    bug fixes and moves are folded into the rows they touch (`_fold_new`); otherwise, or when a
    touched name had a deletion before (its dropped fixes could come back), it is rebuilt."""
    known = _Mark.parse(db.scalar("select value from cursors where source = :s and target = :t",
                                  s=CURSOR[0], t=CURSOR[1]))
    mark, before = _marks(db, known.latest if known is not None else None)
    if known == mark:
        return False
    if known is None or known.latest is None or before != known or not _fold_new(db, known.latest):
        db.execute("delete from risk_fix_files")
        rows = [(p, json.dumps([t for t, _ in fs]), json.dumps([r for _, r in fs]))
                for p, fs in sorted(compute(db, FOREVER).items())]
        db.insert_rows("risk_fix_files", ("path", "times", "refs"), rows)
    db.execute("insert into cursors (source, target, value, updated_at) values (:s, :t, :v, 0)"
               " on conflict (source, target) do update set value = excluded.value",
               s=CURSOR[0], t=CURSOR[1], v=mark.dump())
    return True


class _Mark(NamedTuple):
    """What the fold was made of (the cursor's value): a digest of the bug fixes (ref and times, by
    commit time), how many commits there are and the newest commit time, and the moves (count
    and the sum of their times). A new, removed or reclassified commit changes one of them."""

    fixes: str
    commits: int
    latest: int | None
    moves: int
    moved: int

    @classmethod
    def parse(cls, value: str | None) -> _Mark | None:
        """The cursor's mark; None for none, or one written in an older form (then: rebuild)."""
        try:
            return cls(*json.loads(value)) if value else None
        except (ValueError, TypeError):
            return None

    def dump(self) -> str:
        return json.dumps(list(self))


class _FixLine(NamedTuple):
    committed_at: int
    line: str


class _Counts(NamedTuple):
    n: int
    upto: int
    total: int
    total_upto: int


def _marks(db: Reader, since: int | None) -> tuple[_Mark, _Mark | None]:
    """The mark of the store now, and (for `since`, the last mark's newest commit time) the mark
    of what the store holds up to `since`: equal to the last mark when nothing but newer commits
    came. The bug fixes in their index's order (both digests in one pass), index counts and
    lookups for the commits, one pass over the small table of moves."""
    import hashlib  # here, not at the top: the risk questions import this module, and hashlib costs a process ~5 ms

    cut = FOREVER if since is None else since
    fixes = db.fetch("select committed_at, repo || '@' || hash || ' ' || cast(authored_at as text) || ' '"
                     " || cast(committed_at as text) as line"
                     " from commits where is_bug_fix = 1 and is_merge = 0 order by repo, hash", _FixLine)
    digest = hashlib.sha256("\n".join(r.line for r in fixes).encode()).hexdigest()
    commits = int(db.scalar("select count(*) as n from commits"))
    latest = db.scalar("select max(committed_at) as t from commits")
    m = db.fetch_one("select count(*) as n, coalesce(sum(case when committed_at <= :cut then 1 else 0 end), 0) as upto,"
                     " coalesce(sum(committed_at), 0) as total,"
                     " coalesce(sum(case when committed_at <= :cut then committed_at else 0 end), 0) as total_upto"
                     " from file_moves", _Counts, cut=cut)
    assert m is not None
    now = _Mark(digest, commits, None if latest is None else int(latest), int(m.n), int(m.total))
    if since is None:
        return now, None
    kept = "\n".join(r.line for r in fixes if r.committed_at <= since)
    newer = int(db.scalar("select count(*) as n from commits where committed_at > :t", t=since))
    upto = db.scalar("select max(committed_at) as t from commits where committed_at <= :t", t=since)
    return now, _Mark(hashlib.sha256(kept.encode()).hexdigest(), commits - newer,
                      None if upto is None else int(upto), int(m.upto), int(m.total_upto))


# The bug fixes' files and the moves of the commits newer than :since (the commits' time index,
# then each one's rows by key), as _HISTORY has them.
_NEW = """
select c.repo || '@' || c.hash as ref, cf.path, cf.old_path, cf.change_type, c.authored_at, c.committed_at,
       1 as is_bug_fix
  from commits c cross join commit_files cf
 where c.committed_at > :since and c.is_bug_fix = 1 and c.is_merge = 0
   and cf.repo = c.repo and cf.hash = c.hash
union all
select m.repo || '@' || m.hash, m.path, m.old_path, m.change_type, m.authored_at, m.committed_at, 0
  from commits c cross join file_moves m
 where c.committed_at > :since and m.repo = c.repo and m.hash = c.hash"""


def _fold_new(db: Writer, since: int) -> bool:
    """Fold the commits newer than `since` (newer than every fact of the summary) into the rows
    they touch; False (nothing written) when the full fold is needed instead.

    Every new fact is later than every kept one, so a kept row stands for its file's history
    (its fixes, alive at `since`): a new rename of the file moves it, a new deletion drops it.
    Rows no new fact names (as path or old path) cannot change: a rename applies to the facts
    of its old name, and a name's older renames come first. A name deleted before (its fixes
    dropped) that a new fact names could take them back: then the full fold."""
    new = db.fetch(_NEW, HistoryRow, since=since)
    touched = {r.path for r in new} | {r.old_path for r in new if r.old_path}
    if not touched:
        return True
    kept = stored(db, touched)
    for marks, params in in_list(touched - set(kept), "p"):
        if db.fetch(f"select path, '' as times from file_moves where change_type = 'D'"
                    f" and committed_at <= :since and path in ({marks}) limit 1", TimesRow, since=since, **params):
            return False
    facts = [HistoryRow(ref, path, "", "M", at, since, 1) for path, fs in kept.items() for at, ref in fs]
    when = {f.ref: f.committed_at for f in facts} | {r.ref: r.committed_at for r in new}
    fixes = {f.ref: f.authored_at for f in facts} | {r.ref: r.authored_at for r in new if r.is_bug_fix}
    rows = []
    for path, fs in sorted(fold_renames(facts + new, when).items()):
        mine = sorted({(fixes[f.ref], f.ref) for f in fs if f.ref in fixes})
        if mine:
            rows.append((path, json.dumps([t for t, _ in mine]), json.dumps([r for _, r in mine])))
    for marks, params in in_list(touched, "p"):
        db.execute(f"delete from risk_fix_files where path in ({marks})", **params)
    db.insert_rows("risk_fix_files", ("path", "times", "refs"), rows)
    return True
