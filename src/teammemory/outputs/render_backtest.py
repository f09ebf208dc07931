"""Text and Markdown for a Backtest: one table of figures, methods first, then the baselines.

```
Backtest of reviewers, apache/bookkeeper, 2012-03-29 to 2026-08-21: 1637 changes
| method | role | n | top-1 | top-3 | top-5 | MRR | no candidate |
```
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from teammemory.backtest.run import Backtest

PEOPLE_COLUMNS = ("method", "role", "n", "top-1", "top-3", "top-5", "MRR", "no candidate")
RISK_COLUMNS = ("method", "role", "cuts", "bug fixes", "hit top 10 %", "hit top 20 %")


def title(result: Backtest) -> str:
    where = result.repo or "every repository"
    return (f"Backtest of {result.question}, {where}, {result.since} to {result.until}:"
            f" {result.changes} {'bug fixes' if result.question == 'risk' else 'changes'}")


def rows(result: Backtest) -> list[tuple[str, ...]]:
    """The table's rows as text: shares as percentages, MRR to 3 decimals."""
    if result.question == "risk":
        return [(f.method, f.role, str(f.cuts), str(f.fixes), _pct(f.hit10), _pct(f.hit20)) for f in result.risk]
    return [(f.method, f.role, str(f.n), _pct(f.top1), _pct(f.top3), _pct(f.top5), f"{f.mrr:.3f}",
             _pct(f.no_candidate)) for f in result.people]


def columns(result: Backtest) -> tuple[str, ...]:
    return RISK_COLUMNS if result.question == "risk" else PEOPLE_COLUMNS


def render_backtest(result: Backtest) -> RenderableType:
    table = Table(*columns(result), box=None, pad_edge=False)
    for row in rows(result):
        table.add_row(*row)
    notes: list[RenderableType] = [Text(title(result)), Text(result.note), table, Text("methods:")]
    notes += [Text(f"  {m}") for m in result.methods]
    return Group(*notes)


def render_markdown(result: Backtest) -> str:
    head = columns(result)
    lines = [f"**{title(result)}** ({result.note})", "", "| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(result)]
    lines += ["", "Methods:", ""] + [f"- {m}" for m in result.methods]
    return "\n".join(lines) + "\n"


def _pct(share: float) -> str:
    return f"{100 * share:.1f} %"
