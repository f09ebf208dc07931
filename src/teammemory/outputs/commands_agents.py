"""CLI commands that ask questions: each opens a read-only store, calls its agent, renders.

One ordinary function per question (greppable: `def file_experts`), each a line that hands its
arguments to `ask`; what the question is (agent, result, renderer, help) comes from the registry
in questions.py, which a test checks against `COMMANDS`. Every question takes `--now`,
`--format text|json|markdown` (`--json` for short), `--repo`, and `--limit` when its answer is a
list (limits.py); the answer itself is built by answers.respond, as for every other surface.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from teammemory.config import MAX_DAYS
from teammemory.errors import InputError
from teammemory.outputs.limits import LIMIT_MAX
from teammemory.outputs.options import (
    AnswerJsonFlag,
    FormatOption,
    LimitOption,
    NowOption,
    OutputFormat,
    RepoOption,
    State,
    check_range,
    errors,
    parse_now,
    stdout,
)
from teammemory.outputs.questions import QUESTIONS, Question

if TYPE_CHECKING:  # start-up: a question's --help loads none of these, only its answer does (`ask`)
    from teammemory.config import Config
    from teammemory.outputs.answers import Answer
    from teammemory.store import Reader


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
    "limit": Bounds("--limit", 1, LIMIT_MAX),
    "window": Bounds("--window", 0, 1440, " minutes"),
}

KeyArg = Annotated[str, typer.Argument(metavar="KEY", help="Issue key, e.g. PROJ-1247.")]
NumberArg = Annotated[int, typer.Argument(metavar="NUMBER", help=f"Pull request number ({BOUNDS['number'].text}).")]
PathArg = Annotated[str, typer.Argument(metavar="PATH", help="File path in the repository (from its root;"
                                        " an absolute path or one relative to the working folder works too).")]
NameArg = Annotated[str, typer.Argument(
    metavar="NAME", help="Component name (see the component rules in teammemory.toml).")]
ComponentNameArg = Annotated[str, typer.Argument(metavar="NAME", help="Component name.")]
ComponentArg = Annotated[str, typer.Argument(metavar="COMPONENT", help="Component name.")]
DaysOption = Annotated[int | None, typer.Option(
    "--days", help=f"Window: {BOUNDS['days'].text} [default: risk.days, 90].")]
IncludeTestsFlag = Annotated[bool, typer.Option(
    "--include-tests", help="Rank test files together with code (default: tests are ranked apart).")]
OptionalComponentArg = Annotated[str | None, typer.Argument(
    metavar="[COMPONENT]", help="Component name; every repository and component when left out.")]
TargetArg = Annotated[str, typer.Argument(
    metavar="COMPONENT|PATH", help="A file path (followed across renames), else a component name.")]
TEXT = OutputFormat.TEXT


def issue_context(ctx: typer.Context, key: KeyArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
                  output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None) -> None:
    ask(ctx, "issue-context", key, now, as_json, output_format, repo=repo, limit=limit)


def pr_context(ctx: typer.Context, number: NumberArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
               output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None) -> None:
    ask(ctx, "pr-context", number, now, as_json, output_format, repo=repo, limit=limit)


def file_context(ctx: typer.Context, path: PathArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
                 output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None) -> None:
    ask(ctx, "file-context", path, now, as_json, output_format, repo=repo, limit=limit)


class Scoring(StrEnum):
    """What `--scoring` may be (config.expertise.scoring for this one answer)."""

    FADING = "fading"
    ARTICLE = "article"


IncludeInactiveFlag = Annotated[bool, typer.Option(
    "--include-inactive", help="Fading scoring: keep people inactive longer than expertise.inactive_days.")]
ScoringOption = Annotated[Scoring | None, typer.Option(
    "--scoring", help="fading (contributions fade with age) or article (the article's formula, exact terms)"
    " [default: expertise.scoring].")]


def file_experts(ctx: typer.Context, path: PathArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
                 output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None,
                 include_inactive: IncludeInactiveFlag = False, scoring: ScoringOption = None) -> None:
    ask(ctx, "file-experts", path, now, as_json, output_format, repo=repo, limit=limit,
        include_inactive=include_inactive or None, scoring=scoring.value if scoring else None)


def component_experts(ctx: typer.Context, name: NameArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
                      output_format: FormatOption = TEXT, repo: RepoOption = None,
                      limit: LimitOption = None, include_inactive: IncludeInactiveFlag = False,
                      scoring: ScoringOption = None) -> None:
    ask(ctx, "component-experts", name, now, as_json, output_format, repo=repo, limit=limit,
        include_inactive=include_inactive or None, scoring=scoring.value if scoring else None)


def file_risk(ctx: typer.Context, path: PathArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
              output_format: FormatOption = TEXT, repo: RepoOption = None, days: DaysOption = None) -> None:
    ask(ctx, "file-risk", path, now, as_json, output_format, repo=repo, days=days)


def component_risk(ctx: typer.Context, name: ComponentNameArg, now: NowOption = None,
                   as_json: AnswerJsonFlag = False, output_format: FormatOption = TEXT, repo: RepoOption = None,
                   limit: LimitOption = None, days: DaysOption = None, include_tests: IncludeTestsFlag = False
                   ) -> None:
    ask(ctx, "component-risk", name, now, as_json, output_format, repo=repo, limit=limit, days=days,
        include_tests=include_tests or None)


def risky_files(ctx: typer.Context, now: NowOption = None, as_json: AnswerJsonFlag = False,
                output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None,
                days: DaysOption = None, include_tests: IncludeTestsFlag = False) -> None:
    ask(ctx, "risky-files", None, now, as_json, output_format, repo=repo, limit=limit, days=days,
        include_tests=include_tests or None)


ChangeArg = Annotated[list[str] | None, typer.Argument(
    metavar="[NUMBER | - | PATH...]",
    help=f"Pull request number ({BOUNDS['number'].text}); '-' reads a unified diff from stdin"
    " (git diff | teammemory review-suggest -); with --files, the changed paths.")]
ChangeCommitOption = Annotated[str | None, typer.Option("--commit", metavar="SHA", help="A commit.")]
RangeOption = Annotated[str | None, typer.Option("--range", metavar="A..B", help="The commits of A..B.")]
BranchOption = Annotated[str | None, typer.Option(
    "--branch", metavar="B", help="The commits of branch B that are not on the default branch.")]
FilesFlag = Annotated[bool, typer.Option("--files", help="The arguments are the change's file paths.")]
DiffOption = Annotated[str | None, typer.Option(
    "--diff", metavar="FILE", help="Read the unified diff from FILE ('-': stdin).")]
AuthorOption = Annotated[list[str] | None, typer.Option(
    "--author", metavar="EMAIL", help="Who wrote the change given as --files or a diff (never suggested);"
    " repeat for several.")]
ChangeGitDirOption = Annotated[str | None, typer.Option(
    "--git-dir", help="The clone that resolves --commit, --range, --branch and merged PRs"
    " [default: where the store says the repository was ingested from].")]


def review_suggest(ctx: typer.Context, number: ChangeArg = None, now: NowOption = None,
                   as_json: AnswerJsonFlag = False, output_format: FormatOption = TEXT, repo: RepoOption = None,
                   limit: LimitOption = None, include_inactive: IncludeInactiveFlag = False,
                   scoring: ScoringOption = None, commit: ChangeCommitOption = None, range: RangeOption = None,
                   branch: BranchOption = None, files: FilesFlag = False, diff: DiffOption = None,
                   authors: AuthorOption = None, git_dir: ChangeGitDirOption = None) -> None:
    fmt_json = as_json or output_format == OutputFormat.JSON
    with errors(ctx, as_json=fmt_json):
        pr, paths, text = change_arguments(number or [], files, diff)
    ask(ctx, "review-suggest", pr, now, as_json, output_format, repo=repo, limit=limit,
        include_inactive=include_inactive or None, scoring=scoring.value if scoring else None, commit=commit,
        range=range, branch=branch, files=paths, diff=text, authors=authors or None, git_dir=git_dir)


def change_arguments(args: list[str], files: bool, diff: str | None) -> tuple[int | None, list[str] | None,
                                                                               str | None]:
    """review-suggest's arguments -> (PR number, paths, diff text): `--files P...`, `-` or
    `--diff FILE` (a diff, checked here so its errors name stdin or the file), or one NUMBER."""
    from teammemory.agents.change import parse_diff

    if files:
        if diff is not None:
            raise InputError("--diff", "the change is --files PATH... or a diff, not both")
        if not args:
            raise InputError("--files", "give the changed paths after it: --files src/a.py src/b.py")
        return None, list(args), None
    if args == ["-"] or diff is not None:
        if args and args != ["-"] or (args == ["-"] and diff is not None):
            raise InputError("-", "a diff comes from stdin ('-') or --diff FILE, with no other argument")
        where = "stdin" if diff in (None, "-") else str(diff)
        raw = sys.stdin.buffer.read() if where == "stdin" else Path(str(diff)).read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(where, "binary input, not a unified diff (give the output of `git diff`)") from None
        parse_diff(text, where)
        return None, None, text
    if len(args) > 1:
        raise InputError("NUMBER", f"one PR number, not {len(args)} arguments (paths go after --files)")
    if not args:
        return None, None, None
    if not args[0].isdigit():
        raise InputError("NUMBER", f"{args[0]!r} is not a PR number, '-' (a diff on stdin) or --files PATH...")
    return int(args[0]), None, None


def onboarding(ctx: typer.Context, component: ComponentArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
               output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None) -> None:
    ask(ctx, "onboarding", component, now, as_json, output_format, repo=repo, limit=limit)


def hygiene(ctx: typer.Context, now: NowOption = None, as_json: AnswerJsonFlag = False,
            output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None) -> None:
    ask(ctx, "hygiene", None, now, as_json, output_format, repo=repo, limit=limit)


def components(ctx: typer.Context, now: NowOption = None, as_json: AnswerJsonFlag = False,
               output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None) -> None:
    ask(ctx, "components", None, now, as_json, output_format, repo=repo, limit=limit)


def why_changed(ctx: typer.Context, target: TargetArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
                output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None,
                days: DaysOption = None) -> None:
    ask(ctx, "why-changed", target, now, as_json, output_format, repo=repo, limit=limit, days=days)


def bus_factor(ctx: typer.Context, component: OptionalComponentArg = None, now: NowOption = None,
               as_json: AnswerJsonFlag = False, output_format: FormatOption = TEXT, repo: RepoOption = None,
               limit: LimitOption = None) -> None:
    ask(ctx, "bus-factor", component, now, as_json, output_format, repo=repo, limit=limit)


def coupling(ctx: typer.Context, path: PathArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
             output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None) -> None:
    ask(ctx, "coupling", path, now, as_json, output_format, repo=repo, limit=limit)


SpecArg = Annotated[str, typer.Argument(
    metavar="PATH[:LINE[-LINE]]", help="File path, optionally with a line or a range, e.g. src/a.py:12-14.")]
GitDirOption = Annotated[str | None, typer.Option(
    "--git-dir", help="The clone to blame in [default: where the store says the repository was ingested from].")]
BugKeyArg = Annotated[str | None, typer.Argument(
    metavar="[KEY]", help="Issue or incident key, e.g. PROJ-1247; a key only commits name uses their text"
    " (or give --text or --commit instead).")]
TextOption = Annotated[str | None, typer.Option("--text", help="Text of a bug report to look for.")]
CommitOption = Annotated[str | None, typer.Option(
    "--commit", help="Commit hash (4 to 40 hex digits) whose message to look for.")]


def why(ctx: typer.Context, spec: SpecArg, now: NowOption = None, as_json: AnswerJsonFlag = False,
        output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None,
        git_dir: GitDirOption = None) -> None:
    ask(ctx, "why", spec, now, as_json, output_format, repo=repo, limit=limit, git_dir=git_dir)


def similar(ctx: typer.Context, key: BugKeyArg = None, now: NowOption = None, as_json: AnswerJsonFlag = False,
            output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None,
            text: TextOption = None, commit: CommitOption = None) -> None:
    ask(ctx, "similar", key, now, as_json, output_format, repo=repo, limit=limit, text=text, commit=commit)


ComponentOption = Annotated[str | None, typer.Option("--component", help="Only this component.")]
SinceOption = Annotated[str | None, typer.Option(
    "--since", help="Start of the window (ISO 8601, e.g. 2026-05-01T00:00:00Z) [required].")]
UntilOption = Annotated[str | None, typer.Option("--until", help="End of the window [default: --now].")]
WindowOption = Annotated[int | None, typer.Option(
    "--window", help=f"Minutes between the changes of one burst ({BOUNDS['window'].text}) [default: 30].")]


def incidents(ctx: typer.Context, now: NowOption = None, as_json: AnswerJsonFlag = False,
              output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None,
              component: ComponentOption = None) -> None:
    ask(ctx, "incidents", None, now, as_json, output_format, repo=repo, limit=limit, component=component)


def timeline(ctx: typer.Context, now: NowOption = None, as_json: AnswerJsonFlag = False,
             output_format: FormatOption = TEXT, repo: RepoOption = None, limit: LimitOption = None,
             since: SinceOption = None, until: UntilOption = None, component: ComponentOption = None,
             window: WindowOption = None) -> None:
    if since is None:  # an option, not an argument, so it reads as a window: --since T [--until T]
        with errors(ctx):
            raise InputError("--since", "required: the start of the window (ISO 8601, e.g. 2026-05-01T00:00:00Z)")
    ask(ctx, "timeline", None, now, as_json, output_format, since=since, until=until, repo=repo, limit=limit,
        component=component, window=window)


COMMANDS: dict[str, Callable[..., None]] = {
    "issue-context": issue_context, "pr-context": pr_context, "file-context": file_context,
    "file-experts": file_experts, "component-experts": component_experts, "file-risk": file_risk,
    "component-risk": component_risk, "risky-files": risky_files, "review-suggest": review_suggest,
    "onboarding": onboarding, "hygiene": hygiene, "components": components, "why-changed": why_changed,
    "bus-factor": bus_factor, "coupling": coupling, "why": why, "similar": similar,
    "incidents": incidents, "timeline": timeline,
}


def register(app: typer.Typer) -> None:
    """Add every question's command, in the registry's order, with the registry's help."""
    for name, question in QUESTIONS.items():
        app.command(name, help=question.help)(COMMANDS[name])


def ask(ctx: typer.Context, name: str, subject: Any, now: str | None, as_json: bool, output_format: OutputFormat,
        **options: Any) -> None:
    """Open the store read-only, answer question `name`, print the answer as `--format` says
    (`--json` is `--format json`); errors -> exit codes, and JSON errors when the format is json."""
    from teammemory.ingest.rules import current_read
    from teammemory.outputs.answers import check_options, respond
    from teammemory.store import Store

    state: State = ctx.obj
    fmt = "json" if as_json else OutputFormat(output_format).value
    with errors(ctx, as_json=fmt == "json"):
        config = state.config()
        when = parse_now(now)
        check_arguments(QUESTIONS[name], subject, options)
        check_options(name, options)
        store = Store.open(config.db_url)
        with current_read(store, config) as db:  # changed component rules take effect now (ingest/rules.py)
            if QUESTIONS[name].subject in ("path", "target") and isinstance(subject, str):
                from teammemory.outputs.file_args import store_path

                subject = store_path(db, subject)  # ./a.py, an absolute path, one relative to a sub-folder
            reply = respond(db, name, subject, now=when, config=config, options=options)
        show(reply, fmt)


def show(reply: Answer, fmt: str) -> None:
    """Print `reply`: text wrapped to the console's width (styled on a terminal, plain when piped),
    JSON and Markdown as they are."""
    if fmt == "text":
        console = stdout(wrap=True)
        if console.is_terminal:
            console.print(reply.renderable(), crop=False)  # a path wider than the line prints whole
        else:
            sys.stdout.write(reply.output("text", console.width))
    else:
        sys.stdout.write(reply.output("json" if fmt == "json" else "markdown"))


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
