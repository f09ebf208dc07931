"""CLI commands that ask questions: each opens a read-only store, calls its agent, renders.

One ordinary function per question (greppable: `def file_experts`), each a line that hands its
arguments to `ask`; what the question is (agent, result, renderer, help) comes from the registry
in questions.py, which a test checks against `COMMANDS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import typer

from teammemory.config import MAX_DAYS, Config
from teammemory.outputs.options import (
    JsonFlag,
    NowOption,
    RepoOption,
    State,
    check_range,
    errors,
    parse_now,
    stdout,
)
from teammemory.outputs.questions import QUESTIONS, Question
from teammemory.outputs.render import emit
from teammemory.store import Reader, Store


@dataclass(frozen=True)
class Bounds:
    """The values an integer argument may take, checked once for every question (`ask`)."""

    argument: str
    low: int
    high: int
    unit: str = ""

    def check(self, value: int) -> int:
        return check_range(self.argument, value, self.low, self.high, self.unit)

    @property
    def text(self) -> str:
        return f"{self.low} to {self.high}{self.unit}"


# PR numbers are `integer` columns (PostgreSQL int4); a window of at most 100 years keeps every
# date an agent derives from `--now` a real date; lists are cut in Python and SQL `limit`.
BOUNDS: dict[str, Bounds] = {
    "number": Bounds("NUMBER", 1, 2**31 - 1),
    "days": Bounds("--days", 1, MAX_DAYS, " days"),
    "limit": Bounds("--limit", 1, 100_000),
}

KeyArg = Annotated[str, typer.Argument(metavar="KEY", help="Issue key, e.g. PROJ-1247.")]
NumberArg = Annotated[int, typer.Argument(metavar="NUMBER", help=f"Pull request number ({BOUNDS['number'].text}).")]
PathArg = Annotated[str, typer.Argument(metavar="PATH", help="File path in the repository.")]
NameArg = Annotated[str, typer.Argument(
    metavar="NAME", help="Component name (see the component rules in teammemory.toml).")]
ComponentNameArg = Annotated[str, typer.Argument(metavar="NAME", help="Component name.")]
ComponentArg = Annotated[str, typer.Argument(metavar="COMPONENT", help="Component name.")]
DaysOption = Annotated[int | None, typer.Option(
    "--days", help=f"Window: {BOUNDS['days'].text} [default: risk.days, 90].")]
LimitOption = Annotated[int | None, typer.Option("--limit", help=f"How many to list ({BOUNDS['limit'].text}).")]


def issue_context(ctx: typer.Context, key: KeyArg, now: NowOption = None, as_json: JsonFlag = False) -> None:
    ask(ctx, "issue-context", key, now, as_json)


def pr_context(ctx: typer.Context, number: NumberArg, now: NowOption = None, as_json: JsonFlag = False,
               repo: RepoOption = None) -> None:
    ask(ctx, "pr-context", number, now, as_json, repo=repo)


def file_context(ctx: typer.Context, path: PathArg, now: NowOption = None, as_json: JsonFlag = False,
                 repo: RepoOption = None) -> None:
    ask(ctx, "file-context", path, now, as_json, repo=repo)


def file_experts(ctx: typer.Context, path: PathArg, now: NowOption = None, as_json: JsonFlag = False,
                 repo: RepoOption = None) -> None:
    ask(ctx, "file-experts", path, now, as_json, repo=repo)


def component_experts(ctx: typer.Context, name: NameArg, now: NowOption = None, as_json: JsonFlag = False) -> None:
    ask(ctx, "component-experts", name, now, as_json)


def file_risk(ctx: typer.Context, path: PathArg, now: NowOption = None, as_json: JsonFlag = False,
              days: DaysOption = None) -> None:
    ask(ctx, "file-risk", path, now, as_json, days=days)


def component_risk(ctx: typer.Context, name: ComponentNameArg, now: NowOption = None, as_json: JsonFlag = False,
                   days: DaysOption = None) -> None:
    ask(ctx, "component-risk", name, now, as_json, days=days)


def risky_files(ctx: typer.Context, now: NowOption = None, as_json: JsonFlag = False, days: DaysOption = None,
                limit: LimitOption = None) -> None:
    ask(ctx, "risky-files", None, now, as_json, days=days, limit=limit)


def review_suggest(ctx: typer.Context, number: NumberArg, now: NowOption = None, as_json: JsonFlag = False,
                   repo: RepoOption = None, limit: LimitOption = None) -> None:
    ask(ctx, "review-suggest", number, now, as_json, repo=repo, limit=limit)


def onboarding(ctx: typer.Context, component: ComponentArg, now: NowOption = None, as_json: JsonFlag = False,
               limit: LimitOption = None) -> None:
    ask(ctx, "onboarding", component, now, as_json, limit=limit)


def hygiene(ctx: typer.Context, now: NowOption = None, as_json: JsonFlag = False) -> None:
    ask(ctx, "hygiene", None, now, as_json)


COMMANDS: dict[str, Callable[..., None]] = {
    "issue-context": issue_context, "pr-context": pr_context, "file-context": file_context,
    "file-experts": file_experts, "component-experts": component_experts, "file-risk": file_risk,
    "component-risk": component_risk, "risky-files": risky_files, "review-suggest": review_suggest,
    "onboarding": onboarding, "hygiene": hygiene,
}


def register(app: typer.Typer) -> None:
    """Add every question's command, in the registry's order, with the registry's help."""
    for name, question in QUESTIONS.items():
        app.command(name, help=question.help)(COMMANDS[name])


def ask(ctx: typer.Context, name: str, subject: Any, now: str | None, as_json: bool, **options: Any) -> None:
    """Open the store read-only, answer question `name`, print the answer; errors -> exit codes."""
    state: State = ctx.obj
    question = QUESTIONS[name]
    with errors(ctx):
        config = state.config()
        when = parse_now(now)
        check_arguments(question, subject, options)
        with Store.open(config.db_url).read() as db:
            result = answer(db, question, subject, now=when, config=config, options=options)
        emit(stdout(), question.name, when, result, as_json=as_json, text=question.text)


def check_arguments(question: Question[Any], subject: Any, options: dict[str, Any]) -> None:
    """InputError naming the first argument out of its BOUNDS (before the store is opened)."""
    given = {question.subject: subject, **options}
    for name, value in given.items():
        if name in BOUNDS and value is not None:
            BOUNDS[name].check(value)


def answer(db: Reader, question: Question[Any], subject: Any, *, now: datetime, config: Config,
           options: dict[str, Any]) -> Any:
    """Call the agent behind `question` with the options it takes that were given (CLI and tests)."""
    args = (subject,) if question.subject else ()
    kwargs = {k: v for k, v in options.items() if k in question.options and v is not None}
    return question.ask(db, *args, now=now, config=config, **kwargs)
