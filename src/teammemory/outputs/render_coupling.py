"""Text for Coupling answers: the answer in a sentence, then per level (commit, PR, issue) the
files that change with PATH, one numbered item each with the numbers behind its degree.

```
Change coupling of src/auth/token.py in app as of 2026-06-01
at commit level it changes most with src/auth/session.py (degree 80, 4 shared commits of 6); ...
degree = 100*shared/((revs_a+revs_b)/2); change sets over 30 files ignored; at least 3 shared
By commit: 6 commits change it (1 over 30 files ignored)
 1. degree 80: 4 shared commits, 4 of its own
    src/auth/session.py
    latest a1b2c3d, 0f0e0d0
```
The path has a line of its own under its numbers, so a long Java path and its numbers both read
at 80 columns (after a number it would leave the number alone on a line).
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.coupling import Coupled, Coupling, LevelCoupling
from teammemory.outputs.blocks import group, heading
from teammemory.outputs.render_expertise import number
from teammemory.outputs.words import plural

UNITS = {"commit": ("commit", "commits"), "pr": ("PR", "PRs"), "issue": ("issue", "issues")}


def render_coupling(result: Coupling) -> RenderableType:
    """The explanation first (it is the answer), the formula, then each level's coupled files."""
    parts: list[RenderableType | str] = [
        heading(f"Change coupling of {result.path} in {result.repo} as of {result.as_of}"),
        *result.explanation.split("; "),
        f"degree = {result.formula}; change sets over {plural(result.max_changeset, 'file')} ignored;"
        f" a file needs at least {result.min_shared} shared"]
    for level in result.levels:
        parts += _level(level, result.max_changeset, result.min_shared)
    return group(parts)


def _level(lv: LevelCoupling, cap: int, min_shared: int) -> list[RenderableType | str]:
    one, many = UNITS[lv.level]
    ignored = f" ({lv.ignored:,} over {plural(cap, 'file')} ignored)" if lv.ignored else ""
    verb = "changes" if lv.change_sets == 1 else "change"
    lines: list[RenderableType | str] = [heading(f"By {one}: {plural(lv.change_sets, one, many)} {verb} it{ignored}")]
    if not lv.coupled:
        return [*lines, f"No file shares {min_shared} or more of them."]
    for i, c in enumerate(lv.coupled, 1):
        lines += [f"{i:2d}. {_numbers(c, one, many)}", f"    {c.path}",
                  f"    latest {', '.join(e.ref for e in c.evidence)}"]
    return lines


def _numbers(c: Coupled, one: str, many: str) -> str:
    """'degree 80: 4 shared commits, 4 of its own'."""
    shared = plural(c.shared, "shared " + one, "shared " + many)
    return f"degree {number(c.score.total)}: {shared}, {c.revisions:,} of its own"
