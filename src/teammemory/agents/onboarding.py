"""Onboarding: what should a newcomer to a component read first, and whom should they ask?

A component is what `files.component` (config rules) or a Jira component says. Four lists, each
cut to `limit` (default `config.onboarding_limit`):

issues — ingested issues in the Jira component, or named by a commit/PR that changed its files:
    score = linked_commits*3 + linked_prs*3 + comments*1 + links*2 + bug*5
  linked_commits: distinct non-merge commits naming the key; linked_prs: distinct PRs naming it
  or containing such a commit; comments: Jira comments; links: linked issues (either side);
  bug: 1 when the type is one of config.bug_issue_types.
  Ties: -score, -last update (updated, else created), natural key order.
PRs — non-bot PRs that list a file of the component or contain a commit that changed one:
    score = component_files*2 + reviews*3 + review_comments*2 + comments*1 + issue_linked*5
  component_files: distinct component paths among its files and its commits' files;
  issue_linked: 1 when the PR or one of its commits names an issue key.
  Ties: -score, -(merged, else created), repo, number.
files — the component's files, by distinct (non-bot) people who changed them, then non-merge
  commits, then churn (lines added + deleted), then path (totals summed in SQL, ranked in Python).
people — expertise.ask_component (its own formula: commits, reviews, comments, churn, recency).

The component's commits and per-file totals come from the summary tables (store/summaries.py),
so a component holding most of a long history is still read as one index range.

Why these weights: an issue that many commits, PRs, comments and links point to is where the
component's decisions were argued (the "hotspot" idea of code-maat and Tornhill's "Your Code as a
Crime Scene", applied to the tracker); bugs teach the failure modes; reviewed PRs carry the
explanations. Every score keeps its inputs and terms (evidence.Score).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from teammemory.agents import expertise
from teammemory.agents import people as directory
from teammemory.agents.context_common import PR_OF_COMMIT, key_order, person, who, who_key
from teammemory.agents.evidence import Person, Score, iso_day, not_found
from teammemory.config import Config
from teammemory.store import Reader, Row

ISSUE_FORMULA = "linked_commits*3 + linked_prs*3 + comments*1 + links*2 + bug*5"
PR_FORMULA = "component_files*2 + reviews*3 + review_comments*2 + comments*1 + issue_linked*5"
K = TypeVar("K")
RANKING = (
    ("issues", f"score = {ISSUE_FORMULA}; ties: later update, then key"),
    ("prs", f"score = {PR_FORMULA}; bot PRs left out; ties: later merge/creation, then repo, number"),
    ("files", "distinct people who changed it, then commits, then lines changed, then path"),
    ("people", "expertise score over the component's files (commits, reviews, comments, churn, recency)"),
)


@dataclass(frozen=True)
class RankedIssue:
    key: str
    summary: str
    status: str
    issue_type: str
    score: Score
    found_by: tuple[str, ...]


@dataclass(frozen=True)
class RankedPr:
    repo: str
    number: int
    title: str
    state: str
    author: Person | None
    date: str
    score: Score


@dataclass(frozen=True)
class CentralFile:
    path: str
    people: int
    commits: int
    churn: int
    last_at: int
    last: str


@dataclass(frozen=True)
class PersonToAsk:
    person: Person
    score: Score
    summary: str


@dataclass(frozen=True)
class Onboarding:
    component: str
    ranking: tuple[tuple[str, str], ...]
    issues: tuple[RankedIssue, ...]
    prs: tuple[RankedPr, ...]
    files: tuple[CentralFile, ...]
    people: tuple[PersonToAsk, ...]


SCOPE = f"""with comp_files as (select repo, path from files where lower(component) = lower(:c)),
comp_commits as (
  select cc.repo, cc.hash from component_commits cc
   where cc.component in (select distinct component from files where lower(component) = lower(:c))
     and cc.is_merge = 0),
comp_prs as (
  select pf.repo, pf.number, pf.path from comp_files f join pr_files pf on pf.path = f.path
  union
  select p.repo, p.number, cf.path from pull_requests p cross join pr_commits pc cross join comp_commits cc
    join commit_files cf on cf.repo = cc.repo and cf.hash = cc.hash
    join files f on f.repo = cf.repo and f.path = cf.path and lower(f.component) = lower(:c)
   where {PR_OF_COMMIT} and cc.hash = pc.hash),
comp_issues as (
  select ic.issue_key as k, 'Jira component ' || ic.component as found_by from issue_components ic
   where lower(ic.component) = lower(:c)
  union
  select ci.issue_key, 'its commits change the component' from comp_commits cc
    join commit_issues ci on ci.repo = cc.repo and ci.hash = cc.hash
  union
  select pi.issue_key, 'its PRs change the component' from comp_prs cp
    join pr_issues pi on pi.repo = cp.repo and pi.number = cp.number)
"""

ISSUES_SQL = SCOPE + """
select x.found_by, i.key, i.summary, i.status, i.issue_type, i.created_at, i.updated_at
  from comp_issues x join issues i on i.key = x.k"""

ISSUE_FACTS_SQL = SCOPE + f""", keys as (select distinct x.k from comp_issues x join issues i on i.key = x.k)
select ci.issue_key as k, 'commit' as kind, ci.repo || ':' || ci.hash as ref from keys
  join commit_issues ci on ci.issue_key = keys.k
  join commits c on c.repo = ci.repo and c.hash = ci.hash and c.is_merge = 0
union
select pi.issue_key, 'pr', pi.repo || '#' || cast(pi.number as varchar(12)) from keys
  join pr_issues pi on pi.issue_key = keys.k
union
select ci.issue_key, 'pr', p.repo || '#' || cast(p.number as varchar(12)) from keys
  join commit_issues ci on ci.issue_key = keys.k join pr_commits pc on pc.hash = ci.hash
  join pull_requests p on {PR_OF_COMMIT}
union
select m.issue_key, 'comment', m.comment_id from keys join issue_comments m on m.issue_key = keys.k
union
select l.issue_key, 'link', l.other_key || ' ' || l.link_type from keys
  join issue_links l on l.issue_key = keys.k
union
select l.other_key, 'link', l.issue_key || ' ' || l.link_type from keys
  join issue_links l on l.other_key = keys.k"""

_A, _AJ = who("p.author_key", "a")
PRS_SQL = SCOPE + f"""select distinct p.repo, p.number, p.title, p.state, p.merged_at, p.created_at, {_A}
  from comp_prs cp join pull_requests p on p.repo = cp.repo and p.number = cp.number {_AJ}"""

PR_FACTS_SQL = SCOPE + """, prs as (select distinct cp.repo, cp.number from comp_prs cp
  join pull_requests p on p.repo = cp.repo and p.number = cp.number)
select cp.repo, cp.number, 'file' as kind, cp.path as ref from comp_prs cp
union
select v.repo, v.number, 'review', v.review_id from prs
  join reviews v on v.repo = prs.repo and v.number = prs.number
union
select m.repo, m.number, 'review_comment', m.comment_id from prs
  join review_comments m on m.repo = prs.repo and m.number = prs.number
union
select m.repo, m.number, 'comment', m.comment_id from prs
  join pr_comments m on m.repo = prs.repo and m.number = prs.number
union
select pi.repo, pi.number, 'issue', pi.issue_key from prs
  join pr_issues pi on pi.repo = prs.repo and pi.number = prs.number
union
select p.repo, p.number, 'issue', ci.issue_key from prs
  join pull_requests p on p.repo = prs.repo and p.number = prs.number
  join pr_commits pc on """ + PR_OF_COMMIT + """ join commit_issues ci on ci.hash = pc.hash"""

_W, _WJ = who_key("fa.identity_key", "w")
FILES_SQL = f"""select x.path, sum(x.commits) as commits, sum(x.churn) as churn, max(x.last_at) as last_at,
       count(distinct case when x.w_bot = 0 then x.w_key end) as people
  from (select fa.path, fa.commits, fa.churn, fa.last_at, {_W}
          from files f cross join file_authors fa {_WJ}
         where lower(f.component) = lower(:c) and fa.repo = f.repo and fa.path = f.path) x
 group by x.path"""
ANY_SQL = {"issues": "select 1 as x from issues limit 1", "prs": "select 1 as x from pull_requests limit 1"}


def ask(db: Reader, component: str, *, now: datetime, config: Config, limit: int | None = None) -> Onboarding:
    """The reading list and the people to ask for `component`; NotFound with close names when unknown."""
    name = _find(db, component.strip())
    n = config.onboarding_limit if limit is None else limit
    issues = rank_issues(*_scored(db, "issues", ISSUES_SQL, ISSUE_FACTS_SQL, name), config.bug_issue_types)
    prs = rank_prs(*_scored(db, "prs", PRS_SQL, PR_FACTS_SQL, name))
    files = rank_files(db.all(FILES_SQL, c=name))
    return Onboarding(name, RANKING, tuple(issues[:n]), tuple(prs[:n]), tuple(files[:n]),
                      tuple(_people(db, name, now, config)[:n]))


def _scored(db: Reader, kind: str, items_sql: str, facts_sql: str, name: str) -> tuple[list[Row], list[Row]]:
    """(items, their facts); both skipped when the store holds no issues (PRs) at all, and the facts
    when no item qualifies: the rank functions only score items, so nothing changes but the cost."""
    items = db.all(items_sql, c=name) if db.one(ANY_SQL[kind]) else []
    return items, db.all(facts_sql, c=name) if items else []


def _find(db: Reader, name: str) -> str:
    """The component as the store spells it (case-insensitive match), else NotFound."""
    rows = db.all("select distinct component as c from files"
                  " union select distinct component from issue_components")
    names = sorted({str(r["c"]) for r in rows} - {""})
    exact = [c for c in names if c == name] or [c for c in names if c.lower() == name.lower()]
    if not exact:
        raise not_found("component", name, names)
    return exact[0]


def _people(db: Reader, name: str, now: datetime, config: Config) -> list[PersonToAsk]:
    """Component experts (expertise.ask_component); none when only Jira knows the component."""
    if name not in directory.components(db):
        return []
    found = expertise.ask_component(db, name, now=now, config=config)
    return [PersonToAsk(e.person, e.score, e.summary) for e in found.experts]


def rank_issues(issues: Sequence[Row], facts: Sequence[Row], bug_types: Sequence[str]) -> list[RankedIssue]:
    """Pure: score each issue from its facts (k, kind, ref) by ISSUE_FORMULA and sort."""
    refs = _group(facts, lambda r: str(r["k"]))
    bugs = {t.lower() for t in bug_types}
    found: dict[str, set[str]] = {}
    rows: dict[str, Row] = {}
    for r in issues:
        found.setdefault(str(r["key"]), set()).add(str(r["found_by"]))
        rows.setdefault(str(r["key"]), r)
    out = []
    for key, r in rows.items():
        c = {kind: len(refs.get(key, {}).get(kind, set())) for kind in ("commit", "pr", "comment", "link")}
        bug = int(str(r["issue_type"] or "").lower() in bugs)
        inputs = {"linked_commits": c["commit"], "linked_prs": c["pr"], "comments": c["comment"],
                  "links": c["link"], "bug": bug}
        score = Score.of(ISSUE_FORMULA, dict(inputs), {
            "linked_commits": c["commit"] * 3, "linked_prs": c["pr"] * 3, "comments": c["comment"],
            "links": c["link"] * 2, "bug": bug * 5})
        item = RankedIssue(key, str(r["summary"]), str(r["status"]), str(r["issue_type"]), score,
                           tuple(sorted(found[key])))
        out.append((-(r["updated_at"] or r["created_at"] or 0), item))
    out.sort(key=lambda item: (-item[1].score.total, item[0], key_order(item[1].key)))
    return [item for _, item in out]


def rank_prs(prs: Sequence[Row], facts: Sequence[Row]) -> list[RankedPr]:
    """Pure: score each non-bot PR from its facts (repo, number, kind, ref) by PR_FORMULA and sort."""
    refs = _group(facts, lambda r: (str(r["repo"]), int(r["number"])))
    out = []
    for r in prs:
        if r["a_bot"]:
            continue
        pr = (str(r["repo"]), int(r["number"]))
        c = {kind: len(refs.get(pr, {}).get(kind, set()))
             for kind in ("file", "review", "review_comment", "comment", "issue")}
        linked = int(c["issue"] > 0)
        inputs = {"component_files": c["file"], "reviews": c["review"],
                  "review_comments": c["review_comment"], "comments": c["comment"], "issue_linked": linked}
        score = Score.of(PR_FORMULA, dict(inputs), {
            "component_files": c["file"] * 2, "reviews": c["review"] * 3,
            "review_comments": c["review_comment"] * 2, "comments": c["comment"], "issue_linked": linked * 5})
        at = r["merged_at"] if r["merged_at"] is not None else r["created_at"]
        out.append((-(at or 0), RankedPr(pr[0], pr[1], str(r["title"]), str(r["state"]), person(r, "a"),
                                         iso_day(at), score)))
    out.sort(key=lambda item: (-item[1].score.total, item[0], item[1].repo, item[1].number))
    return [item for _, item in out]


def rank_files(rows: Sequence[Row]) -> list[CentralFile]:
    """Pure: files from per-path totals (path, people, commits, churn, last_at), sorted as RANKING
    says. FILES_SQL sums them in SQL: a component's history can be most of the store's."""
    out = [CentralFile(str(r["path"]), int(r["people"]), int(r["commits"]), int(r["churn"] or 0),
                       int(r["last_at"]), iso_day(int(r["last_at"]))) for r in rows]
    return sorted(out, key=lambda f: (-f.people, -f.commits, -f.churn, f.path))


def _group(facts: Sequence[Row], key_of: Callable[[Row], K]) -> dict[K, dict[str, set[str]]]:
    """{key: {kind: {ref, ...}}} from fact rows."""
    out: dict[K, dict[str, set[str]]] = {}
    for r in facts:
        out.setdefault(key_of(r), {}).setdefault(str(r["kind"]), set()).add(str(r["ref"]))
    return out
