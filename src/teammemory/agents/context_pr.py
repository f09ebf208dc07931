"""Context of a pull request: what it changed, why (its issues), and who shaped it.

What is gathered (every link says how it was found, `found_by`):
- linked issues: keys the PR names (pr_issues: title, body, branch) and keys its commits name
  (commit_issues), with the issue's summary and status when it was ingested;
- commits: those the PR lists or whose message names it (pr_commits, joined on the commit hash;
  see context_common.PR_OF_COMMIT); merge commits kept apart;
- files: as GitHub lists them (pr_files), else the files of its non-merge commits;
- reviews (reviewer, state, time) oldest first; review and conversation comments (path, author,
  excerpt) oldest first;
- people: authors (PR author, commit authors and co-authors), then reviewers, then commenters;
  each person once, in their first group, ordered (-count, name, key) inside it; bots left out.

The idea: a PR is where a change is explained and argued about (Thongtanunam et al., "Who
should review my code?", 2015, treat it as the unit of review knowledge).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from teammemory.agents.context_common import (
    CommitRef,
    FileChurn,
    IssueRef,
    PersonInContext,
    commit_refs,
    excerpt,
    file_churn,
    issue_refs,
    person,
    rank_people,
    who,
)
from teammemory.agents.evidence import Person, iso_day, not_found
from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.store import Reader, Row


@dataclass(frozen=True)
class ReviewItem:
    reviewer: Person | None
    state: str
    at: int | None
    date: str


@dataclass(frozen=True)
class CommentItem:
    kind: str  # review comment | comment
    path: str
    author: Person | None
    excerpt: str
    at: int | None
    date: str


@dataclass(frozen=True)
class PrContext:
    repo: str
    number: int
    title: str
    state: str
    author: Person | None
    head_branch: str
    base_branch: str
    created_at: int | None
    created: str
    merged_at: int | None
    merged: str
    closed_at: int | None
    closed: str
    url: str
    body: str
    issues: tuple[IssueRef, ...]
    commits: tuple[CommitRef, ...]
    merges: tuple[CommitRef, ...]
    files: tuple[FileChurn, ...]
    files_from: str  # 'pull request' (GitHub's list) | 'commits' | ''
    reviews: tuple[ReviewItem, ...]
    comments: tuple[CommentItem, ...]
    people: tuple[PersonInContext, ...]


_P, _PJ = who("p.author_key", "a")
PR_SQL = f"select p.*, {_P} from pull_requests p {_PJ} where p.number = :number"

PR_COMMITS = """pr_hashes as (
  select distinct pc.hash, pc.found_by from pr_commits pc
   where pc.number = :number and (pc.repo = :repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo)))"""

_C, _CJ = who("c.author_key", "a")
COMMITS_SQL = f"""with {PR_COMMITS}
select c.repo, c.hash, c.subject, c.authored_at, c.is_merge, ph.found_by, {_C}
  from pr_hashes ph join commits c on c.hash = ph.hash {_CJ}"""

ISSUES_SQL = f"""with {PR_COMMITS}
select pi.issue_key, pi.found_by, i.summary, i.status
  from pr_issues pi left join issues i on i.key = pi.issue_key
 where pi.repo = :repo and pi.number = :number
union all
select ci.issue_key, 'commit ' || substr(ci.hash, 1, 7) || ': ' || ci.found_by, i.summary, i.status
  from pr_hashes ph join commit_issues ci on ci.hash = ph.hash left join issues i on i.key = ci.issue_key"""

PR_FILES_SQL = "select path, additions, deletions from pr_files where repo = :repo and number = :number"
COMMIT_FILES_SQL = f"""with {PR_COMMITS}
select distinct cf.repo, cf.hash, cf.path, cf.added, cf.deleted
  from pr_hashes ph join commits c on c.hash = ph.hash and c.is_merge = 0
  join commit_files cf on cf.repo = c.repo and cf.hash = c.hash"""

_V, _VJ = who("v.reviewer_key", "a")
REVIEWS_SQL = f"""select v.review_id, v.state, v.submitted_at, {_V}
  from reviews v {_VJ} where v.repo = :repo and v.number = :number"""

_M, _MJ = who("m.author_key", "a")
COMMENTS_SQL = f"""
select 'review comment' as kind, m.comment_id, m.path, m.body, m.created_at, {_M}
  from review_comments m {_MJ} where m.repo = :repo and m.number = :number
union all
select 'comment', m.comment_id, '', m.body, m.created_at, {_M}
  from pr_comments m {_MJ} where m.repo = :repo and m.number = :number"""

_W, _WJ = who("cp.identity_key", "a")
COMMIT_PEOPLE_SQL = f"""with {PR_COMMITS}
select distinct c.repo, c.hash, {_W}
  from pr_hashes ph join commits c on c.hash = ph.hash and c.is_merge = 0
  join commit_people cp on cp.repo = c.repo and cp.hash = c.hash
   and cp.role in ('author', 'co-author') {_WJ}"""


def ask_pr(db: Reader, number: int, *, now: datetime, config: Config, repo: str | None = None) -> PrContext:
    """Everything the store links to PR `number` (in `repo`, needed only when several repos have it)."""
    pr = _find(db, int(number), repo)
    key = {"repo": pr["repo"], "number": int(pr["number"])}
    commits, merges = commit_refs(db.all(COMMITS_SQL, **key))
    files_from, files = pr_files(db.all(PR_FILES_SQL, **key), file_churn(db.all(COMMIT_FILES_SQL, **key)))
    reviews = rank_reviews(db.all(REVIEWS_SQL, **key))
    comments = rank_comments(db.all(COMMENTS_SQL, **key))
    people = rank_people(_facts(pr, db.all(REVIEWS_SQL, **key), db.all(COMMENTS_SQL, **key),
                                db.all(COMMIT_PEOPLE_SQL, **key)))
    created, merged, closed = pr["created_at"], pr["merged_at"], pr["closed_at"]
    return PrContext(
        repo=str(pr["repo"]), number=int(pr["number"]), title=str(pr["title"]), state=str(pr["state"]),
        author=person(pr, "a"), head_branch=str(pr["head_branch"]), base_branch=str(pr["base_branch"]),
        created_at=created, created=iso_day(created), merged_at=merged, merged=iso_day(merged),
        closed_at=closed, closed=iso_day(closed), url=str(pr["url"]), body=excerpt(str(pr["body"])),
        issues=tuple(issue_refs(db.all(ISSUES_SQL, **key))), commits=tuple(commits), merges=tuple(merges),
        files=tuple(files), files_from=files_from, reviews=reviews, comments=comments, people=people)


def _find(db: Reader, number: int, repo: str | None) -> Row:
    rows = [r for r in db.all(PR_SQL, number=number) if repo is None or r["repo"] == repo]
    if len(rows) > 1:
        repos = ", ".join(sorted(str(r["repo"]) for r in rows))
        raise InputError(f"PR #{number}", f"exists in several repositories ({repos}); pass the repository")
    if not rows:
        pool = db.all("select repo, number from pull_requests")
        raise not_found("pull request", f"#{number}",
                        [f"#{r['number']}" for r in pool if repo is None or r["repo"] == repo])
    return rows[0]


def _facts(pr: Row, reviews: list[Row], comments: list[Row], commit_people: list[Row]
           ) -> list[tuple[str, Person, bool]]:
    """(role, person, is_bot) facts: one per PR authorship, commit, review and comment."""
    facts: list[tuple[str, Person, bool]] = []
    rows = [("author", pr)] + [("author", r) for r in commit_people]
    rows += [("reviewer", r) for r in reviews] + [("commenter", r) for r in comments]
    for role, row in rows:
        p = person(row, "a")
        if p is not None:
            facts.append((role, p, bool(row["a_bot"])))
    return facts


def pr_files(listed: list[Row], from_commits: list[FileChurn]) -> tuple[str, list[FileChurn]]:
    """Pure: GitHub's file list (lines as GitHub counts them, commits as the store's commits do),
    else the files of the PR's commits; ordered (-commits, -lines, path)."""
    if not listed:
        return ("commits" if from_commits else ""), from_commits
    counts = {f.path: f.commits for f in from_commits}
    files = [FileChurn(str(r["path"]), counts.get(str(r["path"]), 0), int(r["additions"] or 0),
                       int(r["deletions"] or 0)) for r in listed]
    return "pull request", sorted(files, key=lambda f: (-f.commits, -(f.added + f.deleted), f.path))


def rank_reviews(rows: list[Row]) -> tuple[ReviewItem, ...]:
    """Pure: reviews oldest first (unknown times first), ties by review id."""
    ordered = sorted(rows, key=lambda r: (r["submitted_at"] or 0, str(r["review_id"])))
    return tuple(ReviewItem(person(r, "a"), str(r["state"]), r["submitted_at"], iso_day(r["submitted_at"]))
                 for r in ordered)


def rank_comments(rows: list[Row]) -> tuple[CommentItem, ...]:
    """Pure: review and conversation comments oldest first, ties by kind then comment id."""
    ordered = sorted(rows, key=lambda r: (r["created_at"] or 0, str(r["kind"]), str(r["comment_id"])))
    return tuple(CommentItem(str(r["kind"]), str(r["path"]), person(r, "a"), excerpt(str(r["body"]), 160),
                             r["created_at"], iso_day(r["created_at"])) for r in ordered)
