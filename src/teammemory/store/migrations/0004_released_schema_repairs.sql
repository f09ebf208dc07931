-- 0004: what a store created by an earlier release lacks. 0001_initial.sql was edited after it
-- had been released (tests/fixtures/schemas/README.md lists each released version), and 0002 too,
-- so a store created before such an edit reached this version without what the edit added:
-- every `sync github` then failed with "no such table: http_cache". Released migrations never
-- change again (tests/faults/test_upgrades.py holds them to their fixtures); this one adds what any
-- of them may lack, and on a store that has it all (a fresh one) it changes nothing.

-- 0001 as of d1f3448: ETags of list pages
create table if not exists http_cache (         -- ETags of list pages, so an unchanged list costs a 304
    url        text primary key,
    etag       text not null,
    status     integer not null,
    body       text not null,                  -- the JSON the ETag stands for
    next_url   text not null default '',
    stored_at  bigint not null
);

-- 0001 as of a206f5c and be579bf
create index if not exists review_comments_path on review_comments (path);
create index if not exists pr_commits_number on pr_commits (number, repo);

-- 0001 as of 9e7132f changed these two from (path) and (old_path) to (path, repo) and
-- (old_path, repo) under the same names, so `if not exists` cannot tell an old one: they are
-- rebuilt (once; about 0.7 s per 100,000 commits on SQLite, nothing on a fresh store)
drop index if exists commit_files_path;
create index commit_files_path on commit_files (path, repo);
drop index if exists commit_files_old_path;
create index commit_files_old_path on commit_files (old_path, repo);

-- 0002 as of 710c5fe and 62a6890
create index if not exists commits_unclassified on commits (repo, hash) where bug_fix_reason = '';
create index if not exists commit_people_github on commit_people (hash) where role = 'github-author';
create index if not exists commits_author on commits (author_key);
create index if not exists files_component on files (lower(component));
