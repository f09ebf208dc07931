-- 0010: what timeline and the covering-test lookups need to stay fast on long histories
-- (issue 11, bench/RESULTS.md "startup").

-- timeline reads a window of commits by commit time and of PRs by when they were opened or
-- merged: one index range each instead of every row before the window's end.
create index commits_committed on commits (committed_at);
create index pull_requests_created on pull_requests (created_at);
create index pull_requests_merged on pull_requests (merged_at);

-- Each file's test status under the configured test patterns (agents/covering_tests.py), kept
-- by derive (store.summaries.refresh_test_files) with the patterns as the cursor
-- ('derive', 'test_patterns'): changed patterns re-derive every file, new files get theirs on
-- the ingest that adds them. test_kind: -1 not derived yet, 0 not a test file, 1 a test file;
-- test_name: for a test file, the name of the file it tests ('' for none by name).
alter table files add column test_kind integer not null default -1;
alter table files add column test_name text not null default '';
create index files_tests on files (test_kind, test_name);
