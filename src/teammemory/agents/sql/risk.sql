-- The window's changes that the risk agents count (agents/risk.py, agents/risk_window.py).
-- As of `now`: a commit counts when it was authored in the window and committed at or before now
-- (a commit rebased or merged later was not on the branch yet).
-- A file's few spans drive `file-changes` through its history. A component or the whole store is
-- read through the window's commits (commits_time) instead, so the work grows with the window,
-- not with the history of many files, and in two narrow queries: the window's (commit, file)
-- facts (`window-files`; a component's are those of its files), and each commit's people once
-- (`window-commits`: joining people to every file row would repeat them, and `rank` needs them
-- per commit only).

-- name: file-changes
-- The window's (commit, file, person) rows of one file's spans: each non-merge commit that changed
-- a span before it was renamed away, once per author and co-author, with its churn on that path.
-- `cross join` fixes SQLite's join order (spans, then their changes, then the commits);
-- PostgreSQL reorders freely.
-- slot: target  the CTE `target(repo, path, until_at, root)` of the file's spans (paths.spans_cte)
with {target}
select t.root, cf.path, c.repo, c.hash, c.subject, c.authored_at, cf.added + cf.deleted as churn,
       c.is_bug_fix, cp.identity_key
  from target t cross join commit_files cf cross join commits c
  join commit_people cp on cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')
 where cf.repo = t.repo and cf.path = t.path and c.repo = cf.repo and c.hash = cf.hash
   and c.is_merge = 0 and c.committed_at <= t.until_at
   and c.authored_at >= :since and c.authored_at <= :now and c.committed_at <= :now

-- name: window-files
-- The whole store's (commit, file) facts of the window: each non-merge commit's changed paths
-- with their earlier names, change type and churn, read through commits_time (`cross join`: the
-- window's commits first, then their files). It needs no `files` join: every commit_files path
-- has its files row (write_commits writes both; a path leaves `files` only with its last
-- commit_files row).
select c.repo || '@' || c.hash as ref, cf.path, cf.old_path, cf.change_type, cf.added + cf.deleted as churn
  from commits c cross join commit_files cf
 where c.authored_at >= :since and c.authored_at <= :now and c.committed_at <= :now and c.is_merge = 0
   and cf.repo = c.repo and cf.hash = c.hash

-- name: component-files
-- The files of one component (as they are now): a component's window facts are the whole
-- window's facts of these (repo, path)s, as the commits changed them (risk_window.window_facts:
-- the window is read once per answer, and the signals need all of it).
select repo, path
  from files
 where component = :component

-- name: window-commits
-- The window's non-merge commits, once per author and co-author: when, whether a bug fix, the
-- subject, and the account (`cross join`: the window's commits first, then their people).
select c.repo || '@' || c.hash as ref, c.authored_at, c.committed_at, c.is_bug_fix, c.subject, cp.identity_key
  from commits c cross join commit_people cp
 where c.authored_at >= :since and c.authored_at <= :now and c.committed_at <= :now and c.is_merge = 0
   and cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')

-- name: fix-issues
-- The issue keys linked to some commits of one repository (by primary key: only the bug fixes
-- an answer explains are looked up, not every bug fix of the window).
-- slot: hashes  an in-list of commit hashes (queries.in_list)
select hash, issue_key
  from commit_issues
 where repo = :repo and hash in ({hashes})

-- name: newest-commit
-- The newest commit known at `now` (authored at or before it), to say when a window is empty
-- because the data stops earlier; NULL in an empty store.
select max(authored_at) as at
  from commits
 where authored_at <= :now

-- name: moves-of-file
-- The adds, deletions, renames and copies that bear on whether one file exists after the newest
-- commit (paths.sql `gone-paths` for one (repo, path), folded alike by paths.removed_paths): a
-- component's name is checked on a file or two instead of folding every move of the store.
select repo, path, old_path, change_type, committed_at as at
  from file_moves
 where change_type in ('A', 'D', 'R', 'C') and repo = :repo and (path = :path or old_path = :path)
