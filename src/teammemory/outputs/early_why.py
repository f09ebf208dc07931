"""`teammemory why`: git blame starts before Typer and the command load.

`why` is the one question whose time is mostly git's: its blame (0.1 s on BookKeeper's 3,705
commits, 0.36 s on the 100,000-commit bench clone with its commit-graph) waited for everything a
question loads first (~0.11 s: Typer, the store, the registry, the agent), while the second core
sat idle. So cli.main looks at the arguments first: when they are plainly `[--db URL] [--config
PATH] why SPEC [--git-dir DIR] [--now T] [--repo R] [--format F] [--json] [--limit N]`,
sources/blame.py plans and starts that blame in a thread (`start_early`) — the clone from
`--git-dir`, else from a SQLite store file's `repositories` row, as agents/why_line.py picks it —
and the agent's own blame takes it over when it asks the same (the same clone, file, lines and
start, at a time that resolves to the same commit). Anything else is stopped unread, at exit at
the latest. This only guesses early: Typer still parses every argument, the agent still checks
and answers everything, and arguments the scan does not know start nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from teammemory.errors import TeamMemoryError
from teammemory.outputs import early_args

if TYPE_CHECKING:
    from teammemory.sources.blame import Asked

GLOBAL_OPTIONS = {"--db": "db", "--config": "config"}  # app.main_options' options that take a value
COMMAND_OPTIONS = {"--git-dir": "git_dir", "--now": "now", "--repo": "repo", "--format": "format",
                   "--limit": "limit"}  # commands_agents.why's
COMMAND_FLAGS = frozenset({"--json"})


class Plan(NamedTuple):
    spec: str
    git_dir: str | None
    repo: str | None
    now: str | None
    db: str | None
    config: str | None


def scan(args: Sequence[str]) -> Plan | None:
    """The spec and options of plain `why` arguments; None for anything else."""
    read = early_args.scan(args, GLOBAL_OPTIONS, COMMAND_OPTIONS, COMMAND_FLAGS, depth=1)
    if read is None:
        return None
    words, found = read
    if len(words) != 2 or words[0] != "why":
        return None
    return Plan(words[1], found.get("git_dir"), found.get("repo"), found.get("now"), found.get("db"),
                found.get("config"))


def start(args: Sequence[str]) -> None:
    """Start the blame `args` ask for when they are plainly a `why` (see the module docstring)."""
    plan = scan(args)
    if plan is None:
        return
    from teammemory.sources import blame

    blame.start_early(lambda: asked(plan), note)


def asked(plan: Plan) -> Asked | None:
    """What the agent will blame for `plan`, as far as it can be told before the command loads:
    None when it cannot (a PostgreSQL store without --git-dir, several repositories, a spec or
    time the command will refuse)."""
    from teammemory.sources.blame import Asked

    target = spec_of(plan.spec)
    until = until_of(plan.now)
    if target is None or until is None:
        return None
    if plan.git_dir is not None:
        return Asked(Path(plan.git_dir).expanduser(), *target, until, "HEAD")
    row = stored_repository(plan)
    if row is None:
        return None
    path, head = row
    return Asked(Path(path), *target, until, head or "HEAD")


def spec_of(spec: str) -> tuple[str, tuple[int, int] | None] | None:
    """agents/why_line's reading of `spec` (agents/line_spec.py); None where it refuses it."""
    from teammemory.agents.line_spec import parse_spec

    try:
        target = parse_spec(spec)
    except TeamMemoryError:
        return None
    return target.path, target.lines


def until_of(now: str | None) -> int | None:
    """options.parse_now's moment in epoch seconds; None where it would refuse it. (A second's
    difference costs nothing: the blame is taken over when the times resolve to the same commit.)"""
    if now is None:
        return int(time.time())
    try:
        when = datetime.fromisoformat(now.replace("Z", "+00:00"))
        return int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())
    except (ValueError, OverflowError, OSError):
        return None


def stored_repository(plan: Plan) -> tuple[str, str | None] | None:
    """(clone path, ingested head) of the repository the store names (`--repo`, else its only one),
    read from a SQLite store file; None for anything else."""
    url = early_args.sqlite_file(plan.db, plan.config)
    if url is None or not Path(url).is_file():
        return None
    import sqlite3
    from contextlib import closing

    try:
        # no wait on a lock: the agent waits for this thread, and would wait that long for nothing
        with closing(sqlite3.connect(f"{Path(url).resolve().as_uri()}?mode=ro", uri=True, timeout=0)) as con:
            rows = con.execute("select name, path, head from repositories").fetchall()
    except sqlite3.Error:
        return None
    chosen = [r for r in rows if plan.repo is None or r[0] == plan.repo]
    if len(chosen) != 1 or not chosen[0][1]:
        return None
    return chosen[0][1], chosen[0][2]


def note(text: str) -> None:
    """What blame says besides its answer (writing a clone's commit-graph): on a terminal only,
    like a progress bar, so stdout stays the answer and a pipe or a log gets nothing else."""
    if sys.stderr.isatty():
        print(f"teammemory: {text}", file=sys.stderr, flush=True)
