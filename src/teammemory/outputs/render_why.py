"""Text for WhyLine answers: each commit that last changed the lines, then its issues and PRs
(with the PR's issues, reviews, and review comments on the file: the threads on the asked lines
first, then the rest, each counted); the blamed lines at the end.

```
Why src/core/a.py:1-3 in app
lines 1-3 of 40, blamed at 1a2b3c4 as of 2026-06-01 (git blame -w -M -C)
 1. 1a2b3c4 2026-05-22 Cy Park: lines 1-2 (as src/core/b.py)
    PROJ-2 more on a and b
    PR #5 PROJ-2 feature (merged 2026-05-13, Cy Park)
      issue PROJ-2 Core feature [Done]
      review APPROVED by Ana Lima 2026-05-12
      on these lines: 2 review comments
        comment Ana Lima 2026-05-12 on src/core/a.py line 2: why not reuse the parser?
          reply Cy Park 2026-05-12 on src/core/a.py line 2: it is slower here
      rest of the discussion on the file: 1 review comment
        comment Ana Lima 2026-05-12 on src/core/a.py line 30: typo
Lines:
line  commit   text
   1  1a2b3c4  def parse(text):
```
One numbered item per commit (with the file's name in it when that was another), what it is
about on the lines under it, so a long subject or comment wraps under its item at 80 columns
and is one list item in Markdown.
"""

from __future__ import annotations

from rich.console import RenderableType

from teammemory.agents.context_common import IssueRef
from teammemory.agents.why_line import BlamedCommit, LinePr, ReviewComment, WhyLine
from teammemory.outputs.blocks import group, heading, table
from teammemory.outputs.words import plural

Part = RenderableType | str


def render_why(result: WhyLine) -> RenderableType:
    one = result.first == result.last
    span = f"{result.first}" if one else f"{result.first}-{result.last}"
    skipped = (f"; {plural(len(result.ignored_revs), 'revision')} of .git-blame-ignore-revs skipped"
               if result.ignored_revs else "")
    parts: list[Part] = [heading(f"Why {result.path}:{span} in {result.repo}"),
                         f"{'line' if one else 'lines'} {span} of {result.total:,},"
                         f" blamed at {result.rev[:7]} as of {result.as_of}"
                         f" (git blame -w -M -C{skipped})"]
    for i, commit in enumerate(result.commits, 1):
        parts += _commit(i, commit, result.path)
    if result.lines:
        parts += [heading("Lines:"), table([("line", "number"), ("commit", "key"), ("text", "prose")],
                                           [(str(b.line), b.short, b.text) for b in result.lines], header=True)]
    return group(parts)


def _commit(i: int, c: BlamedCommit, path: str) -> list[Part]:
    """The commit, its subject, issues and PRs; the file's name in it when that was another."""
    who = c.author.name if c.author else f"{c.git_author} (not in the store)"
    fix = " [bug fix]" if c.is_bug_fix else ""
    renamed = [p for p in c.paths if p != path]
    named = f" (as {', '.join(c.paths)})" if renamed else ""
    lines = f"line{'' if c.line_count == 1 else 's'} {c.lines}"
    out: list[Part] = [f"{i:2d}. {c.short} {c.date} {who}: {lines}{named}", f"    {c.subject}{fix}"]
    out += [_issue(x, "    ") for x in c.issues]
    for pr in c.prs:
        out += _pr(pr)
    if not c.prs:
        out.append("    no PR found for this commit")
    return out


def _pr(lp: LinePr) -> list[Part]:
    pr = lp.pr
    by = f", {pr.author.name}" if pr.author else ""
    out: list[Part] = [f"    PR #{pr.number} {pr.title} ({pr.state} {pr.date}{by})"]
    out += [_issue(x, "      ") for x in lp.issues]
    out += [f"      review {r.state} by {r.reviewer.name if r.reviewer else '?'} {r.date}" for r in lp.reviews]
    on = [c for c in lp.comments if c.on_lines]
    if on:
        out.append(f"      on these lines: {plural(lp.on_lines, 'review comment')}")
        out += [_comment(c) for c in on]
    rest = [c for c in lp.comments if not c.on_lines]
    if rest:
        what = "rest of the discussion" if on else "discussion"
        out.append(f"      {what} on the file: {plural(lp.elsewhere, 'review comment')}")
        out += [_comment(c) for c in rest]
    return out


def _comment(c: ReviewComment) -> str:
    """'comment Ana 2026-03-03 on src/a.py line 2: ...'; a reply indented under its thread."""
    where = f" line{'s' if '-' in c.lines else ''} {c.lines}{' (outdated)' if c.outdated else ''}" if c.lines else ""
    kind, indent = ("reply", "          ") if c.reply_to else ("comment", "        ")
    return f"{indent}{kind} {c.author.name if c.author else '?'} {c.date} on {c.path}{where}: {c.body}"


def _issue(i: IssueRef, indent: str) -> str:
    state = f" [{i.status}]" if i.ingested else " (not in the store)"
    return f"{indent}issue {' '.join(x for x in (i.key, i.summary) if x)}{state}"
