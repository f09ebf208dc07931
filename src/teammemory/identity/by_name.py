"""Pure: the rules that compare names, run after the rules of identity/match.py on the groups
those made. They join whole groups, never when two of the groups conflict (identity/conflict.py:
two GitHub logins, two Jira accounts, a manual split); `[identity] match_names = false` turns
them all off. In this order, each over keys visited in sorted order (so reading order never
matters):

1. Full names (identity/names.py makes them comparable): every group carrying one name key
   becomes one developer, unless two of them conflict or two different middle initials appear
   ('Ivan B. Kelly', 'Ivan C. Kelly'): then the name is ambiguous and joins nobody. The rule
   recorded is the joined account's kind:
     same-name    a git account with an email, e.g. 'Sijie Guo <sijieg@twitter.com>'
     name-only    an account with no email: a trailer 'Reviewers: Sijie Guo' or '<None>'
     jira-name    a Jira account by its display name
     github-name  a GitHub account by its profile name
2. same-local-part: one email local part of 6+ characters at two domains
   ('massakam@yahoo-corp.jp', 'massakam@lycorp.co.jp') that is the handle of one of them (its
   login-like name, or its full name written as one word), unless generic ('support', 'info'),
   a noreply address, or a word of the account's own name ('michael@a.org' of Michael Marshall).
3. login-name: one-word names and local parts that are another developer's handle
   (identity/login_name.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet

from teammemory.identity import login_name, names
from teammemory.identity.joiner import Facts, Joiner, facts_of, join_bucket
from teammemory.identity.match import Account, Groups


def merge_by_name(groups: Groups, accounts: Sequence[Account], split: AbstractSet[str],
                  stoplist: Collection[str]) -> None:
    """The rules of the module docstring, in its order, on `groups` (changed in place)."""
    stop = frozenset(names.fold(w).strip() for w in stoplist)
    joiner = Joiner(groups, accounts, split)
    facts = sorted((facts_of(a, stop) for a in accounts), key=lambda f: (not f.email, f.key))
    buckets: dict[str, list[Facts]] = {}
    for f in facts:
        if f.person is not None:
            buckets.setdefault(f.person.key, []).append(f)
    for key in sorted(buckets):
        if len({f.person.initials for f in buckets[key] if f.person} - {""}) < 2:
            join_bucket(joiner, buckets[key], f"same name {key!r}")
    _merge_by_local_part(joiner, facts)
    login_name.merge(joiner, facts)


def _merge_by_local_part(joiner: Joiner, facts: Sequence[Facts]) -> None:
    buckets: dict[str, list[Facts]] = {}
    for f in facts:
        if len(f.local) >= 6:
            buckets.setdefault(f.local, []).append(f)
    for local in sorted(buckets):
        members = buckets[local]
        if len({f.email for f in members}) > 1 and _names_it(members, local):
            join_bucket(joiner, members, f"same email local part {local!r}", "same-local-part")


def _names_it(members: Sequence[Facts], local: str) -> bool:
    """Is `local` a handle of one of the `members`: its login-like name, or its full name written
    as one word? ('lushiji' of 'lushiji <lushiji@...>', 'marc.schlaich' of Marc Schlaich.) A local
    part nobody is named by ('github.com@daybarr.com', 'github.com@zopatista.com') is an alias of
    a service, not a person."""
    word = names.squash(local)
    return any(word == f.handle or (f.person and word in names.spellings(f.person.key)) for f in members)
