-- What a change given as commits, files or a diff is, as the store knows it (agents/change.py):
-- its repository, its commits' files and authors, and the PRs known only from a merge or squash
-- commit.

-- name: repositories
-- Every ingested repository with the clone it was ingested from and the branch it followed.
select name, path, branch from repositories

-- name: commits-by-prefix
-- The stored commits whose hash starts with :prefix (a full or abbreviated hash, lower case).
select hash, is_merge
  from commits
 where repo = :repo and hash like :prefix

-- name: commit-files
-- The files the given commits changed, with their earlier name after a rename.
-- slot: hashes  an in-list of commit hashes
select distinct path, old_path
  from commit_files
 where repo = :repo and hash in ({hashes})

-- name: commit-authors
-- The accounts that wrote or co-wrote the given commits.
-- slot: hashes  an in-list of commit hashes
select distinct cp.identity_key, cp.role
  from commit_people cp
 where cp.repo = :repo and cp.hash in ({hashes}) and cp.role in ('author', 'co-author')

-- name: stored-commits
-- Which of the given commits the store holds.
-- slot: hashes  an in-list of commit hashes
select hash
  from commits
 where repo = :repo and hash in ({hashes})

-- name: accounts-by-email
-- The accounts (git, GitHub, Jira) with this email, any letter case.
select key as identity_key
  from identities
 where lower(email) = lower(:email)

-- name: person-exists
-- The person with this key, when there is one.
select distinct person_key as identity_key
  from persons
 where person_key = :key

-- name: message-prs
-- The commits a commit message ties to PR :n ('Merge pull request #N', a squash subject `(#N)`,
-- a message line `This closes #N from ...`: change.py keeps those that are the PR's own), in
-- repositories that have them, at or before :now.
select pc.repo, c.hash, c.subject, c.message, c.parents, c.is_merge
  from pr_commits pc
  join commits c on c.repo = pc.repo and c.hash = pc.hash
 where pc.number = :n and (pc.found_by like '%in commit subject' or pc.found_by like 'squash subject%'
        or pc.found_by like '%in commit message')
   and c.committed_at <= :now

-- name: graph
-- Every commit of a repository with its parents (the store's own walk of merge^1..merge^2).
select hash, parents, is_merge
  from commits
 where repo = :repo
