"""Coupling's PR and issue change sets over the replayed files (migration 0011's lineage_sets).

A PR's set is the files of its commits in the repository (pr_commits, naming the PR's number in
its repository or in one with no PRs of its own, as agents/sql/coupling.sql reads them) plus the
files GitHub lists for it (each path's latest file); an issue's set is the files of the commits
naming it and of the PRs naming it. These are the sets agents/coupling.py builds when it replays
the history, here for every PR created so far: the agent reads them only when `now` is at or
after the newest commit and the newest PR. Rebuilt for a repository (in SQL, ~1 s for the
100,000-commit bench store, milliseconds for Flask) when their inputs changed: the replay's
length, the link rules, the counts of PRs, their commits, files and issue links, the latest PR
update, and the repository's commit links (`fingerprint`).

An ingest that only added commits after the replayed ones (the replay was extended, nothing else
of the fingerprint but the replay's length and the counts of commit links changed: git writes
links only for the commits it adds) rebuilds only the sets those commits can change (`update`):
the PRs that list one of them or a path whose latest file changed, the issues they name, and the
issues of those PRs; their revision counts are taken out and put back. The same rows as a
rebuild (tests/agents/test_lineage.py compares them), in milliseconds instead of ~3 s at 100,000
commits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from teammemory.store import Writer
from teammemory.store.queries import in_list

_PRC = """prc as (
  select distinct coalesce(p.repo, pc.repo) as pr_repo, pc.number, pc.hash, c.committed_at
    from pr_commits pc
    left join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
    join lineage_commits c on c.repo = :repo and c.hash = pc.hash and c.files > 0{numbers})"""
_LABEL = "{t}.pr_repo || '#' || cast({t}.number as text)"
# Each statement's `{only}` slot is '' (every set) or a condition naming the sets to rebuild.
# The doubles a set's files come with are taken out by the key, the rows in key order (not by a
# `distinct`, which sorts them in a temporary B-tree first: the issue sets at 100,000 commits
# 1.25-1.65 -> 0.67-0.88 s).
_PR_STATEMENTS = (
    f"""with {_PRC}
insert into lineage_sets (repo, level, label, root)
select :repo, 'pr', {_LABEL.format(t="prc")}, l.root
  from prc join file_lineage l on l.repo = :repo and l.hash = prc.hash{{only}}
 order by 3, 4
 on conflict do nothing""",
    """insert into lineage_sets (repo, level, label, root)
select distinct :repo, 'pr', f.label, f.root from (
  select pf.repo || '#' || cast(pf.number as text) as label,
         (select n.root from lineage_names n where n.repo = :repo and n.path = pf.path) as root
    from pr_files pf join pull_requests p on p.repo = pf.repo and p.number = pf.number{numbers}) f
 where f.root is not null
   and exists (select 1 from lineage_sets s where s.repo = :repo and s.level = 'pr' and s.label = f.label){only}
 on conflict do nothing""",
)
_ISSUE_STATEMENTS = (
    """insert into lineage_sets (repo, level, label, root)
select :repo, 'issue', ci.issue_key, l.root
  from commit_issues ci join file_lineage l on l.repo = ci.repo and l.hash = ci.hash
 where ci.repo = :repo{only}
 order by 3, 4
 on conflict do nothing""",
    """insert into lineage_sets (repo, level, label, root)
select distinct :repo, 'issue', pi.issue_key, s.root
  from pr_issues pi join lineage_sets s on s.repo = :repo and s.level = 'pr'
       and s.label = pi.repo || '#' || cast(pi.number as text){where}
 on conflict do nothing""",
)
_PR_AT = f"""with {_PRC}
select pr_repo, number, max(committed_at) as at from prc{{where}} group by pr_repo, number"""
_ISSUE_AT = """select ci.issue_key, max(c.committed_at) as at
  from commit_issues ci join lineage_commits c on c.repo = ci.repo and c.hash = ci.hash and c.files > 0
 where ci.repo = :repo{only}
 group by ci.issue_key"""
_SIZES = "select level, label, count(*) as files from lineage_sets where repo = :repo{only} group by level, label"
_REVISIONS = """insert into lineage_revisions (repo, level, root, files, sets)
select s.repo, s.level, s.root, z.files, count(*)
  from lineage_sets s join lineage_set_sizes z on z.repo = s.repo and z.level = s.level and z.label = s.label
 where s.repo = :repo
 group by s.repo, s.level, s.root, z.files"""
_CONTRIBUTIONS = """select s.root, z.files, count(*) as n
  from lineage_sets s join lineage_set_sizes z on z.repo = s.repo and z.level = s.level and z.label = s.label
 where s.repo = :repo and s.level = :level and s.label in ({marks})
 group by s.root, z.files"""
_INPUTS = """select (select count(*) from pr_commits) as pr_commits, (select count(*) from pr_files) as pr_files,
       (select count(*) from pr_issues) as pr_issues, (select count(*) from pull_requests) as prs,
       (select max(updated_at) from pull_requests) as updated,
       (select count(*) from commit_issues where repo = :repo) as commit_issues,
       (select value from cursors where source = 'derive' and target = 'link_rules') as rules,
       (select next_seq from lineage_state where repo = :repo) as replayed"""
GROWS_WITH_COMMITS = ("pr_commits", "commit_issues", "replayed")  # what an extended replay alone changes


def fingerprint(db: Writer, repo: str) -> str:
    return _joined(db.one(_INPUTS, repo=repo) or {}, str)


def _joined(row: dict[str, Any], show: Callable[[object], str], grows: Callable[[object], str] | None = None,
            between: str = "|") -> str:
    return between.join(f"{k}={(grows if grows and k in GROWS_WITH_COMMITS else show)(row[k])}" for k in sorted(row))


def refresh(db: Writer, repo: str, new: Sequence[str] = (), names: Iterable[str] = ()) -> None:
    """Bring the repository's PR and issue sets up to date with their inputs. `new`: the commits
    the replay was just extended by (from a replay kept before), `names`: the paths whose latest
    file that changed; with them, only the sets they can change are rebuilt (see the docstring)."""
    inputs = db.one(_INPUTS, repo=repo) or {}
    now = _joined(inputs, str)
    kept = db.scalar("select sets from lineage_state where repo = :repo", repo=repo)
    if kept == now:
        return
    if new and only_commits_added(str(kept or ""), inputs):
        update(db, repo, new, names)
    else:
        rebuild(db, repo)
    db.execute("update lineage_state set sets = :sets where repo = :repo", sets=now, repo=repo)


def only_commits_added(kept: str, inputs: dict[str, Any]) -> bool:
    """True when the fingerprint `kept` differs from `inputs`' only in what adding commits
    changes (counts: no `|` in them; the link rules' text may hold any character)."""
    pattern = _joined(inputs, lambda v: re.escape(str(v)), lambda v: r"[^|]*", r"\|")
    return bool(kept) and re.fullmatch(pattern, kept) is not None


def rebuild(db: Writer, repo: str) -> None:
    """Every PR and issue set of the repository, from scratch."""
    for table in ("lineage_sets", "lineage_set_sizes"):
        db.execute(f"delete from {table} where repo = :repo", repo=repo)
    db.execute("delete from lineage_revisions where repo = :repo and level <> 'commit'", repo=repo)
    for statement in _PR_STATEMENTS:
        db.execute(statement.format(numbers="", only=""), repo=repo)
    for statement in _ISSUE_STATEMENTS:
        db.execute(statement.format(only="", where=""), repo=repo)
    _write_sizes(db, repo, None)
    db.execute(_REVISIONS, repo=repo)


def update(db: Writer, repo: str, new: Sequence[str], names: Iterable[str]) -> None:
    """Rebuild the sets that the commits `new` and the paths `names` can change, as `rebuild`
    would build them, and move their revision counts along."""
    prs = _touched_prs(db, repo, new, names)
    issues = _touched_issues(db, repo, new, prs)
    counts: Counter[tuple[str, int, int]] = Counter()
    _contributions(db, repo, prs, issues, counts, -1)
    for level, labels in (("pr", prs), ("issue", issues)):
        for marks, part in in_list(labels, "l"):
            for table in ("lineage_sets", "lineage_set_sizes"):
                db.execute(f"delete from {table} where repo = :repo and level = '{level}' and label in ({marks})",
                           repo=repo, **part)
    for marks, part, numbers, nparts in _pr_chunks(prs):
        for statement in _PR_STATEMENTS:
            db.execute(statement.format(numbers=f" where pc.number in ({numbers})" if "pc.number" in statement
                                        else f" where pf.number in ({numbers})", only=_only(statement, marks)),
                       repo=repo, **part, **nparts)
    for marks, part in in_list(issues, "l"):
        db.execute(_ISSUE_STATEMENTS[0].format(only=f" and ci.issue_key in ({marks})"), repo=repo, **part)
        db.execute(_ISSUE_STATEMENTS[1].format(where=f" where pi.issue_key in ({marks})"), repo=repo, **part)
    _write_sizes(db, repo, (prs, issues))
    _contributions(db, repo, prs, issues, counts, 1)
    _move_revisions(db, repo, counts)


def _only(statement: str, marks: str) -> str:
    label = _LABEL.format(t="prc") if "prc" in statement else "f.label"
    return f" {'where' if 'prc' in statement else 'and'} {label} in ({marks})"


def _pr_chunks(labels: Sequence[str]) -> Iterator[tuple[str, dict[str, object], str, dict[str, object]]]:
    """(label marks, their parameters, number marks, their parameters) per slice of labels."""
    for marks, part in in_list(labels, "l"):
        numbers = {int(str(label).rsplit("#", 1)[1]) for label in part.values()}
        (nmarks, nparts), = in_list(numbers, "n")
        yield marks, part, nmarks, nparts


def _touched_prs(db: Writer, repo: str, new: Sequence[str], names: Iterable[str]) -> list[str]:
    """The PRs that list a new commit or a path whose latest file changed."""
    found: set[str] = set()
    for marks, part in in_list(new, "h"):
        found |= {str(r["label"]) for r in db.all(
            f"with {_PRC.format(numbers=f' where pc.hash in ({marks})')}"
            f" select distinct {_LABEL.format(t='prc')} as label from prc", repo=repo, **part)}
    for marks, part in in_list(names, "p"):
        found |= {str(r["label"]) for r in db.all(
            "select distinct pf.repo || '#' || cast(pf.number as text) as label from pr_files pf"
            f" where pf.path in ({marks})", **part)}
    return sorted(found)


def _touched_issues(db: Writer, repo: str, new: Sequence[str], prs: Sequence[str]) -> list[str]:
    """The issues that a new commit names, and those of the touched PRs."""
    found: set[str] = set()
    for marks, part in in_list(new, "h"):
        found |= {str(r["issue_key"]) for r in db.all(f"select distinct issue_key from commit_issues"
                                                      f" where repo = :repo and hash in ({marks})", repo=repo, **part)}
    for marks, part in in_list(prs, "l"):
        found |= {str(r["issue_key"]) for r in db.all(
            "select distinct issue_key from pr_issues"
            f" where repo || '#' || cast(number as text) in ({marks})", **part)}
    return sorted(found)


def _contributions(db: Writer, repo: str, prs: Sequence[str], issues: Sequence[str],
                   counts: Counter[tuple[str, int, int]], sign: int) -> None:
    """Add (sign 1) or take out (-1) what these sets count in lineage_revisions."""
    for level, labels in (("pr", prs), ("issue", issues)):
        for marks, part in in_list(labels, "l"):
            for r in db.all(_CONTRIBUTIONS.format(marks=marks), repo=repo, level=level, **part):
                counts[(level, int(r["root"]), int(r["files"]))] += sign * int(r["n"])


def _move_revisions(db: Writer, repo: str, counts: Counter[tuple[str, int, int]]) -> None:
    """Apply the changes of the revision counts; a count that falls to 0 is no row (as rebuilt)."""
    mark = "?" if db.dialect == "sqlite" else "%s"
    changed = sorted((level, root, files, n) for (level, root, files), n in counts.items() if n)
    db.executemany_raw(f"insert into lineage_revisions (repo, level, root, files, sets) values ({mark}, {mark},"
                       f" {mark}, {mark}, {mark}) on conflict (repo, level, root, files) do update"
                       " set sets = lineage_revisions.sets + excluded.sets",
                       [(repo, *row) for row in changed])
    db.executemany_raw(f"delete from lineage_revisions where repo = {mark} and level = {mark} and root = {mark}"
                       f" and files = {mark} and sets <= 0",
                       [(repo, level, root, files) for level, root, files, n in changed if n < 0])


def _write_sizes(db: Writer, repo: str, only: tuple[Sequence[str], Sequence[str]] | None) -> None:
    """Each set's distinct files and latest commit time (a PR: its commits'; an issue: its
    commits' and its PRs'), for every set or `only` these (PR labels, issue keys)."""
    if only is None:
        at = {("pr", f"{r['pr_repo']}#{r['number']}"): int(r["at"])
              for r in db.all(_PR_AT.format(numbers="", where=""), repo=repo)}
        issue_at = {("issue", str(r["issue_key"])): int(r["at"]) for r in db.all(_ISSUE_AT.format(only=""), repo=repo)}
        links = db.all("select issue_key, repo, number from pr_issues")
        sizes = db.all(_SIZES.format(only=""), repo=repo)
    else:
        at, issue_at, links, sizes = _some_sizes(db, repo, *only)
    for r in links:
        pr = at.get(("pr", f"{r['repo']}#{r['number']}"))
        if pr is not None:
            key = ("issue", str(r["issue_key"]))
            issue_at[key] = max(issue_at.get(key, 0), pr)
    at |= issue_at
    db.insert_rows("lineage_set_sizes", ("repo", "level", "label", "files", "at"),
                   [(repo, r["level"], r["label"], r["files"], at.get((str(r["level"]), str(r["label"])), 0))
                    for r in sizes])


def _some_sizes(db: Writer, repo: str, prs: Sequence[str], issues: Sequence[str]) -> tuple[
        dict[tuple[str, str], int], dict[tuple[str, str], int], list[dict[str, object]], list[dict[str, object]]]:
    """What _write_sizes reads, for these sets only: the PRs' times (the touched ones from their
    commits, the others of the issues' PRs as stored), the issues' commit times and PR links."""
    at: dict[tuple[str, str], int] = {}
    sizes: list[dict[str, object]] = []
    for marks, part, numbers, nparts in _pr_chunks(prs):
        at |= {("pr", f"{r['pr_repo']}#{r['number']}"): int(r["at"]) for r in db.all(
            _PR_AT.format(numbers=f" where pc.number in ({numbers})", where=f" where {_LABEL.format(t='prc')}"
                          f" in ({marks})"), repo=repo, **part, **nparts)}
        sizes += db.all(_SIZES.format(only=f" and level = 'pr' and label in ({marks})"), repo=repo, **part)
    issue_at: dict[tuple[str, str], int] = {}
    links: list[dict[str, object]] = []
    for marks, part in in_list(issues, "l"):
        issue_at |= {("issue", str(r["issue_key"])): int(r["at"]) for r in db.all(
            _ISSUE_AT.format(only=f" and ci.issue_key in ({marks})"), repo=repo, **part)}
        links += db.all(f"select issue_key, repo, number from pr_issues where issue_key in ({marks})", **part)
        sizes += db.all(_SIZES.format(only=f" and level = 'issue' and label in ({marks})"), repo=repo, **part)
    others = {f"{r['repo']}#{r['number']}" for r in links} - set(prs)
    for marks, part in in_list(others, "l"):
        at |= {("pr", str(r["label"])): int(r["at"]) for r in db.all(
            f"select label, at from lineage_set_sizes where repo = :repo and level = 'pr' and label in ({marks})",
            repo=repo, **part)}
    return at, issue_at, links, sizes
