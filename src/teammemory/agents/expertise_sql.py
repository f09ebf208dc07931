"""The SQL behind `expertise`: one pass over a target's history, returning activity rows.

`ACTIVITY_SQL` reads the commits, reviews and comments on target files given as spans (a file
and its earlier names, each up to its rename): one row per (commit, file, person, role), per
review and per comment. `COMPONENT_SQL` answers the same for every file of a component, already
folded to one row per (person, role, commit): a component's history is most of the store's, so
rows per file would be many times more than the answer needs (a commit's churn is summed over the
component's files in SQL, which is exact: `rank` sums churn once per commit and path).

Every join is written target-first (`cross join` fixes SQLite's join order, PostgreSQL reorders it
freely), so the work grows with the target's history, not the store's. `tc`/`cc`, used three
times, is materialized once by both backends. A component's reviews and comments are matched with
`in (select …)`, which SQLite evaluates only when there are reviews or comments at all: a store
without GitHub or Jira data then never builds the (large) sets of the component's PRs and issues.
"""

from __future__ import annotations

NOT_SKIPPED_COMMIT = ("not exists (select 1 from pr_commits x where x.repo = :skip_repo"
                      " and x.number = :skip_number and x.hash = tc.hash)")
NOT_SKIPPED_PR = "not ({a}.repo = :skip_repo and {a}.number = :skip_number)"

ACTIVITY_SQL = """with {target},
tc(root, path, repo, hash, subject, authored_at, is_merge, churn) as (
    select t.root, cf.path, c.repo, c.hash, c.subject, c.authored_at, c.is_merge, cf.added + cf.deleted
      from target t cross join commit_files cf cross join commits c
     where cf.repo = t.repo and cf.path = t.path and c.repo = cf.repo and c.hash = cf.hash
       and c.committed_at <= t.until_at),
touched(root, repo, number) as (
    select t.root, pf.repo, pf.number from target t
      cross join pr_files pf
      join pull_requests pr on pr.repo = pf.repo and pr.number = pf.number
     where pf.path = t.path and coalesce(pr.created_at, 0) <= t.until_at
    union
    select tc.root, pc.repo, pc.number from tc cross join pr_commits pc where pc.hash = tc.hash),
linked(root, issue_key) as (
    select tc.root, ci.issue_key from tc cross join commit_issues ci
     where ci.repo = tc.repo and ci.hash = tc.hash and tc.is_merge = 0 and """ + NOT_SKIPPED_COMMIT + """
    union
    select tp.root, pi.issue_key from touched tp cross join pr_issues pi
     where pi.repo = tp.repo and pi.number = tp.number and """ + NOT_SKIPPED_PR.format(a="tp") + """)
select 'commit' as kind, tc.root, tc.path, tc.repo, tc.hash, 0 as number, cp.identity_key, cp.role,
       tc.authored_at as at, tc.churn, tc.subject as title, '' as ref
  from tc cross join commit_people cp
 where cp.repo = tc.repo and cp.hash = tc.hash and tc.is_merge = 0
   and cp.role in ('author', 'co-author', 'reviewer') and """ + NOT_SKIPPED_COMMIT + """
union all
select 'review', tp.root, '', r.repo, '', r.number, r.reviewer_key, '', r.submitted_at, 0,
       coalesce(pr.title, ''), ''
  from touched tp cross join reviews r
  left join pull_requests pr on pr.repo = r.repo and pr.number = r.number
 where r.repo = tp.repo and r.number = tp.number and upper(r.state) <> 'PENDING'
   and r.reviewer_key is not null and """ + NOT_SKIPPED_PR.format(a="tp") + """
union all
select 'comment', t.root, '', '', '', 0, rc.author_key, '', rc.created_at, 0, '',
       'review comment ' || rc.repo || '#' || rc.number || '/' || rc.comment_id
  from target t cross join review_comments rc
  left join pull_requests pr on pr.repo = rc.repo and pr.number = rc.number
 where rc.path = t.path and coalesce(pr.created_at, 0) <= t.until_at and rc.author_key is not null
   and """ + NOT_SKIPPED_PR.format(a="rc") + """
union all
select 'comment', tp.root, '', '', '', 0, pc.author_key, '', pc.created_at, 0, '',
       'pr comment ' || pc.repo || '#' || pc.number || '/' || pc.comment_id
  from touched tp cross join pr_comments pc
 where pc.repo = tp.repo and pc.number = tp.number and pc.author_key is not null
   and """ + NOT_SKIPPED_PR.format(a="tp") + """
union all
select 'comment', l.root, '', '', '', 0, ic.author_key, '', ic.created_at, 0, '',
       'issue comment ' || ic.issue_key || '/' || ic.comment_id
  from linked l cross join issue_comments ic
 where ic.issue_key = l.issue_key and ic.author_key is not null"""

COMPONENT_SQL = """with comp(repo, path) as (select repo, path from files where component = :component),
cc(repo, hash, is_merge, at, subject, churn) as (
    select c.repo, c.hash, c.is_merge, c.authored_at, c.subject, sum(cf.added + cf.deleted)
      from comp t cross join commit_files cf cross join commits c
     where cf.repo = t.repo and cf.path = t.path and c.repo = cf.repo and c.hash = cf.hash
     group by c.repo, c.hash, c.is_merge, c.authored_at, c.subject),
touched(repo, number) as (
    select pf.repo, pf.number from comp t
      cross join pr_files pf
      join pull_requests pr on pr.repo = pf.repo and pr.number = pf.number
     where pf.path = t.path
    union
    select pc.repo, pc.number from cc cross join pr_commits pc where pc.hash = cc.hash),
linked(issue_key) as (
    select ci.issue_key from cc cross join commit_issues ci
     where ci.repo = cc.repo and ci.hash = cc.hash and cc.is_merge = 0
    union
    select pi.issue_key from touched tp cross join pr_issues pi
     where pi.repo = tp.repo and pi.number = tp.number),
acts(kind, identity_key, role, repo, hash, number, at, churn, title, ref) as (
    select 'commit', cp.identity_key, cp.role, cc.repo, cc.hash, 0, cc.at, cc.churn, cc.subject, ''
      from cc cross join commit_people cp
     where cp.repo = cc.repo and cp.hash = cc.hash and cc.is_merge = 0
       and cp.role in ('author', 'co-author', 'reviewer')
    union all
    select 'review', r.reviewer_key, '', r.repo, '', r.number, r.submitted_at, 0, coalesce(pr.title, ''), ''
      from reviews r
      left join pull_requests pr on pr.repo = r.repo and pr.number = r.number
     where exists (select 1 from reviews) and (r.repo, r.number) in (select repo, number from touched)
       and upper(r.state) <> 'PENDING'
       and r.reviewer_key is not null
    union all
    select 'comment', rc.author_key, '', '', '', 0, rc.created_at, 0, '',
           'review comment ' || rc.repo || '#' || rc.number || '/' || rc.comment_id
      from comp t cross join review_comments rc
     where rc.path = t.path and rc.author_key is not null
    union all
    select 'comment', pc.author_key, '', '', '', 0, pc.created_at, 0, '',
           'pr comment ' || pc.repo || '#' || pc.number || '/' || pc.comment_id
      from pr_comments pc
     where exists (select 1 from pr_comments)
       and (pc.repo, pc.number) in (select repo, number from touched) and pc.author_key is not null
    union all
    select 'comment', ic.author_key, '', '', '', 0, ic.created_at, 0, '',
           'issue comment ' || ic.issue_key || '/' || ic.comment_id
      from issue_comments ic
     where exists (select 1 from issue_comments)
       and ic.issue_key in (select issue_key from linked) and ic.author_key is not null)
select distinct coalesce(i.developer_key, a.identity_key) as person_key, a.kind, a.role, a.repo, a.hash,
       a.number, a.at, a.churn, a.title, a.ref
  from acts a left join identities i on i.key = a.identity_key"""
