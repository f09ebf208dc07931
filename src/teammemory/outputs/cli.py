"""The `teammemory` command: parse input, call one core function, render; errors -> exit codes.

Exit codes: 0 ok; 2 bad input or not found; 1 any other TeamMemory error (store, source).
Every command takes `--db URL` (or TEAMMEMORY_DB) and `--config PATH`; questions take `--now`
(ISO 8601; default: the current time) and `--json`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from teammemory import __version__
from teammemory.outputs import commands_agents, commands_data, commands_sync
from teammemory.outputs.options import State, check_file, check_path, errors
from teammemory.store import parse_url

app = typer.Typer(name="teammemory", no_args_is_help=True, add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]}, pretty_exceptions_enable=False,
                  rich_markup_mode=None)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"teammemory {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(
        "--db", envvar="TEAMMEMORY_DB", show_envvar=True,
        help="Store URL: a SQLite file path, sqlite:///path, or postgresql://... [default: teammemory.db]")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Config file [default: ./teammemory.toml if present].")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """TeamMemory: why your code is the way it is, from git, GitHub and Jira, with evidence."""
    with errors(ctx):
        check_paths(db, config)
    ctx.obj = State(db=db, config_path=config)


def check_paths(db: str | None, config: Path | None) -> None:
    """Paths the system refuses (a name too long, a file used as a folder) name their option."""
    if db and not db.startswith(("postgres:", "postgresql:")):
        url = parse_url(db)
        if url.dialect == "sqlite":
            check_path("--db", url.target)
    if config is not None:
        check_file("--config", config)


commands_data.register(app)
commands_agents.register(app)
commands_sync.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
