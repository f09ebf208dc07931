"""Text for WhyChanged answers: the answer in a few lines, the window against the one before as
one table, then the changes by issue, epic, PR, person and file, and the commits that fit no issue.

```
Why src/auth changed: last 90 days (2026-03-03 to 2026-06-01) against the 90 days before
changed 6 times in the last 90 days (2 in the 90 days before: +200%)
3 bugs, 2 features, 1 unclassified
...
                2026-03-03 to 2026-06-01  2025-12-03 to 2026-03-02
commits                                6                         2
lines changed                        120                        40
...
By issue:
issue      kind           commits  lines  summary
PROJ-12    bug (Bug)            2     28  Token refresh race condition
```
Each list is a table whose numbers never wrap and whose summaries wrap at words, so the answer
reads at 80 columns and is a set of Markdown tables. The agent cuts each list to `--limit`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType

from teammemory.agents.why_changed import EpicGroup, IssueGroup, WhyChanged, Window
from teammemory.agents.why_changed import Group as Bucket
from teammemory.outputs.blocks import Cell, group, heading, table
from teammemory.outputs.words import plural

Part = RenderableType | str
NUMBERS = (("commits", "commits"), ("lines changed", "churn"), ("bug fixes", "bug_fixes"), ("reverts", "reverts"),
           ("people", "people"))


def render_why_changed(r: WhyChanged) -> RenderableType:
    label = r.name if r.kind == "file" else f"component {r.name}"
    parts: list[Part] = [
        heading(f"Why {label} changed: last {r.days} days ({r.current.since_day} to {r.current.until_day})"
                f" against the {r.days} days before"),
        *r.explanation.split("; "), windows(r.current, r.previous)]
    parts += _issues(r.issues)
    if r.epics:
        parts += [heading("By epic:"), _epics(r.epics)]
    parts += _buckets("By pull request:", ("pull request", "key"), r.prs, titled=True)
    parts += _buckets("By person:", ("person", "key"), r.people)
    parts += _buckets("Files that moved most:", ("file", "path"), r.files)
    if r.unlinked:
        parts.append(heading(f"Commits that fit no issue: {r.unlinked_total:,}"))
        for i, c in enumerate(r.unlinked, 1):
            parts += [f"{i:2d}. {c.ref}  {c.day}  {c.kind}{' revert' if c.is_revert else ''}  {c.who}",
                      f"    {c.subject}"]
        if r.unlinked_total > len(r.unlinked):
            left = r.unlinked_total - len(r.unlinked)
            parts.append(f"… and {left:,} more commit{'' if left == 1 else 's'} that fit no issue (use --limit)")
    return group(parts)


def windows(cur: Window, prev: Window) -> RenderableType:
    """The two windows side by side: one row per number, then one per kind of change."""
    rows = [(name, f"{getattr(cur, field):,}", f"{getattr(prev, field):,}") for name, field in NUMBERS]
    now, before = ({k.kind: k.commits for k in w.kinds} for w in (cur, prev))
    rows += [(f"{kind} commits", f"{now.get(kind, 0):,}", f"{before.get(kind, 0):,}")
             for kind in dict.fromkeys([*now, *before])]
    return table([("window", "key"), (f"{cur.since_day} to {cur.until_day}", "number"),
                  (f"{prev.since_day} to {prev.until_day}", "number")], rows, header=True)


def _issues(groups: Sequence[IssueGroup]) -> list[Part]:
    """The issues the store holds as a table; the keys it does not hold summed up on one line."""
    issues = [g for g in groups if not _missing(g)]
    missing = [f"{g.key} ({plural(g.commits, 'commit')})" for g in groups if _missing(g)]
    out: list[Part] = [heading("By issue:"), _issue_table(issues)] if issues else []
    if missing:
        out.append(f"Named by commits but not in the store: {', '.join(missing)}")
    return out


def _missing(g: IssueGroup) -> bool:
    return not g.summary and not g.issue_type


def _issue_table(issues: Sequence[IssueGroup]) -> RenderableType:
    epics = any(g.epic for g in issues)
    epic: list[tuple[str, Cell]] = [("epic", "key")] if epics else []
    columns: list[tuple[str, Cell]] = [("issue", "key"), ("kind", "prose"), ("commits", "number"),
                                       ("lines", "number"), *epic, ("summary", "prose")]
    rows = [(g.key, _kind(g), f"{g.commits:,}", f"{g.churn:,}", *([g.epic] if epics else []),
             g.summary or "(not in the store)") for g in issues]
    return table(columns, rows, header=True)


def _kind(g: IssueGroup) -> str:
    """'bug', 'feature (Story)': the kind the window counts it as, and its type when that says more."""
    if not g.kind:
        return f"type unknown ({g.issue_type})" if g.issue_type else "type unknown"
    return g.kind if g.issue_type.lower() in ("", g.kind) else f"{g.kind} ({g.issue_type})"


def _epics(epics: Sequence[EpicGroup]) -> RenderableType:
    return table([("epic", "key"), ("commits", "number"), ("issues", "prose"), ("summary", "prose")],
                 [(e.key, f"{e.commits:,}", ", ".join(e.issues), e.summary or "(not in the store)") for e in epics],
                 header=True)


def _buckets(title: str, first: tuple[str, Cell], groups: Sequence[Bucket], *, titled: bool = False) -> list[Part]:
    """A PR, person or file per row with its commits and lines; a PR's title (`titled`) last."""
    if not groups:
        return []
    columns: list[tuple[str, Cell]] = [first, ("commits", "number"), ("lines", "number")]
    if titled:
        columns.append(("title", "prose"))
    rows = [(_name(g, titled), f"{g.commits:,}", f"{g.churn:,}", *([g.title] if titled else [])) for g in groups]
    return [heading(title), table(columns, rows, header=True)]


def _name(g: Bucket, titled: bool) -> str:
    return g.name if titled or not g.title else f"{g.name} ({g.title})"
