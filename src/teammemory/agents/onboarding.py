"""Onboarding: what should a newcomer to a component read first, and whom should they ask?

A component is what `files.component` (config rules) or a Jira component says. Four lists, each
cut to `limit` (default `config.onboarding_limit`):

issues — ingested issues in the Jira component, or named by a commit/PR that changed its files:
    score = linked_commits*3 + linked_prs*3 + comments*1 + links*2 + bug*5
  linked_commits: distinct non-merge commits naming the key; linked_prs: distinct PRs naming it
  or containing such a commit; comments: Jira comments; links: linked issues (either side);
  bug: 1 when the type is one of config.bug_issue_types.
  Ties: -score, -last update (updated, else created), natural key order.
PRs — non-bot PRs that list a file of the component or contain a commit that changed one:
    score = component_files*2 + reviews*3 + review_comments*2 + comments*1 + issue_linked*5
  component_files: distinct component paths among its files and its commits' files;
  issue_linked: 1 when the PR or one of its commits names an issue key.
  Ties: -score, -(merged, else created), repo, number.
files — the component's files, by distinct (non-bot) people who changed them, then non-merge
  commits, then churn (lines added + deleted), then path (totals summed in SQL, ranked in Python).
people — expertise.ask_component (its own formula: commits, reviews, comments, churn, recency).
incidents — the component's incidents as of `now` (agents/incidents.py `load` and `keep`: stated
  by the postmortem, a Jira component, or the files its causes and fixes changed; `repo` keeps
  those of that repository), latest start first, then key.

The component's commits and per-file totals come from the summary tables (store/summaries.py),
so a component holding most of a long history is still read as one index range.

As of `now`: only commits authored, issues and PRs created, comments written and reviews
submitted at or before `now` count; an issue's status and a PR's state are those it had at `now`
(agents/issue_state.py; an issue's "last update" for the tie-break is its update time when that
is not later than `now`, else its last status change by then, else its creation). The files are
those that exist at `now` (agents/paths.py: not deleted or renamed away by then); before the
newest commit their totals are counted from the commits, not the summary table. `repo` keeps
one repository's files, commits and PRs (Jira's issues and comments belong to none and stay).

Why these weights: an issue that many commits, PRs, comments and links point to is where the
component's decisions were argued (the "hotspot" idea of code-maat and Tornhill's "Your Code as a
Crime Scene", applied to the tracker); bugs teach the failure modes; reviewed PRs carry the
explanations. Every score keeps its inputs and terms (evidence.Score). SQL: agents/sql/onboarding.sql
(authors are people as the `persons` view groups them).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar, get_args

from teammemory.agents import expertise, paths
from teammemory.agents.context_common import IncidentRef, incident_refs, key_order
from teammemory.agents.evidence import Person, Score, epoch, iso_day, not_found
from teammemory.agents.issue_state import issue_states, pr_state_at
from teammemory.config import Config
from teammemory.store import Reader, queries

if TYPE_CHECKING:
    from teammemory.agents.incidents import IncidentItem

Q = queries.load("teammemory.agents.sql", "onboarding.sql")
ISSUE_WEIGHTS = {"linked_commits": 3, "linked_prs": 3, "comments": 1, "links": 2, "bug": 5}
PR_WEIGHTS = {"component_files": 2, "reviews": 3, "review_comments": 2, "comments": 1, "issue_linked": 5}
ISSUE_FORMULA = " + ".join(f"{name}*{w}" for name, w in ISSUE_WEIGHTS.items())  # "linked_commits*3 + ..."
PR_FORMULA = " + ".join(f"{name}*{w}" for name, w in PR_WEIGHTS.items())
K = TypeVar("K", bound=Hashable)
ListName = Literal["issues", "prs", "files", "people"]
RANKING: tuple[tuple[ListName, str], ...] = (
    ("issues", f"score = {ISSUE_FORMULA}; ties: later update, then key"),
    ("prs", f"score = {PR_FORMULA}; bot PRs left out; ties: later merge/creation, then repo, number"),
    ("files", "distinct people who changed it, then commits, then lines changed, then path"),
    ("people", "expertise score over the component's files (commits, reviews, comments, churn, recency)"),
)
IssueFact = Literal["commit", "pr", "comment", "link"]
PrFact = Literal["file", "review", "review_comment", "comment", "issue"]


@dataclass(frozen=True)
class RankedIssue:
    key: str
    summary: str
    status: str
    issue_type: str
    score: Score
    found_by: tuple[str, ...]


@dataclass(frozen=True)
class RankedPr:
    repo: str
    number: int
    title: str
    state: str
    author: Person | None
    date: str
    score: Score


@dataclass(frozen=True)
class CentralFile:
    path: str
    people: int
    commits: int
    churn: int
    last_at: int
    last: str


@dataclass(frozen=True)
class PersonToAsk:
    person: Person
    score: Score
    summary: str


@dataclass(frozen=True)
class Onboarding:
    component: str
    ranking: tuple[tuple[ListName, str], ...]
    issues: tuple[RankedIssue, ...]
    prs: tuple[RankedPr, ...]
    files: tuple[CentralFile, ...]
    people: tuple[PersonToAsk, ...]
    incidents: tuple[IncidentRef, ...] = ()


class IssueRow(NamedTuple):
    found_by: str
    key: str
    summary: str
    status: str
    issue_type: str
    created_at: int | None
    updated_at: int | None


class IssueFactRow(NamedTuple):
    k: str
    kind: IssueFact
    ref: str


class PrRow(NamedTuple):
    repo: str
    number: int
    title: str
    state: str
    merged_at: int | None
    closed_at: int | None
    created_at: int | None
    a_key: str | None  # the author's person (None: no author)
    a_name: str | None
    a_bot: int | None


class PrFactRow(NamedTuple):
    repo: str
    number: int
    kind: PrFact
    ref: str


class FileRow(NamedTuple):
    path: str
    commits: int
    churn: int
    last_at: int
    people: int


class AnyRow(NamedTuple):
    x: int


class NameRow(NamedTuple):
    c: str


def ask(db: Reader, component: str, *, now: datetime, config: Config, limit: int | None = None,
        repo: str | None = None) -> Onboarding:
    """The reading list and the people to ask for `component` as of `now` (in `repo`, or every
    repository); NotFound with close names when unknown."""
    paths.check_repo(db, repo)
    at = epoch(now)
    q = {"now": at, "repo": repo or ""}
    typed = component.strip()
    here = _existing(db, typed, at, repo)
    name = _find(db, typed, at, repo, here)
    n = config.onboarding_limit if limit is None else limit
    issues = rank_issues(*_issues(db, name, at, q), config.bug_issue_types)
    prs = rank_prs(*_prs(db, name, at, q))
    files = rank_files(_files(db, name, at, repo, here))
    people = _people(db, name, now, config, repo, tuple(sorted({f.path for f in here if f.component == name})))
    return Onboarding(name, RANKING, tuple(issues[:n]), tuple(prs[:n]), tuple(files[:n]),
                      tuple(people[:n]), tuple(incident_refs(_incidents(db, name, at, repo))))


def _existing(db: Reader, name: str, now: int, repo: str | None) -> list[paths.FileRow]:
    """The files that exist at `now` (in `repo`) whose component is `name` in any letter case: what
    `paths.current_files` holds of them, read by the component alone (not every file of the store)."""
    query = Q["component-paths"] if paths.sees_all(db, now) else Q["component-paths-as-of"]
    removed = paths.gone(db, now=now)
    return [f for f in db.fetch(query, paths.FileRow, component=name, now=now, repo=repo or "")
            if (f.repo, f.path) not in removed]


def _incidents(db: Reader, name: str, now: int, repo: str | None) -> list[IncidentItem]:
    """The component's incidents (incidents.load, .keep); none when the store holds no postmortem
    and no issue, which incidents.load would read to find none (its import is skipped then too)."""
    if not db.fetch(Q["any-incident"], AnyRow):
        return []
    from teammemory.agents import incidents

    return [i for i in incidents.load(db, now=now) if incidents.keep(i, component=name, repo=repo)]


def _issues(db: Reader, name: str, now: int, q: dict[str, object]) -> tuple[list[IssueRow], list[IssueFactRow]]:
    """(issues as they were at `now`, their facts); both skipped when the store holds no issues at
    all, and the facts when no issue qualifies: rank_issues only scores issues, so nothing changes
    but the cost."""
    items = db.fetch(Q["issues"], IssueRow, component=name, **q) if db.fetch(Q["any-issue"], AnyRow) else []
    facts = db.fetch(Q["issue-facts"], IssueFactRow, component=name, **q) if items else []
    return _issues_at(db, items, now), facts


def _issues_at(db: Reader, rows: list[IssueRow], now: int) -> list[IssueRow]:
    """The rows with the status each issue had at `now` and, when its update time is later, its last
    status change by then (else its creation) as its last update."""
    states = issue_states(db, {r.key for r in rows}, now)
    out = []
    for r in rows:
        s = states[r.key]
        updated = r.updated_at if r.updated_at is not None and r.updated_at <= now else s.changed_at or r.created_at
        out.append(r._replace(status=s.status, updated_at=updated))
    return out


def _prs(db: Reader, name: str, now: int, q: dict[str, object]) -> tuple[list[PrRow], list[PrFactRow]]:
    """(PRs with their state at `now`, their facts), skipped as `_issues` skips issues."""
    items = db.fetch(Q["prs"], PrRow, component=name, **q) if db.fetch(Q["any-pr"], AnyRow) else []
    at_now = [r._replace(state=s.state, merged_at=s.merged_at, closed_at=s.closed_at)
              for r in items for s in [pr_state_at(r.state, r.merged_at, r.closed_at, now)]]
    return at_now, db.fetch(Q["pr-facts"], PrFactRow, component=name, **q) if items else []


def _files(db: Reader, name: str, now: int, repo: str | None, here: list[paths.FileRow]) -> list[FileRow]:
    """Per-path totals of the component's files that exist at `now` (`here`; summary table when
    `now` sees every commit)."""
    exists = {f.path for f in here if f.component.lower() == name.lower()}
    query = Q["files"] if paths.sees_all(db, now) else Q["files-as-of"]
    return [r for r in db.fetch(query, FileRow, component=name, now=now, repo=repo or "") if r.path in exists]


def _find(db: Reader, name: str, now: int, repo: str | None, here: list[paths.FileRow]) -> str:
    """The component as the store spells it at `now` (case-insensitive match), else NotFound.
    Spelled exactly as an existing file's component (`here`), it is that: the common case needs
    no list of every name."""
    if name and any(f.component == name for f in here):
        return name
    jira = {r.c for r in db.fetch(Q["jira-components"], NameRow, now=now)}
    names = sorted((set(paths.components(db, now=now, repo=repo)) | jira) - {""})
    exact = [c for c in names if c == name] or [c for c in names if c.lower() == name.lower()]
    if not exact:
        raise not_found("component", name, names)
    return exact[0]


def _people(db: Reader, name: str, now: datetime, config: Config, repo: str | None, files: tuple[str, ...]
            ) -> list[PersonToAsk]:
    """Component experts (expertise.ask_component over `files`, its existing files, as
    paths.component_files gives them); none when only Jira knows the component (no such file)."""
    if not files:
        return []
    found = expertise.ask_component(db, name, now=now, config=config, repo=repo, files=files)
    return [PersonToAsk(e.person, e.score, e.summary) for e in found.experts]


def rank_issues(issues: Sequence[IssueRow], facts: Sequence[IssueFactRow], bug_types: Sequence[str]
                ) -> list[RankedIssue]:
    """Pure: score each issue from its facts (k, kind, ref) by ISSUE_FORMULA and sort."""
    refs = _group(facts, lambda r: r.k)
    bugs = {t.lower() for t in bug_types}
    found: dict[str, set[str]] = {}
    rows: dict[str, IssueRow] = {}
    for r in issues:
        found.setdefault(r.key, set()).add(r.found_by)
        rows.setdefault(r.key, r)
    out = []
    for key, r in rows.items():
        c = {kind: len(refs.get(key, {}).get(kind, set())) for kind in get_args(IssueFact)}
        bug = int((r.issue_type or "").lower() in bugs)
        score = _score(ISSUE_FORMULA, ISSUE_WEIGHTS, {"linked_commits": c["commit"], "linked_prs": c["pr"],
                                                      "comments": c["comment"], "links": c["link"], "bug": bug})
        item = RankedIssue(key, r.summary, r.status, r.issue_type, score, tuple(sorted(found[key])))
        out.append((-(r.updated_at or r.created_at or 0), item))
    out.sort(key=lambda item: (-item[1].score.total, item[0], key_order(item[1].key)))
    return [item for _, item in out]


def rank_prs(prs: Sequence[PrRow], facts: Sequence[PrFactRow]) -> list[RankedPr]:
    """Pure: score each non-bot PR from its facts (repo, number, kind, ref) by PR_FORMULA and sort."""
    refs = _group(facts, lambda r: (r.repo, r.number))
    out = []
    for r in prs:
        if r.a_bot:
            continue
        pr = (r.repo, r.number)
        c = {kind: len(refs.get(pr, {}).get(kind, set())) for kind in get_args(PrFact)}
        linked = int(c["issue"] > 0)
        score = _score(PR_FORMULA, PR_WEIGHTS, {"component_files": c["file"], "reviews": c["review"],
                                                "review_comments": c["review_comment"], "comments": c["comment"],
                                                "issue_linked": linked})
        at = r.merged_at if r.merged_at is not None else r.created_at
        author = None if r.a_key is None else Person(r.a_key, str(r.a_name))
        out.append((-(at or 0), RankedPr(pr[0], pr[1], r.title, r.state, author, iso_day(at), score)))
    out.sort(key=lambda item: (-item[1].score.total, item[0], item[1].repo, item[1].number))
    return [item for _, item in out]


def rank_files(rows: Sequence[FileRow]) -> list[CentralFile]:
    """Pure: files from per-path totals (path, commits, churn, last_at, people), sorted as RANKING
    says. The `files` query sums them in SQL: a component's history can be most of the store's."""
    out = [CentralFile(r.path, r.people, r.commits, r.churn, r.last_at, iso_day(r.last_at)) for r in rows]
    return sorted(out, key=lambda f: (-f.people, -f.commits, -f.churn, f.path))


def _score(formula: str, weights: dict[str, int], inputs: dict[str, int]) -> Score:
    """The Score of `formula`: each input times its weight (one term per weight, in its order)."""
    return Score.of(formula, {**inputs}, {name: inputs[name] * w for name, w in weights.items()})


F = TypeVar("F", IssueFactRow, PrFactRow)


def _group(facts: Sequence[F], key_of: Callable[[F], K]) -> dict[K, dict[str, set[str]]]:
    """{key: {kind: {ref, ...}}} from fact rows."""
    out: dict[K, dict[str, set[str]]] = {}
    for r in facts:
        out.setdefault(key_of(r), {}).setdefault(r.kind, set()).add(r.ref)
    return out
