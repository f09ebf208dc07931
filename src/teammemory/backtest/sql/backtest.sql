-- Everything the backtest replays, read once and ordered in Python (never by SQL collation).
-- People are the `persons` view's; an account it does not hold is its own person.

-- name: commits
-- Every commit up to :until (of one repository, or all when :repo is ''), with its author's person.
select c.repo, c.hash, c.authored_at as at, c.is_merge, c.is_bug_fix, c.parents, c.subject,
       coalesce(p.person_key, c.author_key) as person_key, coalesce(p.is_bot, 0) as is_bot, c.is_revert
  from commits c
  left join persons p on p.account_key = c.author_key
 where (:repo = '' or c.repo = :repo) and c.authored_at <= :until;

-- name: commit-files
-- The files of those commits: lines added+deleted, and the earlier name of a rename.
select cf.repo, cf.hash, cf.path, cf.old_path, cf.change_type, cf.added + cf.deleted as churn
  from commit_files cf
  join commits c on c.repo = cf.repo and c.hash = cf.hash
 where (:repo = '' or c.repo = :repo) and c.authored_at <= :until;

-- name: commit-people
-- Co-authors and trailer reviewers of those commits (the credited roles besides the author).
select cp.repo, cp.hash, coalesce(p.person_key, cp.identity_key) as person_key, cp.role,
       coalesce(p.is_bot, 0) as is_bot
  from commit_people cp
  join commits c on c.repo = cp.repo and c.hash = cp.hash
  left join persons p on p.account_key = cp.identity_key
 where cp.role in ('co-author', 'reviewer') and (:repo = '' or c.repo = :repo) and c.authored_at <= :until;

-- name: pulls
-- Pull requests opened up to :until, with their author's person ('' when unknown).
select pr.repo, pr.number, pr.created_at as at, coalesce(p.person_key, pr.author_key, '') as person_key,
       coalesce(p.is_bot, 0) as is_bot
  from pull_requests pr
  left join persons p on p.account_key = pr.author_key
 where pr.created_at is not null and (:repo = '' or pr.repo = :repo) and pr.created_at <= :until;

-- name: pull-reviews
-- Submitted reviews (any state but PENDING) with their reviewer's person.
select r.repo, r.number, coalesce(p.person_key, r.reviewer_key) as person_key, coalesce(p.is_bot, 0) as is_bot,
       r.submitted_at as at
  from reviews r
  left join persons p on p.account_key = r.reviewer_key
 where r.reviewer_key is not null and r.submitted_at is not null and r.state <> 'PENDING'
   and (:repo = '' or r.repo = :repo) and r.submitted_at <= :until;

-- name: pull-files
-- A PR's files: the ones it lists, and the ones its commits changed.
select pf.repo, pf.number, pf.path
  from pr_files pf
 where (:repo = '' or pf.repo = :repo)
union
select pc.repo, pc.number, cf.path
  from pr_commits pc
  join commit_files cf on cf.repo = pc.repo and cf.hash = pc.hash
 where (:repo = '' or pc.repo = :repo);
