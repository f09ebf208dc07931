-- The facts of the risk signals beyond the article's score (agents/risk_signal_facts.py,
-- agents/risk_signals.py). As of `now`: a commit counts when authored and committed by then, a
-- review when submitted by then.

-- name: commit-reverts
-- Which of some commits of one repository are reverts, and of what (commits.reverts: the reverted
-- hash, or 'subject:<subject>'): read through the partial index commits_reverts (migration 0015),
-- so a commit's wide row (its message) is read only for a revert; the others are no reverts.
-- slot: hashes  an in-list of commit hashes (queries.in_list)
select hash, is_revert, reverts
  from commits
 where repo = :repo and hash in ({hashes}) and (is_revert = 1 or reverts <> '')

-- name: commit-reviewers
-- Which of some commits of one repository have a trailer naming a reviewer (`Reviewed-by:`,
-- `Reviewers:`), from commit_people's key.
-- slot: hashes  an in-list of commit hashes (queries.in_list)
select distinct hash
  from commit_people
 where repo = :repo and hash in ({hashes}) and role = 'reviewer'

-- name: approved-commits
-- Commits approved in review by `now`, with the first approval's time: a commit of a PR
-- (pr_commits, in the PR's repository or in one with no PRs of its own, as hygiene matches them)
-- or a PR's merge commit, with a review in state APPROVED submitted at or before `now`. Keyed by
-- hash: git and GitHub may name the same repository differently.
select hash, min(at) as at from (
    select pc.hash, r.submitted_at as at
      from reviews r
      join pull_requests p on p.repo = r.repo and p.number = r.number
      join pr_commits pc on pc.number = p.number
                        and (pc.repo = p.repo or not exists (select 1 from pull_requests x where x.repo = pc.repo))
     where upper(r.state) = 'APPROVED' and r.submitted_at <= :now
    union all
    select p.merge_commit, r.submitted_at
      from reviews r
      join pull_requests p on p.repo = r.repo and p.number = r.number
     where upper(r.state) = 'APPROVED' and r.submitted_at <= :now and p.merge_commit <> ''
) approvals
 group by hash

-- name: commits-by-subject
-- The non-merge commits of one repository with some subjects, to find what a `Revert "<subject>"`
-- reverts when no hash was written (one scan for all of an answer's such reverts).
-- slot: subjects  an in-list of subjects (queries.in_list)
select hash, subject, committed_at
  from commits
 where repo = :repo and subject in ({subjects}) and is_merge = 0

-- (The bug-fix history across renames, `recent_fixes`' input, is store/fix_history.py's: kept at
-- ingest, and folded from the raw rows there for an earlier `now`.)
