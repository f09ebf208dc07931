-- Has this bug occurred before? (agents/similar.py): the subject's text, files, components and
-- Jira links, and the same for each candidate the text index found (agents/text_search.py).
-- Files of an issue: those its commits changed and its PRs list; a file's component is the one
-- files has for it (a PR names the GitHub repository, so its files are matched by path).

-- name: issue
-- The subject issue's text.
select key, summary, description, created_at from issues where key = :key

-- name: issue-links
-- Explicit Jira links of an issue (duplicates, relates to, ...), both directions as stored.
select other_key, link_type, direction, description from issue_links where issue_key = :key

-- name: linked-to
-- Links stored on the other side (an issue that says it duplicates this one).
select issue_key as other_key, link_type, direction, description from issue_links where other_key = :key

-- name: issue-files
-- The files of an issue's commits and PRs, with their component.
select cf.path, coalesce(f.component, '') as component
  from commit_issues ci join commit_files cf on cf.repo = ci.repo and cf.hash = ci.hash
  left join files f on f.repo = cf.repo and f.path = cf.path
 where ci.issue_key = :key
union
select pf.path, coalesce((select min(f.component) from files f where f.path = pf.path), '') as component
  from pr_issues pi join pr_files pf on pf.repo = pi.repo and pf.number = pi.number
 where pi.issue_key = :key

-- name: issue-components
-- The components Jira gives an issue.
select component from issue_components where issue_key = :key

-- name: issue-own
-- The commits and PRs that name an issue: its own fix, not an earlier occurrence.
select 'commit' as kind, repo || '@' || hash as ref from commit_issues where issue_key = :key
union
select 'pr' as kind, repo || '#' || cast(number as text) as ref from pr_issues where issue_key = :key

-- name: commit-files
-- The files a commit changed, with their component.
select cf.path, coalesce(f.component, '') as component
  from commit_files cf left join files f on f.repo = cf.repo and f.path = cf.path
 where cf.repo = :repo and cf.hash = :hash

-- name: pr-files
-- The files a PR lists, with their component.
select pf.path, coalesce((select min(f.component) from files f where f.path = pf.path), '') as component
  from pr_files pf where pf.repo = :repo and pf.number = :number

-- name: commit-lookup
-- Commits whose hash starts with :prefix (lower-case hex).
select repo, hash, message, authored_at from commits where hash like :prefix

-- name: commit-own
-- The PRs holding a commit and the issues it names: the same change, not an earlier occurrence.
select 'pr' as kind, p.repo || '#' || cast(p.number as text) as ref
  from pr_commits pc join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
       (select 1 from pull_requests x where x.repo = pc.repo))
 where pc.hash = :hash
union
select 'issue' as kind, issue_key as ref from commit_issues where repo = :repo and hash = :hash

-- name: key-commits
-- Non-merge commits whose message names :key (a key no ingested issue has), with their text.
select c.repo, c.hash, c.message, c.authored_at
  from commit_issues ci join commits c on c.repo = ci.repo and c.hash = ci.hash
 where ci.issue_key = :key and c.is_merge = 0

-- name: key-prs
-- PRs whose title, body or branch names :key, with their text.
select p.repo, p.number, p.title, p.body, p.created_at
  from pr_issues pi join pull_requests p on p.repo = pi.repo and p.number = pi.number
 where pi.issue_key = :key

-- name: incident
-- An ingested postmortem by its key.
select key from incidents where key = :key
