-- The timeline (agents/timeline.py): commits, merges, PRs and releases in a window [:since, :until].

-- name: commits
-- Commits committed in the window: one range of the committed_at index (migration 0010).
select repo, hash, subject, committed_at, is_merge, is_revert
  from commits
 where committed_at >= :since and committed_at <= :until and authored_at <= :until

-- name: commit-components
-- The components of the files each commit of the window changed: from the window's commits
-- outward (`cross join` keeps SQLite from starting at every file and probing its changes).
select distinct c.repo, c.hash, f.component
  from commits c
 cross join commit_files cf
 cross join files f
 where c.committed_at >= :since and c.committed_at <= :until and c.authored_at <= :until
   and cf.repo = c.repo and cf.hash = c.hash and f.repo = cf.repo and f.path = cf.path
   and f.component <> ''

-- name: prs
-- PRs opened or merged in the window.
select repo, number, title, created_at, merged_at, merge_commit
  from pull_requests
 where (created_at >= :since and created_at <= :until) or (merged_at >= :since and merged_at <= :until)

-- name: pr-components
-- The components of the files of PRs opened or merged in the window: GitHub's file list and the
-- files of the PR's commits. From the window's PRs outward (the created_at and merged_at indexes
-- of migration 0010; `cross join` as above).
select distinct p.repo, p.number, f.component
  from pull_requests p
 cross join pr_files pf
 cross join files f
 where ((p.created_at >= :since and p.created_at <= :until) or (p.merged_at >= :since and p.merged_at <= :until))
   and pf.repo = p.repo and pf.number = p.number and f.repo = pf.repo and f.path = pf.path
   and f.component <> ''
union
select distinct p.repo, p.number, f.component
  from pull_requests p
 cross join pr_commits pc
 cross join commit_files cf
 cross join files f
 where ((p.created_at >= :since and p.created_at <= :until) or (p.merged_at >= :since and p.merged_at <= :until))
   and pc.repo = p.repo and pc.number = p.number and cf.repo = pc.repo and cf.hash = pc.hash
   and f.repo = cf.repo and f.path = cf.path and f.component <> ''

-- name: tags
-- Release tags dated in the window.
select repo, name, hash, tagged_at, subject
  from tags
 where tagged_at >= :since and tagged_at <= :until
