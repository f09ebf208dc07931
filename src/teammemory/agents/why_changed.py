"""Why did it change? A file's or a component's changes over a window, by what they served.

Window [now - days, now] (default `risk.days`, 90) and the window of the same length before it.
Changes are non-merge commits (a file followed across its renames; a component's files as they
are now). Each commit is grouped:
- by issue: the keys it names, directly or through its PRs (the issue's type from Jira), and by
  the issues' parent (epic);
- by PR (a PR the store lacks is titled by its squash subject, `Title (#N)`, as in pr-context) and by
  person (authors and co-authors; bots named as such);
- by kind: incident > bug > feature > chore, the strongest among its issues' types (Incident;
  `bug_fix.issue_types`; Story/New Feature/Feature/Improvement/Enhancement/Epic/Wish; any other
  type) and the bug-fix flag (a fix is a bug); a commit with neither is "unclassified".
Shares: bug fixes = commits flagged `is_bug_fix`, reverts = commits flagged `is_revert`
(`Revert "…"` subjects, `This reverts commit …`), each over the window's commits, in percent
to 1 decimal. Files that moved most: most commits, then most churn, then path. Commits naming no
issue (nor through a PR) are listed as fitting no issue. Lists are cut at `limit` (10); every
order ends on a key (issue key, PR label, person key, path, commit ref), newest commits first.

Sources: the article's "Why has this component changed so frequently in the last 90 days?";
grouping changes by issue type as in Mockus & Votta's change classification; reverts as a risk
signal (Shimagaki et al., "Why are commits being reverted?").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from teammemory.agents import paths
from teammemory.agents.bus_factor_score import percent
from teammemory.agents.change import SQUASH_TAIL, squash_names
from teammemory.agents.evidence import DAY, epoch, iso_day, not_found, short
from teammemory.agents.why_changed_facts import CommitFacts, Facts, IssueRow, read_component, read_file
from teammemory.config import Config
from teammemory.store import Reader

Kind = Literal["incident", "bug", "feature", "chore", "unclassified"]
KINDS: tuple[Kind, ...] = ("incident", "bug", "feature", "chore", "unclassified")
FEATURE_TYPES = frozenset({"story", "new feature", "feature", "improvement", "enhancement", "epic", "wish"})
LIMIT = 10


@dataclass(frozen=True)
class Change:
    ref: str  # short hash
    repo: str
    subject: str
    day: str
    who: str  # its people's names, bots included
    kind: Kind
    is_bug_fix: bool
    is_revert: bool
    issues: tuple[str, ...]
    prs: tuple[str, ...]


@dataclass(frozen=True)
class IssueGroup:
    key: str
    summary: str  # '' when the issue is not in the store
    issue_type: str
    kind: Kind | Literal[""]  # '' when its type is unknown
    epic: str  # its parent's key, ''
    commits: int
    churn: int
    refs: tuple[str, ...]  # its commits, newest first


@dataclass(frozen=True)
class EpicGroup:
    key: str
    summary: str
    issues: tuple[str, ...]
    commits: int


@dataclass(frozen=True)
class Group:
    """The commits of one PR, one person or one file."""

    name: str  # 'org/app#7', a person's name, a path
    key: str  # the PR label, person key or path
    title: str  # the PR's title (a git-only PR's: its squash subject, see _prs); 'bot' for a bot; ''
    commits: int
    churn: int


@dataclass(frozen=True)
class KindCount:
    kind: Kind
    commits: int
    percent: float


@dataclass(frozen=True)
class Window:
    since_day: str
    until_day: str
    commits: int
    churn: int
    bug_fixes: int
    reverts: int
    people: int  # humans
    kinds: tuple[KindCount, ...]


@dataclass(frozen=True)
class WhyChanged:
    kind: Literal["file", "component"]
    name: str
    days: int
    current: Window
    previous: Window
    bug_fix_share: float  # percent of the window's commits
    revert_share: float
    issues: tuple[IssueGroup, ...]
    epics: tuple[EpicGroup, ...]
    prs: tuple[Group, ...]
    people: tuple[Group, ...]
    files: tuple[Group, ...]
    unlinked: tuple[Change, ...]
    unlinked_total: int
    changes: tuple[Change, ...]  # the window's newest commits
    explanation: str


def ask(db: Reader, target: str, *, now: datetime, config: Config, days: int | None = None,
        repo: str | None = None, limit: int | None = None) -> WhyChanged:
    """A path (followed across renames) or else a component; NotFound with close names of both."""
    days = config.risk.days if days is None else days
    end, limit = epoch(now), LIMIT if limit is None else limit
    since, before = end - days * DAY, end - 2 * days * DAY
    repos = paths.file_repos(db, target, repo)
    kind: Literal["file", "component"] = "file"
    if repos:
        facts = read_file(db, paths.lineage(db, target, repos), before, end)
    elif target in paths.components(db):
        facts, kind = read_component(db, target, before, end, repo), "component"
    else:
        raise not_found("file or component", target, paths.all_paths(db) + paths.components(db))
    return summarize(kind, target, facts, days=days, since=since, end=end, bug_types=config.bug_issue_types,
                     limit=limit)


def summarize(kind: Literal["file", "component"], name: str, facts: Facts, *, days: int, since: int, end: int,
              bug_types: Iterable[str], limit: int) -> WhyChanged:
    """Pure: group the facts of [since, end] and compare with [since - days*DAY, since)."""
    bugs = {t.lower() for t in bug_types}
    newest = sorted(facts.commits.values(), key=lambda c: (-c.authored_at, c.ref))
    now_ = [c for c in newest if c.authored_at >= since]
    old = [c for c in newest if c.authored_at < since]
    kinds = {c.ref: commit_kind(c, facts.issues, bugs) for c in newest}
    cur, prev = _window(now_, kinds, since, end), _window(old, kinds, since - days * DAY, since - 1)
    unlinked = [c for c in now_ if not c.issues]
    return WhyChanged(
        kind, name, days, cur, prev, percent(cur.bug_fixes, cur.commits), percent(cur.reverts, cur.commits),
        tuple(_issue_groups(now_, facts.issues, bugs)[:limit]), tuple(_epics(now_, facts.issues)[:limit]),
        tuple(_prs(now_)[:limit]), tuple(_people(now_)[:limit]), tuple(_files(now_)[:limit]),
        tuple(_change(c, kinds[c.ref]) for c in unlinked[:limit]), len(unlinked),
        tuple(_change(c, kinds[c.ref]) for c in now_[:limit]),
        explain(days, cur, prev, len(unlinked), _people(now_)[:1], _files(now_)[:1]))


def issue_kind(issue_type: str, bugs: set[str]) -> Kind | Literal[""]:
    t = issue_type.strip().lower()
    if not t:
        return ""
    if t == "incident":
        return "incident"
    if t in bugs:
        return "bug"
    return "feature" if t in FEATURE_TYPES else "chore"


def commit_kind(c: CommitFacts, issues: dict[str, IssueRow], bugs: set[str]) -> Kind:
    """The strongest kind among its issues' types and its bug-fix flag (module docstring)."""
    found: set[str] = {issue_kind(issues[k].issue_type, bugs) for k in c.issues if k in issues}
    if c.is_bug_fix:
        found.add("bug")
    return next((k for k in KINDS if k in found), "unclassified")


def _window(commits: Sequence[CommitFacts], kinds: dict[str, Kind], since: int, end: int) -> Window:
    n = len(commits)
    humans = {p.key for c in commits for p in c.people if p.key not in c.bots}
    count = {k: sum(1 for c in commits if kinds[c.ref] == k) for k in KINDS}
    return Window(iso_day(since), iso_day(end), n, sum(c.churn for c in commits),
                  sum(c.is_bug_fix for c in commits), sum(c.is_revert for c in commits), len(humans),
                  tuple(KindCount(k, count[k], percent(count[k], n)) for k in KINDS if count[k]))


def _issue_groups(commits: Sequence[CommitFacts], issues: dict[str, IssueRow], bugs: set[str]) -> list[IssueGroup]:
    by: dict[str, list[CommitFacts]] = defaultdict(list)
    for c in commits:
        for k in c.issues:
            by[k].append(c)
    out = []
    for key, cs in by.items():
        i = issues.get(key)
        out.append(IssueGroup(key, i.summary if i else "", i.issue_type if i else "",
                              issue_kind(i.issue_type, bugs) if i else "", i.parent_key if i else "", len(cs),
                              sum(c.churn for c in cs), tuple(short(c.ref.split("@")[1]) for c in cs)))
    return sorted(out, key=lambda g: (-g.commits, -g.churn, g.key))


def _epics(commits: Sequence[CommitFacts], issues: dict[str, IssueRow]) -> list[EpicGroup]:
    keys: dict[str, set[str]] = defaultdict(set)
    refs: dict[str, set[str]] = defaultdict(set)
    for c in commits:
        for k in c.issues:
            parent = issues[k].parent_key if k in issues else ""
            if parent:
                keys[parent].add(k)
                refs[parent].add(c.ref)
    out = [EpicGroup(e, issues[e].summary if e in issues else "", tuple(sorted(ks)), len(refs[e]))
           for e, ks in keys.items()]
    return sorted(out, key=lambda g: (-g.commits, g.key))


def _prs(commits: Sequence[CommitFacts]) -> list[Group]:
    """Per PR: its commits and churn; the title of a PR the store lacks (git only) is its squash
    commit's subject without the ' (#N)' GitHub adds (change.squash_names, as pr-context reads it),
    when one of its commits has such a subject with its number."""
    squashed: dict[str, str] = {}  # label -> the first such subject by commit ref (same data, same title)
    for c in sorted(commits, key=lambda c: c.ref):
        for label, title in c.prs:
            if not title and squash_names(c.subject, int(label.rpartition("#")[2])):
                squashed.setdefault(label, SQUASH_TAIL.sub("", c.subject))
    return _groups(((label, label, title or squashed.get(label, "")), c) for c in commits for label, title in c.prs)


def _people(commits: Sequence[CommitFacts]) -> list[Group]:
    return _groups(((p.name, p.key, "bot" if p.key in c.bots else ""), c) for c in commits for p in c.people)


def _files(commits: Sequence[CommitFacts]) -> list[Group]:
    """Per path: its commits and its own churn (not the commits' whole churn)."""
    n: dict[str, int] = defaultdict(int)
    churn: dict[str, int] = defaultdict(int)
    for c in commits:
        for path, lines in c.files.items():
            n[path] += 1
            churn[path] += lines
    return sorted((Group(p, p, "", n[p], churn[p]) for p in n), key=lambda g: (-g.commits, -g.churn, g.key))


def _groups(pairs: Iterable[tuple[tuple[str, str, str], CommitFacts]]) -> list[Group]:
    seen: dict[str, tuple[str, str]] = {}
    refs: dict[str, dict[str, CommitFacts]] = defaultdict(dict)
    for (name, key, title), c in pairs:
        seen.setdefault(key, (name, title))
        refs[key][c.ref] = c
    out = [Group(seen[k][0], k, seen[k][1], len(cs), sum(c.churn for c in cs.values()))
           for k, cs in refs.items()]
    return sorted(out, key=lambda g: (-g.commits, -g.churn, g.key))


def _change(c: CommitFacts, kind: Kind) -> Change:
    repo, _, hash_ = c.ref.partition("@")
    return Change(short(hash_), repo, c.subject, iso_day(c.authored_at), ", ".join(p.name for p in c.people), kind,
                  c.is_bug_fix, c.is_revert, c.issues, tuple(label for label, _ in c.prs))


def explain(days: int, cur: Window, prev: Window, unlinked: int, top_person: Sequence[Group],
            top_file: Sequence[Group]) -> str:
    """'changed 6 times in the last 90 days (2 in the 90 days before: +200%); 3 bugs, ...'."""
    if cur.commits == 0:
        return f"not changed in the last {days} days ({prev.commits} changes in the {days} days before)"
    trend = f"+{percent(cur.commits - prev.commits, prev.commits)}%" if cur.commits > prev.commits else \
        f"-{percent(prev.commits - cur.commits, prev.commits)}%" if cur.commits < prev.commits else "the same"
    times = "once" if cur.commits == 1 else f"{cur.commits} times"
    parts = [f"changed {times} in the last {days} days ({prev.commits} in the {days} days before"
             + (f": {trend})" if prev.commits else ")")]
    parts.append(", ".join(f"{k.commits} {_plural(k.kind, k.commits)}" for k in cur.kinds))
    fixes, reverts = percent(cur.bug_fixes, cur.commits), percent(cur.reverts, cur.commits)
    parts.append(f"{cur.bug_fixes} bug fix{'es' if cur.bug_fixes != 1 else ''} ({fixes}%),"
                 f" {cur.reverts} revert{'s' if cur.reverts != 1 else ''} ({reverts}%)")
    parts.append(f"{unlinked} of the changes fit no issue")
    if top_person:
        parts.append(f"most by {top_person[0].name} ({top_person[0].commits})")
    if top_file:
        parts.append(f"most-changed file {top_file[0].name} ({top_file[0].commits})")
    return "; ".join(parts)


def _plural(kind: Kind, n: int) -> str:
    word = {"incident": "incident", "bug": "bug", "feature": "feature", "chore": "chore",
            "unclassified": "unclassified"}[kind]
    return word if n == 1 or kind == "unclassified" else word + "s"


