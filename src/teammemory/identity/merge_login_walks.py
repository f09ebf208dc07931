"""The merge-login rule's proofs, kept (migration 0020): each PR merge commit is walked once.

What a PR merge commit proves (identity/merge_login.py's `prove`) is a function of its ancestors
alone, and a stored commit's ancestors never change, so identity resolution need not read every
commit's graph on each ingest (~0.8 s at 100,000 commits): commit_generations holds each commit's
generation, which orders the walk, and merge_login_walks what each PR merge commit proved. An
ingest computes the generations of its new commits from their parents' and walks its new PR
merges over a graph read commit by commit as the walk reaches it (a branch is a few commits).

Everything is computed again from every commit (the same cost as before) when a commit
disappeared (a rewritten history) or when a new commit is the parent of one stored before (a
shallow history deepened: older commits' generations and branches change); the parents the
store lacked are kept for that (the cursor MISSING). The same proofs as merge_logins over every
commit (tests/identity/test_merge_login_walks.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from teammemory.identity.merge_login import GitCommit, MergeLogin, generations, is_pr_merge, prove
from teammemory.store import Writer
from teammemory.store.queries import in_list

MISSING = ("derive", "identity_missing_parents")  # cursor: JSON [[repo, hash], ...] of parents not stored
_COMMIT = ("select repo, hash, author_key, case when parents like '% %' then subject else '' end as subject,"
           " parents from commits")
# new commits are not summarized yet (derive.refresh resolves before summaries.refresh): the
# partial index commits_unsummarized finds them; a stored commit left out here is counted by
# `proofs` (commits without a generation that this does not find) and everything is redone
_NEW = (_COMMIT + " c where c.summarized <> 1 and not exists (select 1 from commit_generations g"
        " where g.repo = c.repo and g.hash = c.hash)")
_ONE = """select c.repo, c.hash, c.author_key, c.subject, c.parents, g.gen
  from commits c join commit_generations g on g.repo = c.repo and g.hash = c.hash
 where c.repo = :repo and c.hash = :hash"""


class _Row(NamedTuple):
    repo: str
    hash: str
    author_key: str
    subject: str
    parents: str


def proofs(db: Writer) -> list[MergeLogin]:
    """merge_login.merge_logins of every stored commit, kept up to date in the store."""
    new = [_commit(r) for r in db.fetch(_NEW, _Row)]
    total = int(db.scalar("select count(*) as n from commits") or 0)
    kept = int(db.scalar("select count(*) as n from commit_generations") or 0)
    missing = {(r, h) for r, h in json.loads(str(_cursor(db) or "[]"))}
    if kept != total - len(new) or any((c.repo, c.hash) in missing for c in new):
        _rebuild(db)
    elif new:
        _extend(db, new, missing)
    rows = db.all("select repo, hash, login, git_key, evidence from merge_login_walks where git_key <> ''")
    return [MergeLogin(r["login"], r["git_key"], r["evidence"])
            for r in sorted(rows, key=lambda r: (r["repo"], r["hash"]))]


def _commit(r: _Row) -> GitCommit:
    return GitCommit(r.repo, r.hash, r.author_key, r.subject, tuple(r.parents.split()))


def _rebuild(db: Writer) -> None:
    """Every commit's generation and every PR merge's proof, from scratch."""
    for table in ("commit_generations", "merge_login_walks"):
        db.execute(f"delete from {table}")
    by_repo: dict[str, dict[str, GitCommit]] = {}
    for r in db.fetch(_COMMIT, _Row):
        by_repo.setdefault(r.repo, {})[r.hash] = _commit(r)
    missing: set[tuple[str, str]] = set()
    for repo in sorted(by_repo):
        graph = by_repo[repo]
        gen = generations(graph)
        db.insert_rows("commit_generations", ("repo", "hash", "gen"), [(repo, h, g) for h, g in gen.items()])
        missing |= {(repo, p) for c in graph.values() for p in c.parents if p not in graph}
        _write_walks(db, graph, gen, [c for c in graph.values() if is_pr_merge(c)])
    _set_missing(db, missing)


def _extend(db: Writer, new: list[GitCommit], missing: set[tuple[str, str]]) -> None:
    """The new commits' generations (from their stored parents'), then their PR merges' walks."""
    for repo in sorted({c.repo for c in new}):
        fresh = {c.hash: c for c in new if c.repo == repo}
        outside = sorted({p for c in fresh.values() for p in c.parents if p not in fresh})
        known: dict[str, int] = {}
        for marks, params in in_list(outside):
            known |= {str(r["hash"]): int(r["gen"]) for r in db.all(
                f"select hash, gen from commit_generations where repo = :repo and hash in ({marks})",
                repo=repo, **params)}
        missing |= {(repo, p) for p in outside if p not in known}
        gen = generations(fresh, known)
        db.insert_rows("commit_generations", ("repo", "hash", "gen"), [(repo, h, gen[h]) for h in sorted(fresh)])
        merges = [c for c in fresh.values() if is_pr_merge(c)]
        if merges and not known:  # no new commit has a stored parent (a first ingest): a walk stays in `fresh`
            _write_walks(db, fresh, gen, merges)
        elif merges:
            lazy = _Lazy(db, repo, {h: (c, gen[h]) for h, c in fresh.items()})  # the new ones are at hand
            _write_walks(db, lazy, lazy.gens, merges)
    _set_missing(db, missing)


def _write_walks(db: Writer, graph: Mapping[str, GitCommit], gen: Mapping[str, int], merges: list[GitCommit]) -> None:
    rows = []
    for c in sorted(merges, key=lambda c: c.hash):
        p = prove(graph, gen, c)
        rows.append((c.repo, c.hash, p.login if p else "", p.git_key if p else "", p.evidence if p else ""))
    db.insert_rows("merge_login_walks", ("repo", "hash", "login", "git_key", "evidence"), rows)


def _cursor(db: Writer) -> object:
    return db.scalar("select value from cursors where source = :s and target = :t", s=MISSING[0], t=MISSING[1])


def _set_missing(db: Writer, missing: set[tuple[str, str]]) -> None:
    value = json.dumps(sorted(missing))
    if _cursor(db) == value:
        return
    db.execute("delete from cursors where source = :s and target = :t", s=MISSING[0], t=MISSING[1])
    db.execute("insert into cursors (source, target, value, updated_at) values (:s, :t, :v, 0)",
               s=MISSING[0], t=MISSING[1], v=value)


class _Lazy(Mapping[str, GitCommit]):
    """One repository's stored commits and their generations, read one by one as a walk asks
    (`known`: those already in memory, such as an ingest's new commits: a first ingest's walks
    then read nothing, instead of ~4,000 single-row lookups on Flask)."""

    def __init__(self, db: Writer, repo: str, known: Mapping[str, tuple[GitCommit, int]] | None = None) -> None:
        self._db, self._repo = db, repo
        self._seen: dict[str, tuple[GitCommit, int] | None] = dict(known or {})
        self.gens = _Gens(self)

    def row(self, h: str) -> tuple[GitCommit, int] | None:
        if h not in self._seen:
            r = self._db.one(_ONE, repo=self._repo, hash=h)
            self._seen[h] = None if r is None else (
                GitCommit(r["repo"], r["hash"], r["author_key"], r["subject"], tuple(str(r["parents"]).split())),
                int(r["gen"]))
        return self._seen[h]

    def __getitem__(self, h: str) -> GitCommit:
        found = self.row(h)
        if found is None:
            raise KeyError(h)
        return found[0]

    def __contains__(self, h: object) -> bool:
        return isinstance(h, str) and self.row(h) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(h for h, v in self._seen.items() if v is not None)

    def __len__(self) -> int:
        return sum(v is not None for v in self._seen.values())


class _Gens(Mapping[str, int]):
    def __init__(self, commits: _Lazy) -> None:
        self._commits = commits

    def __getitem__(self, h: str) -> int:
        found = self._commits.row(h)
        if found is None:
            raise KeyError(h)
        return found[1]

    def __iter__(self) -> Iterator[str]:
        return iter(self._commits)

    def __len__(self) -> int:
        return len(self._commits)
