"""Pure: when two groups of accounts must not become one developer, whatever their names say.

The name rules (identity/by_name.py) join whole groups; before a join every pair of groups in it
is checked here, and a conflicting pair stops the whole join (a name two people carry belongs to
neither). What counts as a conflict is what the data can show soundly:
  two GitHub logins  both groups hold a GitHub login (a github account, or a noreply email) and
                     they share none, nor a noreply user id (a renamed login): a GitHub account
                     is one person's (someone with two accounts stays two developers: a miss,
                     never a false merge)
  two Jira accounts  both groups hold Jira accounts (account id, else name) and share none
  a manual split     a group holding an account that `identities split` took out joins nothing
                     by name, so no name rule can put back what a person separated
Git alone shows nothing sound. On Apache BookKeeper the same person, under the same name, is
author and trailer reviewer of one commit (7 self-reviews by one account), author and co-author
of one squash merge under two emails (GitHub lists every commit email: 20+ such commits), and
reviewer twice on one commit (two `Reviewers:` lines, one with the email mangled); so none of
these is taken as a sign of two people.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from teammemory.identity import normalize
from teammemory.identity.match import Account


@dataclass(frozen=True)
class Marks:
    """What a group holds that only one person can: GitHub logins, Jira accounts, a split."""

    logins: frozenset[str] = frozenset()
    jira: frozenset[str] = frozenset()
    split: bool = False
    github_ids: frozenset[str] = frozenset()  # user ids of noreply emails: one user, renamed logins

    def __or__(self, other: Marks) -> Marks:
        return Marks(self.logins | other.logins, self.jira | other.jira, self.split or other.split,
                     self.github_ids | other.github_ids)


def marks_of(accounts: Iterable[Account], split: AbstractSet[str]) -> Marks:
    logins: set[str] = set()
    jira: set[str] = set()
    ids: set[str] = set()
    cut = False
    for acc in accounts:
        if acc.source == "github" and acc.login:
            logins.add(acc.login.strip().lower())
        if normalize.noreply_login(acc.email):
            logins.add(normalize.noreply_login(acc.email))
            ids.add(normalize.noreply_id(acc.email))
        if acc.source == "jira" and (acc.account_id or acc.login):
            jira.add(acc.account_id.strip() or acc.login.strip().lower())
        cut = cut or acc.key in split
    return Marks(frozenset(logins), frozenset(jira), cut, frozenset(ids - {""}))


def conflict(a: Marks, b: Marks) -> str:
    """Why groups marked `a` and `b` are two people ('' when nothing says so)."""
    if a.split or b.split:
        return "an account was split off by hand"
    if a.logins and b.logins and not a.logins & b.logins and not a.github_ids & b.github_ids:
        return f"two GitHub logins ({', '.join(sorted(a.logins | b.logins))})"
    if a.jira and b.jira and not a.jira & b.jira:
        return f"two Jira accounts ({', '.join(sorted(a.jira | b.jira))})"
    return ""
