"""Pure: three name rules whose proof is a commit, run by identity/by_name.py after self-commit
(so `[identity] match_names = false` turns them off with the other name rules), each joining whole
groups under the conflict guard (two GitHub logins, two Jira accounts, a manual split):

  closes-login      Apache's merge scripts (BookKeeper's bk-merge-pr3.py, Spark's and their copies)
                    squash a PR into one commit whose message ends `This closes #N from L/branch`,
                    L being the PR's author (`pr["user"]["login"]`: always a user, never an
                    organisation). The git accounts that wrote commits closing L's PRs, and L's own
                    accounts (its GitHub account, its noreply emails), join when they carry one
                    name: one GitHub user's PRs under one name are that user's ('Dapeng <qq.com>',
                    'Dapeng <cmss.chinamobile.com>' and '42792537+SunDapeng1@…' all close PRs of
                    SunDapeng1). Accounts of other names stay apart: a committer opening PRs for
                    patches written by others (BookKeeper's jiazhai, sijie) is the PR's author
                    but not the commit's.
  commit-handle     a commit's author and its committer or `Co-authored-by:` co-author are two git
                    accounts, and a handle of one (a login-like name, a distinctive email local
                    part, a noreply login, a full name written as one word; MIN_HANDLE+ characters)
                    begins or ends a handle of the other: 'gaozhangmin <gaozhangmin456@qq.com>' and
                    its co-author 'gavingaozhangmin <gavingaozhangmin@didiglobal.com>',
                    'magiccao <uestcdongcao@163.com>' and 'dongcao <dongcao@trip.com>'. GitHub
                    lists a second address of a PR's commits as a co-author of its squash merge;
                    the handle is the proof beyond the co-authorship, which alone is none.
  repeat-co-author  an account seen only as a co-author (never a commit's author or committer),
                    on REPEAT+ commits, all of one developer's, and on at least half of that
                    developer's commits, is that developer's second address ('fanjianye
                    <fanjianye@bigo.sg>' on 5 of ken's 7). A colleague co-authors now and then,
                    and commits work of their own.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from teammemory.identity import names, normalize
from teammemory.identity.joiner import Facts, Joiner, join_bucket

CLOSES = re.compile(r"^[ \t]*(?:this[ \t]+)?closes[ \t]+#(\d+)[ \t]+from[ \t]+"
                    r"([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/\S", re.IGNORECASE | re.MULTILINE)
MIN_HANDLE = 6  # as same-local-part: shorter handles ('zhang', 'kumar') are words many people share
REPEAT = 2


@dataclass(frozen=True)
class Closed:
    """A commit whose message closes PR `number` of GitHub user `login` (lower-cased)."""

    login: str
    author_key: str
    hash: str
    number: int


@dataclass(frozen=True)
class Proof:
    """What commits say about their accounts, for the rules above."""

    pairs: Sequence[tuple[str, str, str, str]] = ()  # (author, committer or co-author, role, first hash)
    closed: Sequence[Closed] = ()
    # (author, co-author) -> (commits they share, the first by hash)
    co_authored: Mapping[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    authored: Mapping[str, int] = field(default_factory=dict)  # account -> commits it authored
    committers: Collection[str] = frozenset()  # accounts that committed a commit


def closed_prs(commits: Iterable[tuple[str, str, str]]) -> list[Closed]:
    """Closed records of (hash, author account, message) rows: every `This closes #N from L/…` line."""
    out = []
    for sha, author, message in commits:
        for m in CLOSES.finditer(message):
            out.append(Closed(m.group(2).lower(), author, sha, int(m.group(1))))
    return sorted(set(out), key=lambda c: (c.login, c.number, c.hash, c.author_key))


def merge(joiner: Joiner, facts: Mapping[str, Facts], proof: Proof, stop: frozenset[str]) -> None:
    """The three rules, in the module docstring's order."""
    _closes_login(joiner, facts, proof.closed)
    _commit_handle(joiner, facts, proof.pairs, stop)
    _repeat_co_author(joiner, facts, proof)


def _name_of(f: Facts) -> str:
    """The name an account is compared by here: its full name key, else its one-word name."""
    return f.person.key if f.person is not None else f.word


def _closes_login(joiner: Joiner, facts: Mapping[str, Facts], closed: Sequence[Closed]) -> None:
    by_login: dict[str, dict[str, Closed]] = {}  # login -> account -> its first closing commit
    for c in closed:
        f = facts.get(c.author_key)
        if f is not None and f.acc.source == "git":
            by_login.setdefault(c.login, {}).setdefault(c.author_key, c)
    own: dict[str, list[str]] = {}  # login -> its GitHub account and noreply emails
    for key in sorted(facts):
        acc = facts[key].acc
        login = acc.login.lower() if acc.source == "github" else normalize.noreply_login(acc.email)
        if login in by_login:
            own.setdefault(login, []).append(key)
    for login in sorted(by_login):
        writers = by_login[login]
        by_name: dict[str, list[Facts]] = {}
        for key in sorted({*writers, *own.get(login, [])}):
            name = _name_of(facts[key])
            if name:
                by_name.setdefault(name, []).append(facts[key])
        for name in sorted(by_name):
            members = by_name[name]
            if any(f.key in writers for f in members):
                first = min((writers[f.key] for f in members if f.key in writers), key=lambda c: (c.number, c.hash))
                why = (f"commits closing PRs of GitHub user {login} under one name {name!r} "
                       f"({first.hash[:8]}: 'closes #{first.number} from {login}/…')")
                join_bucket(joiner, members, why, "closes-login")


def handles(f: Facts) -> set[str]:
    """The handles an account goes by, squashed: login-like name, distinctive local part, noreply
    login, full name written as one word."""
    out = {f.handle, names.squash(f.local), names.squash(normalize.noreply_login(f.acc.email))}
    if f.person is not None:
        out.add(names.spellings(f.person.key)[0])
    return {h for h in out if h}


def _contained(x: set[str], y: set[str]) -> tuple[str, str] | None:
    """The first (shorter, longer) pair, in sorted order, where the shorter begins or ends the longer."""
    for a in sorted(x):
        for b in sorted(y):
            short, long_ = sorted((a, b), key=lambda s: (len(s), s))
            if len(short) >= MIN_HANDLE and len(long_) > len(short) and (long_.startswith(short) or
                                                                           long_.endswith(short)):
                return short, long_
    return None


def _commit_handle(joiner: Joiner, facts: Mapping[str, Facts], pairs: Sequence[tuple[str, str, str, str]],
                   stop: frozenset[str]) -> None:
    for author, other, role, sha in sorted(pairs, key=lambda c: (c[3], c[0], c[1], c[2])):
        a, c = facts.get(author), facts.get(other)
        if a is None or c is None or a.acc.source != "git" or c.acc.source != "git" or not a.email or not c.email:
            continue
        if joiner.root(author) == joiner.root(other):
            continue
        found = _contained({h for h in handles(a) if h not in stop}, {h for h in handles(c) if h not in stop})
        if found:
            how = "committed" if role == "committer" else "co-authored"
            why = f"commit {sha[:8]} authored, and {how}, by handles {found[0]!r} and {found[1]!r}"
            join_bucket(joiner, [a, c], why, "commit-handle")


def _repeat_co_author(joiner: Joiner, facts: Mapping[str, Facts], proof: Proof) -> None:
    of: dict[str, list[tuple[str, int, str]]] = {}  # co-author -> [(author, commits, first hash)]
    for (author, co), (n, sha) in sorted(proof.co_authored.items()):
        of.setdefault(co, []).append((author, n, sha))
    for co in sorted(of):
        c = facts.get(co)
        if c is None or c.acc.source != "git" or not c.email or proof.authored.get(co) or co in proof.committers:
            continue
        roots = {joiner.root(a) for a, _, _ in of[co]}
        if len(roots) != 1 or joiner.root(co) in roots:
            continue
        root = next(iter(roots))
        n = sum(k for _, k, _ in of[co])
        total = sum(proof.authored.get(k, 0) for k in joiner.members.get(root, [root]))
        author, _, sha = min(of[co], key=lambda x: (x[2], x[0]))
        a = facts.get(author)
        if a is None or n < REPEAT or 2 * n < total:
            continue
        why = f"co-author only of this developer's commits, {n} of its {total} (first {sha[:8]})"
        join_bucket(joiner, [a, c], why, "repeat-co-author")
