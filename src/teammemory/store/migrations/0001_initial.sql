-- TeamMemory schema, version 1. Portable DDL: runs unchanged on SQLite and PostgreSQL.
-- Natural keys everywhere (repo+hash, repo+number, issue key, identity key), so ingestion order
-- never matters and every write is an idempotent INSERT ... ON CONFLICT DO UPDATE.
-- Times are UTC epoch seconds (bigint); flags are integers 0/1 (same values on both backends).

create table repositories (
    name        text primary key,
    path        text not null default '',
    branch      text not null default '',
    head        text not null default '',      -- last ingested head commit
    ingested_at bigint
);

create table developers (
    key         text primary key,              -- readable slug, e.g. 'mehmet-turac'
    name        text not null,
    email       text not null default '',
    is_bot      integer not null default 0
);

create table identities (
    key           text primary key,            -- model.identity_key(): source + hash
    source        text not null,               -- git | github | jira
    email         text not null default '',
    name          text not null default '',
    login         text not null default '',
    account_id    text not null default '',
    display_name  text not null default '',
    is_bot        integer not null default 0,
    developer_key text,                        -- set by identity resolution
    rule          text not null default '',    -- which rule tied it to the developer
    evidence      text not null default ''     -- the facts the rule matched
);
create index identities_developer on identities (developer_key);

create table identity_overrides (               -- manual merges/splits that survive re-ingestion
    seq         integer primary key,
    action      text not null,                 -- merge | split
    a           text not null,
    b           text not null default '',
    created_at  bigint not null
);

create table files (
    repo        text not null,
    path        text not null,
    component   text not null default '',
    primary key (repo, path)
);

create table commits (
    repo             text not null,
    hash             text not null,
    author_key       text not null,
    committer_key    text not null,
    authored_at      bigint not null,
    authored_offset  integer not null default 0,
    committed_at     bigint not null,
    committed_offset integer not null default 0,
    subject          text not null,
    message          text not null,
    parents          text not null default '',   -- space-separated hashes
    is_merge         integer not null default 0,
    is_revert        integer not null default 0,
    reverts          text not null default '',
    is_bug_fix       integer not null default 0,
    bug_fix_reason   text not null default '',
    primary key (repo, hash)
);
create index commits_time on commits (authored_at);

create table commit_files (
    repo        text not null,
    hash        text not null,
    path        text not null,
    old_path    text not null default '',
    change_type text not null default 'M',
    added       integer not null default 0,
    deleted     integer not null default 0,
    is_binary   integer not null default 0,
    primary key (repo, hash, path)
);
create index commit_files_path on commit_files (path, repo);
create index commit_files_old_path on commit_files (old_path, repo);

create table commit_people (                    -- author, co-authors, trailer reviewers, ...
    repo         text not null,
    hash         text not null,
    identity_key text not null,
    role         text not null,
    evidence     text not null default '',
    primary key (repo, hash, identity_key, role)
);
create index commit_people_identity on commit_people (identity_key);


create table issues (
    key             text primary key,
    project         text not null,
    summary         text not null default '',
    description     text not null default '',
    status          text not null default '',
    status_category text not null default '',  -- new | indeterminate | done
    priority        text not null default '',
    issue_type      text not null default '',
    resolution      text not null default '',
    labels          text not null default '',  -- comma-separated
    created_at      bigint,
    updated_at      bigint,
    resolved_at     bigint,
    reporter_key    text,
    assignee_key    text,
    parent_key      text not null default '',
    url             text not null default ''
);

create table issue_components (
    issue_key   text not null,
    component   text not null,
    primary key (issue_key, component)
);

create table issue_comments (
    issue_key   text not null,
    comment_id  text not null,
    author_key  text,
    body        text not null default '',
    created_at  bigint,
    updated_at  bigint,
    primary key (issue_key, comment_id)
);

create table issue_links (
    issue_key   text not null,
    other_key   text not null,
    link_type   text not null,                 -- Duplicate, Relates, Blocks, ...
    direction   text not null,                 -- outward | inward
    description text not null default '',      -- 'duplicates', 'is duplicated by', ...
    primary key (issue_key, other_key, link_type, direction)
);

create table issue_transitions (
    issue_key   text not null,
    at          bigint not null,
    from_status text not null default '',
    to_status   text not null,
    author_key  text,
    primary key (issue_key, at, to_status)
);

create table pull_requests (
    repo         text not null,
    number       integer not null,
    title        text not null default '',
    body         text not null default '',
    state        text not null default 'open',  -- open | closed | merged
    author_key   text,
    created_at   bigint,
    updated_at   bigint,
    merged_at    bigint,
    closed_at    bigint,
    head_branch  text not null default '',
    base_branch  text not null default '',
    merge_commit text not null default '',
    url          text not null default '',
    primary key (repo, number)
);

create table reviews (
    repo         text not null,
    number       integer not null,
    review_id    text not null,
    reviewer_key text,
    state        text not null default '',
    submitted_at bigint,
    body         text not null default '',
    primary key (repo, number, review_id)
);

create table review_comments (
    repo        text not null,
    number      integer not null,
    comment_id  text not null,
    author_key  text,
    path        text not null default '',
    body        text not null default '',
    created_at  bigint,
    review_id   text not null default '',
    primary key (repo, number, comment_id)
);
create index review_comments_path on review_comments (path);  -- expertise: comments on a file

create table pr_comments (
    repo        text not null,
    number      integer not null,
    comment_id  text not null,
    author_key  text,
    body        text not null default '',
    created_at  bigint,
    primary key (repo, number, comment_id)
);

create table review_requests (
    repo         text not null,
    number       integer not null,
    reviewer_key text not null,
    primary key (repo, number, reviewer_key)
);

-- Links: each row is one way a link was found ('found_by' is the evidence shown in answers).
create table commit_issues (
    repo       text not null,
    hash       text not null,
    issue_key  text not null,
    project    text not null,
    found_by   text not null,                  -- e.g. "key PROJ-1247 in commit message"
    primary key (repo, hash, issue_key, found_by)
);
create index commit_issues_key on commit_issues (issue_key);

create table pr_commits (
    repo       text not null,
    number     integer not null,
    hash       text not null,
    found_by   text not null,                  -- e.g. "PR #382 lists commit"
    primary key (repo, number, hash, found_by)
);
create index pr_commits_hash on pr_commits (hash);
create index pr_commits_number on pr_commits (number, repo);  -- PRs matched by number across repo names

create table pr_files (
    repo        text not null,
    number      integer not null,
    path        text not null,
    additions   integer not null default 0,
    deletions   integer not null default 0,
    change_type text not null default 'M',
    found_by    text not null,
    primary key (repo, number, path)
);
create index pr_files_path on pr_files (path);

create table pr_issues (
    repo       text not null,
    number     integer not null,
    issue_key  text not null,
    found_by   text not null,                  -- e.g. "key PROJ-1247 in PR title"
    primary key (repo, number, issue_key, found_by)
);
create index pr_issues_key on pr_issues (issue_key);

create table cursors (
    source     text not null,                  -- git | github | jira
    target     text not null,                  -- repository name, OWNER/REPO, Jira URL+JQL
    value      text not null,
    updated_at bigint not null,
    primary key (source, target)
);

create table http_cache (                       -- ETags of list pages, so an unchanged list costs a 304
    url        text primary key,
    etag       text not null,
    status     integer not null,
    body       text not null,                  -- the JSON the ETag stands for
    next_url   text not null default '',
    stored_at  bigint not null
);

create table ingest_runs (
    run_id      text primary key,
    source      text not null,
    target      text not null,
    started_at  bigint not null,
    finished_at bigint,
    status      text not null,                 -- ok | failed
    counts      text not null default '{}'     -- JSON object of what was written
);
