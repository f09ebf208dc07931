"""Derive step: keep the text index (migration 0007) in step with the stored issues, PRs, incidents
and commits.

A document per issue (summary + description), per PR (title + body), per ingested postmortem
(migration 0014: title, then summary, trigger, root cause and lessons, in that order) and per
non-merge commit (its message), with the terms of store/fulltext.py and their frequencies.
Commits never change, so only commits without a document are read (those a rewritten
history removed are forgotten: `forget_commits`); an issue, PR or incident is
re-indexed when its text changed (its `stamp`, a hash of that text, differs). doc_ids are handed
out in (kind, ref) order after the largest one, so the same ingests give the same ids on both
backends. Runs inside the ingest's transaction (derive.refresh, as store/summaries.py is): reads
never build anything.

New commits are indexed PAGE at a time, in ref order (the ids are those of one pass), so memory
stays bounded on a long history: all at once, with each commit's terms kept from the git phase
until here, a first ingest of the 100,000-commit bench history peaked at 505 MB (~175 MB of it
those terms, ~100 MB this write). Each write also keeps text_df (migration 0019: the documents
holding each term) in step.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any, NamedTuple

from teammemory.store import Writer, fulltext
from teammemory.store.queries import in_list

Row = dict[str, Any]


def _select(sql: str) -> Callable[[Writer], list[Row]]:
    return lambda db: db.all(sql)


def incident_rows(db: Writer) -> list[Row]:
    """Each postmortem as (ref, title, body, at): its summary, trigger, root cause and lessons
    (in the postmortem's order) as the body, its start as its time."""
    lessons: dict[str, list[tuple[int, str]]] = {}
    for r in db.all("select incident_key, seq, lesson from incident_lessons"):
        lessons.setdefault(r["incident_key"], []).append((int(r["seq"]), str(r["lesson"])))
    out = []
    for r in db.all("select key, title, summary, trigger_text, root_cause, started_at from incidents"):
        told = [text for _, text in sorted(lessons.get(r["key"], []))]
        parts = [r["summary"], r["trigger_text"], r["root_cause"], *told]
        out.append({"ref": r["key"], "title": r["title"], "body": "\n".join(p for p in parts if p),
                    "at": r["started_at"]})
    return out


# Each kind but commits (read apart: they never change) and the rows (ref, title, body, at) of its documents.
SOURCES: dict[str, Callable[[Writer], list[Row]]] = {
    "issue": _select("select key as ref, summary as title, description as body, created_at as at from issues"),
    "pr": _select("select repo || '#' || cast(number as text) as ref, title, body, created_at as at"
                  " from pull_requests"),
    "incident": incident_rows,
}
NEW_COMMITS = ("select c.repo, c.hash from commits c where c.is_merge = 0 and not exists (select 1 from text_docs d"
               " where d.kind = 'commit' and d.ref = c.repo || '@' || c.hash)")
COMMIT_TEXTS = ("select c.repo || '@' || c.hash as ref, c.subject as title, c.message as body, c.authored_at as at"
                " from commits c where c.repo = :repo and c.hash in ({hashes})")
PAGE = 5000  # commits indexed per write


class Tokens(NamedTuple):
    """What the index stores of a document: its terms space-separated, their number, and the
    distinct terms in order with their frequencies."""

    terms: str
    length: int
    distinct: tuple[str, ...]
    counts: tuple[int, ...]


def tokenize(text: str) -> Tokens:
    words = fulltext.terms(text)
    tf = sorted(Counter(words).items())
    return Tokens(" ".join(words), len(words), tuple(t for t, _ in tf), tuple(n for _, n in tf))


def refresh(db: Writer, kinds: Sequence[str] = (*SOURCES, "commit")) -> dict[str, int]:
    """Index what is new or changed (of `kinds`: all by default; a migration may ask for one);
    returns how many documents of each kind were (re)written."""
    next_id = int(db.scalar("select coalesce(max(doc_id), 0) as m from text_docs") or 0) + 1
    counts: dict[str, int] = {}
    for kind, read in SOURCES.items():
        if kind not in kinds:
            continue
        known = {r["ref"]: (r["doc_id"], r["stamp"]) for r in db.iterate(
            "select ref, doc_id, stamp from text_docs where kind = :kind", kind=kind)}
        rows = sorted((r for r in read(db) if known.get(r["ref"], (0, ""))[1] != _stamp(r)), key=lambda r: r["ref"])
        next_id = _write(db, kind, rows, known, next_id)
        counts[kind] = len(rows)
    if "commit" not in kinds:
        return counts
    new = sorted((f"{r['repo']}@{r['hash']}", str(r["repo"]), str(r["hash"])) for r in db.iterate(NEW_COMMITS))
    for start in range(0, len(new), PAGE):
        page = new[start:start + PAGE]
        rows = []
        for repo in sorted({repo for _, repo, _ in page}):
            for marks, params in in_list((h for _, r, h in page if r == repo), "h"):
                rows += db.all(COMMIT_TEXTS.format(hashes=marks), repo=repo, **params)
        next_id = _write(db, "commit", sorted(rows, key=lambda r: r["ref"]), {}, next_id)
    counts["commit"] = len(new)
    return counts


def forget_commits(db: Writer, refs: Iterable[str]) -> int:
    """Drop the documents of commits a rewritten history removed (refs `repo@hash`), with their
    terms, their engine entries and their share of text_df; returns how many there were."""
    ids = [int(r["doc_id"]) for marks, params in in_list(refs, "r") for r in db.all(
        f"select doc_id from text_docs where kind = 'commit' and ref in ({marks})", **params)]
    gone = _delete_docs(db, ids)
    fulltext.sync(db, gone, [])
    _count_terms(db, gone, [])
    return len(gone)


def document_text(row: dict[str, Any]) -> str:
    """The text a document is made of: its title, then its body (a commit's message starts with
    its subject: it is not repeated)."""
    return _text(row["title"], row["body"])


def _text(title: str | None, body: str | None) -> str:
    title, body = title or "", body or ""
    return body if body.startswith(title) else f"{title}\n{body}"


def _stamp(row: dict[str, Any]) -> str:
    return hashlib.sha1(document_text(row).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _write(db: Writer, kind: str, rows: list[dict[str, Any]], known: dict[str, tuple[int, str]], next_id: int) -> int:
    if not rows:  # nothing new of this kind: no empty COPY, delete or count (a round trip each on PostgreSQL)
        return next_id
    removed = _delete_docs(db, [known[row["ref"]][0] for row in rows if row["ref"] in known])  # rewritten in place
    added: list[tuple[int, str]] = []
    docs: list[tuple[Any, ...]] = []
    tfs: list[tuple[str, int, int, int, int | None]] = []
    for row in rows:
        tokens = tokenize(document_text(row))
        if row["ref"] in known:
            doc_id = known[row["ref"]][0]
        else:
            doc_id, next_id = next_id, next_id + 1
        docs.append((doc_id, kind, row["ref"], (row["title"] or "")[:300], row["at"],
                     _stamp(row) if kind != "commit" else "", tokens.length, tokens.terms))
        added.append((doc_id, tokens.terms))
        tfs.extend(zip(tokens.distinct, repeat(doc_id), tokens.counts, repeat(tokens.length), repeat(row["at"])))
    db.insert_rows("text_docs", ("doc_id", "kind", "ref", "title", "at", "stamp", "length", "terms"), docs)
    tfs.sort()  # in (term, doc_id) order: the key (and PostgreSQL's text_terms_rank) grows in order: less insert time
    db.insert_rows("text_terms", ("term", "doc_id", "tf", "length", "at"), tfs)
    fulltext.sync(db, removed, added)
    _count_terms(db, removed, added)
    return next_id


def _delete_docs(db: Writer, doc_ids: Iterable[int]) -> list[tuple[int, str]]:
    """Delete these documents and their terms; returns each one's (doc_id, terms), which the
    engine's index and text_df are then told of."""
    removed: list[tuple[int, str]] = []
    for marks, params in in_list(doc_ids, "d"):
        removed += [(int(r["doc_id"]), str(r["terms"])) for r in db.all(
            f"select doc_id, terms from text_docs where doc_id in ({marks})", **params)]
        db.execute(f"delete from text_terms where doc_id in ({marks})", **params)
        db.execute(f"delete from text_docs where doc_id in ({marks})", **params)
    return removed


def _count_terms(db: Writer, removed: list[tuple[int, str]], added: list[tuple[int, str]]) -> None:
    """Keep text_df (migration 0019: documents holding each term) in step with text_terms."""
    delta: Counter[str] = Counter()
    for _, terms in removed:
        delta.subtract(set(terms.split()))
    for _, terms in added:
        delta.update(set(terms.split()))
    mark = "?" if db.dialect == "sqlite" else "%s"
    db.executemany_raw(f"insert into text_df (term, df) values ({mark}, {mark})"  # plain tuples: no dict per term
                       " on conflict (term) do update set df = text_df.df + excluded.df",
                       [(t, n) for t, n in sorted(delta.items()) if n])
    if removed:
        db.execute("delete from text_df where df <= 0")
