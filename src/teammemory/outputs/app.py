"""The Typer application behind `teammemory`: the top-level options, before any command is added.

cli.py builds the whole command from it (`cli.build`), adding the command modules' commands;
this module only holds what every command shares, so that it stays cheap to import: it loads
Typer and nothing else until the options are checked (the whole tool's `--help` never does).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from teammemory import __version__


def _version(value: bool) -> None:
    if value:
        typer.echo(f"teammemory {__version__}")
        raise typer.Exit()


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
    from teammemory.outputs.options import State, errors

    with errors(ctx):
        check_paths(db, config)
    ctx.obj = State(db=db, config_path=config)


def check_paths(db: str | None, config: Path | None) -> None:
    """Paths the system refuses (a name too long, a file used as a folder) name their option."""
    from teammemory.outputs.options import check_file, check_path

    if db and not db.startswith(("postgres:", "postgresql:")):
        from teammemory.store import parse_url  # only here: a command's --help without --db opens no store code

        url = parse_url(db)
        if url.dialect == "sqlite":
            check_path("--db", url.target)
    if config is not None:
        check_file("--config", config)


def new_app() -> typer.Typer:
    """The `teammemory` group with its top-level options and no commands yet."""
    app = typer.Typer(name="teammemory", no_args_is_help=True, add_completion=False,
                      context_settings={"help_option_names": ["-h", "--help"]}, pretty_exceptions_enable=False,
                      rich_markup_mode=None)
    app.callback()(main_options)
    return app
