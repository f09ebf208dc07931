"""Text for BusFactor answers: each repository's truck factor with the people behind it, its
knowledge islands and orphaned files with the DOA numbers of their authors; then the components,
most dependent first, one summary item each (`bus-factor COMPONENT` shows one in detail).

```
Bus factor as of 2026-06-01
inactive: no commit for 180 days; author of a file: DOA = 3.293 + 1.098*FA + ... >= 3.293 ...
repository app: 12 files, 11 with an author
truck factor 1: without Ana Lima (9 files), fewer than half of the 12 files have an author ...
Top authors:
 1. Ana Lima  9 files, 14 commits, 7 knowledge islands, last active 2026-05-20
    if Ana Lima leaves, 7 files lose their only author: ...
Knowledge islands (one active author): 7
 1. 7 commits
    src/core/a.py
    Ana Lima DOA 4.37 (FA 1, DL 3, AC 4), last active 2026-05-20
    Ben Okafor DOA 3.1 (FA 0, DL 2, AC 5), not an author, last active 2026-05-22
Components, most dependent first (bus-factor COMPONENT lists its people and files):
 1. core  8 files, truck factor 1, absence factor 1
    without Ana Lima (6 files)
    5 knowledge islands, 0 orphaned files
```
One numbered item per person, file and component, its details on the lines under it (a table's
"if they leave" column wrapped into six lines at 80 columns). The scope's explanation is said one
fact a line from the scope's numbers, its nouns counted ('1 file'), rather than split from the
agent's one-line `explanation` (which the JSON answer keeps). The agent cuts each list to
`--limit`; each scope says what it left out, counted from the totals it keeps, and the answer's
last line sums it up (outputs/limits.py, from `BusFactor.left_out`).
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.bus_factor import Author, BusFactor, Doa, FileAuthors, Scope
from teammemory.agents.bus_factor_score import percent
from teammemory.outputs.blocks import group, heading
from teammemory.outputs.render_expertise import number
from teammemory.outputs.words import plural

Part = RenderableType | str


def render_bus_factor(result: BusFactor) -> RenderableType:
    """Every scope in the answer's order (repositories, then the most dependent components)."""
    where = f" of component {result.component}" if result.component else ""
    where += f" in {result.repo}" if result.repo else ""
    parts: list[Part] = [heading(f"Bus factor{where} as of {result.as_of}"),
                         f"inactive: no commit for {plural(result.inactive_days, 'day')}; author of a file:"
                         f" DOA = {result.formula} >= 3.293 and >= 0.75 of the file's best"]
    summaries = [s for s in result.scopes if s.kind == "component" and not result.component]
    for scope in result.scopes:
        if scope not in summaries:
            parts += _scope(scope)
    if summaries:
        parts += ["", heading("Components, most dependent first (bus-factor COMPONENT lists its people and files):")]
        for i, c in enumerate(summaries, 1):
            parts += _component(i, c)
    return group(parts)


def _component(i: int, c: Scope) -> list[Part]:
    """' 1. db  82 files, truck factor 1, absence factor 2', then who the truck factor removes
    and its knowledge islands and orphaned files, counted."""
    names = ", ".join(f"{r.person.name} ({plural(r.files, 'file')})" for r in c.removed)
    return [f"{i:2d}. {c.name}  {plural(c.files, 'file')}, truck factor {c.truck_factor},"
            f" absence factor {c.absence_factor}",
            f"    {'without ' + names if names else f'{c.authored:,} with an author'}",
            f"    {plural(c.islands, 'knowledge island')}, {plural(c.orphaned, 'orphaned file')}"]


def more(n: int, noun: str, why: str = "") -> str:
    """'… and 11 more knowledge islands (use --limit)': what the agent's limit left out."""
    return f"… and {n:,} more {noun}{'' if n == 1 else 's'} ({why + '; ' if why else ''}use --limit)"


def _scope(s: Scope) -> list[Part]:
    out: list[Part] = ["", heading(f"{s.kind} {s.name}: {plural(s.files, 'file')}, {s.authored:,} with an author"),
                       *summary(s)]
    if s.authors:
        out.append(heading("Top authors, most files first:"))
        for i, a in enumerate(s.authors, 1):
            out += [f"{i:2d}. {a.person.name}  {plural(a.files, 'file')}, {plural(a.commits, 'commit')}",
                    f"    {_activity(a)}", f"    {a.if_leaves}"]
    out += _files("Knowledge islands (one active author), busiest first:", s.island_files, s.islands,
                  "knowledge island")
    out += _files("Orphaned files (every author inactive), busiest first:", s.orphaned_files, s.orphaned,
                  "orphaned file")
    return out


def summary(s: Scope) -> list[str]:
    """The scope's explanation, one fact a line, its nouns counted: 'truck factor 1: without Ana
    Lima (1 file), fewer than half of the 3 files have an author (33.3% do)', 'absence factor 2:
    ...', '1 knowledge island (one active author)', '0 orphaned files (every author inactive)'."""
    if s.files == 0:
        return ["no files"]
    who = ", ".join(f"{r.person.name} ({plural(r.files, 'file')})" for r in s.removed)
    truck = (f"truck factor {s.truck_factor}: without {who}, fewer than half of the {plural(s.files, 'file')}"
             f" have an author ({s.removed[-1].coverage_after}% do)" if s.removed else
             f"truck factor {s.truck_factor}: only {s.authored:,} of {plural(s.files, 'file')} have an author"
             " to begin with")
    share = percent(sum(c.commits for c in s.absence), s.contributions)
    absence = (f"absence factor {s.absence_factor}: {', '.join(c.person.name for c in s.absence)} made {share}%"
               " of the commits" if s.absence else "absence factor 0: no commits by people")
    return [truck, absence, f"{plural(s.islands, 'knowledge island')} (one active author)",
            f"{plural(s.orphaned, 'orphaned file')} (every author inactive)"]


def _activity(a: Author) -> str:
    """'last active 2026-05-20; only active author of 7 files' (the islands only when there are)."""
    inactive = "" if a.active else " (inactive)"
    islands = f"; only active author of {plural(a.islands, 'file')}" if a.islands else ""
    return f"last active {a.last_active_day}{inactive}{islands}"


def _files(title: str, files: tuple[FileAuthors, ...], total: int, noun: str) -> list[Part]:
    """The files of one kind, busiest first: commits, path, then one line per person's DOA."""
    if not files:
        return []
    out: list[Part] = [heading(title)]
    for i, f in enumerate(files, 1):
        out += [f"{i:2d}. {plural(f.commits, 'commit')}", f"    {f.path}"]  # a long path wraps on its own
        out += [f"    {doa_line(d)}" for d in f.people]
    if total > len(files):
        out.append(more(total - len(files), noun))
    return out


def doa_line(d: Doa) -> str:
    """'Ana Lima DOA 4.37 (FA 1, DL 3, AC 4), last active 2026-05-20' for an author; a near-author
    (shown to make the 0.75 cut visible) is 'not an author' instead: only authors' activity counts."""
    inputs = ", ".join(f"{k} {d.score.input(k)}" for k in ("FA", "DL", "AC"))
    tail = f"last active {d.last_active_day}" if d.is_author else "not an author"
    return f"{d.person.name} DOA {number(d.score.total)} ({inputs}), {tail}"
