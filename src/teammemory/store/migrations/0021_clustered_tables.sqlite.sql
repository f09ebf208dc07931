-- 0021 (SQLite): the tables read by their primary key and written in bulk at every ingest are
-- stored in that key's order (WITHOUT ROWID), so each is one b-tree instead of a rowid table
-- plus the key's index: ~20 % fewer pages for an ingest to write (BookKeeper's first ingest:
-- 84 -> 72 MB), the same rows, and reads by the key no longer hop from the index to the table.
-- text_terms' key (term, doc_id) holds tf, length and at beside it, which is what
-- text_terms_rank held (0019): that index goes. PostgreSQL's tables are heaps with their key's
-- index either way (0021_clustered_tables.postgresql.sql changes nothing).
-- Each table is rebuilt as SQLite's ALTER TABLE documentation says (a new table, the rows, the
-- old one dropped, the new one renamed, its indexes again); no view or trigger names them.

create table text_terms_0021 (
    term    text not null,
    doc_id  bigint not null,
    tf      integer not null,
    length  integer not null default 0,
    at      bigint,
    primary key (term, doc_id)
) without rowid;
insert into text_terms_0021 (term, doc_id, tf, length, at) select term, doc_id, tf, length, at from text_terms;
drop table text_terms;
alter table text_terms_0021 rename to text_terms;
create index text_terms_doc on text_terms (doc_id);

create table commit_files_0021 (
    repo        text not null,
    hash        text not null,
    path        text not null,
    old_path    text not null default '',
    change_type text not null default 'M',
    added       integer not null default 0,
    deleted     integer not null default 0,
    is_binary   integer not null default 0,
    primary key (repo, hash, path)
) without rowid;
insert into commit_files_0021 (repo, hash, path, old_path, change_type, added, deleted, is_binary)
    select repo, hash, path, old_path, change_type, added, deleted, is_binary from commit_files;
drop table commit_files;
alter table commit_files_0021 rename to commit_files;
create index commit_files_path on commit_files (path, repo);
create index commit_files_old_path on commit_files (old_path, repo);

create table file_moves_0021 (
    repo         text not null,
    hash         text not null,
    path         text not null,
    old_path     text not null,
    change_type  text not null,
    committed_at bigint not null,
    authored_at  bigint not null,
    primary key (repo, hash, path)
) without rowid;
insert into file_moves_0021 (repo, hash, path, old_path, change_type, committed_at, authored_at)
    select repo, hash, path, old_path, change_type, committed_at, authored_at from file_moves;
drop table file_moves;
alter table file_moves_0021 rename to file_moves;

create table file_first_seen_0021 (
    path     text not null,
    repo     text not null,
    first_at bigint not null,
    primary key (path, repo)
) without rowid;
insert into file_first_seen_0021 (path, repo, first_at) select path, repo, first_at from file_first_seen;
drop table file_first_seen;
alter table file_first_seen_0021 rename to file_first_seen;

create table people_activity_0021 (
    identity_key text not null,
    kind         integer not null,
    authored_at  bigint not null,
    repo         text not null,
    hash         text not null,
    primary key (identity_key, kind, authored_at, repo, hash)
) without rowid;
insert into people_activity_0021 (identity_key, kind, authored_at, repo, hash)
    select identity_key, kind, authored_at, repo, hash from people_activity;
drop table people_activity;
alter table people_activity_0021 rename to people_activity;
create index people_activity_repo on people_activity (repo, kind, authored_at, identity_key);

create table lineage_names_0021 (
    repo text not null,
    path text not null,
    root bigint not null,
    primary key (repo, path)
) without rowid;
insert into lineage_names_0021 (repo, path, root) select repo, path, root from lineage_names;
drop table lineage_names;
alter table lineage_names_0021 rename to lineage_names;

create table lineage_sets_0021 (
    repo  text not null,
    level text not null,
    label text not null,
    root  bigint not null,
    primary key (repo, level, label, root)
) without rowid;
insert into lineage_sets_0021 (repo, level, label, root) select repo, level, label, root from lineage_sets;
drop table lineage_sets;
alter table lineage_sets_0021 rename to lineage_sets;
create index lineage_sets_root on lineage_sets (repo, level, root, label);

create table lineage_revisions_0021 (
    repo  text not null,
    level text not null,
    root  bigint not null,
    files integer not null,
    sets  integer not null,
    primary key (repo, level, root, files)
) without rowid;
insert into lineage_revisions_0021 (repo, level, root, files, sets)
    select repo, level, root, files, sets from lineage_revisions;
drop table lineage_revisions;
alter table lineage_revisions_0021 rename to lineage_revisions;

create table lineage_scopes_0021 (
    repo    text not null,
    scope   text not null,
    keyset  bigint not null,
    hash    text not null,
    primary key (repo, scope, keyset, hash)
) without rowid;
insert into lineage_scopes_0021 (repo, scope, keyset, hash) select repo, scope, keyset, hash from lineage_scopes;
drop table lineage_scopes;
alter table lineage_scopes_0021 rename to lineage_scopes;
create index lineage_scopes_commit on lineage_scopes (repo, hash);

