"""The `teammemory` command: parse input, call one core function, render; errors -> exit codes.

Exit codes: 0 ok; 2 bad input or not found; 1 any other TeamMemory error (store, source).
Every command takes `--db URL` (or TEAMMEMORY_DB) and `--config PATH`; questions take `--now`
(ISO 8601; default: the current time) and `--json`.

Start-up is part of every answer, so this module imports nothing heavy: `teammemory --version`
prints without loading Typer, and a process builds the app with only the command module that
holds its command (a question never loads the sync, ingest or API code). The whole tool's
`--help` (and the bare `teammemory`) is shown by an app that has every command's name and help
but none of the command modules: the questions' from the registry (questions.py imports no
agent), the others' from `COMMANDS` below. Anything else the fast paths cannot place (an
unknown command) gets the whole app. What the user sees is Typer's own output either way;
tests/outputs/test_startup.py checks it. `app` (the whole app, for tests and docs) is built on
first access.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from teammemory import __version__
from teammemory.collector import tune_process

if TYPE_CHECKING:
    import typer

# Every command module (teammemory.outputs.<name>, each with `register(app)`), in the order
# their commands are listed in `--help`. A new command module is wired in here.
MODULES = ("commands_data", "commands_identities", "commands_agents", "commands_sync", "commands_serve",
           "commands_backtest")


class Listed(NamedTuple):
    """A command that is not a question, as the whole tool's `--help` lists it."""

    module: str  # the command module that registers it
    help: str  # the first paragraph of its help (all `--help` shows of it, shortened to the width)
    group: bool = False  # a group of subcommands (Typer lists the groups after the commands)


# Every command and group that is not a question (those are the registry's, in commands_agents),
# in the order their module registers them. It places a command in its module (a process imports
# only that one) and lists it in `teammemory --help` without importing any module; a test checks
# it against the whole app, so a new command (or a changed first paragraph) is added here too.
COMMANDS: dict[str, Listed] = {
    "init-db": Listed("commands_data", "Create the store, or migrate it to this version's schema."),
    "seed": Listed("commands_data", "Build the demo (a git repository plus Jira and GitHub JSON) and load it"
                                    " into a fresh store."),
    "ingest": Listed("commands_data", "Ingest git history, Jira issues, GitHub pull requests and issues, or"
                                      " postmortems.", group=True),
    "identities": Listed("commands_identities", "Developers and their accounts across git, GitHub and Jira: list,"
                                          " merge, split, and candidate merges to accept.", group=True),
    "sync": Listed("commands_sync", "Fetch from GitHub or Jira itself, incrementally (credentials from the"
                                    " environment).", group=True),
    "serve": Listed("commands_serve", "Serve every question as JSON over HTTP (OpenAPI at /openapi.json, MCP at"
                                      " /mcp)."),
    "mcp": Listed("commands_serve", "Serve every question as an MCP tool over stdin/stdout (for coding agents)."),
    "backtest": Listed("commands_backtest", "Replay the history and score the answers to reviewers, risk, experts"
                                            " against baselines (top-1/3/5, MRR, hit rates), with only what was"
                                            " known before each change."),
}
HINTS = {name: listed.module for name, listed in COMMANDS.items()}  # which module holds a non-question

# Top-level options that take a value (`--db URL`, `--db=URL` is one token), and the help flags.
_VALUED = ("--db", "--config")
_HELP = ("-h", "--help")

_whole: typer.Typer | None = None


def build(modules: Iterable[str] = MODULES) -> typer.Typer:
    """The `teammemory` app with the commands of `modules` (all of them by default)."""
    from teammemory.outputs.app import new_app

    app = new_app()
    for name in modules:
        importlib.import_module(f"teammemory.outputs.{name}").register(app)
    return app


def command_names(app: typer.Typer) -> list[str]:
    """The names of the commands and groups `app` has (Typer's default name for an unnamed one)."""
    names = [c.name or (c.callback.__name__.replace("_", "-") if c.callback else "") for c in app.registered_commands]
    return names + [g.name or "" for g in app.registered_groups]


def command_name(args: Sequence[str]) -> str | None:
    """The command the arguments name, or None when the top-level options are not all simple
    (`--help`, `--version`, `--`, an unknown option): those go to the whole app."""
    index = 0
    while index < len(args):
        arg = args[index]
        if not arg.startswith("-"):
            return arg
        if arg in _VALUED:
            index += 2
        elif arg.startswith(tuple(f"{option}=" for option in _VALUED)):
            index += 1
        else:
            return None
    return None


def only_listing(args: Sequence[str]) -> bool:
    """True when `args` can only show the whole tool's help: none at all, or `--help` / `-h`
    among top-level options that take a value (no command, no `--`, no other option)."""
    index, asked = 0, not args
    while index < len(args):
        arg = args[index]
        if arg in _HELP:
            asked, index = True, index + 1
        elif arg in _VALUED and index + 1 < len(args):
            index += 2
        elif arg.startswith(tuple(f"{option}=" for option in _VALUED)):
            index += 1
        else:
            return False
    return asked


def listing() -> list[tuple[str, str]]:
    """(name, help) of every command and group, in the order the whole app lists them: commands
    in the order of MODULES, the questions at commands_agents', then the groups (as Typer does)."""
    from teammemory.outputs.questions import QUESTIONS

    rows = [(name, listed) for name, listed in COMMANDS.items()]
    rows += [(name, Listed("commands_agents", q.help)) for name, q in QUESTIONS.items()]
    rows.sort(key=lambda row: (row[1].group, MODULES.index(row[1].module)))  # stable: registration order
    return [(name, listed.help) for name, listed in rows]


def listing_app() -> typer.Typer:
    """An app with the whole app's options, command names and help, and no command modules: it
    shows `teammemory --help` exactly as the whole app does, and can run nothing else."""
    from teammemory.outputs.app import new_app

    app = new_app()
    for name, text in listing():
        app.command(name, help=text)(_listed_only)
    return app


def _listed_only() -> None:
    raise RuntimeError("the listing app only shows help: cli.only_listing let a command through")


def app_for(args: Sequence[str]) -> typer.Typer:
    """The smallest app that runs `args` exactly as the whole app would: the listing for the
    whole tool's help; the one module holding the command, keeping that command only (Typer
    turns every command's signature into parameters when it runs; what one command shows and
    does never depends on the others); else the whole app."""
    if only_listing(args):
        return listing_app()
    name = command_name(args)
    if name is not None:
        module = HINTS.get(name, "commands_agents")
        app = build([module])
        if name in command_names(app):
            return only(app, name)
    return whole()


def only(app: typer.Typer, name: str) -> typer.Typer:
    """`app` with its command or group `name` and no other."""
    kept = [c for c, n in zip(app.registered_commands, command_names(app), strict=False) if n == name]
    app.registered_commands = kept
    app.registered_groups = [g for g in app.registered_groups if g.name == name]
    return app


def whole() -> typer.Typer:
    """The whole app, built once."""
    global _whole
    if _whole is None:
        _whole = build()
    return _whole


def __getattr__(name: str) -> typer.Typer:
    """`from teammemory.outputs.cli import app`: the whole app, built on first use."""
    if name == "app":
        return whole()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    tune_process()  # collector.py: fewer collections, none of the whole heap at exit
    args = sys.argv[1:]
    if args == ["--version"]:  # what the app's eager --version prints, without loading Typer
        sys.stdout.write(f"teammemory {__version__}\n")
        return
    if "ingest" in args and "git" in args:  # a first ingest's git starts before Typer loads
        from teammemory.outputs import early_ingest

        early_ingest.start(args)
    elif "why" in args:  # so does the blame of a `why`
        from teammemory.outputs import early_why

        early_why.start(args)
    app_for(args)()
