"""Text relevance over the text index (migration 0007): BM25, the same number on both backends.

The backend's own full-text engine (SQLite FTS5, PostgreSQL tsvector; store/fulltext.py) finds the
documents holding any query term; the score is computed here from the stored term statistics,
so collations, stemmers and each engine's own ranking never change an answer:

    score(D, Q) = sum over distinct terms t of Q found in D of
                  idf(t) * tf(t, D) * (k1 + 1) / (tf(t, D) + k1 * (1 - b + b * |D| / avgdl))
    idf(t)      = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))          k1 = 1.2, b = 0.75

N = documents, avgdl = their mean length in terms, df(t) = documents holding t, all as of `now`
(a document created or authored later does not exist yet). This is Okapi BM25 with the
non-negative idf of Lucene (Robertson & Zaragoza 2009, "The Probabilistic Relevance Framework").
Ties: higher score, then kind, then ref. `search(db, text, kinds, limit)` is what the REST API's
search endpoint can reuse.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents.evidence import Score
from teammemory.store import Reader, fulltext, queries

Q = queries.load("teammemory.agents.sql", "text_search.sql")
K1, B = 1.2, 0.75
KINDS = ("issue", "pr", "commit")
FORMULA = ("sum over query terms t in D: idf(t)*tf*(k1+1)/(tf + k1*(1 - b + b*len/avgdl));"
           " idf(t) = ln(1 + (N - df + 0.5)/(df + 0.5)); k1 = 1.2, b = 0.75")


class StatsRow(NamedTuple):
    n: int
    total: int


class DfRow(NamedTuple):
    term: str
    df: int


class TfRow(NamedTuple):
    doc_id: int
    term: str
    tf: int


class DocRow(NamedTuple):
    doc_id: int
    kind: str
    ref: str
    title: str
    at: int | None
    length: int
    terms: str


@dataclass(frozen=True)
class Corpus:
    n: int
    avgdl: float
    df: dict[str, int]


@dataclass(frozen=True)
class TextHit:
    doc_id: int
    kind: str
    ref: str
    title: str
    at: int | None
    score: Score  # BM25, one term per matched query term
    value: float  # the exact BM25 sum (score.total is it rounded)
    matched: tuple[str, ...]  # the query terms found in it, largest contribution first


def idf(n: int, df: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def bm25_term(tf: int, df: int, n: int, length: int, avgdl: float) -> float:
    """One term's contribution (the module docstring's formula)."""
    norm = 1 - B + B * (length / avgdl if avgdl else 0.0)
    return idf(n, df) * tf * (K1 + 1) / (tf + K1 * norm)


def search(db: Reader, text: str, kinds: Sequence[str] = KINDS, limit: int = 20, *, now: int = 2**62,
           exclude: Iterable[int] = ()) -> tuple[TextHit, ...]:
    """The `limit` best documents of `kinds` for `text` as of epoch `now`, best first."""
    words = sorted(set(fulltext.terms(text)))
    found = fulltext.match(db, words) - set(exclude)
    if not found:
        return ()
    corpus = corpus_stats(db, words, now)
    tfs: dict[int, dict[str, int]] = {}
    for marks, params in queries.in_list(words, "w"):
        for r in db.fetch(Q["tf"].fill(words=marks), TfRow, **params):
            if r.doc_id in found:
                tfs.setdefault(r.doc_id, {})[r.term] = r.tf
    docs = [d for d in fetch_docs(db, tfs) if d.kind in kinds and (d.at or 0) <= now]
    return rank(docs, tfs, corpus)[:limit]


def corpus_stats(db: Reader, words: Sequence[str], now: int) -> Corpus:
    stats = db.fetch_one(Q["stats"], StatsRow, now=now) or StatsRow(0, 0)
    df: dict[str, int] = {}
    for marks, params in queries.in_list(words, "w"):
        df.update((r.term, r.df) for r in db.fetch(Q["df"].fill(words=marks), DfRow, now=now, **params))
    return Corpus(stats.n, stats.total / stats.n if stats.n else 0.0, df)


def fetch_docs(db: Reader, ids: Iterable[int]) -> list[DocRow]:
    out: list[DocRow] = []
    for marks, params in queries.in_list(ids, "d"):
        out += db.fetch(Q["docs"].fill(ids=marks), DocRow, **params)
    return out


def rank(docs: Iterable[DocRow], tfs: dict[int, dict[str, int]], corpus: Corpus) -> tuple[TextHit, ...]:
    """Pure: BM25 per document from its term frequencies; ties kind, ref."""
    hits: list[TextHit] = []
    for d in docs:
        terms = {t: bm25_term(tf, corpus.df.get(t, 1), corpus.n, d.length, corpus.avgdl)
                 for t, tf in sorted(tfs.get(d.doc_id, {}).items())}
        if not terms:
            continue
        score = Score.of(FORMULA, {"N": corpus.n, "avgdl": round(corpus.avgdl, 4), "len": d.length},
                         {f"bm25 {t}": v for t, v in terms.items()})
        matched = tuple(t for t, _ in sorted(terms.items(), key=lambda kv: (-kv[1], kv[0])))
        hits.append(TextHit(d.doc_id, d.kind, d.ref, d.title, d.at, score, sum(terms.values()), matched))
    return tuple(sorted(hits, key=lambda h: (-round(h.value, 9), h.kind, h.ref)))
