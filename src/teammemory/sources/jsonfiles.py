"""JSON input files: find them, read them, tell what they hold, unpack recorded HTTP sessions.

The importers take files saved from the Jira and GitHub REST APIs (by hand, by a test suite's
recorder, by perceval, or by a later `sync`). Reading and walking are the only I/O here; `shape()`
and `unpack_recording()` are pure, so they are tested on literal data.

Shapes (`shape(data)` returns one of these names):

| shape | looks like |
|---|---|
| `jira-search` | `{startAt, maxResults, total, issues: [...]}` |
| `jira-issue` / `jira-issues` | `{key, fields, ...}` / a list of them |
| `jira-comments` | `{startAt, total, comments: [...]}` (GET /issue/{id}/comment) |
| `jira-fields` | `[{id, name, custom, schema}, ...]` (GET /field) |
| `perceval` | `{backend_name, category, data}` or a list of them |
| `github-pull` / `github-pulls` | `{number, head, base, ...}` / a list |
| `github-reviews` | `[{id, state, pull_request_url, user, ...}]` |
| `github-review-comments` | `[{id, path, diff_hunk or position, body, ...}]` (or one) |
| `github-issue-comments` | `[{id, body, user, issue_url or .../issues/comments/N}]` |
| `github-files` | `[{filename, status, additions, deletions}]` |
| `github-commits` / `github-commit` | `[{sha, commit: {...}}]` / one |
| `github-requested-reviewers` | `{users: [...], teams: [...]}` |
| `github-issues`, `github-events`, `github-search`, `github-repo`, `github-user(s)` | not PR data |
| `error`, `rate-limit`, `index`, `empty` | not data |
| `betamax`, `nock` | a recorded HTTP session: unpack with `unpack_recording()` |
| `unknown` | anything else |
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from teammemory.errors import InputError

RECORDINGS = ("betamax", "nock")


def json_files(paths: Sequence[Path]) -> list[Path]:
    """Files to read: each file as given; each directory walked for `*.json`, in sorted order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*.json") if p.is_file())
        elif path.is_file():
            out.append(path)
        else:
            raise InputError(str(path), "no such file or directory")
    return out


def read_json(path: Path) -> Any:
    """Parse one file; the error names the file and the line and column where the JSON breaks."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise InputError(str(path), where) from None


def shape(data: Any) -> str:
    """Name what a parsed JSON document holds (see the module docstring for the table)."""
    if isinstance(data, list):
        return _list_shape(data)
    if isinstance(data, dict):
        return _dict_shape(data)
    return "unknown"


def _list_shape(data: list[Any]) -> str:
    if not data:
        return "empty"
    if not all(isinstance(x, dict) for x in data):
        return "unknown"
    first = data[0]
    if {"scope", "method", "path", "status"} <= first.keys():
        return "nock"
    if {"file", "uri"} <= first.keys():
        return "index"
    if {"id", "name", "custom"} <= first.keys():
        return "jira-fields"
    one = _dict_shape(first)
    plural = {"jira-issue": "jira-issues", "github-pull": "github-pulls", "github-commit": "github-commits",
              "github-issue": "github-issues", "github-user": "github-users", "github-event": "github-events",
              "github-review": "github-reviews", "github-review-comment": "github-review-comments",
              "github-issue-comment": "github-issue-comments", "github-file": "github-files"}
    return plural.get(one, one)


def _dict_shape(d: Mapping[str, Any]) -> str:
    keys = d.keys()
    if "http_interactions" in keys:
        return "betamax"
    if "backend_name" in keys and "data" in keys:
        return "perceval"
    if "errorMessages" in keys or ({"message", "documentation_url"} <= keys and len(keys) <= 4):
        return "error"
    if {"rate", "resources"} <= keys:
        return "rate-limit"
    if isinstance(d.get("issues"), list) and ("startAt" in keys or "total" in keys):
        return "jira-search"
    if isinstance(d.get("comments"), list) and ("startAt" in keys or "total" in keys):
        return "jira-comments"
    if "key" in keys and ("fields" in keys or "/rest/api/" in str(d.get("self", ""))):
        return "jira-issue"
    if {"total_count", "items"} <= keys:
        return "github-search"
    if {"users", "teams"} >= keys and keys:
        return "github-requested-reviewers"
    return _github_item_shape(d)


def _github_item_shape(d: Mapping[str, Any]) -> str:
    keys = d.keys()
    if "number" in keys and "head" in keys and "base" in keys:
        return "github-pull"
    if "number" in keys and "title" in keys:
        return "github-issue"
    if "sha" in keys and "commit" in keys:
        return "github-commit"
    if "filename" in keys and "status" in keys:
        return "github-file"
    if "event" in keys and ("actor" in keys or "created_at" in keys):
        return "github-event"
    if "state" in keys and ("pull_request_url" in keys or "submitted_at" in keys):
        return "github-review"
    if "path" in keys and "body" in keys and ({"diff_hunk", "position", "original_position"} & keys):
        return "github-review-comment"
    if {"body", "user"} <= keys and ("issue_url" in keys or "/issues/comments/" in str(d.get("url"))):
        return "github-issue-comment"
    if "full_name" in keys and "owner" in keys:
        return "github-repo"
    if "login" in keys and ("type" in keys or "contributions" in keys):
        return "github-user"
    return "unknown"


@dataclass(frozen=True)
class Response:
    """One recorded response: the request's path (and query) on the API host, its status, its body."""

    index: int
    method: str
    path: str
    status: int
    body: Any


def unpack_recording(data: Any, where: str) -> list[Response]:
    """The responses of a betamax cassette or a nock recording, in recorded order.

    Betamax: `{"http_interactions": [{"request": {"method", "uri"}, "response": {"status": {"code"},
    "body": {"string" | "base64_string" (gzip)}}}]}`. Nock: `[{"scope", "method", "path", "status",
    "response"}]`. Bodies that are not JSON (an empty 204, HTML) become None.
    """
    kind = shape(data)
    if kind == "betamax":
        return [_betamax(i, x, where) for i, x in enumerate(_list(data["http_interactions"], where))]
    if kind == "nock":
        return [_nock(i, x) for i, x in enumerate(data)]
    raise InputError(where, f"not a recorded HTTP session (found {kind})")


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(where, "field 'http_interactions' is not a list")
    return value


def _betamax(i: int, x: Any, where: str) -> Response:
    try:
        request, response = x["request"], x["response"]
        uri = urlsplit(request["uri"])
        status = int(response["status"]["code"])
        body = response.get("body") or {}
    except (KeyError, TypeError, ValueError):
        raise InputError(where, f"interaction {i}: needs request.uri and response.status.code") from None
    text = body.get("string") or ""
    if not text and body.get("base64_string"):
        raw = base64.b64decode(body["base64_string"])
        text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8", "replace")
    path = uri.path + (f"?{uri.query}" if uri.query else "")
    return Response(i, str(request.get("method", "GET")).upper(), path, status, _loads(text))


def _nock(i: int, x: Mapping[str, Any]) -> Response:
    body = x.get("response")
    if isinstance(body, str):
        body = _loads(body)
    return Response(i, str(x["method"]).upper(), str(x["path"]), int(x["status"]), body)


def _loads(text: str) -> Any:
    try:
        return json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        return None


def obj(d: Mapping[str, Any], name: str, ctx: str) -> Mapping[str, Any]:
    """Field `name` of `d` as an object ({} when absent or null); InputError names `ctx` otherwise."""
    value = d.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(ctx, f"field '{name}' is not an object")
    return value
