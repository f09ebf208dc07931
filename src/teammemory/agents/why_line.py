"""Why is this line so? `why PATH[:LINE[-LINE]]`: the chain from a line to the decision behind it.

1. blame: the commit that last changed each line, as of `now` (`git blame -w -M -C` at the last
   commit at or before `now`, through renames and moved or copied code, skipping the revisions in
   `.git-blame-ignore-revs`; sources/blame.py, handed in by the edge as `blame`: agents run no git);
2. each blamed commit as the store holds it (subject, author's person, bug-fix flag), with the
   issues it names (commit_issues);
3. its PRs (pr_commits: the PR lists it, or it is the PR's merge or squash commit), each with the
   issues the PR names, its reviews and the review comments on the file under its name in that
   commit: first the threads on the asked lines, then the rest of that file's discussion, each
   group counted (agents/why_discussion.py). A comment is on the lines when its range
   (`start_line..line` in the PR's head commit, or `original_start_line..original_line` in the
   commit it was written on; GitHub's fields, on the PR's side of the diff) overlaps the lines
   blamed to the commit, numbered as in that commit's version of the file; a reply goes with its
   thread (`in_reply_to_id`). Comments without line fields (older stores) are the file's rest.

Commits are listed in the order their first line appears in the range (ties: hash); a commit's
lines are given as runs (`12-14, 20`). The repository is the one the store says (`--repo`, else
the only one), blamed in the clone it was ingested from (repositories.path), or in `--git-dir`.
Sources: `git blame` itself and GitHub's blame view (which also honours .git-blame-ignore-revs).

Speed: git blame is most of the time (three git processes: rev-list, one `cat-file --batch` for
the file and the ignore list, blame). It walks the history commit by commit; with a commit-graph
it blames about twice as fast (0.66 s -> 0.28 s on the 100,000-commit bench clone), so the blame
handed in keeps one for each clone in TeamMemory's cache, outside the clone
(sources/commit_graph.py): written on the first blame, grown by the new commits on later ones.
From the command line the blame starts before the command loads (outputs/early_why.py) and the
blame handed in takes it over: the agent is the same either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple, Protocol

from teammemory.agents import paths
from teammemory.agents.context_common import (
    IssueKeyRow,
    IssueRef,
    PrRef,
    PrRow,
    issue_refs,
    person_of,
    pr_refs,
)
from teammemory.agents.evidence import Person, epoch, iso_day, short
from teammemory.agents.issue_state import issue_rows_at, pr_rows_at
from teammemory.agents.line_spec import LineSpec as LineSpec  # the answer's spec type, where it was
from teammemory.agents.line_spec import parse_spec
from teammemory.agents.why_discussion import CommentRow, ReviewComment, place
from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "why_line.sql")


class BlamedLineLike(Protocol):
    """What the agent reads of one blamed line (sources.blame.BlameLine)."""

    @property
    def line(self) -> int: ...
    @property
    def hash(self) -> str: ...
    @property
    def orig_path(self) -> str: ...
    @property
    def orig_line(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def author(self) -> str: ...
    @property
    def author_time(self) -> int: ...
    @property
    def summary(self) -> str: ...


class BlameLike(Protocol):
    """What the agent reads of a blame (sources.blame.Blame)."""

    @property
    def rev(self) -> str: ...
    @property
    def total(self) -> int: ...
    @property
    def ignored_revs(self) -> tuple[str, ...]: ...
    @property
    def lines(self) -> tuple[BlamedLineLike, ...]: ...


class BlameFn(Protocol):
    def __call__(self, path: Path | str, file: str, lines: tuple[int, int] | None, *, until: int,
                 start: str = "HEAD") -> BlameLike: ...


@dataclass(frozen=True)
class ReviewVerdict:
    reviewer: Person | None
    state: str
    date: str


@dataclass(frozen=True)
class LinePr:
    pr: PrRef
    issues: tuple[IssueRef, ...]
    reviews: tuple[ReviewVerdict, ...]
    comments: tuple[ReviewComment, ...]  # review comments on the file (its name in the commit): on the lines first
    on_lines: int = 0  # how many of them are in threads on the asked lines
    elsewhere: int = 0  # the rest of the file's discussion


@dataclass(frozen=True)
class BlamedCommit:
    hash: str
    short: str
    subject: str
    author: Person | None  # the store's person; None when the store does not hold the commit
    git_author: str  # as git blame names it
    at: int
    date: str
    in_store: bool
    is_bug_fix: bool
    paths: tuple[str, ...]  # the file's name(s) in that commit
    lines: str  # '12-14, 20'
    line_count: int
    issues: tuple[IssueRef, ...]
    prs: tuple[LinePr, ...]


@dataclass(frozen=True)
class BlamedLine:
    line: int
    short: str
    orig_path: str
    orig_line: int
    text: str


@dataclass(frozen=True)
class WhyLine:
    path: str
    repo: str
    git_dir: str
    rev: str
    as_of: str
    first: int
    last: int
    total: int
    ignored_revs: tuple[str, ...]
    commits: tuple[BlamedCommit, ...]
    lines: tuple[BlamedLine, ...]


class RepoRow(NamedTuple):
    name: str
    path: str
    head: str


class CommitRow(NamedTuple):
    repo: str
    hash: str
    subject: str
    message: str
    authored_at: int
    is_bug_fix: int
    a_key: str | None
    a_name: str | None


class PrCommitRow(NamedTuple):
    repo: str
    number: int
    title: str
    state: str
    merged_at: int | None
    closed_at: int | None
    created_at: int | None
    c_hash: str
    found_by: str
    a_key: str | None
    a_name: str | None


class CommitIssueRow(NamedTuple):
    source: str
    issue_key: str
    summary: str | None
    status: str | None
    found_by: str


class PrIssueRow(NamedTuple):
    number: int
    issue_key: str
    summary: str | None
    status: str | None
    found_by: str


class ReviewRow(NamedTuple):
    review_id: str
    state: str
    submitted_at: int | None
    a_key: str | None
    a_name: str | None


def ask(db: Reader, spec: str, *, now: datetime, config: Config, blame: BlameFn, repo: str | None = None,
        git_dir: str | None = None) -> WhyLine:
    """Blame `spec` as of `now` in the repository's clone and join every blamed commit with the store."""
    del config  # nothing configurable yet: the blame options are fixed (module docstring)
    target = parse_spec(spec)
    row, clone = choose_repository(db.fetch(Q["repositories"], RepoRow), repo, git_dir)
    at = epoch(now)
    start = row.head if git_dir is None and row.head else "HEAD"
    result = blame(clone, target.path, target.lines, until=at, start=start)
    first, last = target.lines or (1, result.total)
    commits = _commits(db, row.name, result.lines, at)
    lines = tuple(BlamedLine(b.line, short(b.hash), b.orig_path, b.orig_line, b.text) for b in result.lines)
    return WhyLine(target.path, row.name, str(clone), result.rev, iso_day(at), first, last, result.total,
                   tuple(result.ignored_revs), commits, lines)


def choose_repository(rows: list[RepoRow], repo: str | None, git_dir: str | None) -> tuple[RepoRow, Path]:
    """Pure but for path checks: the repository to blame and its clone (see the module docstring)."""
    row = paths.pick_repository(rows, repo, git_dir)
    clone = Path(git_dir).expanduser() if git_dir is not None else Path(row.path)
    if git_dir is None and (not row.path or not clone.is_dir()):
        raise InputError("--git-dir", f"repository {row.name} was ingested from {row.path or 'an unrecorded place'},"
                         " which is not a directory here: give the clone with --git-dir")
    return row, clone


def _commits(db: Reader, repo: str, blamed: tuple[BlamedLineLike, ...], at: int) -> tuple[BlamedCommit, ...]:
    hashes = sorted({b.hash for b in blamed})
    stored: dict[str, CommitRow] = {}
    prs: list[PrCommitRow] = []
    issues: list[CommitIssueRow] = []
    for marks, params in queries.in_list(hashes, "h"):
        stored.update((r.hash, r) for r in db.fetch(Q["commits"].fill(hashes=marks), CommitRow, repo=repo, **params))
        prs += db.fetch(Q["prs"].fill(hashes=marks), PrCommitRow, now=at, **params)
        issues += db.fetch(Q["commit-issues"].fill(hashes=marks), CommitIssueRow, repo=repo, **params)
    issues = issue_rows_at(db, issues, at)
    order = first_appearance(blamed)
    out = []
    for h in sorted(order, key=lambda k: (order[k], k)):
        mine = [b for b in blamed if b.hash == h]
        out.append(_commit(db, h, mine, stored.get(h), [p for p in prs if p.c_hash == h],
                           [i for i in issues if i.source == h], at))
    return tuple(out)


def _commit(db: Reader, h: str, mine: list[BlamedLineLike], row: CommitRow | None, prs: list[PrCommitRow],
            issues: list[CommitIssueRow], at: int) -> BlamedCommit:
    paths = tuple(sorted({b.orig_path for b in mine}))
    when = row.authored_at if row else mine[0].author_time
    refs = issue_refs(IssueKeyRow(i.issue_key, i.summary, i.status, i.found_by) for i in issues)
    blamed: dict[str, set[int]] = {}
    for b in mine:
        blamed.setdefault(b.orig_path, set()).add(b.orig_line)
    line_prs = tuple(_pr(db, p, blamed, at) for p in pr_refs(pr_rows_at(
        [PrRow(p.repo, p.number, p.title, p.state, p.merged_at, p.closed_at, p.created_at, p.found_by, p.a_key,
               p.a_name)
         for p in prs], at)))
    return BlamedCommit(
        hash=h, short=short(h), subject=row.subject if row else mine[0].summary,
        author=person_of(row.a_key, row.a_name) if row else None, git_author=mine[0].author, at=when,
        date=iso_day(when), in_store=row is not None, is_bug_fix=bool(row and row.is_bug_fix), paths=paths,
        lines=runs(sorted(b.line for b in mine)), line_count=len(mine), issues=tuple(refs), prs=line_prs)


def _pr(db: Reader, pr: PrRef, blamed: dict[str, set[int]], at: int) -> LinePr:
    issues = issue_rows_at(db, db.fetch(Q["pr-issues"], PrIssueRow, repo=pr.repo, number=pr.number), at)
    refs = issue_refs(IssueKeyRow(i.issue_key, i.summary, i.status, f"PR #{pr.number}: {i.found_by}")
                      for i in issues)
    reviews = sorted(db.fetch(Q["reviews"], ReviewRow, repo=pr.repo, number=pr.number, now=at),
                     key=lambda r: (r.submitted_at or 0, r.review_id))
    talk = place([c for p in sorted(blamed) for c in db.fetch(Q["review-comments"], CommentRow, repo=pr.repo,
                                                                number=pr.number, path=p, now=at)], blamed)
    return LinePr(pr, tuple(refs),
                  tuple(ReviewVerdict(person_of(r.a_key, r.a_name), r.state, iso_day(r.submitted_at)) for r in reviews),
                  talk.comments, talk.on_lines, talk.elsewhere)


def first_appearance(blamed: tuple[BlamedLineLike, ...]) -> dict[str, int]:
    """Pure: commit hash -> the first line number it owns in the range."""
    out: dict[str, int] = {}
    for b in blamed:
        out[b.hash] = min(out.get(b.hash, b.line), b.line)
    return out


def runs(numbers: list[int]) -> str:
    """Pure: sorted line numbers as runs, [12, 13, 14, 20] -> '12-14, 20'."""
    parts: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        parts.append(str(numbers[i]) if i == j else f"{numbers[i]}-{numbers[j]}")
        i = j + 1
    return ", ".join(parts)
