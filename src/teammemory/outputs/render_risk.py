"""Text for Risk answers: the score with its terms, then the numbers as sentences.

```
Risk of src/auth/token_service.py over the last 90 days (2026-03-03 to 2026-06-01)
risk 238 = churn 43 + bug fixes 100 + contributors 75 + commits 20
changed 4 times in the last 90 days; 1 of those changes is linked to a bug fix (PROJ-2); ...
signals +98 (total 336): 1 bug fix in its history, worth 0.98 at a 365-day half-life ...
```
The total ranks files: the article's score plus the weighted risk signals (agents/risk_signals.py).
A component's or the store's riskiest files are one numbered item each, the explanation under it.
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.risk import Risk, RiskReport
from teammemory.outputs.blocks import group, heading
from teammemory.outputs.render_expertise import number


def terms_line(risk: Risk) -> str:
    """'risk 238 = churn 43 + bug fixes 100 + contributors 75 + commits 20'."""
    terms = " + ".join(f"{name.replace('_', ' ')} {number(value)}" for name, value in risk.score.terms)
    return f"risk {number(risk.score.total)} = {terms}"


def signals_line(risk: Risk) -> str:
    """'signals +77.6 (total 315.6): 3 bug fixes in its history, ...' or 'signals (not counted): ...'."""
    added = round(risk.total - risk.score.total, 2)
    head = f"signals +{number(added)} (total {number(risk.total)})" if added else "signals"
    return f"{head}: {risk.signal_text}"


def render_risk(report: RiskReport) -> RenderableType:
    """A file's or component's risk, and for a component (or the top list) its riskiest files."""
    parts: list[RenderableType | str] = [heading(f"{_title(report)} over the last {report.days} days"
                                                 f" ({report.since_day} to {report.as_of})")]
    if report.total is not None:
        parts += [terms_line(report.total), report.total.explanation]
        if report.kind == "file" and report.total.signal_text:
            parts.append(signals_line(report.total))
    if report.kind == "component":
        parts.append(heading("Riskiest files:"))
    if report.kind != "file":
        if report.note and (report.files or report.tests):  # ranked by their signals alone
            parts.append(report.note)
        parts += _files(report.files, report.note)
        if report.tests:
            parts.append(heading("Riskiest test files (ranked apart; --include-tests ranks them with code):"))
            parts += _files(report.tests, "")
    elif report.note:
        parts.append(report.note)
    return group(parts)


def _title(report: RiskReport) -> str:
    if report.kind == "file":
        return f"Risk of {report.name}"
    if report.kind == "component":
        return f"Risk of component {report.name}"
    return "Riskiest files"


def _files(files: tuple[Risk, ...], note: str) -> list[str]:
    """One item per file: rank, path and risk on a line (the path whole; 'risk 238 + signals 98 = 336'
    when weighted signals add to the article's score), the why under it and its signals, so
    a long path and a long explanation both read at 80 columns. `note` says why there are none."""
    if not files:
        return [note or "No file changed in the window."]
    out = []
    for i, f in enumerate(files, 1):
        added = round(f.total - f.score.total, 2)
        more = f" + signals {number(added)} = {number(f.total)}" if added else ""
        out += [f"{i:2d}. {f.name}  risk {number(f.score.total)}{more}", f"    {f.explanation}"]
        if f.signal_text:
            out.append(f"    signals: {f.signal_text}")
    return out
