"""Context of a file: who shaped it, which issues and PRs are behind its changes, what it was called.

- history: the file's commits, following renames backwards (paths.lineage: each earlier name
  counts up to the rename, as `git log --follow` does);
- changed most: authors and co-authors of its non-merge commits, ranked by (-commits, -churn,
  name, key), where churn = lines added + deleted on the file; bots left out;
- last touched: its latest non-merge commit (ties: repo, hash);
- issues: keys its commits name (commit_issues), most commits first, then key order;
- PRs: those containing one of its commits (pr_commits, joined on the hash) or listing the file
  (pr_files), newest first;
- recent commits: newest non-merge commits first (ties: repo, hash), `limit` of them;
- incidents: those (agents/incidents.py, as of `now`) whose causes or fixes changed one of the
  file's names in its repositories, each with how it relates (caused by / fixed by a commit or
  PR); latest start first, then key.

Sources: code-maat's `entity-ownership`/`main-dev` (who holds a file, by commits and churn) and
`git log --follow`; the issue/PR trail is the "why" a file is the way it is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from teammemory.agents import incidents, paths, persons
from teammemory.agents.context_common import (
    CommitRef,
    CommitRow,
    IncidentRef,
    IssueKeyRow,
    IssueRef,
    PrRef,
    PrRow,
    commit_refs,
    incident_refs,
    issue_refs,
    pr_refs,
)
from teammemory.agents.evidence import epoch, iso_day, not_found
from teammemory.agents.issue_state import issue_rows_at, pr_rows_at
from teammemory.config import Config
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "context_file.sql")


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
    incidents: tuple[IncidentRef, ...] = ()
    changer_count: int = 0  # people who changed it (changed_most holds the first `limit`)


class SpineRow(NamedTuple):
    repo: str
    hash: str
    path: str
    subject: str
    authored_at: int
    is_merge: int
    author_key: str
    churn: int


class ChangerRow(NamedTuple):
    repo: str
    hash: str
    path: str
    identity_key: str


class FileIssueRow(NamedTuple):
    issue_key: str
    repo: str
    hash: str
    path: str
    summary: str | None
    status: str | None
    found_by: str


class PrCommitRow(NamedTuple):
    repo: str
    number: int
    title: str
    state: str
    merged_at: int | None
    closed_at: int | None
    created_at: int | None
    c_hash: str
    c_repo: str
    c_path: str
    a_key: str | None
    a_name: str | None


class ComponentRow(NamedTuple):
    repo: str
    component: str


Spine = dict[tuple[str, str, str], SpineRow]  # (repo, hash, path) -> its `spine` row
Who = dict[str, persons.Who]  # account key -> its person (persons.lookup)


def ask_file(db: Reader, path: str, *, now: datetime, config: Config, repo: str | None = None,
             limit: int = 10) -> FileContext:
    """The story of `path` (renames followed); NotFound with close paths when the store lacks it."""
    path = path.strip().removeprefix("./")
    paths.check_repo(db, repo)
    at = epoch(now)
    repos = paths.file_repos(db, path, repo, now=at)
    if not repos:
        raise not_found("file", path, paths.all_paths(db, now=at, repo=repo))
    spans = paths.lineage(db, path, repos)
    cte, params = paths.spans_cte(spans)
    params["now"] = at
    spine = {(r.repo, r.hash, r.path): r for r in db.fetch(Q["spine"].fill(target=cte), SpineRow, **params)}
    work = {k: r for k, r in spine.items() if not r.is_merge}
    changers = db.fetch(Q["changers"].fill(target=cte), ChangerRow, **params)
    newest = newest_rows(list(work.values()), limit)
    people = persons.lookup(db, {r.identity_key for r in changers} | {r.author_key for r in newest})
    recent, _ = commit_refs(_authored(newest, people))
    ranked = rank_changers(changers, work, people)
    components = {r.component for r in db.fetch(Q["file-components"], ComponentRow, path=path) if r.repo in repos}
    issues = issue_rows_at(db, db.fetch(Q["issues"].fill(target=cte), FileIssueRow, **params), at)
    prs = _prs_kept(db.fetch(Q["pr-commits"].fill(target=cte), PrCommitRow, **params), spine)
    return FileContext(
        path=path, repos=tuple(repos), component=sorted(components - {""} or {""})[0],
        earlier_paths=tuple(sorted({s.path for s in spans} - {path})),
        commit_count=len({k[:2] for k in work}),
        changed_most=tuple(ranked[:limit]), changer_count=len(ranked),
        last_touched=recent[0] if recent else None,
        issues=tuple(rank_issues(_issues_kept(issues, work))),
        prs=tuple(pr_refs(pr_rows_at(prs + db.fetch(Q["pr-files"].fill(target=cte), PrRow, **params), at))),
        recent=tuple(recent[:limit]),
        incidents=tuple(incident_refs(incidents.load(db, now=at), {(s.repo, s.path) for s in spans})))


def newest_rows(rows: list[SpineRow], limit: int) -> list[SpineRow]:
    """Pure: the spine rows of the newest `limit` distinct commits (at least the newest one, for
    `last_touched`; ties: repo, hash): thousands of commits are counted, refs are built for these."""
    order: dict[tuple[str, str], tuple[int, str, str]] = {}
    for r in rows:
        order[(r.repo, r.hash)] = (-r.authored_at, r.repo, r.hash)
    newest = set(sorted(order, key=order.__getitem__)[:max(limit, 1) if limit >= 0 else None])
    return [r for r in rows if (r.repo, r.hash) in newest]


def _authored(rows: list[SpineRow], people: Who) -> list[CommitRow]:
    """Spine rows as `commit_refs` reads them: found by the name changed, with the author's person."""
    out = []
    for r in rows:
        author = persons.who(people, r.author_key).person
        out.append(CommitRow(r.repo, r.hash, r.subject, r.authored_at, r.is_merge, "changed " + r.path,
                             author.key, author.name))
    return out


def _issues_kept(rows: list[FileIssueRow], work: Spine) -> list[FileIssueRow]:
    """The rows whose change the spine kept, found by 'commit <short hash>: <how the commit names it>'."""
    return [r._replace(found_by=f"commit {r.hash[:7]}: {r.found_by}") for r in rows
            if (r.repo, r.hash, r.path) in work]


def _prs_kept(rows: list[PrCommitRow], spine: Spine) -> list[PrRow]:
    """The PRs of the changes the spine kept, found by 'contains commit <short hash>'."""
    return [PrRow(r.repo, r.number, r.title, r.state, r.merged_at, r.closed_at, r.created_at,
                  f"contains commit {r.c_hash[:7]}",
                  r.a_key, r.a_name) for r in rows if (r.c_repo, r.c_hash, r.c_path) in spine]


def rank_changers(rows: list[ChangerRow], spine: Spine, people: Who) -> list[FileChanger]:
    """Pure: per person (bots left out) distinct commits and churn over the (repo, hash, path,
    identity_key) rows whose change the spine kept (it has their authored_at and churn);
    (-commits, -churn, name, key). A person's name is the one on their first row."""
    commits: dict[str, set[tuple[str, str]]] = {}
    lines: dict[str, int] = {}
    last: dict[str, int] = {}
    names: dict[str, str] = {}
    counted: set[tuple[str, tuple[str, str, str]]] = set()  # (person, change): its churn counts once
    for r in rows:
        who = persons.who(people, r.identity_key)
        pk = who.person.key
        change = (r.repo, r.hash, r.path)
        commit = spine.get(change)
        if who.is_bot or commit is None:
            continue
        if pk not in names:
            names[pk], commits[pk], lines[pk], last[pk] = who.person.name, set(), 0, 0
        commits[pk].add(change[:2])
        if (pk, change) not in counted:
            counted.add((pk, change))
            lines[pk] += commit.churn or 0
        last[pk] = max(last[pk], commit.authored_at)
    out = [FileChanger(k, names[k], len(commits[k]), lines[k], last[k], iso_day(last[k])) for k in commits]
    return sorted(out, key=lambda c: (-c.commits, -c.churn, c.name, c.key))


def rank_issues(rows: list[FileIssueRow]) -> list[IssueBehind]:
    """Pure: issues behind the file's commits, most commits first, then key order."""
    counts: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in rows:
        counts[r.issue_key].add((r.repo, r.hash))
    refs = issue_refs(IssueKeyRow(r.issue_key, r.summary, r.status, r.found_by) for r in rows)  # in key order
    return sorted((IssueBehind(ref, len(counts[ref.key])) for ref in refs), key=lambda b: -b.commits)
