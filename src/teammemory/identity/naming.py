"""How a group of accounts becomes a developer row: its name, email, bot flag and key.

The name is, in order: a Jira display name, a GitHub display name, the git name with the most
commits, a login. The key is a readable slug of the name ('ayse-demir'; 'ali-ahmed-2' for the
second Ali Ahmed), and it is STABLE: people are re-resolved on every ingest, and a developer's
key must not move because someone else was merged or split (a script written from a listing
would hit the wrong person). So `assign_keys` starts from the key each account had before:

1. a group keeps a key its accounts had, as long as the key still reads as the group's name
   (its slug, or the slug plus '-N');
2. a merge (one group, several old keys) keeps the key most of its accounts had; on a tie the
   smaller key ('jane-doe' before 'jane-doe-2', '-2' before '-10');
3. a split (several groups claiming one old key) leaves the key with the part that holds no
   manually split account, then with the part holding most of the key's accounts, then with
   the part whose first account key is smallest; every other part gets a new key;
4. groups left without a key (new people, split-off parts, renamed people) take their slug
   with the smallest free suffix, in (slug, first account key) order.
On a fresh store no account has a key yet, so every group goes through step 4: keys are those
of a plain sorted numbering ('name', 'name-2', ...), whatever the history of the store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet

from teammemory.config import Config
from teammemory.identity import normalize
from teammemory.identity.match import Account, Groups
from teammemory.store import Writer
from teammemory.store.write import upsert

KeyedGroup = tuple[str, Sequence[str]]  # (slug of the group's name, its account keys, sorted)


def write_people(db: Writer, accounts: Sequence[Account], groups: Groups, config: Config,
                 commits: Counter[str], split: Mapping[str, str] | None = None) -> None:
    """Make `developers` and every account's developer_key/rule/evidence/is_bot those of `groups`.

    `split` maps each manually split account to the command that split it (its rule is
    'manual-split' unless a later manual merge tied it again). Only rows that change are
    written: a merge touches a few rows, not every developer of the store."""
    split = split or {}
    by_key = {a.key: a for a in accounts}
    placed = {str(r["key"]): r for r in db.all("select key, developer_key, rule, evidence, is_bot from identities")}
    previous = {k: str(r["developer_key"]) for k, r in placed.items() if r["developer_key"] is not None}
    named = [(_choose_name([by_key[k] for k in keys], commits), keys) for keys in groups.groups()]
    dev_keys = assign_keys([(normalize.slug(name), keys) for name, keys in named], previous, split.keys())
    bots = {a.key: _bot(config, a) for a in accounts}  # once each: the bot globs are the slow part
    developers: list[dict[str, object]] = []
    assignments: list[dict[str, object]] = []
    for key, (name, keys) in zip(dev_keys, named, strict=True):
        accs = [by_key[k] for k in keys]
        developers.append({"key": key, "name": name, "email": _choose_email(accs, commits),
                           "is_bot": int(any(bots[k] for k in keys))})
        for acc in accs:
            rule, evidence = _why(acc.key, groups, split)
            assignments.append({"key": acc.key, "developer_key": key, "rule": rule, "evidence": evidence,
                                "is_bot": int(bots[acc.key])})
    _write_changes(db, developers, [a for a in assignments if _changed(a, placed.get(str(a["key"])))])


def _changed(new: Mapping[str, object], old: Mapping[str, object] | None) -> bool:
    return old is None or any(new[c] != old[c] for c in ("developer_key", "rule", "evidence", "is_bot"))


def _write_changes(db: Writer, developers: Sequence[dict[str, object]], assignments: Sequence[dict[str, object]]
                   ) -> None:
    """Delete the developers that are gone, upsert the new and changed ones, re-point accounts."""
    old = {str(r["key"]): r for r in db.all("select key, name, email, is_bot from developers")}
    keep = {str(d["key"]) for d in developers}
    db.executemany("delete from developers where key = :key", [{"key": k} for k in sorted(set(old) - keep)])
    fresh = [d for d in developers if str(d["key"]) not in old
             or any(d[c] != old[str(d["key"])][c] for c in ("name", "email", "is_bot"))]
    upsert(db, "developers", sorted(fresh, key=lambda d: str(d["key"])), ("key",))
    db.executemany("update identities set developer_key = :developer_key, rule = :rule, evidence = :evidence,"
                   " is_bot = :is_bot where key = :key", assignments)


def assign_keys(groups: Sequence[KeyedGroup], previous: Mapping[str, str],
                split: AbstractSet[str] = frozenset()) -> list[str]:
    """Pure: one developer key per group (in the order given), by the four steps of the module
    docstring. `previous`: account key -> the developer key it had; `split`: manually split
    accounts."""
    claims = []
    for i, (base, keys) in enumerate(groups):
        held = Counter(previous[k] for k in keys if k in previous)
        off = any(k in split for k in keys)
        claims += [(off, -n, suffix, keys[0], i, key) for key, n in held.items()
                   if (suffix := key_suffix(key, base))]
    out: list[str] = [""] * len(groups)
    taken: set[str] = set()
    for *_, i, key in sorted(claims):
        if not out[i] and key not in taken:
            out[i] = key
            taken.add(key)
    for i in sorted(range(len(groups)), key=lambda i: (groups[i][0], groups[i][1][0])):
        if not out[i]:
            out[i] = _unique_slug(groups[i][0], taken)
    return out


def key_suffix(key: str, base: str) -> int:
    """1 for `base` itself, N for `base-N` (N >= 2), 0 when `key` does not read as `base`."""
    if key == base:
        return 1
    head, _, tail = key.rpartition("-")
    return int(tail) if head == base and tail.isdigit() and not tail.startswith("0") and int(tail) >= 2 else 0


def _unique_slug(base: str, taken: set[str]) -> str:
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    taken.add(key)
    return key


def _why(key: str, groups: Groups, split: Mapping[str, str]) -> tuple[str, str]:
    """(rule, evidence) for one account: the edge that joined it, else its split, else alone."""
    edge = groups.joined_by.get(key)
    if edge:
        return edge.rule, edge.evidence
    if key in split:
        return "manual-split", split[key]
    return "single", "no other account matched"


def _bot(config: Config, acc: Account) -> bool:
    return normalize.is_bot(config.bots, acc.login, acc.name, acc.email, acc.display_name)


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
