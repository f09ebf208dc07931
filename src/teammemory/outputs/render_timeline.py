"""Text for Timeline answers: the events as one table in time order, flagged bursts marked, then
each burst with its components and changes.

```
Timeline 2026-05-25 00:00 .. 2026-05-26 00:00 (7 events, 1 flagged burst)
when              what       ref      summary
2026-05-25 08:00  commit     1a2b3c4  Enable HTTP/2 on the public ingress (infra) [burst 1]
2026-05-25 08:20  incident   INC-3    SEV2 Public ingress down after enabling HTTP/2 (infra)
Flagged bursts (...)
 1. 2026-05-25 08:00 .. 2026-05-25 08:30, components infra, payment
    commit acme/platform@1a2b3c4, PR acme/platform#382
```
The summary column wraps at words and the time, kind and ref never do, so a long subject stays
in its row at 80 columns; in Markdown the events are one table.
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.timeline import Event, Timeline
from teammemory.outputs.blocks import group, heading, table
from teammemory.outputs.render_incidents import stamp
from teammemory.outputs.words import plural

LABEL = {"commit": "commit", "merge": "merge", "pr-opened": "PR opened", "pr-merged": "PR merged",
         "release": "release", "incident-started": "incident", "incident-resolved": "resolved"}


def event_row(e: Event) -> tuple[str, str, str, str]:
    """(when, what, ref, summary): a commit's short hash, a PR's '#number', a tag or incident key."""
    ref = e.ref[:7] if e.kind in ("commit", "merge") else f"#{e.ref}" if e.kind.startswith("pr-") else e.ref
    comps = f" ({', '.join(e.components)})" if e.components else ""
    burst = f" [burst {e.burst}]" if e.burst is not None else ""
    return stamp(e.at), LABEL[e.kind], ref, f"{e.summary}{comps}{burst}"


def render_timeline(result: Timeline) -> RenderableType:
    """The events in order, then each flagged burst with its components and changes."""
    scope = f", component {result.component}" if result.component else ""
    parts: list[RenderableType | str] = [
        heading(f"Timeline {stamp(result.since_at)} .. {stamp(result.until_at)}{scope}"
                f" ({plural(len(result.events), 'event')}, {plural(len(result.bursts), 'flagged burst')})")]
    if result.events:
        parts.append(table([("when", "key"), ("what", "key"), ("ref", "key"), ("summary", "prose")],
                           [event_row(e) for e in result.events], header=True))
    else:
        parts.append("Nothing happened in this window.")
    parts.append(heading(f"Flagged bursts ({result.rules})"))
    for b in result.bursts:
        parts += [f"{b.number:2d}. {stamp(b.start_at)} .. {stamp(b.end_at)}, components {', '.join(b.components)}",
                  f"    {', '.join(b.changes)}"]
    if not result.bursts:
        parts.append("None.")
    return group(parts)
