-- Test files by naming convention, and the window's commits that changed them
-- (agents/covering_tests.py).

-- name: test-paths
-- Every path that may be a test file: every name the conventions can answer contains 'test'
-- (LIKE: a superset on either backend, whatever its case rule).
select distinct path
  from files
 where path like '%test%'

-- name: path-commits
-- The window's non-merge commits that changed one path.
select c.repo, c.hash
  from commit_files cf
  join commits c on c.repo = cf.repo and c.hash = cf.hash
 where cf.path = :path and c.is_merge = 0 and c.authored_at >= :since and c.authored_at <= :now
