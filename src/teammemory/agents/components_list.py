"""Components: each component with the rule that makes it, how many files it holds, and its top people.

Files are the paths that exist at `now` (`paths.current_files`, the rule every question uses),
assigned by `components.assign_components` over each repository's known paths (as ingestion
assigns them, so the names match the stored summaries) with the config's rules
as they are now (the default rule infers components from the layout: Maven/Gradle modules,
Python, Go and JS packages, Ruby lib/<name>, src/<name>, and a component holding more than a
third of the paths split into its sub-folders). People are the component's authors
and co-authors, counted by distinct commits at or before `now` (bots left out), from the summary
table `component_people`: counted per account in SQL where one account alone wrote the commit
(`shared` = 0, so no commit is counted twice for one person; when `now` sees every commit those
counts are kept at ingest, `component_authors`), commit by commit where several did. The files
outside every component (top-level files under the default rule) have no summary rows: their
people are counted from their commits directly.
Ties: more files, then name; people: more commits, then name, then key.
So a user sees the components and adjusts them in teammemory.toml ([components] rules).
SQL: agents/sql/components_list.sql.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from teammemory.agents import paths, persons
from teammemory.agents.evidence import epoch
from teammemory.components import Assignment, assign_components
from teammemory.config import Config
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "components_list.sql")


class AuthorRow(NamedTuple):
    """`component-authors`: an account's commits on a component, `n` of them (hash '') where it
    wrote them alone, one row per commit (n = 1) where others share the credit."""

    component: str
    identity_key: str
    repo: str
    hash: str
    n: int


@dataclass(frozen=True)
class Contributor:
    name: str
    commits: int


@dataclass(frozen=True)
class Component:
    name: str  # '' for the files no rule gives a component
    rule: str  # e.g. 'Maven module (bookkeeper-server/pom.xml)', 'glob src/auth/** -> auth'
    files: int
    repos: tuple[str, ...]
    people: tuple[Contributor, ...]


@dataclass(frozen=True)
class ComponentList:
    components: tuple[Component, ...]
    rules_source: str  # 'defaults' (the layout) or the teammemory.toml they came from


PEOPLE = 3  # top people shown per component


def ask(db: Reader, *, now: datetime, config: Config, repo: str | None = None) -> ComponentList:
    """Every component of the store as of `now` (of `repo`, or every repository), with its rule,
    file count and top people. `--limit` cuts the list of components (outputs/limits.py)."""
    paths.check_repo(db, repo)
    at = epoch(now)
    by_repo: dict[str, set[str]] = defaultdict(set)
    for f in paths.known_files(db, now=at, repo=repo):  # the layout of every path known, as ingestion
        by_repo[f.repo].add(f.path)                     # assigns it (derive.refresh_components)
    every = {repo: assign_components(known, config.component_rules) for repo, known in by_repo.items()}
    assigned: dict[str, dict[str, Assignment]] = defaultdict(dict)
    for f in paths.current_files(db, now=at, repo=repo):
        assigned[f.repo][f.path] = every[f.repo][f.path]
    query = Q["component-authors-kept"] if paths.sees_all(db, at) else Q["component-authors"]
    rows = [r for r in db.fetch(query, AuthorRow, now=at) if repo is None or r.repo == repo]
    if any(a.component == "" for held in assigned.values() for a in held.values()):
        rows += [r for r in db.fetch(Q["unassigned-authors"], AuthorRow, now=at) if repo is None or r.repo == repo]
    who = persons.lookup(db, {r.identity_key for r in rows})
    return ComponentList(rank(assigned, rows, who, PEOPLE), config.source)


def rank(assigned: dict[str, dict[str, Assignment]], rows: list[AuthorRow], who: dict[str, persons.Who],
         limit: int) -> tuple[Component, ...]:
    """Pure: group the assignments into components and rank them and their people."""
    files: Counter[str] = Counter()
    rule: dict[str, str] = {}
    repos: dict[str, set[str]] = defaultdict(set)
    for repo, held in sorted(assigned.items()):
        for _, a in sorted(held.items()):
            name = a.component
            files[name] += 1
            rule.setdefault(name, a.rule)
            repos[name].add(repo)
    alone: dict[str, Counter[str]] = defaultdict(Counter)  # commits one account wrote alone: counted
    shared: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # the others, deduped
    names: dict[str, str] = {}
    for r in rows:
        w = persons.who(who, r.identity_key)
        if not w.is_bot and r.component in files:
            if r.hash:
                shared[r.component][w.person.key].add(f"{r.repo}@{r.hash}")
            else:
                alone[r.component][w.person.key] += r.n
            names[w.person.key] = w.person.name
    out = []
    for name in sorted(files, key=lambda n: (-files[n], n)):
        counts = {k: alone[name][k] + len(shared[name][k]) for k in set(alone[name]) | set(shared[name])}
        people = sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]], kv[0]))[:limit]
        out.append(Component(name, rule[name], files[name], tuple(sorted(repos[name])),
                             tuple(Contributor(names[k], n) for k, n in people)))
    return tuple(out)
