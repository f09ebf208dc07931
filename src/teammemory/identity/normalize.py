"""Pure: canonical emails, names and logins; GitHub noreply emails; bot checks; readable slugs."""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Iterable

NOREPLY = re.compile(r"^(?:(\d+)\+)?([a-z0-9](?:[a-z0-9-]|\[bot\])*)@users\.noreply\.github\.com$")
PLACEHOLDER_EMAILS = {"", "none", "unknown", "noreply@github.com", "root@localhost", "(none)"}
_NOT_IN_EMAIL = re.compile(r"[\s,<>;]")


def email(value: str) -> str:
    """Lower-cased, trimmed email; '' for placeholders that must never merge people, and for text
    that is no email (a broken trailer's 'a@x.org, Jane Roe <j@y.org')."""
    value = value.strip().lower()
    if value in PLACEHOLDER_EMAILS or "@" not in value or _NOT_IN_EMAIL.search(value):
        return ""
    return value


def local_part(value: str) -> str:
    """'Kev.Kirsche+GitHub@gmail.com' -> 'kev.kirsche': before the '@', without a '+tag'; '' when
    `value` is no real email."""
    return email(value).split("@", 1)[0].split("+", 1)[0]


def is_mangled(value: str) -> bool:
    """An email that lost its '@' ('sijieapache.org'): no '@', a dot, no spaces, not a placeholder."""
    value = value.strip().lower()
    return "@" not in value and "." in value and not _NOT_IN_EMAIL.search(value) and value not in PLACEHOLDER_EMAILS


def mangled_forms(value: str) -> tuple[str, ...]:
    """How a real email reads once mangled: its '@' dropped, or turned into a dot."""
    local, _, domain = email(value).partition("@")
    return (local + domain, f"{local}.{domain}") if domain else ()


def name(value: str) -> str:
    """Whitespace-folded name, case kept."""
    return " ".join(value.split())


def noreply_login(value: str) -> str:
    """'41234+mturac@users.noreply.github.com' -> 'mturac'; '' when not a GitHub noreply email."""
    m = NOREPLY.match(value.strip().lower())
    return m.group(2) if m else ""


def noreply_id(value: str) -> str:
    """'42792537+sundapeng1@users.noreply.github.com' -> '42792537': the GitHub user id, which
    stays when the login is renamed; '' when the email carries none."""
    m = NOREPLY.match(value.strip().lower())
    return (m.group(1) or "") if m else ""


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
