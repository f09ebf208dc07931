"""How a group of accounts becomes a developer row: its name, email, bot flag and key.

A developer's key is a readable slug of its chosen name ('ayse-demir'); the name is, in order:
a Jira display name, a GitHub display name, the git name with the most commits, a login.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from teammemory.config import Config
from teammemory.identity import normalize
from teammemory.identity.match import Account, Groups
from teammemory.store import Writer
from teammemory.store.write import upsert


def write_people(db: Writer, accounts: Sequence[Account], groups: Groups, config: Config,
                 commits: Counter[str]) -> None:
    by_key = {a.key: a for a in accounts}
    developers: list[dict[str, object]] = []
    assignments: list[dict[str, object]] = []
    taken: set[str] = set()
    named = [(_choose_name([by_key[k] for k in keys], commits), keys) for keys in groups.groups()]
    for name, keys in sorted(named, key=lambda item: (normalize.slug(item[0]), item[1][0])):
        key = _unique_slug(normalize.slug(name), taken)
        accs = [by_key[k] for k in keys]
        bot = any(normalize.is_bot(config.bots, a.login, a.name, a.email, a.display_name) for a in accs)
        developers.append({"key": key, "name": name, "email": _choose_email(accs, commits), "is_bot": int(bot)})
        for acc in accs:
            edge = groups.joined_by.get(acc.key)
            assignments.append({"key": acc.key, "developer_key": key, "rule": edge.rule if edge else "single",
                                "evidence": edge.evidence if edge else "no other account matched",
                                "is_bot": int(normalize.is_bot(config.bots, acc.login, acc.name, acc.email,
                                                               acc.display_name))})
    db.execute("delete from developers")
    upsert(db, "developers", developers, ("key",))
    db.executemany("update identities set developer_key = :developer_key, rule = :rule, evidence = :evidence,"
                   " is_bot = :is_bot where key = :key", assignments)


def _unique_slug(base: str, taken: set[str]) -> str:
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    taken.add(key)
    return key


def _choose_name(accs: Sequence[Account], commits: Counter[str]) -> str:
    for source in ("jira", "github"):
        names = sorted(a.display_name for a in accs if a.source == source and a.display_name.strip())
        if names:
            return normalize.name(names[0])
    gits = sorted((a for a in accs if a.source == "git" and a.name.strip()),
                  key=lambda a: (-commits[a.key], -_non_ascii(a.name), a.name))
    if gits:
        return normalize.name(gits[0].name)
    for a in sorted(accs, key=lambda a: a.key):
        if a.login or a.name or a.email or a.account_id:
            return a.login or a.name or a.email.split("@")[0] or a.account_id
    return "unknown"


def _non_ascii(value: str) -> int:
    return sum(1 for ch in value if ord(ch) > 127)


def _choose_email(accs: Sequence[Account], commits: Counter[str]) -> str:
    ranked = sorted((a for a in accs if normalize.email(a.email) and not normalize.noreply_login(a.email)),
                    key=lambda a: (-commits[a.key], a.email.lower()))
    return normalize.email(ranked[0].email) if ranked else ""
