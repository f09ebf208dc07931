-- Incidents (agents/incidents.py): postmortems (the incidents tables, migration 0008) and Jira
-- issues of type Incident, with what caused and fixed them and their follow-up work.

-- name: postmortems
-- Every ingested postmortem that had started by `now`.
select key, title, severity, started_at, detected_at, mitigated_at, resolved_at, summary, trigger_text,
       root_cause, repo, source_file
  from incidents
 where started_at <= :now

-- name: jira-incidents
-- Jira issues of an incident type, created by `now`, that no postmortem of the same key describes.
-- slot: types  an in-list of lower-case issue type names (queries.in_list)
select key, summary, priority, created_at, resolved_at, description, status, status_category
  from issues
 where lower(issue_type) in ({types})
   and created_at <= :now
   and not exists (select 1 from incidents i where i.key = issues.key)

-- name: timeline
-- The postmortems' timeline entries up to `now`.
select incident_key, seq, at, entry
  from incident_timeline
 where at <= :now

-- name: lessons
select incident_key, seq, lesson
  from incident_lessons

-- name: actions
-- Follow-up issues; summary and status are null for an issue the store does not hold.
select a.incident_key, a.seq, a.issue_key, i.summary, i.status, i.status_category
  from incident_actions a
  left join issues i on i.key = a.issue_key

-- name: stated
-- What the postmortems name: causes, fixes and affected components (refs as written).
select incident_key, role, kind, repo, ref
  from incident_refs

-- name: stated-commits
-- The stored commits a postmortem's commit references name (a hash or a prefix of one, in the
-- reference's repository, else the incident's, else any repository).
select r.incident_key, r.role, r.ref, c.repo, c.hash, c.subject, c.committed_at
  from incident_refs r
  join incidents i on i.key = r.incident_key
  join commits c on c.hash >= r.ref and c.hash < r.ref || 'g' and substr(c.hash, 1, length(r.ref)) = r.ref
       and (coalesce(nullif(r.repo, ''), i.repo) = '' or c.repo = coalesce(nullif(r.repo, ''), i.repo))
 where r.kind = 'commit'

-- name: stated-prs
-- The stored PRs a postmortem's PR references name (by number, in the reference's repository,
-- else the incident's, else any repository).
select r.incident_key, r.role, r.ref, p.repo, p.number, p.title, p.state, p.created_at, p.merged_at
  from incident_refs r
  join incidents i on i.key = r.incident_key
  join pull_requests p on p.number = cast(r.ref as integer)
       and (coalesce(nullif(r.repo, ''), i.repo) = '' or p.repo = coalesce(nullif(r.repo, ''), i.repo))
 where r.kind = 'pr'

-- name: key-commits
-- Commits whose message names an incident's key (a fix, by the team's own linking).
-- slot: keys  an in-list of incident keys (queries.in_list)
select ci.issue_key as incident_key, c.repo, c.hash, c.subject, c.committed_at, min(ci.found_by) as found_by
  from commit_issues ci
  join commits c on c.repo = ci.repo and c.hash = ci.hash
 where ci.issue_key in ({keys}) and c.is_merge = 0
 group by ci.issue_key, c.repo, c.hash, c.subject, c.committed_at

-- name: key-prs
-- PRs whose title or body names an incident's key.
-- slot: keys  an in-list of incident keys (queries.in_list)
select pi.issue_key as incident_key, p.repo, p.number, p.title, p.state, p.created_at, p.merged_at,
       min(pi.found_by) as found_by
  from pr_issues pi
  join pull_requests p on p.repo = pi.repo and p.number = pi.number
 where pi.issue_key in ({keys})
 group by pi.issue_key, p.repo, p.number, p.title, p.state, p.created_at, p.merged_at

-- name: issue-components
-- The Jira components of incidents that are Jira issues.
-- slot: keys  an in-list of incident keys (queries.in_list)
select issue_key, component
  from issue_components
 where issue_key in ({keys})

-- name: commit-files
-- The files (with their components) of these commits.
-- slot: hashes  an in-list of commit hashes (queries.in_list)
select cf.repo, cf.hash, cf.path, coalesce(f.component, '') as component
  from commit_files cf
  left join files f on f.repo = cf.repo and f.path = cf.path
 where cf.hash in ({hashes})

-- name: pr-files
-- The files (with their components) of PRs: GitHub's list, and the files of the PR's commits.
-- slot: numbers  an in-list of PR numbers (queries.in_list)
select pf.repo, pf.number, pf.path, coalesce(f.component, '') as component
  from pr_files pf
  left join files f on f.repo = pf.repo and f.path = pf.path
 where pf.number in ({numbers})
union
select p.repo, p.number, cf.path, coalesce(f.component, '') as component
  from pull_requests p
  join pr_commits pc on pc.number = p.number and pc.repo = p.repo
  join commit_files cf on cf.repo = pc.repo and cf.hash = pc.hash
  left join files f on f.repo = cf.repo and f.path = cf.path
 where p.number in ({numbers})
