-- The API's own lookups (api/catalog.py, api/search.py, api/health.py). Patterns are bound
-- already lower-cased with `%`/`_`/`\` escaped, so `like` behaves the same on both stores; rows
-- are sorted and cut in Python, so collations cannot change which ones are shown.

-- name: component-sizes
-- Every component with its files and the repositories they are in.
select component, count(*) as files, count(distinct repo) as repos
  from files
 where component <> ''
 group by component

-- name: search-issues
-- Issues whose key or summary contains the pattern.
select key, summary, status
  from issues
 where lower(key) like :pattern escape '\' or lower(summary) like :pattern escape '\'

-- name: search-prs
-- Pull requests with this number, or whose title contains the pattern.
select repo, number, title, state
  from pull_requests
 where number = :number or lower(title) like :pattern escape '\'

-- name: search-files
-- Files whose path contains the pattern.
select repo, path, component
  from files
 where lower(path) like :pattern escape '\'

-- name: search-people
-- Developers whose key, name or email contains the pattern.
select key, name, email
  from developers
 where lower(key) like :pattern escape '\' or lower(name) like :pattern escape '\'
    or lower(email) like :pattern escape '\'

-- name: repositories
-- Every repository with its last ingested head and when that was.
select name, branch, head, ingested_at
  from repositories

-- name: runs
-- Per source and target: how many runs, the last one's start and status, the last good finish.
select r.source, r.target, count(*) as runs, max(r.started_at) as last_started_at,
       max(case when r.status = 'ok' then r.finished_at end) as last_ok_at,
       (select l.status from ingest_runs l
         where l.source = r.source and l.target = r.target
         order by l.started_at desc, l.run_id desc limit 1) as last_status
  from ingest_runs r
 group by r.source, r.target

-- name: cursors
-- Where each incremental source stands (the derive step's own records excluded).
select source, target, value, updated_at
  from cursors
 where source <> 'derive'
