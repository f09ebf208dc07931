-- Context of a pull request (agents/context_pr.py): the PR :repo #:number and what the store ties
-- to it. The statements return account keys; context_pr reads the people behind them once, from
-- the `persons` view (persons.lookup), rather than joining `persons` in each of these small
-- statements (on SQLite every such join materializes the view: ~10 % of a PR answer).
--
-- PR of a commit: commit pc.hash belongs to PR p when pr_commits names p's number, either in p's
-- repository or in a repository with no PRs of its own (git and GitHub may name the same
-- repository differently, so a git-side "Merge pull request #N" still counts). Here p is the PR
-- asked about, so the condition reads `pc.number = :number and (pc.repo = :repo or not exists
-- (select 1 from pull_requests x where x.repo = pc.repo))`; the statements that need the PR's
-- commits start from it as the CTE `pr_hashes` (hash, found_by).
--
-- As of :now: the PR exists if created at or before it; only commits authored, reviews submitted
-- and comments written at or before :now count (context_pr turns a later merge into "open").

-- name: pr
-- Every PR numbered :number (one per repository that has it), with its author's account.
select p.repo, p.number, p.title, p.state, p.head_branch, p.base_branch, p.created_at, p.merged_at,
       p.closed_at, p.url, p.body, p.author_key
  from pull_requests p
 where p.number = :number and coalesce(p.created_at, 0) <= :now

-- name: pr-numbers
-- Every PR: the suggestions for an unknown number.
select repo, number from pull_requests where coalesce(created_at, 0) <= :now

-- name: commits
-- The PR's commits (PR of a commit, see the header), one row per way each was found, with the
-- author's account.
with pr_hashes as (
  select distinct pc.hash, pc.found_by from pr_commits pc
   where pc.number = :number and (pc.repo = :repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo)))
select c.repo, c.hash, c.subject, c.authored_at, c.is_merge, ph.found_by, c.author_key
  from pr_hashes ph join commits c on c.hash = ph.hash
 where +c.authored_at <= :now

-- name: issues
-- The keys the PR names (pr_issues) and the keys its commits name (commit_issues; PR of a commit,
-- see the header), one row per way each was found, with the issue's summary and status (null when
-- it was never ingested).
with pr_hashes as (
  select distinct pc.hash, pc.found_by from pr_commits pc
   where pc.number = :number and (pc.repo = :repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo)))
select pi.issue_key, i.summary, i.status, pi.found_by
  from pr_issues pi left join issues i on i.key = pi.issue_key
 where pi.repo = :repo and pi.number = :number
union all
select ci.issue_key, i.summary, i.status, 'commit ' || substr(ci.hash, 1, 7) || ': ' || ci.found_by
  from pr_hashes ph join commit_issues ci on ci.hash = ph.hash
  join commits c on c.repo = ci.repo and c.hash = ci.hash and +c.authored_at <= :now
  left join issues i on i.key = ci.issue_key

-- name: pr-files
-- The PR's files as GitHub lists them.
select path, additions, deletions from pr_files where repo = :repo and number = :number

-- name: commit-files
-- The changes of the PR's non-merge commits (PR of a commit, see the header): one row per
-- (commit, path).
with pr_hashes as (
  select distinct pc.hash, pc.found_by from pr_commits pc
   where pc.number = :number and (pc.repo = :repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo)))
select distinct cf.repo, cf.hash, cf.path, cf.added, cf.deleted
  from pr_hashes ph join commits c on c.hash = ph.hash and c.is_merge = 0 and +c.authored_at <= :now
  join commit_files cf on cf.repo = c.repo and cf.hash = c.hash

-- name: reviews
-- The PR's reviews, with the reviewer's account.
select v.review_id, v.state, v.submitted_at, v.reviewer_key
  from reviews v
 where v.repo = :repo and v.number = :number and coalesce(v.submitted_at, 0) <= :now

-- name: comments
-- The PR's review comments (on a path) and conversation comments, with the author's account.
select 'review comment' as kind, m.comment_id, m.path, m.body, m.created_at, m.author_key
  from review_comments m where m.repo = :repo and m.number = :number and coalesce(m.created_at, 0) <= :now
union all
select 'comment', m.comment_id, '', m.body, m.created_at, m.author_key
  from pr_comments m where m.repo = :repo and m.number = :number and coalesce(m.created_at, 0) <= :now

-- name: commit-people
-- The author and co-author accounts of the PR's non-merge commits (PR of a commit, see the
-- header), one row per (commit, account).
with pr_hashes as (
  select distinct pc.hash, pc.found_by from pr_commits pc
   where pc.number = :number and (pc.repo = :repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo)))
select distinct c.repo, c.hash, cp.identity_key
  from pr_hashes ph join commits c on c.hash = ph.hash and c.is_merge = 0 and +c.authored_at <= :now
  join commit_people cp on cp.repo = c.repo and cp.hash = c.hash
   and cp.role in ('author', 'co-author')

-- name: git-commits
-- A PR known only from git (agents/context_pr_git.py): the given commits (its merge or squash
-- commits and merge^1..merge^2), with the author's account, authored at or before :now.
-- slot: hashes  an in-list of commit hashes
select c.repo, c.hash, c.subject, c.message, c.authored_at, c.committed_at, c.is_merge, c.author_key
  from commits c
 where c.repo = :repo and c.hash in ({hashes}) and c.authored_at <= :now

-- name: git-commit-files
-- The changes of the given commits: one row per (commit, path).
-- slot: hashes  an in-list of commit hashes
select distinct cf.repo, cf.hash, cf.path, cf.added, cf.deleted
  from commit_files cf
 where cf.repo = :repo and cf.hash in ({hashes})

-- name: git-issues
-- The keys the given commits name, with the issue's summary and status (null when never ingested).
-- slot: hashes  an in-list of commit hashes
select ci.issue_key, i.summary, i.status, 'commit ' || substr(ci.hash, 1, 7) || ': ' || ci.found_by as found_by
  from commit_issues ci left join issues i on i.key = ci.issue_key
 where ci.repo = :repo and ci.hash in ({hashes})

-- name: git-people
-- The author, co-author and trailer-reviewer accounts of the given commits, one row per
-- (commit, account, role).
-- slot: hashes  an in-list of commit hashes
select distinct cp.repo, cp.hash, cp.identity_key, cp.role
  from commit_people cp
 where cp.repo = :repo and cp.hash in ({hashes}) and cp.role in ('author', 'co-author', 'reviewer')
