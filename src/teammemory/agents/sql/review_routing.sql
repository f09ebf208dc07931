-- The PR that review routing is asked about (agents/review_routing.py): which one it is, its
-- files, who was asked to review it and who wrote it. The expertise on its files is
-- expertise.sql's `file-activity`, with this PR skipped.

-- name: pull-requests-numbered
-- The pull requests with this number (one per repository that has it).
select repo, number, title, author_key
  from pull_requests
 where number = :n

-- name: pull-request-numbers
-- Every PR number the store holds (for NotFound hints).
select distinct number
  from pull_requests

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
 where pc.repo = :repo and pc.number = :n and c.is_merge = 0

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
