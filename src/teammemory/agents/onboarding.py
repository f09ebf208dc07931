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

The component's commits and per-file totals come from the summary tables (store/summaries.py),
so a component holding most of a long history is still read as one index range.

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
from typing import Literal, NamedTuple, TypeVar, get_args

from teammemory.agents import expertise, paths
from teammemory.agents.context_common import key_order
from teammemory.agents.evidence import Person, Score, iso_day, not_found
from teammemory.config import Config
from teammemory.store import Reader, queries

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


def ask(db: Reader, component: str, *, now: datetime, config: Config, limit: int | None = None) -> Onboarding:
    """The reading list and the people to ask for `component`; NotFound with close names when unknown."""
    name = _find(db, component.strip())
    n = config.onboarding_limit if limit is None else limit
    issues = rank_issues(*_issues(db, name), config.bug_issue_types)
    prs = rank_prs(*_prs(db, name))
    files = rank_files(db.fetch(Q["files"], FileRow, component=name))
    return Onboarding(name, RANKING, tuple(issues[:n]), tuple(prs[:n]), tuple(files[:n]),
                      tuple(_people(db, name, now, config)[:n]))


def _issues(db: Reader, name: str) -> tuple[list[IssueRow], list[IssueFactRow]]:
    """(issues, their facts); both skipped when the store holds no issues at all, and the facts when
    no issue qualifies: rank_issues only scores issues, so nothing changes but the cost."""
    items = db.fetch(Q["issues"], IssueRow, component=name) if db.fetch(Q["any-issue"], AnyRow) else []
    return items, db.fetch(Q["issue-facts"], IssueFactRow, component=name) if items else []


def _prs(db: Reader, name: str) -> tuple[list[PrRow], list[PrFactRow]]:
    """(PRs, their facts), skipped as `_issues` skips issues."""
    items = db.fetch(Q["prs"], PrRow, component=name) if db.fetch(Q["any-pr"], AnyRow) else []
    return items, db.fetch(Q["pr-facts"], PrFactRow, component=name) if items else []


def _find(db: Reader, name: str) -> str:
    """The component as the store spells it (case-insensitive match), else NotFound."""
    names = sorted({r.c for r in db.fetch(Q["component-names"], NameRow)} - {""})
    exact = [c for c in names if c == name] or [c for c in names if c.lower() == name.lower()]
    if not exact:
        raise not_found("component", name, names)
    return exact[0]


def _people(db: Reader, name: str, now: datetime, config: Config) -> list[PersonToAsk]:
    """Component experts (expertise.ask_component); none when only Jira knows the component."""
    if name not in paths.components(db):
        return []
    found = expertise.ask_component(db, name, now=now, config=config)
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
