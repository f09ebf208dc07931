"""Pure: Jira REST JSON -> `model.Issue` records; errors name the file, the issue and the field.

Accepted (Server/Data Center API v2 and Cloud, as saved by hand, by a client or by perceval):

    {"startAt": 0, "maxResults": 50, "total": 2, "issues": [{"key": "PROJ-1", "fields": {...}}]}
    [{"key": "PROJ-1", "fields": {...}}, ...]          # a bare list      {"key": ..., "fields": ...}
    {"backend_name": "Jira", "data": {"key": ..., "fields": ..., "comments_data": [...]}}  # or a list
    {"startAt": 0, "total": 2, "comments": [...]}     # GET /issue/{id}/comment (issue told by its URL)
    [{"id": "customfield_10008", "name": "Epic Link", "custom": true}, ...]               # GET /field

From each issue: summary, description (Atlassian Document Format turned into text), status and
its category key, priority, type, components, labels, resolution, times (`2016-07-27T14:16:05.000
+0200` -> UTC epoch seconds), reporter/assignee, comments (`fields.comment.comments` and perceval's
`comments_data`), issue links, parent or epic link, and status transitions from the changelog.
`key` and `fields` are required; everything else may be missing (a user without displayName is fine).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from teammemory.errors import InputError
from teammemory.model import IdentityRef, Issue, IssueComment, IssueLink, Transition
from teammemory.sources import jsonfiles

CATEGORIES = ("new", "indeterminate", "done")
EPIC_LINK = "Epic Link"
_ISSUE_IN_URL = re.compile(r"/issue/([^/?#]+)/comment")
_ISSUE_IN_PATH = re.compile(r"(?:^|[/_])issue[/_]([A-Za-z][A-Za-z0-9_]*-\d+|\d+)[/_]comment")


@dataclass(frozen=True)
class CommentPage:
    """Comments of one issue from GET /issue/{idOrKey}/comment; `issue` is a key or a numeric id."""

    issue: str
    comments: tuple[Mapping[str, Any], ...]
    where: str


@dataclass(frozen=True)
class JiraDocument:
    """What one JSON document holds, before issues are turned into records."""

    issues: tuple[tuple[Mapping[str, Any], str], ...] = ()  # (raw issue, where)
    comment_pages: tuple[CommentPage, ...] = ()
    epic_fields: frozenset[str] = frozenset()
    skipped: dict[str, int] = field(default_factory=dict)


def read_document(data: Any, where: str, path_hint: str = "") -> JiraDocument:
    """Split a document into raw issues, comment pages and field definitions; skip non-issue data.

    Skipped (and counted): error bodies, empty lists, and perceval items of other backends.
    Anything else that is not Jira data is an InputError.
    """
    kind = jsonfiles.shape(data)
    if kind == "jira-search":
        names = data.get("names") if isinstance(data.get("names"), dict) else {}
        return JiraDocument(_issues(data["issues"], where), epic_fields=_epic_ids_from_names(names))
    if kind == "jira-issue":
        return JiraDocument(((data, where),))
    if kind == "jira-issues":
        return JiraDocument(_issues(data, where))
    if kind == "perceval" or (isinstance(data, list) and data and jsonfiles.shape(data[0]) == "perceval"):
        return _perceval(data if isinstance(data, list) else [data], where)
    if kind == "jira-comments":
        return _comment_page(data, where, path_hint)
    if kind == "jira-fields":
        return JiraDocument(epic_fields=frozenset(str(f.get("id")) for f in data
                                                  if f.get("name") == EPIC_LINK))
    if kind in ("error", "empty"):
        return JiraDocument(skipped={f"skipped.{kind}": 1})
    raise InputError(where, f"not Jira issue data (looks like: {kind})")


def _issues(items: Iterable[Any], where: str) -> tuple[tuple[Mapping[str, Any], str], ...]:
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(where, f"issues[{i}]: not an object")
        out.append((item, where))
    return tuple(out)


def _perceval(items: list[Any], where: str) -> JiraDocument:
    issues, skipped = [], 0
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
            raise InputError(where, f"item {i}: perceval item without 'data'")
        if str(item.get("backend_name", "")).lower() != "jira":
            skipped += 1
            continue
        issues.append((item["data"], where))
    return JiraDocument(tuple(issues), skipped={"skipped.perceval-other": skipped} if skipped else {})


def _comment_page(data: Mapping[str, Any], where: str, path_hint: str) -> JiraDocument:
    comments = tuple(c for c in data["comments"] if isinstance(c, dict))
    if not comments:
        return JiraDocument(skipped={"skipped.empty": 1})
    m = _ISSUE_IN_PATH.search(path_hint)
    issue = m.group(1) if m else ""
    if not issue:
        m = _ISSUE_IN_URL.search(str(comments[0].get("self", "")))
        issue = m.group(1) if m else ""
    if not issue:
        raise InputError(where, "comment page: cannot tell its issue (no comment 'self' URL; save it as"
                                " .../issue/KEY/comment.json)")
    return JiraDocument(comment_pages=(CommentPage(issue, comments, where),))


def _epic_ids_from_names(names: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(str(k) for k, v in names.items() if v == EPIC_LINK)


def parse_issue(raw: Mapping[str, Any], where: str, *, epic_fields: frozenset[str] = frozenset()) -> Issue:
    """One raw Jira issue -> Issue. `where` names the file; errors add the issue and the field."""
    key = raw.get("key")
    if not isinstance(key, str) or not key:
        raise InputError(where, f"issue id {raw.get('id', '?')}: field 'key' missing")
    ctx = f"{where}: issue {key}"
    f = raw.get("fields")
    if not isinstance(f, dict):
        raise InputError(ctx, "field 'fields' missing" if f is None else "field 'fields' is not an object")
    status = jsonfiles.obj(f, "status", ctx)
    category = str(jsonfiles.obj(status, "statusCategory", ctx).get("key") or "")
    return Issue(
        key=key, summary=_text(f.get("summary")), description=_text(f.get("description")),
        status=_name(status), status_category=category if category in CATEGORIES else "",
        priority=_name(jsonfiles.obj(f, "priority", ctx)), issue_type=_name(jsonfiles.obj(f, "issuetype", ctx)),
        resolution=_name(jsonfiles.obj(f, "resolution", ctx)), labels=tuple(str(x) for x in _seq(f, "labels", ctx)),
        components=tuple(_name(c) for c in _seq(f, "components", ctx) if isinstance(c, dict)),
        created_at=jira_time(f.get("created"), ctx, "fields.created"),
        updated_at=jira_time(f.get("updated"), ctx, "fields.updated"),
        resolved_at=jira_time(f.get("resolutiondate"), ctx, "fields.resolutiondate"),
        reporter=user(f.get("reporter")), assignee=user(f.get("assignee")),
        parent_key=str(jsonfiles.obj(f, "parent", ctx).get("key") or "") or _epic(f, epic_fields),
        url=browse_url(str(raw.get("self") or ""), key),
        comments=parse_comments(_all_comments(raw, f, ctx), ctx), links=_links(f, ctx),
        transitions=_transitions(raw, ctx))




def _seq(d: Mapping[str, Any], name: str, ctx: str) -> list[Any]:
    value = d.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(ctx, f"field 'fields.{name}' is not a list")
    return value


def _name(d: Mapping[str, Any]) -> str:
    return str(d.get("name") or "")


def _text(value: Any) -> str:
    """Plain strings as they are (v2 wiki markup); Atlassian Document Format (v3) turned into text."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return adf_to_text(value)
    return str(value)


def jira_time(value: Any, ctx: str, name: str) -> int | None:
    """`2016-07-27T14:16:05.000+0200` (or `Z`, `+02:00`, no millis) -> UTC epoch seconds.

    Jira always sends an offset; a time without one is taken as UTC so the answer cannot depend
    on the machine's time zone.
    """
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(ctx, f"field '{name}' is not a Jira time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def user(u: Any) -> IdentityRef | None:
    """A Jira user: Cloud has accountId (no name), Server has key and name."""
    if not isinstance(u, dict):
        return None
    account = str(u.get("accountId") or u.get("key") or "")
    login = str(u.get("name") or "")
    email = str(u.get("emailAddress") or "")
    if not (account or login or email):
        return None
    return IdentityRef(source="jira", account_id=account, login=login, email=email,
                       display_name=str(u.get("displayName") or ""))


def browse_url(self_url: str, key: str) -> str:
    """`https://host/jira/rest/api/2/issue/10002` -> `https://host/jira/browse/KEY`."""
    parts = urlsplit(self_url)
    if not parts.scheme or "/rest/api/" not in parts.path:
        return ""
    base = parts.path.split("/rest/api/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{base}/browse/{key}"


def _epic(f: Mapping[str, Any], epic_fields: frozenset[str]) -> str:
    """The epic link: the custom field named 'Epic Link' (told by /field or a page's `names`, or
    perceval's `{name, value}` form)."""
    for fid in sorted(k for k in f if k.startswith("customfield_")):
        value = f[fid]
        if isinstance(value, dict) and value.get("name") == EPIC_LINK:
            value = value.get("value")
        elif fid not in epic_fields:
            continue
        if isinstance(value, str) and value:
            return value
    return ""


def _all_comments(raw: Mapping[str, Any], f: Mapping[str, Any], ctx: str) -> list[Any]:
    block = jsonfiles.obj(f, "comment", ctx)
    comments = list(block.get("comments") or [])
    extra = raw.get("comments_data")
    if extra is not None and not isinstance(extra, list):
        raise InputError(ctx, "field 'comments_data' is not a list")
    return comments + list(extra or [])


def parse_comments(items: Iterable[Any], ctx: str) -> tuple[IssueComment, ...]:
    """Comments by id (first seen wins), in the order given."""
    out: dict[str, IssueComment] = {}
    for i, c in enumerate(items):
        if not isinstance(c, dict) or c.get("id") in (None, ""):
            raise InputError(ctx, f"comment {i}: field 'id' missing")
        cid = str(c["id"])
        out.setdefault(cid, IssueComment(
            cid, user(c.get("author")), _text(c.get("body")),
            jira_time(c.get("created"), ctx, f"comment {cid}.created"),
            jira_time(c.get("updated"), ctx, f"comment {cid}.updated")))
    return tuple(out.values())


def _links(f: Mapping[str, Any], ctx: str) -> tuple[IssueLink, ...]:
    out = []
    for link in _seq(f, "issuelinks", ctx):
        if not isinstance(link, dict):
            continue
        kind = jsonfiles.obj(link, "type", ctx)
        for side, direction in (("inwardIssue", "inward"), ("outwardIssue", "outward")):
            other = link.get(side)
            if isinstance(other, dict) and other.get("key"):
                out.append(IssueLink(str(other["key"]), _name(kind), direction,
                                     str(kind.get(direction) or "")))
    return tuple(out)


def _transitions(raw: Mapping[str, Any], ctx: str) -> tuple[Transition, ...]:
    """Status changes from `changelog.histories[].items[]` with field 'status', oldest first."""
    out = []
    for h in jsonfiles.obj(raw, "changelog", ctx).get("histories") or []:
        if not isinstance(h, dict):
            continue
        for item in h.get("items") or []:
            if isinstance(item, dict) and item.get("field") == "status":
                at = jira_time(h.get("created"), ctx, f"changelog history {h.get('id', '?')}.created")
                if at is None:
                    raise InputError(ctx, f"field 'changelog history {h.get('id', '?')}.created' missing")
                out.append(Transition(at, str(item.get("fromString") or ""), str(item.get("toString") or ""),
                                      user(h.get("author"))))
    return tuple(sorted(out, key=lambda t: (t.at, t.from_status, t.to_status)))


# Atlassian Document Format (API v3 rich text) -> plain text ---------------------------------

_BLOCKS = {"paragraph", "heading", "codeBlock", "blockquote", "bulletList", "orderedList", "rule",
           "panel", "table", "mediaSingle", "mediaGroup", "blockCard", "expand", "taskList", "decisionList"}


def adf_to_text(node: Mapping[str, Any]) -> str:
    """Plain text of an ADF document: blocks separated by blank lines, lists as `- `/`1. ` lines,
    code blocks fenced with ```, mentions as their text, links as `text (url)`."""
    return "\n\n".join(b for b in _blocks(node.get("content") or []) if b).strip()


def _blocks(nodes: Iterable[Any]) -> list[str]:
    return [_block(n) for n in nodes if isinstance(n, dict)]


def _block(n: Mapping[str, Any]) -> str:
    kind, content = n.get("type"), n.get("content") or []
    if kind == "codeBlock":
        return "```\n" + _inline(content) + "\n```"
    if kind in ("bulletList", "orderedList", "taskList", "decisionList"):
        return "\n".join(_item(kind, i, item) for i, item in enumerate(content, 1) if isinstance(item, dict))
    if kind == "blockquote":
        return "\n".join("> " + line for line in "\n\n".join(_blocks(content)).split("\n"))
    if kind == "rule":
        return "---"
    if kind in ("table", "tableRow", "tableCell", "tableHeader", "panel", "expand", "layoutSection",
                "layoutColumn", "mediaSingle", "mediaGroup"):
        return "\n".join(b for b in _blocks(content) if b)
    if kind == "blockCard":
        return str((n.get("attrs") or {}).get("url") or "")
    return _inline(content) if kind in _BLOCKS or content else _leaf(n)


def _item(kind: Any, i: int, item: Mapping[str, Any]) -> str:
    bullet = f"{i}." if kind == "orderedList" else "-"
    text = "\n".join(_blocks(item.get("content") or [])) or _inline(item.get("content") or [])
    return f"{bullet} " + text.replace("\n", "\n  ")


def _inline(nodes: Iterable[Any]) -> str:
    return "".join(_leaf(n) if not n.get("content") else _block(n) for n in nodes if isinstance(n, dict))


def _leaf(n: Mapping[str, Any]) -> str:
    kind, attrs = n.get("type"), n.get("attrs") or {}
    if kind == "text":
        text = str(n.get("text") or "")
        for mark in n.get("marks") or []:
            href = (mark.get("attrs") or {}).get("href") if isinstance(mark, dict) else None
            if mark.get("type") == "link" and href and href != text:
                text = f"{text} ({href})"
        return text
    if kind == "hardBreak":
        return "\n"
    if kind == "mention":
        return str(attrs.get("text") or attrs.get("id") or "")
    if kind in ("inlineCard", "blockCard"):
        return str(attrs.get("url") or "")
    if kind == "emoji":
        return str(attrs.get("text") or attrs.get("shortName") or "")
    if kind in ("date", "status"):
        return str(attrs.get("text") or attrs.get("timestamp") or "")
    return ""
