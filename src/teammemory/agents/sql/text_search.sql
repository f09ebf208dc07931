-- The text index (migration 0007) as BM25 reads it (agents/text_search.py): collection
-- statistics, document frequencies and term frequencies, each as of :now (documents created or
-- authored after it do not exist yet). Matching documents come from the backend's own engine
-- (store/fulltext.py); these statements are portable.

-- name: stats
-- N (documents) and the sum of their lengths (avgdl = total / N).
select count(*) as n, coalesce(sum(length), 0) as total from text_docs where coalesce(at, 0) <= :now

-- name: df
-- Documents holding each term.
-- slot: words  an in-list of index terms
select t.term, count(*) as df
  from text_terms t join text_docs d on d.doc_id = t.doc_id
 where t.term in ({words}) and coalesce(d.at, 0) <= :now
 group by t.term

-- name: tf
-- Each term's frequency in each document holding it.
-- slot: words  an in-list of index terms
select t.doc_id, t.term, t.tf from text_terms t where t.term in ({words})

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
