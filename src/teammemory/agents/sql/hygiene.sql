-- The data-quality checks of agents/hygiene.py: every one reads the whole store, and SQL only
-- gathers; the counts, percentages and example order are the module's.
--
-- Commits are most of the store. SQLite needs ~2 µs to probe commit_issues for one commit, so the
-- commit counts probe only the few commits that are not people's work (merges, bots) and count
-- the linked commits from commit_issues' own primary key:
--     unlinked = people's commits - (linked commits - linked commits that are not people's work)
-- (probing commit_issues for each of 100,000 commits costs SQLite ~200 ms, counting the distinct
-- commits of commit_issues' own key ~15 ms; every commit_issues row is a stored commit's, written
-- with it by store.write.write_commits and deleted with it by ingest.git's COMMIT_TABLES). The
-- examples' candidates are read newest first through commits_time: every unlinked commit at least
-- as new as the n-th newest one (SQL picks that time only: integers order alike everywhere; the
-- order itself is the module's).
--
-- A commit is people's work when it is no merge and its author's person is no bot
-- (`persons.is_bot`; `account_key is not null` keeps `not in` true for the others, as a NULL in
-- the list would make it unknown). Which commits count as linked depends on the known projects,
-- so each commit statement comes three times:
--   <name>                  no project filter: no project is known (every key counts), or every
--                           project commits name is known (the project is not in commit_issues'
--                           primary key, and reading it costs SQLite ~80 ms more);
--   <name>-of-projects      only keys of the known projects, spelled as commits spell them;
--   <name>-of-no-project    projects are known but commits name none of them: nothing is linked.
--
-- As of :now, in :repo ('' = every repository): commits authored at or before :now, PRs and
-- issues created by then (the module reads each issue's status category at :now). The linked
-- commits are counted from commit_issues' key as above, less those of commits authored after :now,
-- read through commits_time (none when :now is after the newest commit, so nothing is probed).

-- name: issue-projects
-- The projects of the issues created at or before :now (known projects, with config.project_keys).
select distinct project
  from issues
 where coalesce(created_at, 0) <= :now

-- name: commit-projects
-- The projects the keys commits name are of.
select distinct project
  from commit_issues

-- name: commit-counts
-- All commits, the commits that are not people's work (merges, bots' commits), and how many of
-- those name a key.
select (select count(*) from commits where authored_at <= :now and (:repo = '' or repo = :repo)) as total,
       count(*) as others,
       coalesce(sum(case when exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash)
                         then 1 else 0 end), 0) as others_linked
  from commits c
 where (c.is_merge <> 0 or c.author_key in (select account_key from persons where is_bot = 1 and account_key is not null))
   and c.authored_at <= :now and (:repo = '' or c.repo = :repo)

-- name: commit-counts-of-projects
-- `commit-counts`, linked by keys of the known projects only.
-- slot: projects  an in-list of the known projects, as commit_issues spells them
select (select count(*) from commits where authored_at <= :now and (:repo = '' or repo = :repo)) as total,
       count(*) as others,
       coalesce(sum(case when exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash
                                         and ci.project in ({projects}))
                         then 1 else 0 end), 0) as others_linked
  from commits c
 where (c.is_merge <> 0 or c.author_key in (select account_key from persons where is_bot = 1 and account_key is not null))
   and c.authored_at <= :now and (:repo = '' or c.repo = :repo)

-- name: commit-counts-of-no-project
-- `commit-counts` when commits name no known project: none is linked.
select (select count(*) from commits where authored_at <= :now and (:repo = '' or repo = :repo)) as total,
       count(*) as others, 0 as others_linked
  from commits c
 where (c.is_merge <> 0 or c.author_key in (select account_key from persons where is_bot = 1 and account_key is not null))
   and c.authored_at <= :now and (:repo = '' or c.repo = :repo)

-- name: linked-commits
-- How many commits name a key, from commit_issues' own primary key.
select (select count(*) from (select distinct repo, hash from commit_issues ci where :repo = '' or ci.repo = :repo) l)
     - (select count(*) from (select distinct ci.repo, ci.hash from commits c cross join commit_issues ci
                               where c.authored_at > :now and (:repo = '' or c.repo = :repo)
                                 and ci.repo = c.repo and ci.hash = c.hash) x) as n

-- name: linked-commits-of-projects
-- How many commits name a key of the known projects.
-- slot: projects  an in-list of the known projects, as commit_issues spells them
select (select count(*) from (select distinct repo, hash from commit_issues ci
                               where ci.project in ({projects}) and (:repo = '' or ci.repo = :repo)) l)
     - (select count(*) from (select distinct ci.repo, ci.hash from commits c cross join commit_issues ci
                               where c.authored_at > :now and (:repo = '' or c.repo = :repo)
                                 and ci.repo = c.repo and ci.hash = c.hash and ci.project in ({projects})) x) as n

-- name: linked-commits-of-no-project
-- No commit names a known project.
select 0 as n

-- name: newest-unlinked
-- The :n newest of people's commits that name no key (their times bound the examples).
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and c.authored_at <= :now and (:repo = '' or c.repo = :repo)
   and not exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash)
 order by c.authored_at desc
 limit :n

-- name: newest-unlinked-of-projects
-- The :n newest of people's commits that name no key of the known projects.
-- slot: projects  an in-list of the known projects, as commit_issues spells them
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and c.authored_at <= :now and (:repo = '' or c.repo = :repo)
   and not exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash
                      and ci.project in ({projects}))
 order by c.authored_at desc
 limit :n

-- name: newest-unlinked-of-no-project
-- The :n newest of people's commits (none names a known project).
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and c.authored_at <= :now and (:repo = '' or c.repo = :repo)
 order by c.authored_at desc
 limit :n

-- name: unlinked-since
-- People's commits that name no key, authored at :since or later (the example candidates).
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and c.authored_at <= :now and (:repo = '' or c.repo = :repo)
   and not exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash)
   and c.authored_at >= :since

-- name: unlinked-since-of-projects
-- People's commits that name no key of the known projects, authored at :since or later.
-- slot: projects  an in-list of the known projects, as commit_issues spells them
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and c.authored_at <= :now and (:repo = '' or c.repo = :repo)
   and not exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash
                      and ci.project in ({projects}))
   and c.authored_at >= :since

-- name: unlinked-since-of-no-project
-- People's commits authored at :since or later (none names a known project).
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and c.authored_at <= :now and (:repo = '' or c.repo = :repo)
   and c.authored_at >= :since

-- name: prs
-- Every PR with the head of its description and whether its author is a bot.
select p.repo, p.number, p.title, p.created_at, substr(p.body, 1, 200) as body_head, ap.is_bot as a_bot
  from pull_requests p
  left join persons ap on ap.account_key = p.author_key
 where coalesce(p.created_at, 0) <= :now and (:repo = '' or p.repo = :repo)

-- name: pr-keys
-- The keys each PR names, or a commit of it names. A commit (pc.hash) belongs to PR p when
-- pr_commits names p's number, in p's repository or in a repository with no PRs of its own (git
-- and GitHub may name the same repository differently). commit_issues is keyed (repo, hash, ...):
-- a PR's commit is looked up in each repository that has links (few) instead of by hash alone,
-- which SQLite would answer by indexing all of commit_issues on every question. `cross join`
-- keeps SQLite's order (the PR's commits first).
select repo, number, issue_key as k from pr_issues
union
select p.repo, p.number, ci.issue_key
  from pull_requests p
  join pr_commits pc on p.number = pc.number
                    and (p.repo = pc.repo or not exists (select 1 from pull_requests x where x.repo = pc.repo))
  cross join (select distinct repo from commit_issues) r
  cross join commit_issues ci
  cross join commits c
 where ci.repo = r.repo and ci.hash = pc.hash and c.repo = ci.repo and c.hash = ci.hash and +c.authored_at <= :now

-- name: done-issues
-- The issues created at or before :now that may be done then: of status category 'done', or with
-- a status change after :now (the module keeps those whose category at :now is 'done'); whether a
-- commit (of :repo) authored by then names the key, or a PR created by then naming it lists a
-- commit not authored later; and whether the row needs its state at :now (`later`).
select i.key, i.summary, i.status_category, i.resolution, i.resolved_at,
  case when exists (select 1 from commit_issues ci join commits c on c.repo = ci.repo and c.hash = ci.hash
                     where ci.issue_key = i.key and +c.authored_at <= :now and (:repo = '' or ci.repo = :repo))
         or exists (select 1 from pr_issues pi
                      join pull_requests p on p.repo = pi.repo and p.number = pi.number
                      join pr_commits pc on pc.repo = pi.repo and pc.number = pi.number
                     where pi.issue_key = i.key and coalesce(p.created_at, 0) <= :now
                       and (:repo = '' or pi.repo = :repo)
                       and not exists (select 1 from commits c where c.hash = pc.hash and c.authored_at > :now))
       then 1 else 0 end as has_commit,
  case when coalesce(i.resolved_at, 0) > :now
         or exists (select 1 from issue_transitions t where t.issue_key = i.key and t.at > :now) then 1 else 0 end as later
  from issues i
 where coalesce(i.created_at, 0) <= :now
   and (lower(i.status_category) = 'done'
        or exists (select 1 from issue_transitions t where t.issue_key = i.key and t.at > :now))

-- name: keys
-- Each distinct key commits name, its project, how many commits name it and whether the issue is
-- ingested.
select ci.issue_key as k, ci.project, count(distinct ci.repo || ':' || ci.hash) as commits,
       max(case when i.key is null then 0 else 1 end) as ingested
  from commit_issues ci
  left join issues i on i.key = ci.issue_key and coalesce(i.created_at, 0) <= :now
 where :repo = '' or ci.repo = :repo
 group by ci.issue_key, ci.project

-- name: keys-as-of
-- `keys` at :now, before the newest commit: the keys commits authored at or before :now name.
select ci.issue_key as k, ci.project, count(distinct ci.repo || ':' || ci.hash) as commits,
       max(case when i.key is null then 0 else 1 end) as ingested
  from commit_issues ci
  join commits c on c.repo = ci.repo and c.hash = ci.hash and +c.authored_at <= :now
  left join issues i on i.key = ci.issue_key and coalesce(i.created_at, 0) <= :now
 where :repo = '' or ci.repo = :repo
 group by ci.issue_key, ci.project

-- name: identities
-- Every account with its person (`persons`): the account's fields are the data checked; the
-- developer's name only where resolution placed the account (the person's name of an account it
-- has not placed is the account's own label, which the report spells its own way).
select i.key, i.source, i.email, i.name, i.login, i.display_name, i.developer_key,
       p.person_key, case when i.developer_key is null then null else p.person_name end as developer_name,
       p.is_bot as bot
  from identities i
  join persons p on p.account_key = i.key

-- name: latest-activity
-- The time of the newest act the store records (commit, PR, review, comment, issue, status
-- change): a `now` at or after it sees every account, so `identities` answers; an earlier one asks
-- `identities-as-of`.
select max(at) as at from (
  select max(authored_at) as at from commits
  union all select max(created_at) from pull_requests
  union all select max(submitted_at) from reviews
  union all select max(created_at) from review_comments
  union all select max(created_at) from pr_comments
  union all select max(created_at) from issues
  union all select max(created_at) from issue_comments
  union all select max(at) from issue_transitions) x

-- name: identities-as-of
-- `identities` at :now: the accounts seen by then (an author, committer, co-author or trailer of a
-- commit authored at or before :now; the author, a reviewer or a requested reviewer of a PR, the
-- author of a comment, the reporter or assignee of an issue, the author of a status change, created
-- by then).
with seen as (
  select author_key as k from commits where authored_at <= :now
  union select committer_key from commits where authored_at <= :now
  union select cp.identity_key from commit_people cp join commits c on c.repo = cp.repo and c.hash = cp.hash
   where c.authored_at <= :now
  union select author_key from pull_requests where coalesce(created_at, 0) <= :now
  union select rr.reviewer_key from review_requests rr
    join pull_requests p on p.repo = rr.repo and p.number = rr.number where coalesce(p.created_at, 0) <= :now
  union select reviewer_key from reviews where coalesce(submitted_at, 0) <= :now
  union select author_key from review_comments where coalesce(created_at, 0) <= :now
  union select author_key from pr_comments where coalesce(created_at, 0) <= :now
  union select reporter_key from issues where coalesce(created_at, 0) <= :now
  union select assignee_key from issues where coalesce(created_at, 0) <= :now
  union select author_key from issue_comments where coalesce(created_at, 0) <= :now
  union select author_key from issue_transitions where at <= :now)
select i.key, i.source, i.email, i.name, i.login, i.display_name, i.developer_key,
       p.person_key, case when i.developer_key is null then null else p.person_name end as developer_name,
       p.is_bot as bot
  from identities i
  join persons p on p.account_key = i.key
 where i.key in (select k from seen)

-- name: merged-prs
-- The PRs merged at or before :now (in :repo), with their author's person.
select p.repo, p.number, p.title, p.merged_at, ap.person_key as a_key
  from pull_requests p
  left join persons ap on ap.account_key = p.author_key
 where p.merged_at is not null and p.merged_at <= :now and (:repo = '' or p.repo = :repo)

-- name: approvals
-- The approving reviews submitted at or before their PR's merge, with the reviewer's person (the
-- module keeps those by someone other than the PR's author).
select r.repo, r.number, rp.person_key as r_key
  from reviews r
  join pull_requests p on p.repo = r.repo and p.number = r.number
  left join persons rp on rp.account_key = r.reviewer_key
 where upper(r.state) = 'APPROVED' and p.merged_at is not null and r.submitted_at is not null
   and r.submitted_at <= p.merged_at and p.merged_at <= :now and (:repo = '' or p.repo = :repo)

-- name: coverage-repos
-- Per repository: the non-merge commits by people (not bots) authored at or before :now, and how
-- many of them name a key that counts (the `links` slot: `1 = 1`, or `ci.project in (...)` for
-- the known projects, as `commit-counts-of-projects` filters).
-- slot: links  the condition on commit_issues ci that makes a key a link
select c.repo as name, count(*) as commits,
       coalesce(sum(case when exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash
                                          and {links}) then 1 else 0 end), 0) as linked
  from commits c
 where c.is_merge = 0 and c.authored_at <= :now and (:repo = '' or c.repo = :repo)
   and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
 group by c.repo

-- name: coverage-components
-- `coverage-repos` per component (the summary table component_commits: one row per commit and
-- component it changed).
-- slot: links  the condition on commit_issues ci that makes a key a link
select cc.component as name, count(*) as commits,
       coalesce(sum(case when exists (select 1 from commit_issues ci where ci.repo = cc.repo and ci.hash = cc.hash
                                          and {links}) then 1 else 0 end), 0) as linked
  from component_commits cc
  join commits c on c.repo = cc.repo and c.hash = cc.hash
 where cc.is_merge = 0 and cc.authored_at <= :now and cc.component <> '' and (:repo = '' or cc.repo = :repo)
   and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
 group by cc.component

-- name: coverage-recent
-- The commits of `coverage-repos` authored in [:since, :now] (the module buckets them by month).
-- slot: links  the condition on commit_issues ci that makes a key a link
select c.authored_at,
       case when exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash and {links})
            then 1 else 0 end as linked
  from commits c
 where c.authored_at >= :since and c.authored_at <= :now and c.is_merge = 0 and (:repo = '' or c.repo = :repo)
   and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)

-- name: first-parent-counts
-- Per repository (of :repo): the commits on the first-parent chain from the ingested head
-- (first_parent_commits, kept at ingest) authored at or before :now, and how many of them a PR
-- holds or merged (listed or merged: few next to the chain, so they probe it, not it them): the
-- listed ones, plus the merge commits no PR lists (counted apart: a union of both sets would be
-- sorted to drop duplicates, ~40% of the statement's time at 100,000 commits).
select r.name as repo,
       (select count(*) from first_parent_commits f where f.repo = r.name and f.authored_at <= :now) as total,
       (select count(distinct pc.hash) from pr_commits pc cross join first_parent_commits f
         where f.repo = r.name and f.hash = pc.hash and f.authored_at <= :now)
     + (select count(distinct p.merge_commit) from pull_requests p cross join first_parent_commits f
         where p.merge_commit <> '' and f.repo = r.name and f.hash = p.merge_commit and f.authored_at <= :now
           and not exists (select 1 from pr_commits pc where pc.hash = p.merge_commit)) as through_pr
  from repositories r
 where (:repo = '' or r.name = :repo)

-- name: first-parent-counts-kept
-- `first-parent-counts` at or after the newest commit, as store/link_counts.py counted it at the
-- last ingest: the rows (of :repo) whose chain's head and PR rows are still those it counted.
select k.repo, k.total, k.through_pr,
       (select count(*) from repositories r where :repo = '' or r.name = :repo) as repos
  from first_parent_pr_counts k
  left join first_parent_heads h on h.repo = k.repo
 where (:repo = '' or k.repo = :repo) and coalesce(h.head, '') = k.head
   and k.pr_commits = (select count(*) from pr_commits)
   and k.merges = (select count(*) from pull_requests where merge_commit <> '')

-- name: newest-direct
-- The :n newest first-parent commits of :repo authored at or before :now that came through no PR
-- (ties by hash), with their subjects: the examples.
select f.hash, c.subject, f.authored_at
  from first_parent_commits f
  join commits c on c.repo = f.repo and c.hash = f.hash
 where f.repo = :repo and f.authored_at <= :now
   and not exists (select 1 from pr_commits pc where pc.hash = f.hash)
   and not exists (select 1 from pull_requests p where p.merge_commit = f.hash)
 order by f.authored_at desc, f.hash
 limit :n

-- name: link-counts
-- The commits per repository and UTC month (component '') and per component of a repository
-- (month -1), merge or not, by the projects their keys name (a JSON list): store/link_counts.py
-- keeps them at ingest, so a `now` at or after the newest commit reads these instead of probing
-- commit_issues for every commit.
select repo, component, month, is_merge, projects, commits
  from commit_link_counts
 where :repo = '' or repo = :repo

-- name: link-counts-state
-- Whether link-counts answers: the link rules the counts were built under (store/link_counts.py's
-- cursor, gone when they went stale) against the rules the links were derived by, and how many
-- commits (of :repo) the store holds against how many the counts hold (a write outside an ingest
-- leaves them behind).
select (select value from cursors where source = 'derive' and target = 'commit_link_counts') as built,
       (select value from cursors where source = 'derive' and target = 'link_rules') as rules,
       (select count(*) from commits where :repo = '' or repo = :repo) as commits

-- name: bot-link-commits
-- The non-merge commits of bots (in :repo), as link-counts holds them: once with the component ''
-- (the repository's row) and once per component they changed. The counts keep bots' commits
-- (which accounts are bots is config's and identity resolution's), so the module subtracts these.
select c.repo, c.authored_at, h.projects, '' as component
  from commits c
  join commit_hygiene h on h.repo = c.repo and h.hash = c.hash
 where c.is_merge = 0 and (:repo = '' or c.repo = :repo)
   and c.author_key in (select account_key from persons where is_bot = 1 and account_key is not null)
union all
select c.repo, c.authored_at, h.projects, cc.component
  from commits c
  join commit_hygiene h on h.repo = c.repo and h.hash = c.hash
  join component_commits cc on cc.repo = c.repo and cc.hash = c.hash
 where c.is_merge = 0 and cc.component <> '' and (:repo = '' or c.repo = :repo)
   and c.author_key in (select account_key from persons where is_bot = 1 and account_key is not null)
