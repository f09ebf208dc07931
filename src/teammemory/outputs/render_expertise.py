"""Text for Expertise answers: one line per expert, its counts, then the commits and PRs behind it.

```
Experts for src/auth/token_service.py
 1. Mehmet Turac     score 153.3   commits: 4, reviews: 2, comments: 1, churn: 430, last activity: 2026-05-20
                                   a1b2c3d fix token refresh · #382 Token refresh
```
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from teammemory.agents.evidence import Evidence
from teammemory.agents.expertise import Expertise


def number(value: float) -> str:
    """153.30 -> '153.3', 238.0 -> '238': scores as people write them."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def evidence_line(items: tuple[Evidence, ...]) -> str:
    return " · ".join(f"{e.ref} {e.summary}".strip() for e in items)


def render_expertise(result: Expertise) -> RenderableType:
    """The ranked experts of a file or component, with each score's counts and evidence."""
    parts: list[RenderableType] = [Text(f"Experts for {_subject(result)}")]
    if not result.experts:
        parts.append(Text("  No commits, reviews or comments by people found."))
    else:
        wide = max(len(e.person.name) for e in result.experts)
        scores = [f"score {number(e.score.total)}" for e in result.experts]
        for i, (e, sc) in enumerate(zip(result.experts, scores, strict=True), 1):
            parts.append(Text(f"{i:2d}. {e.person.name:<{wide}}  {sc:<{max(map(len, scores))}}  {e.summary}"))
            if e.evidence:
                parts.append(Text(f"{'':4}{evidence_line(e.evidence)}"))
    parts += _notes(result)
    return Group(*parts)


def _subject(result: Expertise) -> str:
    return result.name if result.kind == "file" else f"component {result.name} ({len(result.paths)} files)"


def _notes(result: Expertise) -> list[RenderableType]:
    notes: list[RenderableType] = []
    earlier = [p for p in result.paths if p != result.name]
    if result.kind == "file" and earlier:
        notes.append(Text(f"Earlier names followed: {', '.join(earlier)}"))
    if result.bots_excluded:
        notes.append(Text(f"Bots not counted: {', '.join(result.bots_excluded)}"))
    return notes
