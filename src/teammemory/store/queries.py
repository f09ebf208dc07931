"""Named SQL statements kept in `.sql` files and loaded by name (aiosql's file shape).

A file holds blocks; each starts with a `-- name:` line, may carry comment lines that say what
it returns and why it is written so, and ends where the next block starts:

    -- name: file-activity
    -- Every commit, review and comment on the target files.
    -- slot: target  the CTE `target(repo, path, until_at, root)` built by paths.spans_cte
    with {target}, tc(...) as (...)
    select ...;

Parameters are bound, written `:name` (the store turns them into each driver's style). The only
text filled in at run time is a declared slot, written `{slot}` and announced by a `-- slot:`
line; an undeclared `{...}` or a declared slot that the SQL never uses is refused when the file
loads. A statement without slots runs as it stands in `sqlite3` or `psql` once its `:name`
parameters are given.

Why not aiosql itself: its loader fits, but it has no declared slots for `in (...)` lists of
varying length or for the rename-span CTE, and it would be one more import at start-up for
every command; this is the ~60 lines of it that the agents need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path

from teammemory.errors import StoreError

_NAME = re.compile(r"^--\s*name:\s*([a-z0-9][a-z0-9-]*)\s*$")
_SLOT_DECL = re.compile(r"^--\s*slot:\s*([a-z_][a-z0-9_]*)\b")
_SLOT_USE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
CHUNK = 500  # values per `in (...)` list: far below every backend's parameter limit


@dataclass(frozen=True)
class Query:
    """One named statement: `sql` with `:params` (and `{slots}` when `slots` is not empty)."""

    name: str
    sql: str
    doc: str
    slots: tuple[str, ...] = ()

    def fill(self, **parts: str) -> str:
        """The statement with every declared slot filled; refuses missing or unknown slots."""
        if set(parts) != set(self.slots):
            raise StoreError(f"query {self.name}: slots {sorted(self.slots)} expected, got {sorted(parts)}")
        return _SLOT_USE.sub(lambda m: parts[m.group(1)], self.sql)

    @property
    def text(self) -> str:
        """The SQL of a statement without slots (what Reader.fetch runs)."""
        if self.slots:
            raise StoreError(f"query {self.name} has slots {list(self.slots)}: fill them first")
        return self.sql


@cache
def load(package: str, filename: str) -> Mapping[str, Query]:
    """The queries of `filename` in `package` (e.g. 'teammemory.agents.sql', 'expertise.sql'), by name.

    Read from the package's folder (its module's `__file__`), which is where pip puts package
    data from a wheel too; `importlib.resources` would import zipfile and its readers in every
    process (5-15 ms) for a file that sits next to the module."""
    module = import_module(package)
    if module.__file__ is None:  # a namespace package: no folder of its own to read from
        raise StoreError(f"{package}: not a package with a folder; cannot read {filename}")
    text = (Path(module.__file__).parent / filename).read_text(encoding="utf-8")
    return parse(text, where=f"{package}/{filename}")


def parse(text: str, *, where: str) -> dict[str, Query]:
    """Pure: split a `.sql` file into its named queries (see the module docstring)."""
    blocks: list[tuple[str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        found = _NAME.match(line.strip())
        if found:
            blocks.append((found.group(1), []))
        elif blocks:
            blocks[-1][1].append(line)
        elif line.strip() and not line.strip().startswith("--"):
            raise StoreError(f"{where}: line {number}: SQL before the first '-- name:' line")
    out: dict[str, Query] = {}
    for name, lines in blocks:
        if name in out:
            raise StoreError(f"{where}: query {name!r} defined twice")
        out[name] = _query(name, lines, where)
    return out


def _query(name: str, lines: list[str], where: str) -> Query:
    head = []
    for line in lines:
        if line.strip().startswith("--") or not line.strip():
            head.append(line.strip())
        else:
            break
    doc = " ".join(h.lstrip("-").strip() for h in head if h.startswith("--") and not _SLOT_DECL.match(h))
    slots = tuple(m.group(1) for h in head if (m := _SLOT_DECL.match(h)))
    sql = "\n".join(lines[len(head):]).strip().rstrip(";").strip()
    if not sql:
        raise StoreError(f"{where}: query {name!r} has no SQL")
    used = set(_SLOT_USE.findall(_without_comments(sql)))
    if used != set(slots):
        raise StoreError(f"{where}: query {name!r} uses slots {sorted(used)} but declares {sorted(slots)}")
    return Query(name, sql, doc, slots)


def _without_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


def one_list(values: Iterable[object], prefix: str = "v") -> tuple[str, dict[str, object]]:
    """For an `in ({slot})` slot that filters one statement and so cannot be split into chunks (a
    short list, such as known projects): (':v0, :v1, ...', their parameters), sorted distinct."""
    params = {f"{prefix}{i}": v for i, v in enumerate(sorted(set(values)))}  # type: ignore[type-var]
    return ", ".join(f":{p}" for p in params), params


def in_list(values: Iterable[object], prefix: str = "v") -> list[tuple[str, dict[str, object]]]:
    """For an `in ({slot})` slot: (':v0, :v1, ...', their parameters) for each slice of CHUNK
    sorted distinct values (none for no values)."""
    ordered = sorted(set(values))  # type: ignore[type-var]
    out = []
    for start in range(0, len(ordered), CHUNK):
        params = {f"{prefix}{i}": v for i, v in enumerate(ordered[start:start + CHUNK])}
        out.append((", ".join(f":{p}" for p in params), params))
    return out
