"""Text for the context answers (issue, PR, file): headed lists, each item with how it was found.

```
PROJ-1247: Token refresh race condition
Status: In Progress | Priority: High | Component: auth
Related PRs:
- #382 Fix token refresh race condition (merged)
    found by: key PROJ-1247 in PR branch
Commits:
- a1b2c3d Mehmet Turac: Fix concurrent refresh token update
Changed files:
- src/auth/token_service.py (+15 -3, 2 commits)
People in context:
- Mehmet Turac (author), Ayşe Demir (author), Burak Kaya (reviewer)
```
Every line is a plain `Text` (never markup), so names like `dependabot[bot]` print as they are;
headings are `blocks.heading`s and indented lines keep their indent when wrapped (blocks.py), so
the same answer reads at 80 columns and converts to Markdown. Issue keys the store does not hold
(a reference to another tracker, a design proposal's key) are summed up in one line
(`Referenced, not in the store: 190 issues (org/repo#943, ABC-500, …)`), not listed one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType

from teammemory.outputs.blocks import group, heading
from teammemory.outputs.words import plural

if TYPE_CHECKING:  # annotations only: a process renders one answer, so it loads only that agent's module
    from teammemory.agents.context_common import (
        CommitRef,
        FileChurn,
        IncidentRef,
        IssueRef,
        PersonInContext,
        PrRef,
    )
    from teammemory.agents.context_file import FileContext
    from teammemory.agents.context_issue import IssueContext
    from teammemory.agents.context_pr import PrContext

Line = str | RenderableType
SHOWN_KEYS = 5  # keys named in a not-in-the-store summary


def render_issue_context(result: IssueContext) -> RenderableType:
    """An issue with its PRs, commits, files, linked issues, people and status timeline."""
    title = f"{result.key}: {result.summary}" if result.ingested else f"{result.key} (issue not ingested)"
    head: list[Line] = [heading(title), _bar([("Status", result.status), ("Priority", result.priority),
                         ("Component", ", ".join(result.components))])]
    head.append(_bar([("Type", result.issue_type), ("Reporter", _name(result.reporter)),
                      ("Assignee", _name(result.assignee)), ("Created", result.created),
                      ("Resolved", result.resolved)]))
    if result.description:
        head.append(f"Description: {result.description}")
    out = [line for line in head if line]
    out += _section("Related PRs", [_pr(p) for p in result.prs])
    out += _section("Commits", [_commit(c) for c in result.commits])
    if result.merges:
        out.append("Merged by: " + "; ".join(f"{c.short} {c.subject}" for c in result.merges))
    out += _section("Changed files", [[_file(f)] for f in result.files])
    out += _section("Linked issues", [[f"- {li.link} {li.key}: {li.summary} ({li.status})"]
                                      for li in result.links if li.ingested])
    out += _absent([li.key for li in result.links if not li.ingested], "Linked")
    out += _section("People in context", [[_people(result.people)]] if result.people else [])
    out += _section("Status timeline", [[f"- {t.date} {t.from_status or '(new)'} -> {t.to_status}"
                                         + (f" by {t.who}" if t.who else "")] for t in result.transitions])
    return _group(out)


def render_pr_context(result: PrContext) -> RenderableType:
    """A PR with its issues, commits, files, reviews, comments and people."""
    dates = [("Created", result.created), ("Merged", result.merged)]
    if not result.merged:
        dates.append(("Closed", result.closed))
    out: list[Line] = [heading(f"#{result.number} {result.title} ({result.state})"),
           _bar([("Repository", result.repo), ("Author", _name(result.author)),
                 ("Branch", " -> ".join(b for b in (result.head_branch, result.base_branch) if b))]),
           _bar(dates)]
    if result.known_from:
        out.append(f"Known from git only: {result.known_from}; no GitHub data (reviews, comments) ingested")
    if result.body:
        out.append(f"Description: {result.body}")
    out = [line for line in out if line]
    out += _section("Issues", [_issue(i) for i in result.issues if i.ingested])
    out += _absent([i.key for i in result.issues if not i.ingested])
    out += _section("Commits", [_commit(c) for c in result.commits])
    if result.merges:
        out.append("Merged by: " + "; ".join(f"{c.short} {c.subject}" for c in result.merges))
    files_from = f" (from the {result.files_from})" if result.files_from == "commits" else ""
    out += _section("Changed files" + files_from, [[_file(f)] for f in result.files])
    out += _section("Reviews", [[f"- {_name(r.reviewer) or '?'}: {r.state}"
                                 + (f" ({r.date})" if r.date else "")] for r in result.reviews])
    out += _section("Comments", [[f"- {_name(c.author) or '?'}" + (f" on {c.path}" if c.path else "")
                                  + f": {c.excerpt}"] for c in result.comments])
    out += _section("People in context", [[_people(result.people)]] if result.people else [])
    return _group(out)


def render_file_context(result: FileContext) -> RenderableType:
    """A file: who changed it most and last, earlier names, the issues and PRs behind it."""
    facts = [("Component", result.component or "(none)"), ("Commits", f"{result.commit_count:,}"),
             ("Repository", ", ".join(result.repos))]
    out: list[Line] = [heading(result.path), _bar(facts)]
    if result.earlier_paths:
        out.append("Earlier names: " + ", ".join(result.earlier_paths))
    if result.last_touched:
        c = result.last_touched
        out.append(f"Last touched: {c.date} by {c.author.name} ({c.short} {c.subject})")
    out += _section("Changed most by", [[f"- {p.name}: {plural(p.commits, 'commit')},"
                                         f" {plural(p.churn, 'line')}, last {p.last}"] for p in result.changed_most])
    out += _section("Issues behind its changes", [_issue(b.issue) for b in result.issues if b.issue.ingested])
    out += _absent([b.issue.key for b in result.issues if not b.issue.ingested])
    out += _section("Pull requests", [_pr(p) for p in result.prs])
    out += _section("Recent commits", [[f"- {c.date} {c.short} {c.author.name}: {c.subject}"]
                                       for c in result.recent])
    out += _section("Incidents", [[incident_line(i)] for i in result.incidents])
    return _group(out)


def incident_line(i: IncidentRef) -> str:
    """'- INC-1 SEV2 resolved: Token cache served stale tokens (2026-05-01; caused by commit a1b2c3d)'."""
    how = "; ".join((i.started, *i.relations))
    return f"- {i.key} {i.severity} {i.state}: {i.title} ({how})".replace("  ", " ")


def _group(lines: Iterable[Line]) -> Group:
    return group(line for line in lines if line)


def _absent(keys: Sequence[str], what: str = "Referenced") -> list[Line]:
    """One line for the issue keys the store does not hold: how many, and the first few."""
    if not keys:
        return []
    shown = ", ".join(keys[:SHOWN_KEYS]) + (", …" if len(keys) > SHOWN_KEYS else "")
    return [f"{what}, not in the store: {len(keys)} issue{'s' if len(keys) != 1 else ''} ({shown})"]


def _bar(pairs: Sequence[tuple[str, str]]) -> str:
    """'Status: In Progress | Priority: High', leaving out empty values."""
    return " | ".join(f"{k}: {v}" for k, v in pairs if v)


def _section(title: str, items: Sequence[Sequence[str]]) -> list[Line]:
    return [heading(f"{title}:"), *(line for item in items for line in item)] if items else []


def _name(person: object) -> str:
    return str(getattr(person, "name", "")) if person is not None else ""


def _pr(p: PrRef) -> list[str]:
    return [f"- #{p.number} {p.title} ({p.state})", f"    found by: {'; '.join(p.found_by)}"]


def _commit(c: CommitRef) -> list[str]:
    return [f"- {c.short} {c.author.name}: {c.subject}", f"    {c.date}, found by: {'; '.join(c.found_by)}"]


def _issue(i: IssueRef) -> list[str]:
    what = f": {i.summary} ({i.status})" if i.ingested else " (not ingested)"
    return [f"- {i.key}{what}", f"    found by: {'; '.join(i.found_by)}"]


def _file(f: FileChurn) -> str:
    return f"- {f.path} (+{f.added:,} -{f.deleted:,}, {plural(f.commits, 'commit')})"


def _people(people: Sequence[PersonInContext]) -> str:
    return "- " + ", ".join(f"{p.name} ({p.role})" for p in people)
