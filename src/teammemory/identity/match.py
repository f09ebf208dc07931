"""Pure: group identities into people by named rules; every grouping keeps its rule and evidence.

Rules, applied in this order (the first that joins an identity to its group is the one recorded):
  same-email     two accounts share a (non-placeholder) email, in any system
  noreply-login  a git email `N+login@users.noreply.github.com` and the GitHub login `login`
  commit-login   the PR commits API names GitHub user L as the author of a commit whose git
                 author is E
  config-alias   an `[[identity.aliases]]` entry in teammemory.toml
  manual-merge   `teammemory identities merge A B`
`manual-split` takes an identity out of every automatic grouping. Fuzzy candidates (same name,
different emails) are never merged here; hygiene only suggests them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from teammemory.identity import normalize


@dataclass(frozen=True)
class Account:
    key: str
    source: str
    email: str
    name: str
    login: str
    account_id: str
    display_name: str


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    rule: str
    evidence: str


class Groups:
    """Union-find over identity keys; each key remembers the first edge that tied it to another."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}
        self.joined_by: dict[str, Edge] = {}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, edge: Edge) -> None:
        ra, rb = self.find(edge.a), self.find(edge.b)
        if ra == rb:
            return
        low, high = sorted((ra, rb))
        self.parent[high] = low
        for key in (edge.a, edge.b):
            self.joined_by.setdefault(key, edge)

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for key in sorted(self.parent):
            out.setdefault(self.find(key), []).append(key)
        return sorted(out.values())


def rule_edges(accounts: Sequence[Account], commit_logins: Sequence[tuple[str, str, str]]) -> list[Edge]:
    """Edges of the automatic rules. `commit_logins`: (git identity key, github identity key, evidence)."""
    edges: list[Edge] = []
    by_email: dict[str, list[Account]] = {}
    logins: dict[str, Account] = {}
    for acc in accounts:
        em = normalize.email(acc.email)
        if em and not normalize.noreply_login(em):
            by_email.setdefault(em, []).append(acc)
        if acc.source == "github" and acc.login:
            logins.setdefault(acc.login.lower(), acc)
    for em, accs in sorted(by_email.items()):
        first = accs[0]
        edges += [Edge(first.key, other.key, "same-email", f"same email {em}") for other in accs[1:]]
    for acc in accounts:
        login = normalize.noreply_login(acc.email)
        if login and login in logins:
            edges.append(Edge(logins[login].key, acc.key, "noreply-login",
                              f"GitHub noreply email {acc.email.lower()} is login {login}"))
        elif login and acc.source == "git":
            twins = [a for a in accounts if a.key != acc.key and normalize.noreply_login(a.email) == login]
            edges += [Edge(acc.key, t.key, "noreply-login", f"noreply emails of login {login}") for t in twins]
    edges += [Edge(gh, git, "commit-login", ev) for git, gh, ev in commit_logins]
    return edges


def alias_edges(accounts: Sequence[Account], aliases: Sequence[tuple[str, Sequence[str]]]) -> list[Edge]:
    """Edges from config aliases: identities written `email:..`, `login:..`, `jira:..`, `name:..`."""
    edges: list[Edge] = []
    for alias_name, specs in aliases:
        keys = sorted({acc.key for spec in specs for acc in accounts if matches(acc, spec)})
        edges += [Edge(keys[0], k, "config-alias", f"alias {alias_name or specs[0]} in teammemory.toml")
                  for k in keys[1:]]
    return edges


def matches(acc: Account, spec: str) -> bool:
    """Does account `acc` answer to `spec` ('email:x', 'login:x', 'jira:x', 'name:x', or a key)?"""
    kind, _, value = spec.partition(":")
    value = value.strip()
    if kind == "email":
        return normalize.email(acc.email) == value.lower()
    if kind == "login":
        return acc.source == "github" and acc.login.lower() == value.lower()
    if kind == "jira":
        return acc.source == "jira" and value in (acc.account_id, acc.login, acc.display_name)
    if kind == "name":
        return value in (normalize.name(acc.name), acc.display_name)
    return acc.key == spec


def group(accounts: Sequence[Account], edges: Sequence[Edge], split: set[str]) -> Groups:
    """Apply edges in order; identities in `split` stay alone except for manual merges."""
    groups = Groups(a.key for a in accounts)
    for edge in edges:
        if edge.a not in groups.parent or edge.b not in groups.parent:
            continue
        if (edge.a in split or edge.b in split) and edge.rule != "manual-merge":
            continue
        groups.union(edge)
    return groups
