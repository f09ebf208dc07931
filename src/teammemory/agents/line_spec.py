"""`PATH[:LINE[-LINE]]`, as `why` takes it: its own module so that the command line can read it
before the agent loads (outputs/early_why.py), the same way the agent does."""

from __future__ import annotations

import re
from dataclasses import dataclass

from teammemory.errors import InputError

_RANGE = re.compile(r"^(.*):(\d+)(?:-(\d+))?$")


@dataclass(frozen=True)
class LineSpec:
    path: str
    lines: tuple[int, int] | None  # 1-based, inclusive; None: the whole file


def parse_spec(spec: str) -> LineSpec:
    """'src/a.py:12-14' -> LineSpec('src/a.py', (12, 14)); InputError naming PATH when malformed."""
    text = spec.strip().removeprefix("./")
    found = _RANGE.match(text)
    if not found:
        if not text:
            raise InputError("PATH", "empty path")
        return LineSpec(text, None)
    path, first = found.group(1), int(found.group(2))
    last = int(found.group(3)) if found.group(3) else first
    if not path:
        raise InputError("PATH", f"{spec!r}: no file before ':'")
    if first < 1 or last < first:
        raise InputError("PATH", f"{spec!r}: lines must be LINE or FIRST-LAST with 1 <= FIRST <= LAST")
    return LineSpec(path, (first, last))
