-- Files and their components for the bus factor (agents/bus_factor.py); the history itself is
-- read by agents/sql/file_history.sql. :repo '' means every repository.

-- name: files
-- Every path of the store (or of one repository) with its component.
select repo, path, component
  from files
 where (:repo = '' or repo = :repo)
