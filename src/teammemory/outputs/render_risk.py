"""Text for Risk answers: the score with its terms, then the numbers as sentences.

```
Risk of src/auth/token_service.py over the last 90 days (2026-03-03 to 2026-06-01)
risk 238 = churn 43 + bug fixes 100 + contributors 75 + commits 20
changed 4 times in the last 90 days; 1 of those changes is linked to a bug fix (PROJ-2); ...
```
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from teammemory.agents.risk import Risk, RiskReport
from teammemory.outputs.render_expertise import number


def terms_line(risk: Risk) -> str:
    """'risk 238 = churn 43 + bug fixes 100 + contributors 75 + commits 20'."""
    terms = " + ".join(f"{name.replace('_', ' ')} {number(value)}" for name, value in risk.score.terms)
    return f"risk {number(risk.score.total)} = {terms}"


def render_risk(report: RiskReport) -> RenderableType:
    """A file's or component's risk, and for a component (or the top list) its riskiest files."""
    parts: list[RenderableType] = [Text(f"{_title(report)} over the last {report.days} days"
                                        f" ({report.since_day} to {report.as_of})")]
    if report.total is not None:
        parts += [Text(terms_line(report.total)), Text(report.total.explanation)]
    if report.kind == "component":
        parts.append(Text("Riskiest files:"))
    if report.kind != "file":
        parts.append(_files(report))
    return Group(*parts)


def _title(report: RiskReport) -> str:
    if report.kind == "file":
        return f"Risk of {report.name}"
    if report.kind == "component":
        return f"Risk of component {report.name}"
    return "Riskiest files"


def _files(report: RiskReport) -> RenderableType:
    if not report.files:
        return Text("No file changed in the window.")
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("rank", justify="right", no_wrap=True)
    table.add_column("path", no_wrap=True)
    table.add_column("risk", no_wrap=True)
    table.add_column("why")
    for i, f in enumerate(report.files, 1):
        table.add_row(f"{i:2d}.", f.name, f"risk {number(f.score.total)}", f.explanation)
    return table
