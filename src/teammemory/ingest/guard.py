"""What a store holds, so that commands which replace everything (`seed`, `init-db --reset`)
refuse to destroy real data unless told to (`--force`).

`teammemory --db team.db seed` once replaced a 14,000-commit store with the demo, silently. A
store counts as holding data when it has commits, pull requests or issues; `keep` names the
repositories (and so their PRs and GitHub issues) that may be replaced anyway: the demo's own,
when the demo is seeded again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from teammemory.errors import InputError
from teammemory.store import Reader, migrate


@dataclass(frozen=True)
class Holdings:
    """Counts of what a store holds beyond what may be replaced."""

    commits: int = 0
    pull_requests: int = 0
    issues: int = 0

    def __bool__(self) -> bool:
        return bool(self.commits or self.pull_requests or self.issues)

    def __str__(self) -> str:
        parts = [f"{n:,} {what if n != 1 else what.removesuffix('s')}"
                 for n, what in ((self.commits, "commits"), (self.pull_requests, "pull requests"),
                                 (self.issues, "issues")) if n]
        return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def holdings(db: Reader, keep: Callable[[str, str], bool] = lambda name, path: False) -> Holdings:
    """What the store holds outside the repositories `keep(name, path)` accepts (and outside the
    Jira projects that only their commits mention); empty for a blank store."""
    if migrate.current_version(db) == 0:
        return Holdings()
    kept = {str(r["name"]) for r in db.all("select name, path from repositories") if keep(r["name"], r["path"])}
    commits = sum(int(r["n"]) for r in db.all("select repo, count(*) as n from commits group by repo")
                  if r["repo"] not in kept)
    pulls = sum(int(r["n"]) for r in db.all("select repo, count(*) as n from pull_requests group by repo")
                if r["repo"] not in kept)
    projects = _kept_projects(db, kept)
    issues = sum(int(r["n"]) for r in db.all("select project, count(*) as n from issues group by project")
                 if r["project"] not in projects)
    return Holdings(commits, pulls, issues)


def _kept_projects(db: Reader, kept: set[str]) -> set[str]:
    """The kept repositories (GitHub issues' project) and the Jira projects their commits link to:
    the demo's PROJ issues go with the demo."""
    if not kept:
        return set()
    linked = {str(r["project"]) for r in db.all("select distinct repo, project from commit_issues")
              if r["repo"] in kept}
    return kept | linked


def refuse_replacing(db: Reader, where: str, action: str,
                     keep: Callable[[str, str], bool] = lambda name, path: False) -> None:
    """InputError (nothing is touched) when the store holds data `action` would destroy."""
    held = holdings(db, keep)
    if held:
        raise InputError(where, f"holds {held}; {action} would replace them: add --force to do so,"
                         " or use another store (--db)")
