"""Change coupling: which files change together with PATH, in commits, in PRs and in issues?

For each level, a *change set* is the files one commit changed (non-merge), one PR changed (its
commits' files and the files GitHub lists for it), or one issue's work changed (the commits
naming its key and the commits of the PRs naming it). Change sets of more than
`coupling.max_changeset` files (30) are ignored: a mass reformat couples everything with
everything. Over the remaining sets,

    degree(a, b) = 100 * shared / ((revs_a + revs_b) / 2)

revs_x = the change sets holding x, shared = those holding both; a file needs at least
`coupling.min_shared` shared sets. Files are followed across renames (the history replayed once,
agents/file_history.py; or, when `now` is at or after the newest commit and PR, the replay and
change sets kept at ingest, counted in SQL: agents/lineage.py) and only files that exist at `now`
are listed. Ties: higher degree, then more shared sets, then path. The answer also says how
often the file's test (found by agents/covering_tests.py) changed with it: "its test file changed
in only N of its M changes" (every change of the file, large ones too).

Source: code-maat's `coupling` analysis (Tornhill, "Your Code as a Crime Scene": degree,
--min-revs, --min-shared-revs, --max-changeset-size) lifted from commits to PRs and issues.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, NamedTuple

from teammemory.agents import lineage, paths
from teammemory.agents.covering_tests import covering_tests, is_test_path
from teammemory.agents.evidence import Evidence, Score, epoch, iso_day, not_found, short
from teammemory.config import Config
from teammemory.store import Reader, queries

if TYPE_CHECKING:  # the replay is imported where it runs: the kept answer (most asks) never loads it
    from teammemory.agents import file_history

Q = queries.load("teammemory.agents.sql", "coupling.sql")
FORMULA = "100*shared/((revs_a+revs_b)/2)"
LIMIT = 10
EVIDENCE = 3
Level = Literal["commit", "pr", "issue"]


class PrCommitRow(NamedTuple):
    pr_repo: str
    number: int
    hash: str


class PrFileRow(NamedTuple):
    pr_repo: str
    number: int
    path: str


class IssueCommitRow(NamedTuple):
    issue_key: str
    hash: str


class IssuePrRow(NamedTuple):
    issue_key: str
    pr_repo: str
    number: int


@dataclass(frozen=True)
class ChangeSet:
    """One commit, PR or issue: its label (short hash, 'org/app#12', 'PROJ-7'), when, its files."""

    ref: str
    at: int
    files: frozenset[int]


@dataclass(frozen=True)
class Coupled:
    path: str
    score: Score  # the degree, with shared, revs_a and revs_b
    shared: int
    revisions: int  # its own change sets at this level
    evidence: tuple[Evidence, ...]  # the latest shared change sets


@dataclass(frozen=True)
class LevelCoupling:
    level: Level
    change_sets: int  # the target's change sets within the size limit (revs_a)
    ignored: int  # the target's change sets over the size limit
    coupled: tuple[Coupled, ...]


@dataclass(frozen=True)
class Coupling:
    path: str
    repo: str
    as_of: str
    formula: str
    max_changeset: int
    min_shared: int
    levels: tuple[LevelCoupling, ...]
    test_file: str  # '' when none was found
    changes: int  # every non-merge commit of the file
    test_changes: int  # those that changed its test file too
    explanation: str


def ask(db: Reader, path: str, *, now: datetime, config: Config, repo: str | None = None,
        limit: int | None = None) -> Coupling:
    """The files coupled to PATH at each level; NotFound with close paths when unknown."""
    at, limit = epoch(now), LIMIT if limit is None else limit
    repos = paths.file_repos(db, path, repo)
    if repos and lineage.usable(db, at, repos[0]) and lineage.sets_usable(db, at):
        levels, own = _from_lineage(db, repos[0], path, config, limit)
    else:
        levels, own = _replayed(db, repos[0] if repos else None, path, at, config, limit)
    test = covering_tests(db, [path], 0, at)[path]
    tested = len(test.commits & own)
    text = explain(path, test.path, tested, len(own), levels)
    return Coupling(path, repos[0], iso_day(at), FORMULA, config.coupling_max_changeset, config.coupling_min_shared,
                    levels, test.path, len(own), tested, text)


def _replayed(db: Reader, repo: str | None, path: str, at: int, config: Config,
              limit: int) -> tuple[tuple[LevelCoupling, ...], set[str]]:
    """Every level from the history replayed up to `at` (agents/file_history.py)."""
    from teammemory.agents import file_history

    h = file_history.read(db, now=at, repo=repo) if repo else None
    target = h.alive.get((repo, path), h.last.get((repo, path))) if h and repo else None
    if h is None or target is None or repo is None:
        raise not_found("file", path, paths.all_paths(db))
    sets = change_sets(db, h, repo, at)
    alive = {f: p for (_, p), f in h.alive.items()}
    levels = tuple(couple(level, sets[level], target, alive, config.coupling_max_changeset,
                          config.coupling_min_shared, limit) for level in ("commit", "pr", "issue"))
    return levels, set(h.touches[target])


def _from_lineage(db: Reader, repo: str, path: str, config: Config,
                  limit: int) -> tuple[tuple[LevelCoupling, ...], set[str]]:
    """The same levels counted in SQL from the replay and change sets kept at ingest
    (agents/lineage.py), reading only the file's own sets and their files."""
    target = lineage.file_at(db, repo, path)
    if target is None:
        raise not_found("file", path, paths.all_paths(db))
    commits = lineage.sets_of(db, "commit", repo, target)  # read once: the commit level and the file's changes
    levels = tuple(_kept_level(db, level, repo, target, config.coupling_max_changeset, config.coupling_min_shared,
                               limit, commits if level == "commit" else lineage.sets_of(db, level, repo, target))
                   for level in ("commit", "pr", "issue"))
    return levels, {f"{repo}@{s.label}" for s in commits}


def _kept_level(db: Reader, level: Level, repo: str, target: int, most: int, least: int,
                limit: int, mine: Sequence[lineage.SetRow]) -> LevelCoupling:
    """`couple` for one level, from the kept sets (`mine`: the file's sets of `level`): the same
    numbers, counted in SQL, and the evidence read for the files listed only."""
    kept = sum(1 for s in mine if s.files <= most)
    found = lineage.partners(db, level, repo, target, most, least)
    revs = lineage.revisions(db, level, repo, [f.root for f in found], most)
    ranked = sorted(found, key=lambda f: (-round(degree(f.shared, kept, revs[f.root]), 2), -f.shared, f.path))[:limit]
    kept_sets = {s.label for s in mine if s.files <= most}
    sets = lineage.shared(db, level, repo, target, kept_sets, most, [f.root for f in ranked])
    when = {s.label: int(s.at) for s in mine}
    label = short if level == "commit" else str
    top = tuple(_coupled(level, f.path, kept, revs[f.root], [ChangeSet(label(s), when[s], frozenset())
                                                             for s in sets[f.root]]) for f in ranked)
    return LevelCoupling(level, kept, sum(1 for s in mine if s.files > most), top)


def change_sets(db: Reader, h: file_history.History, repo: str, at: int) -> dict[Level, list[ChangeSet]]:
    """Every commit, PR and issue of `repo` up to `at`, as sets of file ids."""
    files_of = {ref.split("@", 1)[1]: frozenset(fs) for ref, fs in h.files_of.items()}
    when = {ref.split("@", 1)[1]: c.committed_at for ref, c in h.commits.items()}
    commits = [ChangeSet(short(hash_), when[hash_], fs) for hash_, fs in files_of.items()]
    return {"commit": commits, **_group_sets(db, files_of, when, lambda p: h.last.get((repo, p)), repo, at)}


def _group_sets(db: Reader, files_of: Mapping[str, frozenset[int]], when: Mapping[str, int],
                last: Callable[[str], int | None], repo: str, at: int) -> dict[Level, list[ChangeSet]]:
    """Every PR and issue of `repo` up to `at`, from its commits' files (`files_of`, by hash)
    and, for a PR, the files GitHub lists (`last`: the latest file of a path in `repo`)."""
    prs: dict[str, set[int]] = defaultdict(set)
    pr_at: dict[str, int] = defaultdict(int)
    for r in db.fetch(Q["pr-commits"], PrCommitRow, now=at):
        if r.hash in files_of:
            label = f"{r.pr_repo}#{r.number}"
            prs[label] |= files_of[r.hash]
            pr_at[label] = max(pr_at[label], when[r.hash])
    for f in db.fetch(Q["pr-files"], PrFileRow, now=at):  # a PR counts for the repository of its commits
        label, file = f"{f.pr_repo}#{f.number}", last(f.path)
        if file is not None and label in prs:
            prs[label].add(file)
    issues: dict[str, set[int]] = defaultdict(set)
    issue_at: dict[str, int] = defaultdict(int)
    for i in db.fetch(Q["issue-commits"], IssueCommitRow, repo=repo):
        if i.hash in files_of:
            issues[i.issue_key] |= files_of[i.hash]
            issue_at[i.issue_key] = max(issue_at[i.issue_key], when[i.hash])
    for p in db.fetch(Q["issue-prs"], IssuePrRow):
        label = f"{p.pr_repo}#{p.number}"
        if label in prs:
            issues[p.issue_key] |= prs[label]
            issue_at[p.issue_key] = max(issue_at[p.issue_key], pr_at[label])
    return {"pr": [ChangeSet(k, pr_at[k], frozenset(v)) for k, v in prs.items()],
            "issue": [ChangeSet(k, issue_at[k], frozenset(v)) for k, v in issues.items()]}


def couple(level: Level, sets: Sequence[ChangeSet], target: int, alive: Mapping[int, str], max_changeset: int,
           min_shared: int, limit: int) -> LevelCoupling:
    """Pure over the change sets: the degree of every file alive at `now` (`alive`: file -> its
    path) sharing sets with `target`."""
    kept = [s for s in sets if len(s.files) <= max_changeset]
    ignored = sum(1 for s in sets if len(s.files) > max_changeset and target in s.files)
    revs: dict[int, int] = defaultdict(int)
    for s in kept:
        for f in s.files:
            revs[f] += 1
    mine = [s for s in kept if target in s.files]
    shared: dict[int, list[ChangeSet]] = defaultdict(list)
    for s in mine:
        for f in s.files - {target}:
            shared[f].append(s)
    found = [_coupled(level, alive[f], len(mine), revs[f], together) for f, together in shared.items()
             if f in alive and len(together) >= min_shared]
    found.sort(key=lambda c: (-c.score.total, -c.shared, c.path))
    return LevelCoupling(level, len(mine), ignored, tuple(found[:limit]))


def degree(shared: int, revs_a: int, revs_b: int) -> float:
    """THE formula: 100 * shared / mean revisions."""
    return 100 * shared / ((revs_a + revs_b) / 2)


def _coupled(level: Level, path: str, revs_a: int, revs_b: int, together: Sequence[ChangeSet]) -> Coupled:
    n = len(together)
    score = Score.of(FORMULA, {"shared": n, "revs_a": revs_a, "revs_b": revs_b}, {"degree": degree(n, revs_a, revs_b)})
    latest = sorted(together, key=lambda s: (-s.at, s.ref))[:EVIDENCE]
    evidence = tuple(Evidence(level, s.ref, "changed both", s.at) for s in latest)
    return Coupled(path, score, n, revs_b, evidence)


def explain(path: str, test_file: str, tested: int, changes: int, levels: Iterable[LevelCoupling]) -> str:
    """'changes most with x.py (degree 80, 4 shared commits); its test file ... changed in only 1 of 6 changes'."""
    parts = []
    for lv in levels:
        if lv.coupled:
            top = lv.coupled[0]
            unit = {"commit": "commits", "pr": "PRs", "issue": "issues"}[lv.level]
            parts.append(f"at {lv.level} level it changes most with {top.path} (degree {top.score.total:g},"
                         f" {top.shared} shared {unit} of {lv.change_sets})")
    if not parts:
        parts.append("no file changes with it often enough to count")
    if is_test_path(path):
        parts.append("it is a test file")
    elif not test_file:
        parts.append("no test file found")
    else:
        only = "only " if tested * 2 < changes else ""
        parts.append(f"its test file {test_file} changed in {only}{tested} of its {changes} changes")
    return "; ".join(parts)
