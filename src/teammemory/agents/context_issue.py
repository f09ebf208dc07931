"""Context of an issue: "why is it so?" — the PRs, commits, files, linked issues and people behind it.

What is gathered (every item says how it was found, `found_by`):
- related PRs: those whose title/body/branch name the key (pr_issues), and those containing a
  commit linked to the key (commit_issues -> pr_commits, joined on the commit hash);
- commits: those naming the key (commit_issues) and the commits of the related PRs; merge
  commits are kept apart (`merges`) so the list shows the work, not the bookkeeping;
- changed files: paths of those non-merge commits with distinct commits and added/deleted totals,
  ordered by (-commits, -lines, path);
- linked issues (issue_links, both directions) with their summary and status;
- people in context: authors (commit authors and co-authors, PR authors), then reviewers, then
  commenters (Jira, PR and review comments); each person once, in their first group; inside a
  group (-count, name, key); bots left out;
- the status timeline (issue_transitions), oldest first.

The idea is the "context" query of team-memory tools: an issue key is the join point between
Jira, GitHub and git (cf. pydriller's and code-maat's commit-issue coupling by message key).
A key that only commits or PRs mention (its issue was never ingested) still gets an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teammemory.agents.context_common import (
    PR_OF_COMMIT,
    CommitRef,
    FileChurn,
    PersonInContext,
    PrRef,
    commit_refs,
    excerpt,
    file_churn,
    key_order,
    person,
    pr_refs,
    rank_people,
    who,
)
from teammemory.agents.evidence import Person, iso_day, not_found
from teammemory.config import Config
from teammemory.model import issue_project
from teammemory.store import Reader, Row


@dataclass(frozen=True)
class LinkedIssue:
    key: str
    link: str  # 'is duplicated by', 'blocks', or the link type
    link_type: str
    direction: str
    summary: str
    status: str
    ingested: bool


@dataclass(frozen=True)
class StatusChange:
    at: int
    date: str
    from_status: str
    to_status: str
    who: str


@dataclass(frozen=True)
class IssueContext:
    key: str
    ingested: bool
    summary: str
    status: str
    status_category: str
    priority: str
    issue_type: str
    resolution: str
    components: tuple[str, ...]
    reporter: Person | None
    assignee: Person | None
    created_at: int | None
    created: str
    resolved_at: int | None
    resolved: str
    url: str
    description: str
    prs: tuple[PrRef, ...]
    commits: tuple[CommitRef, ...]
    merges: tuple[CommitRef, ...]
    files: tuple[FileChurn, ...]
    links: tuple[LinkedIssue, ...]
    people: tuple[PersonInContext, ...]
    transitions: tuple[StatusChange, ...]


_R, _RJ = who("i.reporter_key", "r")
_S, _SJ = who("i.assignee_key", "s")
ISSUE_SQL = f"select i.*, {_R}, {_S} from issues i {_RJ} {_SJ} where lower(i.key) = lower(:key)"

RELATED = f"""
with related_prs as (
  select pi.repo, pi.number, pi.found_by
    from pr_issues pi where pi.issue_key = :key
  union
  select p.repo, p.number, 'contains commit ' || substr(ci.hash, 1, 7) || ' linked to ' || ci.issue_key
    from commit_issues ci join pr_commits pc on pc.hash = ci.hash join pull_requests p on {PR_OF_COMMIT}
   where ci.issue_key = :key
),
issue_commits as (
  select ci.repo, ci.hash, ci.found_by from commit_issues ci where ci.issue_key = :key
  union
  select c.repo, c.hash, 'in PR #' || cast(r.number as varchar(12)) as found_by
    from related_prs r join pr_commits pc on pc.number = r.number and (pc.repo = r.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
    join commits c on c.hash = pc.hash
)
"""

_A, _AJ = who("p.author_key", "a")
PRS_SQL = RELATED + f"""
select p.repo, p.number, p.title, p.state, p.merged_at, p.created_at, r.found_by, {_A}
  from related_prs r join pull_requests p on p.repo = r.repo and p.number = r.number {_AJ}"""

_C, _CJ = who("c.author_key", "a")
COMMITS_SQL = RELATED + f"""
select c.repo, c.hash, c.subject, c.authored_at, c.is_merge, ic.found_by, {_C}
  from issue_commits ic join commits c on c.repo = ic.repo and c.hash = ic.hash {_CJ}"""

FILES_SQL = RELATED + """
select distinct cf.repo, cf.hash, cf.path, cf.added, cf.deleted
  from issue_commits ic cross join commits c cross join commit_files cf
 where c.repo = ic.repo and c.hash = ic.hash and c.is_merge = 0
   and cf.repo = c.repo and cf.hash = c.hash"""  # from the issue's few commits (SQLite keeps this order)

_W, _WJ = who("f.ik", "w")
PEOPLE_SQL = RELATED + f"""
, facts as (
  select distinct 'author' as role, cp.identity_key as ik, 'c:' || c.repo || ':' || c.hash as ref
    from issue_commits ic join commits c on c.repo = ic.repo and c.hash = ic.hash and c.is_merge = 0
    join commit_people cp on cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')
  union all
  select distinct 'author', p.author_key, 'p:' || p.repo || ':' || cast(p.number as varchar(12))
    from related_prs r join pull_requests p on p.repo = r.repo and p.number = r.number
  union all
  select distinct 'reviewer', v.reviewer_key, 'v:' || v.repo || ':' || v.review_id
    from related_prs r join reviews v on v.repo = r.repo and v.number = r.number
  union all
  select 'commenter', m.author_key, 'j:' || m.comment_id from issue_comments m where m.issue_key = :key
  union all
  select distinct 'commenter', m.author_key, 'g:' || m.repo || ':' || m.comment_id
    from related_prs r join pr_comments m on m.repo = r.repo and m.number = r.number
  union all
  select distinct 'commenter', m.author_key, 'rc:' || m.repo || ':' || m.comment_id
    from related_prs r join review_comments m on m.repo = r.repo and m.number = r.number
)
select f.role, f.ref, {_W} from facts f {_WJ} where f.ik is not null"""

LINKS_SQL = """
select l.other_key, l.link_type, l.direction, l.description, o.summary, o.status
  from issue_links l left join issues o on o.key = l.other_key where l.issue_key = :key
union all
select l.issue_key, l.link_type, case when l.direction = 'outward' then 'inward' else 'outward' end, '',
       o.summary, o.status
  from issue_links l left join issues o on o.key = l.issue_key where l.other_key = :key"""

_T, _TJ = who("t.author_key", "t")
TRANSITIONS_SQL = f"""select t.at, t.from_status, t.to_status, {_T}
  from issue_transitions t {_TJ} where t.issue_key = :key"""


def ask_issue(db: Reader, key: str, *, now: datetime, config: Config) -> IssueContext:
    """Everything the store links to issue `key` (case-insensitive), each item with its evidence."""
    row = db.one(ISSUE_SQL, key=key.strip())
    canonical = str(row["key"]) if row else _referenced_key(db, key.strip())
    prs = pr_refs(db.all(PRS_SQL, key=canonical))
    commits, merges = commit_refs(db.all(COMMITS_SQL, key=canonical))
    components = tuple(sorted(r["component"] for r in db.all(
        "select component from issue_components where issue_key = :key", key=canonical)))
    facts = [(str(r["role"]), str(r["ref"]), person(r, "w"), bool(r["w_bot"]))
             for r in db.all(PEOPLE_SQL, key=canonical)]
    people = rank_people((role, p, bot) for role, _, p, bot in sorted(set(facts), key=_fact_order) if p)
    return _build(canonical, row, components, tuple(prs), tuple(commits), tuple(merges),
                  tuple(file_churn(db.all(FILES_SQL, key=canonical))),
                  rank_links(db.all(LINKS_SQL, key=canonical)), people,
                  rank_transitions(db.all(TRANSITIONS_SQL, key=canonical)))


def _fact_order(fact: tuple[str, str, Person | None, bool]) -> tuple[str, str, str]:
    return (fact[0], fact[1], fact[2].key if fact[2] else "")


def _referenced_key(db: Reader, key: str) -> str:
    """The key as commits or PRs spell it, for an issue that was never ingested; else NotFound."""
    refs = db.all("select distinct issue_key from commit_issues where lower(issue_key) = lower(:k)"
                  " union select distinct issue_key from pr_issues where lower(issue_key) = lower(:k)", k=key)
    if refs:
        return sorted(str(r["issue_key"]) for r in refs)[0]
    project = issue_project(key) if "#" in key or "-" in key else ""
    pool = db.all("select key from issues where lower(project) = lower(:p)", p=project) if project else []
    pool = pool or db.all("select key from issues")
    raise not_found("issue", key, [str(r["key"]) for r in pool])


def rank_links(rows: list[Row]) -> tuple[LinkedIssue, ...]:
    """Pure: one entry per (other key, link type, direction), in key order."""
    out: dict[tuple[str, str, str], LinkedIssue] = {}
    for r in rows:
        k = (str(r["other_key"]), str(r["link_type"]), str(r["direction"]))
        link = str(r["description"] or "") or f"{r['link_type']} ({r['direction']})"
        out.setdefault(k, LinkedIssue(k[0], link, k[1], k[2], str(r["summary"] or ""), str(r["status"] or ""),
                                      r["status"] is not None))
    return tuple(sorted(out.values(), key=lambda li: (key_order(li.key), li.link_type, li.direction)))


def rank_transitions(rows: list[Row]) -> tuple[StatusChange, ...]:
    """Pure: the status timeline, oldest first (ties by target status)."""
    out = [StatusChange(int(r["at"]), iso_day(int(r["at"])), str(r["from_status"]), str(r["to_status"]),
                        str(r["t_name"] or "")) for r in rows]
    return tuple(sorted(out, key=lambda t: (t.at, t.to_status, t.from_status)))


def _build(key: str, row: Row | None, components: tuple[str, ...], prs: tuple[PrRef, ...],
           commits: tuple[CommitRef, ...], merges: tuple[CommitRef, ...], files: tuple[FileChurn, ...],
           links: tuple[LinkedIssue, ...], people: tuple[PersonInContext, ...],
           transitions: tuple[StatusChange, ...]) -> IssueContext:
    r = row or {}

    def text(col: str) -> str:
        return str(r.get(col) or "")

    created = r.get("created_at")
    resolved = r.get("resolved_at")
    return IssueContext(
        key=key, ingested=row is not None, summary=text("summary"), status=text("status"),
        status_category=text("status_category"), priority=text("priority"), issue_type=text("issue_type"),
        resolution=text("resolution"), components=components, reporter=person(r, "r"),
        assignee=person(r, "s"),
        created_at=created, created=iso_day(created), resolved_at=resolved, resolved=iso_day(resolved),
        url=text("url"), description=excerpt(text("description")), prs=prs, commits=commits, merges=merges,
        files=files, links=links, people=people, transitions=transitions)


__all__ = ["IssueContext", "LinkedIssue", "StatusChange", "ask_issue", "rank_links", "rank_transitions"]
