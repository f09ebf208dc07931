"""The argument scan behind the work a command starts before Typer loads (early_ingest, early_why).

Only plain arguments are read: the tool's options (`--db`, `--config`) before the command's words,
the command's own after them (`--opt value` or `--opt=value`, the last one given wins, as Click
takes it; its flags skipped); anything else (an unknown option, an option between the words, a
value missing) makes the scan give up, and the command then does it all itself once Typer has
parsed the arguments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from teammemory.errors import TeamMemoryError


def scan(args: Sequence[str], tool: Mapping[str, str], command: Mapping[str, str], flags: frozenset[str],
         depth: int) -> tuple[list[str], dict[str, str]] | None:
    """(the words, {name: value} of the options `tool` and `command` map to names) of `args`,
    where the command's options may come once `depth` words are given (`ingest git`: 2); None
    when they are not plain."""
    found: dict[str, str] = {}
    words: list[str] = []
    tokens = iter(args)
    for token in tokens:
        if not token.startswith("-"):
            words.append(token)
            continue
        if len(words) >= depth and token in flags:
            continue
        allowed = tool if not words else command if len(words) >= depth else {}
        name, eq, value = token.partition("=")
        if name not in allowed:
            return None
        if not eq:
            given = next(tokens, None)
            if given is None:
                return None
            value = given
        found[allowed[name]] = value
    return words, found


def sqlite_file(db: str | None, config: str | None) -> str | None:
    """The SQLite store file `--db` and `--config` name (through teammemory.toml and TEAMMEMORY_DB,
    as the command reads them); None for a URL (PostgreSQL, sqlite:///) or a config that fails to
    load (the command says what is wrong)."""
    from teammemory import config as config_mod

    try:
        url = config_mod.load(Path(config) if config else None, db=db).db_url
    except (TeamMemoryError, OSError, ValueError):
        return None
    return None if "://" in url or url.startswith(("postgres", "sqlite:")) else url
