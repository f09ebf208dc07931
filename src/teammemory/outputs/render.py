"""Presentation shared by every answer: result dataclass -> JSON-safe dict, and printing.

JSON keeps the dataclass field order (stable keys); a `Score` becomes
`{"total", "formula", "inputs": {...}, "terms": {...}}` so every score travels with the terms it
was computed from. Text rendering of each agent lives in render_<agent>.py.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.console import Console, RenderableType

from teammemory.agents.evidence import Score


def to_data(value: Any) -> Any:
    """A JSON-safe structure for any result: dataclasses, tuples, Scores, datetimes."""
    if isinstance(value, Score):
        return {"total": value.total, "formula": value.formula, "inputs": dict(value.inputs),
                "terms": dict(value.terms)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def to_json(question: str, now: datetime, result: Any) -> str:
    doc = {"question": question, "now": now.isoformat(), "result": to_data(result)}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def emit(console: Console, question: str, now: datetime, result: Any, *, as_json: bool,
         text: Callable[[Any], RenderableType]) -> None:
    """Print `result` as JSON (exact, for machines) or through its text renderer."""
    if as_json:
        console.file.write(to_json(question, now, result) + "\n")
    else:
        console.print(text(result))
