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

from collections import defaultdict
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
    pr_refs,
    who,
)
from teammemory.agents.evidence import iso_day, not_found
from teammemory.agents.people import chunked
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


# Reading a commit row is what costs on a long history, so only SPINE_SQL joins `commits`: it
# applies the history's conditions (each earlier name up to its rename; merges flagged) to every
# (commit, name) of the file once. The other queries go from the names straight to the commit's
# people, issues and PRs, and Python keeps the rows whose (repo, hash, path) the spine kept. The
# people behind identity keys are read once per key (WHO_SQL), not once per row.
SPINE_SQL = """with {target}
select c.repo, c.hash, t.path, c.subject, c.authored_at, c.is_merge, c.author_key,
       cf.added + cf.deleted as churn
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commits c on c.repo = cf.repo and c.hash = cf.hash
 where c.committed_at <= t.until_at"""

CHANGERS_SQL = """with {target}
select cf.repo, cf.hash, t.path, cp.identity_key
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commit_people cp on cp.repo = cf.repo and cp.hash = cf.hash and cp.role in ('author', 'co-author')"""

_W, _WJ = who("x.key", "w")
WHO_SQL = "select x.key, " + _W + " from identities x " + _WJ + " where x.key in ({keys})"

ISSUES_SQL = """with {target}
select ci.issue_key, cf.repo, cf.hash, t.path, i.summary, i.status, ci.found_by
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commit_issues ci on ci.repo = cf.repo and ci.hash = cf.hash
  left join issues i on i.key = ci.issue_key"""

_A, _AJ = who("p.author_key", "a")
PR_COMMITS_SQL = """with {target}
select p.repo, p.number, p.title, p.state, p.merged_at, p.created_at, cf.hash as c_hash, cf.repo as c_repo,
       t.path as c_path, """ + _A + """
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join pr_commits pc on pc.hash = cf.hash
  join pull_requests p on """ + PR_OF_COMMIT + " " + _AJ

PR_FILES_SQL = """with {target}
select p.repo, p.number, p.title, p.state, p.merged_at, p.created_at, 'lists ' || pf.path as found_by, """ + _A + """
  from target t join pr_files pf on pf.path = t.path
  join pull_requests p on p.repo = pf.repo and p.number = pf.number """ + _AJ + """
 where coalesce(p.created_at, 0) <= t.until_at"""

Spine = dict[tuple[str, str, str], Row]  # (repo, hash, path) -> its SPINE_SQL row
Who = dict[str, tuple[str, str, int]]  # identity key -> (person key, name, is_bot) as context_common.who reads them


def ask_file(db: Reader, path: str, *, now: datetime, config: Config, repo: str | None = None,
             limit: int = 10) -> FileContext:
    """The story of `path` (renames followed); NotFound with close paths when the store lacks it."""
    path = path.strip().removeprefix("./")
    repos = lineage_of.file_repos(db, path, repo)
    if not repos:
        raise not_found("file", path, lineage_of.all_paths(db))
    spans = lineage_of.lineage(db, path, repos)
    cte, params = lineage_of.spans_cte(spans)
    spine = {(str(r["repo"]), str(r["hash"]), str(r["path"])): r
             for r in db.all(SPINE_SQL.format(target=cte), **params)}
    work = {k: r for k, r in spine.items() if not r["is_merge"]}
    changers = db.all(CHANGERS_SQL.format(target=cte), **params)
    newest = newest_rows(list(work.values()), limit)
    people = _who(db, {str(r["identity_key"]) for r in changers} | {str(r["author_key"]) for r in newest})
    recent, _ = commit_refs(_authored(newest, people))
    components = {str(r["component"]) for r in db.all("select repo, component from files where path = :p",
                                                      p=path) if r["repo"] in repos}
    return FileContext(
        path=path, repos=tuple(repos), component=sorted(components - {""} or {""})[0],
        earlier_paths=tuple(sorted({s.path for s in spans} - {path})),
        commit_count=len({k[:2] for k in work}),
        changed_most=tuple(rank_changers(changers, work, people)[:limit]),
        last_touched=recent[0] if recent else None,
        issues=tuple(rank_issues(_kept(db.all(ISSUES_SQL.format(target=cte), **params), work, "commit {}: "))),
        prs=tuple(pr_refs(_kept(db.all(PR_COMMITS_SQL.format(target=cte), **params), spine, "contains commit {}",
                                "c_") + db.all(PR_FILES_SQL.format(target=cte), **params))),
        recent=tuple(recent[:limit]))


def _who(db: Reader, keys: set[str]) -> Who:
    """The person behind each identity key (an unknown key is its own person, not a bot)."""
    found = {str(r["key"]): (str(r["w_key"]), str(r["w_name"]), int(r["w_bot"]))
             for r in chunked(db, WHO_SQL, keys)}
    return {k: found.get(k) or (k, k, 0) for k in keys}


def newest_rows(rows: list[Row], limit: int) -> list[Row]:
    """Pure: the spine rows of the newest `limit` distinct commits (at least the newest one, for
    `last_touched`; ties: repo, hash): thousands of commits are counted, refs are built for these."""
    order: dict[tuple[str, str], tuple[int, str, str]] = {}
    for r in rows:
        order[(str(r["repo"]), str(r["hash"]))] = (-int(r["authored_at"]), str(r["repo"]), str(r["hash"]))
    newest = set(sorted(order, key=order.__getitem__)[:max(limit, 1) if limit >= 0 else None])
    return [r for r in rows if (str(r["repo"]), str(r["hash"])) in newest]


def _authored(rows: list[Row], people: Who) -> list[Row]:
    """Spine rows as `commit_refs` reads them: with `found_by` and the author's a_key/a_name."""
    for r in rows:
        r["found_by"] = "changed " + str(r["path"])
        r["a_key"], r["a_name"], _ = people[str(r["author_key"])]
    return rows


def _kept(rows: list[Row], spine: Spine, found_by: str, prefix: str = "") -> list[Row]:
    """The rows whose commit and path the spine kept, each with its `found_by` (a format of the
    commit's short hash, before the row's own `found_by` when it has one)."""
    out = []
    for r in rows:
        h = str(r[prefix + "hash"])
        if (str(r[prefix + "repo"]), h, str(r[prefix + "path"])) in spine:
            r["found_by"] = found_by.format(h[:7]) + str(r.get("found_by") or "")
            out.append(r)
    return out


def rank_changers(rows: list[Row], spine: Spine, people: Who) -> list[FileChanger]:
    """Pure: per person (bots left out) distinct commits and churn over the (repo, hash, path,
    identity_key) rows whose change the spine kept (it has their authored_at and churn);
    (-commits, -churn, name, key). A person's name is the one on their first row."""
    commits: dict[str, set[tuple[str, str]]] = {}
    lines: dict[str, int] = {}
    last: dict[str, int] = {}
    names: dict[str, str] = {}
    counted: set[tuple[str, tuple[str, str, str]]] = set()  # (person, change): its churn counts once
    for r in rows:
        pk, name, bot = people[str(r["identity_key"])]
        change = (str(r["repo"]), str(r["hash"]), str(r["path"]))
        commit = spine.get(change)
        if bot or commit is None:
            continue
        if pk not in names:
            names[pk], commits[pk], lines[pk], last[pk] = name, set(), 0, 0
        commits[pk].add(change[:2])
        if (pk, change) not in counted:
            counted.add((pk, change))
            lines[pk] += int(commit["churn"] or 0)
        last[pk] = max(last[pk], int(commit["authored_at"]))
    out = [FileChanger(k, names[k], len(commits[k]), lines[k], last[k], iso_day(last[k])) for k in commits]
    return sorted(out, key=lambda c: (-c.commits, -c.churn, c.name, c.key))


def rank_issues(rows: list[Row]) -> list[IssueBehind]:
    """Pure: issues behind the file's commits, most commits first, then key order."""
    counts: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        counts[str(r["issue_key"])].add((str(r["repo"]), str(r["hash"])))
    refs = issue_refs(rows)  # already in key order; the sort below is stable
    return sorted((IssueBehind(ref, len(counts[ref.key])) for ref in refs), key=lambda b: -b.commits)
