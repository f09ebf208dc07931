"""Pure: the login-name rule, the last of identity/by_name.py's rules: a one-word name or an
email local part that is another developer's handle joins that developer.

The handles a developer owns, by kind:
  login     a GitHub login: a github account's, or a noreply email's
  local     an email local part that can tell a person (joiner.distinctive_local_part)
  name      a one-word name ('StevenLuMT', 'Arvin')
  spelling  a full name written as one word: 'ivankelly' (and 'kellyivan' for two words, as
            Chinese names are written both ways), first + last word of a longer name, and
            initial + last ('dmercuriali' for Dennis Mercuriali)
What an account may claim with:
  a login-like name ('ivankelly', 'eolivelli', 'StevenLuMT'; names.handle)   every kind
  any other one-word name ('Arvin', 'Anonymitaet')   a GitHub login; and, when the account has
      no email (a trailer 'Reviewers: Arvin'), the one developer with that one-word name
  an email local part ('rithin.shetty@...', 'dcastor@...'), also without trailing digits
      ('abhinav.sagar2016@...')   a spelling ('Rithin Shetty', 'Dustin Castor', 'Abhinav Sagar')
A claim joins only when all of an account's claims find exactly one other developer; two or
more is an ambiguous name and joins nobody. A word that the account's own developer spells
with its own name claims nothing ('akasurde@redhat.com' of Abhijeet Kasurde is not Aayush
Kasurde's initial + last name). Before any claim, accounts that carry one login-like
name join each other (as same full names do). Owners are counted on the groups as the claims
begin, and the joins are made in account-key order, each under the conflict guard.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from teammemory.identity import names, normalize
from teammemory.identity.joiner import Facts, Joiner, join_bucket
from teammemory.identity.match import Edge

Owners = dict[tuple[str, str], dict[str, tuple[str, str]]]  # (kind, word) -> group root -> (account, how)
Ask = tuple[str, str, Sequence[str]]  # (what is asked, the word, the kinds of handle it may match)
EVERY_KIND = ("login", "local", "name", "spelling")


def merge(joiner: Joiner, facts: Sequence[Facts], logins: Mapping[str, tuple[str, str]] | None = None) -> None:
    """Apply the rule to `joiner`'s groups; `facts` in the name rules' order; `logins`: git account
    -> (GitHub login, how) that identity/merge_login.py proved it owns."""
    same: dict[str, list[Facts]] = {}
    for f in facts:
        if f.handle:
            same.setdefault(f.handle, []).append(f)
    for word in sorted(same):
        join_bucket(joiner, same[word], f"same login-like name {word!r}", "login-name")
    asks = {f.key: list(_asks(f)) for f in facts}
    wanted = {word for ask in asks.values() for _, word, _ in ask}  # owners of other words matter not
    owners: Owners = {}
    for f in facts:
        if not joiner.split(f.key):
            root = joiner.root(f.key)
            for kind, word, how in _owned(f, (logins or {}).get(f.key)):
                if word in wanted:
                    owners.setdefault((kind, word), {}).setdefault(root, (f.key, how))
    claims = [edge for f in sorted(facts, key=lambda f: f.key) for edge in _claim(joiner, f, asks[f.key], owners)]
    for edge in claims:
        joiner.join([edge])


def _owned(f: Facts, proved: tuple[str, str] | None = None) -> Iterator[tuple[str, str, str]]:
    """(kind, word, how the account owns it) for every handle of one account."""
    acc = f.acc
    if proved is not None:
        yield "login", names.squash(proved[0]), f"{f.label}'s {proved[1]}"
    if acc.source == "github" and acc.login:
        yield "login", names.squash(acc.login), f"the GitHub login @{acc.login}"
    login = normalize.noreply_login(acc.email)
    if login:
        yield "login", names.squash(login), f"the GitHub login of {acc.email.lower()}"
    if f.local:
        yield "local", names.squash(f.local), f"the local part of {f.email}"
    if f.word:
        yield "name", f.word, f"the name of {f.label}"
    if f.person is not None:
        for spelling in names.spellings(f.person.key):
            yield "spelling", spelling, f"{f.label}'s name written as one word"


def _claim(joiner: Joiner, f: Facts, asks: Sequence[Ask], owners: Owners) -> list[Edge]:
    """The edge an account claims: to the one other developer owning what it asks for, else none."""
    if not asks or joiner.split(f.key):
        return []
    own = joiner.root(f.key)
    found: dict[str, tuple[str, str, str]] = {}  # root -> (account, how, what asked)
    for asked, word, kinds in asks:
        if own in owners.get(("spelling", word), {}):
            continue  # its own name explains the word: 'akasurde' of Abhijeet Kasurde is not Aayush's
        for kind in kinds:
            for root, (key, how) in owners.get((kind, word), {}).items():
                if root != own:
                    found.setdefault(root, (key, how, asked))
    if len(found) != 1:
        return []
    key, how, asked = next(iter(found.values()))
    return [Edge(key, f.key, "login-name", f"{asked} is {how}")]


def _asks(f: Facts) -> Iterator[Ask]:
    """(what is asked, the word, the kinds of handle it may match) for one account."""
    if f.handle:
        yield f"name {f.shown!r}", f.handle, EVERY_KIND
    elif f.word and len(f.shown.strip()) >= 4:
        yield f"name {f.shown!r}", f.word, ("login",) if f.email else ("login", "name")
    local = names.squash(f.local)
    if local:
        asked = f"the local part of {f.email}"
        yield asked, local, ("spelling",)
        bare = local.rstrip("0123456789")
        if bare != local and len(bare) >= 6:  # 'abhinav.sagar2016': a year or a number appended
            yield asked, bare, ("spelling",)
