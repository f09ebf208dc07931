-- Context of an issue (agents/context_issue.py): the issue, and the PRs, commits, files, people,
-- links and status changes the store ties to its key. People are read from the `persons` view
-- (store/migrations/0003_persons.sql), joined per person column.
--
-- PR of a commit: commit pc.hash belongs to PR p when pr_commits names p's number, either in p's
-- repository or in a repository with no PRs of its own (git and GitHub may name the same
-- repository differently, so a git-side "Merge pull request #N" still counts). Written out where
-- it is used: `p.number = pc.number and (p.repo = pc.repo or not exists (select 1 from
-- pull_requests x where x.repo = pc.repo))`.
--
-- The PRs, commits, files and people statements start from the same two CTEs:
--   related_prs    PRs naming the key (pr_issues), and PRs containing a commit linked to it
--                  (commit_issues -> pr_commits, PR of a commit as above);
--   issue_commits  commits naming the key (commit_issues), and the commits of related_prs.
--
-- As of :now: an issue or PR created after :now does not exist yet; only commits authored,
-- reviews submitted, comments written and status changes made at or before :now count
-- (context_issue reads the issue's status at :now from its status changes, issue_state.py).
-- PR times are checked by key lookups (`not exists ... x.created_at > :now`) so that scans of
-- pull_requests stay on its covering primary-key index; `+c.authored_at` keeps SQLite from
-- trading the commits primary key for the commits_time index.
-- The issue's commits are matched as `(c.repo, c.hash) in (select ... from issue_commits)`: a
-- join from the CTE makes SQLite (given the statistics ANALYZE leaves after an ingest) build a
-- Bloom filter over all of `commits` first, ~50 ms on 100,000 commits, for a few dozen lookups
-- (tests/agents/test_query_plans.py).

-- name: issue
-- The ingested issue whose key is :key in any letter case, with its reporter's and assignee's person.
select i.key, i.summary, i.description, i.status, i.status_category, i.priority, i.issue_type,
       i.resolution, i.created_at, i.resolved_at, i.url,
       rp.person_key as r_key, rp.person_name as r_name,
       sp.person_key as s_key, sp.person_name as s_name
  from issues i
  left join persons rp on rp.account_key = i.reporter_key
  left join persons sp on sp.account_key = i.assignee_key
 where lower(i.key) = lower(:key) and coalesce(i.created_at, 0) <= :now

-- name: referenced-keys
-- The key as commits and PRs spell it (:key in any letter case), for an issue never ingested.
select distinct ci.issue_key from commit_issues ci
  join commits c on c.repo = ci.repo and c.hash = ci.hash
 where lower(ci.issue_key) = lower(:key) and +c.authored_at <= :now
union
select distinct pi.issue_key from pr_issues pi
 where lower(pi.issue_key) = lower(:key)
   and not exists (select 1 from pull_requests x where x.repo = pi.repo and x.number = pi.number
                                                  and x.created_at > :now)

-- name: project-keys
-- The ingested keys of project :project (any letter case): the suggestions for an unknown key.
select key from issues where lower(project) = lower(:project) and coalesce(created_at, 0) <= :now

-- name: all-keys
-- Every ingested key: the suggestions for an unknown key whose project has none.
select key from issues where coalesce(created_at, 0) <= :now

-- name: components
-- The issue's components.
select component from issue_components where issue_key = :key

-- name: prs
-- The related PRs (see the header), one row per way each was found, with the author's person.
with related_prs as (
  select pi.repo, pi.number, pi.found_by
    from pr_issues pi where pi.issue_key = :key
     and not exists (select 1 from pull_requests x where x.repo = pi.repo and x.number = pi.number
                                                    and x.created_at > :now)
  union
  select p.repo, p.number, 'contains commit ' || substr(ci.hash, 1, 7) || ' linked to ' || ci.issue_key
    from commit_issues ci join pr_commits pc on pc.hash = ci.hash
    join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
   where ci.issue_key = :key
     and not exists (select 1 from pull_requests x where x.repo = p.repo and x.number = p.number
                                                    and x.created_at > :now)
     and exists (select 1 from commits c0 where c0.repo = ci.repo and c0.hash = ci.hash and +c0.authored_at <= :now)
)
select p.repo, p.number, p.title, p.state, p.merged_at, p.closed_at, p.created_at, r.found_by,
       ap.person_key as a_key, ap.person_name as a_name
  from related_prs r join pull_requests p on p.repo = r.repo and p.number = r.number
  left join persons ap on ap.account_key = p.author_key

-- name: commits
-- The issue's commits (see the header), one row per way each was found, with the author's person.
-- Python keeps those authored at or before :now (a bound here makes SQLite read `persons` first).
with related_prs as (
  select pi.repo, pi.number, pi.found_by
    from pr_issues pi where pi.issue_key = :key
     and not exists (select 1 from pull_requests x where x.repo = pi.repo and x.number = pi.number
                                                    and x.created_at > :now)
  union
  select p.repo, p.number, 'contains commit ' || substr(ci.hash, 1, 7) || ' linked to ' || ci.issue_key
    from commit_issues ci join pr_commits pc on pc.hash = ci.hash
    join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
   where ci.issue_key = :key
     and not exists (select 1 from pull_requests x where x.repo = p.repo and x.number = p.number
                                                    and x.created_at > :now)
     and exists (select 1 from commits c0 where c0.repo = ci.repo and c0.hash = ci.hash and +c0.authored_at <= :now)
),
issue_commits as (
  select ci.repo, ci.hash, ci.found_by from commit_issues ci where ci.issue_key = :key
  union
  select c.repo, c.hash, 'in PR #' || cast(r.number as varchar(12)) as found_by
    from related_prs r join pr_commits pc on pc.number = r.number and (pc.repo = r.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
    join commits c on c.hash = pc.hash
)
select c.repo, c.hash, c.subject, c.authored_at, c.is_merge, ic.found_by,
       ap.person_key as a_key, ap.person_name as a_name
  from issue_commits ic join commits c on c.repo = ic.repo and c.hash = ic.hash
  left join persons ap on ap.account_key = c.author_key

-- name: files
-- The changes of the issue's non-merge commits (see the header): one row per (commit, path).
-- `cross join` keeps SQLite going from the issue's few commits to their files.
with related_prs as (
  select pi.repo, pi.number, pi.found_by
    from pr_issues pi where pi.issue_key = :key
     and not exists (select 1 from pull_requests x where x.repo = pi.repo and x.number = pi.number
                                                    and x.created_at > :now)
  union
  select p.repo, p.number, 'contains commit ' || substr(ci.hash, 1, 7) || ' linked to ' || ci.issue_key
    from commit_issues ci join pr_commits pc on pc.hash = ci.hash
    join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
   where ci.issue_key = :key
     and not exists (select 1 from pull_requests x where x.repo = p.repo and x.number = p.number
                                                    and x.created_at > :now)
     and exists (select 1 from commits c0 where c0.repo = ci.repo and c0.hash = ci.hash and +c0.authored_at <= :now)
),
issue_commits as (
  select ci.repo, ci.hash, ci.found_by from commit_issues ci where ci.issue_key = :key
  union
  select c.repo, c.hash, 'in PR #' || cast(r.number as varchar(12)) as found_by
    from related_prs r join pr_commits pc on pc.number = r.number and (pc.repo = r.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
    join commits c on c.hash = pc.hash
)
select distinct cf.repo, cf.hash, cf.path, cf.added, cf.deleted
  from commits c cross join commit_files cf
 where (c.repo, c.hash) in (select repo, hash from issue_commits) and c.is_merge = 0 and +c.authored_at <= :now
   and cf.repo = c.repo and cf.hash = c.hash

-- name: people
-- Who acted on the issue, one row per (role, act, person): authors and co-authors of its non-merge
-- commits, authors of the related PRs (see the header), their reviewers and the `Reviewers:`
-- trailer reviewers of those commits (one act per commit reviewed), and commenters on the
-- issue, the PRs and their reviews. `ref` names the act, so Python counts each act once.
with related_prs as (
  select pi.repo, pi.number, pi.found_by
    from pr_issues pi where pi.issue_key = :key
     and not exists (select 1 from pull_requests x where x.repo = pi.repo and x.number = pi.number
                                                    and x.created_at > :now)
  union
  select p.repo, p.number, 'contains commit ' || substr(ci.hash, 1, 7) || ' linked to ' || ci.issue_key
    from commit_issues ci join pr_commits pc on pc.hash = ci.hash
    join pull_requests p on p.number = pc.number and (p.repo = pc.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
   where ci.issue_key = :key
     and not exists (select 1 from pull_requests x where x.repo = p.repo and x.number = p.number
                                                    and x.created_at > :now)
     and exists (select 1 from commits c0 where c0.repo = ci.repo and c0.hash = ci.hash and +c0.authored_at <= :now)
),
issue_commits as (
  select ci.repo, ci.hash, ci.found_by from commit_issues ci where ci.issue_key = :key
  union
  select c.repo, c.hash, 'in PR #' || cast(r.number as varchar(12)) as found_by
    from related_prs r join pr_commits pc on pc.number = r.number and (pc.repo = r.repo or not exists
         (select 1 from pull_requests x where x.repo = pc.repo))
    join commits c on c.hash = pc.hash
),
facts as (
  select distinct 'author' as role, cp.identity_key as ik, 'c:' || c.repo || ':' || c.hash as ref
    from commits c join commit_people cp on cp.repo = c.repo and cp.hash = c.hash and cp.role in ('author', 'co-author')
   where (c.repo, c.hash) in (select repo, hash from issue_commits) and c.is_merge = 0 and +c.authored_at <= :now
  union all
  select distinct 'author', p.author_key, 'p:' || p.repo || ':' || cast(p.number as varchar(12))
    from related_prs r join pull_requests p on p.repo = r.repo and p.number = r.number
  union all
  select distinct 'reviewer', v.reviewer_key, 'v:' || v.repo || ':' || v.review_id
    from related_prs r join reviews v on v.repo = r.repo and v.number = r.number
   where coalesce(v.submitted_at, 0) <= :now
  union all
  select distinct 'reviewer', cp.identity_key, 't:' || c.repo || ':' || c.hash
    from commits c join commit_people cp on cp.repo = c.repo and cp.hash = c.hash and cp.role = 'reviewer'
   where (c.repo, c.hash) in (select repo, hash from issue_commits) and c.is_merge = 0 and +c.authored_at <= :now
  union all
  select 'commenter', m.author_key, 'j:' || m.comment_id from issue_comments m where m.issue_key = :key
                                                      and coalesce(m.created_at, 0) <= :now
  union all
  select distinct 'commenter', m.author_key, 'g:' || m.repo || ':' || m.comment_id
    from related_prs r join pr_comments m on m.repo = r.repo and m.number = r.number
   where coalesce(m.created_at, 0) <= :now
  union all
  select distinct 'commenter', m.author_key, 'rc:' || m.repo || ':' || m.comment_id
    from related_prs r join review_comments m on m.repo = r.repo and m.number = r.number
   where coalesce(m.created_at, 0) <= :now
)
select f.role, f.ref, wp.person_key as w_key, wp.person_name as w_name, wp.is_bot as w_bot
  from facts f
  left join persons wp on wp.account_key = f.ik
 where f.ik is not null

-- name: links
-- The issue's links in both directions (a link stored on the other issue is read inverted), with
-- the other issue's summary and status (null when it was never ingested).
select l.other_key, l.link_type, l.direction, l.description, o.summary, o.status
  from issue_links l left join issues o on o.key = l.other_key where l.issue_key = :key
union all
select l.issue_key, l.link_type, case when l.direction = 'outward' then 'inward' else 'outward' end, '',
       o.summary, o.status
  from issue_links l left join issues o on o.key = l.issue_key where l.other_key = :key

-- name: transitions
-- The issue's status changes, with the name of the person who made each.
select t.at, t.from_status, t.to_status, tp.person_name as t_name
  from issue_transitions t
  left join persons tp on tp.account_key = t.author_key
 where t.issue_key = :key and t.at <= :now
