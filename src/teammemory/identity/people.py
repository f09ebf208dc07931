"""Developers with their accounts (for `teammemory identities`), and manual overrides.

A manual merge, split or accepted suggestion is stored in `identity_overrides` and applied by
every later resolution (identity/overrides.py), so the fix survives re-ingestion. Every command
that changes people returns a `Change`: which developers now hold which accounts, and which
developer keys are gone, worked out by comparing each account's developer before and after.

What `identities` prints is what `merge`/`split` accept (`target`): a developer key
('ali-ahmed-2'), an account key ('git:3f2a9c0d1e2b4a5f', 'jira:…', 'github:…'), or a spec
('email:x@y', 'login:ghuser', 'jira:accountIdOrLoginOrDisplayName', 'name:Full Name').
Anything else is refused with an InputError naming the argument.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.identity.match import Account, matches
from teammemory.identity.resolve import resolve
from teammemory.identity.signals import fold
from teammemory.identity.suggest import Suggestion, suggest
from teammemory.store import Reader, Writer

SPEC_KINDS = ("email", "login", "jira", "name")
ACCOUNT_SQL = "select key, source, email, name, login, account_id, display_name, rule, evidence, developer_key" \
              " from identities"


@dataclass(frozen=True)
class IdentityView:
    key: str
    source: str
    email: str
    name: str
    login: str
    account_id: str
    display_name: str
    rule: str
    evidence: str


@dataclass(frozen=True)
class DeveloperView:
    key: str
    name: str
    email: str
    is_bot: bool
    identities: tuple[IdentityView, ...]


@dataclass(frozen=True)
class Developers:
    developers: tuple[DeveloperView, ...]  # the ones shown: matching `name`, at most `limit`
    matched: int = 0  # developers matching `name` (all of them without a filter)
    total: int = 0  # developers in the store
    name: str = ""  # the filter, '' for none


@dataclass(frozen=True)
class Moved:
    account: str
    was: str  # the developer key it had ('' when it had none)
    now: str


@dataclass(frozen=True)
class Change:
    """What a merge, split or accept did: the override rows it recorded (as commands), every
    developer whose accounts changed (as it is now), each account that moved, the developer
    keys that are gone, and the developer counts before and after."""

    recorded: tuple[str, ...]
    developers: tuple[DeveloperView, ...]
    moved: tuple[Moved, ...]
    gone: tuple[str, ...]
    before: int
    after: int


@dataclass(frozen=True)
class Accepted:
    suggestions: tuple[Suggestion, ...]
    change: Change


def list_developers(db: Reader, *, name: str = "", limit: int | None = None) -> Developers:
    """Developers (sorted by key) with their accounts (sorted by source, key); `name` keeps those
    whose key, name, email or any account's key, name, email or login contains it (case and
    accents folded); `limit` shows the first N of them."""
    developers = _developers(db)
    wanted = fold(name)
    shown = [d for d in developers if not wanted or wanted in _haystack(d)]
    return Developers(tuple(shown[:limit] if limit is not None else shown), len(shown), len(developers), name)


def _developers(db: Reader, keys: Iterable[str] | None = None) -> list[DeveloperView]:
    idents: dict[str, list[IdentityView]] = {}
    for r in db.all(ACCOUNT_SQL):
        dev = r.pop("developer_key") or r["key"]
        idents.setdefault(dev, []).append(IdentityView(**r))
    only = set(keys) if keys is not None else None
    out = []
    for d in sorted(db.all("select key, name, email, is_bot from developers"), key=lambda d: d["key"]):
        if only is None or d["key"] in only:
            views = tuple(sorted(idents.get(d["key"], []), key=lambda i: (i.source, i.key)))
            out.append(DeveloperView(d["key"], d["name"], d["email"], bool(d["is_bot"]), views))
    return out


def _haystack(d: DeveloperView) -> str:
    parts = [d.key, d.name, d.email] + [v for i in d.identities
                                        for v in (i.key, i.name, i.display_name, i.email, i.login, i.account_id)]
    return "\x1f".join(fold(p) for p in parts if p)


@dataclass(frozen=True)
class Target:
    given: str
    accounts: tuple[str, ...]  # the account keys it names now
    stored: str  # what an override row keeps: the spec, or an account key for a developer key
    developer: bool  # given as a developer key


def target(db: Reader, value: str, label: str) -> Target:
    """What `value` (a developer key, an account key or a spec) names; InputError otherwise."""
    value = value.strip()
    rows = db.all(ACCOUNT_SQL)
    own = sorted(str(r["key"]) for r in rows if r["developer_key"] == value)
    if own and db.scalar("select count(*) as n from developers where key = :k", k=value):
        return Target(value, tuple(own), own[0], True)
    if any(r["key"] == value for r in rows):
        return Target(value, (value,), value, False)
    kind, colon, rest = value.partition(":")
    if not colon or kind not in SPEC_KINDS or not rest.strip():
        raise InputError(label, f"{value!r} is not a developer key, an account key or a spec"
                         " (email:ADDRESS, login:GITHUB_LOGIN, jira:ID_OR_LOGIN_OR_NAME, name:FULL NAME);"
                         " `teammemory identities` lists them")
    accounts = [_account(r) for r in rows]
    found = tuple(sorted(a.key for a in accounts if matches(a, value)))
    if not found:
        raise InputError(label, f"{value!r} matches no account" + _hint(kind, rest.strip(), accounts))
    return Target(value, found, value, False)


def _account(r: dict[str, object]) -> Account:
    return Account(*(str(r[k] or "") for k in ("key", "source", "email", "name", "login", "account_id",
                                                "display_name")))


def _hint(kind: str, value: str, accounts: Sequence[Account]) -> str:
    """A spec that matches nothing, but would under another kind or spelling: say which."""
    if kind == "login" and any(a.source == "jira" and a.login.lower() == value.lower() for a in accounts):
        return f" (a Jira account has that login: write jira:{value})"
    names = sorted({n for a in accounts for n in (a.name, a.display_name) if n and fold(n) == fold(value)})
    if kind == "name" and names:
        return f" (did you mean {', '.join('name:' + n for n in names[:3])}?)"
    return ""


def add_override(db: Writer, config: Config, action: str, a: str, b: str = "") -> Change:
    """Record `merge A B` or `split A`, re-resolve, and say what changed."""
    first = target(db, a, "A")
    if action == "merge":
        rows = [("merge", first.stored, target(db, b, "B").stored)]
    elif action == "split":
        rows = [("split", key, "") for key in (first.accounts if first.developer else (first.stored,))]
    else:
        raise InputError("action", f"{action!r} is not merge or split")
    return record(db, config, rows)


def accept(db: Writer, config: Config, numbers: Sequence[int], at_least: float | None = None) -> Accepted:
    """Accept suggestions by number and/or every one scoring at least `at_least`: recorded as
    manual merges in the caller's one transaction, with one re-resolution."""
    listed = suggest(db, config.name_stoplist).suggestions
    bad = [n for n in numbers if not 1 <= n <= len(listed)]
    if bad:
        raise InputError("N", f"{bad[0]} is not a suggestion number (there are {len(listed)}: 1-{len(listed)});"
                         " `teammemory identities suggestions` lists them")
    chosen = [s for s in listed if s.number in set(numbers) or (at_least is not None and s.score >= at_least)]
    if not chosen:
        count = int(db.scalar("select count(*) as n from developers") or 0)
        return Accepted((), Change((), (), (), (), count, count))
    return Accepted(tuple(chosen), record(db, config, [("accept", s.accounts[0], s.accounts[1]) for s in chosen]))


def record(db: Writer, config: Config, rows: Sequence[tuple[str, str, str]]) -> Change:
    """Append override rows (action, a, b), re-resolve once, and compare before with after."""
    before = _placement(db)
    count = int(db.scalar("select count(*) as n from developers") or 0)
    seq = int(db.scalar("select coalesce(max(seq), 0) as n from identity_overrides") or 0)
    now = int(time.time())
    db.executemany("insert into identity_overrides (seq, action, a, b, created_at) values (:s, :action, :a, :b, :t)",
                   [{"s": seq + i, "action": act, "a": x, "b": y, "t": now} for i, (act, x, y) in enumerate(rows, 1)])
    after_count = resolve(db, config)
    after = _placement(db)
    moved = tuple(Moved(k, before.get(k, ""), after[k]) for k in sorted(after) if before.get(k, "") != after[k])
    touched = {m.now for m in moved} | {m.was for m in moved}
    gone = tuple(sorted(k for k in set(before.values()) - set(after.values())))
    commands = tuple(f"{act} {x} {y}".strip() for act, x, y in rows)
    return Change(commands, tuple(_developers(db, touched - set(gone))), moved, gone, count, after_count)


def _placement(db: Reader) -> dict[str, str]:
    return {str(r["key"]): str(r["developer_key"]) for r in db.all(
        "select key, developer_key from identities where developer_key is not null")}
