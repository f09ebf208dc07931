-- Test files by naming convention, and the window's commits that changed them
-- (agents/covering_tests.py).

-- name: known-paths
-- Every known path: the test conventions are configurable globs (FooTest.java, foo_test.go,
-- spec/, __tests__/), matched in Python alike on both backends.
select distinct path
  from files

-- name: test-kinds
-- Every stored file's test status as derive stored it (files.test_kind, migration 0010: 1 a test
-- file, 0 not one) and, for a test, the name of the file it tests.
select path, test_kind, test_name
  from files

-- name: path-commits
-- The window's non-merge commits that changed one path, known at `now` (authored and committed by then).
select c.repo, c.hash
  from commit_files cf
  join commits c on c.repo = cf.repo and c.hash = cf.hash
 where cf.path = :path and c.is_merge = 0 and c.authored_at >= :since and c.authored_at <= :now
   and c.committed_at <= :now
