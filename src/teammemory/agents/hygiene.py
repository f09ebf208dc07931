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
When no project is known at all (no issues ingested, none configured), every key counts as a
key and the two key checks are not applicable (denominator 0). A GitHub issue key 'OWNER/REPO#N'
(from closing keywords, `fixes #N`) has the project OWNER/REPO, known once issues of that
repository are ingested (or when it is listed in issues.project_keys, in any letter case).

Sources: the linkage-quality measures of Bird et al., "Fair and Balanced? Bias in Bug-Fix
Datasets" (2009) and SortingHat's identity recommendations.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from teammemory.agents.context_common import PR_OF_COMMIT, key_order, who
from teammemory.agents.evidence import Person, epoch, iso_day, short
from teammemory.config import Config
from teammemory.model import issue_project
from teammemory.store import Reader, Row

FORMULA = ("percent = round(100 * count / denominator, 1); "
           "coverage = round(100 * (denominator - count) / denominator, 1)")


@dataclass(frozen=True)
class Check:
    name: str
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
class IdentitySuggestion:
    name: str  # the folded name the accounts share
    people: tuple[Person, ...]
    accounts: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class HygieneReport:
    as_of: str
    known_projects: tuple[str, ...]
    checks: tuple[Check, ...]
    suggestions: tuple[IdentitySuggestion, ...]


def check(name: str, title: str, bad: Sequence[tuple[tuple[object, ...], str]], denominator: int,
          label: str, *, examples: int, note: str = "", count: int | None = None) -> Check:
    """Pure: a Check from the failing items ((sort key, example text)) and the denominator.
    `count` when `bad` holds only the candidates for the examples (counted in SQL), not every item."""
    count = len(bad) if count is None else count
    percent = round(100 * count / denominator, 1) if denominator else None
    coverage = round(100 * (denominator - count) / denominator, 1) if denominator else None
    shown = tuple(text for _, text in sorted(bad, key=lambda item: (item[0], item[1]))[:examples])
    return Check(name, title, count, denominator, label, percent, coverage, FORMULA, shown, note)


# Commits are most of the store. SQLite needs ~2 µs to probe commit_issues for one commit, so the
# counts probe only the few commits that are not people's work (merges, bots) and count the linked
# commits from commit_issues' own primary key (see commits_without_issue); the examples' candidates
# are read newest first through commits_time (every unlinked commit at least as new as the n-th).
BOT_KEYS = """select i.key from identities i left join developers d on d.key = i.developer_key
 where i.key is not null and (coalesce(i.is_bot, 0) <> 0 or coalesce(d.is_bot, 0) <> 0)"""
HUMAN = f"c.is_merge = 0 and c.author_key not in ({BOT_KEYS})"
OTHERS = f"c.is_merge <> 0 or c.author_key in ({BOT_KEYS})"  # not HUMAN (both columns are not null)
LINKED = "exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash{only})"
COMMIT_COUNTS_SQL = f"""select (select count(*) from commits) as total, count(*) as others,
       coalesce(sum(case when {{linked}} then 1 else 0 end), 0) as others_linked
  from commits c where {OTHERS}"""
LINKED_COUNT_SQL = "select count(*) as n from (select distinct repo, hash from commit_issues ci{where}) l"
UNLINKED_SQL = f"""select c.repo, c.hash, c.subject, c.authored_at from commits c where {HUMAN} and not {{linked}}"""
NEWEST_SQL = UNLINKED_SQL + " order by c.authored_at desc limit {n}"
PROJECTS_SQL = "select distinct project from commit_issues"
_P, _PJ = who("p.author_key", "a")
PRS_SQL = f"""select p.repo, p.number, p.title, p.created_at, substr(p.body, 1, 200) as body_head, {_P}
  from pull_requests p {_PJ}"""
# commit_issues is keyed (repo, hash, ...): a PR's commit is looked up in each repository that has
# links (few) instead of by hash alone, which SQLite would answer by indexing all of commit_issues
# on every question. `cross join` keeps SQLite's order (the PR's commits first).
PR_KEYS_SQL = f"""select repo, number, issue_key as k from pr_issues
union
select p.repo, p.number, ci.issue_key from pull_requests p join pr_commits pc on {PR_OF_COMMIT}
  cross join (select distinct repo from commit_issues) r
  cross join commit_issues ci
 where ci.repo = r.repo and ci.hash = pc.hash"""
DONE_SQL = """select i.key, i.summary, i.resolution, i.resolved_at,
  case when exists (select 1 from commit_issues ci where ci.issue_key = i.key)
         or exists (select 1 from pr_issues pi
                      join pr_commits pc on pc.repo = pi.repo and pc.number = pi.number
                     where pi.issue_key = i.key) then 1 else 0 end as has_commit
  from issues i where lower(i.status_category) = 'done'"""
KEYS_SQL = """select ci.issue_key as k, ci.project, count(distinct ci.repo || ':' || ci.hash) as commits,
       max(case when i.key is null then 0 else 1 end) as ingested
  from commit_issues ci left join issues i on i.key = ci.issue_key group by ci.issue_key, ci.project"""
FILES_SQL = "select count(*) as n from files"
FILES_BAD_SQL = "select repo, path, component from files where component = '' or component is null"
IDENTITIES_SQL = """select i.key, i.source, i.email, i.name, i.login, i.display_name, i.developer_key,
       coalesce(i.developer_key, i.key) as person_key, d.name as developer_name,
       case when coalesce(d.is_bot, 0) = 1 or i.is_bot = 1 then 1 else 0 end as bot
  from identities i left join developers d on d.key = i.developer_key"""


def ask(db: Reader, *, now: datetime, config: Config, examples: int = 5) -> HygieneReport:
    """Every check over the whole store (SQL here, arithmetic in the pure functions below)."""
    ingested = db.all("select distinct project from issues")
    known = set(config.project_keys) | {str(r["project"]) for r in ingested}
    keys = db.all(KEYS_SQL) if known else []  # without a known project the key checks cannot tell
    identities = db.all(IDENTITIES_SQL)
    suggestions = suggest_identities(identities)
    prs = db.all(PRS_SQL)
    checks = (
        commits_without_issue(db, known, examples),
        prs_without_issue(prs, db.all(PR_KEYS_SQL), known, examples),
        prs_without_description(prs, examples),
        done_without_commit(db.all(DONE_SQL), examples),
        files_without_component(db.all(FILES_BAD_SQL), int(db.scalar(FILES_SQL) or 0), examples),
        unresolved_identities(identities, examples),
        *key_checks(keys, known, examples),
        check("possible_duplicate_people", "people who may be one person (same name)",
              [((s.name,), f"{s.name}: " + ", ".join(f"{p.name} ({p.key})" for p in s.people))
               for s in suggestions],
              len({r["person_key"] for r in identities if not r["bot"]}), "people (not bots)",
              examples=examples, note="suggestions only: merge with `teammemory identities merge A B`"),
    )
    return HygieneReport(iso_day(epoch(now)), tuple(sorted(known)), checks, suggestions)


def _is_key(key: str, project: str, known: set[str]) -> bool:
    """A reference counts as an issue link: no project part, or a known project (any project when
    none is known)."""
    return not project or not known or _known(project, known)


def _known(project: str, known: set[str]) -> bool:
    """Configured project keys are upper-cased; GitHub's 'owner/repo' is matched in any case."""
    return project in known or project.upper() in known


def commits_without_issue(db: Reader, known: set[str], examples: int) -> Check:
    """Counted in SQL; the examples from every unlinked commit as new as the n-th newest (SQL picks
    that time only: integers order alike everywhere; the order itself is the Python key below).

    unlinked = people's commits - (linked commits - linked commits that are not people's work):
    probing commit_issues for each of 100,000 commits costs SQLite ~200 ms, counting the distinct
    commits of commit_issues' own key ~15 ms. Every commit_issues row is a stored commit's (written
    with it by store.write.write_commits, deleted with it by ingest.git's COMMIT_TABLES)."""
    linked, count_linked, params = _linked(db, known)
    counts = db.one(COMMIT_COUNTS_SQL.format(linked=linked), **params) or {}
    people = int(counts.get("total") or 0) - int(counts.get("others") or 0)
    bad = people - (int(db.scalar(count_linked, **params) or 0) - int(counts.get("others_linked") or 0))
    newest = db.all(NEWEST_SQL.format(linked=linked, n=max(1, int(examples))), **params)
    since = min((int(r["authored_at"]) for r in newest), default=None)
    rows = [] if since is None or examples <= 0 else db.all(
        UNLINKED_SQL.format(linked=linked) + " and c.authored_at >= :since", **params, since=since)
    items = [((-int(c["authored_at"]), str(c["repo"]), str(c["hash"])), f"{short(str(c['hash']))} {c['subject']}")
             for c in rows]
    return check("commits_without_issue", "commits without an issue key", items, people,
                 "non-merge commits (not bots)", examples=examples, count=bad)


def _linked(db: Reader, known: set[str]) -> tuple[str, str, dict[str, object]]:
    """The SQL test 'commit c names a key of a known project' (any key when none is known) and the
    SQL count of the commits that do, with the known projects spelled as commits spell them
    (decided in Python by `_known`). When every project commits name is known, no filter: the
    project is not in commit_issues' primary key, and reading it costs SQLite ~80 ms more."""
    named = [str(r["project"]) for r in db.all(PROJECTS_SQL)] if known else []
    projects = sorted(p for p in named if _known(p, known))
    if not known or len(projects) == len(named):
        return LINKED.format(only=""), LINKED_COUNT_SQL.format(where=""), {}
    if not projects:
        return "1 = 0", "select 0 as n", {}
    params: dict[str, object] = {f"p{i}": p for i, p in enumerate(projects)}
    only = f"ci.project in ({', '.join(':' + k for k in params)})"
    return LINKED.format(only=f" and {only}"), LINKED_COUNT_SQL.format(where=f" where {only}"), params


def prs_without_issue(prs: Sequence[Row], keys: Sequence[Row], known: set[str], examples: int) -> Check:
    linked = {(str(r["repo"]), int(r["number"])) for r in keys
              if _is_key(str(r["k"]), issue_project(str(r["k"])), known)}
    people = [p for p in prs if not p["a_bot"]]
    bad = [_pr_item(p) for p in people if (str(p["repo"]), int(p["number"])) not in linked]
    return check("prs_without_issue", "PRs not linked to an issue", bad, len(people), "PRs (not bots)",
                 examples=examples)


def prs_without_description(prs: Sequence[Row], examples: int) -> Check:
    people = [p for p in prs if not p["a_bot"]]
    bad = [_pr_item(p) for p in people if not str(p["body_head"] or "").strip()]
    return check("prs_without_description", "PRs with an empty description", bad, len(people),
                 "PRs (not bots)", examples=examples)


def _pr_item(p: Row) -> tuple[tuple[object, ...], str]:
    """Newest first, then repo and number."""
    order = (-(p["created_at"] or 0), str(p["repo"]), int(p["number"]))
    return order, f"{p['repo']}#{p['number']} {p['title']}"


def done_without_commit(issues: Sequence[Row], examples: int) -> Check:
    bad = [((-(r["resolved_at"] or 0), key_order(str(r["key"]))),
            f"{r['key']} {r['summary']}" + (f" ({r['resolution']})" if r["resolution"] else ""))
           for r in issues if not r["has_commit"]]
    return check("done_issues_without_commit", "issues done without any commit", bad, len(issues),
                 "done issues", examples=examples)


def files_without_component(files: Sequence[Row], total: int, examples: int) -> Check:
    """`files` may hold only those without a component (FILES_BAD_SQL); `total` counts them all."""
    bad = [((str(r["path"]), str(r["repo"])), str(r["path"])) for r in files if not r["component"]]
    return check("files_without_component", "files without a component", bad, total, "files",
                 examples=examples, note="add a rule to [components] in teammemory.toml")


def unresolved_identities(identities: Sequence[Row], examples: int) -> Check:
    """Non-bot accounts that no rule tied to another account (or not resolved at all)."""
    people = [r for r in identities if not r["bot"]]
    accounts: dict[str, int] = {}
    for r in people:
        accounts[str(r["person_key"])] = accounts.get(str(r["person_key"]), 0) + 1
    bad = [((str(r["source"]), _account(r)), _account(r)) for r in people
           if r["developer_key"] is None or accounts[str(r["person_key"])] == 1]
    return check("identities_unresolved", "accounts tied to no other account", bad, len(people),
                 "identities (not bots)", examples=examples,
                 note="tie them with [[identity.aliases]] or `teammemory identities merge A B`" if bad else "")


def key_checks(keys: Sequence[Row], known: set[str], examples: int) -> tuple[Check, Check]:
    """(ignored keys, dangling keys) over the distinct keys commits name."""
    if not known:
        note = "no issues ingested and no issues.project_keys configured: cannot tell"
        return (check("ignored_keys", "keys of unknown projects (ignored)", [], 0, "keys named",
                      examples=examples, note=note),
                check("dangling_keys", "keys with no ingested issue", [], 0, "keys of known projects",
                      examples=examples, note=note))
    is_known = {p: _known(p, known) for p in {str(r["project"]) for r in keys}}
    ignored = [r for r in keys if not is_known[str(r["project"])]]
    of_known = [r for r in keys if is_known[str(r["project"])]]
    dangling = [r for r in of_known if not r["ingested"]]
    github = any("#" in str(r["k"]) for r in dangling)
    return (check("ignored_keys", "keys of unknown projects (ignored)", _key_items(ignored, examples), len(keys),
                  "keys named", examples=examples, count=len(ignored),
                  note="set issues.project_keys to say which projects are real"),
            check("dangling_keys", "keys with no ingested issue", _key_items(dangling, examples), len(of_known),
                  "keys of known projects", examples=examples, count=len(dangling),
                  note="a GitHub OWNER/REPO#N here may be a PR's number: closing keywords (fixes #N)"
                       " name issues, but are written for PRs too" if github else ""))


def _key_items(keys: Sequence[Row], examples: int) -> list[tuple[tuple[object, ...], str]]:
    """The example candidates, (-commits, natural key order): only keys with at least the n-th most
    commits can be shown, so the key order and text (slow over 15,000 keys) are built for those."""
    if 0 < examples < len(keys):
        nth = heapq.nlargest(examples, (int(r["commits"]) for r in keys))[-1]
        keys = [r for r in keys if int(r["commits"]) >= nth]
    return [((-int(r["commits"]), key_order(str(r["k"]))), _key_text(r)) for r in keys]


def _key_text(r: Row) -> str:
    n = int(r["commits"])
    return f"{r['k']} ({n} commit{'s' if n != 1 else ''})"


def _account(r: Row) -> str:
    """'git: Ayşe Demir <ayse@acme.io>', 'github: ademir', 'jira: Burak Kaya'."""
    name = r["display_name"] or r["name"] or ""
    if r["source"] == "github" and r["login"]:
        return f"github: {r['login']}" + (f" ({name})" if name else "")
    email = f" <{r['email']}>" if r["email"] else ""
    return f"{r['source']}: {name or r['login'] or r['key']}{email}"


def fold(name: str) -> str:
    """'Ayşe  Demir' -> 'ayse demir': accents, case and punctuation do not tell people apart."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_.lower()).split())


def suggest_identities(identities: Iterable[Row]) -> tuple[IdentitySuggestion, ...]:
    """Pure: folded names (3+ characters) worn by accounts of 2+ different non-bot people."""
    by_name: dict[str, list[Row]] = {}
    for r in identities:
        for raw in {str(r["name"] or ""), str(r["display_name"] or "")}:
            folded = fold(raw)
            if len(folded) >= 3 and not r["bot"]:
                by_name.setdefault(folded, []).append(r)
    out = []
    for folded, rows in sorted(by_name.items()):
        people = {str(r["person_key"]): str(r["developer_name"] or _account(r)) for r in rows}
        if len(people) < 2:
            continue
        persons = tuple(sorted((Person(k, n) for k, n in people.items()), key=lambda p: (p.name, p.key)))
        out.append(IdentitySuggestion(folded, persons, tuple(sorted({_account(r) for r in rows})),
                                      f"same name '{folded}' (case, accents and punctuation folded)"))
    return tuple(out)
