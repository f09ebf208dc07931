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
-- took ~0.25 s on the 100k bench store, this ~20 ms).
select identity_key, max(authored_at) as last_at
  from people_activity
 where kind = 0 and authored_at <= :now
 group by identity_key
