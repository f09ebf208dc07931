-- Paths, their repositories and their earlier names (agents/paths.py).

-- name: repos-of-path
-- The repositories whose history holds a path.
select repo
  from files
 where path = :path

-- name: renames-into
-- The earlier names of `path` in `repo`, each with the time of the last rename away from it.
select cf.old_path, max(c.committed_at) as renamed_at
  from commit_files cf
  join commits c on c.repo = cf.repo and c.hash = cf.hash
 where cf.repo = :repo and cf.path = :path and cf.old_path <> '' and cf.old_path <> cf.path
 group by cf.old_path

-- name: components
-- Every component name files are assigned to.
select distinct component
  from files

-- name: paths
-- Every path the store knows.
select distinct path
  from files

-- name: component-files
-- A component's files.
select path
  from files
 where component = :component
