"""Developers with their identities (for `teammemory identities`), and manual overrides.

A manual merge or split is stored in `identity_overrides` and applied by every later
resolution, so the fix survives re-ingestion.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.identity.match import Account, matches
from teammemory.identity.resolve import resolve
from teammemory.store import Reader, Writer


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
    developers: tuple[DeveloperView, ...]


def list_developers(db: Reader) -> Developers:
    """Every developer (sorted by key) with its identities (sorted by source, key)."""
    idents: dict[str, list[IdentityView]] = {}
    for r in db.all("select key, source, email, name, login, account_id, display_name, rule, evidence,"
                    " developer_key from identities"):
        dev = r.pop("developer_key") or r["key"]
        idents.setdefault(dev, []).append(IdentityView(**r))
    out = []
    for d in sorted(db.all("select key, name, email, is_bot from developers"), key=lambda d: d["key"]):
        views = tuple(sorted(idents.get(d["key"], []), key=lambda i: (i.source, i.key)))
        out.append(DeveloperView(d["key"], d["name"], d["email"], bool(d["is_bot"]), views))
    return Developers(tuple(out))


def add_override(db: Writer, config: Config, action: str, a: str, b: str = "") -> int:
    """Record `merge A B` or `split A` and re-resolve; A/B are developer keys, identity keys or
    specs (`email:..`, `login:..`, `jira:..`, `name:..`)."""
    a_spec, b_spec = _spec(db, a, "A"), (_spec(db, b, "B") if action == "merge" else "")
    seq = int(db.scalar("select coalesce(max(seq), 0) as n from identity_overrides") or 0) + 1
    if action == "merge":
        db.execute("insert into identity_overrides (seq, action, a, b, created_at) values (:s, 'merge', :a, :b, :t)",
                   s=seq, a=a_spec, b=b_spec, t=int(time.time()))
    else:
        for i, key in enumerate(_identity_keys(db, a_spec)):
            db.execute("insert into identity_overrides (seq, action, a, b, created_at)"
                       " values (:s, 'split', :a, '', :t)", s=seq + i, a=key, t=int(time.time()))
    return resolve(db, config)


def _spec(db: Reader, value: str, label: str) -> str:
    """A developer key becomes the key of its first identity; identity keys and specs stay."""
    if db.scalar("select count(*) as n from developers where key = :k", k=value):
        first = db.scalar("select min(key) as k from identities where developer_key = :k", k=value)
        if first:
            return str(first)
    if not _identity_keys(db, value):
        raise InputError(label, f"{value!r} matches no developer or identity")
    return value


def _identity_keys(db: Reader, spec: str) -> list[str]:
    rows = db.all("select key, source, email, name, login, account_id, display_name, developer_key from identities")
    direct = [r["key"] for r in rows if r["developer_key"] == spec]
    accounts = [Account(**{k: v for k, v in r.items() if k != "developer_key"}) for r in rows]
    return sorted(set(direct + [a.key for a in accounts if matches(a, spec)]))
