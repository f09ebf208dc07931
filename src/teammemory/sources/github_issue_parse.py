"""Pure: GitHub issues -> `Issue` records, so teams on GitHub Issues get the answers Jira teams get.

Accepted objects (one, or a list as GET returns them):

    GET /repos/O/R/issues, /issues/N      {number, title, body, state, state_reason, labels, user,
                                           assignee, assignees, created_at, updated_at, closed_at, html_url}
    perceval item data (category 'issue') the same, plus user_data, assignee_data, comments_data
    GET /repos/O/R/issues/N/comments      [{id, body, user, created_at, updated_at, html_url, issue_url}]

The issues endpoint lists pull requests too: an object with a `pull_request` key is a PR (its
number is a PR's), never an issue; `is_pull()` tells, and the callers keep it out.

Mapping (the Jira columns, filled the way a Jira issue fills them):

| column | from |
|---|---|
| key, project | 'OWNER/REPO#N', 'OWNER/REPO' (numbers are unique only within a repository) |
| summary, description, url | title, body, html_url |
| status, status_category | state: 'open' -> 'new', 'closed' -> 'done' |
| resolution | state_reason of a closed issue ('completed', 'not_planned'); '' while open |
| issue_type | 'Bug' (or the configured bug type) when a label names one, see `issue_type()`; else 'Issue' |
| labels | label names |
| created_at, updated_at, resolved_at | created_at, updated_at, closed_at |
| reporter, assignee | user, assignee (else the first of assignees) |
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from teammemory.errors import InputError
from teammemory.issue_keys import github_issue_key
from teammemory.model import Issue, IssueComment
from teammemory.sources.checks import NAME
from teammemory.sources.fields import Obj, kind_of
from teammemory.sources.github_fields import Doc, Options, account, number, person, repo_of

STATUS_CATEGORY = {"open": "new", "closed": "done"}
_LABEL_PREFIX = re.compile(r"^(?:type|kind)\s*[:/]\s*", re.I)


def is_pull(d: Mapping[str, Any]) -> bool:
    """An issue-shaped object that is a PR: GitHub marks it with a `pull_request` key."""
    return "pull_request" in d


def parse_issue(d: Mapping[str, Any], doc: Doc, opts: Options) -> Issue:
    """One GitHub issue object (REST, or perceval's `data` with its `*_data`) -> Issue."""
    n = number(d, doc.where, "issue")
    ctx = f"{doc.where}: issue #{n}"
    o = Obj(d, ctx)
    urls = [o.text("url"), o.text("html_url"), f"{o.text('repository_url')}/"]
    repo = repo_of(urls, doc, ctx, opts.repo)
    state, reason = o.text("state", NAME).lower(), o.text("state_reason", NAME)
    labels = label_names(d.get("labels"), ctx)
    assignees = o.objs("assignees")
    assignee = person(o, "assignee_data", "assignee") or (account(assignees[0]) if assignees else None)
    return Issue(
        key=github_issue_key(repo, n), summary=o.text("title"), description=o.text("body"),
        status=state, status_category=STATUS_CATEGORY.get(state, ""),
        issue_type=issue_type(labels, opts.bug_types),
        resolution=reason if state == "closed" else "",
        labels=labels,
        created_at=o.time("created_at"), updated_at=o.time("updated_at"), resolved_at=o.time("closed_at"),
        reporter=person(o, "user_data", "user"), assignee=assignee,
        url=o.text("html_url"),
        comments=tuple(parse_comment(c.data, ctx) for c in o.objs("comments_data")))


def label_names(labels: Any, ctx: str) -> tuple[str, ...]:
    """Label names in the order GitHub gives them; labels are objects (`{name}`) or plain strings."""
    o = Obj({"labels": labels}, ctx)
    names = []
    for i, x in enumerate(o.items("labels")):
        if isinstance(x, dict):
            names.append(Obj(x, ctx, f"labels[{i}].").text("name", NAME))
        elif isinstance(x, str):
            names.append(o.checked(f"labels[{i}]", x, NAME))
        else:
            raise InputError(ctx, f"field 'labels[{i}]': expected an object or text, got {kind_of(x)}")
    return tuple(dict.fromkeys(name for name in names if name))


def issue_type(labels: Iterable[str], bug_types: Iterable[str]) -> str:
    """The bug type a label names, spelled as configured ('bug' -> 'Bug'), else 'Issue'.

    Labels match case-insensitively, bare or prefixed `type:`, `type/`, `kind:`, `kind/`:
    'bug', 'Bug', 'type: bug', 'kind/bug', and with the default bug types 'defect' -> 'Defect'.

    The configured spelling is kept so that bug-fix classification (which compares issue types
    with the configured bug types) agrees with it.
    """
    types = {t.lower(): t for t in bug_types}
    types.setdefault("bug", "Bug")
    for label in labels:
        found = types.get(_LABEL_PREFIX.sub("", label.strip()).lower())
        if found:
            return found
    return "Issue"


def parse_comment(c: Any, ctx: str) -> IssueComment:
    """One conversation comment `{id, body, user, created_at, updated_at}`."""
    if not isinstance(c, dict):
        raise InputError(ctx, f"comment: expected an object, got {kind_of(c)}")
    cid = Obj(c, ctx, "comment ").ident("id", required=True)
    o = Obj(c, ctx, f"comment {cid}.")
    return IssueComment(cid, person(o, "user_data", "user"), o.text("body"), o.time("created_at"),
                        o.time("updated_at"))
