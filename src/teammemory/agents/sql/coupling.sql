-- The pull requests and issues whose change sets coupling compares (agents/coupling.py); the
-- commits' own change sets come from the replayed history (agents/sql/file_history.sql).

-- name: pr-commits
-- Each PR's commits, created at or before `now`. PR of a commit: pr_commits names the PR's
-- number, in its repository or in a repository with no PRs of its own (git and GitHub may name
-- one repository differently, as in context_file.sql); a PR known only from a git merge subject
-- keeps the git repository's name.
select coalesce(p.repo, pc.repo) as pr_repo, pc.number, pc.hash
  from pr_commits pc
  left join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
       (select 1 from pull_requests x where x.repo = pc.repo))
 where coalesce(p.created_at, 0) <= :now

-- name: pr-files
-- The files each PR lists (GitHub's own change set of the PR), for PRs created at or before `now`.
select pf.repo as pr_repo, pf.number, pf.path
  from pr_files pf
  join pull_requests p on p.repo = pf.repo and p.number = pf.number
 where coalesce(p.created_at, 0) <= :now

-- name: issue-commits
-- The commits of one repository linked to an issue by key.
select issue_key, hash
  from commit_issues
 where repo = :repo

-- name: issue-prs
-- The PRs linked to an issue by key.
select issue_key, repo as pr_repo, number
  from pr_issues
