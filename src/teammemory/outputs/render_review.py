"""Text for ReviewSuggestion answers: ranked reviewers, and per file what each of them knows.

```
Reviewers for PR #8 Tidy token service (org/app), author Ben Okafor
 1. Cy Park    score 59.63   knows 2 of 2 files
               1 commit and 1 comment on src/auth/token_service.py; last active 2026-05-23 (31.35)
```
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.evidence import Score
from teammemory.agents.review_routing import ReviewSuggestion
from teammemory.outputs.blocks import group, heading
from teammemory.outputs.render_expertise import inactive_note, number


def render_review_suggestion(result: ReviewSuggestion) -> RenderableType:
    """Suggested reviewers with their per-file reasons; requested reviewers and bots noted."""
    author = f", author {result.author.name}" if result.author else ""
    what = result.change or f"PR #{result.number}"  # 'PR #8', 'commit 1a2b3c4d5e6f', 'a diff of 3 files'
    title = f"Reviewers for {what}{' ' + result.title if result.title else ''} ({result.repo}){author}"
    parts: list[RenderableType | str] = [heading(title)]
    if not result.candidates:
        parts.append("  Nobody else has history on these files.")
    else:
        wide = max(len(c.person.name) for c in result.candidates)
        scores = [f"score {number(c.score.total)}" for c in result.candidates]
        for i, (c, sc) in enumerate(zip(result.candidates, scores, strict=True), 1):
            flag = "   [review requested]" if c.requested else ""
            files = f"{len(result.files)} file{'s' if len(result.files) != 1 else ''}"
            parts.append(f"{i:2d}. {c.person.name:<{wide}}  {sc:<{max(map(len, scores))}}"
                         f"  knows {c.files_known} of {files}{flag}")
            parts += [f"{'':4}{f.reason} ({number(f.score)})" for f in c.files]
            parts += _reviewing(c.score)
    if result.requested:
        parts.append(f"Already requested: {', '.join(p.name for p in result.requested)}")
    if result.contributors:
        this = "this PR" if what.startswith("PR #") else "this change"
        parts.append(f"Not suggested, they wrote part of {this}: {', '.join(p.name for p in result.contributors)}")
    if result.bots_excluded:
        parts.append(f"Bots not suggested: {', '.join(result.bots_excluded)}")
    parts += list(result.notes)
    if result.inactive_left_out:
        parts.append(inactive_note(result.inactive_left_out, result.inactive_days))
    return group(parts)


def _reviewing(score: Score) -> list[str]:
    """The routing prior, when the score has it: 'reviews anywhere in the repository: 26, 3.06
    after fading (91.79)' — so the lines add up to the score."""
    terms, inputs = dict(score.terms), dict(score.inputs)
    if "reviewing activity" not in terms or "reviews_in_repository" not in inputs:
        return []
    n = int(inputs["reviews_in_repository"])
    return [f"{'':4}{n:,} review{'s' if n != 1 else ''} anywhere in the repository, {inputs['reviews_faded']:.2f}"
            f" after fading ({number(terms['reviewing activity'])})"]
