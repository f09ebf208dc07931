"""Where each thing the dashboard shows lives: one URL builder per page, and the link for an
evidence item. Every link keeps the page's `now` (when one was given), so a dashboard opened
as of a moment stays at that moment as one clicks through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

PREFIX = "/ui"
SHORT_HASH = re.compile(r"^[0-9a-f]{7,40}$")
ISSUE_KEY = re.compile(r"^[A-Z][A-Z0-9_]*-\d+$")
REPO_COMMIT = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)@(?P<hash>[0-9a-f]{7,40})$")  # similar's commit refs
PR_REF = re.compile(r"^(?:(?P<repo>[\w.-]+/[\w.-]+))?#(?P<number>\d+)$")


@dataclass(frozen=True)
class Links:
    """URL builders for one page: `now` is the page's own (None: the current time)."""

    now: str | None = None
    people: dict[str, str] = field(default_factory=dict)  # display name -> developer key (unique names only)

    def _url(self, where: str, **query: Any) -> str:
        params = {k: v for k, v in query.items() if v not in (None, "")}
        if self.now:
            params["now"] = self.now
        return where + ("?" + urlencode(params) if params else "")

    def overview(self) -> str:
        return self._url("/")

    def issue(self, key: str) -> str:
        return self._url(f"{PREFIX}/issues/{quote(key, safe='')}")

    def pr(self, number: int | str, repo: str = "") -> str:
        return self._url(f"{PREFIX}/prs/{int(number)}", repo=repo)

    def file(self, path: str, repo: str = "") -> str:
        return self._url(f"{PREFIX}/files", path=path, repo=repo)

    def component(self, name: str) -> str:
        return self._url(f"{PREFIX}/components/{quote(name, safe='')}")

    def month(self, component: str, month: str) -> str:
        return self._url(f"{PREFIX}/components/{quote(component, safe='')}/commits", month=month)

    def person(self, key: str) -> str:
        return self._url(f"{PREFIX}/people/{quote(key, safe='')}")

    def commit(self, ref: str, repo: str = "") -> str:
        return self._url(f"{PREFIX}/commits/{quote(ref, safe='')}", repo=repo)

    def search(self, q: str) -> str:
        return self._url(f"{PREFIX}/search", q=q)

    def components(self) -> str:
        return self._url(f"{PREFIX}/components")

    def incidents(self, component: str = "") -> str:
        return self._url(f"{PREFIX}/incidents", component=component)

    def incident(self, key: str) -> str:
        return self._url(f"{PREFIX}/incidents/{quote(key, safe='')}")

    def timeline(self, since: str = "", until: str = "", component: str = "") -> str:
        return self._url(f"{PREFIX}/timeline", since=since, until=until, component=component)

    def bus_factor(self, repo: str = "") -> str:
        return self._url(f"{PREFIX}/bus-factor", repo=repo)

    def why(self, path: str, lines: str = "", repo: str = "") -> str:
        """The `why` answer page of PATH:LINES (the form on a file page asks for it)."""
        return self._url(f"{PREFIX}/why", path=path, lines=lines, repo=repo)

    def named(self, name: str) -> str:
        """A person shown only by name (evidence's `who`): their page when the name is one
        developer's, else a search for it."""
        key = self.people.get(name)
        return self.person(key) if key else self.search(name)

    def ref(self, text: str, repo: str = "") -> str:
        """A reference as the agents write it: a commit hash or `repo@hash`, `#382` or `repo#382`,
        an issue key, else a path (a file page)."""
        text = text.strip()
        stored = REPO_COMMIT.match(text)
        if stored:
            return self.commit(stored["hash"], stored["repo"])
        pr = PR_REF.match(text)
        if pr:
            return self.pr(pr["number"], pr["repo"] or repo)
        if SHORT_HASH.match(text):
            return self.commit(text, repo)
        if ISSUE_KEY.match(text):
            return self.issue(text)
        return self.file(text, repo)

    def evidence(self, item: dict[str, Any], repo: str = "") -> str:
        """The page of one evidence item (`{"kind", "ref", ...}`)."""
        kind, ref = item.get("kind", ""), str(item.get("ref", ""))
        if kind == "commit":
            return self.ref(ref, repo) if REPO_COMMIT.match(ref) else self.commit(ref, repo)
        if kind == "incident":
            return self.incident(ref)
        if kind in ("pr", "review", "comment") and PR_REF.match(ref.split()[0] if ref else ""):
            return self.ref(ref.split()[0], repo)
        if kind == "issue":
            return self.issue(ref)
        if kind == "file":
            return self.file(ref, repo)
        return self.ref(ref, repo) if ref else self.search(str(item.get("summary", "")))


def unique_names(people: list[tuple[str, str]]) -> dict[str, str]:
    """{name: key} for the names exactly one developer has ((key, name) pairs)."""
    seen: dict[str, list[str]] = {}
    for key, name in people:
        seen.setdefault(name, []).append(key)
    return {name: keys[0] for name, keys in seen.items() if len(keys) == 1}
