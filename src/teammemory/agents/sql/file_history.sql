-- The whole change history of a store (or of one repository) up to `now`, for the agents that
-- replay it to follow every file across renames at once (agents/file_history.py: bus-factor,
-- coupling). Two narrow reads through the commits (`cross join`: commits first, then their rows):
-- one row per (commit, changed path), and one per (commit, author or co-author). Merge commits
-- are left out (their files are their branches' commits, which are read themselves).
-- :repo '' means every repository.

-- name: changes
-- Every (non-merge commit, changed path) authored at or before `now`.
select c.repo, c.hash, cf.path, cf.old_path, cf.change_type, c.committed_at, c.authored_at
  from commits c cross join commit_files cf
 where c.authored_at <= :now and c.is_merge = 0 and (:repo = '' or c.repo = :repo)
   and cf.repo = c.repo and cf.hash = c.hash

-- name: authors
-- Every (non-merge commit, author or co-author account) authored at or before `now`.
select c.repo, c.hash, cp.identity_key
  from commits c cross join commit_people cp
 where c.authored_at <= :now and c.is_merge = 0 and (:repo = '' or c.repo = :repo)
   and cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')

-- name: last-activity
-- Each account's latest authored or co-authored commit at or before `now`, in any repository
-- (someone who moved on to another repository of the store is still active): people_activity's
-- kind 0 rows are exactly those commits (migration 0009; joining commit_people with every commit
-- took ~0.25 s on the 100k bench store). Read per account, not by grouping every row (~20 ms):
-- `keys` walks the distinct accounts of the primary key (identity_key, kind, authored_at, ...)
-- one index seek each, and each account's latest is one more seek, well under 1 ms.
with recursive keys(k) as (
  select min(identity_key) from people_activity
  union all
  select (select min(p.identity_key) from people_activity p where p.identity_key > keys.k)
    from keys where keys.k is not null
)
select identity_key, last_at
  from (select keys.k as identity_key,
               (select max(p.authored_at) from people_activity p
                 where p.identity_key = keys.k and p.kind = 0 and p.authored_at <= :now) as last_at
          from keys where keys.k is not null) latest
 where last_at is not null
