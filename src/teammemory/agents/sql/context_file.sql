-- Context of a file (agents/context_file.py): its history over every name it had, and the people,
-- issues and PRs of that history. Each statement but `file-components` starts from the declared
-- `target` slot: the CTE `target(repo, path, until_at, root)` of the file's rename spans
-- (paths.spans_cte), each earlier name counting up to the time it was renamed away.
--
-- Reading a commit row is what costs on a long history, so only `spine` joins `commits`: it
-- applies the history's conditions (each earlier name up to its rename; merges flagged) to every
-- (commit, name) of the file once. The other statements go from the names straight to the
-- commit's people, issues and PRs, and Python keeps the rows whose (repo, hash, path) the spine
-- kept. As of :now: the spine keeps commits authored at or before :now, and PRs created after it
-- do not exist yet. The people behind account keys are read once per key (persons.lookup), not once per row.
--
-- PR of a commit: commit pc.hash belongs to PR p when pr_commits names p's number, either in p's
-- repository or in a repository with no PRs of its own (git and GitHub may name the same
-- repository differently, so a git-side "Merge pull request #N" still counts). Written out where
-- it is used: `p.number = pc.number and (p.repo = pc.repo or not exists (select 1 from
-- pull_requests x where x.repo = pc.repo))`.

-- name: spine
-- Every (commit, name) of the file's history: the commit, its author's account and the lines
-- changed on that name.
-- slot: target  the CTE of the file's rename spans (paths.spans_cte)
with {target}
select c.repo, c.hash, t.path, c.subject, c.authored_at, c.is_merge, c.author_key,
       cf.added + cf.deleted as churn
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commits c on c.repo = cf.repo and c.hash = cf.hash
 where c.committed_at <= t.until_at and +c.authored_at <= :now

-- name: changers
-- The author and co-author accounts of every change to the file's names (the spine decides which
-- count).
-- slot: target  the CTE of the file's rename spans (paths.spans_cte)
with {target}
select cf.repo, cf.hash, t.path, cp.identity_key
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commit_people cp on cp.repo = cf.repo and cp.hash = cf.hash and cp.role in ('author', 'co-author')

-- name: issues
-- The issue keys of every change to the file's names (the spine decides which count), with the
-- issue's summary and status (null when it was never ingested).
-- slot: target  the CTE of the file's rename spans (paths.spans_cte)
with {target}
select ci.issue_key, cf.repo, cf.hash, t.path, i.summary, i.status, ci.found_by
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join commit_issues ci on ci.repo = cf.repo and ci.hash = cf.hash
  left join issues i on i.key = ci.issue_key

-- name: pr-commits
-- The PRs containing a change to the file's names (PR of a commit, see the header; the spine
-- decides which count), with the change and the PR author's person.
-- slot: target  the CTE of the file's rename spans (paths.spans_cte)
with {target}
select p.repo, p.number, p.title, p.state, p.merged_at, p.closed_at, p.created_at, cf.hash as c_hash, cf.repo as c_repo,
       t.path as c_path, ap.person_key as a_key, ap.person_name as a_name
  from target t join commit_files cf on cf.repo = t.repo and cf.path = t.path
  join pr_commits pc on pc.hash = cf.hash
  join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
       (select 1 from pull_requests x where x.repo = pc.repo))
  left join persons ap on ap.account_key = p.author_key
 where coalesce(p.created_at, 0) <= :now

-- name: pr-files
-- The PRs listing one of the file's names, created before that name was renamed away, with the
-- author's person.
-- slot: target  the CTE of the file's rename spans (paths.spans_cte)
with {target}
select p.repo, p.number, p.title, p.state, p.merged_at, p.closed_at, p.created_at, 'lists ' || pf.path as found_by,
       ap.person_key as a_key, ap.person_name as a_name
  from target t join pr_files pf on pf.path = t.path
  join pull_requests p on p.repo = pf.repo and p.number = pf.number
  left join persons ap on ap.account_key = p.author_key
 where coalesce(p.created_at, 0) <= t.until_at and coalesce(p.created_at, 0) <= :now

-- name: file-components
-- The component of the path in each repository that has it.
select repo, component from files where path = :path
