"""Text for Expertise answers: one line per expert, its counts, then the commits and PRs behind it.

```
Experts for src/auth/token_service.py
 1. Mehmet Turac  score 153.3
    commits: 4, reviews: 2, comments: 1, churn: 430, last activity: 2026-05-20
    authored: a1b2c3d fix token refresh · be7d483 serialize refresh
    reviewed: #382 Token refresh
```
Each evidence item says what the person did with it (authored, co-authored, reviewed, commented),
from the evidence's `found_by`, never from its text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType

from teammemory.agents.evidence import Evidence
from teammemory.outputs.blocks import group, heading
from teammemory.outputs.words import plural

if TYPE_CHECKING:  # annotations only: coupling and bus-factor use `number` without loading the expertise agent
    from teammemory.agents.evidence import Person
    from teammemory.agents.expertise import Expertise

# What a person did with an evidence item, by its `found_by` (agents/expertise_activity.FOUND_BY).
VERBS = {"author": "authored", "co-author": "co-authored", "reviewer trailer": "reviewed (trailer)",
         "reviewed PR": "reviewed", "comment": "commented on", "commented": "commented on"}


def number(value: float) -> str:
    """153.30 -> '153.3', 238.0 -> '238': scores as people write them."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def evidence_line(items: tuple[Evidence, ...]) -> str:
    """'authored a1b2c3d fix token refresh · reviewed #382 Token refresh'."""
    return " · ".join(f"{verb(e)} {e.ref} {e.summary}".strip() for e in items)


def evidence_lines(items: tuple[Evidence, ...]) -> list[str]:
    """One line per thing done, in the evidence's order: 'authored: a1b2c3d fix … · be7d483 …'."""
    by_verb: dict[str, list[str]] = {}
    for e in items:
        by_verb.setdefault(verb(e), []).append(f"{e.ref} {e.summary}".strip())
    return [f"{v}: {' · '.join(refs)}" for v, refs in by_verb.items()]


def verb(e: Evidence) -> str:
    """What the evidence's person did: by how it was found, else by its kind."""
    if e.found_by in VERBS:
        return VERBS[e.found_by]
    return {"commit": "authored", "review": "reviewed", "comment": "commented on"}.get(e.kind, e.kind)


def render_expertise(result: Expertise) -> RenderableType:
    """The ranked experts of a file or component, with each score's counts and evidence."""
    parts: list[RenderableType | str] = [heading(f"Experts for {_subject(result)}")]
    if not result.experts and result.inactive_left_out:
        parts.append("  No one active: everyone with commits, reviews or comments here is left out as inactive.")
    elif not result.experts:
        parts.append("  No commits, reviews or comments by people found.")
    else:
        wide = max(len(e.person.name) for e in result.experts)
        for i, e in enumerate(result.experts, 1):
            sc = f"score {number(e.score.total)}"
            parts.append(f"{i:2d}. {e.person.name:<{wide}}  {sc}")
            parts.append(f"{'':4}{e.summary}")
            parts += [f"{'':4}{line}" for line in evidence_lines(e.evidence)]
    parts += _notes(result)
    return group(parts)


def _subject(result: Expertise) -> str:
    return result.name if result.kind == "file" else f"component {result.name} ({plural(len(result.paths), 'file')})"


def _notes(result: Expertise) -> list[RenderableType | str]:
    notes: list[RenderableType | str] = []
    earlier = [p for p in result.paths if p != result.name]
    if result.kind == "file" and earlier:
        notes.append(f"Earlier names followed: {', '.join(earlier)}")
    if result.bots_excluded:
        notes.append(f"Bots not counted: {', '.join(result.bots_excluded)}")
    if result.inactive_left_out:
        notes.append(inactive_note(result.inactive_left_out, result.inactive_days))
    return notes


SHOWN_INACTIVE = 3  # names an inactive note gives (the JSON lists them all)


def inactive_note(left: tuple[Person, ...], days: float) -> str:
    """'Left out as inactive (no activity anywhere for over 365 days): pgjones, Armin Ronacher,
    Jonah Lawrence and 9 more; --include-inactive counts them.' (`left`: best scores first)"""
    names = [p.name for p in left]
    shown = ", ".join(names[:SHOWN_INACTIVE])
    more = len(names) - SHOWN_INACTIVE
    listed = f"{shown} and {more:,} more" if more > 0 else shown
    span = f"{number(days)} day{'' if days == 1 else 's'}"
    return f"Left out as inactive (no activity anywhere for over {span}): {listed}; --include-inactive counts them."
