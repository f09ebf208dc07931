"""Pure: what the GitHub parsers share — the caller's options, a document and where it came from,
and the field readers (times, users, numbers, the repository) whose errors name the culprit.
Fields are read through `sources.fields.Obj`, as the Jira parser reads them: one reader of typed
fields for both, so a mistyped field is refused the same way whichever source it comes from.

`github_parse` (pull requests) and `github_issue_parse` (issues) both build on these, so a PR and
an issue of one repository get the same repository name, the same identities and the same times.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from teammemory.config import DEFAULT_BUG_TYPES, KEY_PATTERN
from teammemory.errors import InputError
from teammemory.model import IdentityRef
from teammemory.sources import checks, fields
from teammemory.sources.checks import NAME
from teammemory.sources.fields import Obj, kind_of

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
    known: tuple[str, ...] = ()  # projects whose keys count in any letter case (refs.issue_keys)

    def __post_init__(self) -> None:
        problem = None if self.repo is None else checks.text_problem(self.repo, NAME)
        if problem:
            raise InputError("repo", problem)


@dataclass(frozen=True)
class Doc:
    """A JSON document, where it came from (for errors) and its API path (for numbers and repo)."""

    data: Any
    where: str
    api_path: str


def repo_of(urls: Sequence[str], doc: Doc, ctx: str, given: str | None = None) -> str:
    """OWNER/REPO: `given` (the caller's repo, a PR's base.repo.full_name) if set, else from the
    first GitHub URL that names one, else from the document's API path. A name longer than a
    store keys (255 bytes) is refused."""
    name = given or _repo_in(urls, doc)
    if not name:
        raise InputError(ctx, "cannot tell the repository (no GitHub URL, no repos/OWNER/REPO/ path): pass repo=")
    problem = checks.text_problem(name, NAME)
    if problem:
        raise InputError(ctx, f"repository name: {problem}")
    return name


def _repo_in(urls: Sequence[str], doc: Doc) -> str:
    for url in urls:
        m = REPO_URL.match(url)
        if m:
            return f"{m.group(1)}/{m.group(2)}"
    m = PATH_REPO.search(doc.api_path) or FLAT_REPO.search(doc.api_path)
    return f"{m.group(1)}/{m.group(2)}" if m else ""


def person(o: Obj, *names: str) -> IdentityRef | None:
    """The GitHub account in the first of fields `names` that holds one (perceval's `user_data`,
    then the API's `user`): an object with a login, or null; `{}` (a deleted account, as perceval
    records it) is no one."""
    for name in names:
        ref = account(o.obj(name))
        if ref is not None:
            return ref
    return None


def account(u: Obj) -> IdentityRef | None:
    login = u.text("login", NAME)
    return IdentityRef("github", login=login, display_name=u.text("name", NAME)) if login else None


def users(items: Sequence[Obj]) -> tuple[IdentityRef, ...]:
    found = {ref.key: ref for ref in map(account, items) if ref is not None}
    return tuple(found[k] for k in sorted(found))


def gh_time(value: Any, ctx: str, name: str) -> int | None:
    """`2019-02-22T16:21:03Z` -> UTC epoch seconds."""
    return fields.time_value(value, ctx, name)


def number(d: Mapping[str, Any], where: str, what: str) -> int:
    """The `number` of a PR or issue: a whole number from 0 to 2^31-1 (a PostgreSQL integer)."""
    return Obj(d, f"{where}: {what}").integer("number", required=True) or 0


def item(value: Any, where: str, i: int) -> Obj:
    """Item `i` of a document's list, which must be an object."""
    if not isinstance(value, dict):
        raise InputError(where, f"item {i}: expected an object, got {kind_of(value)}")
    return Obj(value, where)
