"""Hygiene's identity checks: which accounts stand alone, and which people may be one person.

They list accounts (identities rows: source, email, name, login, display name), because accounts
are the data checked; each account's person and bot flag come from the `persons` view.
- alone: a non-bot account that no rule tied to another account (its person has no other
  account), or that identity resolution has not placed at all;
- possible duplicates: the same name, folded (case, accents, punctuation; 3+ characters), on
  accounts of 2+ different non-bot people; only suggested, never merged (SortingHat's
  recommendations). A person is shown by the developer's name, else by the account's label.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from teammemory.agents.evidence import Person

Item = tuple[tuple[object, ...], str]  # (sort key, example text), as hygiene.check takes them


class IdentityRow(NamedTuple):
    key: str
    source: str
    email: str
    name: str
    login: str
    display_name: str
    developer_key: str | None
    person_key: str
    developer_name: str | None  # the developer's, when resolution placed the account
    bot: int


@dataclass(frozen=True)
class IdentitySuggestion:
    name: str  # the folded name the accounts share
    people: tuple[Person, ...]
    accounts: tuple[str, ...]
    reason: str


def alone(identities: Sequence[IdentityRow]) -> tuple[list[Item], int]:
    """Pure: (the non-bot accounts tied to no other account or not resolved, by source and label;
    how many non-bot accounts there are)."""
    people = [r for r in identities if not r.bot]
    accounts = Counter(r.person_key for r in people)
    bad: list[Item] = [((r.source, account(r)), account(r)) for r in people
                       if r.developer_key is None or accounts[r.person_key] == 1]
    return bad, len(people)


def duplicates(suggestions: Iterable[IdentitySuggestion], identities: Iterable[IdentityRow]
               ) -> tuple[list[Item], int]:
    """Pure: (one item per suggestion, by folded name; how many non-bot people there are)."""
    items: list[Item] = [((s.name,), f"{s.name}: " + ", ".join(f"{p.name} ({p.key})" for p in s.people))
                         for s in suggestions]
    return items, len({r.person_key for r in identities if not r.bot})


def account(r: IdentityRow) -> str:
    """'git: Ayşe Demir <ayse@acme.io>', 'github: ademir', 'jira: Burak Kaya'."""
    name = r.display_name or r.name or ""
    if r.source == "github" and r.login:
        return f"github: {r.login}" + (f" ({name})" if name else "")
    email = f" <{r.email}>" if r.email else ""
    return f"{r.source}: {name or r.login or r.key}{email}"


def fold(name: str) -> str:
    """'Ayşe  Demir' -> 'ayse demir': accents, case and punctuation do not tell people apart."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_.lower()).split())


def suggest_identities(identities: Iterable[IdentityRow]) -> tuple[IdentitySuggestion, ...]:
    """Pure: folded names (3+ characters) worn by accounts of 2+ different non-bot people."""
    by_name: dict[str, list[IdentityRow]] = {}
    for r in identities:
        for raw in {r.name or "", r.display_name or ""}:
            folded = fold(raw)
            if len(folded) >= 3 and not r.bot:
                by_name.setdefault(folded, []).append(r)
    out = []
    for folded, rows in sorted(by_name.items()):
        people = {r.person_key: r.developer_name or account(r) for r in rows}
        if len(people) < 2:
            continue
        persons = tuple(sorted((Person(k, n) for k, n in people.items()), key=lambda p: (p.name, p.key)))
        out.append(IdentitySuggestion(folded, persons, tuple(sorted({account(r) for r in rows})),
                                      f"same name '{folded}' (case, accents and punctuation folded)"))
    return tuple(out)
