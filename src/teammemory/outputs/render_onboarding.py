"""Text for Onboarding answers: four ranked lists, each headed by how it is ranked.

```
Onboarding: auth
Issues to read first (score = linked_commits*3 + ...; ties: later update, then key)
 1. PROJ-1247 Token refresh race condition (Bug, In Progress)  score 17
    commits 1, PRs 1, comments 2, ...
```
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.evidence import Score
from teammemory.agents.onboarding import Onboarding
from teammemory.outputs.blocks import group, heading
from teammemory.outputs.render_context import incident_line
from teammemory.outputs.words import plural

SHORT = {"linked_commits": "commits", "linked_prs": "PRs", "component_files": "files",
         "review_comments": "review comments", "issue_linked": "issue linked"}


def number(value: float) -> str:
    """17.0 -> '17', 54.91 -> '54.91'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def inputs(score: Score) -> str:
    """'commits 1, PRs 1, comments 2': the counts a score was computed from."""
    return ", ".join(f"{SHORT.get(k, k)} {format(v, ',') if isinstance(v, int) else v}" for k, v in score.inputs)


def render_onboarding(result: Onboarding) -> RenderableType:
    """The reading list (issues, PRs, files) and the people to ask, with each list's ranking rule."""
    rules = dict(result.ranking)
    parts: list[RenderableType | str] = [heading(f"Onboarding: {result.component}")]
    parts += _list(f"Issues to read first ({rules.get('issues', '')})",
                   [(f"{i.key} {i.summary}" + _paren(i.issue_type, i.status), i.score) for i in result.issues])
    parts += _list(f"Pull requests to read ({rules.get('prs', '')})",
                   [(f"#{p.number} {p.title}" + _paren(p.state, p.date), p.score) for p in result.prs])
    parts += [heading(f"Central files ({rules.get('files', '')})")]
    parts += [x for n, f in enumerate(result.files, 1) for x in (
        f"{n:2d}. {f.path}", f"    {plural(f.people, 'person', 'people')}, {plural(f.commits, 'commit')},"
                             f" {plural(f.churn, 'line')} changed, last {f.last}")]
    if not result.files:
        parts.append("  (none found)")
    parts += [heading(f"People to ask ({rules.get('people', '')})")]
    parts += [x for n, p in enumerate(result.people, 1)
              for x in (f"{n:2d}. {p.person.name}  score {number(p.score.total)}", f"    {p.summary}")]
    if not result.people:
        parts.append("  (none found)")
    if result.incidents:
        parts += [heading("Incidents (latest start first)"), *(incident_line(i) for i in result.incidents)]
    return group(parts)


def _paren(*values: str) -> str:
    shown = ", ".join(v for v in values if v)
    return f" ({shown})" if shown else ""


def _list(title: str, items: list[tuple[str, Score]]) -> list[RenderableType | str]:
    """A ranked list: the item and its score on a line, the counts it was scored from under it."""
    lines: list[RenderableType | str] = [heading(title)]
    for n, (what, score) in enumerate(items, 1):
        lines += [f"{n:2d}. {what}  score {number(score.total)}", f"    {inputs(score)}"]
    return lines if items else [*lines, "  (none found)"]
