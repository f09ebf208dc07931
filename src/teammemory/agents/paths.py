"""Where a path lives and where it used to live: repositories, earlier names, components.

Path lineage follows `commit_files.old_path` backwards, the way `git log --follow` does, so the
history from before a rename still counts for the file: each earlier name counts up to the time
it was renamed away (`PathSpan.until`). Agents hand the spans to their queries as the declared
`target` slot (`spans_cte`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.store import Reader, queries

Q = queries.load("teammemory.agents.sql", "paths.sql")
FOREVER = 2**62  # an `until` later than any commit: the path as it is now


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


def file_repos(db: Reader, path: str, repo: str | None = None) -> list[str]:
    """Repositories whose history holds `path` (all, or just `repo`), sorted."""
    rows = db.fetch(Q["repos-of-path"], RepoRow, path=path)
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


def components(db: Reader) -> list[str]:
    """Every component name files are assigned to, sorted (for lookups and NotFound hints)."""
    return sorted({r.component for r in db.fetch(Q["components"], ComponentRow) if r.component})


def component_files(db: Reader, name: str) -> tuple[str, ...]:
    """The paths of component `name`, sorted."""
    return tuple(sorted({r.path for r in db.fetch(Q["component-files"], PathRow, component=name)}))


def all_paths(db: Reader) -> list[str]:
    """Every path the store knows, sorted (for NotFound hints)."""
    return sorted({r.path for r in db.fetch(Q["paths"], PathRow)})
