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


_C, _CJ = who("c.author_key", "a")
# Commits are most of the store: they are counted in SQL, and only the newest unlinked ones (the
# examples' candidates: every commit at least as new as the n-th newest) are read.
HUMAN_COMMITS = f"""from commits c {_CJ}
 where c.is_merge = 0 and coalesce(ad.is_bot, 0) = 0 and coalesce(ai.is_bot, 0) = 0"""
LINKED = "exists (select 1 from commit_issues ci where ci.repo = c.repo and ci.hash = c.hash{only})"
COMMIT_COUNTS_SQL = f"""select count(*) as n, coalesce(sum(case when {{linked}} then 0 else 1 end), 0) as bad
  {HUMAN_COMMITS}"""
UNLINKED_SQL = f"""select c.repo, c.hash, c.subject, c.authored_at {HUMAN_COMMITS} and not {{linked}}"""
NEWEST_SQL = UNLINKED_SQL + " order by c.authored_at desc limit {n}"
PROJECTS_SQL = "select distinct project from commit_issues"
_P, _PJ = who("p.author_key", "a")
PRS_SQL = f"""select p.repo, p.number, p.title, p.created_at, substr(p.body, 1, 200) as body_head, {_P}
  from pull_requests p {_PJ}"""
PR_KEYS_SQL = f"""select repo, number, issue_key as k from pr_issues
union
select p.repo, p.number, ci.issue_key from pull_requests p join pr_commits pc on {PR_OF_COMMIT}
  join commit_issues ci on ci.hash = pc.hash"""
DONE_SQL = """select i.key, i.summary, i.resolution, i.resolved_at,
  case when exists (select 1 from commit_issues ci where ci.issue_key = i.key)
         or exists (select 1 from pr_issues pi
                      join pr_commits pc on pc.repo = pi.repo and pc.number = pi.number
                     where pi.issue_key = i.key) then 1 else 0 end as has_commit
  from issues i where lower(i.status_category) = 'done'"""
KEYS_SQL = """select ci.issue_key as k, ci.project, count(distinct ci.repo || ':' || ci.hash) as commits,
       max(case when i.key is null then 0 else 1 end) as ingested
  from commit_issues ci left join issues i on i.key = ci.issue_key group by ci.issue_key, ci.project"""
IDENTITIES_SQL = """select i.key, i.source, i.email, i.name, i.login, i.display_name, i.developer_key,
       coalesce(i.developer_key, i.key) as person_key, d.name as developer_name,
       case when coalesce(d.is_bot, 0) = 1 or i.is_bot = 1 then 1 else 0 end as bot
  from identities i left join developers d on d.key = i.developer_key"""


def ask(db: Reader, *, now: datetime, config: Config, examples: int = 5) -> HygieneReport:
    """Every check over the whole store (SQL here, arithmetic in the pure functions below)."""
    ingested = db.all("select distinct project from issues")
    known = set(config.project_keys) | {str(r["project"]) for r in ingested}
    keys = db.all(KEYS_SQL)
    identities = db.all(IDENTITIES_SQL)
    suggestions = suggest_identities(identities)
    checks = (
        commits_without_issue(db, known, examples),
        prs_without_issue(db.all(PRS_SQL), db.all(PR_KEYS_SQL), known, examples),
        prs_without_description(db.all(PRS_SQL), examples),
        done_without_commit(db.all(DONE_SQL), examples),
        files_without_component(db.all("select repo, path, component from files"), examples),
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
    that time only: integers order alike everywhere; the order itself is the Python key below)."""
    linked, params = _linked(db, known)
    counts = db.one(COMMIT_COUNTS_SQL.format(linked=linked), **params) or {"n": 0, "bad": 0}
    newest = db.all(NEWEST_SQL.format(linked=linked, n=max(1, int(examples))), **params)
    since = min((int(r["authored_at"]) for r in newest), default=None)
    rows = [] if since is None or examples <= 0 else db.all(
        UNLINKED_SQL.format(linked=linked) + " and c.authored_at >= :since", **params, since=since)
    bad = [((-int(c["authored_at"]), str(c["repo"]), str(c["hash"])), f"{short(str(c['hash']))} {c['subject']}")
           for c in rows]
    return check("commits_without_issue", "commits without an issue key", bad, int(counts["n"]),
                 "non-merge commits (not bots)", examples=examples, count=int(counts["bad"]))


def _linked(db: Reader, known: set[str]) -> tuple[str, dict[str, object]]:
    """The SQL test 'commit c names a key of a known project' (any key when none is known), with
    the known projects spelled as commits spell them (decided in Python by `_known`)."""
    if not known:
        return LINKED.format(only=""), {}
    projects = sorted(p for p in (str(r["project"]) for r in db.all(PROJECTS_SQL)) if _known(p, known))
    if not projects:
        return "1 = 0", {}
    params: dict[str, object] = {f"p{i}": p for i, p in enumerate(projects)}
    return LINKED.format(only=f" and ci.project in ({', '.join(':' + k for k in params)})"), params


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


def files_without_component(files: Sequence[Row], examples: int) -> Check:
    bad = [((str(r["path"]), str(r["repo"])), str(r["path"])) for r in files if not r["component"]]
    return check("files_without_component", "files without a component", bad, len(files), "files",
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
    item = lambda r: ((-int(r["commits"]), key_order(str(r["k"]))), _key_text(r))  # noqa: E731
    ignored = [item(r) for r in keys if not _known(str(r["project"]), known)]
    of_known = [r for r in keys if _known(str(r["project"]), known)]
    dangling = [item(r) for r in of_known if not r["ingested"]]
    github = any("#" in str(r["k"]) for r in of_known if not r["ingested"])
    return (check("ignored_keys", "keys of unknown projects (ignored)", ignored, len(keys), "keys named",
                  examples=examples, note="set issues.project_keys to say which projects are real"),
            check("dangling_keys", "keys with no ingested issue", dangling, len(of_known),
                  "keys of known projects", examples=examples,
                  note="a GitHub OWNER/REPO#N here may be a PR's number: closing keywords (fixes #N)"
                       " name issues, but are written for PRs too" if github else ""))


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
