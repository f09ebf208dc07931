"""Text for Onboarding answers: four ranked tables, each headed by how it is ranked.

```
Onboarding: auth
Issues to read first (score = linked_commits*3 + ...; ties: later update, then key)
 1. PROJ-1247  Token refresh race condition  Bug, In Progress  17  commits 1, PRs 1, comments 2, ...
```
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from teammemory.agents.evidence import Score
from teammemory.agents.onboarding import Onboarding

SHORT = {"linked_commits": "commits", "linked_prs": "PRs", "component_files": "files",
         "review_comments": "review comments", "issue_linked": "issue linked"}


def number(value: float) -> str:
    """17.0 -> '17', 54.91 -> '54.91'."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def plural(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def inputs(score: Score) -> str:
    """'commits 1, PRs 1, comments 2': the counts a score was computed from."""
    return ", ".join(f"{SHORT.get(k, k)} {v}" for k, v in score.inputs)


def render_onboarding(result: Onboarding) -> RenderableType:
    """The reading list (issues, PRs, files) and the people to ask, with each list's ranking rule."""
    rules = dict(result.ranking)
    parts: list[RenderableType] = [Text(f"Onboarding: {result.component}")]
    parts += _table(f"Issues to read first ({rules.get('issues', '')})",
                    [(i.key, i.summary, ", ".join(x for x in (i.issue_type, i.status) if x),
                      number(i.score.total), inputs(i.score)) for i in result.issues])
    parts += _table(f"Pull requests to read ({rules.get('prs', '')})",
                    [(f"#{p.number}", p.title, ", ".join(x for x in (p.state, p.date) if x),
                      number(p.score.total), inputs(p.score)) for p in result.prs])
    parts += _table(f"Central files ({rules.get('files', '')})",
                    [(f.path, plural(f.people, "person", "people"), plural(f.commits, "commit"),
                      plural(f.churn, "line"), f"last {f.last}") for f in result.files])
    parts += _table(f"People to ask ({rules.get('people', '')})",
                    [(p.person.name, number(p.score.total), p.summary) for p in result.people])
    return Group(*parts)


def _table(title: str, rows: list[tuple[str, ...]]) -> list[RenderableType]:
    if not rows:
        return [Text(title), Text("  (none found)")]
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("rank", justify="right", no_wrap=True)
    for i in range(len(rows[0])):
        table.add_column(str(i), no_wrap=i == 0)
    for n, row in enumerate(rows, 1):
        table.add_row(f"{n:2d}.", *(Text(cell) for cell in row))
    return [Text(title), table]
