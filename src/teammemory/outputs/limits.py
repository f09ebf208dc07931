"""`--limit` for every list answer, in one place: which list fields of each question's result are
cut, to how many by default, and how many were left out.

Agents return whole lists (or, where they take `limit` themselves, are asked for enough to know
what is left out); `cut` shortens each listed field to the limit and counts what it dropped, so
every surface shows the same shortened document and says `"omitted": {"experts": 190}`. A field's
`counted` test leaves some items uncut: references to issues the store does not hold are small,
are summarised in one line by the text renderer, and do not push real issues out of the list.

How an agent that takes `limit` is called (`AGENT_LIMIT`): `all` when it scores everything anyway
(asking for everything costs nothing and gives the exact count left out); `probe` when its limit
prunes the work (risky-files, component-risk, file-context): it is asked for one more than shown,
so the answer knows *that* more exist (`null` in `omitted`, unless the result holds the total,
as file-context's `commit_count` and `changer_count` do for its recent commits and its people).
bus-factor cuts its lists itself (per scope, nested) and says how many it left out (`Cut.left`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from teammemory.config import Config

LIMIT_MAX = 100_000  # what `--limit` may be at most, and what an `all` agent is asked for


@dataclass(frozen=True)
class Cut:
    """One list field that `--limit` shortens: its default length and what its items are called."""

    field: str
    default: int | str  # a count, or the Config attribute holding it
    noun: str
    counted: Callable[[Any], bool] | None = None  # items failing it are never cut
    by_agent: bool = False  # a `probe` agent cut this list itself: what is left out is unknown...
    total: Callable[[Any], int] | None = None  # ...unless the result says how many there are
    left: Callable[[Any], int] | None = None  # the agent cut it (nested lists too): how many it left out

    def length(self, config: Config, limit: int | None) -> int:
        if limit is not None:
            return limit
        return self.default if isinstance(self.default, int) else int(getattr(config, self.default))


def _ingested(item: Any) -> bool:
    return bool(getattr(getattr(item, "issue", item), "ingested", True))


def _agent_cut(field: str) -> Callable[[Any], int]:
    """How many items of `field` an agent that cuts its own (nested) lists left out: its `left_out`."""
    return lambda result: int(result.left_out(field))


PEOPLE, FILES, ITEMS = 10, 20, 10
LIMITS: dict[str, tuple[Cut, ...]] = {
    "issue-context": (Cut("prs", ITEMS, "pull requests"), Cut("commits", FILES, "commits"),
                      Cut("files", FILES, "files"), Cut("links", FILES, "linked issues", _ingested),
                      Cut("people", FILES, "people"), Cut("transitions", FILES, "status changes")),
    "pr-context": (Cut("issues", ITEMS, "issues", _ingested), Cut("commits", FILES, "commits"),
                   Cut("files", FILES, "files"), Cut("reviews", FILES, "reviews"),
                   Cut("comments", FILES, "comments"), Cut("people", FILES, "people")),
    "file-context": (Cut("changed_most", PEOPLE, "people who changed it", by_agent=True,
                         total=lambda r: r.changer_count),
                     Cut("issues", ITEMS, "issues", _ingested), Cut("prs", ITEMS, "pull requests"),
                     Cut("recent", ITEMS, "recent commits", by_agent=True, total=lambda r: r.commit_count),
                     Cut("incidents", ITEMS, "incidents")),
    "file-experts": (Cut("experts", PEOPLE, "experts"),),
    "component-experts": (Cut("experts", PEOPLE, "experts"),),
    "component-risk": (Cut("files", ITEMS, "files", by_agent=True),),
    "risky-files": (Cut("files", ITEMS, "files", by_agent=True),),
    "review-suggest": (Cut("candidates", "review_max_suggestions", "candidates"),),
    "onboarding": tuple(Cut(f, "onboarding_limit", noun) for f, noun in (
        ("issues", "issues"), ("prs", "pull requests"), ("files", "files"), ("people", "people to ask")))
    + (Cut("incidents", ITEMS, "incidents"),),
    "hygiene": (Cut("suggestions", PEOPLE, "identity suggestions"),),
    "components": (Cut("components", 50, "components"),),
    "incidents": (Cut("incidents", ITEMS, "incidents"),),
    "why": (Cut("commits", FILES, "commits"), Cut("lines", 50, "blamed lines")),
    "timeline": (Cut("events", 200, "events"), Cut("bursts", ITEMS, "flagged bursts")),
    "bus-factor": tuple(Cut(f, ITEMS, noun, left=_agent_cut(f)) for f, noun in (
        ("components", "components"), ("authors", "top authors"), ("island_files", "knowledge islands"),
        ("orphaned_files", "orphaned files"))),
}
AGENT_LIMIT: dict[str, Literal["all", "probe"]] = {"review-suggest": "all", "onboarding": "all",
                                                   "risky-files": "probe", "component-risk": "probe",
                                                   "file-context": "probe"}


def agent_limit(name: str, config: Config, limit: int | None) -> int | None:
    """What to pass as `limit` to question `name`'s agent (None: the agent takes no limit)."""
    mode = AGENT_LIMIT.get(name)
    if mode is None:
        return None
    if mode == "all":
        return LIMIT_MAX
    return min(LIMIT_MAX, max(c.length(config, limit) for c in LIMITS[name]) + 1)


def cut(name: str, result: Any, config: Config, limit: int | None) -> tuple[Any, dict[str, int | None]]:
    """(`result` with each list of question `name` cut to its length, {field: how many left out}).

    A count is None when the agent was only probed for the list (more exist, not known how many)."""
    omitted: dict[str, int | None] = {}
    changes: dict[str, tuple[Any, ...]] = {}
    for c in LIMITS.get(name, ()):
        if c.left is not None:
            if n := c.left(result):
                omitted[c.field] = n
            continue
        items = getattr(result, c.field, None)
        if not isinstance(items, tuple):
            continue
        kept, dropped = _shorten(items, c.length(config, limit), c.counted)
        if dropped:
            changes[c.field] = kept
            omitted[c.field] = _left_out(c, result, len(kept), dropped)
    return (dataclasses.replace(result, **changes) if changes else result), omitted


def _left_out(c: Cut, result: Any, shown: int, dropped: int) -> int | None:
    if not c.by_agent:
        return dropped
    return c.total(result) - shown if c.total is not None else None


def _shorten(items: tuple[Any, ...], n: int, counted: Callable[[Any], bool] | None) -> tuple[tuple[Any, ...], int]:
    """The first `n` counted items (and every uncounted one, in order), and how many were dropped."""
    kept, seen = [], 0
    for item in items:
        if counted is None or counted(item):
            seen += 1
            if seen > n:
                continue
        kept.append(item)
    return tuple(kept), len(items) - len(kept)


def note(name: str, omitted: dict[str, int | None]) -> str:
    """'… and 190 more experts, more files (use --limit)', or '' when nothing was left out."""
    nouns = {c.field: c.noun for c in LIMITS.get(name, ())}
    parts = [f"{'' if n is None else f'{n:,} '}more {_noun(nouns.get(f, f), n)}" for f, n in omitted.items()]
    return f"… and {', '.join(parts)} (use --limit)" if parts else ""


def _noun(plural: str, n: int | None) -> str:
    """'experts' -> 'expert' for one, 'people to ask' -> 'person to ask'."""
    if n != 1:
        return plural
    return "person" + plural[len("people"):] if plural.startswith("people") else plural[:-1]
