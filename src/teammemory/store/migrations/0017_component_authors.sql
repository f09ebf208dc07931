-- 0017: each component's sole authors counted at ingest, so `teammemory components` reads a few
-- hundred counts instead of grouping every authored row of component_people (issue 11: ~0.1 s of
-- its ~0.3 s on the 100,000-commit bench store). Derived data, kept by
-- teammemory.store.component_authors in every ingest's transaction (store/summaries.py) and filled
-- right here from component_people. The counts answer for a `now` at or after the newest commit;
-- an earlier one counts the raw rows (agents/sql/components_list.sql).

-- component_authors: per (component, account, repository), how many component_people rows credit
-- the account as the commit's only author or co-author (shared = 0, role author or co-author):
-- the commits a person is credited with alone, which need no folding of accounts commit by commit.
create table component_authors (
    component    text not null,
    identity_key text not null,
    repo         text not null,
    commits      bigint not null,
    primary key (component, identity_key, repo)
);

insert into component_authors (component, identity_key, repo, commits)
select component, identity_key, repo, count(*)
  from component_people
 where shared = 0 and role in ('author', 'co-author')
 group by component, identity_key, repo;
