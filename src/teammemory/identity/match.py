"""Pure: group identities into people by named rules; every grouping keeps its rule and evidence.

The rules that need no name, strongest first (RULES is the order; `group` applies edges in it):
  same-email        two accounts share a real email, in any system (case folded)
  mangled-email     an email written without its '@' ('sijieapache.org', 'sijie.apache.org', as
                    merge scripts and web forms mangle them) and the one real email it spells
  noreply-login     a git email `N+login@users.noreply.github.com` and the GitHub login `login`
                    (or two noreply emails of one login, or of one user id N under two logins:
                    GitHub keeps the id when a login is renamed)
  commit-login      the PR commits API names GitHub user L as the author of a commit whose git
                    author is E
  login-local-part  a PR by GitHub user L holds a commit by E, and E's local part is L
                    ('jdoe' and jdoe@company.com; '.', '_', '-' ignored)
  merge-login       a `Merge pull request #N from L/branch` commit whose branch one git account
                    wrote ties that account to login L (identity/merge_login.py)
  config-alias      an `[[identity.aliases]]` entry in teammemory.toml
  manual-merge      `teammemory identities merge A B` (identity/overrides.py)
then the name rules of identity/by_name.py (same-name, name-only, jira-name, github-name,
same-local-part, self-commit, closes-login, commit-handle, repeat-co-author, login-name),
which join whole groups and refuse joins that conflict
(identity/conflict.py). `manual-split` takes an identity out of every automatic rule.

Which edge an account records: the edges that joined groups form a tree over each developer;
rooted at the smaller end of its first (strongest) edge, every account records the edge that
reached it from the root, and the root that first edge. So every join is recorded exactly once,
whatever order the edges came in (the old "first edge of each account" lost the join of two
groups of two).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from teammemory.identity import names, normalize

RULES = ("same-email", "mangled-email", "noreply-login", "commit-login", "login-local-part", "merge-login",
         "config-alias",
         "manual-merge", "same-name", "name-only", "jira-name", "github-name", "same-local-part", "self-commit",
         "closes-login", "commit-handle", "repeat-co-author", "login-name")
RANK = {rule: i for i, rule in enumerate(RULES)}


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
    """Union-find over identity keys; the edges that joined two groups are kept as a tree."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}
        self.tree: list[Edge] = []
        self._joined: dict[str, Edge] | None = None

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, edge: Edge) -> bool:
        """Join the groups of edge.a and edge.b; False when they were one group already."""
        ra, rb = self.find(edge.a), self.find(edge.b)
        if ra == rb:
            return False
        low, high = sorted((ra, rb))
        self.parent[high] = low
        self.tree.append(edge)
        self._joined = None
        return True

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for key in sorted(self.parent):
            out.setdefault(self.find(key), []).append(key)
        return sorted(out.values())

    @property
    def joined_by(self) -> dict[str, Edge]:
        """Account key -> the edge that tied it to its developer (see the module docstring)."""
        if self._joined is None:
            self._joined = _orient(self.tree, self.groups())
        return self._joined


def _orient(tree: Sequence[Edge], groups: Sequence[Sequence[str]]) -> dict[str, Edge]:
    """Root each group's tree at the smaller end of its first (strongest) edge; the root records
    that edge, every other account the edge on its way to the root."""
    near: dict[str, list[Edge]] = {}
    first: dict[str, int] = {}
    for i, edge in enumerate(tree):
        for key in (edge.a, edge.b):
            near.setdefault(key, []).append(edge)
            first.setdefault(key, i)
    joined: dict[str, Edge] = {}
    for keys in groups:
        if len(keys) < 2:
            continue
        start = tree[min(first[k] for k in keys)]
        root = min(start.a, start.b)
        joined[root] = start
        queue = [root]
        for key in queue:
            for edge in near[key]:
                other = edge.b if edge.a == key else edge.a
                if other not in joined:
                    joined[other] = edge
                    queue.append(other)
    return joined


def rule_edges(accounts: Sequence[Account], commit_logins: Sequence[tuple[str, str, str]],
               pr_logins: Sequence[tuple[str, str, str, str, str]] = ()) -> list[Edge]:
    """Edges of the rules above config-alias. `commit_logins`: (git identity key, GitHub identity
    key, evidence); `pr_logins`: (GitHub identity key, login, git identity key, git email, where)."""
    accounts = sorted(accounts, key=lambda a: a.key)
    by_email: dict[str, list[Account]] = {}
    for acc in accounts:
        em = normalize.email(acc.email)
        if em and not normalize.noreply_login(em):
            by_email.setdefault(em, []).append(acc)
    edges: list[Edge] = []
    for em, accs in sorted(by_email.items()):
        edges += [Edge(accs[0].key, other.key, "same-email", f"same email {em}") for other in accs[1:]]
    edges += _mangled(accounts, by_email) + _noreply(accounts)
    edges += [Edge(gh, git, "commit-login", ev) for git, gh, ev in commit_logins]
    edges += [Edge(gh, git, "login-local-part", f"{where} by @{login} holds commits by {email}")
              for gh, login, git, email, where in pr_logins
              if names.squash(normalize.local_part(email)) == names.squash(login)]
    return edges


def _mangled(accounts: Sequence[Account], by_email: dict[str, list[Account]]) -> list[Edge]:
    """An email without '@' ties to the one real email whose '@' was dropped or made a dot."""
    spelled: dict[str, set[str]] = {}
    for em in by_email:
        for form in normalize.mangled_forms(em):
            spelled.setdefault(form, set()).add(em)
    edges = []
    for acc in accounts:
        value = acc.email.strip().lower()
        real = spelled.get(value, set()) if normalize.is_mangled(value) else set()
        if len(real) == 1:
            em = next(iter(real))
            why = f"email {value} is {em} with its '@' lost"
            edges.append(Edge(by_email[em][0].key, acc.key, "mangled-email", why))
    return edges


def _noreply(accounts: Sequence[Account]) -> list[Edge]:
    """A noreply email and the GitHub account of its login; noreply emails of one login; noreply
    emails of one GitHub user id under two logins (the id stays when a login is renamed)."""
    logins: dict[str, Account] = {}
    by_login: dict[str, list[Account]] = {}
    by_id: dict[str, list[Account]] = {}
    for acc in accounts:
        if acc.source == "github" and acc.login:
            logins.setdefault(acc.login.lower(), acc)
        login, user = normalize.noreply_login(acc.email), normalize.noreply_id(acc.email)
        if login:
            by_login.setdefault(login, []).append(acc)
        if user:
            by_id.setdefault(user, []).append(acc)
    edges = []
    for login, accs in sorted(by_login.items()):
        gh = logins.get(login)
        if gh:
            edges += [Edge(gh.key, a.key, "noreply-login", f"GitHub noreply email {a.email.lower()} is login {login}")
                      for a in accs if a.key != gh.key]
        else:
            edges += [Edge(accs[0].key, a.key, "noreply-login", f"noreply emails of login {login}") for a in accs[1:]]
    for user, accs in sorted(by_id.items()):
        edges += [Edge(accs[0].key, a.key, "noreply-login", f"noreply emails of GitHub user {user}: "
                       f"{accs[0].email.lower()}, {a.email.lower()}") for a in accs[1:]
                  if normalize.noreply_login(a.email) != normalize.noreply_login(accs[0].email)]
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
    if spec == acc.key:  # first: a Jira account key 'jira:3f2a..' is not a 'jira:' spec
        return True
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
    """Apply edges strongest rule first (then by key, so their order never matters); identities
    in `split` stay alone except for manual merges."""
    groups = Groups(a.key for a in accounts)
    for edge in sorted(edges, key=lambda e: (RANK.get(e.rule, len(RANK)), e.a, e.b, e.evidence)):
        if edge.a not in groups.parent or edge.b not in groups.parent:
            continue
        if (edge.a in split or edge.b in split) and edge.rule != "manual-merge":
            continue
        groups.union(edge)
    return groups
