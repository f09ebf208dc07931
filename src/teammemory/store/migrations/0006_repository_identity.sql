-- 0006: what makes two repository names one repository, so the same clone ingested under a
-- second name (first without --name, then with it) is refused instead of counting every commit
-- twice (ingest/same_repo.py). A repository is known by its root commits (the commits without
-- parents reachable from its head) and, when it has one, the normalized URL of its `origin`.
alter table repositories add column remote_url text not null default '';  -- e.g. github.com/owner/repo

create table repository_roots (                 -- root commits of each repository's ingested head
    repo        text not null,
    hash        text not null,
    primary key (repo, hash)
);
create index repository_roots_hash on repository_roots (hash);

-- A store written before this migration: its roots are its stored commits without parents
-- (every ingest wrote all commits reachable from the head, so they are all there). Its remote
-- URLs are unknown until the next ingest of each repository records them.
insert into repository_roots (repo, hash)
select repo, hash from commits where parents = '';
