"""Manual overrides as edges for identity.match.group: what `identities merge`, `split` and
`accept` recorded in `identity_overrides`, re-applied by every resolution (so they survive
re-ingestion).

Rows are applied in `seq` order:
  merge A B   every account that A or B names becomes one developer (rule `manual-merge`);
  accept A B  the same, recorded by `identities accept` from a suggestion;
  split A     the accounts A names leave every automatic grouping (rule `manual-split`) AND
              every earlier manual merge lets go of them; a later merge ties them again.
A and B are account keys (`identities merge` stores a developer key as the key of one of its
accounts) or specs (`email:`, `login:`, `jira:`, `name:`), matched as identity.match.matches does,
so an account that arrives later and answers to a spec joins too. Account keys are looked up
directly (most rows hold them), so a thousand overrides cost no more than a dict lookup each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from teammemory.identity.match import Account, Edge, matches
from teammemory.store import Reader

EVIDENCE = {"merge": "teammemory identities merge {a} {b}", "accept": "accepted suggestion: {a} + {b}"}


@dataclass(frozen=True)
class Overrides:
    merges: tuple[Edge, ...]
    split: Mapping[str, str]  # manually split account key -> the command that split it


@dataclass(frozen=True)
class OverrideRow:
    seq: int
    action: str  # merge | accept | split
    a: str
    b: str


class Lookup:
    """The account keys a key or spec names, in key order; each spec is matched once."""

    def __init__(self, accounts: Sequence[Account]) -> None:
        self.accounts = sorted(accounts, key=lambda a: a.key)
        self.keys = {a.key for a in accounts}
        self.cache: dict[str, list[str]] = {}

    def __call__(self, spec: str) -> list[str]:
        if spec in self.keys:
            return [spec]
        if spec not in self.cache:
            self.cache[spec] = [a.key for a in self.accounts if matches(a, spec)]
        return self.cache[spec]


def read_overrides(db: Reader, accounts: Sequence[Account]) -> Overrides:
    rows = [OverrideRow(int(r["seq"]), str(r["action"]), str(r["a"]), str(r["b"] or ""))
            for r in db.all("select seq, action, a, b from identity_overrides order by seq")]
    return apply_overrides(rows, Lookup(accounts))


def apply_overrides(rows: Sequence[OverrideRow], lookup: Lookup) -> Overrides:
    """Pure: the manual-merge edges and the split accounts of `rows` (see the module docstring)."""
    merges: list[tuple[str, list[str]]] = []  # (evidence, member accounts)
    split: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r.seq):
        if row.action == "split":
            gone = set(lookup(row.a))
            merges = [(ev, [k for k in members if k not in gone]) for ev, members in merges]
            split.update((k, f"teammemory identities split {row.a}") for k in sorted(gone))
            continue
        members = list(dict.fromkeys(lookup(row.a) + lookup(row.b)))
        evidence = EVIDENCE.get(row.action, EVIDENCE["merge"]).format(a=row.a, b=row.b)
        merges.append((evidence, members))
    edges = tuple(Edge(members[0], other, "manual-merge", ev) for ev, members in merges for other in members[1:])
    return Overrides(edges, split)
