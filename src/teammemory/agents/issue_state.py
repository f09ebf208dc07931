"""What an issue and a pull request looked like at a moment: their state "as of" `now`.

A PR created after `now` does not exist yet (the SQL leaves it out); one merged or closed after
`now` was still open then. An issue's status at `now` is the target of its last status change
(issue_transitions, Jira's changelog) at or before `now`; before its first change, the status
that change left; with no change recorded, the status it has now. Its status category is the one
the store's issues hold for that status name (Jira's categories are per status), and its
resolution is blank until it was resolved (`resolved_at`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar

from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "issue_state.sql")
LATEST = 2**62  # a `now` after any time: states as they are


class PrState(NamedTuple):
    state: str
    merged_at: int | None
    closed_at: int | None


def pr_state_at(state: str, merged_at: int | None, closed_at: int | None, now: int) -> PrState:
    """Pure: a PR's state at `now`: merged or closed only if that happened at or before `now`."""
    ended = merged_at if state == "merged" else closed_at if state == "closed" else None
    if ended is not None and ended > now:
        return PrState("open", None, None)
    return PrState(state, _until(merged_at, now), _until(closed_at, now))


def _until(at: int | None, now: int) -> int | None:
    return at if at is not None and at <= now else None


class IssueState(NamedTuple):
    status: str
    status_category: str
    resolution: str
    resolved_at: int | None
    changed_at: int | None = None  # its last status change at or before `now` (None: none recorded)


class TransitionRow(NamedTuple):
    issue_key: str
    at: int
    from_status: str
    to_status: str


class IssueRow(NamedTuple):
    key: str
    created_at: int | None
    status: str
    status_category: str
    resolution: str
    resolved_at: int | None


class CategoryRow(NamedTuple):
    status: str
    status_category: str


def issue_states(db: Reader, keys: Iterable[str], now: int) -> dict[str, IssueState]:
    """The state at `now` of each issue among `keys` ingested and created by then (absent keys: not
    ingested, or not created yet)."""
    wanted = sorted(set(keys))
    issues: list[IssueRow] = []
    changes: list[TransitionRow] = []
    for keys_sql, params in queries.in_list(wanted, "k"):
        issues += db.fetch(Q["issues"].fill(keys=keys_sql), IssueRow, **params)
        changes += db.fetch(Q["transitions"].fill(keys=keys_sql), TransitionRow, **params)
    categories = {r.status: r.status_category for r in db.fetch(Q["categories"], CategoryRow)}
    by_key: dict[str, list[TransitionRow]] = {}
    for t in changes:
        by_key.setdefault(t.issue_key, []).append(t)
    return {i.key: state_at(i, by_key.get(i.key, []), categories, now) for i in issues
            if (i.created_at or 0) <= now}


R = TypeVar("R", bound=NamedTuple)


def issue_rows_at(db: Reader, rows: list[R], now: int, key: str = "issue_key") -> list[R]:
    """`rows` (with `key`, `summary`, `status` fields) as of `now`: the status then, and summary and
    status None for an issue not created yet (shown as not ingested, as a store cut at `now` has it)."""
    loose: list[Any] = list(rows)  # any row type with these fields
    states = issue_states(db, (getattr(r, key) for r in loose if r.status is not None), now)
    out = []
    for r in loose:
        if r.status is None:
            out.append(r)
        elif getattr(r, key) in states:
            out.append(r._replace(status=states[getattr(r, key)].status))
        else:
            out.append(r._replace(summary=None, status=None))
    return out


P = TypeVar("P", bound=NamedTuple)


def pr_rows_at(rows: list[P], now: int) -> list[P]:
    """`rows` (with `state`, `merged_at`, `closed_at` fields) as they were at `now` (pr_state_at)."""
    loose: list[Any] = list(rows)
    out = []
    for r in loose:
        s = pr_state_at(r.state, r.merged_at, r.closed_at, now)
        out.append(r._replace(state=s.state, merged_at=s.merged_at, closed_at=s.closed_at))
    return out


def state_at(issue: IssueRow, changes: list[TransitionRow], categories: dict[str, str], now: int) -> IssueState:
    """Pure: the issue's status, category and resolution at `now` from its status changes."""
    resolved = issue.resolved_at is not None and issue.resolved_at <= now
    resolution = issue.resolution if resolved or issue.resolved_at is None else ""
    resolved_at = issue.resolved_at if resolved else None
    ordered = sorted(changes, key=lambda t: (t.at, t.to_status, t.from_status))
    before = [t for t in ordered if t.at <= now]
    changed_at = before[-1].at if before else None
    if not ordered or ordered[-1].at <= now:
        return IssueState(issue.status, issue.status_category, resolution, resolved_at, changed_at)
    status = before[-1].to_status if before else ordered[0].from_status
    category = issue.status_category if status == issue.status else categories.get(status, "")
    return IssueState(status, category, resolution, resolved_at, changed_at)
