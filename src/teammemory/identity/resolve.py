"""Read accounts, apply the rules of identity.match plus config aliases and manual overrides,
then the name rules of identity.by_name (unless `identity.match_names` is off), and write
`developers` and `identities.developer_key/rule/evidence`. Runs inside ingestion's transaction
(derive.refresh), so people are always consistent with the data.

How each developer is named and keyed is identity/naming.py's.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

from teammemory.config import Config
from teammemory.identity import merge_login, merge_login_walks
from teammemory.identity.by_name import merge_by_name
from teammemory.identity.commit_reads import read_authored, read_co_authors, read_proof
from teammemory.identity.match import Account, alias_edges, group, rule_edges
from teammemory.identity.naming import write_people
from teammemory.identity.overrides import read_overrides
from teammemory.store import Reader, Writer


def resolve(db: Writer, config: Config) -> int:
    """Recompute every developer from the accounts; returns how many developers there are."""
    accounts = [Account(**r) for r in db.all(
        "select key, source, email, name, login, account_id, display_name from identities order by key")]
    if not accounts:
        db.execute("delete from developers")
        return 0
    manual = read_overrides(db, accounts)
    edges = rule_edges(accounts, _commit_logins(db), _pr_logins(db))
    proved = merge_login_walks.proofs(db)  # merge_login.merge_logins(_git_commits(db)), kept (0020)
    edges += merge_login.edges(accounts, proved)
    edges += alias_edges(accounts, [(a.name, a.identities) for a in config.aliases]) + list(manual.merges)
    groups = group(accounts, edges, set(manual.split))
    authored = read_authored(db)
    if config.match_names:
        co_authored = read_co_authors(db)  # one query for both the pairs and their proof
        pairs = _self_commits(db, co_authored)
        merge_by_name(groups, accounts, set(manual.split), config.name_stoplist, merge_login.owned_logins(proved),
                      pairs, read_proof(db, pairs, co_authored=co_authored, authored=authored))
    write_people(db, accounts, groups, config, Counter(authored), manual.split)
    return len(groups.groups())


def _commit_logins(db: Reader) -> list[tuple[str, str, str]]:
    """(git author identity, GitHub identity, evidence) from the PR commits API pairings."""
    rows = db.all("select distinct c.author_key as git, p.identity_key as gh, p.evidence as evidence"
                  " from commit_people p join commits c on c.hash = p.hash"
                  " where p.role = 'github-author'")
    return sorted((r["git"], r["gh"], f"{r['evidence']} names the author of the commit") for r in rows)


def _pr_logins(db: Reader) -> list[tuple[str, str, str, str, str]]:
    """(GitHub identity, its login, git author identity, its email, 'repo PR #N') for every author
    of a commit of a PR and the PR's author; match.rule_edges keeps the pairs whose local part is
    the login. One row per pair, with the smallest PR as the evidence."""
    # CROSS JOIN keeps SQLite's join order: from the (few) pull requests to their commits, not
    # from every commit (100,000 commits: 400 ms the other way round, 3 ms this way)
    rows = db.all("select gh.key as gh, gh.login as login, g.key as git, g.email as email, p.repo as repo,"
                  " min(p.number) as number"
                  " from pull_requests p cross join identities gh cross join pr_commits pc"
                  " cross join commits c cross join identities g"
                  " where gh.key = p.author_key and gh.source = 'github' and gh.login <> ''"
                  " and pc.repo = p.repo and pc.number = p.number"
                  " and c.repo = pc.repo and c.hash = pc.hash and g.key = c.author_key"
                  " group by gh.key, gh.login, g.key, g.email, p.repo")
    best: dict[tuple[str, str], tuple[str, str, str, str, str]] = {}
    for r in sorted(rows, key=lambda r: (r["repo"], int(r["number"]))):
        best.setdefault((r["gh"], r["git"]), (r["gh"], r["login"], r["git"], r["email"],
                                               f"{r['repo']} PR #{r['number']}"))
    return sorted(best.values())


def _git_commits(db: Reader) -> list[merge_login.GitCommit]:
    """Every commit's graph and subject, for the merge-login rule's walk of PR branches."""
    rows = db.fetch("select repo, hash, author_key, subject, parents from commits", _CommitRow)  # plain tuples
    return [merge_login.GitCommit(r.repo, r.hash, r.author_key, r.subject, tuple(r.parents.split())) for r in rows]


class _CommitRow(NamedTuple):
    repo: str
    hash: str
    author_key: str
    subject: str
    parents: str


def _self_commits(db: Reader, co_authored: dict[tuple[str, str], tuple[int, str]]) -> list[tuple[str, str, str, str]]:
    """(author, committer or co-author, its role, first hash) of every pair of different accounts
    on one commit, for the self-commit name rule (the co-author pairs as read_co_authors read them)."""
    rows = db.all("select author_key as a, committer_key as c, min(hash) as h from commits"
                  " where author_key <> committer_key group by author_key, committer_key")
    return [(r["a"], r["c"], "committer", r["h"]) for r in rows] + \
        [(a, c, "co-author", h) for (a, c), (_, h) in co_authored.items()]
