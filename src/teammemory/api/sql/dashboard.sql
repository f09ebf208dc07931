-- The dashboard's own lookups (api/dashboard/lookups.py): a commit, a developer's recent work,
-- a component's commits over time. Rows are sorted and cut in Python, so collations and NULL
-- ordering cannot change what is shown. Hash prefixes are bound as a range (:low <= hash < :high)
-- so the commits_hash index answers them on both stores.

-- name: commit
-- Commits whose hash starts with the prefix (optionally in one repository).
select c.repo, c.hash, c.subject, c.message, c.authored_at, c.is_merge, c.is_bug_fix, c.bug_fix_reason,
       coalesce(p.person_key, '') as author_key, coalesce(p.person_name, '') as author_name
  from commits c
  left join persons p on p.account_key = c.author_key
 where c.hash >= :low and c.hash < :high and (:repo = '' or c.repo = :repo)

-- name: commit-files
-- The files one commit changed.
select path, old_path, change_type, added, deleted
  from commit_files
 where repo = :repo and hash = :hash

-- name: commit-issues
-- The issues one commit is linked to, and how each link was found.
select ci.issue_key, coalesce(i.summary, '') as summary, ci.found_by
  from commit_issues ci
  left join issues i on i.key = ci.issue_key
 where ci.repo = :repo and ci.hash = :hash

-- name: commit-prs
-- The pull requests that contain one commit (by number, in any repository of that name).
select p.repo, p.number, p.title, pc.found_by
  from pr_commits pc
  join pull_requests p on p.number = pc.number and p.repo = pc.repo
 where pc.hash = :hash

-- name: person-commits
-- The commits a developer authored.
select c.repo, c.hash, c.subject, c.authored_at, c.is_merge
  from commits c
  join persons p on p.account_key = c.author_key
 where p.person_key = :key

-- name: person-prs
-- The pull requests a developer opened.
select pr.repo, pr.number, pr.title, pr.state, coalesce(pr.created_at, 0) as created_at
  from pull_requests pr
  join persons p on p.account_key = pr.author_key
 where p.person_key = :key

-- name: person-reviews
-- The reviews a developer gave.
select r.repo, r.number, coalesce(pr.title, '') as title, r.state, coalesce(r.submitted_at, 0) as submitted_at
  from reviews r
  join persons p on p.account_key = r.reviewer_key
  left join pull_requests pr on pr.repo = r.repo and pr.number = r.number
 where p.person_key = :key

-- name: component-commits
-- The commits that changed a component's files, with when and how many lines.
select cc.repo, cc.hash, cc.authored_at, cc.is_merge, cc.churn, c.subject
  from component_commits cc
  join commits c on c.repo = cc.repo and c.hash = cc.hash
 where lower(cc.component) = lower(:name)

-- name: developer-names
-- Every developer's key and name (evidence names people; the dashboard links the name).
select key, name
  from developers

-- name: component-activity
-- Per component, the non-merge commits authored in (:since, :now] and their churn on its files:
-- the overview's "most changed components", one grouped read of the summary table the activity
-- chart counts (asking component-risk of every component takes seconds on a real history).
select component, count(*) as commits, coalesce(sum(churn), 0) as churn
  from component_commits
 where is_merge = 0 and authored_at > :since and authored_at <= :now
 group by component
