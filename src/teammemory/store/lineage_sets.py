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
"""

from __future__ import annotations

from teammemory.store import Writer

_PRC = """prc as (
  select distinct coalesce(p.repo, pc.repo) as pr_repo, pc.number, pc.hash, c.committed_at
    from pr_commits pc
    left join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
    join lineage_commits c on c.repo = :repo and c.hash = pc.hash and c.files > 0)"""
_LABEL = "{t}.pr_repo || '#' || cast({t}.number as text)"
_STATEMENTS = (
    f"""with {_PRC}
insert into lineage_sets (repo, level, label, root)
select distinct :repo, 'pr', {_LABEL.format(t="prc")}, l.root
  from prc join file_lineage l on l.repo = :repo and l.hash = prc.hash""",
    """insert into lineage_sets (repo, level, label, root)
select distinct :repo, 'pr', f.label, f.root from (
  select pf.repo || '#' || cast(pf.number as text) as label,
         (select n.root from lineage_names n where n.repo = :repo and n.path = pf.path) as root
    from pr_files pf join pull_requests p on p.repo = pf.repo and p.number = pf.number) f
 where f.root is not null
   and exists (select 1 from lineage_sets s where s.repo = :repo and s.level = 'pr' and s.label = f.label)
 on conflict do nothing""",
    """insert into lineage_sets (repo, level, label, root)
select distinct :repo, 'issue', ci.issue_key, l.root
  from commit_issues ci join file_lineage l on l.repo = ci.repo and l.hash = ci.hash
 where ci.repo = :repo""",
    """insert into lineage_sets (repo, level, label, root)
select distinct :repo, 'issue', pi.issue_key, s.root
  from pr_issues pi join lineage_sets s on s.repo = :repo and s.level = 'pr'
       and s.label = pi.repo || '#' || cast(pi.number as text)
 on conflict do nothing""",
)
_PR_AT = f"""with {_PRC}
select pr_repo, number, max(committed_at) as at from prc group by pr_repo, number"""
_ISSUE_AT = """select ci.issue_key, max(c.committed_at) as at
  from commit_issues ci join lineage_commits c on c.repo = ci.repo and c.hash = ci.hash and c.files > 0
 where ci.repo = :repo
 group by ci.issue_key"""
_SIZES = "select level, label, count(*) as files from lineage_sets where repo = :repo group by level, label"
_REVISIONS = """insert into lineage_revisions (repo, level, root, files, sets)
select s.repo, s.level, s.root, z.files, count(*)
  from lineage_sets s join lineage_set_sizes z on z.repo = s.repo and z.level = s.level and z.label = s.label
 where s.repo = :repo
 group by s.repo, s.level, s.root, z.files"""
_INPUTS = """select (select count(*) from pr_commits) as pr_commits, (select count(*) from pr_files) as pr_files,
       (select count(*) from pr_issues) as pr_issues, (select count(*) from pull_requests) as prs,
       (select max(updated_at) from pull_requests) as updated,
       (select count(*) from commit_issues where repo = :repo) as commit_issues,
       (select value from cursors where source = 'derive' and target = 'link_rules') as rules,
       (select next_seq from lineage_state where repo = :repo) as replayed"""


def fingerprint(db: Writer, repo: str) -> str:
    row = db.one(_INPUTS, repo=repo) or {}
    return "|".join(f"{k}={row[k]}" for k in sorted(row))


def refresh(db: Writer, repo: str) -> None:
    """Rebuild the repository's PR and issue sets when their inputs changed."""
    now = fingerprint(db, repo)
    if db.scalar("select sets from lineage_state where repo = :repo", repo=repo) == now:
        return
    for table in ("lineage_sets", "lineage_set_sizes"):
        db.execute(f"delete from {table} where repo = :repo", repo=repo)
    db.execute("delete from lineage_revisions where repo = :repo and level <> 'commit'", repo=repo)
    for statement in _STATEMENTS:
        db.execute(statement, repo=repo)
    _write_sizes(db, repo)
    db.execute(_REVISIONS, repo=repo)
    db.execute("update lineage_state set sets = :sets where repo = :repo", sets=now, repo=repo)


def _write_sizes(db: Writer, repo: str) -> None:
    """Each set's distinct files and latest commit time (a PR: its commits'; an issue: its
    commits' and its PRs')."""
    at = {("pr", f"{r['pr_repo']}#{r['number']}"): int(r["at"]) for r in db.all(_PR_AT, repo=repo)}
    issue_at = {("issue", str(r["issue_key"])): int(r["at"]) for r in db.all(_ISSUE_AT, repo=repo)}
    for r in db.all("select issue_key, repo, number from pr_issues"):
        pr = at.get(("pr", f"{r['repo']}#{r['number']}"))
        if pr is not None:
            key = ("issue", str(r["issue_key"]))
            issue_at[key] = max(issue_at.get(key, 0), pr)
    at |= issue_at
    db.insert_rows("lineage_set_sizes", ("repo", "level", "label", "files", "at"),
                   [(repo, r["level"], r["label"], r["files"], at.get((str(r["level"]), str(r["label"])), 0))
                    for r in db.all(_SIZES, repo=repo)])
