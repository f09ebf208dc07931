"""The history replayed across renames, kept at ingest (migration 0011's tables).

bus-factor and coupling need every file as one file across its renames. Replaying the whole
history per question cost 4.5-5 s on 100,000 commits; the replay is the same at every ingest up
to its last commit, so it is kept instead: `file_lineage` gives each (non-merge commit, path)
row its file (`root`), and the tables around it hold what the two questions count (per commit:
distinct files, authors; per file: its path and component after the last commit, its creator,
its changes per set of authors; per scope: the commits that changed its existing files).

The replay (`step`, also what agents/file_history.py replays with for an earlier `now`): commits
by (committed_at, repo, hash); within a commit renames, then deletions, then additions and
copies, then modifications, by path. A rename carries a file's identity to its new name, a
deletion ends it, a change to a name not alive starts a new file (created by that commit when
it adds or copies). Repositories are replayed apart (a file never crosses one).

Kept incrementally (`refresh`, in derive.refresh's transaction): when a repository's new commits
all come after its last replayed one, the replay goes on from the stored state (alive paths,
next numbers); otherwise (a rewritten history, a commit that sorts earlier) the repository is
replayed again from its first commit. Scopes are restated for the commits of files whose path or
component changed; after an extension, coupling's PR and issue sets are rebuilt only for the PRs
and issues the new commits reach (store/lineage_sets.py).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar

from teammemory.store import Writer, lineage_sets
from teammemory.store.queries import in_list

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=NamedTuple)


class _Change(NamedTuple):
    hash: str
    path: str
    old_path: str
    change_type: str


class _Author(NamedTuple):
    hash: str
    identity_key: str

ORDER = {"R": 0, "D": 1, "A": 2, "C": 2}  # anything else (M) after these, within one commit
TABLES = ("file_lineage", "lineage_commits", "lineage_files", "lineage_scopes", "lineage_scope_counts", "lineage_sets",
          "lineage_set_sizes", "lineage_revisions", "lineage_names", "lineage_state")
FULL = 2000  # restating more commits than this rewrites the repository's scopes in one statement


def step(alive: dict[K, int], here: K, old: K | None, change_type: str, new: Callable[[], int]) -> tuple[int, bool]:
    """The file a change belongs to, updating `alive` (name -> file); True when the change
    created it. `old`: the name renamed from (None unless a rename from another name)."""
    if change_type == "R" and old is not None:
        file = alive.pop(old, None)
        alive[here] = file = new() if file is None else file
        return file, False
    if change_type == "D":
        gone = alive.pop(here, None)
        return (new() if gone is None else gone), False
    if here not in alive:
        alive[here] = file = new()
        return file, change_type in ("A", "C")
    return alive[here], False


def change_order(change_type: str, path: str) -> tuple[int, str]:
    return ORDER.get(change_type, 3), path


# The commits not replayed yet: found on the commits' key alone (SQLite reads its index, not the
# rows: 0.08 s instead of 1.3 s at 100,000 commits), then read for those few.
_NEW = """select c.hash, c.committed_at from commits c
 where c.repo = :repo and c.is_merge = 0 and c.hash in (
   select k.hash from commits k where k.repo = :repo
      and not exists (select 1 from lineage_commits l where l.repo = k.repo and l.hash = k.hash))"""
# The new commits' rows: `{new}` is the anti-join above, or for a few new commits their hashes
# (`c.hash in (...)`: index lookups instead of a pass over every commit, ~1 s at 100,000).
_NOT_REPLAYED = "not exists (select 1 from lineage_commits l where l.repo = c.repo and l.hash = c.hash)"
_NEW_ROWS = """select c.hash, cf.path, cf.old_path, cf.change_type
  from commits c cross join commit_files cf
 where c.repo = :repo and c.is_merge = 0 and cf.repo = c.repo and cf.hash = c.hash
   and {new}"""
_NEW_AUTHORS = """select distinct c.hash, cp.identity_key
  from commits c cross join commit_people cp
 where c.repo = :repo and c.is_merge = 0 and cp.repo = c.repo and cp.hash = c.hash
   and cp.role in ('author', 'co-author')
   and {new}"""
FEW = 5000  # new commits read by their hashes; more: by the anti-join
_GONE = """select 1 as x from lineage_commits l
 where l.repo = :repo and not exists (select 1 from commits c where c.repo = l.repo and c.hash = l.hash)
 limit 1"""
_SCOPES = """insert into lineage_scopes (repo, scope, keyset, hash)
select distinct l.repo, {scope}, c.keyset, l.hash
  from file_lineage l
  join lineage_files f on f.repo = l.repo and f.root = l.root
  join lineage_commits c on c.repo = l.repo and c.hash = l.hash
 where l.repo = :repo and f.path <> '' {where}"""


def refresh(db: Writer) -> None:
    """Bring every repository's replay up to its newest commits and components."""
    repos = {str(r["repo"]) for r in db.all("select distinct repo from commits where is_merge = 0")}
    repos |= {str(r["repo"]) for r in db.all("select repo from lineage_state")}
    for repo in sorted(repos):
        refresh_repo(db, repo)


def refresh_repo(db: Writer, repo: str) -> None:
    state = db.one("select committed_at, hash, next_root, next_seq, sets from lineage_state where repo = :repo",
                   repo=repo)
    new = [(int(r["committed_at"]), str(r["hash"])) for r in db.all(_NEW, repo=repo)]
    last = (int(state["committed_at"]), str(state["hash"])) if state else (0, "")
    if state is not None and (db.scalar(_GONE, repo=repo) is not None or any(n <= last for n in new)):
        for table in TABLES:  # replay the repository again from its first commit
            db.execute(f"delete from {table} where repo = :repo", repo=repo)
        state, new = None, [(int(r["committed_at"]), str(r["hash"])) for r in db.all(_NEW, repo=repo)]
    if state is None and not new:
        return
    changed, names, scopes = _extend(db, repo, new, state) if new else (set(), set(), None)
    restated = _restate_components(db, repo)  # none after a replay from the first commit: it read them
    _restate_scopes(db, repo, changed | restated, {h for _, h in new}, full=state is None,
                    rows=None if restated else scopes)
    # coupling's PR and issue change sets: after an extension, only those the new commits change
    lineage_sets.refresh(db, repo, [h for _, h in new] if state is not None else (), names)


Scope = tuple[str, str, int, str]  # a lineage_scopes row: (repo, scope, keyset, hash)


def _extend(db: Writer, repo: str, new: list[tuple[int, str]], state: Any
            ) -> tuple[set[int], set[str], list[Scope] | None]:
    """Replay the new commits from the stored state; returns the files whose path changed, the
    paths whose latest file changed (lineage_names) and, for a replay from the first commit (no
    `state`), the repository's scope rows (`scope_rows`)."""
    at = dict((h, t) for t, h in new)
    rows = sorted(_new_rows(db, repo, _NEW_ROWS, _Change, at),
                  key=lambda r: (at[r.hash], r.hash, ORDER.get(r.change_type, 3), r.path))
    keys: dict[str, list[str]] = defaultdict(list)
    for a in _new_rows(db, repo, _NEW_AUTHORS, _Author, at):
        keys[a.hash].append(a.identity_key)
    named = {h: " ".join(sorted(set(v))) for h, v in keys.items()}
    ids = _keysets(db, set(named.values()) | {""})
    authors = {h: ids[named.get(h, "")] for _, h in new}
    alive = {str(r["path"]): int(r["root"]) for r in
             db.all("select path, root from lineage_files where repo = :repo and path <> ''", repo=repo)}
    before = dict(alive)
    first_root = next_root = int(state["next_root"]) if state else 0
    seq = int(state["next_seq"]) if state else 0

    def fresh() -> int:
        nonlocal next_root
        next_root += 1
        return next_root - 1

    replayed: list[int] = []  # each row's file
    names: dict[str, int] = {}
    roots_of: dict[str, set[int]] = defaultdict(set)
    changes: Counter[tuple[int, int]] = Counter()
    created: dict[int, str] = {}
    for r in rows:
        h, path, old = r.hash, r.path, r.old_path
        root, made = step(alive, path, old if old and old != path else None, r.change_type, fresh)
        if made:
            created[root] = h
        names[path] = root
        replayed.append(root)
        seq += 1
        roots_of[h].add(root)
        changes[(root, authors[h])] += 1
    lineage = ((repo, r.hash, root, len(roots_of[r.hash]), at[r.hash]) for r, root in zip(rows, replayed, strict=True))
    db.insert_rows("file_lineage", ("repo", "hash", "root", "files", "committed_at"), lineage)  # rows made as written
    renamed = _write_names(db, repo, names, fresh=state is None)
    db.insert_rows("lineage_commits", ("repo", "hash", "committed_at", "files", "keyset"),
                   [(repo, h, t, len(roots_of.get(h, ())), authors[h]) for t, h in sorted(new)])
    sizes = Counter((root, len(roots)) for roots in roots_of.values() for root in roots)
    _add_revisions(db, repo, sizes)
    path_of = {root: path for path, root in alive.items()}
    was = {root: path for path, root in before.items()}
    moved = {root for root in set(was) | set(path_of) if path_of.get(root, "") != was.get(root, "")}
    moved |= set(range(first_root, next_root))
    touched = moved | {root for root, _ in changes}
    component = {str(r["path"]): str(r["component"]) for r in
                 db.all("select path, component from files where repo = :repo", repo=repo)}
    _write_files(db, repo, {root: path_of.get(root, "") for root in touched}, created, changes, component)
    scopes = None if state else scope_rows(repo, roots_of, authors, {
        root: component.get(path, "") for path, root in alive.items()})
    db.execute("delete from lineage_state where repo = :repo", repo=repo)
    last_at, last_hash = max(new)
    db.insert_rows("lineage_state", ("repo", "committed_at", "hash", "next_root", "next_seq", "sets"),
                   [(repo, last_at, last_hash, next_root, seq, str(state["sets"]) if state else "")])
    return moved, renamed, scopes


def scope_rows(repo: str, roots_of: dict[str, set[int]], keyset: dict[str, int],
               component: dict[int, str]) -> list[Scope]:
    """Pure: what _SCOPES selects once the whole history is replayed, from the replay itself (at
    100,000 commits the two statements' three-table joins took ~3 s; these rows and their insert
    take ~0.5 s less, the lineage helper 10.3 -> 9.8 s): each commit that changed a file still
    alive (`component`: the alive files' components) belongs to the repository's scope ('') and
    to the components of those files, with its set of authors."""
    rows: set[Scope] = set()
    for h, roots in roots_of.items():
        alive = [component[root] for root in roots if root in component]
        if alive:
            rows.add((repo, "", keyset[h], h))
            rows.update((repo, c, keyset[h], h) for c in alive if c)
    return sorted(rows)


def _new_rows(db: Writer, repo: str, query: str, row: type[R], new: dict[str, int]) -> list[R]:
    """`query`'s rows for the commits `new` (the ones not replayed yet)."""
    if len(new) > FEW:
        return db.fetch(query.format(new=_NOT_REPLAYED), row, repo=repo)
    return [r for marks, part in in_list(new, "h")
            for r in db.fetch(query.format(new=f"c.hash in ({marks})"), row, repo=repo, **part)]


def _write_names(db: Writer, repo: str, names: dict[str, int], *, fresh: bool) -> set[str]:
    """Upsert each path's latest file; returns the paths whose file is new or another (`fresh`: a
    replay from the first commit, no names stored)."""
    were: dict[str, int] = {}
    for marks, part in in_list(() if fresh else names, "p"):
        were |= {str(r["path"]): int(r["root"]) for r in db.all(
            f"select path, root from lineage_names where repo = :repo and path in ({marks})", repo=repo, **part)}
    mark = "?" if db.dialect == "sqlite" else "%s"
    db.executemany_raw(f"insert into lineage_names (repo, path, root) values ({mark}, {mark}, {mark})"
                       " on conflict (repo, path) do update set root = excluded.root",
                       [(repo, p, root) for p, root in sorted(names.items())])
    return {p for p, root in names.items() if were.get(p) != root}


def _keysets(db: Writer, wanted: set[str]) -> dict[str, int]:
    """The number of each set of authors, numbering the sets not seen before."""
    known = {str(r["authors"]): int(r["id"]) for r in db.all("select id, authors from lineage_keysets")}
    start = max(known.values(), default=-1) + 1
    fresh = sorted(wanted - set(known))
    db.insert_rows("lineage_keysets", ("id", "authors"), [(start + i, a) for i, a in enumerate(fresh)])
    return known | {a: start + i for i, a in enumerate(fresh)}


def _add_revisions(db: Writer, repo: str, sizes: Counter[tuple[int, int]]) -> None:
    """Add commits to the commit level's (file, size) counts."""
    mark = "?" if db.dialect == "sqlite" else "%s"
    db.executemany_raw(f"insert into lineage_revisions (repo, level, root, files, sets) values ({mark}, 'commit',"
                       f" {mark}, {mark}, {mark}) on conflict (repo, level, root, files) do update"
                       " set sets = lineage_revisions.sets + excluded.sets",
                       [(repo, root, n, count) for (root, n), count in sorted(sizes.items())])


def _write_files(db: Writer, repo: str, paths: dict[int, str], created: dict[int, str],
                 changes: Counter[tuple[int, int]], component: dict[str, str]) -> None:
    """Upsert the files whose path changed, that are new or that new commits changed: their path
    and component now (`component`: the repository's files'), and their changes per set of
    authors added to the stored ones."""
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    none = db.scalar("select 1 as x from lineage_files where repo = :repo limit 1", repo=repo) is None
    for marks, part in in_list(() if none else paths, "r"):  # a first replay has no stored counts to add to
        for r in db.all(f"select root, changes from lineage_files where repo = :repo and root in ({marks})",
                        repo=repo, **part):
            counts[int(r["root"])].update({int(k): int(n) for k, n in json.loads(str(r["changes"]))})
    for (root, keyset), n in changes.items():
        counts[root][keyset] += n
    mark = "?" if db.dialect == "sqlite" else "%s"
    db.executemany_raw(f"insert into lineage_files (repo, root, path, component, created, changes) values ({mark},"
                       f" {mark}, {mark}, {mark}, {mark}, {mark}) on conflict (repo, root) do update"
                       " set path = excluded.path, component = excluded.component, changes = excluded.changes",
                       [(repo, root, p, component.get(p, "") if p else "", created.get(root, ""),
                         json.dumps(sorted(counts[root].items()), separators=(",", ":")))
                        for root, p in sorted(paths.items())])


def _restate_components(db: Writer, repo: str) -> set[int]:
    """Files whose component changed since the replay recorded it (new rules, a new layout)."""
    rows = db.all("select lf.root, coalesce(fi.component, '') as component from lineage_files lf"
                  " left join files fi on fi.repo = lf.repo and fi.path = lf.path"
                  " where lf.repo = :repo and lf.path <> '' and lf.component <> coalesce(fi.component, '')", repo=repo)
    db.executemany("update lineage_files set component = :component where repo = :repo and root = :root",
                   [{"repo": repo, "root": r["root"], "component": r["component"]} for r in rows])
    return {int(r["root"]) for r in rows}


def _restate_scopes(db: Writer, repo: str, roots: set[int], commits: set[str], *, full: bool,
                    rows: list[Scope] | None = None) -> None:
    """Rewrite the scope rows of the new commits and of the commits of these files (`rows`: all
    of them, from a replay from the first commit whose components nothing restated since)."""
    if full and rows is not None:
        db.execute("delete from lineage_scopes where repo = :repo", repo=repo)
        db.insert_rows("lineage_scopes", ("repo", "scope", "keyset", "hash"), rows)
        db.execute("delete from lineage_scope_counts where repo = :repo", repo=repo)
        counts = Counter((scope, keyset) for _, scope, keyset, _ in rows)
        db.insert_rows("lineage_scope_counts", ("repo", "scope", "keyset", "commits"),
                       [(repo, scope, keyset, n) for (scope, keyset), n in sorted(counts.items())])
        return
    for marks, part in in_list(() if full else roots):  # a full rewrite needs no list of commits
        commits |= {str(r["hash"]) for r in db.all(
            f"select distinct hash from file_lineage where repo = :repo and root in ({marks})", repo=repo, **part)}
    if full or len(commits) > FULL:
        db.execute("delete from lineage_scopes where repo = :repo", repo=repo)
        _insert_scopes(db, repo, "", {})
        _count_scopes(db, repo, None)
        return
    keysets: set[int] = set()
    for marks, part in in_list(commits):
        keysets |= {int(r["keyset"]) for r in db.all(
            f"select distinct keyset from lineage_commits where repo = :repo and hash in ({marks})", repo=repo, **part)}
        db.execute(f"delete from lineage_scopes where repo = :repo and hash in ({marks})", repo=repo, **part)
        _insert_scopes(db, repo, f"and l.hash in ({marks})", part)
    _count_scopes(db, repo, keysets)


def _count_scopes(db: Writer, repo: str, keysets: set[int] | None) -> None:
    """Recount lineage_scope_counts for these sets of authors (None: all of them)."""
    count = ("insert into lineage_scope_counts (repo, scope, keyset, commits)"
             " select repo, scope, keyset, count(*) from lineage_scopes where repo = :repo{where}"
             " group by repo, scope, keyset")
    if keysets is None:
        db.execute("delete from lineage_scope_counts where repo = :repo", repo=repo)
        db.execute(count.format(where=""), repo=repo)
        return
    for marks, part in in_list(keysets, "k"):
        db.execute(f"delete from lineage_scope_counts where repo = :repo and keyset in ({marks})", repo=repo, **part)
        db.execute(count.format(where=f" and keyset in ({marks})"), repo=repo, **part)


def _insert_scopes(db: Writer, repo: str, where: str, params: dict[str, object]) -> None:
    db.execute(_SCOPES.format(scope="''", where=where), repo=repo, **params)
    db.execute(_SCOPES.format(scope="f.component", where=where + " and f.component <> ''"), repo=repo, **params)
