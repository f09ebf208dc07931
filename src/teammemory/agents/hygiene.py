"""Hygiene: how well are git, GitHub and Jira linked, and where does the memory have holes?

A data-quality report, not a blame tool: no check lists people (identity checks list accounts,
because they are the data being checked). Every check has a count, a denominator and

    percent  = round(100 * count / denominator, 1)
    coverage = round(100 * (denominator - count) / denominator, 1)   (None when denominator = 0)

plus a few examples in a stable order. Checks:
- commits without an issue key: non-merge commits by people who are not bots, naming no key of a
  known project (denominator: those commits); examples newest first;
- PRs not linked to an issue: non-bot PRs that name no issue and contain no commit naming a key
  of a known project;
- PRs with an empty description: non-bot PRs whose body is blank;
- issues done without any commit: status category 'done', no commit names the key and no PR
  naming it lists a commit (Won't Do / Duplicate resolutions land here too, on purpose visible);
- files without a component: no config rule matched the path;
- accounts tied to no other account: non-bot identities that are alone in their developer (no
  rule tied them to another account: a GitHub login never matched to a git author, a Jira user
  never matched to anyone) or not resolved at all; denominator: non-bot identities;
- ignored keys: keys commits name whose project is neither in config.project_keys nor among
  ingested issues' projects (false keys like 'PY-3'; they count for nothing);
- dangling keys: keys of a known project with no ingested issue (Jira not ingested that far; for
  a GitHub 'OWNER/REPO#N', often a PR's number after a closing keyword such as 'Fixes #N');
- possible duplicate people: the same name, folded (case, accents, punctuation), on accounts of
  different non-bot people; only suggested, never merged (SortingHat's recommendations).
Beyond linkage (agents/hygiene_process.py, whose docstring has the rules): PRs merged with no
approving review, commits on the default branch that came through no PR, open postmortem action
items (three more checks), and link coverage per repository, component and month (`coverage`).
When no project is known at all (no issues ingested, none configured), every key counts as a
key and the two key checks are not applicable (denominator 0). A GitHub issue key 'OWNER/REPO#N'
(from closing keywords, `fixes #N`) has the project OWNER/REPO, known once issues of that
repository are ingested (or when it is listed in issues.project_keys, in any letter case).

As of `now`: only commits authored, PRs and issues created at or before `now` count, an issue is
done when its status category at `now` is (agents/issue_state.py), the files are those that exist
at `now` (agents/paths.py: known by then, not deleted or renamed away), and the accounts are those
seen by then (an act at or before `now`; which accounts form one developer is identity
resolution's answer over the whole store). `repo` keeps one repository's commits, PRs and files
(issues, keys' ingestion and accounts are the store's).

Sources: the linkage-quality measures of Bird et al., "Fair and Balanced? Bias in Bug-Fix
Datasets" (2009) and SortingHat's identity recommendations. SQL: agents/sql/hygiene.sql (which also
says why commits are counted as they are); the two identity checks: agents/hygiene_identities.py.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from teammemory.agents import hygiene_links, hygiene_process, paths
from teammemory.agents.context_common import key_order
from teammemory.agents.evidence import epoch, iso_day, short
from teammemory.agents.hygiene_identities import IdentityRow, IdentitySuggestion, alone, duplicates, suggest_identities
from teammemory.agents.issue_state import issue_states
from teammemory.config import Config
from teammemory.issue_keys import issue_project
from teammemory.store import Reader, queries
from teammemory.store.queries import Query

Q = queries.load("teammemory.agents.sql", "hygiene.sql")
COMMIT_QUERIES = ("commit-counts", "linked-commits", "newest-unlinked", "unlinked-since")  # each in 3 variants
FORMULA = ("percent = round(100 * count / denominator, 1); "
           "coverage = round(100 * (denominator - count) / denominator, 1)")
Item = tuple[tuple[object, ...], str]  # a failing item: (sort key, example text)
CheckName = Literal["commits_without_issue", "prs_without_issue", "prs_without_description",
                    "done_issues_without_commit", "files_without_component", "identities_unresolved",
                    "ignored_keys", "dangling_keys", "possible_duplicate_people", "prs_without_approval",
                    "commits_without_pr", "open_action_items"]


@dataclass(frozen=True)
class Check:
    name: CheckName
    title: str
    count: int
    denominator: int
    denominator_label: str
    percent: float | None
    coverage: float | None
    formula: str
    examples: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class HygieneReport:
    as_of: str
    known_projects: tuple[str, ...]
    checks: tuple[Check, ...]
    suggestions: tuple[IdentitySuggestion, ...]
    coverage: tuple[hygiene_process.Coverage, ...] = ()  # link coverage per repository, component, month


class ProjectRow(NamedTuple):
    project: str


class CountRow(NamedTuple):
    n: int


class CommitCountsRow(NamedTuple):
    total: int
    others: int  # merges and bots' commits
    others_linked: int


class CommitRow(NamedTuple):
    repo: str
    hash: str
    subject: str
    authored_at: int


class PrRow(NamedTuple):
    repo: str
    number: int
    title: str
    created_at: int | None
    body_head: str
    a_bot: int | None  # None: no author


class PrKeyRow(NamedTuple):
    repo: str
    number: int
    k: str


class DoneRow(NamedTuple):
    key: str
    summary: str
    status_category: str
    resolution: str
    resolved_at: int | None
    has_commit: int
    later: int  # 1: its status or resolution changed after `now` (its state at `now` is read)


class LatestRow(NamedTuple):
    at: int | None


class KeyRow(NamedTuple):
    k: str
    project: str
    commits: int
    ingested: int


def check(name: CheckName, title: str, bad: Sequence[Item], denominator: int, label: str, *, examples: int,
          note: str = "", count: int | None = None) -> Check:
    """Pure: a Check from the failing items ((sort key, example text)) and the denominator.
    `count` when `bad` holds only the candidates for the examples (counted in SQL), not every item."""
    count = len(bad) if count is None else count
    percent = round(100 * count / denominator, 1) if denominator else None
    coverage = round(100 * (denominator - count) / denominator, 1) if denominator else None
    shown = tuple(text for _, text in sorted(bad, key=lambda item: (item[0], item[1]))[:examples])
    return Check(name, title, count, denominator, label, percent, coverage, FORMULA, shown, note)


def ask(db: Reader, *, now: datetime, config: Config, examples: int = 5, repo: str | None = None) -> HygieneReport:
    """Every check over the store as of `now` (in `repo`, or every repository): SQL in hygiene.sql,
    arithmetic in the pure functions below."""
    paths.check_repo(db, repo)
    at = epoch(now)
    q = {"now": at, "repo": repo or ""}
    ingested = db.fetch(Q["issue-projects"], ProjectRow, now=at)
    known = set(config.project_keys) | {r.project for r in ingested}
    keys_q = Q["keys"] if paths.sees_all(db, at) else Q["keys-as-of"]
    keys = db.fetch(keys_q, KeyRow, **q) if known else []  # without a known project the key checks cannot tell
    identities = _identities(db, at)
    suggestions = suggest_identities(identities)
    prs = db.fetch(Q["prs"], PrRow, **q)
    files = paths.current_files(db, now=at, repo=repo)
    counts = hygiene_links.read(db, at, repo)  # None before the newest commit: the raw rows answer
    named = _named(db, counts) if known else []
    checks = (
        commits_without_issue(db, known, examples, q, counts, named),
        prs_without_issue(prs, db.fetch(Q["pr-keys"], PrKeyRow, now=at), known, examples),
        prs_without_description(prs, examples),
        done_without_commit(_done_at(db, db.fetch(Q["done-issues"], DoneRow, **q), at), examples),
        files_without_component([(f.repo, f.path, f.component) for f in files], len(files), examples),
        _alone(identities, examples),
        *key_checks(keys, known, examples),
        check("possible_duplicate_people", "people who may be one person (same name)",
              *duplicates(suggestions, identities), "people (not bots)", examples=examples,
              note="suggestions only: merge with `teammemory identities merge A B`"),
        *process_checks(db, at, repo, examples, newest=counts is not None),
    )
    return HygieneReport(iso_day(at), tuple(sorted(known)), checks, suggestions,
                         hygiene_process.coverage(db, at, repo, _link_projects(named, known), counts))


def _named(db: Reader, counts: hygiene_links.LinkCounts | None) -> list[str]:
    """The projects the keys commits name (from the link counts when they answer)."""
    if counts is not None:
        return sorted(counts.named)
    return [r.project for r in db.fetch(Q["commit-projects"], ProjectRow)]


def _link_projects(named: Sequence[str], known: set[str]) -> list[str] | None:
    """The projects whose keys count as links, spelled as commits spell them; None: every key."""
    if not known:
        return None
    projects = [p for p in named if not p or _known(p, known)]
    return None if len(projects) == len(named) else projects


def process_checks(db: Reader, now: int, repo: str | None, examples: int,
                   newest: bool = False) -> tuple[Check, Check, Check]:
    """PRs merged with no approving review, commits that came through no PR, open action items
    (`newest`: `now` is at or after the newest commit, so counts kept at ingest may answer)."""
    q = {"now": now, "repo": repo or ""}
    unapproved, merged = hygiene_process.unapproved(db, q)
    direct, bad, first_parent = hygiene_process.direct_commits(db, now, repo, examples, newest)
    actions, items = hygiene_process.open_actions(db, now, repo)
    return (check("prs_without_approval", "PRs merged with no approving review", unapproved, merged, "merged PRs",
                  examples=examples, note="approving: a review APPROVED by someone other than the author,"
                                          " before the merge"),
            check("commits_without_pr", "commits on the default branch through no PR", direct, first_parent,
                  "first-parent commits", examples=examples, count=bad),
            check("open_action_items", "open postmortem action items", actions, items, "action items",
                  examples=examples))


def _identities(db: Reader, now: int) -> list[IdentityRow]:
    """The accounts seen at or before `now` (every account when nothing later is recorded)."""
    latest = db.fetch_one(Q["latest-activity"], LatestRow)
    if latest is None or latest.at is None or now >= latest.at:
        return db.fetch(Q["identities"], IdentityRow)
    return db.fetch(Q["identities-as-of"], IdentityRow, now=now)


def _done_at(db: Reader, rows: list[DoneRow], now: int) -> list[DoneRow]:
    """The issues done at `now`: rows whose state changed later get their category and resolution
    then (issue_state.issue_states)."""
    states = issue_states(db, [r.key for r in rows if r.later], now)
    out = []
    for r in rows:
        s = states.get(r.key) if r.later else None
        if s is not None:
            r = r._replace(status_category=s.status_category, resolution=s.resolution, resolved_at=s.resolved_at)
        if r.status_category.lower() == "done":
            out.append(r)
    return out


def _is_key(key: str, project: str, known: set[str]) -> bool:
    """A reference counts as an issue link: no project part, or a known project (any when none is)."""
    return not project or not known or _known(project, known)


def _known(project: str, known: set[str]) -> bool:
    """Configured project keys are upper-cased; GitHub's 'owner/repo' is matched in any case."""
    return project in known or project.upper() in known


def commits_without_issue(db: Reader, known: set[str], examples: int, scope: dict[str, object],
                          link_counts: hygiene_links.LinkCounts | None = None,
                          named: Sequence[str] = ()) -> Check:
    """Counted from the link counts when they answer, else in SQL (hygiene.sql says why it counts
    this way); the examples from every unlinked commit as new as the n-th newest:
        unlinked = people's commits - (linked commits - linked commits that are not people's work)"""
    (counts_q, linked_q, newest_q, since_q), projects, links = _commit_queries(known, named)
    params = {**projects, **scope}
    if link_counts is not None:
        _, people, n_linked = hygiene_links.commit_totals(link_counts, links)
        bad = people - n_linked
    else:
        [counts] = db.fetch(counts_q, CommitCountsRow, **params)  # aggregates: one row each
        [linked] = db.fetch(linked_q, CountRow, **params)
        people = counts.total - counts.others
        bad = people - (linked.n - counts.others_linked)
    newest = db.fetch(newest_q, CommitRow, **params, n=max(1, int(examples)))
    since = min((r.authored_at for r in newest), default=None)
    rows = [] if since is None or examples <= 0 else db.fetch(since_q, CommitRow, **params, since=since)
    items = [((-c.authored_at, c.repo, c.hash), f"{short(c.hash)} {c.subject}") for c in rows]
    return check("commits_without_issue", "commits without an issue key", items, people,
                 "non-merge commits (not bots)", examples=examples, count=bad)


def _commit_queries(known: set[str], named: Sequence[str]
                    ) -> tuple[list[Query | str], dict[str, object], hygiene_links.Links]:
    """The four commit statements (COMMIT_QUERIES) for the known projects, their parameters and
    the projects whose keys are links (None: every key): with the known projects spelled as
    commits spell them (`named`, decided in Python by `_known`); no filter when no project is
    known or every project commits name is (hygiene.sql)."""
    projects = sorted(p for p in named if _known(p, known))
    if not known or len(projects) == len(named):
        return [Q[name] for name in COMMIT_QUERIES], {}, None
    if not projects:
        return [Q[f"{name}-of-no-project"] for name in COMMIT_QUERIES], {}, frozenset()
    marks, params = queries.one_list(projects, "p")
    return [Q[f"{name}-of-projects"].fill(projects=marks) for name in COMMIT_QUERIES], params, frozenset(projects)


def prs_without_issue(prs: Sequence[PrRow], keys: Sequence[PrKeyRow], known: set[str], examples: int) -> Check:
    linked = {(r.repo, r.number) for r in keys if _is_key(r.k, issue_project(r.k), known)}
    people = [p for p in prs if not p.a_bot]
    bad = [_pr_item(p) for p in people if (p.repo, p.number) not in linked]
    return check("prs_without_issue", "PRs not linked to an issue", bad, len(people), "PRs (not bots)",
                 examples=examples)


def prs_without_description(prs: Sequence[PrRow], examples: int) -> Check:
    people = [p for p in prs if not p.a_bot]
    bad = [_pr_item(p) for p in people if not (p.body_head or "").strip()]
    return check("prs_without_description", "PRs with an empty description", bad, len(people),
                 "PRs (not bots)", examples=examples)


def _pr_item(p: PrRow) -> Item:
    """Newest first, then repo and number."""
    return (-(p.created_at or 0), p.repo, p.number), f"{p.repo}#{p.number} {p.title}"


def done_without_commit(issues: Sequence[DoneRow], examples: int) -> Check:
    bad = [((-(r.resolved_at or 0), key_order(r.key)),
            f"{r.key} {r.summary}" + (f" ({r.resolution})" if r.resolution else ""))
           for r in issues if not r.has_commit]
    return check("done_issues_without_commit", "issues done without any commit", bad, len(issues),
                 "done issues", examples=examples)


def files_without_component(files: Sequence[tuple[str, str, str | None]], total: int, examples: int) -> Check:
    """`files` are (repo, path, component) and may hold only those without a component; `total`
    counts them all."""
    bad = [((path, repo), path) for repo, path, component in files if not component]
    return check("files_without_component", "files without a component", bad, total, "files",
                 examples=examples, note="add a rule to [components] in teammemory.toml")


def _alone(identities: Sequence[IdentityRow], examples: int) -> Check:
    bad, accounts = alone(identities)
    return check("identities_unresolved", "accounts tied to no other account", bad, accounts,
                 "identities (not bots)", examples=examples,
                 note="tie them with [[identity.aliases]] or `teammemory identities merge A B`" if bad else "")


def key_checks(keys: Sequence[KeyRow], known: set[str], examples: int) -> tuple[Check, Check]:
    """(ignored keys, dangling keys) over the distinct keys commits name."""
    if not known:
        note = "no issues ingested and no issues.project_keys configured: cannot tell"
        return (check("ignored_keys", "keys of unknown projects (ignored)", [], 0, "keys named",
                      examples=examples, note=note),
                check("dangling_keys", "keys with no ingested issue", [], 0, "keys of known projects",
                      examples=examples, note=note))
    is_known = {p: _known(p, known) for p in {r.project for r in keys}}
    ignored = [r for r in keys if not is_known[r.project]]
    of_known = [r for r in keys if is_known[r.project]]
    dangling = [r for r in of_known if not r.ingested]
    github = any("#" in r.k for r in dangling)
    return (check("ignored_keys", "keys of unknown projects (ignored)", _key_items(ignored, examples), len(keys),
                  "keys named", examples=examples, count=len(ignored),
                  note="set issues.project_keys to say which projects are real"),
            check("dangling_keys", "keys with no ingested issue", _key_items(dangling, examples), len(of_known),
                  "keys of known projects", examples=examples, count=len(dangling),
                  note="a GitHub OWNER/REPO#N here may be a PR's number: closing keywords (fixes #N)"
                       " name issues, but are written for PRs too" if github else ""))


def _key_items(keys: Sequence[KeyRow], examples: int) -> list[Item]:
    """The example candidates, (-commits, natural key order): only keys with at least the n-th most
    commits can be shown, so the key order and text (slow over 15,000 keys) are built for those."""
    if 0 < examples < len(keys):
        nth = heapq.nlargest(examples, (r.commits for r in keys))[-1]
        keys = [r for r in keys if r.commits >= nth]
    return [((-r.commits, key_order(r.k)), _key_text(r)) for r in keys]


def _key_text(r: KeyRow) -> str:
    return f"{r.k} ({r.commits} commit{'s' if r.commits != 1 else ''})"
