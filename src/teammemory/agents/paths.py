"""Where a path lives and where it used to live: repositories, earlier names, components.

Path lineage follows `commit_files.old_path` backwards, the way `git log --follow` does, so the
history from before a rename still counts for the file: each earlier name counts up to the time
it was renamed away (`PathSpan.until`). Agents hand the spans to their queries as the declared
`target` slot (`spans_cte`).

As of `now`, a path is known when a commit authored at or before `now` changed it, and it exists
unless its last change known then (by commit time) deletes it or renames it away (`gone`). The
files of a component, the component names and the close matches offered for an unknown path are
the paths that exist (`current_files`); a path that is gone still has its history (file-context,
file-experts answer for it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol, TypeVar

from teammemory.agents.evidence import not_found
from teammemory.errors import InputError
from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "paths.sql")
FOREVER = 2**62  # an `until` later than any commit: the path as it is now
T = TypeVar("T")


@dataclass(frozen=True)
class PathSpan:
    """`path` in `repo` counts for `root` up to `until` (committed_at of the rename away from it)."""

    repo: str
    path: str
    until: int
    root: str


class RepoRow(NamedTuple):
    repo: str


class RenameRow(NamedTuple):
    old_path: str
    renamed_at: int


class ComponentRow(NamedTuple):
    component: str


class PathRow(NamedTuple):
    path: str


def file_repos(db: Reader, path: str, repo: str | None = None, *, now: int | None = None) -> list[str]:
    """Repositories whose history holds `path` (all, or just `repo`) as of `now` (None: ever), sorted."""
    if now is None or sees_all(db, now):
        rows = db.fetch(Q["repos-of-path"], RepoRow, path=path)
    else:
        rows = db.fetch(Q["repos-of-path-as-of"], RepoRow, path=path, now=now)
    return sorted({r.repo for r in rows if repo is None or r.repo == repo})


def lineage(db: Reader, path: str, repos: Iterable[str]) -> tuple[PathSpan, ...]:
    """`path` in each repo plus every earlier name it had, each bounded by its rename time."""
    spans: dict[tuple[str, str], int] = {}
    todo = [(r, path, FOREVER) for r in repos]
    while todo:
        repo, p, until = todo.pop()
        if spans.get((repo, p), -1) >= until:
            continue
        spans[(repo, p)] = until
        for r in db.fetch(Q["renames-into"], RenameRow, repo=repo, path=p):
            todo.append((repo, r.old_path, min(until, int(r.renamed_at))))
    return tuple(PathSpan(repo, p, until, path) for (repo, p), until in sorted(spans.items()))


def spans_cte(spans: Iterable[PathSpan]) -> tuple[str, dict[str, object]]:
    """The `target` slot: `target(repo, path, until_at, root)` as a CTE over literal spans, and
    its parameters."""
    parts: list[str] = []
    params: dict[str, object] = {}
    for i, s in enumerate(spans):
        parts.append(f"select cast(:r{i} as text), cast(:p{i} as text), cast(:u{i} as bigint),"
                     f" cast(:o{i} as text)")
        params.update({f"r{i}": s.repo, f"p{i}": s.path, f"u{i}": s.until, f"o{i}": s.root})
    return "target(repo, path, until_at, root) as (" + " union all ".join(parts) + ")", params


def components(db: Reader, *, now: int | None = None, repo: str | None = None) -> list[str]:
    """Every component name the files that exist (at `now`, in `repo`) are assigned to, sorted
    (lookups, hints)."""
    return sorted({f.component for f in current_files(db, now=now, repo=repo) if f.component})


def component_files(db: Reader, name: str, *, now: int | None = None, repo: str | None = None) -> tuple[str, ...]:
    """The paths of component `name` that exist (at `now`, in `repo`), sorted."""
    if now is None or sees_all(db, now):
        rows = db.fetch(Q["component-files"], FileRow, component=name)
    else:
        rows = db.fetch(Q["component-files-as-of"], FileRow, component=name, now=now)
    removed = gone(db, now=now)
    return tuple(sorted({r.path for r in rows if (repo is None or r.repo == repo) and (r.repo, r.path) not in removed}))


def all_paths(db: Reader, *, now: int | None = None, repo: str | None = None) -> list[str]:
    """Every path that exists (at `now`, in `repo`), sorted (for NotFound hints)."""
    return sorted({f.path for f in current_files(db, now=now, repo=repo)})


def current_files(db: Reader, *, now: int | None = None, repo: str | None = None) -> list[FileRow]:
    """The known files (`known_files`) that exist at `now` (None: after the newest commit)."""
    at = _moment(db, now)
    rows = _kept(db, "current", at, lambda: _existing(db, at))
    return [f for f in rows if repo is None or f.repo == repo]


def _existing(db: Reader, at: int) -> tuple[FileRow, ...]:
    removed = gone(db, now=at)
    return tuple(f for f in known_files(db, now=at) if (f.repo, f.path) not in removed)


class MoveRow(NamedTuple):
    repo: str
    path: str
    old_path: str
    change_type: str
    at: int


def _kept(db: Reader, what: str, at: int, read: Callable[[], T]) -> T:
    """`read()` once per reader, statement and moment: one question asks for the files, the
    component names and the gone paths up to three times (its files, the names for a hint, an
    expert list), and a reader sees one unchanging store (one transaction)."""
    return db.kept(("paths", what, at), read)


def gone(db: Reader, *, now: int | None = None) -> frozenset[tuple[str, str]]:
    """The (repo, path) whose last change known at `now` (None: any time) deletes it or renames it
    away (paths.sql `gone-paths`, folded by `removed_paths`). Kept for the reader's life (`_kept`):
    the statement reads the summary of ~4 % of commit_files (~10 ms on the 100k bench store)."""
    at = _moment(db, now)
    return _kept(db, "gone", at, lambda: removed_paths(db.fetch(Q["gone-paths"], MoveRow, now=at)))


def removed_paths(moves: Iterable[MoveRow]) -> frozenset[tuple[str, str]]:
    """Pure: the (repo, path) whose last removal among `moves` is later than their last arrival
    (or no arrival at all); a tie keeps the path (paths.sql `gone-paths`)."""
    removed: dict[tuple[str, str], int] = {}
    arrived: dict[tuple[str, str], int] = {}
    for m in moves:
        if m.change_type == "D":
            _later(removed, (m.repo, m.path), m.at)
            continue
        _later(arrived, (m.repo, m.path), m.at)
        if m.change_type == "R" and m.old_path and m.old_path != m.path:
            _later(removed, (m.repo, m.old_path), m.at)
    return frozenset(k for k, at in removed.items() if k not in arrived or arrived[k] < at)


def _later(times: dict[tuple[str, str], int], key: tuple[str, str], at: int) -> None:
    if times.get(key, at) <= at:
        times[key] = at


def _moment(db: Reader, now: int | None) -> int:
    """`now`, or FOREVER when it sees every commit (the lookups for both are the same)."""
    return FOREVER if now is None or sees_all(db, now) else now


class FileRow(NamedTuple):
    repo: str
    path: str
    component: str


class LatestRow(NamedTuple):
    at: int | None


def known_files(db: Reader, *, now: int | None = None, repo: str | None = None) -> list[FileRow]:
    """The files a commit authored at or before `now` changed (every file when `now` is after the
    newest commit or None), in `repo` (None: every repository)."""
    at = _moment(db, now)
    rows = _kept(db, "known", at, lambda: tuple(
        db.fetch(Q["repo-paths"], FileRow) if at == FOREVER else db.fetch(Q["paths-as-of"], FileRow, now=at)))
    return [r for r in rows if repo is None or r.repo == repo]


def sees_all(db: Reader, now: int) -> bool:
    """True when `now` is at or after the newest commit: every path is known then."""
    latest = _kept(db, "latest", 0, lambda: db.fetch_one(Q["latest-commit"], LatestRow))
    return latest is None or latest.at is None or now >= latest.at


def repos(db: Reader) -> list[str]:
    """Every repository name the store knows, sorted."""
    return sorted({r.repo for r in db.fetch(Q["repos"], RepoRow)})


def check_repo(db: Reader, repo: str | None) -> None:
    """NotFound with close names when `repo` is given and the store knows no such repository."""
    if repo is not None:
        known = repos(db)
        if repo not in known:
            raise not_found("repository", repo, known)


class _Clone(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def path(self) -> str: ...


C = TypeVar("C", bound=_Clone)


def pick_repository(rows: Sequence[C], repo: str | None, git_dir: str | None) -> C:
    """The repository a git-reading question is about: `--repo`, else the one ingested from
    `--git-dir` (or the only one), else the only one; refused naming the choices otherwise."""
    names = sorted(r.name for r in rows)
    if not rows:
        raise InputError("--repo", "the store holds no git repository: run `teammemory ingest git` first")
    if repo is not None:
        chosen = [r for r in rows if r.name == repo]
        if not chosen:
            raise InputError("--repo", f"no repository {repo!r} in the store (it has {', '.join(names)})")
    elif git_dir is not None:
        here = Path(git_dir).expanduser().resolve()
        chosen = [r for r in rows if r.path and Path(r.path).resolve() == here]
        chosen = chosen or (list(rows) if len(rows) == 1 else [])
        if not chosen:
            raise InputError("--repo", f"{git_dir} is not where a stored repository was ingested from;"
                             f" name one of {', '.join(names)}")
    elif len(rows) == 1:
        chosen = list(rows)
    else:
        raise InputError("--repo", f"the store holds {len(rows)} repositories: name one of {', '.join(names)}")
    return chosen[0]
