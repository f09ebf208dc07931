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

-- name: component-files
-- A component's files, with their repository and component.
select repo, path, component
  from files
 where component = :component

-- name: component-files-as-of
-- A component's files that a commit authored at or before :now changed (file_first_seen holds the
-- author time of each file's first commit, store/summaries.py).
select f.repo, f.path, f.component
  from files f
  join file_first_seen s on s.path = f.path and s.repo = f.repo
 where f.component = :component and s.first_at <= :now

-- name: latest-commit
-- The newest commit's author time: a `now` at or after it sees every path, so the plain lookups
-- above answer; an earlier `now` asks the `*-as-of` statements below.
select max(authored_at) as at from commits

-- name: repos-of-path-as-of
-- The repositories whose history held the path at :now (a commit authored at or before :now
-- changed it).
select repo
  from file_first_seen
 where path = :path and first_at <= :now

-- name: paths-as-of
-- Every path changed by a commit authored at or before :now, with its repository and component
-- (file_first_seen: one comparison per file, where probing each file's changes read ~1 s at 100k).
select f.repo, f.path, f.component
  from files f
  join file_first_seen s on s.path = f.path and s.repo = f.repo
 where s.first_at <= :now

-- name: repo-paths
-- Every path with its repository and component.
select repo, path, component
  from files

-- name: repos
-- Every repository name the store knows (git, GitHub pull requests).
select name as repo from repositories
union
select distinct repo from commits
union
select distinct repo from pull_requests

-- name: gone-paths
-- The adds, deletions, renames and copies of paths by commits authored at or before :now, with
-- their commit times, from the summary table file_moves (migration 0009, store/summaries.py: just
-- those ~4 % of commit_files rows). paths.gone folds them: a path no longer exists at :now when
-- its last removal (a deletion 'D', or a rename 'R' away from the old name; a copy 'C' keeps it)
-- is later than its last arrival by then (added 'A', renamed 'R' or copied 'C' to it). Times are
-- committed_at, as renames-into bounds a name (git's order on the default branch); an arrival in
-- the same second as a removal keeps the path (nothing is hidden on a tie). A modification never
-- brings a path back: after a removal one can only come from a branch that deleted nothing, and a
-- merge's own diff is not ingested. Folded in Python: one plain read (~8 ms on the 100k bench
-- store) where grouping both sides and joining them in SQL took ~22 ms.
select repo, path, old_path, change_type, committed_at as at
  from file_moves
 where change_type in ('A', 'D', 'R', 'C') and authored_at <= :now
