-- The text index (migration 0007) as BM25 reads it (agents/text_search.py): collection
-- statistics, document frequencies and term frequencies, each as of :now (documents created or
-- authored after it do not exist yet). These statements are portable: both backends rank alike.

-- name: stats
-- N (documents) and the sum of their lengths (avgdl = total / N).
select count(*) as n, coalesce(sum(length), 0) as total from text_docs where coalesce(at, 0) <= :now

-- name: df
-- Documents holding each term, every document counted (text_df, migration 0019).
-- slot: words  an in-list of index terms
select term, df from text_df where term in ({words})

-- name: df-later
-- Documents after :now holding each term (what df as of :now leaves out); text_docs_at finds
-- them, then each one's terms by the primary key.
-- slot: words  an in-list of index terms
select t.term, count(*) as df
  from text_docs d cross join text_terms t
 where d.at > :now and t.doc_id = d.doc_id and t.term in ({words})
 group by t.term

-- name: best
-- The :n documents of largest BM25 as of :now (agents/text_search.py's formula, summed here in the
-- store's own floating point: the caller scores them again), by one scan of text_terms' key (term,
-- doc_id, with tf, length and at beside it: 0021 on SQLite, text_terms_rank on PostgreSQL).
-- slot: terms  the query terms with their idf, `(:w0, :i0), (:w1, :i1), ...`
with q (term, idf) as (values {terms})
select t.doc_id, sum(q.idf * t.tf * (:k1 + 1) / (t.tf + :k1 * (1 - :b + :b * t.length / :avgdl))) as score
  from q join text_terms t on t.term = q.term
 where coalesce(t.at, 0) <= :now
 group by t.doc_id
 order by score desc, t.doc_id
 limit :n

-- name: tf
-- The frequencies of some terms in some documents.
-- slot: words  an in-list of index terms
-- slot: ids  an in-list of doc_ids
select doc_id, term, tf from text_terms where term in ({words}) and doc_id in ({ids})

-- name: docs
-- The documents themselves.
-- slot: ids  an in-list of doc_ids
select doc_id, kind, ref, title, at, length, terms from text_docs where doc_id in ({ids})

-- name: doc-by-ref
-- One document by kind and ref (a subject's own document).
select doc_id, kind, ref, title, at, length, terms from text_docs where kind = :kind and ref = :ref

-- name: doc-heads
-- The documents without their terms (what ranking needs: kind, ref, title, time, length).
-- slot: ids  an in-list of doc_ids
select doc_id, kind, ref, title, at, length, '' as terms from text_docs where doc_id in ({ids})
