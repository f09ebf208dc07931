"""Text for Incidents answers: each incident with its times, causes, fixes and open follow-ups.

```
Incidents (2; 1 open action item)
INC-3 SEV2 Public ingress down after enabling HTTP/2  (resolved; postmortem incidents/inc-3.yaml)
  started 2026-05-25 08:20, detected 08:45, mitigated 11:30, resolved 12:00
  TTD 25m, TTR 3h 40m, dormancy 20m
  cause  commit 1a2b3c4 Enable HTTP/2 on the public ingress (infra)
  fix    commit 5d6e7f8 Revert "Enable HTTP/2 on the public ingress"
  components: infra
  open action items: PROJ-1253 Pin GitHub Actions to commit SHAs (To Do)
```
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import RenderableType

from teammemory.agents.incidents import Change, IncidentItem, Incidents
from teammemory.outputs.blocks import group, heading


def stamp(t: int | None) -> str:
    return "" if t is None else datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M")


def duration(seconds: int | None) -> str:
    """3720 -> '1h 2m'; 90000 -> '1d 1h'; None -> 'n/a'."""
    if seconds is None:
        return "n/a"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days}d"] * bool(days) + [f"{hours}h"] * bool(hours) + [f"{minutes}m"] * bool(minutes and not days)
    return " ".join(parts) or f"{seconds}s"


def change_line(c: Change) -> str:
    what = f"commit {c.ref[:7]}" if c.kind == "commit" else f"PR #{c.ref}"
    where = f" ({', '.join(c.components)})" if c.components else ""
    text = c.summary if c.in_store else "(not in the store)"
    return f"  {c.role:<6} {what} {text}{where}  [{c.found_by}]"


def incident_lines(i: IncidentItem) -> list[RenderableType | str]:
    origin = f"postmortem {i.source_file}" if i.source == "postmortem" else "Jira issue"
    name = " ".join(x for x in (i.key, i.severity, i.title) if x)
    lines: list[RenderableType | str] = [heading(f"{name}  ({i.state}; {origin})")]
    times = [f"started {stamp(i.started_at)}"] + [f"{name} {stamp(t)}" for name, t in (
        ("detected", i.detected_at), ("mitigated", i.mitigated_at), ("resolved", i.resolved_at)) if t is not None]
    lines.append("  " + ", ".join(times))
    lines.append("  " + ", ".join(f"{label} {duration(i.measure(name))}" for name, label in (
        ("ttd", "TTD"), ("ttr", "TTR"), ("dormancy", "dormancy"))))
    for text, value in (("summary", i.summary), ("trigger", i.trigger), ("root cause", i.root_cause)):
        if value:
            lines.append(f"  {text}: {' '.join(value.split())}")
    lines += [change_line(c) for c in i.causes + i.fixes]
    if i.components:
        lines.append("  components: " + ", ".join(c.name for c in i.components))
    opened = i.open_actions
    if i.action_items:
        lines.append(f"  action items: {len(i.action_items)}, open {len(opened)}")
        lines += [f"    {a.key} {a.summary or '(not in the store)'}" + (f" ({a.status})" if a.status else "")
                  for a in opened]
    return lines


def render_incidents(result: Incidents) -> RenderableType:
    """Every incident, latest first, with the rule the numbers follow."""
    scope = ", ".join(x for x in (result.component and f"component {result.component}",
                                  result.repo and f"repository {result.repo}") if x)
    title = f"Incidents{' of ' + scope if scope else ''} ({len(result.incidents)};" \
            f" {result.open_action_items} open action item{'s' if result.open_action_items != 1 else ''})"
    parts: list[RenderableType | str] = [heading(title), f"  {result.rules}"]
    for item in result.incidents:
        parts += incident_lines(item)
    if not result.incidents:
        parts.append("  (none found)")
    return group(parts)
