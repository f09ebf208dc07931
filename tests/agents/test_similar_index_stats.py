"""What `similar` ranks by without reading every document (migration 0019): text_df, the postings'
length and time, and the top-N the store hands back, against the raw rows, on SQLite and
PostgreSQL. The history is test_similar_sources.py's (six commits, one postmortem)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from teammemory.agents import text_search
from teammemory.ingest.incidents import ingest_incident_files
from teammemory.store import Reader, Store, fulltext
from tests.agents.test_similar_sources import CONFIG, DAY, NOW, T0, build, postmortem

QUERIES = ["token cache lock refresh race payments", "stale tokens served to the API", "payments retry init",
           "race condition", "LEGACY-7 token cache race condition again"]


def stored_df(db: Reader) -> dict[str, int]:
    return {r["term"]: int(r["df"]) for r in db.all("select term, df from text_df")}


def counted_df(db: Reader) -> dict[str, int]:
    return {r["term"]: int(r["n"]) for r in db.all("select term, count(*) as n from text_terms group by term")}


def test_text_df_and_postings_follow_every_write(store: Store, tmp_path: Path) -> None:
    h = build(store, tmp_path / "a")
    edited = postmortem(h[1]).replace("Lock every shared cache.", "Lock every shared cache; alert on staleness.")
    (tmp_path / "a" / "pm" / "inc-1.md").write_text(edited, encoding="utf-8")
    ingest_incident_files(store, [tmp_path / "a" / "pm"], config=CONFIG)  # re-indexed: its old terms go
    with store.read() as db:
        assert stored_df(db) == counted_df(db) and stored_df(db)["staleness"] == 1
        assert db.all("select t.doc_id from text_terms t join text_docs d on d.doc_id = t.doc_id"
                      " where t.length <> d.length or coalesce(t.at, -1) <> coalesce(d.at, -1)") == []
        assert db.scalar("select count(*) as n from text_terms where length = 0") == 0
    other = Store.open(str(tmp_path / "other.db"))
    build(other, tmp_path / "b", incidents_first=True)  # the other order, in two steps
    with other.read() as one, store.read() as two:
        edited_df = stored_df(two)
        edited_df.pop("alert"), edited_df.pop("staleness")
        assert stored_df(one) == edited_df


def by_hand(db: Reader, text: str, now: int, kinds: set[str], skip: set[int]) -> list[tuple[str, float]]:
    """Every document's BM25 as of `now` from the documents' own terms (the formula, no index)."""
    docs = [d for d in db.all("select doc_id, kind, ref, at, terms from text_docs") if (d["at"] or 0) <= now]
    terms = {d["doc_id"]: d["terms"].split() for d in docs}
    n, avgdl = len(docs), sum(map(len, terms.values())) / len(docs)
    df = Counter(t for ts in terms.values() for t in set(ts))
    counts = Counter(fulltext.terms(text))
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in counts if df[t]}
    words = sorted(idf, key=lambda t: (-counts[t] * idf[t], t))[:text_search.MAX_QUERY_TERMS]
    out = []
    for d in docs:
        if d["kind"] not in kinds or d["doc_id"] in skip:
            continue
        ts = terms[d["doc_id"]]
        norm = 1 - 0.75 + 0.75 * len(ts) / avgdl
        score = sum(idf[w] * ts.count(w) * 2.2 / (ts.count(w) + 1.2 * norm) for w in words if w in ts)
        if score:
            out.append((d["kind"], d["ref"], score))
    return [(ref, s) for _, ref, s in sorted(out, key=lambda x: (-round(x[2], 9), x[0], x[1]))]


@pytest.mark.parametrize("extra", [text_search.EXTRA, 0])  # 0: the store's first answer is too short, ask again
def test_the_store_s_best_are_the_best_of_every_document(store: Store, tmp_path: Path, extra: int,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    build(store, tmp_path)
    monkeypatch.setattr(text_search, "EXTRA", extra)
    nows = [int(NOW.timestamp()), T0 + 6 * 3600, T0 - 5 * DAY]  # as of earlier: later documents do not count
    with store.read() as db:
        ids = [int(r["doc_id"]) for r in db.all("select doc_id from text_docs order by doc_id")]
        for text in QUERIES:
            for now in nows:
                for kinds, skip in ((set(text_search.KINDS), set()), ({"commit"}, set(ids[:2]))):
                    want = by_hand(db, text, now, kinds, skip)
                    for limit in (1, 2, 3, 100):
                        got = text_search.search(db, text, tuple(sorted(kinds)), limit, now=now, exclude=skip)
                        assert [h.ref for h in got] == [ref for ref, _ in want[:limit]], (text, now, limit)
                        assert [h.value for h in got] == pytest.approx([s for _, s in want[:limit]], abs=1e-9)


def test_df_as_of_an_earlier_now_leaves_later_documents_out(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path)
    at = T0 - 5 * DAY  # c0 and c1 only
    with store.read() as db:
        corpus = text_search.corpus_stats(db, ["cache", "tokens", "init", "lock", "payments"], at)
        every = text_search.corpus_stats(db, ["cache", "tokens", "init", "lock", "payments"],
                                         int(datetime(2100, 1, 1, tzinfo=UTC).timestamp()))
    assert (corpus.n, corpus.df) == (2, {"cache": 1, "tokens": 1, "init": 1})
    assert every.df["cache"] == 4 and every.df["lock"] == 3 and every.df["payments"] == 1
