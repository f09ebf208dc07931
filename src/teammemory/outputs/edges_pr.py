"""pr-context's edge: git handed to the agent for a PR known only from its merge or squash commit.

agents/context_pr.py takes sources/git_change.py as `git` (agents never import sources/) to read
`merge^1..merge^2` in the repository's clone when it is here (else the agent walks the store's own
commit graph). `LazyGit` imports it on first use: git runs, and its module loads, only for a PR
the store has no row for, so a PR GitHub described costs nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from teammemory.agents.context_pr import PrContext, ask_pr
from teammemory.config import Config
from teammemory.store import Reader

if TYPE_CHECKING:
    from teammemory.agents.change import GitCommitLike


class LazyGit:
    """agents.change.ChangeGit backed by sources/git_change.py, imported when first called."""

    def commits(self, clone: Path | str, kind: str, value: str, *, default: str = "HEAD"
                ) -> Sequence[GitCommitLike]:
        from teammemory.sources import git_change

        return git_change.commits(clone, kind, value, default=default)

    def default_branch(self, clone: Path | str, recorded: str = "") -> str:
        from teammemory.sources import git_change

        return git_change.default_branch(clone, recorded)


def ask_pr_context(db: Reader, number: int, *, now: datetime, config: Config, repo: str | None = None) -> PrContext:
    """`context_pr.ask_pr` with git from sources/git_change.py."""
    return ask_pr(db, number, now=now, config=config, repo=repo, git=LazyGit())
