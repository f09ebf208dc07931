-- 0019: what `similar` ranks by, readable without touching each document (agents/text_search.py).
-- text_terms gets its document's length and time, so BM25 over the query terms' postings is one
-- scan of text_terms_rank, no lookup per posting; text_df holds the documents holding each term
-- (every document: as of an earlier `now` those after it are subtracted, text_docs_at finds
-- them). store/text_index.py keeps all of it in step in the ingest's transaction.
-- PostgreSQL's twin of 0019_text_df.sql: one join instead of two lookups per posting.
alter table text_terms add column length integer not null default 0;
alter table text_terms add column at bigint;
update text_terms t set length = d.length, at = d.at from text_docs d where d.doc_id = t.doc_id;
create index text_terms_rank on text_terms (term, doc_id, tf, length, at);
create index text_docs_at on text_docs (at, length);
create table text_df (
    term    text primary key,
    df      integer not null
);
insert into text_df (term, df) select term, count(*) from text_terms group by term
