"""Text relevance over the text index (migration 0007): BM25, the same number on both backends.

The score is computed from the stored term statistics, so collations, stemmers and each engine's
own ranking never change an answer:

    score(D, Q) = sum over distinct terms t of Q found in D of
                  idf(t) * tf(t, D) * (k1 + 1) / (tf(t, D) + k1 * (1 - b + b * |D| / avgdl))
    idf(t)      = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))          k1 = 1.2, b = 0.75

N = documents, avgdl = their mean length in terms, df(t) = documents holding t, all as of `now`
(a document created or authored later does not exist yet; text_df, migration 0019, holds df over
every document and the later ones are subtracted). Q is the text's most distinctive terms, picked
as Lucene's MoreLikeThis picks them: of the terms some document holds, the MAX_QUERY_TERMS (30)
with the largest tf(t, text) * idf(t), ties by term. A short text is searched by every term; a
long one (the 47 commits that name a key) by what sets it apart. The store sums the score over
the query terms' postings in one scan (text_terms carries each document's length and time,
migration 0019) and returns its best few, which are scored again here exactly; on the
100,000-commit store that key's search went from 3.3 s of CPU (every posting into Python) to
0.16 s with 30 terms (0.30 s with 50). On BookKeeper (keys named by two or more commits: ask
about the latest with its keys cut out; an earlier one in the top 5?) 30, 40 and 50 terms all
gave 56/70 with MRR@10 0.724, 25 (MoreLikeThis's default) 56/70 with 0.711, in a first ad-hoc
run; bench/similar_quality.py repeats it (as of just before the asked commit, commits only):
55/71 in the top 5, MRR@10 0.704, and the same without the messages' trailer lines.
Ties: higher score, then kind, then ref. `search(db, text, kinds, limit)` is what the REST API's
search endpoint can reuse.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents.evidence import Score
from teammemory.store import Reader, fulltext, queries

Q = queries.load("teammemory.agents.sql", "text_search.sql")
K1, B = 1.2, 0.75
MAX_QUERY_TERMS = 30
MARGIN = 1e-6  # far above two sums' rounding apart, below the 9 decimals scores are compared at
EXTRA = 20  # documents asked of the store beyond `limit` and the excluded ones
KINDS = ("issue", "pr", "commit", "incident")
FORMULA = ("sum over query terms t in D: idf(t)*tf*(k1+1)/(tf + k1*(1 - b + b*len/avgdl));"
           " idf(t) = ln(1 + (N - df + 0.5)/(df + 0.5)); k1 = 1.2, b = 0.75;"
           f" query terms: the text's {MAX_QUERY_TERMS} of largest tf*idf that a document holds")


class StatsRow(NamedTuple):
    n: int
    total: int


class DfRow(NamedTuple):
    term: str
    df: int


class BestRow(NamedTuple):
    doc_id: int
    score: float


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


def query_terms(counts: Counter[str], corpus: Corpus, most: int | None = None) -> tuple[str, ...]:
    """Pure: the `most` (MAX_QUERY_TERMS) terms of largest tf * idf among those a document holds, ties by term."""
    held = [t for t in counts if corpus.df.get(t, 0) > 0]
    return tuple(sorted(held, key=lambda t: (-counts[t] * idf(corpus.n, corpus.df[t]), t))[:most or MAX_QUERY_TERMS])


def search(db: Reader, text: str, kinds: Sequence[str] = KINDS, limit: int = 20, *, now: int = 2**62,
           exclude: Iterable[int] = ()) -> tuple[TextHit, ...]:
    """The `limit` best documents of `kinds` for `text` as of epoch `now`, best first.

    The store sums BM25 over the query terms' postings in one scan (text_search.sql `best`) and
    hands back its best few; those are scored again here, exactly, from their term frequencies.
    More are asked for until the `limit`-th exact score is clear of the store's last one, so no
    document left in the store can be better (or tie), whatever the two sums' rounding."""
    counts = Counter(fulltext.terms(text))
    corpus = corpus_stats(db, sorted(counts), now)
    words = sorted(query_terms(counts, corpus))
    if not words or limit <= 0:
        return ()
    skip, wanted = set(exclude), set(kinds)
    values = ", ".join(f"(:w{i}, :i{i})" for i in range(len(words)))
    weights = {**{f"w{i}": w for i, w in enumerate(words)},
               **{f"i{i}": idf(corpus.n, corpus.df[w]) for i, w in enumerate(words)}}
    ask = limit + len(skip) + EXTRA
    while True:
        best = db.fetch(Q["best"].fill(terms=values), BestRow, now=now, k1=K1, b=B, avgdl=corpus.avgdl or 1.0,
                        n=ask, **weights)
        docs = [d for d in fetch_docs(db, [r.doc_id for r in best], "doc-heads")
                if d.kind in wanted and d.doc_id not in skip]
        hits = rank(docs, term_frequencies(db, [d.doc_id for d in docs], words), corpus, limit)
        if len(best) < ask or (len(hits) == limit and hits[-1].value > best[-1].score + MARGIN):
            return hits
        ask *= 4


def term_frequencies(db: Reader, ids: Sequence[int], words: Sequence[str]) -> dict[int, dict[str, int]]:
    """tf of each of `words` in each document of `ids` that holds it."""
    tfs: dict[int, dict[str, int]] = {}
    for d_marks, d_params in queries.in_list(ids, "d"):
        for w_marks, w_params in queries.in_list(words, "w"):
            for r in db.fetch(Q["tf"].fill(words=w_marks, ids=d_marks), TfRow, **w_params, **d_params):
                tfs.setdefault(r.doc_id, {})[r.term] = r.tf
    return tfs


def corpus_stats(db: Reader, words: Sequence[str], now: int) -> Corpus:
    """N, avgdl and df as of `now`: df from text_df (migration 0019, every document), less the
    documents after `now` holding the term (none when `now` is after the last document)."""
    stats = db.fetch_one(Q["stats"], StatsRow, now=now) or StatsRow(0, 0)
    df: dict[str, int] = {}
    for marks, params in queries.in_list(words, "w"):
        df.update((r.term, r.df) for r in db.fetch(Q["df"].fill(words=marks), DfRow, **params))
        for later in db.fetch(Q["df-later"].fill(words=marks), DfRow, now=now, **params):
            df[later.term] -= later.df
    return Corpus(stats.n, stats.total / stats.n if stats.n else 0.0, {t: n for t, n in df.items() if n > 0})


def fetch_docs(db: Reader, ids: Iterable[int], query: str = "docs") -> list[DocRow]:
    """The documents of `ids`; with query 'doc-heads' their terms are left out ('')."""
    out: list[DocRow] = []
    for marks, params in queries.in_list(ids, "d"):
        out += db.fetch(Q[query].fill(ids=marks), DocRow, **params)
    return out


def rank(docs: Iterable[DocRow], tfs: dict[int, dict[str, int]], corpus: Corpus,
         limit: int | None = None) -> tuple[TextHit, ...]:
    """Pure: BM25 per document from its term frequencies, best first (ties kind, ref); the
    `limit` best only, when given (their evidence is built for those alone)."""
    scored: list[tuple[float, str, str, DocRow, dict[str, float]]] = []
    for d in docs:
        terms = {t: bm25_term(tf, corpus.df.get(t, 1), corpus.n, d.length, corpus.avgdl)
                 for t, tf in sorted(tfs.get(d.doc_id, {}).items())}
        if terms:
            scored.append((-round(sum(terms.values()), 9), d.kind, d.ref, d, terms))
    best = sorted(scored, key=lambda s: s[:3])[:limit]
    return tuple(_hit(d, terms, corpus) for _, _, _, d, terms in best)


def _hit(d: DocRow, terms: dict[str, float], corpus: Corpus) -> TextHit:
    score = Score.of(FORMULA, {"N": corpus.n, "avgdl": round(corpus.avgdl, 4), "len": d.length},
                     {f"bm25 {t}": v for t, v in terms.items()})
    matched = tuple(t for t, _ in sorted(terms.items(), key=lambda kv: (-kv[1], kv[0])))
    return TextHit(d.doc_id, d.kind, d.ref, d.title, d.at, score, sum(terms.values()), matched)
