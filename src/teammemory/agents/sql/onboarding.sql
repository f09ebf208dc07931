-- The reading list of a component (agents/onboarding.py): its issues, PRs and files, each with the
-- facts their scores count; the module scores and orders them.
--
-- The first four statements share one scope, written out in each (the component :component matched in
-- any letter case; files.component is indexed on lower(component)):
--   comp_files    the component's files;
--   comp_commits  its non-merge commits, from the summary table component_commits (store/summaries.py),
--                 so a component holding most of a long history is still read as one index range;
--   comp_prs      (PR, component path) for each PR listing a component file, or containing a commit
--                 that changed one. A commit (pc.hash) belongs to PR p when pr_commits names p's
--                 number, in p's repository or in a repository with no PRs of its own (git and GitHub
--                 may name the same repository differently, so a git-side "Merge pull request #N"
--                 still counts). `cross join` keeps SQLite's order: from the PRs (few) outward to
--                 their commits, then the component's commits among them (18-35 ms -> 2 ms on the
--                 100k bench store, against starting from the component's commits). The commit is
--                 matched as `cc.hash >= pc.hash and cc.hash <= pc.hash` (the same rows as `=`): on
--                 an equality SQLite builds a Bloom filter over all the component's commits first
--                 (~25 ms at 100k for a PR or two); on the range it probes the primary key per commit;
--   comp_issues   (key, how it was found) for the issues of the Jira component, named by its commits,
--                 or named by its PRs.
-- As of :now, in :repo ('' = every repository): the component's files are those a commit authored
-- at or before :now changed, its commits those authored by then, its PRs those created by then;
-- only issues created, comments written and reviews submitted at or before :now count (the
-- module reads each issue's status and each PR's state at :now, agents/issue_state.py).

-- name: issues
-- The component's ingested issues, once per way each was found.
with comp_files as (
  select f.repo, f.path from files f
   where lower(f.component) = lower(:component) and (:repo = '' or f.repo = :repo)
     and exists (select 1 from file_first_seen s  -- a commit authored at or before :now changed it
                  where s.path = f.path and s.repo = f.repo and s.first_at <= :now)),
comp_commits as (
  select cc.repo, cc.hash from component_commits cc
   where cc.component in (select distinct component from files where lower(component) = lower(:component))
     and cc.is_merge = 0 and cc.authored_at <= :now and (:repo = '' or cc.repo = :repo)),
comp_prs as (
  select pf.repo, pf.number, pf.path from comp_files f join pr_files pf on pf.path = f.path
    join pull_requests p on p.repo = pf.repo and p.number = pf.number and coalesce(p.created_at, 0) <= :now
   where :repo = '' or pf.repo = :repo
  union
  select p.repo, p.number, cf.path from pull_requests p cross join pr_commits pc cross join comp_commits cc
    join commit_files cf on cf.repo = cc.repo and cf.hash = cc.hash
    join files f on f.repo = cf.repo and f.path = cf.path and lower(f.component) = lower(:component)
   where p.number = pc.number and (p.repo = pc.repo or not exists (select 1 from pull_requests x where x.repo = pc.repo))
     and cc.hash >= pc.hash and cc.hash <= pc.hash and coalesce(p.created_at, 0) <= :now and (:repo = '' or p.repo = :repo)),
comp_issues as (
  select ic.issue_key as k, 'Jira component ' || ic.component as found_by from issue_components ic
   where lower(ic.component) = lower(:component)
  union
  select ci.issue_key, 'its commits change the component' from comp_commits cc
    join commit_issues ci on ci.repo = cc.repo and ci.hash = cc.hash
  union
  select pi.issue_key, 'its PRs change the component' from comp_prs cp
    join pr_issues pi on pi.repo = cp.repo and pi.number = cp.number)
select x.found_by, i.key, i.summary, i.status, i.issue_type, i.created_at, i.updated_at
  from comp_issues x join issues i on i.key = x.k and coalesce(i.created_at, 0) <= :now

-- name: issue-facts
-- The facts ISSUE_FORMULA counts, (key, kind, ref) for each of the component's ingested issues:
-- non-merge commits naming the key, PRs naming it or containing such a commit, Jira comments, and
-- links on either side.
with comp_files as (
  select f.repo, f.path from files f
   where lower(f.component) = lower(:component) and (:repo = '' or f.repo = :repo)
     and exists (select 1 from file_first_seen s  -- a commit authored at or before :now changed it
                  where s.path = f.path and s.repo = f.repo and s.first_at <= :now)),
comp_commits as (
  select cc.repo, cc.hash from component_commits cc
   where cc.component in (select distinct component from files where lower(component) = lower(:component))
     and cc.is_merge = 0 and cc.authored_at <= :now and (:repo = '' or cc.repo = :repo)),
comp_prs as (
  select pf.repo, pf.number, pf.path from comp_files f join pr_files pf on pf.path = f.path
    join pull_requests p on p.repo = pf.repo and p.number = pf.number and coalesce(p.created_at, 0) <= :now
   where :repo = '' or pf.repo = :repo
  union
  select p.repo, p.number, cf.path from pull_requests p cross join pr_commits pc cross join comp_commits cc
    join commit_files cf on cf.repo = cc.repo and cf.hash = cc.hash
    join files f on f.repo = cf.repo and f.path = cf.path and lower(f.component) = lower(:component)
   where p.number = pc.number and (p.repo = pc.repo or not exists (select 1 from pull_requests x where x.repo = pc.repo))
     and cc.hash >= pc.hash and cc.hash <= pc.hash and coalesce(p.created_at, 0) <= :now and (:repo = '' or p.repo = :repo)),
comp_issues as (
  select ic.issue_key as k, 'Jira component ' || ic.component as found_by from issue_components ic
   where lower(ic.component) = lower(:component)
  union
  select ci.issue_key, 'its commits change the component' from comp_commits cc
    join commit_issues ci on ci.repo = cc.repo and ci.hash = cc.hash
  union
  select pi.issue_key, 'its PRs change the component' from comp_prs cp
    join pr_issues pi on pi.repo = cp.repo and pi.number = cp.number),
keys as (select distinct x.k from comp_issues x join issues i on i.key = x.k and coalesce(i.created_at, 0) <= :now)
select ci.issue_key as k, 'commit' as kind, ci.repo || ':' || ci.hash as ref from keys
  join commit_issues ci on ci.issue_key = keys.k
  join commits c on c.repo = ci.repo and c.hash = ci.hash and c.is_merge = 0 and +c.authored_at <= :now
 where :repo = '' or ci.repo = :repo
union
select pi.issue_key, 'pr', pi.repo || '#' || cast(pi.number as varchar(12)) from keys
  join pr_issues pi on pi.issue_key = keys.k
  join pull_requests p on p.repo = pi.repo and p.number = pi.number and coalesce(p.created_at, 0) <= :now
 where :repo = '' or pi.repo = :repo
union
select ci.issue_key, 'pr', p.repo || '#' || cast(p.number as varchar(12)) from keys
  join commit_issues ci on ci.issue_key = keys.k
  join commits c on c.repo = ci.repo and c.hash = ci.hash and +c.authored_at <= :now
  join pr_commits pc on pc.hash = ci.hash
  join pull_requests p on p.number = pc.number
                      and (p.repo = pc.repo or not exists (select 1 from pull_requests x where x.repo = pc.repo))
 where coalesce(p.created_at, 0) <= :now and (:repo = '' or p.repo = :repo)
union
select m.issue_key, 'comment', m.comment_id from keys join issue_comments m on m.issue_key = keys.k
 where coalesce(m.created_at, 0) <= :now
union
select l.issue_key, 'link', l.other_key || ' ' || l.link_type from keys
  join issue_links l on l.issue_key = keys.k
 where not exists (select 1 from issues o where o.key = l.other_key and o.created_at > :now)
union
select l.other_key, 'link', l.issue_key || ' ' || l.link_type from keys
  join issue_links l on l.other_key = keys.k
 where not exists (select 1 from issues o where o.key = l.issue_key and o.created_at > :now)

-- name: prs
-- The component's PRs with their author's person (`persons`; the module leaves bots' PRs out).
with comp_files as (
  select f.repo, f.path from files f
   where lower(f.component) = lower(:component) and (:repo = '' or f.repo = :repo)
     and exists (select 1 from file_first_seen s  -- a commit authored at or before :now changed it
                  where s.path = f.path and s.repo = f.repo and s.first_at <= :now)),
comp_commits as (
  select cc.repo, cc.hash from component_commits cc
   where cc.component in (select distinct component from files where lower(component) = lower(:component))
     and cc.is_merge = 0 and cc.authored_at <= :now and (:repo = '' or cc.repo = :repo)),
comp_prs as (
  select pf.repo, pf.number, pf.path from comp_files f join pr_files pf on pf.path = f.path
    join pull_requests p on p.repo = pf.repo and p.number = pf.number and coalesce(p.created_at, 0) <= :now
   where :repo = '' or pf.repo = :repo
  union
  select p.repo, p.number, cf.path from pull_requests p cross join pr_commits pc cross join comp_commits cc
    join commit_files cf on cf.repo = cc.repo and cf.hash = cc.hash
    join files f on f.repo = cf.repo and f.path = cf.path and lower(f.component) = lower(:component)
   where p.number = pc.number and (p.repo = pc.repo or not exists (select 1 from pull_requests x where x.repo = pc.repo))
     and cc.hash >= pc.hash and cc.hash <= pc.hash and coalesce(p.created_at, 0) <= :now and (:repo = '' or p.repo = :repo)),
comp_issues as (
  select ic.issue_key as k, 'Jira component ' || ic.component as found_by from issue_components ic
   where lower(ic.component) = lower(:component)
  union
  select ci.issue_key, 'its commits change the component' from comp_commits cc
    join commit_issues ci on ci.repo = cc.repo and ci.hash = cc.hash
  union
  select pi.issue_key, 'its PRs change the component' from comp_prs cp
    join pr_issues pi on pi.repo = cp.repo and pi.number = cp.number)
select distinct p.repo, p.number, p.title, p.state, p.merged_at, p.closed_at, p.created_at,
       ap.person_key as a_key, ap.person_name as a_name, ap.is_bot as a_bot
  from comp_prs cp join pull_requests p on p.repo = cp.repo and p.number = cp.number
  left join persons ap on ap.account_key = p.author_key

-- name: pr-facts
-- The facts PR_FORMULA counts, (repo, number, kind, ref) for each of the component's PRs: its
-- component files, reviews, review comments, comments, and issue keys it or one of its commits
-- names.
with comp_files as (
  select f.repo, f.path from files f
   where lower(f.component) = lower(:component) and (:repo = '' or f.repo = :repo)
     and exists (select 1 from file_first_seen s  -- a commit authored at or before :now changed it
                  where s.path = f.path and s.repo = f.repo and s.first_at <= :now)),
comp_commits as (
  select cc.repo, cc.hash from component_commits cc
   where cc.component in (select distinct component from files where lower(component) = lower(:component))
     and cc.is_merge = 0 and cc.authored_at <= :now and (:repo = '' or cc.repo = :repo)),
comp_prs as (
  select pf.repo, pf.number, pf.path from comp_files f join pr_files pf on pf.path = f.path
    join pull_requests p on p.repo = pf.repo and p.number = pf.number and coalesce(p.created_at, 0) <= :now
   where :repo = '' or pf.repo = :repo
  union
  select p.repo, p.number, cf.path from pull_requests p cross join pr_commits pc cross join comp_commits cc
    join commit_files cf on cf.repo = cc.repo and cf.hash = cc.hash
    join files f on f.repo = cf.repo and f.path = cf.path and lower(f.component) = lower(:component)
   where p.number = pc.number and (p.repo = pc.repo or not exists (select 1 from pull_requests x where x.repo = pc.repo))
     and cc.hash >= pc.hash and cc.hash <= pc.hash and coalesce(p.created_at, 0) <= :now and (:repo = '' or p.repo = :repo)),
comp_issues as (
  select ic.issue_key as k, 'Jira component ' || ic.component as found_by from issue_components ic
   where lower(ic.component) = lower(:component)
  union
  select ci.issue_key, 'its commits change the component' from comp_commits cc
    join commit_issues ci on ci.repo = cc.repo and ci.hash = cc.hash
  union
  select pi.issue_key, 'its PRs change the component' from comp_prs cp
    join pr_issues pi on pi.repo = cp.repo and pi.number = cp.number),
prs as (select distinct cp.repo, cp.number from comp_prs cp
  join pull_requests p on p.repo = cp.repo and p.number = cp.number)
select cp.repo, cp.number, 'file' as kind, cp.path as ref from comp_prs cp
union
select v.repo, v.number, 'review', v.review_id from prs
  join reviews v on v.repo = prs.repo and v.number = prs.number
 where coalesce(v.submitted_at, 0) <= :now
union
select m.repo, m.number, 'review_comment', m.comment_id from prs
  join review_comments m on m.repo = prs.repo and m.number = prs.number
 where coalesce(m.created_at, 0) <= :now
union
select m.repo, m.number, 'comment', m.comment_id from prs
  join pr_comments m on m.repo = prs.repo and m.number = prs.number
 where coalesce(m.created_at, 0) <= :now
union
select pi.repo, pi.number, 'issue', pi.issue_key from prs
  join pr_issues pi on pi.repo = prs.repo and pi.number = prs.number
union
select p.repo, p.number, 'issue', ci.issue_key from prs
  join pull_requests p on p.repo = prs.repo and p.number = prs.number
  join pr_commits pc on p.number = pc.number
                    and (p.repo = pc.repo or not exists (select 1 from pull_requests x where x.repo = pc.repo))
  join commit_issues ci on ci.hash = pc.hash
  join commits c on c.repo = ci.repo and c.hash = ci.hash and +c.authored_at <= :now

-- name: files
-- Per component file: non-merge commits, churn and last change summed from the summary table
-- file_authors (a component's history can be most of the store's), and the distinct non-bot
-- people among its authors (`persons`). `cross join`: the component's files first, then their
-- authors. The sums are cast back to bigint: PostgreSQL sums bigints as numeric.
select x.path, cast(sum(x.commits) as bigint) as commits, cast(sum(x.churn) as bigint) as churn,
       max(x.last_at) as last_at, count(distinct case when x.w_bot = 0 then x.w_key end) as people
  from (select fa.path, fa.commits, fa.churn, fa.last_at, wp.person_key as w_key, wp.is_bot as w_bot
          from files f cross join file_authors fa
          left join persons wp on wp.account_key = fa.identity_key
         where lower(f.component) = lower(:component) and (:repo = '' or f.repo = :repo)
           and fa.repo = f.repo and fa.path = f.path) x
 group by x.path

-- name: files-as-of
-- `files` at :now (before the newest commit, where the summary's sums would count later work):
-- the same totals from the non-merge commits authored at or before :now, per author identity as
-- file_authors keeps them.
select x.path, cast(sum(x.commits) as bigint) as commits, cast(sum(x.churn) as bigint) as churn,
       max(x.last_at) as last_at, count(distinct case when x.w_bot = 0 then x.w_key end) as people
  from (select fa.path, fa.commits, fa.churn, fa.last_at, wp.person_key as w_key, wp.is_bot as w_bot
          from (select cf.repo, cf.path, c.author_key as identity_key, count(*) as commits,
                       sum(cf.added + cf.deleted) as churn, max(c.authored_at) as last_at
                  from files f cross join commit_files cf cross join commits c
                 where lower(f.component) = lower(:component) and (:repo = '' or f.repo = :repo)
                   and cf.repo = f.repo and cf.path = f.path and c.repo = cf.repo and c.hash = cf.hash
                   and c.is_merge = 0 and +c.authored_at <= :now
                 group by cf.repo, cf.path, c.author_key) fa
          left join persons wp on wp.account_key = fa.identity_key) x
 group by x.path

-- name: any-issue
-- Whether the store holds any issue (else the issue statements are skipped).
select 1 as x from issues limit 1

-- name: any-pr
-- Whether the store holds any PR (else the PR statements are skipped).
select 1 as x from pull_requests limit 1

-- name: jira-components
-- Every Jira component of an issue created at or before :now (with the files' components, the
-- names a component is looked up among).
select distinct ic.component as c
  from issue_components ic join issues i on i.key = ic.issue_key
 where coalesce(i.created_at, 0) <= :now

-- name: any-incident
-- Whether the store holds any postmortem or any issue (incidents.load reads nothing else; with
-- neither the component has no incidents and agents/incidents.py is not even imported).
select 1 as x from (select 1 as x from incidents limit 1) a
union all
select 1 as x from (select 1 as x from issues limit 1) b

-- name: component-paths
-- The files whose component is the name in any letter case (as `files` matches it), with their
-- repository and spelling, when :now sees every commit (else `component-paths-as-of`): onboarding
-- finds the component and its existing files here instead of among every file of the store.
select f.repo, f.path, f.component
  from files f
 where lower(f.component) = lower(:component) and (:repo = '' or f.repo = :repo)

-- name: component-paths-as-of
-- `component-paths` of the files a commit authored at or before :now had changed (file_first_seen,
-- as paths.sql's paths-as-of).
select f.repo, f.path, f.component
  from files f
  join file_first_seen s on s.path = f.path and s.repo = f.repo
 where lower(f.component) = lower(:component) and (:repo = '' or f.repo = :repo) and s.first_at <= :now
