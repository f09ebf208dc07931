-- 0013: hygiene's link counts, kept at ingest, so `teammemory hygiene` reads a few hundred
-- counts instead of probing commit_issues for each of 100,000 commits (issue 11: the link
-- coverage per repository, component and month and "commits without an issue key" took ~1.1 s
-- on the 100,000-commit bench store). Derived data, kept by teammemory.store.summaries.commit_hygiene
-- in every ingest's transaction (summaries.refresh) and filled right after this migration.
-- Which keys are links depends on the known projects (config and ingested issues), so the counts
-- keep the projects a commit names and the question decides; bots (persons.is_bot) are taken out
-- when the question reads. The counts answer for a `now` at or after the newest commit; an
-- earlier one reads the raw rows (agents/sql/hygiene.sql).

-- commit_hygiene: one row per counted commit, with the projects of the keys it names (sorted,
-- distinct, joined by spaces; '' for none): what the counts hold it as.
create table commit_hygiene (
    repo     text not null,
    hash     text not null,
    projects text not null,
    primary key (repo, hash)
);

-- commit_link_counts: how many commits of a repository (component '') per UTC month
-- (year * 12 + month - 1), or of a component of it (month -1, from component_commits), merge
-- or not, name exactly these projects.
create table commit_link_counts (
    repo      text not null,
    component text not null,
    month     integer not null,
    is_merge  integer not null,
    projects  text not null,
    commits   bigint not null,
    primary key (repo, component, month, is_merge, projects)
);

-- first_parent_pr_counts: per repository, how many commits its first-parent chain holds
-- (first_parent_commits, walked from `head`) and how many of them a PR holds or merged
-- (pr_commits, pull_requests.merge_commit): hygiene's "commits through no PR" at a `now` at or
-- after the newest commit. Counted again by every ingest (~50 ms at 100,000 commits); `pr_commits`
-- and `merges` are how many such rows the store held then, so a write outside an ingest is seen.
create table first_parent_pr_counts (
    repo       text not null primary key,
    head       text not null,
    pr_commits bigint not null,
    merges     bigint not null,
    total      bigint not null,
    through_pr bigint not null
);
