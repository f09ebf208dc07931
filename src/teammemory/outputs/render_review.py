"""Text for ReviewSuggestion answers: ranked reviewers, and per file what each of them knows.

```
Reviewers for PR #8 Tidy token service (org/app), author Ben Okafor
 1. Cy Park    score 59.63   knows 2 of 2 files
               1 commit and 1 comment on src/auth/token_service.py; last active 2026-05-23 (31.35)
```
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from teammemory.agents.review_routing import ReviewSuggestion
from teammemory.outputs.render_expertise import number


def render_review_suggestion(result: ReviewSuggestion) -> RenderableType:
    """Suggested reviewers with their per-file reasons; requested reviewers and bots noted."""
    author = f", author {result.author.name}" if result.author else ""
    title = f"Reviewers for PR #{result.number} {result.title} ({result.repo}){author}"
    parts: list[RenderableType] = [Text(title)]
    if not result.candidates:
        parts.append(Text("  Nobody else has history on these files."))
    else:
        wide = max(len(c.person.name) for c in result.candidates)
        scores = [f"score {number(c.score.total)}" for c in result.candidates]
        for i, (c, sc) in enumerate(zip(result.candidates, scores, strict=True), 1):
            flag = "   [review requested]" if c.requested else ""
            parts.append(Text(f"{i:2d}. {c.person.name:<{wide}}  {sc:<{max(map(len, scores))}}"
                              f"  knows {c.files_known} of {len(result.files)} files{flag}"))
            parts += [Text(f"{'':4}{f.reason} ({number(f.score)})") for f in c.files]
    if result.requested:
        parts.append(Text(f"Already requested: {', '.join(p.name for p in result.requested)}"))
    if result.contributors:
        parts.append(Text(f"Not suggested, they wrote part of this PR: "
                          f"{', '.join(p.name for p in result.contributors)}"))
    if result.bots_excluded:
        parts.append(Text(f"Bots not suggested: {', '.join(result.bots_excluded)}"))
    return Group(*parts)
