"""CLI commands that ask questions: each opens a read-only store, calls one agent, renders.

The table QUESTIONS below is the whole mapping (command -> agent call -> text renderer); the
commands themselves are generated from it so every question takes the same options.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import RenderableType

from teammemory.agents import context, expertise, hygiene, onboarding, review_routing, risk
from teammemory.config import Config
from teammemory.outputs import (
    render_context,
    render_expertise,
    render_hygiene,
    render_onboarding,
    render_review,
    render_risk,
)
from teammemory.outputs.options import JsonFlag, NowOption, RepoOption, State, errors, parse_now, stdout
from teammemory.outputs.render import emit
from teammemory.store import Reader, Store

Ask = Callable[..., Any]


@dataclass(frozen=True)
class Question:
    name: str
    help: str
    arg: str  # the positional argument's name, '' for none
    arg_help: str
    ask: Ask  # ask(db, arg?, now=, config=, **options)
    text: Callable[[Any], RenderableType]
    options: tuple[str, ...] = ()  # extra options the agent takes: 'repo', 'days', 'limit'


QUESTIONS: tuple[Question, ...] = (
    Question("issue-context", "An issue with its PRs, commits, files and people: why is it so?", "key",
             "Issue key, e.g. PROJ-1247.", context.ask_issue, render_context.render_issue_context),
    Question("pr-context", "A pull request with its issues, commits, files, reviews and people.", "number",
             "Pull request number.", context.ask_pr, render_context.render_pr_context, ("repo",)),
    Question("file-context", "Who changed a file most and last, and the issues and PRs behind its changes.",
             "path", "File path in the repository.", context.ask_file, render_context.render_file_context,
             ("repo",)),
    Question("file-experts", "Who knows a file best, with the commits, reviews and comments behind each score.",
             "path", "File path in the repository.", expertise.ask_file, render_expertise.render_expertise,
             ("repo",)),
    Question("component-experts", "Who knows a component best, with the evidence behind each score.", "name",
             "Component name (see the component rules in teammemory.toml).", expertise.ask_component,
             render_expertise.render_expertise),
    Question("file-risk", "How risky a file is over a window: churn, bug fixes, contributors, commits.", "path",
             "File path in the repository.", risk.ask_file, render_risk.render_risk, ("days",)),
    Question("component-risk", "How risky a component is over a window, and its riskiest files.", "name",
             "Component name.", risk.ask_component, render_risk.render_risk, ("days",)),
    Question("risky-files", "The riskiest files over a window, across the whole store.", "", "",
             risk.ask_top, render_risk.render_risk, ("days", "limit")),
    Question("review-suggest", "Reviewer candidates for a PR's files: never its author, never a bot.", "number",
             "Pull request number.", review_routing.ask, render_review.render_review_suggestion,
             ("repo", "limit")),
    Question("onboarding", "What a newcomer should read first for a component, and whom to ask.", "component",
             "Component name.", onboarding.ask, render_onboarding.render_onboarding, ("limit",)),
    Question("hygiene", "Data-quality report: unlinked commits and PRs, empty descriptions, orphans, coverage.",
             "", "", hygiene.ask, render_hygiene.render_hygiene),
)


def register(app: typer.Typer) -> None:
    for question in QUESTIONS:
        app.command(question.name, help=question.help)(_command(question))


def answer(db: Reader, question: Question, arg: Any, *, now: datetime, config: Config,
           options: dict[str, Any]) -> Any:
    """Call the agent behind `question` (used by the CLI and by tests)."""
    args = () if not question.arg else (int(arg) if question.arg == "number" else arg,)
    kwargs = {k: v for k, v in options.items() if k in question.options and v is not None}
    return question.ask(db, *args, now=now, config=config, **kwargs)


def _run(ctx: typer.Context, question: Question, arg: Any, now: str | None, as_json: bool,
         options: dict[str, Any]) -> None:
    state: State = ctx.obj
    with errors():
        config = state.config()
        when = parse_now(now)
        with Store.open(config.db_url).read() as db:
            result = answer(db, question, arg, now=when, config=config, options=options)
        emit(stdout(), question.name, when, result, as_json=as_json, text=question.text)


OPTION_TYPES: dict[str, Any] = {
    "repo": RepoOption,
    "days": Annotated[int | None, typer.Option("--days", min=1, help="Window in days [default: risk.days, 90].")],
    "limit": Annotated[int | None, typer.Option("--limit", min=1, help="How many to list.")],
}


def _command(q: Question) -> Callable[..., None]:
    """Build the typer function for `q`: a signature with exactly the options the agent takes."""
    P = inspect.Parameter
    params = [P("ctx", P.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    if q.arg:
        arg_type = int if q.arg == "number" else str
        params.append(P("value", P.POSITIONAL_OR_KEYWORD, annotation=Annotated[
            arg_type, typer.Argument(metavar=q.arg.upper(), help=q.arg_help)]))
    params += [P("now", P.KEYWORD_ONLY, default=None, annotation=NowOption),
               P("as_json", P.KEYWORD_ONLY, default=False, annotation=JsonFlag)]
    params += [P(o, P.KEYWORD_ONLY, default=None, annotation=OPTION_TYPES[o]) for o in q.options]

    def command(ctx: typer.Context, value: Any = None, *, now: str | None = None, as_json: bool = False,
                **options: Any) -> None:
        _run(ctx, q, value, now, as_json, options)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__doc__ = q.help
    return command
