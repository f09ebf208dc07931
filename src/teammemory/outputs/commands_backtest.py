"""CLI: `teammemory backtest reviewers|risk|experts`: replay the store's history, print the figures.

Parses the options, calls backtest.run.run on a read-only store, renders (render_backtest);
`--format json` prints `render.to_data` of the Backtest.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from teammemory.backtest.run import QUESTIONS, run
from teammemory.outputs import render_backtest
from teammemory.outputs.options import FormatOption, OutputFormat, RepoOption, State, errors, parse_now, stdout
from teammemory.outputs.render import to_data
from teammemory.store import Store

QuestionArg = Annotated[str, typer.Argument(metavar="QUESTION", help="reviewers, risk or experts.")]
SinceOption = Annotated[str | None, typer.Option(
    "--since", help="First change answered (ISO 8601) [default: a year after the first commit].")]
UntilOption = Annotated[str | None, typer.Option(
    "--until", help="Last change answered; nothing later is read (ISO 8601) [default: the last commit].")]
HalfLifeOption = Annotated[list[float] | None, typer.Option(
    "--half-life", help="Also answer with the fading scoring at this half-life, in days (repeatable).")]
ScoringOption = Annotated[list[str] | None, typer.Option(
    "--scoring", help="Only these scorings: fading, article (repeatable) [default: both, the configured first].")]
WindowOption = Annotated[int | None, typer.Option(
    "--window", help="risk: days between cuts and of the window after each (1 to 36500) [default: risk.days].")]


def backtest(ctx: typer.Context, question: QuestionArg, repo: RepoOption = None, since: SinceOption = None,
             until: UntilOption = None, half_life: HalfLifeOption = None, scoring: ScoringOption = None,
             window: WindowOption = None, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """How well experts, risk and reviewer suggestions predicted what happened next, against baselines."""
    state: State = ctx.obj
    as_json = output_format == OutputFormat.JSON
    with errors(ctx, as_json=as_json):
        start = parse_now(since, "--since") if since else None
        end = parse_now(until, "--until") if until else None
        if window is not None and not 1 <= window <= 36500:
            from teammemory.errors import InputError

            raise InputError("--window", f"{window} is out of range: 1 to 36500 days")
        config = state.config()
        store = Store.open(config.db_url)
        from teammemory.ingest.rules import apply_component_rules

        apply_component_rules(store, config)
        with store.read() as db:
            result = run(db, question, config=config, repo=repo, since=start, until=end,  # type: ignore[arg-type]
                         half_lives=tuple(half_life or ()), scorings=tuple(scoring or ()), window_days=window)
    out = stdout()
    if as_json:
        out.file.write(json.dumps({"question": f"backtest {question}", "result": to_data(result)},
                                  ensure_ascii=False, indent=2) + "\n")
    elif output_format == OutputFormat.MARKDOWN:
        out.file.write(render_backtest.render_markdown(result))
    else:
        out.print(render_backtest.render_backtest(result))


def register(app: typer.Typer) -> None:
    app.command("backtest", help=f"Replay the history and score the answers to {', '.join(QUESTIONS)}"
                " against baselines (top-1/3/5, MRR, hit rates), with only what was known before each change."
                )(backtest)
