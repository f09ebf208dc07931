"""Summary tables: what a component or file query needs, kept up to date by every ingest.

Agents that answer for a whole component (experts, onboarding) would otherwise join most of the
store's commit_files rows on every question: 1-3 s at 100,000 commits. These tables hold the same
facts pre-joined, so such a question reads one index range:

- component_commits: one row per (commit, component it changed), with the commit's churn on the
  component's files;
- component_people: the same per non-merge commit and account in a credited role
  (model.CREDITED_ROLES: author, co-author, trailer reviewer); `shared` marks the rows of commits
  where another account holds the same kind of credit (wrote it / reviewed it), the only rows
  where two accounts of one person could meet, so that a reader folding accounts into people
  needs to look at only those commit by commit;
- file_authors: per file and author identity, non-merge commits, churn and last change (sums,
  so new commits are added to them rather than recounted);
- people_activity (migration 0009): per account, the times of the non-merge commits it wrote
  (kind 0) or reviewed by trailer (1), and of the `Merge pull request #N` merges it authored (2):
  last activity as of any moment, and a repository's reviews, as one index range;
- file_first_seen (0009): per file, the author time of the first commit that changed it (the
  files known at any moment);
- file_moves (0009): the commit_files rows that add, delete, rename or copy a path, with their
  commit's times (the files gone at any moment).

Identities are stored as they are (identity keys), never as people: merging or splitting people
changes no summary, the agents fold identities into people when they read.

Kept incrementally, in the ingest's transaction (a commit is summarized once, `commits.summarized`):
git ingestion writes a new commit's summary rows with it (`add_new`, from the parsed commit, no
SQL joins); `refresh` summarizes in SQL whatever commits are left (written without components,
or by an older TeamMemory); `restate_files` marks the commits of files whose component
changed, so only their component rows are rebuilt; `forget_commits` takes removed commits (a
rewritten history) out of the file sums. The cost follows what changed, not the history's length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from teammemory.model import CREDITED_ROLES, Commit
from teammemory.store import Writer, component_authors, link_counts
from teammemory.store.queries import in_list

ROLES = "(" + ", ".join(f"'{role}'" for role in CREDITED_ROLES) + ")"

# Every summary is read from the new commits outward (`cross join` fixes SQLite's join order;
# PostgreSQL plans freely): the commits left to summarize, in key order, then their rows by key,
# so a first ingest reads the tables front to back and a later one only its new commits.
_COMPONENT_COMMITS = """insert into component_commits (component, repo, hash, authored_at, is_merge, churn)
select f.component, c.repo, c.hash, c.authored_at, c.is_merge, sum(cf.added + cf.deleted)
  from commits c cross join commit_files cf cross join files f
 where c.summarized <> 1 and cf.repo = c.repo and cf.hash = c.hash and f.repo = cf.repo and f.path = cf.path
   and f.component <> ''
 group by f.component, c.hash, c.repo, c.authored_at, c.is_merge
 order by f.component, c.hash, c.repo"""

_KIND = "case when {a}.role = 'reviewer' then 1 else 0 end"  # authored (author, co-author) or reviewed
_COMPONENT_PEOPLE = f"""insert into component_people
    (component, identity_key, role, repo, hash, authored_at, churn, shared)
select cc.component, cp.identity_key, cp.role, cc.repo, cc.hash, cc.authored_at, cc.churn,
       case when (select count(*) from commit_people x where x.repo = cp.repo and x.hash = cp.hash
                   and x.role in {ROLES} and {_KIND.format(a="x")} = {_KIND.format(a="cp")}) > 1
            then 1 else 0 end
  from commits c cross join component_commits cc cross join commit_people cp
 where c.summarized <> 1 and cc.repo = c.repo and cc.hash = c.hash and cp.repo = cc.repo and cp.hash = cc.hash
   and cc.is_merge = 0 and cp.role in {ROLES}
 order by 1, 8, 2, 3, 4, 5"""  # primary-key order: the B-tree is written front to back

_FILE_SUMS = """insert into file_authors (repo, path, identity_key, commits, churn, last_at)
select cf.repo, cf.path, c.author_key, count(*), sum(cf.added + cf.deleted), max(c.authored_at)
  from {tables}
 where {where} and c.is_merge = 0 and cf.repo = c.repo and cf.hash = c.hash
 group by cf.repo, cf.path, c.author_key"""

_ADD_TO_SUMS = """
 on conflict (repo, path, identity_key) do update
   set commits = file_authors.commits + excluded.commits,
       churn = file_authors.churn + excluded.churn,
       last_at = case when excluded.last_at > file_authors.last_at
                      then excluded.last_at else file_authors.last_at end"""
_ADD_FILE_SUMS = _FILE_SUMS.format(tables="commits c cross join commit_files cf",
                                   where="c.summarized <> 1 and c.summarized = 0") + _ADD_TO_SUMS


_KIND_OF_ROLE = "case when cp.role = 'reviewer' then 1 else 0 end"
MERGED_PR = "Merge pull request #"  # a merge with this subject: its author merged (reviewed) a PR
# Two statements, not one `union` (whose temporary B-tree sorted and deduplicated every row
# before the insert): the key takes out the doubles, in key order (100,000 commits: 1.0-1.4 s ->
# 0.7-0.9 s).
_PEOPLE_ACTIVITY = (f"""insert into people_activity (identity_key, kind, authored_at, repo, hash)
select cp.identity_key, {_KIND_OF_ROLE}, c.authored_at, c.repo, c.hash
  from commits c cross join commit_people cp
 where {{where}} and cp.repo = c.repo and cp.hash = c.hash and c.is_merge = 0 and cp.role in {ROLES}
 order by 1, 2, 3, 4, 5
 on conflict do nothing""", f"""insert into people_activity (identity_key, kind, authored_at, repo, hash)
select c.author_key, 2, c.authored_at, c.repo, c.hash
  from commits c
 where {{where}} and c.is_merge = 1 and substr(c.subject, 1, {len(MERGED_PR)}) = '{MERGED_PR}'
 on conflict do nothing""")
_FIRST_SEEN = """insert into file_first_seen (path, repo, first_at)
select cf.path, cf.repo, min(c.authored_at)
  from {tables}
 where {where} and cf.repo = c.repo and cf.hash = c.hash
 group by cf.path, cf.repo"""
_FILE_MOVES = """insert into file_moves (repo, hash, path, old_path, change_type, committed_at, authored_at)
select cf.repo, cf.hash, cf.path, cf.old_path, cf.change_type, c.committed_at, c.authored_at
  from commits c cross join commit_files cf
 where c.summarized <> 1 and cf.repo = c.repo and cf.hash = c.hash and cf.change_type <> 'M'
 on conflict do nothing"""
_EARLIER_FIRST = """
 on conflict (path, repo) do update
   set first_at = case when excluded.first_at < file_first_seen.first_at
                       then excluded.first_at else file_first_seen.first_at end"""


def refresh(db: Writer) -> None:
    """Summarize the commits not summarized yet (new, or with stale component rows)."""
    first_parents(db)
    if db.scalar("select 1 as x from commits where summarized <> 1 limit 1") is None:
        link_counts.refresh(db)  # hygiene's link counts (0013), with every component row in place
        return
    restated = db.scalar("select 1 as x from commits where summarized <> 1 and summarized = 2 limit 1") is not None
    if restated:
        component_authors.subtract_stale(db)  # the sole-author counts (0017) of the rows deleted here
        link_counts.subtract_restated(db)  # and their link counts' component rows (0013)
        for table in ("component_people", "component_commits"):
            db.execute(f"delete from {table} where (repo, hash) in"
                       " (select repo, hash from commits where summarized <> 1 and summarized = 2)")
    db.execute(_COMPONENT_COMMITS)
    db.execute(_COMPONENT_PEOPLE)
    component_authors.add_unsummarized(db)
    if restated:
        link_counts.add_restated(db)
    db.execute(_ADD_FILE_SUMS)
    for statement in _PEOPLE_ACTIVITY:
        db.execute(statement.format(where="c.summarized <> 1"))
    db.execute(_FIRST_SEEN.format(tables="commits c cross join commit_files cf", where="c.summarized <> 1")
               + _EARLIER_FIRST)
    db.execute(_FILE_MOVES)
    link_counts.refresh(db)  # before the update: it finds the new commits by summarized <> 1
    db.execute("update commits set summarized = 1 where summarized <> 1")


def first_parents(db: Writer) -> None:
    """Rewalk first_parent_commits (migration 0012) for each repository whose ingested head is not
    the one its chain was walked from: the first-parent chain from the head, as far as the store
    holds it (hygiene's commits through no PR). A head moves only when an ingest changed commits.
    When the new head's chain reaches the old head (new commits on top), only the new part is
    walked: the store holds every ancestor of an ingested head, and a run that removed commits
    drops the repository's first_parent_heads row (ingest/git.py), so the rest is as it was."""
    stale = db.fetch(_STALE_HEADS, _Head)
    for r in stale:
        if not _extend_chain(db, r):
            _rewalk_chain(db, r)
        db.execute("delete from first_parent_heads where repo = :repo", repo=r.repo)
        db.execute("insert into first_parent_heads (repo, head) values (:repo, :head)", repo=r.repo, head=r.head)


EXTEND_CHAIN = 5000  # commits walked one query each before a whole rewalk is cheaper


def _extend_chain(db: Writer, r: _Head) -> bool:
    """Add the chain from the new head down to the old one; False (nothing written) when it
    does not reach the old head within EXTEND_CHAIN commits."""
    old = db.scalar("select head from first_parent_heads where repo = :repo", repo=r.repo)
    if old is None or db.scalar("select 1 as x from first_parent_commits where repo = :repo and hash = :hash",
                                repo=r.repo, hash=old) is None:
        return False
    chain: list[dict[str, Any]] = []
    h = r.head
    while h != old:
        row = db.one("select parents, authored_at from commits where repo = :repo and hash = :hash",
                     repo=r.repo, hash=h)
        if row is None or not row["parents"] or len(chain) >= EXTEND_CHAIN:
            return False
        chain.append({"repo": r.repo, "hash": h, "t": row["authored_at"]})
        h = str(row["parents"]).split()[0]
    db.executemany("insert into first_parent_commits (repo, hash, authored_at) values (:repo, :hash, :t)", chain)
    return True


def _rewalk_chain(db: Writer, r: _Head) -> None:
    """The whole chain from the head, as far as the store holds it."""
    rows = db.rows("select hash, parents, authored_at from commits where repo = :repo",  # plain tuples: one a commit
                   ("hash", "parents", "authored_at"), repo=r.repo)
    parents = {h: (p.partition(" ")[0], t) for h, p, t in rows}
    chain: list[tuple[str, str, int]] = []
    seen: set[str] = set()
    h = r.head
    while h in parents and h not in seen:
        seen.add(h)
        chain.append((r.repo, h, parents[h][1]))
        h = parents[h][0]
    db.execute("delete from first_parent_commits where repo = :repo", repo=r.repo)
    db.insert_rows("first_parent_commits", ("repo", "hash", "authored_at"), chain)


class _Head(NamedTuple):
    repo: str
    head: str



_STALE_HEADS = """select r.name as repo, r.head from repositories r
 where not exists (select 1 from first_parent_heads f where f.repo = r.name and f.head = r.head)"""


def restate_files(db: Writer, files: Iterable[tuple[str, str]]) -> None:
    """Files (repo, path) whose component changed: their summarized commits get new component rows.

    A new file's commits are new themselves, so on a first ingest (nothing summarized) this is free.
    """
    rows = [{"repo": repo, "path": path} for repo, path in files]
    if not rows or db.scalar("select 1 as x from commits where summarized = 1 limit 1") is None:
        return
    db.executemany("update commits set summarized = 2 where summarized = 1 and repo = :repo and hash in"
                   " (select cf.hash from commit_files cf where cf.repo = :repo and cf.path = :path)", rows)


def files_of(db: Writer, repo: str, hashes: Sequence[str]) -> list[str]:
    """The paths these commits changed (read before they are deleted, for `forget_commits`)."""
    paths: set[str] = set()
    for marks, part in in_list(hashes):
        paths |= {str(r["path"]) for r in db.all(
            f"select distinct path from commit_files where repo = :repo and hash in ({marks})", repo=repo, **part)}
    return sorted(paths)


def forget_commits(db: Writer, repo: str, paths: Sequence[str]) -> None:
    """After commits were deleted: recount the file sums of the paths they changed (component rows
    go with the commits themselves, see ingest.git.COMMIT_TABLES; the activity rows of commits no
    longer stored go here)."""
    link_counts.stale(db)
    component_authors.recount_repo(db, repo)
    for table in ("people_activity", "file_moves"):
        db.execute(f"delete from {table} where repo = :repo and not exists (select 1 from commits c"
                   f" where c.repo = {table}.repo and c.hash = {table}.hash)", repo=repo)
    for marks, part in in_list(paths):
        db.execute(f"delete from file_first_seen where repo = :repo and path in ({marks})", repo=repo, **part)
        db.execute(_FIRST_SEEN.format(tables="commit_files cf cross join commits c",
                                      where=f"cf.repo = :repo and cf.path in ({marks})"), repo=repo, **part)
        db.execute(f"delete from file_authors where repo = :repo and path in ({marks})", repo=repo, **part)
        db.execute(_FILE_SUMS.format(tables="commit_files cf cross join commits c",  # these files' commits
                                     where=f"cf.repo = :repo and cf.path in ({marks}) and c.summarized = 1"),
                   repo=repo, **part)


def add_new(db: Writer, commits: Sequence[Commit], component_of: Callable[[str], str]) -> None:
    """Summary rows of commits new to the store, from the parsed commits themselves: the same
    rows `refresh` would derive in SQL from what write_commits stores (tests compare the two)."""
    mark = "?" if db.dialect == "sqlite" else "%s"
    cc, cp, fa = summary_rows(commits, component_of)
    db.insert_rows("component_commits", ("component", "repo", "hash", "authored_at", "is_merge", "churn"), sorted(cc))
    db.insert_rows("component_people", ("component", "identity_key", "role", "repo", "hash", "authored_at", "churn",
                                        "shared"), sorted(cp))
    component_authors.add_rows(db, cp)
    sql = ("insert into file_authors (repo, path, identity_key, commits, churn, last_at)"
           f" values ({', '.join(mark for _ in range(6))})" + _ADD_TO_SUMS)
    db.executemany_raw(sql, fa)
    people, first, moves = activity_rows(commits)
    db.insert_rows("people_activity", ("identity_key", "kind", "authored_at", "repo", "hash"), people)
    db.insert_rows("file_moves", ("repo", "hash", "path", "old_path", "change_type", "committed_at", "authored_at"),
                   moves)
    db.executemany_raw("insert into file_first_seen (path, repo, first_at)"
                       f" values ({mark}, {mark}, {mark})" + _EARLIER_FIRST, first)


def activity_rows(commits: Sequence[Commit]
                  ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Pure: (people_activity, file_first_seen, file_moves) rows of these commits; the first-seen
    times are per batch, to be kept where the store holds an earlier one."""
    people: set[tuple[Any, ...]] = set()
    first: dict[tuple[str, str], int] = {}
    moves: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    for c in commits:
        for f in c.files:
            first[(f.path, c.repo)] = min(first.get((f.path, c.repo), c.authored_at), c.authored_at)
            # a path twice in one commit: the last row wins, as in commit_files
            moves[(c.repo, c.hash, f.path)] = (f.old_path, f.change_type, c.committed_at, c.authored_at)
        if c.is_merge:
            if c.subject.startswith(MERGED_PR):
                people.add((c.author.key, 2, c.authored_at, c.repo, c.hash))
            continue
        roles = {(c.author.key, "author")} | {(p.who.key, p.role) for p in c.people if p.role in CREDITED_ROLES}
        people |= {(key, int(role == "reviewer"), c.authored_at, c.repo, c.hash) for key, role in roles}
    return (sorted(people), [k + (v,) for k, v in sorted(first.items())],
            [k + v for k, v in sorted(moves.items()) if v[1] != "M"])


def summary_rows(commits: Sequence[Commit], component_of: Callable[[str], str]
                 ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Pure: (component_commits, component_people, file_authors) rows of these commits; the file
    sums are per batch, to be added to what the store holds."""
    cc: list[tuple[Any, ...]] = []
    cp: list[tuple[Any, ...]] = []
    fa: dict[tuple[str, str, str], list[int]] = {}
    for c in commits:
        files = {f.path: f.added + f.deleted for f in c.files}  # a path twice: the last row wins
        churn: dict[str, int] = {}
        for path, lines in files.items():
            component = component_of(path)
            if component:
                churn[component] = churn.get(component, 0) + lines
        cc += [(comp, c.repo, c.hash, c.authored_at, int(c.is_merge), n) for comp, n in churn.items()]
        if c.is_merge:
            continue
        roles = {(c.author.key, "author")} | {(p.who.key, p.role) for p in c.people if p.role in CREDITED_ROLES}
        reviewers = sum(1 for _, role in roles if role == "reviewer")
        for key, role in roles:
            shared = int((reviewers if role == "reviewer" else len(roles) - reviewers) > 1)
            cp += [(comp, key, role, c.repo, c.hash, c.authored_at, n, shared) for comp, n in churn.items()]
        for path, lines in files.items():
            t = fa.setdefault((c.repo, path, c.author.key), [0, 0, c.authored_at])
            t[0], t[1], t[2] = t[0] + 1, t[1] + lines, max(t[2], c.authored_at)
    return cc, cp, [k + tuple(v) for k, v in sorted(fa.items())]
