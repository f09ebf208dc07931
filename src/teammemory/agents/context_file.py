"""Context of a file: who shaped it, which issues and PRs are behind its changes, what it was called.

- history: the file's commits, following renames backwards (people.lineage: each earlier name
  counts up to the rename, as `git log --follow` does);
- changed most: authors and co-authors of its non-merge commits, ranked by (-commits, -churn,
  name, key), where churn = lines added + deleted on the file; bots left out;
- last touched: its latest non-merge commit (ties: repo, hash);
- issues: keys its commits name (commit_issues), most commits first, then key order;
- PRs: those containing one of its commits (pr_commits, joined on the hash) or listing the file
  (pr_files), newest first;
- recent commits: newest non-merge commits first (ties: repo, hash), `limit` of them.

Sources: code-maat's `entity-ownership`/`main-dev` (who holds a file, by commits and churn) and
`git log --follow`; the issue/PR trail is the "why" a file is the way it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teammemory.agents import people as lineage_of
from teammemory.agents.context_common import (
    PR_OF_COMMIT,
    CommitRef,
    IssueRef,
    PrRef,
    commit_refs,
    issue_refs,
    person,
    pr_refs,
    who,
)
from teammemory.agents.evidence import iso_day, not_found
from teammemory.config import Config
from teammemory.store import Reader, Row


@dataclass(frozen=True)
class FileChanger:
    key: str
    name: str
    commits: int
    churn: int
    last_at: int
    last: str


@dataclass(frozen=True)
class IssueBehind:
    issue: IssueRef
    commits: int


@dataclass(frozen=True)
class FileContext:
    path: str
    repos: tuple[str, ...]
    component: str
    earlier_paths: tuple[str, ...]
    commit_count: int  # non-merge commits over the whole lineage
    changed_most: tuple[FileChanger, ...]
    last_touched: CommitRef | None
    issues: tuple[IssueBehind, ...]
    prs: tuple[PrRef, ...]
    recent: tuple[CommitRef, ...]


_C, _CJ = who("c.author_key", "a")
COMMITS_SQL = """with {target}
select c.repo, c.hash, c.subject, c.authored_at, c.is_merge, 'changed ' || t.path as found_by, """ + _C + """
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commits c on c.repo = cf.repo and c.hash = cf.hash """ + _CJ + """
 where c.committed_at <= t.until_at"""

_W, _WJ = who("cp.identity_key", "w")
CHANGERS_SQL = """with {target}
select distinct c.repo, c.hash, t.path, c.authored_at, cf.added + cf.deleted as churn, """ + _W + """
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commits c on c.repo = cf.repo and c.hash = cf.hash and c.is_merge = 0
  join commit_people cp on cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')
  """ + _WJ + """
 where c.committed_at <= t.until_at"""

ISSUES_SQL = """with {target}
select distinct ci.issue_key, c.repo, c.hash, i.summary, i.status,
       'commit ' || substr(c.hash, 1, 7) || ': ' || ci.found_by as found_by
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commits c on c.repo = cf.repo and c.hash = cf.hash and c.is_merge = 0
  join commit_issues ci on ci.repo = c.repo and ci.hash = c.hash
  left join issues i on i.key = ci.issue_key
 where c.committed_at <= t.until_at"""

_A, _AJ = who("p.author_key", "a")
PRS_SQL = """with {target}
select p.repo, p.number, p.title, p.state, p.merged_at, p.created_at,
       'contains commit ' || substr(c.hash, 1, 7) as found_by, """ + _A + """
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commits c on c.repo = cf.repo and c.hash = cf.hash
  join pr_commits pc on pc.hash = c.hash
  join pull_requests p on """ + PR_OF_COMMIT + " " + _AJ + """
 where c.committed_at <= t.until_at
union all
select p.repo, p.number, p.title, p.state, p.merged_at, p.created_at, 'lists ' || pf.path, """ + _A + """
  from target t join pr_files pf on pf.path = t.path
  join pull_requests p on p.repo = pf.repo and p.number = pf.number """ + _AJ + """
 where coalesce(p.created_at, 0) <= t.until_at"""


def ask_file(db: Reader, path: str, *, now: datetime, config: Config, repo: str | None = None,
             limit: int = 10) -> FileContext:
    """The story of `path` (renames followed); NotFound with close paths when the store lacks it."""
    path = path.strip().removeprefix("./")
    repos = lineage_of.file_repos(db, path, repo)
    if not repos:
        raise not_found("file", path, lineage_of.all_paths(db))
    spans = lineage_of.lineage(db, path, repos)
    cte, params = lineage_of.spans_cte(spans)
    commits, _ = commit_refs(db.all(COMMITS_SQL.format(target=cte), **params))
    components = {str(r["component"]) for r in db.all("select repo, component from files where path = :p",
                                                      p=path) if r["repo"] in repos}
    return FileContext(
        path=path, repos=tuple(repos), component=sorted(components - {""} or {""})[0],
        earlier_paths=tuple(sorted({s.path for s in spans} - {path})), commit_count=len(commits),
        changed_most=tuple(rank_changers(db.all(CHANGERS_SQL.format(target=cte), **params))[:limit]),
        last_touched=commits[0] if commits else None,
        issues=tuple(rank_issues(db.all(ISSUES_SQL.format(target=cte), **params))),
        prs=tuple(pr_refs(db.all(PRS_SQL.format(target=cte), **params))), recent=tuple(commits[:limit]))


def rank_changers(rows: list[Row]) -> list[FileChanger]:
    """Pure: per person (bots left out) distinct commits and churn; (-commits, -churn, name, key)."""
    commits: dict[str, set[tuple[str, str]]] = {}
    churn: dict[tuple[str, str, str, str], int] = {}
    last: dict[str, int] = {}
    names: dict[str, str] = {}
    for r in rows:
        p = person(r, "w")
        if p is None or r["w_bot"]:
            continue
        commits.setdefault(p.key, set()).add((str(r["repo"]), str(r["hash"])))
        churn[(p.key, str(r["repo"]), str(r["hash"]), str(r["path"]))] = int(r["churn"] or 0)
        last[p.key] = max(last.get(p.key, 0), int(r["authored_at"]))
        names.setdefault(p.key, p.name)
    lines = dict.fromkeys(commits, 0)
    for (pk, *_), n in churn.items():
        lines[pk] += n
    out = [FileChanger(k, names[k], len(commits[k]), lines[k], last[k], iso_day(last[k])) for k in commits]
    return sorted(out, key=lambda c: (-c.commits, -c.churn, c.name, c.key))


def rank_issues(rows: list[Row]) -> list[IssueBehind]:
    """Pure: issues behind the file's commits, most commits first, then key order."""
    counts: dict[str, set[tuple[str, str]]] = {}
    for r in rows:
        counts.setdefault(str(r["issue_key"]), set()).add((str(r["repo"]), str(r["hash"])))
    refs = issue_refs(rows)  # already in key order; the sort below is stable
    return sorted((IssueBehind(ref, len(counts[ref.key])) for ref in refs), key=lambda b: -b.commits)
