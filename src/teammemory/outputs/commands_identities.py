"""CLI: `teammemory identities` (list, filter), `merge`, `split`, `suggestions`, `accept`.

Each command parses its input, calls one function of identity.people / identity.suggest, and
renders the result (outputs/render_identities.py). Writing commands run in one transaction:
`accept --all-above 60` records every chosen suggestion and re-resolves people once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import RenderableType

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.identity import people, suggest
from teammemory.outputs import render_identities as text
from teammemory.outputs.options import JsonFlag, NowOption, State, errors, parse_now, stdout
from teammemory.outputs.render import emit
from teammemory.store import Store, Writer, migrate

identities_app = typer.Typer(help="Developers and their accounts across git, GitHub and Jira: list, merge,"
                                  " split, and candidate merges to accept.",
                             invoke_without_command=True, rich_markup_mode=None)

SpecArg = "Developer key, account key (git:…, github:…, jira:…), or email:/login:/jira:/name: spec."


def register(app: typer.Typer) -> None:
    app.add_typer(identities_app, name="identities")


@identities_app.callback()
def identities(ctx: typer.Context,
               name: Annotated[str | None, typer.Option(
                   "--name", help="Only developers whose key, name, email or any account's name, email or login"
                                  " contains TEXT (case and accents ignored).")] = None,
               limit: Annotated[int | None, typer.Option("--limit", min=0, help="Show at most N developers.")]
               = None,
               now: NowOption = None, as_json: JsonFlag = False) -> None:
    """List developers with their accounts and the rule that tied each one."""
    if ctx.invoked_subcommand is not None:
        return
    state: State = ctx.obj
    with errors(ctx):
        when = parse_now(now)
        with Store.open(state.config().db_url).read() as db:
            result = people.list_developers(db, name=name or "", limit=limit)
        emit(stdout(), "identities", when, result, as_json=as_json, text=text.render_developers)


@identities_app.command("merge")
def identities_merge(ctx: typer.Context,
                     a: Annotated[str, typer.Argument(help=SpecArg)],
                     b: Annotated[str, typer.Argument(help="The other one (same forms).")],
                     as_json: JsonFlag = False) -> None:
    """Make A and B one developer, for good (re-ingestion keeps it); it keeps one of their keys."""
    _write(ctx, "identities-merge", as_json, text.render_change, lambda db, config:
           people.add_override(db, config, "merge", a, b))


@identities_app.command("split")
def identities_split(ctx: typer.Context,
                     a: Annotated[str, typer.Argument(help=SpecArg + " A developer key splits all its accounts.")],
                     as_json: JsonFlag = False) -> None:
    """Take accounts out of their developer and out of every automatic rule; each gets a new key."""
    _write(ctx, "identities-split", as_json, text.render_change, lambda db, config:
           people.add_override(db, config, "split", a))


@identities_app.command("suggestions")
def identities_suggestions(ctx: typer.Context,
                           limit: Annotated[int | None, typer.Option("--limit", min=0,
                                                                     help="Show at most N suggestions.")] = None,
                           now: NowOption = None, as_json: JsonFlag = False) -> None:
    """Candidate merges the rules left apart, ranked by a score with its terms and numbered."""
    state: State = ctx.obj
    with errors(ctx):
        when = parse_now(now)
        config = state.config()
        with Store.open(config.db_url).read() as db:
            result = suggest.suggest(db, config.name_stoplist)
        emit(stdout(), "identities-suggestions", when, result, as_json=as_json,
             text=lambda r: text.render_suggestions(r, limit))


@identities_app.command("accept")
def identities_accept(ctx: typer.Context,
                      numbers: Annotated[list[int] | None, typer.Argument(
                          metavar="N", help="Suggestion numbers, as `identities suggestions` prints them.",
                          show_default=False)]
                      = None,
                      all_above: Annotated[float | None, typer.Option(
                          "--all-above", help="Also accept every suggestion scoring at least SCORE.")] = None,
                      as_json: JsonFlag = False) -> None:
    """Accept suggestions as manual merges, all in one transaction with one re-resolution."""
    if not numbers and all_above is None:
        with errors(ctx):
            raise InputError("N", "give suggestion numbers or --all-above SCORE (see `identities suggestions`)")
    _write(ctx, "identities-accept", as_json, text.render_accepted, lambda db, config:
           people.accept(db, config, numbers or [], all_above))


def _write(ctx: typer.Context, question: str, as_json: bool, render: Callable[[Any], RenderableType],
           run: Callable[[Writer, Config], Any]) -> None:
    """Run one writing command in one transaction, then print what it changed."""
    state: State = ctx.obj
    with errors(ctx):
        config = state.config()
        store = Store.open(config.db_url)
        with store.write() as db:
            migrate.check_readable(db, str(store.url))  # a store of another schema version is refused, as reads do
            result = run(db, config)
        emit(stdout(), question, parse_now(None), result, as_json=as_json, text=render)
