"""Pure text for the synthetic repository: people, commit subjects, bodies and trailers.

Everything is drawn from one `random.Random`, so the same seed gives the same words. The mix
mirrors what TeamMemory must cope with in real histories: issue keys in ~60% of messages (in
the subject, in brackets, or in a `Refs:` line), false keys that only look like keys (`UTF-8`,
`SHA-1`, `CVE-2021-44228`, `ISO-8601`), bug-fix wording, squash subjects `... (#N)`, and the
trailers `Co-authored-by`, `Reviewed-by`, `Signed-off-by` and Apache's `Reviewers:`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST = ("Ana", "Bruno", "Chen", "Dara", "Emeka", "Farah", "Goran", "Hana", "Ivan", "Jonas", "Kiri",
         "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen",
         "Ximena", "Yusuf", "Zoe", "Aiko", "Bjorn", "Chiara", "Diego", "Elif", "Femi", "Gita", "Hugo", "Ines",
         "José")
LAST = ("Lima", "Okafor", "Wang", "Kowalski", "Müller", "Haddad", "Petrov", "Sato", "Novak", "Berg", "Silva",
        "Nakamura", "Rossi", "Dubois", "Jensen", "Kaya", "Mensah", "Ortiz", "Park", "Quist", "Rahman")
ZONES = ("+0000", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900", "-0300", "+1000", "+0100")
PROJECTS = ("PROJ", "PROJ", "PROJ", "CORE", "WEB")
VERBS = ("Add", "Update", "Refactor", "Improve", "Remove", "Handle", "Document", "Speed up", "Clean up",
         "Support", "Simplify", "Rework", "Validate", "Cache", "Log")
FIX_VERBS = ("Fix", "Fix", "Fix crash in", "Fix regression in", "Hotfix", "Fix broken")
NOUNS = ("retry logic", "token refresh", "session cache", "schema migration", "rate limiter", "error page",
         "CSV export", "search index", "invoice totals", "login form", "webhook handler", "job queue",
         "config loader", "date parsing", "pagination", "audit log", "upload size check", "email templates",
         "feature flags", "health check", "connection pool", "metrics", "permissions", "timezone handling")
FALSE_KEYS = ("Read files as UTF-8", "Verify the SHA-1 digest", "Patch CVE-2021-44228 in the logger",
              "Parse ISO-8601 dates", "Follow RFC-7231 for caching", "Support TLS-13 only")
BODY = ("The old code assumed the list was never empty.", "This keeps the behaviour the same for callers.",
        "Measured locally: about twice as fast.", "Follow-up to the review comments.",
        "Needed by the new billing flow.", "No functional change intended.",
        "The test covered only the happy path.", "Split out of a larger change to ease review.")


@dataclass(frozen=True)
class Author:
    """A person: their usual identity plus, for some, a second email used now and then."""

    name: str
    email: str
    alt_email: str
    zone: str

    def ident(self, rng: random.Random) -> str:
        email = self.alt_email if self.alt_email and rng.random() < 0.3 else self.email
        return f"{self.name} <{email}>"


BOT = Author("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "", "+0000")
GITHUB = "GitHub <noreply@github.com>"


def make_authors(rng: random.Random, count: int = 40) -> list[Author]:
    """`count` distinct people; every fourth has a second email (personal or GitHub noreply)."""
    out: list[Author] = []
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 5 + i // len(FIRST)) % len(LAST)]
        login = f"{first[0]}{last}".lower().replace("ü", "u").replace("é", "e")
        email = f"{first.lower().replace('é', 'e')}.{login[1:]}@corp.example"
        alt = ""
        if i % 4 == 1:
            alt = f"{login}@gmail.example"
        elif i % 4 == 3:
            alt = f"{1000 + i}+{login}@users.noreply.github.com"
        out.append(Author(f"{first} {last}", email, alt, ZONES[i % len(ZONES)]))
    return out


def mailmap(authors: list[Author]) -> bytes:
    """`.mailmap` lines mapping every second email to the person's usual identity."""
    lines = [f"{a.name} <{a.email}> <{a.alt_email}>\n" for a in authors if a.alt_email]
    return "".join(lines).encode()


def issue_key(rng: random.Random, made: int) -> str:
    """A key whose number grows with the history, as a tracker's would."""
    return f"{rng.choice(PROJECTS)}-{rng.randint(1, 10 + made // 15)}"


def subject(rng: random.Random, component: str, *, fix: bool) -> str:
    verb = rng.choice(FIX_VERBS if fix else VERBS)
    return f"{verb} {rng.choice(NOUNS)} in {component}"


def decorate(rng: random.Random, text: str, made: int) -> tuple[str, str]:
    """(subject, body lines) with an issue key ~60% of the time, in one of four places."""
    body = ""
    roll = rng.random()
    if roll < 0.25:
        text = f"{issue_key(rng, made)}: {text}"
    elif roll < 0.40:
        text = f"[{issue_key(rng, made)}] {text}"
    elif roll < 0.50:
        text = f"{text} ({issue_key(rng, made)})"
    elif roll < 0.60:
        body = f"Refs: {issue_key(rng, made)}, {issue_key(rng, made)}\n"
    if rng.random() < 0.05:
        body += rng.choice(FALSE_KEYS) + ".\n"
    return text, body


def trailers(rng: random.Random, authors: list[Author], author: Author) -> str:
    """Trailer block (may be empty): Co-authored-by, Reviewed-by, Reviewers:, Signed-off-by."""
    lines: list[str] = []
    others = [a for a in authors[:20] if a is not author]
    if rng.random() < 0.05:
        lines.append(f"Co-authored-by: {rng.choice(others).ident(rng)}")
    if rng.random() < 0.15:
        lines.append(f"Reviewed-by: {rng.choice(others).ident(rng)}")
    if rng.random() < 0.05:
        a, b = rng.choice(others), rng.choice(others)
        lines.append(f"Reviewers: {a.name} <{a.email}>, {b.name}")
    if rng.random() < 0.20:
        lines.append(f"Signed-off-by: {author.name} <{author.email}>")
    return "\n".join(lines)


def message(rng: random.Random, authors: list[Author], author: Author, component: str, made: int,
            pr: int | None) -> str:
    """A full commit message: subject (maybe `(#pr)`), optional body, optional trailers."""
    text, body = decorate(rng, subject(rng, component, fix=rng.random() < 0.2), made)
    if pr is not None:
        text = f"{text} (#{pr})"
    if rng.random() < 0.5:
        body = " ".join(rng.choice(BODY) for _ in range(rng.randint(1, 3))) + "\n" + body
    block = trailers(rng, authors, author)
    parts = [text] + ([body.rstrip("\n")] if body else []) + ([block] if block else [])
    return "\n\n".join(parts) + "\n"


def slug(text: str) -> str:
    """`'Fix retry logic in api'` -> `'fix-retry-logic-in-api'` (branch names)."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:40]
