-- The PR that review routing is asked about (agents/review_routing.py): which one it is, its
-- files, who was asked to review it and who wrote it. The expertise on its files is
-- expertise.sql's `file-activity`, with this PR skipped.

-- name: pull-requests-numbered
-- The pull requests with this number (one per repository that has it) created at or before :now.
select repo, number, title, author_key
  from pull_requests
 where number = :n and coalesce(created_at, 0) <= :now

-- name: pull-request-numbers
-- Every PR number the store holds at :now (for NotFound hints).
select distinct number
  from pull_requests
 where coalesce(created_at, 0) <= :now

-- name: pr-files
-- The files the PR lists.
select distinct path
  from pr_files
 where repo = :repo and number = :n

-- name: pr-commit-files
-- The files the PR's non-merge commits changed (its files when it lists none).
select distinct cf.path
  from pr_commits pc
  join commit_files cf on cf.hash = pc.hash
  join commits c on c.repo = cf.repo and c.hash = cf.hash
 where pc.repo = :repo and pc.number = :n and c.is_merge = 0 and +c.authored_at <= :now

-- name: requested-reviewers
-- The accounts a review of the PR is requested from.
select reviewer_key
  from review_requests
 where repo = :repo and number = :n

-- name: contributors
-- The accounts that wrote or co-wrote one of the PR's non-merge commits.
select distinct cp.identity_key
  from pr_commits pc
  join commits c on c.hash = pc.hash
  join commit_people cp on cp.repo = c.repo and cp.hash = c.hash
 where pc.repo = :repo and pc.number = :n and c.is_merge = 0 and cp.role in ('author', 'co-author')
   and +c.authored_at <= :now

-- name: reviewing
-- Every review done in the repository at or before :now, one row per (account, time): trailer
-- reviewers of non-merge commits, submitted reviews (any state but PENDING), and the authors of
-- `Merge pull request #N` merges (in a git-only store the merger is the reviewer). Review routing's
-- fading total adds them up, faded by age (scoring.routing_score), wherever in the repository.
-- The commits come from the summary table people_activity (kind 1: trailer reviewer, 2: merged a
-- PR; store/summaries.py), one index range, instead of joining commit_people with every commit.
select identity_key, authored_at as at
  from people_activity
 where repo = :repo and kind in (1, 2) and authored_at <= :now
union all
select reviewer_key, coalesce(submitted_at, 0)
  from reviews
 where repo = :repo and reviewer_key is not null and upper(state) <> 'PENDING' and coalesce(submitted_at, 0) <= :now
