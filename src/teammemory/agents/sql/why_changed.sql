-- Why did a file or a component change (agents/why_changed.py): the changes of two windows
-- (the asked one and the one before it: :since is the start of the earlier one), then, for the
-- commits found, their people, issues and PRs by primary key, and the issues' types and epics.

-- name: file-window
-- The (non-merge commit, changed path) rows of one file's rename spans between :since and :now.
-- slot: target  the CTE `target(repo, path, until_at, root)` of the file's spans (paths.spans_cte)
with {target}
select c.repo, c.hash, cf.path, cf.old_path, cf.change_type, c.authored_at, c.committed_at,
       cf.added + cf.deleted as churn, c.is_bug_fix, c.is_revert, c.subject
  from target t cross join commit_files cf cross join commits c
 where cf.repo = t.repo and cf.path = t.path and c.repo = cf.repo and c.hash = cf.hash
   and c.is_merge = 0 and c.committed_at <= t.until_at
   and c.authored_at >= :since and c.authored_at <= :now

-- name: component-window
-- The same rows for the files of one component (as they are now), read through the window's
-- commits first (`cross join`), as risk.sql's component-window-files.
select c.repo, c.hash, cf.path, cf.old_path, cf.change_type, c.authored_at, c.committed_at,
       cf.added + cf.deleted as churn, c.is_bug_fix, c.is_revert, c.subject
  from commits c cross join commit_files cf cross join files f
 where c.authored_at >= :since and c.authored_at <= :now and c.is_merge = 0
   and cf.repo = c.repo and cf.hash = c.hash and f.repo = cf.repo and f.path = cf.path
   and f.component = :component and (:repo = '' or c.repo = :repo)

-- name: commit-people
-- The authors and co-authors of some commits of one repository.
-- slot: hashes  an in-list of commit hashes (queries.in_list)
select hash, identity_key
  from commit_people
 where repo = :repo and hash in ({hashes}) and role in ('author', 'co-author')

-- name: commit-issues
-- The issue keys some commits of one repository name.
-- slot: hashes  an in-list of commit hashes (queries.in_list)
select hash, issue_key
  from commit_issues
 where repo = :repo and hash in ({hashes})

-- name: commit-prs
-- The PRs of some commits (PR of a commit as in context_file.sql: by number, in the PR's
-- repository or in one with no PRs of its own), with their titles ('' when only a git merge
-- subject names the PR).
-- slot: hashes  an in-list of commit hashes (queries.in_list)
select pc.hash, coalesce(p.repo, pc.repo) as pr_repo, pc.number, coalesce(p.title, '') as title
  from pr_commits pc
  left join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
       (select 1 from pull_requests x where x.repo = pc.repo))
 where pc.hash in ({hashes})

-- name: pr-issues
-- The issue keys some PRs name (by number; the repository is checked in Python).
-- slot: numbers  an in-list of PR numbers (queries.in_list)
select repo as pr_repo, number, issue_key
  from pr_issues
 where number in ({numbers})

-- name: issues
-- Some issues: summary, type and parent (the epic of a story, the story of a sub-task).
-- slot: keys  an in-list of issue keys (queries.in_list)
select key, summary, issue_type, parent_key
  from issues
 where key in ({keys})
