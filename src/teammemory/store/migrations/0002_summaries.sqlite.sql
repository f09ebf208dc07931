-- 0002: what the agents need to answer in milliseconds on long histories (bench/RESULTS.md).
-- The three summary tables are derived data, kept by teammemory.store.summaries inside every
-- ingest's transaction; a store written before this migration gets them filled right after it.
-- 0002_summaries.sqlite.sql is this file with `without rowid` on the summary tables (SQLite then
-- keeps their rows in primary-key order, so a component's rows are read as one range);
-- tests/store/test_migrate.py checks that the two say the same otherwise.

create index commits_hash on commits (hash);   -- PR commits are joined by hash alone (repo names differ)
-- what every ingest's derive step looks for, without reading the whole history: commits not yet
-- classified as bug fixes, and what identity resolution uses (commit-to-GitHub-login pairings,
-- commits per account)
create index commits_unclassified on commits (repo, hash) where bug_fix_reason = '';
create index commit_people_github on commit_people (hash) where role = 'github-author';
create index commits_author on commits (author_key);
-- components are matched in any letter case; the index also gives PostgreSQL's planner statistics
-- for lower(component), without which it guesses a component has 3 files and joins accordingly
create index files_component on files (lower(component));

-- 0 = not summarized yet, 2 = its component rows are stale (a file changed component), 1 = done
alter table commits add column summarized integer not null default 0;
create index commits_unsummarized on commits (repo, hash) where summarized <> 1;

create table component_commits (                -- one row per (commit, component it changed)
    component   text not null,
    repo        text not null,
    hash        text not null,
    authored_at bigint not null,
    is_merge    integer not null,
    churn       bigint not null,                -- lines added + deleted on the component's files
    primary key (component, hash, repo)
) without rowid;
create index component_commits_commit on component_commits (repo, hash);

create table component_people (                 -- (component, non-merge commit, person's role on it)
    component    text not null,
    identity_key text not null,
    role         text not null,                 -- author | co-author | reviewer (trailer)
    repo         text not null,
    hash         text not null,
    authored_at  bigint not null,
    churn        bigint not null,               -- the commit's lines on the component's files
    shared       integer not null,              -- 1: the commit has other rows of this kind (co-authors,
                                                --    several trailer reviewers), so counts must dedupe
    primary key (component, shared, identity_key, role, repo, hash)
) without rowid;
create index component_people_commit on component_people (repo, hash);
create index component_people_latest on component_people (component, identity_key, authored_at);

create table file_authors (                     -- per file and author identity, non-merge commits only
    repo         text not null,
    path         text not null,
    identity_key text not null,
    commits      bigint not null,
    churn        bigint not null,
    last_at      bigint not null,
    primary key (repo, path, identity_key)
) without rowid;
