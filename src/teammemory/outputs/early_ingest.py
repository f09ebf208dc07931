"""`teammemory ingest git` into a new store: git starts before Typer and the command load.

A first ingest starts its git work as soon as ingest_git has checked the clone
(sources/git_read_ahead.py), but a process gets there only after its imports (Typer, the command
module, the ingest's own): a whole-process ingest of Flask's 5,500 commits started its first
`git log` 0.17-0.24 s in, while the floor's git starts at once. So cli.main looks at the
arguments first: when they are plainly `[--db URL] [--config PATH] ingest git PATH [--name N]
[--branch B] [-q]` and the store they name is a file that does not exist yet, the read-ahead
starts here. ingest_git claims it only for the same clone at the same head and a store it finds
new itself; anything else is closed unread (at exit at the latest). This only guesses early:
Typer still parses every argument, and arguments the scan does not know start nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from teammemory.errors import TeamMemoryError
from teammemory.outputs import early_args

GLOBAL_OPTIONS = {"--db": "db", "--config": "config"}  # app.main_options' options that take a value
COMMAND_OPTIONS = {"--name": "name", "--branch": "branch"}  # commands_data.ingest_git's
COMMAND_FLAGS = frozenset({"-q", "--quiet"})
SIDECARS = ("-journal", "-wal", "-shm")  # store/fresh_build.SQLITE_SIDECARS (not imported: it is slow to)


class Plan(NamedTuple):
    path: str
    branch: str | None
    db: str | None
    config: str | None


def scan(args: Sequence[str]) -> Plan | None:
    """The clone, branch and store of plain `ingest git` arguments; None for anything else."""
    read = early_args.scan(args, GLOBAL_OPTIONS, COMMAND_OPTIONS, COMMAND_FLAGS, depth=2)
    if read is None:
        return None
    words, found = read
    if len(words) != 3 or words[:2] != ["ingest", "git"]:
        return None
    return Plan(words[2], found.get("branch"), found.get("db"), found.get("config"))


def start(args: Sequence[str]) -> None:
    """Start the read-ahead of `args`' clone when they are a first ingest into a new store file."""
    plan = scan(args)
    if plan is None:
        return
    url = early_args.sqlite_file(plan.db, plan.config)
    if url is None:  # only a plain SQLite file path
        return
    if any(os.path.lexists(url + suffix) for suffix in ("", *SIDECARS)):  # ingest_git looks at blank stores
        return
    from teammemory.sources import git_read_ahead, gitlog

    try:
        repo = gitlog.open_repo(Path(plan.path), plan.branch)
    except (TeamMemoryError, OSError):
        return
    git_read_ahead.start_early(repo)
