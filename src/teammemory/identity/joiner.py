"""Pure: what the name rules (identity/by_name.py, identity/login_name.py) share: what they
read of each account (Facts, computed once per resolution), and joining whole groups under the
conflict guard of identity/conflict.py."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import combinations

from teammemory.identity import names, normalize
from teammemory.identity.conflict import Marks, conflict, marks_of
from teammemory.identity.match import Account, Edge, Groups

GENERIC_LOCAL_PARTS = frozenset({
    "me", "mail", "email", "info", "contact", "hello", "hi", "hey", "github", "gitlab", "git", "code", "dev",
    "admin", "root", "user", "noreply", "no-reply", "support", "opensource", "oss", "public", "private",
    "personal", "work", "web", "www", "office", "team", "list", "lists", "test", "nobody", "foss"})


@dataclass(frozen=True)
class Facts:
    """One account as the name rules read it."""

    key: str
    acc: Account
    email: str                      # normalize.email: '' for none, a placeholder or no email at all
    shown: str                      # the name it goes by: a git name; a GitHub or Jira display name
    person: names.PersonName | None  # its full name made comparable, if it has one
    handle: str                     # its name as a login-like word ('ivankelly'), else ''
    word: str                       # its name as any one word ('arvin'), else ''
    local: str                      # its email's distinctive local part, else ''

    @property
    def label(self) -> str:
        """How it reads in evidence: 'Sijie Guo <sijie@apache.org>', 'Sijie Guo (no email)',
        'GitHub @sijie (Sijie Guo)', 'Jira 5b10a (Sijie Guo)'."""
        acc = self.acc
        if acc.source == "git":
            return f"{acc.name} <{self.email}>" if self.email else f"{acc.name} (no email)"
        who = f"GitHub @{acc.login}" if acc.source == "github" else f"Jira {acc.account_id or acc.login or self.email}"
        return f"{who} ({acc.display_name})" if acc.display_name else who


def facts_of(acc: Account, stop: frozenset[str]) -> Facts:
    shown = acc.name if acc.source == "git" else acc.display_name
    person = names.full_name(shown, stop)
    return Facts(acc.key, acc, normalize.email(acc.email), shown, person, names.handle(shown, stop),
                 names.one_word(shown, stop), _distinctive_local_part(acc.email, person, stop))


def _distinctive_local_part(email: str, person: names.PersonName | None, stop: frozenset[str]) -> str:
    """An email's local part that can tell a person: 4+ characters, not generic, not a noreply
    address, not a word of the account's own name ('michael@...' of Michael Marshall)."""
    local = normalize.local_part(email)
    own_words = person.key.split() if person else []
    if (len(local) < 4 or normalize.noreply_login(email) or local in GENERIC_LOCAL_PARTS or local in stop
            or names.squash(local) in own_words):
        return ""
    return local


class Joiner:
    """Joins groups of `groups` unless two of them conflict; knows each group's Marks."""

    def __init__(self, groups: Groups, accounts: Sequence[Account], split: AbstractSet[str]) -> None:
        self.groups = groups
        self.by_key = {a.key: a for a in accounts}
        self.split_keys = split
        self.members = {groups.find(keys[0]): keys for keys in groups.groups()}
        self.marks: dict[str, Marks] = {}
        # groups holding a split account never join by name, so their roots never change
        self.split_roots = {groups.find(k) for k in split if k in self.by_key}

    def root(self, key: str) -> str:
        return self.groups.find(key)

    def marks_of(self, root: str) -> Marks:
        if root not in self.marks:
            self.marks[root] = marks_of((self.by_key[k] for k in self.members[root]), self.split_keys)
        return self.marks[root]

    def split(self, key: str) -> bool:
        """Does the group of account `key` hold a manually split account?"""
        return bool(self.split_roots) and self.root(key) in self.split_roots

    def join(self, edges: Sequence[Edge]) -> bool:
        """Apply all `edges` or none: none when two of the groups they touch conflict."""
        roots = sorted({self.root(k) for e in edges for k in (e.a, e.b)})
        marks = [self.marks_of(r) for r in roots]
        if len(roots) < 2 or any(conflict(x, y) for x, y in combinations(marks, 2)):
            return False
        joined, members = Marks(), []
        for root, mark in zip(roots, marks, strict=True):
            joined = joined | mark
            members += self.members.pop(root)
            self.marks.pop(root)
        for edge in edges:
            self.groups.union(edge)
        self.marks[self.root(roots[0])] = joined
        self.members[self.root(roots[0])] = members
        return True


def join_bucket(joiner: Joiner, members: Sequence[Facts], why: str, rule: str = "") -> bool:
    """Join the groups of `members` (anchor: the first) by edges that say `why`; a group holding
    a manually split account takes no part."""
    first: dict[str, Facts] = {}
    for f in members:
        if not joiner.split(f.key):
            first.setdefault(joiner.root(f.key), f)
    if len(first) < 2:
        return False
    anchor = next(iter(first.values()))
    edges = [Edge(anchor.key, f.key, rule or name_rule(f), f"{why}: {anchor.label} and {f.label}")
             for root, f in first.items() if root != joiner.root(anchor.key)]
    return joiner.join(edges)


def name_rule(f: Facts) -> str:
    """The rule a full name joins an account by: its kind (docs/identities.md)."""
    if f.acc.source in ("jira", "github"):
        return f"{f.acc.source}-name"
    return "same-name" if f.email else "name-only"
