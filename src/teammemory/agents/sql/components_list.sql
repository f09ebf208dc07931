-- The components and what `teammemory components` shows of them (agents/components_list.py).
-- Which files exist at `now` is agents/paths.py's rule (current_files), as for every question.

-- name: component-authors
-- Each component's authors and co-authors with their commits known at `now`, from the summary
-- table component_people (one row per (component, commit, account, role)): per account and
-- component where the account alone holds the authored credit (shared = 0; hash ''), one row per
-- commit (n = 1) where several do, so that folding accounts into people counts no commit twice.
-- Each component's rows are read by the primary key (component, shared, ...): `cross join` keeps
-- SQLite from scanning the (repo, hash) index and looking every row up (~0.4 s at 100k commits).
select p.component, p.identity_key, p.repo, '' as hash, count(*) as n
  from (select distinct component from component_people) c cross join component_people p
 where p.component = c.component and p.shared = 0 and p.role in ('author', 'co-author')
   and p.authored_at <= :now
 group by p.component, p.identity_key, p.repo
union all
select p.component, p.identity_key, p.repo, p.hash, 1
  from (select distinct component from component_people) c cross join component_people p
 where p.component = c.component and p.shared = 1 and p.role in ('author', 'co-author')
   and p.authored_at <= :now

-- name: component-authors-kept
-- component-authors when :now is at or after the newest commit (every row counts): the sole-author
-- counts kept at ingest (component_authors, migration 0017: a few hundred rows where grouping
-- component_people read ~155,000 at 100k commits), and the shared commits row by row as above.
select component, identity_key, repo, '' as hash, commits as n
  from component_authors
 where commits > 0
union all
select p.component, p.identity_key, p.repo, p.hash, 1
  from (select distinct component from component_people) c cross join component_people p
 where p.component = c.component and p.shared = 1 and p.role in ('author', 'co-author')
   and p.authored_at <= :now

-- name: unassigned-authors
-- The authors and co-authors of the files no rule gives a component (files.component = '', as
-- ingestion assigned it; the summary tables keep no rows for them), one row per commit known at
-- `now` (n = 1, hash set: folded into people commit by commit). Usually a few top-level files.
select distinct '' as component, cp.identity_key, cp.repo, cp.hash, 1 as n
  from files f cross join commit_files cf cross join commits c cross join commit_people cp
 where f.component = '' and cf.repo = f.repo and cf.path = f.path
   and c.repo = cf.repo and c.hash = cf.hash and c.is_merge = 0 and c.authored_at <= :now
   and cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')
