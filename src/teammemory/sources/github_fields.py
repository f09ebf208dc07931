"""Pure: what the GitHub parsers share — the caller's options, a document and where it came from,
and the field readers (times, users, numbers, the repository) whose errors name the culprit.

`github_parse` (pull requests) and `github_issue_parse` (issues) both build on these, so a PR and
an issue of one repository get the same repository name, the same identities and the same times.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from teammemory.config import DEFAULT_BUG_TYPES, KEY_PATTERN
from teammemory.errors import InputError
from teammemory.model import IdentityRef

REPO_URL = re.compile(r"https?://(?:api\.github\.com/repos|github\.com)/([\w.-]+)/([\w.-]+)/")
PATH_REPO = re.compile(r"(?:^|/)repos/([\w.-]+)/([\w.-]+)(?:/|$)")
# Flattened names (`GET_repos_OWNER_REPO_pulls_...`): GitHub owners cannot hold '_', repos can.
FLAT_REPO = re.compile(r"(?:^|[/_])repos_([A-Za-z0-9-]+)_([\w.-]+?)_(?:pulls|issues|commits)(?=$|[/_.?])")


@dataclass(frozen=True)
class Options:
    """What the parsers need from the caller: a fixed repo name, how issue keys look, and which
    issue types are bugs (a GitHub issue labelled with one of them is a bug)."""

    repo: str | None = None
    key_pattern: str = KEY_PATTERN
    ignored: tuple[str, ...] = ()
    bug_types: tuple[str, ...] = DEFAULT_BUG_TYPES


@dataclass(frozen=True)
class Doc:
    """A JSON document, where it came from (for errors) and its API path (for numbers and repo)."""

    data: Any
    where: str
    api_path: str


def repo_of(urls: Sequence[Any], doc: Doc, ctx: str) -> str:
    """OWNER/REPO from the first GitHub URL that names one, else from the document's API path."""
    for url in urls:
        m = REPO_URL.match(str(url or ""))
        if m:
            return f"{m.group(1)}/{m.group(2)}"
    m = PATH_REPO.search(doc.api_path) or FLAT_REPO.search(doc.api_path)
    if m:
        return f"{m.group(1)}/{m.group(2)}"
    raise InputError(ctx, "cannot tell the repository (no GitHub URL, no repos/OWNER/REPO/ path): pass repo=")


def github_user(u: Any) -> IdentityRef | None:
    """A GitHub account by login; `{}` (a deleted account, as perceval records it) is no one."""
    if not isinstance(u, dict) or not u.get("login"):
        return None
    return IdentityRef("github", login=str(u["login"]), display_name=str(u.get("name") or ""))


def users(items: Sequence[Any]) -> tuple[IdentityRef, ...]:
    found = {ref.key: ref for ref in map(github_user, items) if ref is not None}
    return tuple(found[k] for k in sorted(found))


def gh_time(value: Any, ctx: str, name: str) -> int | None:
    """`2019-02-22T16:21:03Z` -> UTC epoch seconds."""
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(ctx, f"field '{name}' is not an ISO 8601 time: {value!r}") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def number(value: Any, where: str, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise InputError(where, f"{what}: field 'number' missing or not a number ({value!r})")
    return int(value)


def as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def as_dict(value: Any, where: str, i: int) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError(where, f"item {i}: not an object")
    return value




def as_list(d: Mapping[str, Any], name: str, ctx: str) -> list[Any]:
    value = d.get(name)
    if value is None or value == {}:  # perceval records "nothing fetched" as {}
        return []
    if not isinstance(value, list):
        raise InputError(ctx, f"field '{name}' is not a list")
    return value
