"""Incidents: what went wrong, how fast it was seen and fixed, what caused it, and what is still to do.

Sources: postmortems (`teammemory ingest incidents`, the incidents tables) and Jira issues of an
incident type (INCIDENT_TYPES, any letter case) that no postmortem of the same key describes.
A Jira incident knows only when it was created and resolved: created is taken as both started
and detected, its severity comes from its priority (SEVERITY_OF_PRIORITY).

For each incident, as of `now` (nothing after it counts: a time after `now` has not happened,
a timeline entry after it is left out, a cause or fix committed or merged after it is left out):

    time to detect (TTD)  = detected - started
    time to resolve (TTR) = resolved - started
    dormancy              = started - (the latest cause landed before started)
        a cause lands when its commit was committed or its PR merged (else opened); the latest one
        is the change that completed the fault, so dormancy is how long the fault slept.

Causes and fixes are the commits and PRs the postmortem names (`caused_by`, `fixed_by`), plus,
as fixes, the commits and PRs whose messages, titles or bodies name the incident's key (the links
the team wrote). Components: those the postmortem states, the Jira components of a Jira incident,
and the components of the files its causes and fixes changed, each with where it was found.
Action items are issue keys; one is open while its issue (as of `now`, agents/issue_state.py) is
not in a done status category, or when the store does not hold it (nothing says it is done).

Filters: `component` keeps incidents with that component (any source above); `repo` keeps
incidents whose postmortem names the repository or whose causes or fixes are in it.
Order: latest start first, then key. The idea of dormancy, TTD and TTR is the incident metrics of
Google's SRE book ("Postmortem Culture") and the DORA "time to restore service".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from teammemory.agents import issue_state
from teammemory.agents.evidence import epoch, iso_day
from teammemory.config import Config
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "incidents.sql")
INCIDENT_TYPES = ("incident",)  # Jira issue types (lower case) that are incidents
SEVERITY_OF_PRIORITY = {"highest": "SEV1", "blocker": "SEV1", "critical": "SEV1", "high": "SEV2",
                        "major": "SEV2", "medium": "SEV3", "low": "SEV4", "minor": "SEV4", "lowest": "SEV5",
                        "trivial": "SEV5"}
Role = Literal["cause", "fix"]
Kind = Literal["commit", "pr"]
Source = Literal["postmortem", "jira"]
State = Literal["open", "mitigated", "resolved"]


@dataclass(frozen=True)
class Change:
    """A commit or PR that caused or fixed an incident, and how it was tied to it."""

    role: Role
    kind: Kind
    repo: str
    ref: str  # the full hash, or the PR number; as written when the store does not hold it
    summary: str  # subject or title ('' when not in the store)
    landed_at: int | None  # committed, merged (else opened); None when not in the store
    found_by: str
    components: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # the files it changed
    in_store: bool = True


@dataclass(frozen=True)
class Measure:
    """A derived duration with how it was computed (None when a time it needs is missing)."""

    name: str  # ttd | ttr | dormancy
    seconds: int | None
    formula: str


@dataclass(frozen=True)
class ActionItem:
    key: str
    summary: str
    status: str
    open: bool
    ingested: bool


@dataclass(frozen=True)
class ComponentRef:
    name: str
    found_by: str


@dataclass(frozen=True)
class Entry:
    at: int
    entry: str


@dataclass(frozen=True)
class IncidentItem:
    key: str
    title: str
    severity: str
    source: Source
    source_file: str
    repo: str  # the repository the postmortem names ('' for none, and for Jira incidents)
    state: State
    started_at: int
    detected_at: int | None
    mitigated_at: int | None
    resolved_at: int | None
    measures: tuple[Measure, ...]
    summary: str
    trigger: str
    root_cause: str
    causes: tuple[Change, ...]
    fixes: tuple[Change, ...]
    components: tuple[ComponentRef, ...]
    timeline: tuple[Entry, ...]
    lessons: tuple[str, ...]
    action_items: tuple[ActionItem, ...]

    @property
    def component_names(self) -> tuple[str, ...]:
        return tuple(sorted({c.name for c in self.components}))

    @property
    def open_actions(self) -> tuple[ActionItem, ...]:
        return tuple(a for a in self.action_items if a.open)

    def measure(self, name: str) -> int | None:
        return next((m.seconds for m in self.measures if m.name == name), None)


@dataclass(frozen=True)
class Incidents:
    component: str
    repo: str
    rules: str
    incidents: tuple[IncidentItem, ...]
    open_action_items: int


RULES = ("TTD = detected - started; TTR = resolved - started; dormancy = started - latest cause landed"
         " (commit committed, PR merged); latest start first, then key")


# --- rows ------------------------------------------------------------------------------------------

class PostmortemRow(NamedTuple):
    key: str
    title: str
    severity: str
    started_at: int
    detected_at: int | None
    mitigated_at: int | None
    resolved_at: int | None
    summary: str
    trigger_text: str
    root_cause: str
    repo: str
    source_file: str


class JiraRow(NamedTuple):
    key: str
    summary: str
    priority: str
    created_at: int
    resolved_at: int | None
    description: str
    status: str
    status_category: str


class TimelineRow(NamedTuple):
    incident_key: str
    seq: int
    at: int
    entry: str


class LessonRow(NamedTuple):
    incident_key: str
    seq: int
    lesson: str


class ActionRow(NamedTuple):
    incident_key: str
    seq: int
    issue_key: str
    summary: str | None
    status: str | None
    status_category: str | None


class StatedRow(NamedTuple):
    incident_key: str
    role: str
    kind: str
    repo: str
    ref: str


class StatedCommitRow(NamedTuple):
    incident_key: str
    role: str
    ref: str
    repo: str
    hash: str
    subject: str
    committed_at: int


class StatedPrRow(NamedTuple):
    incident_key: str
    role: str
    ref: str
    repo: str
    number: int
    title: str
    state: str
    created_at: int | None
    merged_at: int | None


class KeyCommitRow(NamedTuple):
    incident_key: str
    repo: str
    hash: str
    subject: str
    committed_at: int
    found_by: str


class KeyPrRow(NamedTuple):
    incident_key: str
    repo: str
    number: int
    title: str
    state: str
    created_at: int | None
    merged_at: int | None
    found_by: str


class IssueComponentRow(NamedTuple):
    issue_key: str
    component: str


class CommitFileRow(NamedTuple):
    repo: str
    hash: str
    path: str
    component: str


class PrFileRow(NamedTuple):
    repo: str
    number: int
    path: str
    component: str


@dataclass(frozen=True)
class Facts:
    """Everything read for the incidents, before the pure `build`."""

    postmortems: Sequence[PostmortemRow]
    jira: Sequence[JiraRow]
    timeline: Sequence[TimelineRow]
    lessons: Sequence[LessonRow]
    actions: Sequence[ActionRow]
    stated: Sequence[StatedRow]
    commits: Sequence[StatedCommitRow]
    prs: Sequence[StatedPrRow]
    key_commits: Sequence[KeyCommitRow]
    key_prs: Sequence[KeyPrRow]
    issue_components: Sequence[IssueComponentRow]
    commit_files: Sequence[CommitFileRow]
    pr_files: Sequence[PrFileRow]
    action_states: dict[str, issue_state.IssueState]


# --- reading -----------------------------------------------------------------------------------------

def ask(db: Reader, *, now: datetime, config: Config, component: str | None = None,
        repo: str | None = None) -> Incidents:
    """Every incident started by `now`, optionally only those of `component` or `repo`."""
    items = load(db, now=epoch(now))
    shown = tuple(i for i in items if keep(i, component=component, repo=repo))
    return Incidents(component or "", repo or "", RULES, shown, sum(len(i.open_actions) for i in shown))


def load(db: Reader, *, now: int) -> tuple[IncidentItem, ...]:
    """All incidents as of `now`, ordered (for other agents too: timeline, context, hygiene)."""
    postmortems = db.fetch(Q["postmortems"], PostmortemRow, now=now)
    jira: list[JiraRow] = []
    for types_sql, params in queries.in_list(INCIDENT_TYPES, "t"):
        jira += db.fetch(Q["jira-incidents"].fill(types=types_sql), JiraRow, now=now, **params)
    keys = [p.key for p in postmortems] + [j.key for j in jira]
    if not keys:
        return ()
    key_commits = _by_keys(db, "key-commits", KeyCommitRow, keys)
    key_prs = _by_keys(db, "key-prs", KeyPrRow, keys)
    commits = db.fetch(Q["stated-commits"], StatedCommitRow)
    prs = db.fetch(Q["stated-prs"], StatedPrRow)
    hashes = {c.hash for c in commits} | {c.hash for c in key_commits}
    numbers = {p.number for p in prs} | {p.number for p in key_prs}
    commit_files: list[CommitFileRow] = []
    for sql, params in queries.in_list(hashes, "h"):
        commit_files += db.fetch(Q["commit-files"].fill(hashes=sql), CommitFileRow, **params)
    pr_files: list[PrFileRow] = []
    for sql, params in queries.in_list(numbers, "n"):
        pr_files += db.fetch(Q["pr-files"].fill(numbers=sql), PrFileRow, **params)
    actions = db.fetch(Q["actions"], ActionRow)
    facts = Facts(postmortems, jira, db.fetch(Q["timeline"], TimelineRow, now=now),
                  db.fetch(Q["lessons"], LessonRow), actions, db.fetch(Q["stated"], StatedRow), commits, prs,
                  key_commits, key_prs, _by_keys(db, "issue-components", IssueComponentRow, [j.key for j in jira]),
                  commit_files, pr_files,
                  issue_state.issue_states(db, {a.issue_key for a in actions if a.status is not None}, now))
    return build(facts, now=now)


def _by_keys(db: Reader, name: str, row: type[issue_state.R], keys: Iterable[str]) -> list[issue_state.R]:
    out: list[issue_state.R] = []
    for sql, params in queries.in_list(keys, "k"):
        out += db.fetch(Q[name].fill(keys=sql), row, **params)
    return out


def keep(item: IncidentItem, *, component: str | None, repo: str | None) -> bool:
    """The filters of `ask` (component names compare in any letter case)."""
    if component and component.lower() not in {c.lower() for c in item.component_names}:
        return False
    return not repo or repo == item.repo or repo in {c.repo for c in item.causes + item.fixes}


# --- pure ----------------------------------------------------------------------------------------------

def build(facts: Facts, *, now: int) -> tuple[IncidentItem, ...]:
    """Pure: the incidents of `facts` as of `now`, latest start first, then key."""
    out = [_postmortem(p, facts, now) for p in facts.postmortems]
    out += [_jira(j, facts, now) for j in facts.jira]
    return tuple(sorted(out, key=lambda i: (-i.started_at, i.key)))


def _until(at: int | None, now: int) -> int | None:
    return at if at is not None and at <= now else None


def _postmortem(p: PostmortemRow, facts: Facts, now: int) -> IncidentItem:
    detected, mitigated, resolved = (_until(t, now) for t in (p.detected_at, p.mitigated_at, p.resolved_at))
    stated = [s for s in facts.stated if s.incident_key == p.key]
    causes = _changes(p.key, "cause", stated, facts, now, p.repo)
    fixes = _changes(p.key, "fix", stated, facts, now, p.repo) + _linked(p.key, facts, now)
    fixes = _unique(fixes, {(c.kind, c.repo, c.ref) for c in causes})
    comps = [ComponentRef(s.ref, f"named in the postmortem ({_ROLE_FIELD[s.role]})")
             for s in stated if s.kind == "component"]
    return _item(p.key, p.title, p.severity, "postmortem", p.source_file, p.repo, p.started_at, detected, mitigated,
                 resolved, p.summary, p.trigger_text, p.root_cause, causes, fixes, comps, facts, now)


_ROLE_FIELD = {"cause": "caused_by", "fix": "fixed_by", "affected": "components"}


def _jira(j: JiraRow, facts: Facts, now: int) -> IncidentItem:
    resolved = _until(j.resolved_at, now)
    comps = [ComponentRef(c.component, "Jira component") for c in facts.issue_components if c.issue_key == j.key]
    fixes = _unique(_linked(j.key, facts, now), set())
    severity = SEVERITY_OF_PRIORITY.get(j.priority.lower(), "")
    return _item(j.key, j.summary, severity, "jira", "", "", j.created_at, j.created_at, None, resolved,
                 j.description, "", "", (), fixes, comps, facts, now)


def _item(key: str, title: str, severity: str, source: Source, source_file: str, repo: str, started: int,
          detected: int | None, mitigated: int | None, resolved: int | None, summary: str, trigger: str,
          root_cause: str, causes: tuple[Change, ...], fixes: tuple[Change, ...], comps: list[ComponentRef],
          facts: Facts, now: int) -> IncidentItem:
    for change in causes + fixes:
        comps += [ComponentRef(c, f"changed by {change.role} {_label(change)}") for c in change.components]
    seen: dict[str, ComponentRef] = {}
    for c in comps:
        seen.setdefault(c.name, c)
    state: State = "resolved" if resolved is not None else "mitigated" if mitigated is not None else "open"
    timeline = tuple(Entry(t.at, t.entry) for t in sorted(
        (t for t in facts.timeline if t.incident_key == key and t.at <= now), key=lambda t: (t.at, t.seq)))
    lessons = tuple(x.lesson for x in sorted((x for x in facts.lessons if x.incident_key == key),
                                             key=lambda x: x.seq))
    actions = tuple(_action(a, facts.action_states) for a in sorted(
        (a for a in facts.actions if a.incident_key == key), key=lambda a: a.seq))
    return IncidentItem(key, title, severity, source, source_file, repo, state, started, detected, mitigated, resolved,
                        measures(started, detected, resolved, causes), summary, trigger, root_cause, causes, fixes,
                        tuple(sorted(seen.values(), key=lambda c: c.name)), timeline, lessons, actions)


def measures(started: int, detected: int | None, resolved: int | None,
             causes: Sequence[Change]) -> tuple[Measure, ...]:
    """Pure: TTD, TTR and dormancy in seconds, each with the times it was computed from."""
    def between(name: str, a: int | None, a_name: str, b: int | None, b_name: str) -> Measure:
        if a is None or b is None:
            missing = a_name if a is None else b_name
            return Measure(name, None, f"{b_name} - {a_name}: no {missing} time")
        return Measure(name, b - a, f"{b_name} - {a_name} = {_stamp(b)} - {_stamp(a)}")

    landed = [c for c in causes if c.landed_at is not None and c.landed_at <= started]
    latest = max(landed, key=lambda c: (c.landed_at or 0, c.ref), default=None)
    dormancy = (between("dormancy", latest.landed_at, f"cause {_label(latest)} landed", started, "started")
                if latest is not None else Measure("dormancy", None, "started - cause landed: no cause in the store"
                                                   " that landed before the start"))
    return (between("ttd", started, "started", detected, "detected"),
            between("ttr", started, "started", resolved, "resolved"), dormancy)


def _stamp(t: int) -> str:
    """'2026-11-02 10:15' (UTC)."""
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M")


def _label(c: Change) -> str:
    return f"commit {c.ref[:7]}" if c.kind == "commit" else f"PR #{c.ref}"


def _changes(key: str, role: Role, stated: Sequence[StatedRow], facts: Facts, now: int,
             repo: str) -> tuple[Change, ...]:
    """The commits and PRs the postmortem names in `role`; a reference the store lacks stays, marked."""
    field = _ROLE_FIELD[role]
    out: list[Change] = []
    for s in stated:
        if s.role != role or s.kind not in ("commit", "pr"):
            continue
        if s.kind == "commit":
            found = [c for c in facts.commits if c.incident_key == key and c.role == role and c.ref == s.ref
                     and (not s.repo or c.repo == s.repo)]
            out += [Change(role, "commit", c.repo, c.hash, c.subject, c.committed_at,
                           f"named in the postmortem ({field}.commits)", *_commit_files(facts, c.repo, c.hash))
                    for c in found if c.committed_at <= now]
            if not found:
                out.append(Change(role, "commit", s.repo or repo, s.ref, "", None,
                                  f"named in the postmortem ({field}.commits); not in the store", in_store=False))
        else:
            found_prs = [p for p in facts.prs if p.incident_key == key and p.role == role and p.ref == s.ref
                         and (not s.repo or p.repo == s.repo)]
            out += [_pr_change(role, p.repo, p.number, p.title, p.state, p.created_at, p.merged_at,
                               f"named in the postmortem ({field}.prs)", facts, now)
                    for p in found_prs if (p.created_at or 0) <= now]
            if not found_prs:
                out.append(Change(role, "pr", s.repo or repo, s.ref, "", None,
                                  f"named in the postmortem ({field}.prs); not in the store", in_store=False))
    return tuple(out)


def _pr_change(role: Role, repo: str, number: int, title: str, state: str, created: int | None,
               merged: int | None, found_by: str, facts: Facts, now: int) -> Change:
    at = issue_state.pr_state_at(state, merged, None, now)
    landed = at.merged_at if at.merged_at is not None else created
    return Change(role, "pr", repo, str(number), title, landed, found_by, *_pr_files(facts, repo, number))


def _linked(key: str, facts: Facts, now: int) -> tuple[Change, ...]:
    """Fixes by the team's links: commits and PRs that name the incident's key."""
    out = [Change("fix", "commit", c.repo, c.hash, c.subject, c.committed_at, c.found_by,
                  *_commit_files(facts, c.repo, c.hash))
           for c in facts.key_commits if c.incident_key == key and c.committed_at <= now]
    out += [_pr_change("fix", p.repo, p.number, p.title, p.state, p.created_at, p.merged_at, p.found_by, facts, now)
            for p in facts.key_prs if p.incident_key == key and (p.created_at or 0) <= now]
    return tuple(out)


def _unique(changes: Iterable[Change], skip: set[tuple[str, str, str]]) -> tuple[Change, ...]:
    """First of each (kind, repo, ref), none of `skip`; ordered by kind, landing, repo, ref."""
    seen: dict[tuple[str, str, str], Change] = {}
    for c in changes:
        k = (c.kind, c.repo, c.ref)
        if k not in skip:
            seen.setdefault(k, c)
    return tuple(sorted(seen.values(), key=lambda c: (c.kind, c.landed_at or 0, c.repo, c.ref)))


def _commit_files(facts: Facts, repo: str, sha: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(components, paths) of one commit's files."""
    rows = [f for f in facts.commit_files if f.repo == repo and f.hash == sha]
    return tuple(sorted({f.component for f in rows if f.component})), tuple(sorted({f.path for f in rows}))


def _pr_files(facts: Facts, repo: str, number: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(components, paths) of one PR's files and its commits' files."""
    rows = [f for f in facts.pr_files if f.repo == repo and f.number == number]
    return tuple(sorted({f.component for f in rows if f.component})), tuple(sorted({f.path for f in rows}))


def _action(a: ActionRow, states: dict[str, issue_state.IssueState]) -> ActionItem:
    state = states.get(a.issue_key)
    if a.status is None or state is None:  # not ingested, or not created by `now`
        return ActionItem(a.issue_key, "", "", True, False)
    return ActionItem(a.issue_key, a.summary or "", state.status, state.status_category != "done", True)


# --- for other agents ---------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenAction:
    """An open postmortem action item (hygiene)."""

    incident: str
    incident_title: str
    key: str
    summary: str
    status: str
    ingested: bool
    since: int  # the incident's start


def open_actions(db: Reader, *, now: datetime) -> tuple[OpenAction, ...]:
    """Every open action item of every incident as of `now`: oldest incident first, then key."""
    out = [OpenAction(i.key, i.title, a.key, a.summary, a.status, a.ingested, i.started_at)
           for i in load(db, now=epoch(now)) for a in i.open_actions]
    return tuple(sorted(out, key=lambda a: (a.since, a.incident, a.key)))


def touching(items: Iterable[IncidentItem], path: str, repo: str | None = None) -> tuple[IncidentItem, ...]:
    """The incidents whose causes or fixes changed `path` (in `repo`, when given): file context."""
    return tuple(i for i in items if any(path in c.paths and (repo is None or c.repo == repo)
                                         for c in i.causes + i.fixes))


def summary_line(i: IncidentItem) -> str:
    """'INC-3 SEV2 Ingress outage after HTTP/2 (2026-05-25, resolved)' for other answers."""
    return f"{i.key} {i.severity} {i.title} ({iso_day(i.started_at)}, {i.state})".replace("  ", " ")
