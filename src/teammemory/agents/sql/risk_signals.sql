-- The facts of the risk signals beyond the article's score (agents/risk_signal_facts.py,
-- agents/risk_signals.py). As of `now`: a commit counts when authored and committed by then, a
-- review when submitted by then.

-- name: commit-signals
-- Some commits of one repository: whether each is a revert and of what (commits.reverts: the
-- reverted hash, or 'subject:<subject>'), and whether a trailer names a reviewer.
-- slot: hashes  an in-list of commit hashes (queries.in_list)
select c.hash, c.is_revert, c.reverts,
       case when exists (select 1 from commit_people r
                          where r.repo = c.repo and r.hash = c.hash and r.role = 'reviewer') then 1 else 0 end
         as trailer_reviewed
  from commits c
 where c.repo = :repo and c.hash in ({hashes})

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

-- name: fix-history
-- The history of bug fixes up to `now` with what it takes to name each fixed file as it is now:
-- every non-merge bug fix's files, and every rename, addition and deletion (file_moves, the ~4 %
-- of commit_files rows that are not modifications: to follow renames and drop the files deleted
-- since). `is_bug_fix` tells the fixes apart; a fix's own move is listed twice, harmlessly.
select c.repo || '@' || c.hash as ref, cf.path, cf.old_path, cf.change_type, c.authored_at, c.committed_at,
       1 as is_bug_fix
  from commits c cross join commit_files cf
 where c.is_bug_fix = 1 and c.is_merge = 0 and c.authored_at <= :now and c.committed_at <= :now
   and cf.repo = c.repo and cf.hash = c.hash
union all
select m.repo || '@' || m.hash, m.path, m.old_path, m.change_type, m.authored_at, m.committed_at, 0
  from file_moves m
 where m.authored_at <= :now and m.committed_at <= :now

-- name: component-paths
-- The files of one component (to keep a component's candidates from the fix history).
select path from files where component = :component
