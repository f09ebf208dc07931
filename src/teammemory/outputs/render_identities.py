"""Text for `teammemory identities` and its merge, split, suggestions and accept commands.

One developer per block: its key, name and email, then one line per account: the account key,
the rule that tied it, and the account. Keys and emails are never cut or wrapped (they are what
a user copies into `identities merge`); each line is as long as it needs to be and the terminal
wraps it.

```
ayse-demir  Ayşe Demir  ayse.demir@acme.io
  git:3b24dba66e38dbd9     same-email    git Ayşe Demir <ayse.demir@acme.io>
  github:2e926df2ca455d1c  commit-login  github @aysedemir
```
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text

from teammemory.identity.match import Account
from teammemory.identity.people import Accepted, Change, Developers, DeveloperView
from teammemory.identity.signals import label
from teammemory.identity.suggest import Suggestions
from teammemory.outputs.words import plural

HOW = ("Merge or split with a developer key (first column), an account key (git:, github: or jira: and"
       " 16 hex digits) or a spec: email:ADDRESS, login:GITHUB_LOGIN, jira:ID_OR_LOGIN_OR_NAME, name:FULL NAME.")


def render_developers(result: Developers) -> RenderableType:
    """Every developer shown, then how many there are, match and are left out."""
    lines = developer_lines(result.developers)
    accounts = sum(len(d.identities) for d in result.developers)
    matched = f"{result.matched} of {plural(result.total, 'developer')} match {result.name!r}" if result.name \
        else plural(result.total, "developer")
    more = result.matched - len(result.developers)
    tail = f"; showing {len(result.developers)} ({plural(accounts, 'account')}), {more} more (raise --limit)" \
        if more else f" ({plural(accounts, 'account')})"
    return Group(*lines, Text(matched + tail + "."), Text(HOW))


def developer_lines(developers: Sequence[DeveloperView], came_from: dict[str, str] | None = None) -> list[Text]:
    """The blocks; `came_from` (account key -> former developer key) marks accounts that moved."""
    came_from = came_from or {}
    idents = [i for d in developers for i in d.identities]
    key_width = max((len(i.key) for i in idents), default=0)
    rule_width = max((len(i.rule) for i in idents), default=0)
    lines = []
    for dev in developers:
        head = [dev.key, dev.name + (" (bot)" if dev.is_bot else ""), dev.email]
        lines.append(Text("  ".join(p for p in head if p)))
        for i in dev.identities:
            account = label(Account(i.key, i.source, i.email, i.name, i.login, i.account_id, i.display_name))
            moved = f"  (was {came_from[i.key]})" if came_from.get(i.key) else ""
            lines.append(Text(f"  {i.key.ljust(key_width)}  {i.rule.ljust(rule_width)}  {account}{moved}"))
    return lines


def render_change(change: Change) -> RenderableType:
    """What a merge, split or accept recorded, and which developer now holds which accounts."""
    lines = [Text(f"recorded: {c}") for c in change.recorded]
    if not change.moved:
        lines.append(Text("no developer changed: the accounts were already grouped that way"))
    else:
        lines.append(Text("now:"))
        lines += developer_lines(change.developers, {m.account: m.was for m in change.moved if m.was != m.now})
    if change.gone:
        lines.append(Text("gone: " + ", ".join(change.gone) + " (their accounts are listed above)"))
    lines.append(Text(f"{plural(change.before, 'developer')} before, {change.after} now."))
    return Group(*lines)


def render_suggestions(result: Suggestions, limit: int | None = None) -> RenderableType:
    """Each candidate: number, score, the two developers, then one line per term."""
    shown = result.suggestions[:limit] if limit is not None else result.suggestions
    width = max((len(t.rule) for s in shown for t in s.terms), default=0)
    lines = []
    for s in shown:
        lines.append(Text(f"#{s.number}  score {s.score}  {s.a.key} ({s.a.name})  +  {s.b.key} ({s.b.name})"))
        lines += [Text(f"    {t.points:+4d} {t.rule.ljust(width)}  {t.evidence}") for t in s.terms]
    more = len(result.suggestions) - len(shown)
    lines.append(Text(f"{plural(len(result.suggestions), 'suggestion')} (score at least {result.min_score})"
                      + (f"; {more} more (raise --limit)" if more else "") + "."))
    if result.suggestions:
        lines.append(Text("Accept: teammemory identities accept N [N ...] | --all-above SCORE"
                          " (recorded as manual merges; `identities split` undoes one)."))
    return Group(*lines)


def render_accepted(result: Accepted) -> RenderableType:
    if not result.suggestions:
        return Text("nothing accepted: no suggestion was chosen")
    head = [Text(f"accepted #{s.number} (score {s.score}): {s.a.key} + {s.b.key}") for s in result.suggestions]
    return Group(*head, render_change(result.change))
