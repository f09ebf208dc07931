"""What a pull request changes, read from the local clone: its files and who wrote its commits.

Used when the store has no GitHub data for the PR (no token, or the sync failed): the checkout
of a `pull_request` workflow holds both ends of the PR, so `git diff --name-only base...head`
(three dots: the changes on the head side since the merge base, which is what GitHub's "Files
changed" shows) and `git log base..head` give what the PR's own data would.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from teammemory.errors import InputError, SourceError
from teammemory.sources.gitlog import git


@dataclass(frozen=True)
class Writer:
    """One author of the PR's commits, as git prints them with the repository's .mailmap applied."""

    email: str
    name: str


def _commit(path: Path, sha: str, which: str) -> str:
    if not sha or sha.startswith("-") or git(path, "cat-file", "-e", f"{sha}^{{commit}}").returncode != 0:
        raise InputError(which, f"commit {sha!r} is not in the clone at {path}"
                                " (check out with actions/checkout and fetch-depth: 0)")
    return sha


def changed_files(path: Path, base: str, head: str) -> tuple[str, ...]:
    """The paths `base...head` changes (renames as their new path), sorted."""
    done = git(path, "-c", "core.quotePath=false", "diff", "--name-only", "-M", "-z",
               f"{_commit(path, base, 'base')}...{_commit(path, head, 'head')}")
    if done.returncode != 0:
        raise SourceError(f"git diff {base}...{head} in {path} failed: {done.stderr.strip()}")
    return tuple(sorted({p for p in done.stdout.split("\0") if p}))


def commits(path: Path, base: str, head: str) -> tuple[str, ...]:
    """The full hashes of the commits on `head` that `base` lacks (`base..head`), newest first."""
    done = git(path, "rev-list", f"{_commit(path, base, 'base')}..{_commit(path, head, 'head')}")
    if done.returncode != 0:
        raise SourceError(f"git rev-list {base}..{head} in {path} failed: {done.stderr.strip()}")
    return tuple(done.stdout.split())


def writers(path: Path, base: str, head: str) -> tuple[Writer, ...]:
    """The authors of the commits on `head` that `base` lacks (`base..head`), each once."""
    done = git(path, "log", "--format=%aE%x1f%aN%x1f%ae%x1f%an",
               f"{_commit(path, base, 'base')}..{_commit(path, head, 'head')}")
    if done.returncode != 0:
        raise SourceError(f"git log {base}..{head} in {path} failed: {done.stderr.strip()}")
    found: set[Writer] = set()
    for line in done.stdout.splitlines():
        fields = line.split("\x1f")
        if len(fields) == 4:
            found |= {Writer(fields[0], fields[1]), Writer(fields[2], fields[3])}
    return tuple(sorted(found, key=lambda w: (w.email, w.name)))
