"""Context of a pull request known only from git: its merge or squash commit, no GitHub data.

A store of git alone still knows a PR GitHub merged: `Merge pull request #N from OWNER/BRANCH`
(the PR's commits are `merge^1..merge^2`), a squash subject `Title (#N)`, or Apache's merge
script's `This closes #N from OWNER/BRANCH` (that commit is the PR's one commit).
agents/change.py `pr_from_commits` finds them (with git in the clone when it is here, else by
walking the store's own commit graph), as it does for review-suggest; this module answers
pr-context from them, with `known_from` saying so (the answer is marked "known from git only"):
- title: the merge message's second paragraph, else the squash subject without `(#N)`; the
  description is the rest of that message; the head branch is the OWNER/BRANCH those name;
- state "merged", merged at the merge (or squash) commit's commit time; no created or closed time;
- commits, files (from the commits), linked issues (keys the commits name), as pr-context lists
  them for a PR GitHub described; the merge commit apart ("Merged by");
- author: the first author of its commits as `pr_from_commits` orders them (the one review-suggest
  names; for a squash commit GitHub's own choice, the PR's author);
- people: commit authors and co-authors, then trailer reviewers (`Reviewed-by:`, `Reviewers:`);
  no reviews and no comments (those live in GitHub).
As of `now`: a merge or squash commit committed after `now` is not found (the PR is unknown then),
and only commits authored at or before `now` are listed.
"""

from __future__ import annotations

import re
from typing import NamedTuple, TypeVar

from teammemory.agents import persons
from teammemory.agents.change import CLOSES_FROM, MERGE_PR, SQUASH_TAIL, Change
from teammemory.agents.context_common import (
    ChurnRow,
    CommitRow,
    IssueKeyRow,
    commit_refs,
    excerpt,
    file_churn,
    issue_refs,
    rank_people,
)
from teammemory.agents.context_pr import PrContext
from teammemory.agents.evidence import Person, iso_day, short
from teammemory.agents.issue_state import issue_rows_at
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "context_pr.sql")
T = TypeVar("T", bound=NamedTuple)
HEAD = re.compile(r"^Merge pull request #\d+ from (\S+)")


class GitCommitRow(NamedTuple):
    repo: str
    hash: str
    subject: str
    message: str
    authored_at: int
    committed_at: int
    is_merge: int
    author_key: str


class GitPersonRow(NamedTuple):
    repo: str
    hash: str
    identity_key: str
    role: str


def from_git(db: Reader, number: int, derived: Change, *, now: int) -> PrContext:
    """PR `number` as `derived` (pr_from_commits) shows it: see the module docstring."""
    repo = derived.repo or ""
    hashes = set(derived.commits) | set(derived.via)
    rows = _fetch(db, "git-commits", GitCommitRow, repo, hashes, now=now)
    people_rows = _fetch(db, "git-people", GitPersonRow, repo, set(derived.commits))
    who = persons.lookup(db, {r.author_key for r in rows} | {r.identity_key for r in people_rows}
                         | set(derived.authors))
    merged = [v for v in derived.via if v not in derived.commits]  # merge commits (a squash is its own)
    found = {h: f"merge^1..merge^2 of {short(merged[0])}" for h in derived.commits if merged and h not in derived.via}
    commits, merges = commit_refs(_commit_rows(rows, who, derived, found))
    files = file_churn(_fetch(db, "git-commit-files", ChurnRow, repo, set(derived.commits)))
    issues = issue_rows_at(db, _fetch(db, "git-issues", IssueKeyRow, repo, hashes), now)
    landed = next((r for h in derived.via for r in rows if r.hash == h), None)
    title, body = _title_body(landed)
    author = _author(db, derived)
    return PrContext(
        repo=repo, number=number, title=title or derived.title, state="merged", author=author,
        head_branch=_head(landed), base_branch="", created_at=None, created="",
        merged_at=landed.committed_at if landed else None, merged=iso_day(landed.committed_at if landed else None),
        closed_at=None, closed="", url="", body=excerpt(body), issues=tuple(issue_refs(issues)),
        commits=tuple(commits), merges=tuple(merges), files=tuple(files), files_from="commits" if files else "",
        reviews=(), comments=(), people=rank_people(_facts(people_rows, who)), known_from=_known_from(derived))


def _fetch(db: Reader, name: str, row: type[T], repo: str, hashes: set[str], **extra: int) -> list[T]:
    """All rows of the named in-list statement over `hashes`, chunked as queries.in_list cuts them."""
    out: list[T] = []
    for marks, params in queries.in_list(hashes, "h"):
        out += db.fetch(Q[name].fill(hashes=marks), row, repo=repo, **params, **extra)
    return out


def _commit_rows(rows: list[GitCommitRow], who: dict[str, persons.Who], derived: Change,
                 found: dict[str, str]) -> list[CommitRow]:
    out = []
    for r in rows:
        person = persons.who(who, r.author_key).person
        how = found.get(r.hash) or ("merge commit subject" if r.is_merge else "its squash commit")
        out.append(CommitRow(r.repo, r.hash, r.subject, r.authored_at, r.is_merge, how, person.key, person.name))
    return out


def _title_body(landed: GitCommitRow | None) -> tuple[str, str]:
    """(title, description) from the merge message (title = second paragraph) or squash message."""
    if landed is None:
        return "", ""
    parts = [p.strip() for p in landed.message.split("\n\n") if p.strip()]
    if landed.is_merge and MERGE_PR.match(landed.subject):
        title = parts[1].splitlines()[0] if len(parts) > 1 else ""
        rest = "\n".join(parts[1].splitlines()[1:]) if len(parts) > 1 else ""
        return title, "\n\n".join(p for p in [rest, *parts[2:]] if p)
    return SQUASH_TAIL.sub("", landed.subject), "\n\n".join(parts[1:])


def _head(landed: GitCommitRow | None) -> str:
    """OWNER/BRANCH of `Merge pull request #N from OWNER/BRANCH` or `This closes #N from OWNER/BRANCH`."""
    if landed is None:
        return ""
    match = HEAD.match(landed.subject) or CLOSES_FROM.search(landed.message)
    return match.group(match.lastindex or 0) if match else ""


def _author(db: Reader, derived: Change) -> Person | None:
    if not derived.authors:
        return None
    return persons.who(persons.lookup_persons(db, derived.authors[:1]), derived.authors[0]).person


def _facts(rows: list[GitPersonRow], who: dict[str, persons.Who]) -> list[tuple[str, Person, bool]]:
    """(role, person, is_bot): one per commit a person wrote or co-wrote (once per commit), then
    one per trailer review."""
    wrote = dict.fromkeys((r.hash, persons.who(who, r.identity_key)) for r in rows if r.role != "reviewer")
    reviewed = dict.fromkeys((r.hash, persons.who(who, r.identity_key)) for r in rows if r.role == "reviewer")
    acts = [("author", w) for _, w in wrote] + [("reviewer", w) for _, w in reviewed]
    return [(role, w.person, w.is_bot) for role, w in acts]


def _known_from(derived: Change) -> str:
    """'merge commit ae07dea (its commits: merge^1..merge^2)' or 'squash commit 7ef2946'."""
    kinds = [f"squash commit {short(h)}" if h in derived.commits else
             f"merge commit {short(h)} (its commits: merge^1..merge^2)" for h in derived.via]
    return "; ".join(kinds)
