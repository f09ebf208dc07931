"""review-suggest's edge: git handed to the agents that resolve a change (as outputs/edges.py does for `why`).

A commit, a range, a branch or a PR known only from its merge is resolved with git in the
repository's clone: agents/change.py takes sources/git_change.py as `git` (agents never import
sources/), wrapped in `LazyGit`, which imports it on first use: a PR-number or files answer that
needs no git never loads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from teammemory.agents.evidence import epoch
from teammemory.agents.review_routing import ReviewSuggestion
from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.store import Reader

if TYPE_CHECKING:
    from teammemory.agents.change import GitCommitLike

FORMS = ("NUMBER", "--commit", "--range", "--branch", "--files", "-")  # review-suggest's ways to name a change


class LazyGit:
    """sources/git_change.py (agents/change.py's ChangeGit), imported when git is first asked: a
    PR the store holds is answered without loading the git layer (subprocess, threads, tempfile)."""

    def commits(self, clone: Path | str, kind: str, value: str, *, default: str = "HEAD") -> Sequence[GitCommitLike]:
        from teammemory.sources import git_change

        return git_change.commits(clone, kind, value, default=default)

    def default_branch(self, clone: Path | str, recorded: str = "") -> str:
        from teammemory.sources import git_change

        return git_change.default_branch(clone, recorded)


def ask_review(db: Reader, number: int | None = None, *, now: datetime, config: Config, repo: str | None = None,
               limit: int | None = None, include_inactive: bool = False, commit: str | None = None,
               range: str | None = None, branch: str | None = None, files: Sequence[str] | None = None,
               diff: str | None = None, authors: Sequence[str] | None = None, git_dir: str | None = None
               ) -> ReviewSuggestion:
    """review-suggest for a PR number, a commit, a range, a branch, files or a diff (exactly one),
    with git from sources/git_change.py for the forms git resolves (agents/change.py)."""
    from teammemory.agents import change, review_routing

    given = [f for f, v in zip(FORMS, (number, commit, range, branch, files, diff), strict=True) if v is not None]
    if len(given) != 1:
        what = "none was given" if not given else f"{' and '.join(given)} were both given"
        raise InputError(given[1] if len(given) > 1 else "NUMBER",
                         f"name the change in exactly one way ({', '.join(FORMS)}): {what}")
    if authors and (files is None and diff is None):
        raise InputError("--author", "only with --files or a diff: the commits say who wrote them")
    at = epoch(now)
    common: dict[str, Any] = {"now": now, "config": config, "limit": limit, "include_inactive": include_inactive}
    if number is not None:
        return review_routing.ask(db, number, repo=repo, git=LazyGit(), git_dir=git_dir, **common)
    if files is not None:
        found = change.from_files(db, files, now=at, authors=authors or ())
    elif diff is not None:
        found = change.from_diff(db, diff, now=at, authors=authors or ())
    else:
        kind, value = next((k, v) for k, v in (("commit", commit), ("range", range), ("branch", branch)) if v)
        found = change.from_git(db, kind, value, now=at, git=LazyGit(), repo=repo, git_dir=git_dir)
    return review_routing.ask_files(db, found.files, repo=repo or found.repo, authors=found.authors,
                                    what=found.what, commits=found.commits, **common)
