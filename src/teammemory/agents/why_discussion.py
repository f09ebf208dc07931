"""Review discussion on the lines `why` asks about (agents/why_line.py, step 3 of its docstring).

A review comment is on the asked lines when one of its line ranges overlaps the lines blamed to
the commit, on the file's name in that commit:
- its ranges: `start_line..line` (in `commit_id`, the PR's head when GitHub last placed it; null
  once outdated) and `original_start_line..original_line` (in `original_commit_id`, the commit it
  was written on); a single-line comment has no start; only comments on the PR's side of the diff
  (`side` RIGHT: added or unchanged lines; a LEFT comment is on a line the PR deleted);
- the blamed lines: their numbers in the blamed commit's version of the file (git blame's
  original line numbers).
The numbers of two versions are compared as they are: exact when the comment's commit is the
blamed one (a one-commit PR, a squash, the last commit of the PR), close otherwise (a later commit
of the same PR may have shifted them). Comments without line fields (stores older than migration
0018, recordings from before GitHub had them and without a diff hunk) are never on the lines:
they count as the rest of the file's discussion, as before.

Threads stay together: a reply (`in_reply_to_id`) goes with its thread's first comment, and a
thread is on the lines when any of its comments is. Order: threads on the lines first, then the
rest, each by its first comment's time (unknown first), then comment id; inside a thread by time,
then id. Both groups are counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents.context_common import excerpt, person_of
from teammemory.agents.evidence import Person, iso_day


class CommentRow(NamedTuple):
    comment_id: str
    path: str
    body: str
    created_at: int | None
    review_id: str
    line: int | None
    start_line: int | None
    original_line: int | None
    original_start_line: int | None
    side: str | None
    in_reply_to_id: str | None
    a_key: str | None
    a_name: str | None


@dataclass(frozen=True)
class ReviewComment:
    comment_id: str
    author: Person | None
    at: int | None
    date: str
    path: str
    body: str
    lines: str = ""  # where it sits: '12' or '12-14' (at the PR's head, else where written); '' unknown
    outdated: bool = False  # GitHub no longer places it at the head: `lines` are where it was written
    on_lines: bool = False  # in a thread on the asked lines
    reply_to: str = ""  # the thread's first comment, for a reply


@dataclass(frozen=True)
class Discussion:
    comments: tuple[ReviewComment, ...]  # threads on the lines first, then the rest
    on_lines: int  # comments in threads on the asked lines
    elsewhere: int  # the rest of the file's discussion


def ranges(row: CommentRow) -> list[tuple[int, int]]:
    """Pure: the comment's line ranges on the PR's side, at the head and where it was written."""
    if (row.side or "").upper() == "LEFT":
        return []
    out = []
    for first, last in ((row.start_line, row.line), (row.original_start_line, row.original_line)):
        if last is not None:
            out.append((min(first if first is not None else last, last), last))
    return out


def place(rows: Iterable[CommentRow], blamed: Mapping[str, set[int]]) -> Discussion:
    """Pure: the comments as threads, those on the `blamed` lines (path -> line numbers) first."""
    rows = list(rows)
    by_id = {r.comment_id: r for r in rows}
    threads: dict[str, list[CommentRow]] = {}
    for r in rows:
        threads.setdefault(_root(r, by_id).comment_id, []).append(r)
    on = {k for k, members in threads.items() if any(_hits(r, blamed) for r in members)}
    order = sorted(threads, key=lambda k: (k not in on, by_id[k].created_at or 0, k))
    out: list[ReviewComment] = []
    for k in order:
        for r in sorted(threads[k], key=lambda r: (r.comment_id != k, r.created_at or 0, r.comment_id)):
            out.append(_comment(r, on_lines=k in on, reply_to="" if r.comment_id == k else k))
    n_on = sum(len(threads[k]) for k in on)
    return Discussion(tuple(out), n_on, len(rows) - n_on)


def _root(row: CommentRow, by_id: Mapping[str, CommentRow]) -> CommentRow:
    """The first comment of `row`'s thread (a reply to a comment not fetched starts its own)."""
    seen = {row.comment_id}
    while row.in_reply_to_id and row.in_reply_to_id in by_id and row.in_reply_to_id not in seen:
        row = by_id[row.in_reply_to_id]
        seen.add(row.comment_id)
    return row


def _hits(row: CommentRow, blamed: Mapping[str, set[int]]) -> bool:
    lines = blamed.get(row.path, set())
    return any(first <= n <= last for first, last in ranges(row) for n in lines)


def _comment(r: CommentRow, *, on_lines: bool, reply_to: str) -> ReviewComment:
    head = (r.start_line, r.line) if r.line is not None else None
    written = (r.original_start_line, r.original_line) if r.original_line is not None else None
    where = head or written
    lines = ""
    if where is not None and where[1] is not None:
        first = where[0] if where[0] is not None else where[1]
        lines = str(where[1]) if first == where[1] else f"{min(first, where[1])}-{where[1]}"
    return ReviewComment(r.comment_id, person_of(r.a_key, r.a_name), r.created_at, iso_day(r.created_at), r.path,
                         excerpt(r.body), lines, head is None and written is not None, on_lines, reply_to)
