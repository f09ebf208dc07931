"""Context of a pull request: what it changed, why (its issues), and who shaped it.

What is gathered (every link says how it was found, `found_by`):
- linked issues: keys the PR names (pr_issues: title, body, branch) and keys its commits name
  (commit_issues), with the issue's summary and status when it was ingested;
- commits: those the PR lists or whose message names it (pr_commits, joined on the commit hash;
  see "PR of a commit" in sql/context_pr.sql); merge commits kept apart;
- files: as GitHub lists them (pr_files), else the files of its non-merge commits;
- reviews (reviewer, state, time) oldest first; review and conversation comments (path, author,
  excerpt) oldest first;
- people: authors (PR author, commit authors and co-authors), then reviewers, then commenters;
  each person once, in their first group, ordered (-count, name, key) inside it; bots left out.

A PR the store has no row for, known only from its merge commit (`Merge pull request #N`) or
squash subject (`Title (#N)`; also a merge titled so, `Merge pull request #N` without `from`, and
the one commit Apache's merge script writes, `This closes #N from OWNER/BRANCH`),
is answered from git (agents/context_pr_git.py, through agents/change.py `pr_from_commits`, with
`git` in the clone when it is here, else the store's commit graph) and marked "known from git
only" (`known_from`): its commits (merge^1..merge^2, or the squash commit), their files, the issues
they name, and people (commit authors and co-authors, then trailer reviewers); title from the
merge message, state merged at the merge commit's time; no reviews or comments.

The queries return account keys and the people behind them are read once (persons.lookup): a PR
answer is a few milliseconds of small statements, and on SQLite each `left join persons` costs
a materialized view (a view that is a join cannot be flattened into a LEFT JOIN), ~10 % here.

The idea: a PR is where a change is explained and argued about (Thongtanunam et al., "Who
should review my code?", 2015, treat it as the unit of review knowledge).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, NamedTuple

from teammemory.agents import paths, persons
from teammemory.agents.context_common import (
    ChurnRow,
    CommitRef,
    CommitRow,
    FileChurn,
    IssueKeyRow,
    IssueRef,
    PersonInContext,
    commit_refs,
    excerpt,
    file_churn,
    issue_refs,
    rank_people,
)
from teammemory.agents.evidence import Person, epoch, iso_day, not_found
from teammemory.agents.issue_state import issue_rows_at, pr_state_at
from teammemory.config import Config
from teammemory.errors import InputError, NotFound
from teammemory.store import Reader, queries

if TYPE_CHECKING:  # annotations only: a PR GitHub described never loads agents/change.py
    from teammemory.agents.change import ChangeGit

Q = queries.load("teammemory.agents.sql", "context_pr.sql")
CommentKind = Literal["review comment", "comment"]
FilesFrom = Literal["pull request", "commits", ""]  # GitHub's list | the PR's commits | none


@dataclass(frozen=True)
class ReviewItem:
    reviewer: Person | None
    state: str
    at: int | None
    date: str


@dataclass(frozen=True)
class CommentItem:
    kind: CommentKind
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
    files_from: FilesFrom
    reviews: tuple[ReviewItem, ...]
    comments: tuple[CommentItem, ...]
    people: tuple[PersonInContext, ...]
    known_from: str = ""  # '' for a PR GitHub described; else the git commits it is known from


class PrRecordRow(NamedTuple):
    repo: str
    number: int
    title: str
    state: str
    head_branch: str
    base_branch: str
    created_at: int | None
    merged_at: int | None
    closed_at: int | None
    url: str
    body: str
    author_key: str | None


class PrNumberRow(NamedTuple):
    repo: str
    number: int


class PrCommitRow(NamedTuple):
    repo: str
    hash: str
    subject: str
    authored_at: int
    is_merge: int
    found_by: str
    author_key: str


class PrFileRow(NamedTuple):
    path: str
    additions: int
    deletions: int


class ReviewRow(NamedTuple):
    review_id: str
    state: str
    submitted_at: int | None
    reviewer_key: str | None


class CommentRow(NamedTuple):
    kind: CommentKind
    comment_id: str
    path: str
    body: str
    created_at: int | None
    author_key: str | None


class CommitPersonRow(NamedTuple):
    repo: str
    hash: str
    identity_key: str


Who = dict[str, persons.Who]  # account key -> its person (persons.lookup)


def ask_pr(db: Reader, number: int, *, now: datetime, config: Config, repo: str | None = None,
           git: ChangeGit | None = None) -> PrContext:
    """Everything the store links to PR `number` (in `repo`, needed only when several repos have it);
    a PR without a row comes from its merge or squash commit when one names it (context_pr_git)."""
    paths.check_repo(db, repo)
    at = epoch(now)
    try:
        pr = _find(db, int(number), repo, at)
    except NotFound:
        from teammemory.agents import change, context_pr_git

        derived = change.pr_from_commits(db, int(number), now=at, git=git, repo=repo)
        if derived is None:
            raise
        return context_pr_git.from_git(db, int(number), derived, now=at)
    key = {"repo": pr.repo, "number": pr.number, "now": at}
    state = pr_state_at(pr.state, pr.merged_at, pr.closed_at, at)
    commit_rows = db.fetch(Q["commits"], PrCommitRow, **key)
    reviews = db.fetch(Q["reviews"], ReviewRow, **key)
    comments = db.fetch(Q["comments"], CommentRow, **key)
    commit_people = db.fetch(Q["commit-people"], CommitPersonRow, **key)
    people = persons.lookup(db, {k for k in [pr.author_key, *(r.author_key for r in commit_rows),
                                             *(r.reviewer_key for r in reviews), *(m.author_key for m in comments),
                                             *(c.identity_key for c in commit_people)] if k is not None})
    commits, merges = commit_refs(_authored(commit_rows, people))
    files_from, files = pr_files(db.fetch(Q["pr-files"], PrFileRow, **key),
                                 file_churn(db.fetch(Q["commit-files"], ChurnRow, **key)))
    return PrContext(
        repo=pr.repo, number=pr.number, title=pr.title, state=state.state, author=_person(people, pr.author_key),
        head_branch=pr.head_branch, base_branch=pr.base_branch, created_at=pr.created_at,
        created=iso_day(pr.created_at), merged_at=state.merged_at, merged=iso_day(state.merged_at),
        closed_at=state.closed_at, closed=iso_day(state.closed_at), url=pr.url, body=excerpt(pr.body),
        issues=tuple(issue_refs(issue_rows_at(db, db.fetch(Q["issues"], IssueKeyRow, **key), at))),
        commits=tuple(commits),
        merges=tuple(merges), files=tuple(files), files_from=files_from,
        reviews=rank_reviews(reviews, people), comments=rank_comments(comments, people),
        people=rank_people(_facts(pr, reviews, comments, commit_people, people)))


def _find(db: Reader, number: int, repo: str | None, now: int) -> PrRecordRow:
    rows = [r for r in db.fetch(Q["pr"], PrRecordRow, number=number, now=now) if repo is None or r.repo == repo]
    if len(rows) > 1:
        repos = ", ".join(sorted(r.repo for r in rows))
        raise InputError(f"PR #{number}", f"exists in several repositories ({repos}); pass the repository")
    if not rows:
        pool = db.fetch(Q["pr-numbers"], PrNumberRow, now=now)
        raise not_found("pull request", f"#{number}",
                        [f"#{r.number}" for r in pool if repo is None or r.repo == repo])
    return rows[0]


def _person(people: Who, account_key: str | None) -> Person | None:
    return None if account_key is None else persons.who(people, account_key).person


def _authored(rows: list[PrCommitRow], people: Who) -> list[CommitRow]:
    """Commit rows as `commit_refs` reads them, with the author's person."""
    out = []
    for r in rows:
        author = persons.who(people, r.author_key).person
        out.append(CommitRow(r.repo, r.hash, r.subject, r.authored_at, r.is_merge, r.found_by, author.key,
                             author.name))
    return out


def _facts(pr: PrRecordRow, reviews: list[ReviewRow], comments: list[CommentRow],
           commit_people: list[CommitPersonRow], people: Who) -> list[tuple[str, Person, bool]]:
    """(role, person, is_bot) facts: one per PR authorship, commit (an author and a co-author who
    are one person count once), review and comment."""
    def acting(role: str, keys: list[str | None]) -> list[tuple[str, persons.Who]]:
        return [(role, persons.who(people, k)) for k in keys if k is not None]

    in_commits = dict.fromkeys((c.repo, c.hash, persons.who(people, c.identity_key)) for c in commit_people)
    acts = acting("author", [pr.author_key]) + [("author", who) for _, _, who in in_commits]
    acts += acting("reviewer", [r.reviewer_key for r in reviews])
    acts += acting("commenter", [m.author_key for m in comments])
    return [(role, who.person, who.is_bot) for role, who in acts]


def pr_files(listed: list[PrFileRow], from_commits: list[FileChurn]) -> tuple[FilesFrom, list[FileChurn]]:
    """Pure: GitHub's file list (lines as GitHub counts them, commits as the store's commits do),
    else the files of the PR's commits; ordered (-commits, -lines, path)."""
    if not listed:
        return ("commits" if from_commits else ""), from_commits
    counts = {f.path: f.commits for f in from_commits}
    files = [FileChurn(r.path, counts.get(r.path, 0), r.additions, r.deletions) for r in listed]
    return "pull request", sorted(files, key=lambda f: (-f.commits, -(f.added + f.deleted), f.path))


def rank_reviews(rows: list[ReviewRow], people: Who) -> tuple[ReviewItem, ...]:
    """Pure: reviews oldest first (unknown times first), ties by review id."""
    ordered = sorted(rows, key=lambda r: (r.submitted_at or 0, r.review_id))
    return tuple(ReviewItem(_person(people, r.reviewer_key), r.state, r.submitted_at, iso_day(r.submitted_at))
                 for r in ordered)


def rank_comments(rows: list[CommentRow], people: Who) -> tuple[CommentItem, ...]:
    """Pure: review and conversation comments oldest first, ties by kind then comment id."""
    ordered = sorted(rows, key=lambda r: (r.created_at or 0, r.kind, r.comment_id))
    return tuple(CommentItem(r.kind, r.path, _person(people, r.author_key), excerpt(r.body, 160),
                             r.created_at, iso_day(r.created_at)) for r in ordered)
