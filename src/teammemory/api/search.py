"""Find anything by a piece of its name: issue keys and summaries, PR numbers and titles, paths,
people. Each kind is one searcher (a named query over the store); the answer lists exact matches
first, then the rest, each kind in its own stable order, cut to `limit`.

The seam for the store's full-text index (the `similar` question, later): add a searcher to
SEARCHERS that queries it; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.store import Reader, queries

Q = queries.load("teammemory.api.sql", "api.sql")
KINDS = ("issue", "pr", "file", "person")


@dataclass(frozen=True)
class Hit:
    kind: str  # issue | pr | file | person
    id: str  # the subject its question takes: issue key, PR number, path, developer key
    title: str
    repo: str = ""
    detail: str = ""  # status, state, component or email
    exact: bool = False  # the id is what was asked for


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    matched: int  # hits before the limit


@dataclass(frozen=True)
class Term:
    text: str  # as given, stripped
    pattern: str  # for `like`: lower-cased, wildcards escaped, inside %…%
    number: int  # the PR number it names (`382`, `#382`), or -1

    @classmethod
    def of(cls, text: str) -> Term:
        text = text.strip()
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        digits = text.removeprefix("#")
        number = int(digits) if digits.isdigit() and len(digits) <= 9 else -1
        return cls(text, f"%{escaped}%", number)


class IssueRow(NamedTuple):
    key: str
    summary: str
    status: str


class PrRow(NamedTuple):
    repo: str
    number: int
    title: str
    state: str


class FileRow(NamedTuple):
    repo: str
    path: str
    component: str


class PersonRow(NamedTuple):
    key: str
    name: str
    email: str


def _issues(db: Reader, t: Term) -> list[Hit]:
    return [Hit("issue", r.key, r.summary, "", r.status, r.key.lower() == t.text.lower())
            for r in db.fetch(Q["search-issues"], IssueRow, pattern=t.pattern)]


def _prs(db: Reader, t: Term) -> list[Hit]:
    return [Hit("pr", str(r.number), r.title, r.repo, r.state, r.number == t.number)
            for r in db.fetch(Q["search-prs"], PrRow, pattern=t.pattern, number=t.number)]


def _files(db: Reader, t: Term) -> list[Hit]:
    return [Hit("file", r.path, r.path, r.repo, r.component, r.path == t.text)
            for r in db.fetch(Q["search-files"], FileRow, pattern=t.pattern)]


def _people(db: Reader, t: Term) -> list[Hit]:
    return [Hit("person", r.key, r.name, "", r.email, t.text.lower() in (r.key.lower(), r.email.lower()))
            for r in db.fetch(Q["search-people"], PersonRow, pattern=t.pattern)]


SEARCHERS: tuple[Callable[[Reader, Term], list[Hit]], ...] = (_issues, _prs, _files, _people)


def search(db: Reader, text: str, *, limit: int = 50) -> SearchResult:
    """Everything whose name contains `text` (case ignored), exact matches first."""
    term = Term.of(text)
    if not term.text:
        return SearchResult(term.text, (), 0)
    hits = [h for searcher in SEARCHERS for h in searcher(db, term)]
    hits.sort(key=_order)
    return SearchResult(term.text, tuple(hits[:limit]), len(hits))


def _order(h: Hit) -> tuple[bool, int, str, int, str]:
    number = int(h.id) if h.kind == "pr" else 0
    return (not h.exact, KINDS.index(h.kind), h.repo, number, h.id)
