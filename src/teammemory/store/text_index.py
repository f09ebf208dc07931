"""Derive step: keep the text index (migration 0007) in step with the stored issues, PRs and commits.

A document per issue (summary + description), per PR (title + body) and per non-merge commit
(its message), with the terms of store/fulltext.py and their frequencies. Commits never change,
so only commits without a document are read; an issue or PR is re-indexed when its text changed
(its `stamp`, a hash of that text, differs). doc_ids are handed out in (kind, ref) order after the
largest one, so the same ingests give the same ids on both backends. Runs inside the ingest's
transaction (derive.refresh, as store/summaries.py is): reads never build anything.

Git ingestion tokenizes its new commits ahead (`prepare`, batch by batch while git is still
writing the next ones: the reading thread would wait for git anyway), so at the end `refresh`
mostly writes. A prepared document is used only when its text is exactly the stored one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from itertools import repeat
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from teammemory.store import Writer, fulltext

SOURCES = {
    "issue": "select key as ref, summary as title, description as body, created_at as at from issues",
    "pr": "select repo || '#' || cast(number as text) as ref, title, body, created_at as at from pull_requests",
}
NEW_COMMITS = ("select c.repo || '@' || c.hash as ref, c.subject as title, c.message as body, c.authored_at as at"
               " from commits c where c.is_merge = 0 and not exists (select 1 from text_docs d"
               " where d.kind = 'commit' and d.ref = c.repo || '@' || c.hash)")


class Tokens(NamedTuple):
    """A document's text and what the index stores of it: its terms space-separated, their
    number, and the distinct terms in order with their frequencies."""

    text: str
    terms: str
    length: int
    distinct: tuple[str, ...]
    counts: tuple[int, ...]


_PREPARED: WeakKeyDictionary[Writer, dict[tuple[str, str], Tokens]] = WeakKeyDictionary()


def prepare(db: Writer, kind: str, docs: Iterable[tuple[str, str, str]]) -> None:
    """Tokenize documents (ref, title, body) that the next `refresh` in this transaction will
    index; it checks each against the stored text, so preparing too much or the wrong text
    changes nothing but the time."""
    memo = _PREPARED.setdefault(db, {})
    for ref, title, body in docs:
        memo[(kind, ref)] = tokenize(_text(title, body))


def tokenize(text: str) -> Tokens:
    words = fulltext.terms(text)
    tf = sorted(Counter(words).items())
    return Tokens(text, " ".join(words), len(words), tuple(t for t, _ in tf), tuple(n for _, n in tf))


def refresh(db: Writer) -> dict[str, int]:
    """Index what is new or changed; returns how many documents of each kind were (re)written."""
    prepared = _PREPARED.pop(db, {})
    next_id = int(db.scalar("select coalesce(max(doc_id), 0) as m from text_docs") or 0) + 1
    counts: dict[str, int] = {}
    for kind, sql in SOURCES.items():
        known = {r["ref"]: (r["doc_id"], r["stamp"]) for r in db.iterate(
            "select ref, doc_id, stamp from text_docs where kind = :kind", kind=kind)}
        rows = sorted((r for r in db.all(sql) if known.get(r["ref"], (0, ""))[1] != _stamp(r)), key=lambda r: r["ref"])
        next_id = _write(db, kind, rows, known, next_id, prepared)
        counts[kind] = len(rows)
    commits = sorted(db.all(NEW_COMMITS), key=lambda r: r["ref"])
    _write(db, "commit", commits, {}, next_id, prepared)
    counts["commit"] = len(commits)
    return counts


def document_text(row: dict[str, Any]) -> str:
    """The text a document is made of: its title, then its body (a commit's message starts with
    its subject: it is not repeated)."""
    return _text(row["title"], row["body"])


def _text(title: str | None, body: str | None) -> str:
    title, body = title or "", body or ""
    return body if body.startswith(title) else f"{title}\n{body}"


def _stamp(row: dict[str, Any]) -> str:
    return hashlib.sha1(document_text(row).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _write(db: Writer, kind: str, rows: list[dict[str, Any]], known: dict[str, tuple[int, str]], next_id: int,
           prepared: dict[tuple[str, str], Tokens]) -> int:
    removed: list[tuple[int, str]] = []
    added: list[tuple[int, str]] = []
    docs: list[tuple[Any, ...]] = []
    tfs: list[tuple[str, int, int]] = []
    for row in rows:
        text = document_text(row)
        tokens = prepared.get((kind, row["ref"]))
        if tokens is None or tokens.text != text:
            tokens = tokenize(text)
        if row["ref"] in known:
            doc_id = known[row["ref"]][0]
            removed.append((doc_id, str(db.scalar("select terms from text_docs where doc_id = :d", d=doc_id))))
            db.execute("delete from text_terms where doc_id = :d", d=doc_id)
            db.execute("delete from text_docs where doc_id = :d", d=doc_id)
        else:
            doc_id, next_id = next_id, next_id + 1
        docs.append((doc_id, kind, row["ref"], (row["title"] or "")[:300], row["at"],
                     _stamp(row) if kind != "commit" else "", tokens.length, tokens.terms))
        added.append((doc_id, tokens.terms))
        tfs.extend(zip(tokens.distinct, repeat(doc_id), tokens.counts))
    db.insert_rows("text_docs", ("doc_id", "kind", "ref", "title", "at", "stamp", "length", "terms"), docs)
    db.insert_rows("text_terms", ("term", "doc_id", "tf"), tfs)
    fulltext.sync(db, removed, added)
    return next_id
