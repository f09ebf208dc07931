"""Shared CLI plumbing: the per-invocation State, option types, and error translation."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from teammemory import config as config_mod
from teammemory.config import Config
from teammemory.errors import InputError, TeamMemoryError

if TYPE_CHECKING:  # rich loads when something is printed, the store when opened (a command's --help does neither)
    from rich.console import Console

# What `--now` may be: every agent turns it into epoch seconds, subtracts windows of at most
# 100 years from it and prints days, so it must stay a real UTC time after all of that.
NOW_RANGE = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))


@dataclass
class State:
    """What the top-level options said; each command turns it into a Config once."""

    db: str | None
    config_path: Path | None

    def config(self) -> Config:
        return config_mod.load(self.config_path, db=self.db)


JsonFlag = Annotated[bool, typer.Option("--json", help="Print the answer as JSON (stable keys, scores with terms).")]
AnswerJsonFlag = Annotated[bool, typer.Option(
    "--json", help="Shorthand for --format json (stable keys, scores with terms; errors as JSON too).")]


class OutputFormat(StrEnum):
    """What `--format` may be."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


FormatOption = Annotated[OutputFormat, typer.Option(
    "--format",
    help="text (wrapped to the terminal, COLUMNS or 80), json, or markdown (PR comments, wikis, chat).")]
LimitOption = Annotated[int | None, typer.Option(
    "--limit", help="How many items each list shows (1 to 100000) [default: the question's own].")]
NowOption = Annotated[str | None, typer.Option(
    "--now", help="ISO 8601 time that counts as now (default: the current time), for reproducible answers.")]
RepoOption = Annotated[str | None, typer.Option("--repo", help="Only this repository (as named at ingest).")]


def stdout(*, wrap: bool = False) -> Console:
    """The answer console, `width()` wide; `wrap` folds long lines at that width (answers), else
    lines print whole (paths and URLs that a user copies)."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=not wrap, width=width())


def warn(message: str | None) -> None:
    """`warning: ...` on stderr, when there is something to say."""
    from rich.console import Console

    if message:
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"warning: {message}", markup=False)


def width() -> int:
    """Columns to render for: COLUMNS when set, else the terminal's, else 80 (piped)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if sys.stdout.isatty():
            return os.get_terminal_size(sys.stdout.fileno()).columns or 80
    except (OSError, ValueError):  # no real file behind stdout (a test runner)
        pass
    return 80


def parse_now(value: str | None, argument: str = "--now") -> datetime:
    """`--now` as an aware UTC datetime in NOW_RANGE; naive input counts as UTC; a date means its
    midnight. `argument` names the option in errors (`--since` takes the same form)."""
    if value is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(argument, f"not an ISO 8601 time: {quoted(value)} (e.g. 2026-11-20T12:00:00Z)"
                         ) from None
    low, high = NOW_RANGE
    try:
        utc = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is in year 0 in UTC
        utc = None
    if utc is None or not low <= utc <= high:
        raise InputError(argument, f"{value} is out of range: from {low:%Y-%m-%dT%H:%M:%SZ}"
                         f" to {high:%Y-%m-%dT%H:%M:%SZ}")
    return utc


def quoted(text: str) -> str:
    """`'text'` as Python writes it; a very long text shortened (with its length) instead."""
    from teammemory.store.sqlite_file import shorten

    short = shorten(text)
    return repr(text) if short == text else short


def check_range(argument: str, value: int, low: int, high: int, unit: str = "") -> int:
    """`value` when low <= value <= high, else InputError naming `argument` and the range."""
    if not low <= value <= high:
        from teammemory.store.sqlite_file import shorten

        raise InputError(argument, f"{shorten(str(value))} is out of range: {low} to {high}{unit}")
    return value


def check_path(argument: str, path: str | Path) -> None:
    """InputError naming `argument` when the system refuses the path itself (a name too long, a
    file used as a folder, no permission); a path that is simply not there is left to the
    command, which knows whether it may create it."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise InputError(argument, f"{quoted(str(path))}: {getattr(exc, 'strerror', None) or exc}") from None


def check_file(argument: str, path: Path) -> None:
    """`check_path`, and a directory where a file is wanted (a config file) is refused too."""
    check_path(argument, path)
    if path.is_dir():
        raise InputError(argument, f"{quoted(str(path))}: is a directory, not a file")


@contextmanager
def errors(ctx: typer.Context | None = None, *, as_json: bool = False) -> Iterator[None]:
    """Map TeamMemoryError to `error: ...` on stderr and its exit code; no traceback. With
    `as_json`, the error is `render.error_data`'s object on stdout instead (same exit code), so
    a program reading `--format json` always gets JSON.

    A system error about a path that no layer below caught (`File name too long` from a
    `Path.is_dir()`) is bad input, one line too: exit 2, naming the path and, when `ctx` is
    given, the argument that holds it (the command's own options and arguments, then the
    top-level ones)."""
    try:
        yield
    except TeamMemoryError as exc:
        fail(exc, as_json=as_json)
    except OSError as exc:
        if exc.filename is None:
            raise
        fail(path_error(exc, ctx), as_json=as_json)


def fail(exc: TeamMemoryError, *, as_json: bool = False) -> NoReturn:
    """Print `error: ...` (one line; or the JSON error object) and exit with the error's code."""
    if as_json:
        from teammemory.outputs.render import dumps, error_data

        sys.stdout.write(dumps(error_data(exc)) + "\n")
    else:
        from rich.console import Console

        Console(stderr=True, highlight=False, soft_wrap=True).print(f"error: {exc}", markup=False)
    raise typer.Exit(exc.exit_code) from None


def path_error(exc: OSError, ctx: typer.Context | None) -> InputError:
    """`exc` as one line naming the path, and the argument whose path (or a file under it) it is."""
    path = os.path.abspath(os.fsdecode(exc.filename))
    shown = quoted(os.fsdecode(exc.filename))
    what = exc.strerror or str(exc)
    node: Any = ctx
    while node is not None:
        for param in node.command.params:
            values = node.params.get(param.name or "")
            for value in values if isinstance(values, list | tuple) else [values]:
                if isinstance(value, str | Path) and _under(path, os.path.abspath(value)):
                    return InputError(f"{_argument(param)} {shown}", what)
        node = node.parent
    return InputError(shown, what)


def _argument(param: Any) -> str:
    """How the user wrote the parameter: `--config` for an option, `PATH` for an argument."""
    if param.param_type_name == "option":
        return str(param.opts[0])
    return str(param.metavar or (param.name or "").upper())


def _under(path: str, given: str) -> bool:
    return path == given or path.startswith(given.rstrip(os.sep) + os.sep)
