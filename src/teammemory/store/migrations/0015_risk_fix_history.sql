-- 0015: what the risk questions read on every call, kept at ingest or indexed (issue 11:
-- file-risk, component-risk and risky-files ~0.8-1.2 s -> under 0.3 s as processes on the
-- 100,000-commit bench store).

-- risk_fix_files: each file's bug fixes over its whole history, under its name after the newest
-- commit (renames followed, files deleted since left out): the `recent_fixes` signal's input.
-- Derived data, kept by teammemory.store.fix_history inside every ingest's transaction
-- (derive.refresh; its fingerprint is the cursor ('derive', 'risk_fix_history')) and filled
-- for the commits a store already holds right after this migration (store/migrate.py). The fold
-- is Python. Only a `now` at or after the newest commit reads it. times: JSON list of the
-- fixes' authored_at, oldest first (ties by ref); refs: JSON list of their 'repo@hash', alike.
create table risk_fix_files (
    path  text not null primary key,
    times text not null,
    refs  text not null
);

-- The bug fixes, for the summary's fold and its fingerprint: an index range instead of reading
-- every commit (with its message) on each ingest.
create index commits_fixes on commits (repo, hash, authored_at, committed_at, is_bug_fix, is_merge)
    where is_bug_fix = 1 and is_merge = 0;

-- The reverts (a few hundred of 100,000 commits), for the risk signals of a window's commits: the
-- other commits are no reverts, and their wide rows are not read.
create index commits_reverts on commits (repo, hash) where is_revert = 1 or reverts <> '';

-- A `Revert "<subject>"` with no hash names what it reverts by subject: looked up by
-- (repo, subject) instead of reading every commit of the repository.
create index commits_subject on commits (repo, subject);
