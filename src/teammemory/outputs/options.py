"""Shared CLI plumbing: the per-invocation State, option types, and error translation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from teammemory import config as config_mod
from teammemory.config import Config
from teammemory.errors import InputError, TeamMemoryError


@dataclass
class State:
    """What the top-level options said; each command turns it into a Config once."""

    db: str | None
    config_path: Path | None

    def config(self) -> Config:
        return config_mod.load(self.config_path, db=self.db)


JsonFlag = Annotated[bool, typer.Option("--json", help="Print the answer as JSON (stable keys, scores with terms).")]
NowOption = Annotated[str | None, typer.Option(
    "--now", help="ISO 8601 time that counts as now (default: the current time), for reproducible answers.")]
RepoOption = Annotated[str | None, typer.Option("--repo", help="Only this repository (as named at ingest).")]


def stdout() -> Console:
    """The answer console: 120 columns when piped (rich would pick 80), the terminal's otherwise."""
    import sys

    width = None if sys.stdout.isatty() else 120
    return Console(highlight=False, soft_wrap=True, width=width)


def parse_now(value: str | None) -> datetime:
    """`--now` as an aware UTC datetime; naive input counts as UTC; a date means its midnight."""
    if value is None:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError("--now", f"not an ISO 8601 time: {value!r} (e.g. 2026-11-20T12:00:00Z)") from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


@contextmanager
def errors() -> Iterator[None]:
    """Map TeamMemoryError to `error: ...` on stderr and its exit code; no traceback."""
    try:
        yield
    except TeamMemoryError as exc:
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"error: {exc}", markup=False)
        raise typer.Exit(exc.exit_code) from None
