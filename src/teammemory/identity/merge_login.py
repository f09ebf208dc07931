"""Pure: the merge-login rule: GitHub's `Merge pull request #N from LOGIN/branch` merge commit
names the GitHub login of the PR's author; the git account that wrote the branch is that login's.

Read from git alone (commits.parents and subjects), so it holds without the GitHub API:
  the branch     the commits the merge brought in: reachable from its second parent, not from
                 its first (`M^1..M^2`), on the mainline or a maintenance branch; a branch of
                 more than MAX_BRANCH commits, or none, proves nothing
  one account    every non-merge commit of the branch has one git author; commits by the
                 merge's own author are left out first (a maintainer pushing a fix-up onto the
                 contributor's branch before merging), and if nothing is left nothing is proved
  the login      LOGIN, unless it is the repository's owner (`pallets/flask`: a branch pushed
                 to the project itself is anyone's)
A git account so proved joins the login's own accounts, its GitHub account or its noreply
emails; never another git account by the login alone: LOGIN may be an organisation whose fork
several people push to (Flask: `mlh-fellowship`, two fellows' branches), and only a user has a
noreply email or authors a PR. The name rules read the proof too (login-name: a one-word name
'sprin' joins the one developer that wrote login sprin's branches). Evidence: the merge commit
and its PR number.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from teammemory.identity import normalize
from teammemory.identity.match import Account, Edge

MERGE_PR = re.compile(r"^Merge pull request #(\d+) from ([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/\S")
MAX_BRANCH = 200
MAX_WALK = 5000  # commits visited per merge before giving up (a long-lived branch proves nothing)
SHARED = 3  # accounts writing one login's branches that make it a shared fork for the name rules


@dataclass(frozen=True)
class GitCommit:
    repo: str
    hash: str
    author_key: str
    subject: str
    parents: tuple[str, ...]


@dataclass(frozen=True)
class MergeLogin:
    login: str       # lower-cased
    git_key: str     # the one git account that wrote the branch
    evidence: str    # "merge commit b3b5a98f of PR #1630 from redian/master"


def merge_logins(commits: Iterable[GitCommit]) -> list[MergeLogin]:
    """Every (login, git account) a PR merge commit proves; a repository named `owner/name` has
    `owner` as its owner."""
    by_repo: dict[str, dict[str, GitCommit]] = {}
    for c in commits:
        by_repo.setdefault(c.repo, {})[c.hash] = c
    found: list[MergeLogin] = []
    for repo in sorted(by_repo):
        graph = by_repo[repo]
        merges = sorted(h for h, c in graph.items() if is_pr_merge(c))
        gen = generations(graph) if merges else {}
        found += [p for p in (prove(graph, gen, graph[merge]) for merge in merges) if p is not None]
    return found


def is_pr_merge(c: GitCommit) -> bool:
    """A merge commit whose subject names a PR and its author's login."""
    return len(c.parents) == 2 and MERGE_PR.match(c.subject) is not None


def prove(graph: Mapping[str, GitCommit], gen: Mapping[str, int], c: GitCommit) -> MergeLogin | None:
    """What one PR merge commit proves (a function of its ancestors alone: `graph` and `gen` need
    hold only those)."""
    owner = c.repo.partition("/")[0].lower() if "/" in c.repo else ""
    m = MERGE_PR.match(c.subject)
    login = m.group(2).lower() if m else ""
    branch = _branch(graph, gen, c) if login != owner else None
    author = _one_author(graph, branch, c.author_key) if branch else ""
    if not author:
        return None
    source = c.subject[m.start(2):].split(" ", 1)[0] if m else ""
    return MergeLogin(login, author, f"merge commit {c.hash[:8]} of PR #{m.group(1) if m else ''} "
                                     f"from {source}, whose branch only {{who}} wrote")


def generations(graph: Mapping[str, GitCommit], known: Mapping[str, int] | None = None) -> dict[str, int]:
    """Commit -> 1 + its parents' highest (a root: 1): a child always ranks above its parents.
    `known` ranks parents outside `graph` (commits stored earlier); a parent in neither counts
    for nothing."""
    gen = dict(known or {})
    for start in sorted(graph):
        stack = [start]
        while stack:
            h = stack[-1]
            if h in gen:
                stack.pop()
                continue
            todo = [p for p in graph[h].parents if p in graph and p not in gen]
            if todo:
                stack += todo
            else:
                gen[h] = 1 + max((gen[p] for p in graph[h].parents if p in gen), default=0)
                stack.pop()
    return {h: gen[h] for h in graph}


def _branch(graph: Mapping[str, GitCommit], gen: Mapping[str, int], merge: GitCommit) -> list[str] | None:
    """The commits the second parent reaches and the first does not (git's `M^1..M^2`), walked
    highest generation first until only commits the first parent reaches are left; None past
    MAX_WALK steps or MAX_BRANCH branch commits."""
    first, second = merge.parents
    if first == second:
        return None
    flags = {first: 1, second: 2}
    heap = [(-gen.get(first, 0), first), (-gen.get(second, 0), second)]
    open_ = {second} - {first}  # queued, reached from the second parent only
    steps = 0
    while open_ and heap:
        steps += 1
        if steps > MAX_WALK:
            return None
        _, h = heapq.heappop(heap)
        open_.discard(h)
        f = flags[h]
        for p in graph[h].parents if h in graph else ():
            if p not in graph:
                continue
            new = flags.get(p, 0) | f
            if new != flags.get(p):
                if p not in flags:
                    heapq.heappush(heap, (-gen[p], p))
                flags[p] = new
                if new == 2:
                    open_.add(p)
                else:
                    open_.discard(p)
    branch = [h for h, f in flags.items() if f == 2]
    return branch if len(branch) <= MAX_BRANCH else None


def _one_author(graph: Mapping[str, GitCommit], branch: Sequence[str], merger: str) -> str:
    """The one git account of a branch's non-merge commits, the merger's own left out; '' when
    there are two or none."""
    authors = {graph[h].author_key for h in branch if len(graph[h].parents) < 2} - {merger}
    return next(iter(authors)) if len(authors) == 1 else ""


def edges(accounts: Sequence[Account], proved: Sequence[MergeLogin]) -> list[Edge]:
    """merge-login edges: per login, its GitHub account (else its first noreply email, by key) to
    every git account proved to be the login's; a login with neither ties nothing."""
    by_key = {a.key: a for a in accounts}
    of_login: dict[str, dict[str, str]] = {}  # login -> account key -> evidence
    for p in sorted(proved, key=lambda p: (p.login, p.git_key, p.evidence)):
        acc = by_key.get(p.git_key)
        if acc is not None:
            who = f"{acc.name} <{acc.email}>" if acc.email else acc.name
            of_login.setdefault(p.login, {}).setdefault(p.git_key, p.evidence.replace("{who}", who))
    anchors: dict[str, str] = {}
    for acc in accounts:
        if acc.source == "github" and acc.login.lower() in of_login:
            anchors.setdefault(acc.login.lower(), acc.key)
    for acc in sorted(accounts, key=lambda a: a.key):
        login = normalize.noreply_login(acc.email)
        if login in of_login:
            anchors.setdefault(login, acc.key)
    out: list[Edge] = []
    for login, anchor in sorted(anchors.items()):
        out += [Edge(anchor, key, "merge-login", f"{why}: GitHub login {login}")
                for key, why in sorted(of_login[login].items()) if key != anchor]
    return out


def owned_logins(proved: Sequence[MergeLogin]) -> dict[str, tuple[str, str]]:
    """git account -> (login, how it owns it) for the name rules' login-name (a one-word name
    'sprin' joins the developer who wrote login sprin's PR branch). A login whose branches three
    or more accounts wrote (SHARED) is a shared fork (the project's own, an organisation's: Flask's 311
    `from pallets/...` merges) and counts for no one; an account proved for two logins owns neither."""
    writers: dict[str, set[str]] = {}
    for p in proved:
        writers.setdefault(p.login, set()).add(p.git_key)
    logins: dict[str, set[str]] = {}
    merge: dict[tuple[str, str], str] = {}
    for p in sorted(proved, key=lambda p: (p.git_key, p.login, p.evidence)):
        if len(writers[p.login]) >= SHARED:
            continue
        logins.setdefault(p.git_key, set()).add(p.login)
        merge.setdefault((p.git_key, p.login), p.evidence.split(",", 1)[0])
    return {key: (next(iter(ls)), f"GitHub login @{next(iter(ls))} by its {merge[key, next(iter(ls))]}")
            for key, ls in sorted(logins.items()) if len(ls) == 1}
