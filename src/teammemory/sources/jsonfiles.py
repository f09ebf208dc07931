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
from teammemory.sources.fields import Obj

RECORDINGS = ("betamax", "nock")
STATUS = (100, 599)


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
    return loads(text, str(path))


def loads(text: str | bytes, where: str) -> Any:
    """`json.loads` whose every failure is an InputError naming `where`: broken JSON (with its
    line and column), nesting deeper than Python's parser goes (about 1000 levels: it raises
    RecursionError), and integers longer than Python converts (4300 digits: ValueError)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError(where, "not readable JSON: nested too deeply (the parser stops near 1000 levels)") from None
    except ValueError as exc:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise InputError(where, f"not readable JSON: a number too long to read ({str(exc).split(';')[0]})") from None


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
        top = Obj(data, where)
        return [_betamax(i, x) for i, x in enumerate(top.objs("http_interactions"))]
    if kind == "nock":
        return [_nock(i, Obj(x, where, f"[{i}].")) for i, x in enumerate(data)]
    raise InputError(where, f"not a recorded HTTP session (found {kind})")


def _betamax(i: int, x: Obj) -> Response:
    request, response = x.obj("request"), x.obj("response")
    uri, status = request.text("uri"), response.obj("status").integer("code", STATUS)
    if not uri or status is None:
        raise InputError(x.ctx, f"interaction {i}: needs request.uri and response.status.code")
    body = response.obj("body")
    text = body.text("string")
    if not text and body.present("base64_string"):
        text = _unzip(body.text("base64_string"), f"{x.ctx}: interaction {i}")
    parts = urlsplit(uri)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return Response(i, (request.text("method") or "GET").upper(), path, status,
                    _loads(text, f"{x.ctx} (response {i})"))


def _unzip(b64: str, where: str) -> str:
    try:
        raw = base64.b64decode(b64, validate=True)
        return (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8", "replace")
    except (ValueError, OSError, EOFError) as exc:  # binascii.Error, BadGzipFile, a truncated stream
        raise InputError(where, f"field 'base64_string': not base64 (gzip) data: {exc}") from None


def _nock(i: int, x: Obj) -> Response:
    body = x.get("response")
    if isinstance(body, str):
        body = _loads(x.text("response"), f"{x.ctx} (response {i})")
    status = x.integer("status", STATUS)
    if not x.text("method") or not x.text("path") or status is None:
        raise InputError(x.ctx, f"recording {i}: needs method, path and status")
    return Response(i, x.text("method").upper(), x.text("path"), status, body)


def _loads(text: str, where: str) -> Any:
    """A recorded body: JSON, or None for what is not JSON (an empty 204, HTML); JSON that cannot
    be read (see `loads`) is an InputError."""
    try:
        return loads(text, where) if text.strip() else None
    except InputError as exc:
        if exc.what.startswith("not valid JSON"):
            return None
        raise

