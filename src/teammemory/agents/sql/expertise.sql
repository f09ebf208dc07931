-- The SQL behind `expertise` (read by agents/expertise_activity.py), and so behind the file
-- expertise that `review_routing` sums.
--
-- `file-activity` reads the commits, reviews and comments on target files given as spans (a file
-- and its earlier names, each up to its rename): one row per (commit, file, account, role), per
-- review and per comment. A component's history is most of the store's, so its commits are not
-- returned as rows: `component-*` count them per person in SQL from the summary table
-- component_people (store/summaries.py), which is exact because `rank` counts distinct commits
-- and sums churn once per commit.
--
-- Every join is written target-first (`cross join` fixes SQLite's join order, PostgreSQL reorders
-- it freely), so the work grows with the target's history, not the store's. `tc`, used three
-- times, is materialized once by both backends. A component's reviews and comments are asked for
-- only when the store holds any (`any-other`): a git-only store never builds the sets of its PRs
-- and issues. Sums of bigint columns are cast back to bigint: PostgreSQL's sum(bigint) is numeric.
--
-- As of :now (epoch seconds): only commits authored, PRs created, reviews submitted and comments
-- written at or before :now count (a commit's time is its author time, as in every window and
-- summary table; a PR created after :now does not exist yet). With :now after the newest data the
-- bounds change nothing. A bound written `+x.authored_at` keeps SQLite on the index it used
-- before the bound existed (the primary key), instead of a time index that reads far more rows.

-- name: file-activity
-- `files` is what the fading scoring's mass cap divides by: the number of files of the commit, of
-- the reviewed PR (its pr_files), 1 for a comment. Every commit (non-merge; author, co-author or trailer reviewer), review (any state but
-- PENDING), review comment on the files, conversation comment on their PRs and Jira comment on
-- issues linked to their commits or PRs: one row each, `kind` commit | review | comment.
-- The PR (:skip_repo, :skip_number) is left out with its own commits, reviews and comments
-- (review routing's PR; expertise passes '' and -1, which match no PR).
-- slot: target  the CTE `target(repo, path, until_at, root)` over the file's spans (paths.spans_cte)
with {target},
tc(root, path, repo, hash, subject, authored_at, is_merge, churn, files) as (
    select t.root, cf.path, c.repo, c.hash, c.subject, c.authored_at, c.is_merge, cf.added + cf.deleted,
           (select count(*) from commit_files n where n.repo = c.repo and n.hash = c.hash)
      from target t cross join commit_files cf cross join commits c
     where cf.repo = t.repo and cf.path = t.path and c.repo = cf.repo and c.hash = cf.hash
       and c.committed_at <= t.until_at and +c.authored_at <= :now),
touched(root, repo, number) as (
    select t.root, pf.repo, pf.number from target t
      cross join pr_files pf
      join pull_requests pr on pr.repo = pf.repo and pr.number = pf.number
     where pf.path = t.path and coalesce(pr.created_at, 0) <= t.until_at and coalesce(pr.created_at, 0) <= :now
    union
    select tc.root, pc.repo, pc.number from tc cross join pr_commits pc where pc.hash = tc.hash
       and not exists (select 1 from pull_requests x where x.repo = pc.repo and x.number = pc.number
                                                      and x.created_at > :now)),
linked(root, issue_key) as (
    select tc.root, ci.issue_key from tc cross join commit_issues ci
     where ci.repo = tc.repo and ci.hash = tc.hash and tc.is_merge = 0
       and not exists (select 1 from pr_commits x where x.repo = :skip_repo and x.number = :skip_number
                                                   and x.hash = tc.hash)
    union
    select tp.root, pi.issue_key from touched tp cross join pr_issues pi
     where pi.repo = tp.repo and pi.number = tp.number
       and not (tp.repo = :skip_repo and tp.number = :skip_number))
select 'commit' as kind, tc.root, tc.path, tc.repo, tc.hash, 0 as number, cp.identity_key, cp.role,
       tc.authored_at as at, tc.churn, tc.subject as title, '' as ref, tc.files
  from tc cross join commit_people cp
 where cp.repo = tc.repo and cp.hash = tc.hash and tc.is_merge = 0
   and cp.role in ('author', 'co-author', 'reviewer')
   and not exists (select 1 from pr_commits x where x.repo = :skip_repo and x.number = :skip_number
                                               and x.hash = tc.hash)
union all
select 'review', tp.root, '', r.repo, '', r.number, r.reviewer_key, '', r.submitted_at, 0,
       coalesce(pr.title, ''), '',
       (select count(*) from pr_files n where n.repo = r.repo and n.number = r.number)
  from touched tp cross join reviews r
  left join pull_requests pr on pr.repo = r.repo and pr.number = r.number
 where r.repo = tp.repo and r.number = tp.number and upper(r.state) <> 'PENDING'
   and r.reviewer_key is not null and not (tp.repo = :skip_repo and tp.number = :skip_number)
   and coalesce(r.submitted_at, 0) <= :now
union all
select 'comment', t.root, '', '', '', 0, rc.author_key, '', rc.created_at, 0, '',
       'review comment ' || rc.repo || '#' || rc.number || '/' || rc.comment_id, 1
  from target t cross join review_comments rc
  left join pull_requests pr on pr.repo = rc.repo and pr.number = rc.number
 where rc.path = t.path and coalesce(pr.created_at, 0) <= t.until_at and rc.author_key is not null
   and not (rc.repo = :skip_repo and rc.number = :skip_number) and coalesce(rc.created_at, 0) <= :now
union all
select 'comment', tp.root, '', '', '', 0, pc.author_key, '', pc.created_at, 0, '',
       'pr comment ' || pc.repo || '#' || pc.number || '/' || pc.comment_id, 1
  from touched tp cross join pr_comments pc
 where pc.repo = tp.repo and pc.number = tp.number and pc.author_key is not null
   and not (tp.repo = :skip_repo and tp.number = :skip_number) and coalesce(pc.created_at, 0) <= :now
union all
select 'comment', l.root, '', '', '', 0, ic.author_key, '', ic.created_at, 0, '',
       'issue comment ' || ic.issue_key || '/' || ic.comment_id, 1
  from linked l cross join issue_comments ic
 where ic.issue_key = l.issue_key and ic.author_key is not null and coalesce(ic.created_at, 0) <= :now

-- name: component-tally
-- A component's commit work per account and role, from component_people: an index range instead
-- of joining most of commit_files. Only the rows of commits where no other account holds the same
-- kind of credit (shared = 0): an account's rows are then distinct commits of distinct people, so
-- counting per account and folding accounts into people in Python is exact.
select identity_key, role, count(*) as n, cast(sum(churn) as bigint) as churn, max(authored_at) as last_at
  from component_people where component = :component and shared = 0 and +authored_at <= :now
   and (:repo = '' or repo = :repo)
 group by identity_key, role

-- name: component-shared
-- The rest of a component's commit work: the few rows of commits with several authors or trailer
-- reviewers (shared = 1), where two accounts of one person could meet, counted per person
-- (the `persons` view) and commit first, then per person and kind (reviewed 1: trailer reviews).
-- Every commit_people account is an identities row (written with the commit), so the inner join
-- loses none.
select person_key, reviewed, count(*) as n, cast(sum(churn) as bigint) as churn, max(at) as last_at
  from (select p.person_key, case when cp.role = 'reviewer' then 1 else 0 end as reviewed, cp.repo, cp.hash,
               max(cp.churn) as churn, max(cp.authored_at) as at
          from component_people cp join persons p on p.account_key = cp.identity_key
         where cp.component = :component and cp.shared = 1 and +cp.authored_at <= :now
           and (:repo = '' or cp.repo = :repo)
         group by p.person_key, case when cp.role = 'reviewer' then 1 else 0 end, cp.repo, cp.hash) x
 group by person_key, reviewed

-- name: component-evidence
-- Each account's component_people rows at its three latest commit times, with the commit's
-- subject: whatever the ties, they hold the person's three newest commits in the order evidence
-- is picked (expertise._evidence), so they serve as evidence (their counts come from the tallies).
-- `s.at <= (select max(s2.at) from since s2)` is always true: a second use of `since` keeps
-- PostgreSQL from inlining it (it would then run the offset subquery once per component row).
with ids(identity_key) as (
    select distinct identity_key from component_people where component = :component and +authored_at <= :now
                                                    and (:repo = '' or repo = :repo)),
since(identity_key, at) as (
    select ids.identity_key, coalesce((select x.authored_at from component_people x
                                        where x.component = :component and x.identity_key = ids.identity_key
                                          and x.authored_at <= :now and (:repo = '' or x.repo = :repo)
                                        group by x.authored_at order by x.authored_at desc limit 1 offset 2),
                                       -4611686018427387904)
      from ids)
select 'commit' as kind, cp.identity_key, cp.role, cp.repo, cp.hash, 0 as number, cp.authored_at as at, cp.churn,
       c.subject as title, '' as ref
  from since s cross join component_people cp cross join commits c
 where cp.component = :component and cp.identity_key = s.identity_key and cp.authored_at >= s.at
   and cp.authored_at <= :now and (:repo = '' or cp.repo = :repo)
   and c.repo = cp.repo and c.hash = cp.hash
   and s.at <= (select max(s2.at) from since s2)

-- name: component-commits
-- Every commit of a component at or before :now, one row per (commit, account, role), for the
-- fading scoring (each commit counts once per person, by its lines on the component; the mass cap
-- is not applied: component_people does not hold a commit's file count). Titles come with the
-- component-evidence rows.
-- Only the columns the fold needs (expertise_activity.fold_commits), each as it uses it (the
-- commit's ref 'repo@hash', 1 for a trailer review): tens of thousands of rows.
select identity_key, case when role = 'reviewer' then 1 else 0 end as reviewed, repo || '@' || hash as ref,
       authored_at as at, churn
  from component_people
 where component = :component and +authored_at <= :now and (:repo = '' or repo = :repo)

-- name: component-other
-- A component's reviews and comments, in component-evidence's columns: reviews (any state but
-- PENDING) of PRs that list one of its files or hold one of its commits, review comments on its
-- files, conversation comments on those PRs, Jira comments on issues linked to its commits or
-- those PRs. The commits come from component_commits (the summary table), not commit_files.
with comp(repo, path) as (select repo, path from files where component = :component
                                                     and (:repo = '' or repo = :repo)),
cc(repo, hash, is_merge) as (
    select repo, hash, is_merge from component_commits where component = :component and +authored_at <= :now
                                          and (:repo = '' or repo = :repo)),
touched(repo, number) as (
    select pf.repo, pf.number from comp t
      cross join pr_files pf
      join pull_requests pr on pr.repo = pf.repo and pr.number = pf.number
     where pf.path = t.path and coalesce(pr.created_at, 0) <= :now
    union
    select pc.repo, pc.number from cc cross join pr_commits pc where pc.hash = cc.hash
       and not exists (select 1 from pull_requests x where x.repo = pc.repo and x.number = pc.number
                                                      and x.created_at > :now)),
linked(issue_key) as (
    select ci.issue_key from cc cross join commit_issues ci
     where ci.repo = cc.repo and ci.hash = cc.hash and cc.is_merge = 0
    union
    select pi.issue_key from touched tp cross join pr_issues pi
     where pi.repo = tp.repo and pi.number = tp.number),
acts(kind, identity_key, role, repo, hash, number, at, churn, title, ref) as (
    select 'review', r.reviewer_key, '', r.repo, '', r.number, r.submitted_at, 0, coalesce(pr.title, ''), ''
      from reviews r
      left join pull_requests pr on pr.repo = r.repo and pr.number = r.number
     where (r.repo, r.number) in (select repo, number from touched)
       and upper(r.state) <> 'PENDING'
       and r.reviewer_key is not null and coalesce(r.submitted_at, 0) <= :now
    union all
    select 'comment', rc.author_key, '', '', '', 0, rc.created_at, 0, '',
           'review comment ' || rc.repo || '#' || rc.number || '/' || rc.comment_id
      from comp t cross join review_comments rc
     where rc.path = t.path and rc.author_key is not null and coalesce(rc.created_at, 0) <= :now
       and not exists (select 1 from pull_requests x where x.repo = rc.repo and x.number = rc.number
                                                      and x.created_at > :now)
    union all
    select 'comment', pc.author_key, '', '', '', 0, pc.created_at, 0, '',
           'pr comment ' || pc.repo || '#' || pc.number || '/' || pc.comment_id
      from pr_comments pc
     where (pc.repo, pc.number) in (select repo, number from touched) and pc.author_key is not null
       and coalesce(pc.created_at, 0) <= :now
    union all
    select 'comment', ic.author_key, '', '', '', 0, ic.created_at, 0, '',
           'issue comment ' || ic.issue_key || '/' || ic.comment_id
      from issue_comments ic
     where exists (select 1 from issue_comments)
       and ic.issue_key in (select issue_key from linked) and ic.author_key is not null
       and coalesce(ic.created_at, 0) <= :now)
select distinct a.kind, a.identity_key, a.role, a.repo, a.hash, a.number, a.at, a.churn, a.title, a.ref
  from acts a

-- name: any-other
-- One row when the store holds any review or comment at all (GitHub or Jira data): only then is
-- component-other worth asking (a git-only store has none of it).
select 1 as x from reviews
union all select 1 from review_comments
union all select 1 from pr_comments
union all select 1 from issue_comments
limit 1

-- name: last-activity
-- The last time each of these people (every account of theirs) did anything a score counts, at
-- or before :now: authored, co-authored or trailer-reviewed a non-merge commit, submitted a review
-- or wrote a comment. The fading scoring leaves out people whose last activity is too old.
-- The commits come from the summary table people_activity (kinds 0 and 1, store/summaries.py):
-- one index seek per account and kind, where joining commit_people with commits read every commit
-- of those accounts (~2 s for a hot file's people on the 100k bench store).
-- slot: people  an in-list of person keys
with acc(account_key, person_key) as (select account_key, person_key from persons where person_key in ({people})),
x(account_key, at) as (
    select acc.account_key, (select max(pa.authored_at) from people_activity pa
                              where pa.identity_key = acc.account_key and pa.kind = 0 and pa.authored_at <= :now)
      from acc
    union all
    select acc.account_key, (select max(pa.authored_at) from people_activity pa
                              where pa.identity_key = acc.account_key and pa.kind = 1 and pa.authored_at <= :now)
      from acc
    union all
    select reviewer_key, submitted_at from reviews
     where reviewer_key in (select account_key from acc) and upper(state) <> 'PENDING' and submitted_at <= :now
    union all
    select author_key, created_at from review_comments where author_key in (select account_key from acc) and created_at <= :now
    union all
    select author_key, created_at from pr_comments where author_key in (select account_key from acc) and created_at <= :now
    union all
    select author_key, created_at from issue_comments where author_key in (select account_key from acc) and created_at <= :now)
select acc.person_key, max(x.at) as at
  from acc cross join x
 where x.account_key = acc.account_key
 group by acc.person_key
