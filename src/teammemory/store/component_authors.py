"""Each component's sole authors, counted at ingest (migration 0017).

`teammemory components` shows a component's top people by commits. Most of those commits have one
author account (component_people rows with shared = 0 and role author or co-author); grouping
them per account is every authored row of component_people (~0.1 s at 100,000 commits), so the
counts are kept here: component_authors(component, identity_key, repo, commits) = how many such
rows the account has. The few shared commits are still read row by row (they need folding
accounts into people commit by commit, agents/components_list.py).

Kept incrementally by summaries.py, in the ingest's transaction, from the same rows it writes
to component_people: `add_rows` for the rows git ingestion writes from parsed commits,
`subtract_stale` before the rows of restated commits are deleted and `add_unsummarized` after
their (and any unsummarized commit's) rows are written in SQL; `recount_repo` after commits of
a rewritten history were deleted. The counts answer for a `now` at or after the newest commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from teammemory.store import Writer

AUTHORED = ("author", "co-author")  # the roles counted (a trailer reviewer is not an author)
_ROLES = "(" + ", ".join(f"'{r}'" for r in AUTHORED) + ")"

_ADD = """insert into component_authors (component, identity_key, repo, commits)
select p.component, p.identity_key, p.repo, {sign}count(*)
  from commits c cross join component_people p
 where {where} and p.repo = c.repo and p.hash = c.hash and p.shared = 0 and p.role in {roles}
 group by p.component, p.identity_key, p.repo
 on conflict (component, identity_key, repo) do update
   set commits = component_authors.commits + excluded.commits"""
_DROP_EMPTY = "delete from component_authors where commits = 0"


def add_rows(db: Writer, rows: Iterable[tuple[Any, ...]]) -> None:
    """Count component_people rows (component, identity_key, role, repo, hash, authored_at,
    churn, shared), as summaries.summary_rows makes them, into the kept counts."""
    counts = Counter((r[0], r[1], r[3]) for r in rows if r[7] == 0 and r[2] in AUTHORED)
    mark = "?" if db.dialect == "sqlite" else "%s"
    db.executemany_raw("insert into component_authors (component, identity_key, repo, commits)"
                       f" values ({mark}, {mark}, {mark}, {mark})"
                       " on conflict (component, identity_key, repo) do update"
                       " set commits = component_authors.commits + excluded.commits",
                       [k + (n,) for k, n in sorted(counts.items())])


def subtract_stale(db: Writer) -> None:
    """Take out the rows of the commits whose component rows are about to be rebuilt
    (summarized = 2, summaries.restate_files)."""
    db.execute(_ADD.format(sign="-", where="c.summarized <> 1 and c.summarized = 2", roles=_ROLES))
    db.execute(_DROP_EMPTY)


def add_unsummarized(db: Writer) -> None:
    """Count the rows just written in SQL for the commits not summarized yet (summarized <> 1)."""
    db.execute(_ADD.format(sign="", where="c.summarized <> 1", roles=_ROLES))


def recount_repo(db: Writer, repo: str) -> None:
    """Count one repository's rows again (after commits of a rewritten history were deleted)."""
    db.execute("delete from component_authors where repo = :repo", repo=repo)
    db.execute(f"""insert into component_authors (component, identity_key, repo, commits)
select component, identity_key, repo, count(*)
  from component_people
 where repo = :repo and shared = 0 and role in {_ROLES}
 group by component, identity_key, repo""", repo=repo)
