"""Read accounts, apply the rules of identity.match plus config aliases and manual overrides,
and write `developers` and `identities.developer_key/rule/evidence`. Runs inside ingestion's
transaction (derive.refresh), so people are always consistent with the data.

How each developer is named and keyed is identity/naming.py's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from teammemory.config import Config
from teammemory.identity.match import Account, Edge, alias_edges, group, matches, rule_edges
from teammemory.identity.naming import write_people
from teammemory.store import Reader, Writer


def resolve(db: Writer, config: Config) -> int:
    """Recompute every developer from the accounts; returns how many developers there are."""
    accounts = [Account(**r) for r in db.all(
        "select key, source, email, name, login, account_id, display_name from identities order by key")]
    if not accounts:
        db.execute("delete from developers")
        return 0
    merges, split = _overrides(db, accounts)
    edges = rule_edges(accounts, _commit_logins(db))
    edges += alias_edges(accounts, [(a.name, a.identities) for a in config.aliases]) + merges
    groups = group(accounts, edges, split)
    write_people(db, accounts, groups, config, _commit_counts(db))
    return len(groups.groups())


def _commit_logins(db: Reader) -> list[tuple[str, str, str]]:
    """(git author identity, GitHub identity, evidence) from the PR commits API pairings."""
    rows = db.all("select distinct c.author_key as git, p.identity_key as gh, p.evidence as evidence"
                  " from commit_people p join commits c on c.hash = p.hash"
                  " where p.role = 'github-author'")
    return sorted((r["git"], r["gh"], f"{r['evidence']} names the author of the commit") for r in rows)


def _commit_counts(db: Reader) -> Counter[str]:
    rows = db.all("select author_key as k, count(*) as n from commits group by author_key")
    return Counter({r["k"]: int(r["n"]) for r in rows})


def _overrides(db: Reader, accounts: Sequence[Account]) -> tuple[list[Edge], set[str]]:
    """Manual merges (A B) and splits (A) in the order they were made; A/B are keys or specs."""
    merges: list[Edge] = []
    split: set[str] = set()
    for row in db.all("select seq, action, a, b from identity_overrides order by seq"):
        left = [acc.key for acc in accounts if matches(acc, row["a"])]
        if row["action"] == "split":
            split.update(left)
            continue
        right = [acc.key for acc in accounts if matches(acc, row["b"])]
        merges += [Edge(x, y, "manual-merge", f"teammemory identities merge {row['a']} {row['b']}")
                   for x in left[:1] for y in left[1:] + right]
    return merges, split
