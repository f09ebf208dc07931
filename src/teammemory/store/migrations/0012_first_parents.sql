-- 0012: the default branch's first-parent chain, kept at ingest, so hygiene's "commits through no
-- PR" counts an index range instead of walking every commit's parents on every question (issue
-- 11: ~600 ms -> a few ms on the 100,000-commit bench store). Derived data, kept by
-- teammemory.store.summaries.first_parents inside every ingest's transaction and filled for the
-- commits a store already holds right after this migration (store/migrate.py runs
-- summaries.refresh). The chain depends only on the graph and the ingested head, so it answers
-- at any `now` (filtered by authored_at).

-- first_parent_commits: one row per commit on the first-parent chain from repositories.head.
create table first_parent_commits (
    repo        text not null,
    hash        text not null,
    authored_at bigint not null,
    primary key (repo, hash)
);
create index first_parent_commits_time on first_parent_commits (repo, authored_at, hash);

-- first_parent_heads: the head each repository's chain was walked from (a new head rewalks).
create table first_parent_heads (
    repo text not null primary key,
    head text not null
);
