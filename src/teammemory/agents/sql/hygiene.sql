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

-- name: issue-projects
-- The projects of the ingested issues (known projects, with config.project_keys).
select distinct project
  from issues

-- name: commit-projects
-- The projects the keys commits name are of.
select distinct project
  from commit_issues

-- name: commit-counts
-- All commits, the commits that are not people's work (merges, bots' commits), and how many of
-- those name a key.
select (select count(*) from commits) as total, count(*) as others,
       coalesce(sum(case when exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash)
                         then 1 else 0 end), 0) as others_linked
  from commits c
 where c.is_merge <> 0 or c.author_key in (select account_key from persons where is_bot = 1 and account_key is not null)

-- name: commit-counts-of-projects
-- `commit-counts`, linked by keys of the known projects only.
-- slot: projects  an in-list of the known projects, as commit_issues spells them
select (select count(*) from commits) as total, count(*) as others,
       coalesce(sum(case when exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash
                                         and ci.project in ({projects}))
                         then 1 else 0 end), 0) as others_linked
  from commits c
 where c.is_merge <> 0 or c.author_key in (select account_key from persons where is_bot = 1 and account_key is not null)

-- name: commit-counts-of-no-project
-- `commit-counts` when commits name no known project: none is linked.
select (select count(*) from commits) as total, count(*) as others, 0 as others_linked
  from commits c
 where c.is_merge <> 0 or c.author_key in (select account_key from persons where is_bot = 1 and account_key is not null)

-- name: linked-commits
-- How many commits name a key, from commit_issues' own primary key.
select count(*) as n
  from (select distinct repo, hash from commit_issues ci) l

-- name: linked-commits-of-projects
-- How many commits name a key of the known projects.
-- slot: projects  an in-list of the known projects, as commit_issues spells them
select count(*) as n
  from (select distinct repo, hash from commit_issues ci where ci.project in ({projects})) l

-- name: linked-commits-of-no-project
-- No commit names a known project.
select 0 as n

-- name: newest-unlinked
-- The :n newest of people's commits that name no key (their times bound the examples).
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and not exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash)
 order by c.authored_at desc
 limit :n

-- name: newest-unlinked-of-projects
-- The :n newest of people's commits that name no key of the known projects.
-- slot: projects  an in-list of the known projects, as commit_issues spells them
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and not exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash
                      and ci.project in ({projects}))
 order by c.authored_at desc
 limit :n

-- name: newest-unlinked-of-no-project
-- The :n newest of people's commits (none names a known project).
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
 order by c.authored_at desc
 limit :n

-- name: unlinked-since
-- People's commits that name no key, authored at :since or later (the example candidates).
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and not exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash)
   and c.authored_at >= :since

-- name: unlinked-since-of-projects
-- People's commits that name no key of the known projects, authored at :since or later.
-- slot: projects  an in-list of the known projects, as commit_issues spells them
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and not exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash
                      and ci.project in ({projects}))
   and c.authored_at >= :since

-- name: unlinked-since-of-no-project
-- People's commits authored at :since or later (none names a known project).
select c.repo, c.hash, c.subject, c.authored_at
  from commits c
 where c.is_merge = 0 and c.author_key not in (select account_key from persons where is_bot = 1 and account_key is not null)
   and c.authored_at >= :since

-- name: prs
-- Every PR with the head of its description and whether its author is a bot.
select p.repo, p.number, p.title, p.created_at, substr(p.body, 1, 200) as body_head, ap.is_bot as a_bot
  from pull_requests p
  left join persons ap on ap.account_key = p.author_key

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
 where ci.repo = r.repo and ci.hash = pc.hash

-- name: done-issues
-- Issues of status category 'done', and whether a commit names the key or a PR naming it lists a
-- commit.
select i.key, i.summary, i.resolution, i.resolved_at,
  case when exists (select 1 from commit_issues ci where ci.issue_key = i.key)
         or exists (select 1 from pr_issues pi
                      join pr_commits pc on pc.repo = pi.repo and pc.number = pi.number
                     where pi.issue_key = i.key) then 1 else 0 end as has_commit
  from issues i
 where lower(i.status_category) = 'done'

-- name: keys
-- Each distinct key commits name, its project, how many commits name it and whether the issue is
-- ingested.
select ci.issue_key as k, ci.project, count(distinct ci.repo || ':' || ci.hash) as commits,
       max(case when i.key is null then 0 else 1 end) as ingested
  from commit_issues ci
  left join issues i on i.key = ci.issue_key
 group by ci.issue_key, ci.project

-- name: file-count
-- How many files the store knows.
select count(*) as n
  from files

-- name: files-without-component
-- The files no config rule gave a component.
select repo, path, component
  from files
 where component = '' or component is null

-- name: identities
-- Every account with its person (`persons`): the account's fields are the data checked; the
-- developer's name only where resolution placed the account (the person's name of an account it
-- has not placed is the account's own label, which the report spells its own way).
select i.key, i.source, i.email, i.name, i.login, i.display_name, i.developer_key,
       p.person_key, case when i.developer_key is null then null else p.person_name end as developer_name,
       p.is_bot as bot
  from identities i
  join persons p on p.account_key = i.key
