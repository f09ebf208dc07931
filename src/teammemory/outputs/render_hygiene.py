"""Text for the Hygiene report: one row per check (count of denominator, percent, coverage),
then a few examples of each, then identity suggestions. No colours; no people blamed.

```
Data hygiene (as of 2026-06-01); known projects: PROJ
check                            count  of                              %      coverage
commits without an issue key     3      6 non-merge commits (not bots)  50.0   50.0
```
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.hygiene import FORMULA, HygieneReport
from teammemory.outputs.blocks import group, heading, table


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def render_hygiene(result: HygieneReport) -> RenderableType:
    """The checks table, the examples under each check, and the identity suggestions."""
    known = ", ".join(result.known_projects) or "none"
    parts: list[RenderableType | str] = [heading(f"Data hygiene (as of {result.as_of}); known projects: {known}")]
    rows = [(c.title, f"{c.count:,}", f"{c.denominator:,} {c.denominator_label}", percent(c.percent),
             percent(c.coverage)) for c in result.checks]
    parts += [table([("check", "prose"), ("count", "number"), ("of", "prose"), ("%", "number"),
                     ("coverage", "number")], rows, header=True), FORMULA]
    for c in result.checks:
        if c.examples or c.note:
            parts.append(heading(f"{c.title}:"))
            parts += [f"  - {e}" for e in c.examples]
            if c.count > len(c.examples) and c.examples:
                parts.append(f"  … and {c.count - len(c.examples):,} more")
            if c.note:
                parts.append(f"  note: {c.note}")
    if result.coverage:
        parts.append(heading("Link coverage (non-merge commits by people linked to an issue):"))
        parts.append(table([("scope", "key"), ("name", "path"), ("linked", "number"), ("commits", "number"),
                            ("%", "number")],
                           [(c.scope, c.name, f"{c.linked:,}", f"{c.commits:,}", percent(c.percent))
                            for c in result.coverage], header=True))
    if result.suggestions:
        parts.append(heading("Identity suggestions (never merged automatically):"))
        for s in result.suggestions:
            people = ", ".join(f"{p.name} ({p.key})" for p in s.people)
            parts.append(f"  - {people}: {s.reason}")
            parts += [f"      {a}" for a in s.accounts]
    return group(parts)
