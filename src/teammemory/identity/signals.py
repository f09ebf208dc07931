"""What one developer's accounts say about who it is, as signals that two developers can share:
folded names (full, one-word, name words, initial + last name), names run together ('janedoe',
'jdoe'), logins, email local parts and domains. identity/suggest.py pairs developers by them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from teammemory.identity import names, normalize
from teammemory.identity.match import Account


def fold(text: str) -> str:
    """'Ayşe  DEMİR' -> 'ayse demir', 'Yılmaz' -> 'yilmaz', '冉小龙' stays: case, accents and
    punctuation do not tell people apart; letters of other scripts are kept, not dropped. The
    letters are folded as the name rules fold them (names.fold), then punctuation goes."""
    return " ".join(re.sub(r"[\W_]+", " ", names.fold(text)).split())


@dataclass
class Person:
    """One developer's signals, each mapped to the first account (by key) that carries it."""

    key: str
    name: str
    full: dict[str, str] = field(default_factory=dict)  # folded 2+ word name
    single: dict[str, str] = field(default_factory=dict)
    core: dict[str, str] = field(default_factory=dict)  # words of 2+ letters, sorted: 'doe jane'
    initial: dict[tuple[str, str], bool] = field(default_factory=dict)  # (j, doe) -> was 'J. Doe'
    runs: dict[str, str] = field(default_factory=dict)  # 'janedoe', 'jdoe'
    logins: dict[str, str] = field(default_factory=dict)  # compacted
    locals: dict[str, str] = field(default_factory=dict)  # compacted local part
    domains: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # account key -> 'Jane Doe <jane@x.org>'
    contact: bool = False  # any email or login
    stop: frozenset[str] = frozenset()  # `[identity] name_stoplist`, folded: names that say nothing

    def add(self, acc: Account) -> None:
        """Take in one account: its names, logins (GitHub, Jira, noreply), local part and domain."""
        self.labels[acc.key] = label(acc)
        for raw in (acc.name, acc.display_name):
            if raw.strip() and "@" not in raw:
                self._name(fold(_unflip(raw)), acc.key)
        em = normalize.email(acc.email)
        noreply = normalize.noreply_login(em)
        for login in (acc.login if acc.source in ("github", "jira") else "", noreply):
            if compact(login):
                self.contact = True
                if compact(login) not in self.stop:
                    self.logins.setdefault(compact(login), acc.key)
        if em and not noreply:
            local, _, domain = em.partition("@")
            self.locals.setdefault(compact(local), acc.key)
            self.domains.setdefault(domain, acc.key)
            self.contact = True

    def _name(self, folded: str, key: str) -> None:
        """The forms of one folded name; stoplisted names ('root', 'your name') have none."""
        words = folded.split()
        if folded in self.stop or all(w in self.stop for w in words):
            return
        if len(words) == 1 and (len(words[0]) >= 4 or not words[0].isascii()):  # '冉小龙' is a full name
            self.single.setdefault(words[0], key)
        if len(words) < 2:
            return
        self.full.setdefault(folded, key)
        core = sorted(w for w in words if len(w) > 1)
        if len(core) >= 2:
            self.core.setdefault(" ".join(core), key)
        self.initial[(words[0][0], words[-1])] = self.initial.get((words[0][0], words[-1]), False) or \
            len(words[0]) == 1
        self.runs.setdefault("".join(words), key)
        self.runs.setdefault(words[0][0] + words[-1], key)

    def signals(self) -> Iterable[tuple[str, object]]:
        """(kind, value) pairs: two developers sharing one are worth scoring as a pair."""
        yield from (("full", n) for n in self.full)
        yield from (("single", n) for n in self.single)
        yield from (("core", c) for c in self.core)
        yield from (("initial", i) for i in self.initial)
        yield from (("handle", h) for h in {*self.runs, *self.logins, *self.locals} if len(h) >= 3)


def compact(handle: str) -> str:
    """'Jane.Doe' -> 'janedoe': punctuation in a login or local part tells no one apart."""
    return re.sub(r"[^a-z0-9]+", "", handle.strip().lower())


def _unflip(name: str) -> str:
    """'Doe, Jane' -> 'Jane Doe'; any other name as it is."""
    last, comma, first = name.partition(",")
    return f"{first} {last}" if comma and last.strip() and first.strip() and "," not in first else name


def label(acc: Account) -> str:
    """'git Jane Doe <jane@x.org>', 'github @jdoe', 'jira Jane Doe [5b10a]': an account at a glance."""
    parts = [acc.source, acc.display_name or acc.name, f"<{acc.email}>" if acc.email else "",
             f"@{acc.login}" if acc.login else "", f"[{acc.account_id}]" if acc.account_id else ""]
    return " ".join(p for p in parts if p)
