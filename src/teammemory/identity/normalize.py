"""Pure: canonical emails, names and logins; GitHub noreply emails; bot checks; readable slugs."""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable

NOREPLY = re.compile(r"^(?:\d+\+)?([a-z0-9](?:[a-z0-9-]|\[bot\])*)@users\.noreply\.github\.com$")
PLACEHOLDER_EMAILS = {"", "none", "unknown", "noreply@github.com", "root@localhost", "(none)"}


def email(value: str) -> str:
    """Lower-cased, trimmed email; '' for placeholders that must never merge people."""
    value = value.strip().lower()
    return "" if value in PLACEHOLDER_EMAILS or "@" not in value else value


def name(value: str) -> str:
    """Whitespace-folded name, case kept."""
    return " ".join(value.split())


def noreply_login(value: str) -> str:
    """'41234+mturac@users.noreply.github.com' -> 'mturac'; '' when not a GitHub noreply email."""
    m = NOREPLY.match(value.strip().lower())
    return m.group(1) if m else ""


def is_bot(patterns: Iterable[str], *values: str) -> bool:
    """True when any value (login, name, email local part) matches a configured bot glob (`*`, `?`)."""
    candidates = [v.strip().lower() for v in values if v and v.strip()]
    candidates += [noreply_login(v) or v.split("@", 1)[0] for v in candidates if "@" in v]
    globs = [p.lower().replace("[", "[[]") for p in patterns]  # '[bot]' is literal, not a set
    return any(fnmatch.fnmatchcase(c, g) for c in candidates for g in globs)


def slug(value: str) -> str:
    """'Ayşe Demir' -> 'ayse-demir': ASCII, lower case, dashes."""
    ascii_ = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "someone"
