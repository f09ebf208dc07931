-- The replay kept at ingest (migration 0011, store/lineage.py), read by bus-factor and coupling
-- when `now` is at or after the newest commit (agents/lineage.py). :repo '' means every repository.

-- name: replayed
-- How many repositories have a replay (none: the store was never refreshed, replay instead).
select count(*) as n from lineage_state where (:repo = '' or repo = :repo)

-- name: keysets
-- Every set of author identity keys (space-separated) by its number.
select id, authors
  from lineage_keysets

-- name: alive-files
-- Every file that exists after the last commit, with its component now (`component`) and as the
-- replay recorded it (`recorded`: they differ only until the next refresh), the set of authors
-- of the commit that created it (-1: unknown) and its changes per set of authors (JSON).
select lf.repo, lf.root, lf.path, coalesce(fi.component, '') as component, lf.component as recorded,
       coalesce(c.keyset, -1) as creators, lf.changes
  from lineage_files lf
  left join files fi on fi.repo = lf.repo and fi.path = lf.path
  left join lineage_commits c on c.repo = lf.repo and c.hash = lf.created
 where lf.path <> '' and (:repo = '' or lf.repo = :repo)

-- name: scope-commits
-- Per scope ('' the repository, else a component) and set of authors, the commits that changed
-- the scope's existing files.
select repo, scope, keyset, commits
  from lineage_scope_counts
 where (:repo = '' or repo = :repo)

-- name: file-at
-- The file that exists at `path` now, else the last one that had that name (-1: none).
select coalesce((select root from lineage_files where repo = :repo and path = :path and path <> ''),
                (select root from lineage_names where repo = :repo and path = :path),
                -1) as root

-- name: file-commits
-- A file's commits: hash, distinct files, commit time.
select distinct hash as label, files, committed_at as at
  from file_lineage
 where repo = :repo and root = :root

-- name: alive-paths
-- slot: roots  an in-list of file numbers
-- The paths of these files that exist now.
select root, path
  from lineage_files
 where repo = :repo and root in ({roots}) and path <> ''

-- name: newest-pr
-- The newest PR's creation: the kept PR and issue change sets hold every PR created so far, so
-- they answer for a `now` at or after it.
select max(created_at) as at from pull_requests

-- name: set-mine
-- The PR or issue change sets (:level) holding a file: label, distinct files, latest commit time.
select z.label, z.files, z.at
  from lineage_sets s cross join lineage_set_sizes z
 where s.repo = :repo and s.level = :level and s.root = :root
   and z.repo = s.repo and z.level = s.level and z.label = s.label

-- name: revisions
-- slot: roots  an in-list of file numbers
-- How many change sets (:level: commits, PRs, issues) of at most :max files hold each of these files.
select root, sum(sets) as n
  from lineage_revisions
 where repo = :repo and level = :level and root in ({roots}) and files <= :max
 group by root

-- name: commit-partners
-- The other existing files of a file's commits of at most :max files, each with its path and
-- how many of those commits it shares (at least :least). Counted per file first, its path read
-- after: one lookup per partner, not one per (commit, partner) row (~2x on the 100k bench store).
select g.root, f.path, g.shared
  from (select p.root, count(distinct p.hash) as shared
          from file_lineage l cross join file_lineage p
         where l.repo = :repo and l.root = :root and l.files <= :max
           and p.repo = l.repo and p.hash = l.hash and p.root <> :root
         group by p.root
        having count(distinct p.hash) >= :least) g
  cross join lineage_files f
 where f.repo = :repo and f.root = g.root and f.path <> ''

-- name: commit-shared
-- slot: roots  an in-list of file numbers
-- The commits of at most :max files that these files share with the file, one row per (file,
-- commit): the file's commits, then each one's files (`+` keeps SQLite from probing the listed
-- files' commits instead, thousands each for the files that change most).
select distinct p.root, p.hash as label
  from file_lineage l cross join file_lineage p
 where l.repo = :repo and l.root = :root and l.files <= :max
   and p.repo = l.repo and p.hash = l.hash and +p.root in ({roots})

-- name: set-partners
-- The other existing files of a file's change sets (:level) of at most :max files, each with its
-- path and how many of those sets it shares (at least :least); counted first, as commit-partners.
select g.root, f.path, g.shared
  from (select p.root, count(*) as shared
          from lineage_sets s cross join lineage_set_sizes z cross join lineage_sets p
         where s.repo = :repo and s.level = :level and s.root = :root
           and z.repo = s.repo and z.level = s.level and z.label = s.label and z.files <= :max
           and p.repo = s.repo and p.level = s.level and p.label = s.label and p.root <> :root
         group by p.root
        having count(*) >= :least) g
  cross join lineage_files f
 where f.repo = :repo and f.root = g.root and f.path <> ''

-- name: set-shared
-- slot: roots  an in-list of file numbers
-- The change sets (:level) of at most :max files that these files share with the file, one row
-- per (file, set): the file's sets, then each one's files among those listed (reading every set
-- of the listed files instead returned ~29,000 rows for the hot file of the 100k bench store).
select p.root, p.label
  from lineage_sets s cross join lineage_set_sizes z cross join lineage_sets p
 where s.repo = :repo and s.level = :level and s.root = :root
   and z.repo = s.repo and z.level = s.level and z.label = s.label and z.files <= :max
   and p.repo = s.repo and p.level = s.level and p.label = s.label and +p.root in ({roots})
