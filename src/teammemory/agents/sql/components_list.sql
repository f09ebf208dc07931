-- The components and what `teammemory components` shows of them (agents/components_list.py).
-- Which files exist at `now` is agents/paths.py's rule (current_files), as for every question.

-- name: component-authors
-- Each component's authors and co-authors with their commits known at `now`, from the summary
-- table component_people (one row per (component, commit, account, role)): per account and
-- component where the account alone holds the authored credit (shared = 0; hash ''), one row per
-- commit (n = 1) where several do, so that folding accounts into people counts no commit twice.
select component, identity_key, repo, '' as hash, count(*) as n
  from component_people
 where shared = 0 and role in ('author', 'co-author') and authored_at <= :now
 group by component, identity_key, repo
union all
select component, identity_key, repo, hash, 1
  from component_people
 where shared = 1 and role in ('author', 'co-author') and authored_at <= :now
