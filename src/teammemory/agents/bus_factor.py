"""Bus factor: who do we depend on, per repository and per component, and what if they leave?

Over the files that exist at `now` (the history replayed across renames: kept at ingest and read
by agents/lineage.py when `now` is at or after the newest commit, else agents/file_history.py),
each file's authors by Degree of Authorship,

    DOA = 3.293 + 1.098*FA + 0.164*DL - 0.321*ln(1 + AC)

(FA = 1 if the person created the file, DL = their commits to it, AC = commits by others; an
author when DOA >= 3.293 and DOA/max DOA of the file >= 0.75; bots count for nothing). Then per
scope (a repository, a component):
- truck factor: remove the authors with most files first (ties: more commits to the scope,
  then person key) until fewer than half of the files have an author; how many were removed;
- contributor absence factor (CHAOSS): the fewest contributors with more than half of the
  scope's commits (a co-authored commit counts for each of its people);
- knowledge islands: files with exactly one active author; orphaned files: files whose authors
  are all inactive (no commit anywhere in the store for more than `bus_factor.inactive_days`
  before `now`); and for each top author the files that lose their only author if they leave.
Components are listed most dependent first: (truck factor, -files, name), each a summary (its
numbers and the people its truck factor removes; no lists: asked for one component, it has them).
Every list is cut to `limit`; `BusFactor.left_out` counts what was left out (outputs/limits.py).
Formulas and their sources: agents/bus_factor_score.py (Avelino et al., ICPC 2016; CHAOSS "Bus Factor").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from teammemory.agents import file_history, lineage
from teammemory.agents.bus_factor_score import (
    DOA_FORMULA,
    Shares,
    absence_factor,
    author_order,
    authors,
    doa_score,
    percent,
    sentence_if_leaves,
    truck_factor,
)
from teammemory.agents.evidence import DAY, Person, Score, epoch, iso_day, not_found
from teammemory.config import Config
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "bus_factor.sql")
LIMIT = 10
OTHERS = 2  # non-authors shown with a file's authors: the next best DOAs, to show the 0.75 cut


class FileRow(NamedTuple):
    repo: str
    path: str
    component: str


@dataclass(frozen=True)
class Doa:
    person: Person
    score: Score  # DOA with its FA, DL, AC inputs and terms
    normalized: float  # DOA / the file's highest DOA
    is_author: bool
    last_active_day: str


@dataclass(frozen=True)
class FileAuthors:
    repo: str
    path: str
    commits: int  # commits with a human author
    people: tuple[Doa, ...]  # its authors, then the next OTHERS best; highest DOA first


@dataclass(frozen=True)
class Author:
    person: Person
    files: int  # files of the scope they author
    commits: int  # their commits to the scope's files
    last_active_at: int | None
    last_active_day: str
    active: bool
    islands: int  # files whose only active author they are
    sole: int  # files whose only author they are
    if_leaves: str


@dataclass(frozen=True)
class Removal:
    person: Person
    files: int
    files_with_author_after: int
    coverage_after: float  # percent of the scope's files that still have an author


@dataclass(frozen=True)
class Contributor:
    person: Person
    commits: int


@dataclass(frozen=True)
class Scope:
    kind: Literal["repository", "component"]
    name: str
    files: int
    authored: int  # files with at least one author
    truck_factor: int
    removed: tuple[Removal, ...]
    absence_factor: int
    contributions: int
    absence: tuple[Contributor, ...]
    islands: int
    orphaned: int
    authors_total: int  # people who author at least one of its files
    authors: tuple[Author, ...]  # the top authors (the removed ones at least); () in a summary
    island_files: tuple[FileAuthors, ...]  # the busiest; () in a summary
    orphaned_files: tuple[FileAuthors, ...]  # the busiest; () in a summary
    explanation: str


@dataclass(frozen=True)
class BusFactor:
    component: str  # '' for every repository and component
    repo: str
    as_of: str
    inactive_days: int
    formula: str
    scopes: tuple[Scope, ...]
    components_total: int  # how many components there are (scopes lists the most dependent)

    def left_out(self, field: str) -> int:
        """How many items of `field` the limit left out: 'components' (of the overview), or a
        detailed scope's 'authors', 'island_files', 'orphaned_files' summed over those scopes (a
        component in the overview is a summary: `bus-factor COMPONENT` lists its own)."""
        if field == "components":
            return 0 if self.component else self.components_total - sum(s.kind == "component" for s in self.scopes)
        detailed = [s for s in self.scopes if self.component or s.kind == "repository"]
        total = {"authors": lambda s: s.authors_total, "island_files": lambda s: s.islands,
                 "orphaned_files": lambda s: s.orphaned}[field]
        return sum(total(s) - len(getattr(s, field)) for s in detailed)


_File = lineage.FileFacts  # a file, its changes (a commit twice when it renamed it twice), shares, authors


class _World(NamedTuple):
    people: dict[str, Person]
    last: dict[str, int]
    cutoff: int


Contributions = Callable[[str, str, Sequence[_File]], dict[str, int]]  # (kind, name, its files) -> commits


def ask(db: Reader, component: str | None = None, *, now: datetime, config: Config, repo: str | None = None,
        limit: int | None = None) -> BusFactor:
    """Truck factors of every repository and component (or of one component); NotFound with
    close names for a component no file at `now` belongs to."""
    at, limit = epoch(now), LIMIT if limit is None else limit
    files, people, contributions = _read(db, at, repo)
    names = sorted({f.component for f in files if f.component})
    if component is not None and component not in names:
        raise not_found("component", component, names)
    world = _World(people, file_history.last_active(db, now=at), at - config.bus_factor_inactive_days * DAY)

    by_repo, by_comp = _group(files, lambda f: f.repo), _group(files, lambda f: f.component)

    def scope(kind: Literal["repository", "component"], name: str, these: list[_File], detail: bool) -> Scope:
        return _scope(kind, name, these, contributions(kind, name, these), world, limit if detail else 0)

    if component is not None:
        scopes = [scope("component", component, by_comp[component], True)]
    else:
        scopes = [scope("repository", r, by_repo[r], True) for r in sorted(by_repo)]
        summaries = [scope("component", c, by_comp[c], False) for c in names]
        scopes += sorted(summaries, key=lambda s: (s.truck_factor, -s.files, s.name))[:limit]
    return BusFactor(component or "", repo or "", iso_day(at), config.bus_factor_inactive_days, DOA_FORMULA,
                     tuple(scopes), len(names))


def _group(files: Iterable[_File], key: Callable[[_File], str]) -> dict[str, list[_File]]:
    out: dict[str, list[_File]] = defaultdict(list)
    for f in files:
        out[key(f)].append(f)
    return out


def _read(db: Reader, at: int, repo: str | None) -> tuple[list[_File], dict[str, Person], Contributions]:
    """The files that exist at `at`, the people behind them, and each scope's commits per person:
    from the replay kept at ingest when it answers for `at` (agents/lineage.py), else replayed."""
    facts = lineage.bus_facts(db, repo) if lineage.usable(db, at, repo) else None
    if facts is None:
        h = file_history.read(db, now=at, repo=repo)
        comps = {(r.repo, r.path): r.component for r in db.fetch(Q["files"], FileRow, repo=repo or "")}
        refs = {(r, p): tuple(h.touches[file]) for (r, p), file in h.alive.items()}
        return (_files(h, comps), {p.key: p for c in h.commits.values() for p in c.people},
                lambda kind, name, files: _commits([refs[(f.repo, f.path)] for f in files], h))
    by_scope: dict[str, list[tuple[str, dict[str, int]]]] = defaultdict(list)  # '' or component -> (repo, counts)
    for (r, s), per in facts.scopes.items():
        by_scope[s].append((r, per))

    def counted(kind: str, name: str, files: Sequence[_File]) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for r, per in by_scope["" if kind == "repository" else name]:
            if kind == "component" or r == name:
                for p, n in per.items():
                    out[p] += n
        return dict(out)

    return facts.files, facts.people, counted


def _files(h: file_history.History, comps: dict[tuple[str, str], str]) -> list[_File]:
    """Every file alive at `now` with its shares and authors, by (repo, path)."""
    out = []
    for (repo, path), file in sorted(h.alive.items()):
        refs = tuple(h.touches[file])
        dl: dict[str, int] = defaultdict(int)
        total = 0
        for ref in refs:
            people = h.commits[ref].people
            total += bool(people)
            for p in people:
                dl[p.key] += 1
        made = h.created.get(file)
        creators = frozenset(p.key for p in h.commits[made].people) if made else frozenset()
        shares = Shares(creators, dict(dl), total)
        out.append(_File(repo, -1, path, comps.get((repo, path), ""), len(refs), shares, authors(shares)))
    return out


def _scope(kind: Literal["repository", "component"], name: str, files: Sequence[_File], commits: dict[str, int],
           w: _World, limit: int) -> Scope:
    """One scope; `limit` 0 is a summary (its numbers and truck-factor people, no lists)."""
    by_file = {f"{f.repo}:{f.path}": f.authors for f in files}
    order = author_order(by_file, commits)
    tf, steps = truck_factor(by_file, commits, order)
    active = {p for f in files for p in f.authors if w.last.get(p, 0) >= w.cutoff}
    islands = [f for f in files if len(f.authors & active) == 1]
    orphaned = [f for f in files if f.authors and not f.authors & active]
    authored = sum(1 for f in files if f.authors)
    top: tuple[Author, ...] = ()
    if limit:
        island_of = _count(next(iter(f.authors & active)) for f in islands)
        sole_of = _count(next(iter(f.authors)) for f in files if len(f.authors) == 1)
        top = tuple(_author(w, p, n, commits.get(p, 0), island_of.get(p, 0), sole_of.get(p, 0), authored,
                            len(files)) for p, n in order[:max(limit, tf)])
    removed = tuple(Removal(w.people[s.person], s.files, s.covered_after, percent(s.covered_after, len(files)))
                    for s in steps)
    n_abs, absent = absence_factor(commits)
    busiest = sorted(islands, key=lambda f: (-f.changes, f.repo, f.path))[:limit]
    lost = sorted(orphaned, key=lambda f: (-f.changes, f.repo, f.path))[:limit]
    return Scope(kind, name, len(files), authored, tf, removed, n_abs, sum(commits.values()),
                 tuple(Contributor(w.people[p], c) for p, c in absent), len(islands), len(orphaned), len(order), top,
                 tuple(_evidence(f, w) for f in busiest), tuple(_evidence(f, w) for f in lost),
                 _explain(tf, removed, len(files), authored, n_abs, absent, commits, w, len(islands), len(orphaned)))


def _commits(files: Sequence[tuple[str, ...]], h: file_history.History) -> dict[str, int]:
    """person key -> the distinct commits of these files (their refs) they authored or co-authored."""
    refs = {ref for f in files for ref in f}
    return _count(p.key for ref in refs for p in h.commits[ref].people)


def _count(keys: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for k in keys:
        out[k] += 1
    return dict(out)


def _author(w: _World, key: str, files: int, commits: int, islands: int, sole: int, authored: int,
            total: int) -> Author:
    person, last = w.people[key], w.last.get(key)
    return Author(person, files, commits, last, iso_day(last), (last or 0) >= w.cutoff, islands, sole,
                  sentence_if_leaves(person.name, sole, authored, total))


def _evidence(f: _File, w: _World) -> FileAuthors:
    """A file's DOA for everyone who changed it: the numbers behind its authors."""
    s = f.shares
    exact = {p: s.doa(p) for p in s.commits}
    best = max(exact.values(), default=0.0)
    ranked = sorted(s.commits, key=lambda p: (-exact[p], p))
    people = [p for p in ranked if p in f.authors] + [p for p in ranked if p not in f.authors][:OTHERS]
    scores = {p: doa_score(int(p in s.created_by), s.commits[p], s.total - s.commits[p]) for p in people}
    return FileAuthors(f.repo, f.path, s.total, tuple(
        Doa(w.people[p], scores[p], round(exact[p] / best, 4) if best else 0.0, p in f.authors,
            iso_day(w.last.get(p))) for p in people))


def _explain(tf: int, removed: Sequence[Removal], files: int, authored: int, n_abs: int,
             absent: Sequence[tuple[str, int]], commits: dict[str, int], w: _World, islands: int,
             orphaned: int) -> str:
    if files == 0:
        return "no files"
    who = ", ".join(f"{r.person.name} ({r.files} files)" for r in removed)
    parts = [f"truck factor {tf}" + (f": without {who}, fewer than half of the {files} files have an author"
                                     f" ({removed[-1].coverage_after}% do)" if removed else
                                     f": only {authored} of {files} files have an author to begin with")]
    share = percent(sum(c for _, c in absent), sum(commits.values()))
    names = ", ".join(w.people[p].name for p, _ in absent)
    parts.append(f"absence factor {n_abs}: {names} made {share}% of the commits" if absent else
                 "absence factor 0: no commits by people")
    parts.append(f"{islands} knowledge island{'s' if islands != 1 else ''} (one active author)")
    parts.append(f"{orphaned} orphaned file{'s' if orphaned != 1 else ''} (every author inactive)")
    return "; ".join(parts)
