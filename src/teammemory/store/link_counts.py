"""Hygiene's link counts (migration 0013), kept by every ingest in its transaction.

`teammemory hygiene` asks, per repository, component and month, how many commits name a key of
a known project. Probing commit_issues for each commit costs SQLite ~1 s at 100,000 commits, so
the counts are kept here instead:

- commit_hygiene: the commits counted, each with the projects its keys name (a JSON list, sorted:
  which of them are known is the question's call, as config and ingested issues decide);
- commit_link_counts: commits per (repository, UTC month) and per (repository, component: month
  -1, from component_commits), merge or not, and the projects they name;
- first_parent_pr_counts: per repository, its first-parent chain's commits and how many of them
  came through a PR (counted again by every refresh: one statement, ~50 ms at 100,000 commits).

Bots are not taken out here (persons.is_bot follows config and identity resolution): the question
subtracts their few commits when it reads. Kept incrementally: `refresh` adds the commits not
counted yet; the commits whose components were restated (summarized = 2: a file's component
changed, which a layout's rules do whenever new files arrive) have their component rows taken out
(`subtract_restated`, before summaries.refresh deletes their component_commits rows) and put back
(`add_restated`, after it wrote the new ones). It rebuilds everything when the links were
re-derived (the link rules' fingerprint differs from the one the counts were built under) or when
`stale` was called (commits were deleted): those are rare and cost what the first ingest cost.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from teammemory.store import Writer
from teammemory.store.queries import in_list

BUILT = ("derive", "commit_link_counts")  # cursor: "v1 <link rules' fingerprint>", built under them
LINK_RULES = ("derive", "link_rules")  # derive.LINK_RULES_CURSOR (store does not import derive)
REPOSITORY = ""  # the component of a repository's own rows
NO_MONTH = -1  # the month of a component's rows

FEW = 2000  # up to this many new commits are read by key; more, by one pass over the tables
_NEW = "not exists (select 1 from commit_hygiene h where h.repo = c.repo and h.hash = c.hash)"
_NEW_KEYS = f"select c.repo, c.hash from commits c where {_NEW}"  # the primary key's index only
_COMMITS = "select c.repo, c.hash, c.authored_at, c.is_merge from commits c where {where}"
_PROJECTS = """select distinct ci.repo, ci.hash, ci.project from commits c cross join commit_issues ci
 where {where} and ci.repo = c.repo and ci.hash = c.hash"""
_COMPONENTS = """select cc.repo, cc.hash, cc.component from commits c cross join component_commits cc
 where {where} and cc.repo = c.repo and cc.hash = c.hash and cc.component <> ''"""
_ADD = """insert into commit_link_counts (repo, component, month, is_merge, projects, commits)
values ({marks})
 on conflict (repo, component, month, is_merge, projects) do update
   set commits = commit_link_counts.commits + excluded.commits"""


_RESTATED = """insert into commit_link_counts (repo, component, month, is_merge, projects, commits)
select cc.repo, cc.component, -1, case when c.is_merge <> 0 then 1 else 0 end, h.projects, {sign}count(*)
  from commits c cross join commit_hygiene h cross join component_commits cc
 where c.summarized = 2 and h.repo = c.repo and h.hash = c.hash
   and cc.repo = c.repo and cc.hash = c.hash and cc.component <> ''
 group by cc.repo, cc.component, case when c.is_merge <> 0 then 1 else 0 end, h.projects
 on conflict (repo, component, month, is_merge, projects) do update
   set commits = commit_link_counts.commits + excluded.commits"""
_DROP_EMPTY = "delete from commit_link_counts where commits = 0"


_PR_COUNTS = """insert into first_parent_pr_counts (repo, head, pr_commits, merges, total, through_pr)
select r.name, coalesce(h.head, ''),
       (select count(*) from pr_commits), (select count(*) from pull_requests where merge_commit <> ''),
       (select count(*) from first_parent_commits f where f.repo = r.name),
       (select count(distinct pc.hash) from pr_commits pc cross join first_parent_commits f
         where f.repo = r.name and f.hash = pc.hash)
     + (select count(distinct p.merge_commit) from pull_requests p cross join first_parent_commits f
         where p.merge_commit <> '' and f.repo = r.name and f.hash = p.merge_commit
           and not exists (select 1 from pr_commits pc where pc.hash = p.merge_commit))
  from repositories r left join first_parent_heads h on h.repo = r.name"""


def refresh(db: Writer) -> None:
    """Count the commits not counted yet (everything again when the counts are stale), and the
    first-parent chains' commits through PRs (agents/sql/hygiene.sql's `first-parent-counts` at
    the newest commit: PRs change without new commits, so these are counted again every time)."""
    db.execute("delete from first_parent_pr_counts")
    db.execute(_PR_COUNTS)
    rules = db.scalar("select value from cursors where source = :s and target = :t", s=LINK_RULES[0],
                      t=LINK_RULES[1])
    built = built_under(rules)
    if _cursor(db) != built:
        db.execute("delete from commit_link_counts")
        db.execute("delete from commit_hygiene")
    add_new(db)
    if _cursor(db) != built:
        db.execute("delete from cursors where source = :s and target = :t", s=BUILT[0], t=BUILT[1])
        db.execute("insert into cursors (source, target, value, updated_at) values (:s, :t, :v, 0)",
                   s=BUILT[0], t=BUILT[1], v=built)


def subtract_restated(db: Writer) -> None:
    """Take the component rows of the counted commits with summarized = 2 out of the counts
    (their component_commits rows are about to be replaced)."""
    db.execute(_RESTATED.format(sign="-"))


def add_restated(db: Writer) -> None:
    """Put the component rows of the counted commits with summarized = 2 back, from their new
    component_commits rows (the counts of a component left by all its commits go)."""
    db.execute(_RESTATED.format(sign=""))
    db.execute(_DROP_EMPTY)


def built_under(rules: object) -> str:
    """The BUILT cursor's value for counts built under these link rules (their fingerprint)."""
    return f"v1 {rules or ''}"


def stale(db: Writer) -> None:
    """The counts no longer match the commits (some were deleted): the next `refresh` rebuilds."""
    db.execute("delete from cursors where source = :s and target = :t", s=BUILT[0], t=BUILT[1])


def _cursor(db: Writer) -> str | None:
    value = db.scalar("select value from cursors where source = :s and target = :t", s=BUILT[0], t=BUILT[1])
    return None if value is None else str(value)


def add_new(db: Writer) -> None:
    """Add the commits commit_hygiene does not hold yet to the counts (commit_hygiene holds only
    stored commits: deleting commits makes the counts `stale`, so equal counts mean none is new)."""
    total, counted = (int(db.scalar(f"select count(*) as n from {t}") or 0) for t in ("commits", "commit_hygiene"))
    if total == counted:
        return
    # new commits are not summarized yet (summaries.refresh counts them before marking them):
    # the partial index commits_unsummarized finds them; any other, by one pass over the commits
    keys = db.rows(_NEW_KEYS + " and c.summarized <> 1", ("repo", "hash"))  # plain tuples: ~10^5 rows
    if len(keys) != total - counted:
        keys = db.rows(_NEW_KEYS, ("repo", "hash"))
    parts: list[tuple[str, dict[str, object]]] = [(_NEW, {})]
    if len(keys) <= FEW:
        by_repo: dict[str, list[str]] = {}
        for repo, h in keys:
            by_repo.setdefault(repo, []).append(h)
        parts = [(f"c.repo = :repo and c.hash in ({marks})", {"repo": repo, **params})
                 for repo, hashes in sorted(by_repo.items()) for marks, params in in_list(hashes)]
    commits: list[tuple[str, str, int, int]] = []
    named: dict[tuple[str, str], list[str]] = {}
    components: list[tuple[str, str, str]] = []
    for where, params in parts:
        commits += [(str(repo), str(h), int(at), int(is_merge != 0)) for repo, h, at, is_merge in
                    db.rows(_COMMITS.format(where=where), ("repo", "hash", "authored_at", "is_merge"), **params)]
        for repo, h, project in db.rows(_PROJECTS.format(where=where), ("repo", "hash", "project"), **params):
            named.setdefault((str(repo), str(h)), []).append(str(project))
        components += db.rows(_COMPONENTS.format(where=where), ("repo", "hash", "component"), **params)
    hygiene, counts = count_rows(commits, named, components)
    db.insert_rows("commit_hygiene", ("repo", "hash", "projects"), hygiene)
    marks = ", ".join("?" if db.dialect == "sqlite" else "%s" for _ in range(6))
    db.executemany_raw(_ADD.format(marks=marks), counts)


def count_rows(commits: Iterable[tuple[str, str, int, int]], named: dict[tuple[str, str], list[str]],
               components: Iterable[tuple[str, str, str]]
               ) -> tuple[list[tuple[str, str, str]], list[tuple[Any, ...]]]:
    """Pure: (commit_hygiene rows, commit_link_counts rows to add) of these commits
    ((repo, hash, authored_at, is_merge)), the projects their keys name and their components."""
    hygiene: list[tuple[str, str, str]] = []
    counts: Counter[tuple[str, str, int, int, str]] = Counter()
    merge: dict[tuple[str, str], tuple[int, str]] = {}
    months: dict[int, int] = {}
    shown: dict[tuple[str, ...], str] = {}  # a few sets of projects, most commits' none
    for repo, h, at, is_merge in commits:
        names = tuple(sorted(set(named.get((repo, h), ()))))
        projects = shown.get(names) or shown.setdefault(names, json.dumps(list(names)))
        day = at // 86400
        if day not in months:
            months[day] = month_of(at)
        hygiene.append((repo, h, projects))
        merge[(repo, h)] = (is_merge, projects)
        counts[(repo, REPOSITORY, months[day], is_merge, projects)] += 1
    for repo, h, component in components:
        if (repo, h) in merge:
            is_merge, projects = merge[(repo, h)]
            counts[(repo, component, NO_MONTH, is_merge, projects)] += 1
    return sorted(hygiene), [k + (n,) for k, n in sorted(counts.items())]


def month_of(at: int) -> int:
    """Pure: the UTC calendar month of a time, as year * 12 + month - 1."""
    d = datetime.fromtimestamp(at, UTC)
    return d.year * 12 + d.month - 1
