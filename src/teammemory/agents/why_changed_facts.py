"""The facts why-changed groups: the changes of a file or a component over two windows, and each
commit's people, issues (directly or through its PRs), PRs and the issues' types and epics.

Read in few queries (agents/sql/why_changed.sql): the window's (commit, path) rows, then the
commits' links by primary key, a few hundred hashes at a time. A change counts under the name
the file had last in the window (risk_window.fold_renames), so a file renamed in the window is
one file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents import paths, persons
from teammemory.agents.evidence import Person
from teammemory.agents.risk_window import FactRow, fold_renames
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "why_changed.sql")


class WindowRow(NamedTuple):
    repo: str
    hash: str
    path: str
    old_path: str
    change_type: str
    authored_at: int
    committed_at: int
    churn: int
    is_bug_fix: int
    is_revert: int
    subject: str


class PeopleRow(NamedTuple):
    hash: str
    identity_key: str


class IssueLinkRow(NamedTuple):
    hash: str
    issue_key: str


class PrRow(NamedTuple):
    hash: str
    pr_repo: str
    number: int
    title: str


class PrIssueRow(NamedTuple):
    pr_repo: str
    number: int
    issue_key: str


class IssueRow(NamedTuple):
    key: str
    summary: str
    issue_type: str
    parent_key: str


@dataclass(frozen=True)
class CommitFacts:
    """One commit of the windows, with what it served."""

    ref: str  # 'repo@hash'
    subject: str
    authored_at: int
    is_bug_fix: bool
    is_revert: bool
    people: tuple[Person, ...]  # humans first by key, then bots
    bots: frozenset[str]  # the person keys among `people` that are bots
    issues: tuple[str, ...]  # issue keys: named by the commit or by one of its PRs
    prs: tuple[tuple[str, str], ...]  # ('org/app#7', title)
    files: dict[str, int]  # path (folded across renames; deleted files left out) -> churn
    churn: int  # lines added+deleted on the target's paths, deleted files included


@dataclass(frozen=True)
class Facts:
    commits: dict[str, CommitFacts]
    issues: dict[str, IssueRow]  # the linked issues and their parents that the store holds


def read_file(db: Reader, spans: Iterable[paths.PathSpan], since: int, end: int) -> Facts:
    cte, params = paths.spans_cte(spans)
    rows = db.fetch(Q["file-window"].fill(target=cte), WindowRow, **params, since=since, now=end)
    return _facts(db, rows)


def read_component(db: Reader, component: str, since: int, end: int, repo: str | None) -> Facts:
    rows = db.fetch(Q["component-window"], WindowRow, component=component, since=since, now=end, repo=repo or "")
    return _facts(db, rows)


def _facts(db: Reader, rows: list[WindowRow]) -> Facts:
    by_repo: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        by_repo[r.repo].add(r.hash)
    people, issues, prs = _people(db, by_repo), _issue_links(db, by_repo), _prs(db, by_repo)
    pr_issues = _pr_issues(db, {label for ps in prs.values() for label, _ in ps})
    for ref, ps in prs.items():
        issues[ref] |= {k for label, _ in ps for k in pr_issues.get(label, ())}
    keys = {k for ks in issues.values() for k in ks}
    known = _issues(db, keys)
    known.update(_issues(db, {i.parent_key for i in known.values() if i.parent_key} - set(known)))
    folded = fold_renames([FactRow(f"{r.repo}@{r.hash}", r.path, r.old_path, r.change_type, r.churn) for r in rows],
                          {f"{r.repo}@{r.hash}": r.committed_at for r in rows})
    files: dict[str, dict[str, int]] = defaultdict(dict)
    for path, facts in folded.items():
        for f in facts:
            files[f.ref][path] = files[f.ref].get(path, 0) + f.churn
    churn: dict[str, int] = defaultdict(int)
    for r in rows:
        churn[f"{r.repo}@{r.hash}"] += r.churn
    commits = {}
    for r in rows:
        ref = f"{r.repo}@{r.hash}"
        if ref not in commits:
            who = people.get(ref, [])
            commits[ref] = CommitFacts(ref, r.subject, r.authored_at, bool(r.is_bug_fix), bool(r.is_revert),
                                       tuple(w.person for w in who), frozenset(w.person.key for w in who if w.is_bot),
                                       tuple(sorted(issues.get(ref, ()))), tuple(sorted(prs.get(ref, ()))),
                                       files.get(ref, {}), churn[ref])
    return Facts(commits, known)


def _people(db: Reader, by_repo: dict[str, set[str]]) -> dict[str, list[persons.Who]]:
    rows = [(repo, r) for repo, marks, params in _chunks(by_repo)
            for r in db.fetch(Q["commit-people"].fill(hashes=marks), PeopleRow, **params, repo=repo)]
    who = persons.lookup(db, {r.identity_key for _, r in rows})
    out: dict[str, dict[str, persons.Who]] = defaultdict(dict)
    for repo, r in rows:
        w = persons.who(who, r.identity_key)
        out[f"{repo}@{r.hash}"][w.person.key] = w
    return {ref: sorted(ws.values(), key=lambda w: (w.is_bot, w.person.key)) for ref, ws in out.items()}


def _issue_links(db: Reader, by_repo: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for repo, marks, params in _chunks(by_repo):
        for r in db.fetch(Q["commit-issues"].fill(hashes=marks), IssueLinkRow, **params, repo=repo):
            out[f"{repo}@{r.hash}"].add(r.issue_key)
    return out


def _prs(db: Reader, by_repo: dict[str, set[str]]) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    repos_of: dict[str, list[str]] = defaultdict(list)
    for repo, hashes in by_repo.items():
        for h in hashes:
            repos_of[h].append(repo)
    for marks, params in queries.in_list(repos_of, "k"):
        for r in db.fetch(Q["commit-prs"].fill(hashes=marks), PrRow, **params):
            for repo in repos_of[r.hash]:
                out[f"{repo}@{r.hash}"].add((f"{r.pr_repo}#{r.number}", r.title))
    return out


def _pr_issues(db: Reader, labels: set[str]) -> dict[str, set[str]]:
    numbers = {int(label.rpartition("#")[2]) for label in labels}
    out: dict[str, set[str]] = defaultdict(set)
    for marks, params in queries.in_list(numbers, "k"):
        for r in db.fetch(Q["pr-issues"].fill(numbers=marks), PrIssueRow, **params):
            label = f"{r.pr_repo}#{r.number}"
            if label in labels:
                out[label].add(r.issue_key)
    return out


def _issues(db: Reader, keys: set[str]) -> dict[str, IssueRow]:
    return {r.key: r for marks, params in queries.in_list(keys, "k")
            for r in db.fetch(Q["issues"].fill(keys=marks), IssueRow, **params)}


def _chunks(by_repo: dict[str, set[str]]) -> list[tuple[str, str, dict[str, object]]]:
    return [(repo, marks, params) for repo in sorted(by_repo) for marks, params in queries.in_list(by_repo[repo], "k")]
