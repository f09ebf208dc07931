"""Presentation shared by every answer and every surface: result -> JSON-safe dict, error -> dict,
and printing.

JSON keeps the dataclass field order (stable keys); a `Score` becomes
`{"total", "formula", "inputs": {...}, "terms": {...}}` so every score travels with the terms it
was computed from. Agents keep times as epoch seconds (`at`, `*_at`, `since`, `last_activity`);
JSON shows them as ISO 8601 UTC with its offset (`2026-11-20T12:00:00+00:00`), the way `now` is
shown, so a reader never has to guess the unit. Scores, counts and terms stay numbers.
Text rendering of each agent lives in render_<agent>.py; Markdown in markdown.py.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from teammemory.agents.evidence import Score
from teammemory.errors import InputError, NotFound, SourceError, StoreError, TeamMemoryError

if TYPE_CHECKING:  # a JSON answer loads no rich
    from rich.console import Console, RenderableType

# Result fields that hold epoch seconds besides `at` and `*_at` (see `is_time_field`).
TIME_FIELDS = frozenset({"at", "since", "last_activity"})


def is_time_field(name: str) -> bool:
    """Whether a result field named `name` holds epoch seconds (shown as ISO 8601 in JSON)."""
    return name in TIME_FIELDS or name.endswith("_at")


def iso_time(seconds: int) -> str:
    """Epoch seconds as ISO 8601 UTC with its offset: 1795176000 -> '2026-11-20T12:00:00+00:00'."""
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def to_data(value: Any) -> Any:
    """A JSON-safe structure for any result: dataclasses, tuples, Scores, datetimes, epoch times."""
    if isinstance(value, Score):
        return {"total": value.total, "formula": value.formula, "inputs": dict(value.inputs),
                "terms": dict(value.terms)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _field(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(to_data(v) for v in value)
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _field(name: str, value: Any) -> Any:
    if is_time_field(name) and isinstance(value, int) and not isinstance(value, bool):
        return iso_time(value)
    return to_data(value)


def to_json(question: str, now: datetime, result: Any) -> str:
    doc = {"question": question, "now": now.isoformat(), "result": to_data(result)}
    return dumps(doc)


def dumps(doc: Any) -> str:
    """The one JSON text form of every document: UTF-8 as is, indented, keys in their order."""
    return json.dumps(doc, ensure_ascii=False, indent=2)


def error_code(exc: BaseException) -> str:
    """What kind of failure `exc` is, as a stable word for machines."""
    if isinstance(exc, NotFound):
        return "not_found"
    if isinstance(exc, InputError):
        return "bad_input"
    if isinstance(exc, StoreError):
        return "store"
    if isinstance(exc, SourceError):
        return "source"
    return "error" if isinstance(exc, TeamMemoryError) else "internal"


def error_data(exc: BaseException) -> dict[str, Any]:
    """`{"error": {"code", "message", "argument", "suggestions"}}` for any error, on every surface.

    `argument` names what is at fault (an option, a file, a record) or is null; `suggestions` are
    the close matches a NotFound offers. An unexpected exception says only that it happened: its
    text may hold paths or data that are not the user's."""
    message = str(exc) if isinstance(exc, TeamMemoryError) else "internal error"
    argument = exc.where or None if isinstance(exc, InputError) else None
    suggestions = list(exc.suggestions) if isinstance(exc, NotFound) else []
    return {"error": {"code": error_code(exc), "message": message, "argument": argument,
                      "suggestions": suggestions}}


def emit(console: Console, question: str, now: datetime, result: Any, *, as_json: bool,
         text: Callable[[Any], RenderableType]) -> None:
    """Print `result` as JSON (exact, for machines) or through its text renderer."""
    if as_json:
        console.file.write(to_json(question, now, result) + "\n")
    else:
        console.print(text(result), crop=False)  # a path wider than the line prints whole (blocks.Words)
