-- Issue states at a moment (agents/issue_state.py): the issues, their status changes, and the
-- category each status name has.

-- name: issues
-- The ingested issues among these keys, with their current state.
-- slot: keys  an in-list of issue keys (queries.in_list)
select key, created_at, status, status_category, resolution, resolved_at
  from issues
 where key in ({keys})

-- name: transitions
-- The status changes of these issues (Jira's changelog).
-- slot: keys  an in-list of issue keys (queries.in_list)
select issue_key, at, from_status, to_status
  from issue_transitions
 where issue_key in ({keys})

-- name: categories
-- The status category the store's issues give each status name.
select distinct status, status_category
  from issues
 where status <> ''
