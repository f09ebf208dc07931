-- Why is this line so? (agents/why_line.py): the store's side of a blame. The commits that last
-- changed the lines come from `git blame` (sources/blame.py); these statements read what the store
-- knows about them: the commit, its PRs, the issues of both, and the review discussion on the file.
--
-- PR of a commit: as in context_file.sql, pr_commits names p's number either in p's repository or
-- in a repository with no PRs of its own (git and GitHub name the same repository differently); a
-- squash or merge commit is found through the `merge commit of PR #N` rows of pr_commits.

-- name: repositories
-- Every ingested repository with the clone it was ingested from and its last ingested head.
select name, path, head from repositories

-- name: commits
-- The blamed commits the store holds, with their author's person.
-- slot: hashes  an in-list of commit hashes
select c.repo, c.hash, c.subject, c.message, c.authored_at, c.is_bug_fix, ap.person_key as a_key,
       ap.person_name as a_name
  from commits c left join persons ap on ap.account_key = c.author_key
 where c.repo = :repo and c.hash in ({hashes})

-- name: prs
-- The PRs containing a blamed commit (see the header), created at or before :now.
-- slot: hashes  an in-list of commit hashes
select p.repo, p.number, p.title, p.state, p.merged_at, p.closed_at, p.created_at, pc.hash as c_hash,
       pc.found_by, ap.person_key as a_key, ap.person_name as a_name
  from pr_commits pc
  join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
       (select 1 from pull_requests x where x.repo = pc.repo))
  left join persons ap on ap.account_key = p.author_key
 where pc.hash in ({hashes}) and coalesce(p.created_at, 0) <= :now

-- name: commit-issues
-- The issues a blamed commit names, with the issue's summary and status (null when not ingested).
-- slot: hashes  an in-list of commit hashes
select ci.hash as source, ci.issue_key, i.summary, i.status, ci.found_by
  from commit_issues ci left join issues i on i.key = ci.issue_key
 where ci.repo = :repo and ci.hash in ({hashes})

-- name: pr-issues
-- The issues a PR names (:repo here is the PR's repository).
select pi.number, pi.issue_key, i.summary, i.status, pi.found_by
  from pr_issues pi left join issues i on i.key = pi.issue_key
 where pi.repo = :repo and pi.number = :number

-- name: review-comments
-- The review comments of a PR on one file (its name in the blamed commit), written at or before
-- :now, with where they sit (null in rows from before migration 0018) and their author's person.
select rc.comment_id, rc.path, rc.body, rc.created_at, rc.review_id, rc.line, rc.start_line, rc.original_line,
       rc.original_start_line, rc.side, rc.in_reply_to_id, ap.person_key as a_key, ap.person_name as a_name
  from review_comments rc left join persons ap on ap.account_key = rc.author_key
 where rc.repo = :repo and rc.number = :number and rc.path = :path and coalesce(rc.created_at, 0) <= :now

-- name: reviews
-- The reviews of a PR submitted at or before :now (who approved the change the line came with).
select r.review_id, r.state, r.submitted_at, ap.person_key as a_key, ap.person_name as a_name
  from reviews r left join persons ap on ap.account_key = r.reviewer_key
 where r.repo = :repo and r.number = :number and coalesce(r.submitted_at, 0) <= :now
