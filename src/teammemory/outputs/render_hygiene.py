"""Text for the Hygiene report: one row per check (count of denominator, percent, coverage),
then a few examples of each, then identity suggestions. No colours; no people blamed.

```
Data hygiene (as of 2026-06-01); known projects: PROJ
check                            count  of                              %      coverage
commits without an issue key     3      6 non-merge commits (not bots)  50.0   50.0
```
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from teammemory.agents.hygiene import FORMULA, HygieneReport


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def render_hygiene(result: HygieneReport) -> RenderableType:
    """The checks table, the examples under each check, and the identity suggestions."""
    known = ", ".join(result.known_projects) or "none"
    parts: list[RenderableType] = [Text(f"Data hygiene (as of {result.as_of}); known projects: {known}")]
    table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for col in ("check", "count", "of", "%", "coverage"):
        table.add_column(col, justify="right" if col in ("count", "%", "coverage") else "left")
    for c in result.checks:
        table.add_row(Text(c.title), str(c.count), Text(f"{c.denominator} {c.denominator_label}"),
                      percent(c.percent), percent(c.coverage))
    parts += [table, Text(FORMULA)]
    for c in result.checks:
        if c.examples or c.note:
            parts.append(Text(f"{c.title}:"))
            parts += [Text(f"  - {e}") for e in c.examples]
            if c.count > len(c.examples) and c.examples:
                parts.append(Text(f"  ... and {c.count - len(c.examples)} more"))
            if c.note:
                parts.append(Text(f"  note: {c.note}"))
    if result.suggestions:
        parts.append(Text("Identity suggestions (never merged automatically):"))
        for s in result.suggestions:
            people = ", ".join(f"{p.name} ({p.key})" for p in s.people)
            parts.append(Text(f"  - {people}: {s.reason}"))
            parts += [Text(f"      {a}") for a in s.accounts]
    return Group(*parts)
