"""The documents the API and the MCP server return: exactly what `--json` prints, as data.

Answers come from `outputs.answers.answer_document`, the surface-neutral builder the CLI prints
(same agent call, same `--limit` cuts and `omitted` counts, same ISO times); errors from
`outputs.render.error_data`, the object `--json` prints on failure, wrapped in datasette's
envelope `{"ok": false, "error": {...}, "status": N}` so an HTTP client sees the status too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from teammemory.config import Config
from teammemory.errors import InputError, NotFound, StoreError
from teammemory.outputs import answers, render
from teammemory.outputs.commands_agents import check_arguments
from teammemory.outputs.questions import QUESTIONS
from teammemory.store import Reader


def document(name: str, now: datetime, result: Any) -> dict[str, Any]:
    """`{"question", "now", "result"}` for an answer that is not a registry question (listings)."""
    return {"question": name, "now": now.isoformat(), "result": render.to_data(result)}


def check_question(name: str, subject: Any, options: dict[str, Any]) -> None:
    """InputError naming the first argument out of the CLI's bounds (before the store opens)."""
    check_arguments(QUESTIONS[name], subject, options)


def answer_document(db: Reader, name: str, subject: Any, *, now: datetime, config: Config,
                    options: dict[str, Any]) -> dict[str, Any]:
    """Question `name`'s answer document, as `--json` prints it."""
    return answers.answer_document(db, name, subject, now=now, config=config, options=options)


def status_of(exc: BaseException) -> int:
    """The HTTP status an error stands for: 404 not found, 422 bad input, 503 store, 500 else."""
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, StoreError):
        return 503
    return 500


def error_body(exc: BaseException, status: int | None = None) -> dict[str, Any]:
    """The one error shape of the API: `render.error_data`'s object, `ok` false and the status.
    An unexpected exception says only that it happened (no stack trace, no message)."""
    return {"ok": False, **render.error_data(exc), "status": status_of(exc) if status is None else status}


def unauthorized(message: str) -> dict[str, Any]:
    """The same shape for a request without the right token (no TeamMemoryError stands for it)."""
    return {"ok": False, "error": {"code": "unauthorized", "message": message, "argument": "Authorization",
                                   "suggestions": []}, "status": 401}
