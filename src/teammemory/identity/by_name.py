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
3. self-commit: a commit's author and its committer, or its author and a `Co-authored-by:`
   co-author, are two git accounts (both with an email) under one name (after case and
   accents; for a co-author also a one-word name that is the first word of the other's full
   name), not a placeholder: one person whose commit was amended or rebased under another
   email config ('Max <maxim.suraev@here.com>' authored, 'Max <msuraev@sysmocom.de>' committed
   Flask's de01dfb7), or whose branch commits GitHub's squash merge lists as co-authors
   ('Sarthak <sarthak@MacBook.local>' on Sarthak Vineet Kumar's 577eec19). The commit is the
   proof beyond the name that a one-word name needs (a maintainer committing someone else's
   patch carries their own name, not the author's).
4. closes-login, commit-handle, repeat-co-author: what a merge script's `This closes #N from
   L/branch`, a commit's handles and repeated co-authorship prove (identity/commit_proof.py).
5. login-name: one-word names and local parts that are another developer's handle
   (identity/login_name.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from collections.abc import Set as AbstractSet

from teammemory.identity import commit_proof, login_name, names
from teammemory.identity.joiner import Facts, Joiner, facts_of, join_bucket
from teammemory.identity.match import Account, Groups


def merge_by_name(groups: Groups, accounts: Sequence[Account], split: AbstractSet[str],
                  stoplist: Collection[str], logins: Mapping[str, tuple[str, str]] | None = None,
                  commits: Sequence[tuple[str, str, str, str]] = (), proof: commit_proof.Proof | None = None) -> None:
    """The rules of the module docstring, in its order, on `groups` (changed in place); `logins`:
    the GitHub logins identity/merge_login.py proved git accounts own (login-name reads them);
    `commits`: (author account, committer or co-author account, 'committer' | 'co-author', hash)
    of commits where the two differ; `proof`: what else commits say (identity/commit_proof.py;
    None: `commits` alone)."""
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
    by_key = {f.key: f for f in facts}
    _merge_self_commits(joiner, by_key, commits, stop)
    commit_proof.merge(joiner, by_key, proof or commit_proof.Proof(pairs=commits), stop)
    login_name.merge(joiner, facts, logins)


def _merge_self_commits(joiner: Joiner, facts: Mapping[str, Facts], commits: Sequence[tuple[str, str, str, str]],
                        stop: frozenset[str]) -> None:
    """Rule 3: each author/committer or author/co-author pair under one name joins, by the first
    commit (by hash) that shows it."""
    for author, other, role, sha in sorted(commits, key=lambda c: (c[3], c[0], c[1], c[2])):
        a, c = facts.get(author), facts.get(other)
        if a is None or c is None or a.acc.source != "git" or c.acc.source != "git" or not a.email or not c.email:
            continue
        if joiner.root(author) != joiner.root(other) and _one_name(a.shown, c.shown, role == "co-author", stop):
            how = "committed" if role == "committer" else "co-authored"
            join_bucket(joiner, [a, c], f"commit {sha[:8]} authored, and {how}, under one name", "self-commit")


def _one_name(author: str, other: str, first_word: bool, stop: frozenset[str]) -> bool:
    """'Max' and 'max'; with `first_word` also 'Sarthak' and 'Sarthak Vineet Kumar'; never a placeholder."""
    x, y = names.fold(author).strip(), names.fold(other).strip()
    if not x or not y or x in stop or y in stop:
        return False
    if x == y:
        return True
    short, long_ = sorted((x.split(), y.split()), key=len)
    return first_word and len(short) == 1 and len(long_) > 1 and short[0] == long_[0] and len(short[0]) >= 3


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
