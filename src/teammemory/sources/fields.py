"""Pure: JSON fields read as the types the API documents; what does not fit is refused by name.

The Jira and GitHub parsers read every field through `Obj`: text, a whole number, true/false,
an object, a list of objects or of text, an ISO 8601 time, each null (or absent) where the API
allows it. Anything else refuses the record with an InputError naming the file, the record and
the field, never a value stored as its Python repr or a person silently dropped:

    jira/issues.json: issue PROJ-7: field 'fields.description': expected text, an ADF object or null, got a list
    pulls.json: PR #5: field 'user': expected an object or null, got text ('login')

Every text and number read also passes `checks` (no NUL, no lone surrogate, names and paths
within their byte limits, numbers within their columns), so both stores take the same records.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from teammemory.errors import InputError
from teammemory.sources import checks
from teammemory.sources.checks import INT64, NAME, NUMBER, TEXT, Kind


def kind_of(value: Any) -> str:
    """How a JSON value is called in messages: 'text', 'a number', 'a list', ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, str):
        return f"text ({show(value)})"
    if isinstance(value, int):
        return f"a number ({show(value)})"
    if isinstance(value, float):
        return f"a number with a fraction ({value!r})"
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else type(value).__name__


def show(value: Any, width: int = 40) -> str:
    """A short repr for messages: a 50 MB key is shown by its start and its length."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**width:
        return f"{len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= width else f"{text[:width]}... ({len(value) if isinstance(value, str) else '?'} chars)"


class Obj:
    """One JSON object of a record, read field by field; `path` names it in messages ('fields.')."""

    __slots__ = ("data", "ctx", "path")

    def __init__(self, data: Mapping[str, Any], ctx: str, path: str = "") -> None:
        self.data, self.ctx, self.path = data, ctx, path

    @classmethod
    def of(cls, value: Any, ctx: str, name: str) -> Obj:
        """`value` as an object; InputError if it is anything else (null included)."""
        if not isinstance(value, dict):
            raise InputError(ctx, f"field '{name}': expected an object, got {kind_of(value)}")
        return cls(value, ctx, name + ".")

    def name(self, field: str) -> str:
        return self.path + field

    def fail(self, field: str, what: str) -> InputError:
        return InputError(self.ctx, f"field '{self.name(field)}': {what}")

    def wrong(self, field: str, expected: str) -> InputError:
        return self.fail(field, f"expected {expected}, got {kind_of(self.data.get(field))}")

    def get(self, field: str) -> Any:
        """The raw value, for fields whose type tells what they are (text or an ADF object)."""
        return self.data.get(field)

    def present(self, field: str) -> bool:
        return self.data.get(field) is not None

    def text(self, field: str, kind: Kind = TEXT, *, required: bool = False) -> str:
        """Text or null (''); `required`: text that is not empty."""
        value = self.data.get(field)
        if value is None or (required and value == ""):
            if required:
                raise InputError(self.ctx, f"field '{self.name(field)}' {'missing' if value is None else 'is empty'}")
            return ""
        if not isinstance(value, str):
            raise self.wrong(field, "text" if required else "text or null")
        return self.checked(field, value, kind)

    def checked(self, field: str, value: str, kind: Kind = TEXT) -> str:
        problem = checks.text_problem(value, kind)
        if problem:
            raise self.fail(field, problem)
        return value

    def ident(self, field: str, *, required: bool = False) -> str:
        """An id: text or a whole number (GitHub ids are numbers, Jira's text), as text; null is ''."""
        value = self.data.get(field)
        if value is None or value == "":
            if required:
                raise InputError(self.ctx, f"field '{self.name(field)}' {'missing' if value is None else 'is empty'}")
            return ""
        if isinstance(value, int) and not isinstance(value, bool):
            return str(self.checked_int(field, value, INT64))
        if not isinstance(value, str):
            raise self.wrong(field, "text or a number")
        return self.checked(field, value, NAME)

    def integer(self, field: str, bounds: tuple[int, int] = NUMBER, *, required: bool = False) -> int | None:
        """A whole number within `bounds`, or null (None); digits as text are taken too ('12')."""
        value = self.data.get(field)
        if value is None:
            if required:
                raise InputError(self.ctx, f"field '{self.name(field)}' missing")
            return None
        if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 40:
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.wrong(field, "a whole number" if required else "a whole number or null")
        return self.checked_int(field, value, bounds)

    def checked_int(self, field: str, value: int, bounds: tuple[int, int]) -> int:
        problem = checks.int_problem(value, bounds)
        if problem:
            raise self.fail(field, problem)
        return value

    def flag(self, field: str) -> bool | None:
        value = self.data.get(field)
        if value is not None and not isinstance(value, bool):
            raise self.wrong(field, "true, false or null")
        return value

    def obj(self, field: str) -> Obj:
        """An object, or null/absent (an empty one)."""
        value = self.data.get(field)
        if value is None:
            return Obj({}, self.ctx, self.name(field) + ".")
        if not isinstance(value, dict):
            raise self.wrong(field, "an object or null")
        return Obj(value, self.ctx, self.name(field) + ".")

    def items(self, field: str) -> list[Any]:
        """A list or null ([]); perceval records 'nothing fetched' as {}."""
        value = self.data.get(field)
        if value is None or value == {}:
            return []
        if not isinstance(value, list):
            raise self.wrong(field, "a list or null")
        return value

    def objs(self, field: str) -> list[Obj]:
        """A list of objects, or null ([])."""
        out = []
        for i, value in enumerate(self.items(field)):
            if not isinstance(value, dict):
                raise self.fail(f"{field}[{i}]", f"expected an object, got {kind_of(value)}")
            out.append(Obj(value, self.ctx, f"{self.name(field)}[{i}]."))
        return out

    def texts(self, field: str, kind: Kind = NAME) -> tuple[str, ...]:
        """A list of text, or null (())."""
        out = []
        for i, value in enumerate(self.items(field)):
            if not isinstance(value, str):
                raise self.fail(f"{field}[{i}]", f"expected text, got {kind_of(value)}")
            out.append(self.checked(f"{field}[{i}]", value, kind))
        return tuple(out)

    def time(self, field: str, label: str = "") -> int | None:
        """An ISO 8601 time (`2016-07-27T14:16:05.000+0200`, `2019-02-22T16:21:03Z`) or null ->
        UTC epoch seconds; a time without an offset is taken as UTC, so no answer depends on the
        machine's time zone. `label` overrides the field's name in messages."""
        return time_value(self.data.get(field), self.ctx, label or self.name(field))


def time_value(value: Any, ctx: str, name: str) -> int | None:
    """An ISO 8601 time or null (see `Obj.time`); InputError names `ctx` and the field `name`."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(ctx, f"field '{name}': expected an ISO 8601 time or null, got {kind_of(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(ctx, f"field '{name}' is not an ISO 8601 time: {show(value)}") from None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())

