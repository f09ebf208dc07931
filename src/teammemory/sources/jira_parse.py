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
Every field read must have the type the API gives it (text, an object, a list, ...; `description`
and comment bodies text or an ADF object), or the issue is refused naming the field (`sources.fields`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from teammemory.errors import InputError
from teammemory.model import IdentityRef, Issue, IssueComment, IssueLink, Transition
from teammemory.sources import adf, checks, fields, jsonfiles
from teammemory.sources.checks import NAME
from teammemory.sources.fields import Obj, kind_of, show

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
        return _comment_page(Obj(data, where), path_hint)
    if kind == "jira-fields":
        listed = [Obj(f, where, f"[{i}].") for i, f in enumerate(data)]
        return JiraDocument(epic_fields=frozenset(f.ident("id") for f in listed if f.text("name") == EPIC_LINK))
    if kind in ("error", "empty"):
        return JiraDocument(skipped={f"skipped.{kind}": 1})
    raise InputError(where, f"not Jira issue data (looks like: {kind})")


def _issues(items: Iterable[Any], where: str) -> tuple[tuple[Mapping[str, Any], str], ...]:
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(where, f"issues[{i}]: expected an object, got {kind_of(item)}")
        out.append((item, where))
    return tuple(out)


def _perceval(items: list[Any], where: str) -> JiraDocument:
    issues, skipped = [], 0
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("data"), dict):
            raise InputError(where, f"item {i}: perceval item without 'data'")
        if Obj(item, where, f"[{i}].").text("backend_name").lower() != "jira":
            skipped += 1
            continue
        issues.append((item["data"], where))
    return JiraDocument(tuple(issues), skipped={"skipped.perceval-other": skipped} if skipped else {})


def _comment_page(page: Obj, path_hint: str) -> JiraDocument:
    comments = page.objs("comments")
    if not comments:
        return JiraDocument(skipped={"skipped.empty": 1})
    m = _ISSUE_IN_PATH.search(path_hint)
    issue = m.group(1) if m else ""
    if not issue:
        m = _ISSUE_IN_URL.search(comments[0].text("self"))
        issue = m.group(1) if m else ""
    if not issue:
        raise InputError(page.ctx, "comment page: cannot tell its issue (no comment 'self' URL; save it as"
                                   " .../issue/KEY/comment.json)")
    problem = checks.text_problem(issue, NAME)  # it may become the key the comments are stored under
    if problem:
        raise InputError(page.ctx, f"comment page: the issue its URL names: {problem}")
    return JiraDocument(comment_pages=(CommentPage(issue, tuple(c.data for c in comments), page.ctx),))


def _epic_ids_from_names(names: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(str(k) for k, v in names.items() if v == EPIC_LINK)


def parse_issue(raw: Mapping[str, Any], where: str, *, epic_fields: frozenset[str] = frozenset()) -> Issue:
    """One raw Jira issue -> Issue. `where` names the file; errors add the issue and the field."""
    key = Obj(raw, f"{where}: issue id {_label(raw.get('id'))}").text("key", NAME, required=True)
    ctx = f"{where}: issue {key}"
    o = Obj(raw, ctx)
    o.ident("id")  # read only to tell comment pages their issue, but it must be an id
    if not o.present("fields"):
        raise InputError(ctx, "field 'fields' missing")
    if not isinstance(o.get("fields"), dict):
        raise o.wrong("fields", "an object")
    f = o.obj("fields")
    status = f.obj("status")
    category = status.obj("statusCategory").text("key", NAME)
    return Issue(
        key=key, summary=f.text("summary"), description=rich_text(f, "description"),
        status=status.text("name", NAME), status_category=category if category in CATEGORIES else "",
        priority=f.obj("priority").text("name", NAME), issue_type=f.obj("issuetype").text("name", NAME),
        resolution=f.obj("resolution").text("name", NAME), labels=f.texts("labels", NAME),
        components=tuple(c.text("name", NAME) for c in f.objs("components")),
        created_at=f.time("created"), updated_at=f.time("updated"), resolved_at=f.time("resolutiondate"),
        reporter=person(f, "reporter"), assignee=person(f, "assignee"),
        parent_key=f.obj("parent").text("key", NAME) or _epic(f, epic_fields),
        url=browse_url(o.text("self"), key),
        comments=parse_comments(_all_comments(o, f), ctx), links=_links(f),
        transitions=_transitions(o))


def _label(value: Any) -> str:
    """An issue's id as its messages show it, before anything about it is known to be right."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return "?"
    text = value if isinstance(value, str) else str(value) if abs(value) < 10**40 else ""
    return text if 0 < len(text) <= 40 and text.isprintable() else show(value)


def rich_text(o: Obj, name: str) -> str:
    """Plain strings as they are (v2 wiki markup); Atlassian Document Format (v3) turned into text."""
    value = o.get(name)
    if isinstance(value, dict):
        return adf.adf_to_text(o.obj(name))
    if value is not None and not isinstance(value, str):
        raise o.wrong(name, "text, an ADF object or null")
    return o.text(name)


def adf_to_text(node: Mapping[str, Any]) -> str:
    """Plain text of an ADF document (see `sources.adf`)."""
    return adf.adf_to_text(Obj(node, "ADF document"))


def jira_time(value: Any, ctx: str, name: str) -> int | None:
    """`2016-07-27T14:16:05.000+0200` (or `Z`, `+02:00`, no millis) -> UTC epoch seconds.

    Jira always sends an offset; a time without one is taken as UTC so the answer cannot depend
    on the machine's time zone.
    """
    return fields.time_value(value, ctx, name)


def user(u: Any, ctx: str = "", name: str = "user") -> IdentityRef | None:
    """A Jira user: Cloud has accountId (no name), Server has key and name; null is no one."""
    return None if u is None else _identity(Obj.of(u, ctx, name))


def person(o: Obj, name: str) -> IdentityRef | None:
    """The user in field `name` of `o`: an object or null."""
    return _identity(o.obj(name))


def _identity(u: Obj) -> IdentityRef | None:
    account = u.text("accountId", NAME) or u.text("key", NAME)
    login, email = u.text("name", NAME), u.text("emailAddress", NAME)
    if not (account or login or email):
        return None
    return IdentityRef(source="jira", account_id=account, login=login, email=email,
                       display_name=u.text("displayName", NAME))


def browse_url(self_url: str, key: str) -> str:
    """`https://host/jira/rest/api/2/issue/10002` -> `https://host/jira/browse/KEY`."""
    parts = urlsplit(self_url)
    if not parts.scheme or "/rest/api/" not in parts.path:
        return ""
    base = parts.path.split("/rest/api/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{base}/browse/{key}"


def _epic(f: Obj, epic_fields: frozenset[str]) -> str:
    """The epic link: the custom field named 'Epic Link' (told by /field or a page's `names`, or
    perceval's `{name, value}` form)."""
    for fid in sorted(k for k in f.data if k.startswith("customfield_")):
        value = f.get(fid)
        if isinstance(value, dict) and value.get("name") == EPIC_LINK:
            key = f.obj(fid).text("value", NAME)
        elif fid in epic_fields:
            key = f.text(fid, NAME)
        else:
            continue
        if key:
            return key
    return ""


def _all_comments(o: Obj, f: Obj) -> list[Obj]:
    return f.obj("comment").objs("comments") + o.objs("comments_data")


def parse_comments(items: Iterable[Any], ctx: str) -> tuple[IssueComment, ...]:
    """Comments by id (first seen wins), in the order given; raw objects or `Obj`s."""
    out: dict[str, IssueComment] = {}
    for i, c in enumerate(items):
        raw = c.data if isinstance(c, Obj) else c
        if not isinstance(raw, dict):
            raise InputError(ctx, f"comment {i}: expected an object, got {kind_of(raw)}")
        cid = Obj(raw, ctx, f"comment {i}.").ident("id", required=True)
        o = Obj(raw, ctx, f"comment {cid}.")
        out.setdefault(cid, IssueComment(cid, person(o, "author"), rich_text(o, "body"),
                                         o.time("created"), o.time("updated")))
    return tuple(out.values())


def _links(f: Obj) -> tuple[IssueLink, ...]:
    out = []
    for link in f.objs("issuelinks"):
        kind = link.obj("type")
        for side, direction in (("inwardIssue", "inward"), ("outwardIssue", "outward")):
            other = link.obj(side).text("key", NAME)
            if other:
                out.append(IssueLink(other, kind.text("name", NAME), direction, kind.text(direction, NAME)))
    return tuple(out)


def _transitions(o: Obj) -> tuple[Transition, ...]:
    """Status changes from `changelog.histories[].items[]` with field 'status', oldest first."""
    out = []
    for h in o.obj("changelog").objs("histories"):
        label = f"changelog history {h.ident('id') or '?'}.created"
        for item in h.objs("items"):
            if item.text("field", NAME) == "status":
                at = h.time("created", label)
                if at is None:
                    raise InputError(o.ctx, f"field '{label}' missing")
                out.append(Transition(at, item.text("fromString", NAME), item.text("toString", NAME),
                                      person(h, "author")))
    return tuple(sorted(out, key=lambda t: (t.at, t.from_status, t.to_status)))
