"""A small error hierarchy whose messages name the culprit (file, record, field or argument).

Edges map them once: the CLI to stderr with exit code 2 (bad input, not found) or 1; the API to
`{"ok": false, "error": ..., "status": ...}`.
"""

from __future__ import annotations


class TeamMemoryError(Exception):
    """Base of every error TeamMemory raises on purpose."""

    exit_code = 1


class InputError(TeamMemoryError):
    """Bad input: `where` names the file/record/argument, `what` says what is wrong with it."""

    exit_code = 2

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}" if where else what)
        self.where = where
        self.what = what


class NotFound(TeamMemoryError):
    """A key, PR, file or component that the store does not hold; offers close matches."""

    exit_code = 2

    def __init__(self, kind: str, name: str, suggestions: tuple[str, ...] = ()) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"{kind} {name!r} not found.{hint}")
        self.kind = kind
        self.name = name
        self.suggestions = suggestions


class StoreError(TeamMemoryError):
    """The store is missing, unreadable, or of a newer schema than this program knows."""


class NoStore(StoreError):
    """The store a question names is not there: the argument (--db, TEAMMEMORY_DB, the config's
    store.db) is at fault, so the CLI exits 2 as for other bad input."""

    exit_code = 2


class SourceError(TeamMemoryError):
    """An external source (git, an HTTP API) failed in a way that is not the user's input."""
