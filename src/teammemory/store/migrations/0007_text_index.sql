-- 0007: the text index behind `similar` (and the REST API's search): one row per issue, PR and
-- non-merge commit with its terms (store/fulltext.py tokenizes, the same on both backends), and
-- the term statistics BM25 needs (agents/text_search.py). Derived data: ingest/text_index.py
-- fills it inside every ingest's transaction; reads never build it.
-- 0007_text_index.sqlite.sql is this file with an FTS5 table in place of the tsvector column.
create table text_docs (
    doc_id  bigint primary key,
    kind    text not null,                     -- issue | pr | commit (incident: a seam for later)
    ref     text not null,                     -- 'PROJ-7', 'acme/app#7', 'app@<hash>'
    title   text not null default '',
    at      bigint,                            -- created (issue, PR) or authored (commit)
    stamp   text not null default '',          -- what the text was built from, to see it change
    length  integer not null,                  -- number of terms (BM25's |D|)
    terms   text not null,                     -- the terms, space-separated, in text order
    tsv     tsvector generated always as (to_tsvector('simple', terms)) stored
);
create unique index text_docs_ref on text_docs (kind, ref);
create index text_docs_tsv on text_docs using gin (tsv);

create table text_terms (                       -- term frequencies: BM25's tf and df
    term    text not null,
    doc_id  bigint not null,
    tf      integer not null,
    primary key (term, doc_id)
);
create index text_terms_doc on text_terms (doc_id);
