-- 0008: incidents (postmortems read by `teammemory ingest incidents`) and release tags (read by
-- `teammemory ingest git` with `git for-each-ref refs/tags`). Portable DDL.
-- An incident is keyed by its postmortem's `key`; re-ingesting a file replaces the incident's
-- rows (its child rows are deleted and written again in the same transaction), so the same file
-- twice leaves the store as once. Jira issues of type Incident are not copied here: the agents
-- read them from `issues` (agents/incidents.py), so a later Jira import needs no second step.

create table incidents (
    key           text primary key,             -- e.g. 'INC-7' (a Jira key when the postmortem is of one)
    title         text not null,
    severity      text not null,                -- SEV1 .. SEV5
    started_at    bigint not null,
    detected_at   bigint,
    mitigated_at  bigint,
    resolved_at   bigint,
    summary       text not null default '',
    trigger_text  text not null default '',     -- what set it off
    root_cause    text not null default '',
    repo          text not null default '',     -- the repository its commit and PR references mean
    source_file   text not null default ''      -- the postmortem it was read from
);
create index incidents_started on incidents (started_at);

create table incident_timeline (
    incident_key  text not null,
    seq           integer not null,             -- order in the postmortem
    at            bigint not null,
    entry         text not null,
    primary key (incident_key, seq)
);

create table incident_lessons (
    incident_key  text not null,
    seq           integer not null,
    lesson        text not null,
    primary key (incident_key, seq)
);

create table incident_actions (                  -- follow-up work: issue keys
    incident_key  text not null,
    issue_key     text not null,
    seq           integer not null,
    primary key (incident_key, issue_key)
);
create index incident_actions_issue on incident_actions (issue_key);

create table incident_refs (                     -- what caused and what fixed it
    incident_key  text not null,
    role          text not null,                -- cause | fix
    kind          text not null,                -- commit | pr | component
    repo          text not null default '',     -- '' : the incident's repo, or any repository
    ref           text not null,                -- a commit hash (or prefix), a PR number, a component
    primary key (incident_key, role, kind, repo, ref)
);
create index incident_refs_ref on incident_refs (kind, ref);

create table tags (                              -- releases: the repository's tags as git lists them
    repo          text not null,
    name          text not null,                -- 'v1.2.0' (refs/tags/ left off)
    hash          text not null,                -- the commit it points to (annotated tags peeled)
    tagged_at     bigint not null,              -- tagger date of an annotated tag, else the commit's date
    tagger        text not null default '',
    subject       text not null default '',
    primary key (repo, name)
);
create index tags_time on tags (tagged_at);
