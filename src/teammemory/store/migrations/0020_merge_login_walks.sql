-- 0020: the merge-login rule's walks, kept (identity/merge_login_walks.py). A PR merge commit's
-- branch (M^1..M^2) depends on its ancestors alone, which never change once it is stored, so each
-- merge is walked once: merge_login_walks holds every PR merge commit walked and what it proved
-- (git_key '' when nothing), commit_generations each commit's generation (1 + its parents'
-- highest), which orders the walk. Filled by the first identity resolution after this migration.
create table commit_generations (
    repo    text not null,
    hash    text not null,
    gen     integer not null,
    primary key (repo, hash)
);
create table merge_login_walks (
    repo      text not null,
    hash      text not null,
    login     text not null,
    git_key   text not null,
    evidence  text not null,
    primary key (repo, hash)
);
