-- 0011: the history replayed across renames, kept at ingest, so bus-factor and coupling read
-- summaries instead of replaying every commit on every question (issue 11: 4.5-5 s -> well under
-- 0.3 s as a process on the 100,000-commit bench store). Derived data, kept by
-- teammemory.store.lineage inside every ingest's transaction (derive.refresh) and filled for the
-- commits a store already holds right after this migration (store/migrate.py): the replay is
-- Python (store/lineage.py), not SQL. Only a `now` at or after the newest commit reads them.

-- file_lineage: one row per (non-merge commit, changed path): the file it belongs to across
-- renames (`root`, a number per repository), with the commit's distinct files (coupling's
-- change-set size) and commit time, fixed once replayed, so that a file's commits are one index
-- range. No primary key: rows are written once by the replay and read through the two indexes
-- (a file's commits, a commit's files).
create table file_lineage (
    repo         text not null,
    hash         text not null,
    root         bigint not null,
    files        integer not null,
    committed_at bigint not null
);
create index file_lineage_root on file_lineage (repo, root, files, committed_at, hash);
create index file_lineage_commit on file_lineage (repo, hash, root);

-- lineage_names: per path, the last file that had it (the replay's latest change to that name):
-- a path that no longer exists still names its last file (coupling of a deleted file, the
-- files a PR lists).
create table lineage_names (
    repo text not null,
    path text not null,
    root bigint not null,
    primary key (repo, path)
);

-- lineage_keysets: each set of author and co-author identity keys of a commit (sorted, one space
-- between; '' for none), numbered, so the tables below count by a number instead of a text.
create table lineage_keysets (
    id      bigint not null primary key,
    authors text not null unique
);

-- lineage_commits: each replayed non-merge commit: its commit time, how many distinct files it
-- changed (coupling's change-set size) and its set of authors.
create table lineage_commits (
    repo         text not null,
    hash         text not null,
    committed_at bigint not null,
    files        integer not null,
    keyset       bigint not null,
    primary key (repo, hash)
);

-- lineage_files: each file of the replay: the path it exists at after the last replayed commit
-- ('' when it was deleted or renamed over), its component then, the commit that added it (''
-- when the history starts after it was created), and its changes per set of authors (JSON
-- `[[keyset, changes], ...]`, folded into people when read: two accounts of one person on one
-- commit count once; one text per file, as bus-factor reads every file's at once).
create table lineage_files (
    repo      text not null,
    root      bigint not null,
    path      text not null,
    component text not null,
    created   text not null,
    changes   text not null,
    primary key (repo, root)
);
create index lineage_files_path on lineage_files (repo, path, root);

-- lineage_scopes: per commit, the scopes whose existing files it changed: '' the repository,
-- else a component, with the commit's authors (the bus factor's contributions per scope).
create table lineage_scopes (
    repo    text not null,
    scope   text not null,
    keyset  bigint not null,
    hash    text not null,
    primary key (repo, scope, keyset, hash)
);
create index lineage_scopes_commit on lineage_scopes (repo, hash);
-- lineage_scope_counts: the same counted per (scope, set of authors), what bus-factor reads.
create table lineage_scope_counts (
    repo    text not null,
    scope   text not null,
    keyset  bigint not null,
    commits integer not null,
    primary key (repo, scope, keyset)
);

-- lineage_sets: coupling's PR and issue change sets of a repository's commits: level 'pr'
-- (label 'org/app#12': its commits' files and the files GitHub lists) or 'issue' (label
-- 'PROJ-7': the files of the commits and PRs naming it), one row per file; lineage_set_sizes:
-- each set's distinct files and its latest commit time. Rebuilt for a repository when what they
-- are made of changed (`lineage_state.sets`: the replay's length, the link rules, and the counts
-- of PRs, their commits, files and issue links, and of the repository's commit links).
create table lineage_sets (
    repo  text not null,
    level text not null,
    label text not null,
    root  bigint not null,
    primary key (repo, level, label, root)
);
create index lineage_sets_root on lineage_sets (repo, level, root, label);
create table lineage_set_sizes (
    repo  text not null,
    level text not null,
    label text not null,
    files integer not null,
    at    bigint not null,
    primary key (repo, level, label)
);

-- lineage_revisions: per level ('commit', 'pr', 'issue'), file and change-set size, how many sets
-- of that size hold the file: coupling's revisions under any size limit, one short range per file.
create table lineage_revisions (
    repo  text not null,
    level text not null,
    root  bigint not null,
    files integer not null,
    sets  integer not null,
    primary key (repo, level, root, files)
);

-- lineage_state: per repository, where the replay stopped: its last commit in replay order
-- (committed_at, hash), the next file number and sequence number to hand out, and what the
-- change sets were built from.
create table lineage_state (
    repo         text not null primary key,
    committed_at bigint not null,
    hash         text not null,
    next_root    bigint not null,
    next_seq     bigint not null,
    sets         text not null default ''
);
