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
from teammemory.model import Issue, IssueComment, github_issue_key
from teammemory.sources.github_fields import Doc, Options, as_list, gh_time, github_user, number, repo_of

STATUS_CATEGORY = {"open": "new", "closed": "done"}
_LABEL_PREFIX = re.compile(r"^(?:type|kind)\s*[:/]\s*", re.I)


def is_pull(d: Mapping[str, Any]) -> bool:
    """An issue-shaped object that is a PR: GitHub marks it with a `pull_request` key."""
    return "pull_request" in d


def parse_issue(d: Mapping[str, Any], doc: Doc, opts: Options) -> Issue:
    """One GitHub issue object (REST, or perceval's `data` with its `*_data`) -> Issue."""
    n = number(d.get("number"), doc.where, "issue")
    ctx = f"{doc.where}: issue #{n}"
    urls = [d.get("url"), d.get("html_url"), f"{d.get('repository_url') or ''}/"]
    repo = opts.repo or repo_of(urls, doc, ctx)
    state = str(d.get("state") or "").lower()
    labels = label_names(d.get("labels"), ctx)
    assignees = as_list(d, "assignees", ctx)
    return Issue(
        key=github_issue_key(repo, n), summary=str(d.get("title") or ""), description=str(d.get("body") or ""),
        status=state, status_category=STATUS_CATEGORY.get(state, ""),
        issue_type=issue_type(labels, opts.bug_types),
        resolution=str(d.get("state_reason") or "") if state == "closed" else "",
        labels=labels,
        created_at=gh_time(d.get("created_at"), ctx, "created_at"),
        updated_at=gh_time(d.get("updated_at"), ctx, "updated_at"),
        resolved_at=gh_time(d.get("closed_at"), ctx, "closed_at"),
        reporter=github_user(d.get("user_data") or d.get("user")),
        assignee=github_user(d.get("assignee_data") or d.get("assignee") or (assignees or [None])[0]),
        url=str(d.get("html_url") or ""),
        comments=tuple(parse_comment(c, ctx) for c in as_list(d, "comments_data", ctx)))


def label_names(labels: Any, ctx: str) -> tuple[str, ...]:
    """Label names in the order GitHub gives them; labels are objects (`{name}`) or plain strings."""
    if labels in (None, {}):
        return ()
    if not isinstance(labels, list):
        raise InputError(ctx, "field 'labels' is not a list")
    names = (str(x.get("name") or "") if isinstance(x, dict) else str(x) for x in labels)
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
    if not isinstance(c, dict) or c.get("id") in (None, ""):
        raise InputError(ctx, "comment: field 'id' missing")
    return IssueComment(str(c["id"]), github_user(c.get("user_data") or c.get("user")), str(c.get("body") or ""),
                        gh_time(c.get("created_at"), ctx, f"comment {c['id']}.created_at"),
                        gh_time(c.get("updated_at"), ctx, f"comment {c['id']}.updated_at"))
