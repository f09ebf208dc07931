-- 0009: what the "as of" and fading answers need to stay fast on long histories (bench/RESULTS.md).
-- Derived data, kept by teammemory.store.summaries inside every ingest's transaction, like the
-- tables of 0002; this migration fills both tables for the commits a store already holds.

-- people_activity: one row per non-merge commit and account credited on it, by kind: 0 wrote it
-- (author, co-author), 1 named as reviewer in a trailer; and 2 for the author of a
-- `Merge pull request #N` merge (in a git-only store the merger is the reviewer). The fading
-- scoring's inactive cut (last activity at or before :now, expertise.sql `last-activity`) reads
-- one index range per account, review routing's `reviewing` one range per repository, instead
-- of joining commit_people with every commit.
create table people_activity (
    identity_key text not null,
    kind         integer not null,
    authored_at  bigint not null,
    repo         text not null,
    hash         text not null,
    primary key (identity_key, kind, authored_at, repo, hash)
);
create index people_activity_repo on people_activity (repo, kind, authored_at, identity_key);

-- file_first_seen: per file, the author time of the first commit that changed it, so "the files
-- known at :now" (agents/paths.py) is one comparison per file instead of probing its changes.
create table file_first_seen (
    path     text not null,
    repo     text not null,
    first_at bigint not null,
    primary key (path, repo)
);

-- file_moves: the commit_files rows that are not modifications (added, deleted, renamed, copied:
-- about 4 % of them) with their commit's times, so paths.sql `gone-paths` (the files that no
-- longer exist at :now) reads one small table instead of joining every move with its commit.
create table file_moves (
    repo         text not null,
    hash         text not null,
    path         text not null,
    old_path     text not null,
    change_type  text not null,
    committed_at bigint not null,
    authored_at  bigint not null,
    primary key (repo, hash, path)
);

insert into people_activity (identity_key, kind, authored_at, repo, hash)
select distinct cp.identity_key, case when cp.role = 'reviewer' then 1 else 0 end, c.authored_at, c.repo, c.hash
  from commits c join commit_people cp on cp.repo = c.repo and cp.hash = c.hash
 where c.is_merge = 0 and cp.role in ('author', 'co-author', 'reviewer');
insert into people_activity (identity_key, kind, authored_at, repo, hash)
select author_key, 2, authored_at, repo, hash
  from commits
 where is_merge = 1 and substr(subject, 1, 20) = 'Merge pull request #';

insert into file_first_seen (path, repo, first_at)
select cf.path, cf.repo, min(c.authored_at)
  from commit_files cf join commits c on c.repo = cf.repo and c.hash = cf.hash
 group by cf.path, cf.repo;

insert into file_moves (repo, hash, path, old_path, change_type, committed_at, authored_at)
select cf.repo, cf.hash, cf.path, cf.old_path, cf.change_type, c.committed_at, c.authored_at
  from commit_files cf join commits c on c.repo = cf.repo and c.hash = cf.hash
 where cf.change_type <> 'M';
