"""What identity/commit_proof.py's rules read from the store: commit pairs of accounts, the
commits that close a merge script's PR, co-author counts and who authored or committed what."""

from __future__ import annotations

from teammemory.identity.commit_proof import Proof, closed_prs
from teammemory.store import Reader

CO_AUTHORS = ("select c.author_key as a, p.identity_key as c, count(*) as n, min(c.hash) as h"
              " from commit_people p join commits c on c.repo = p.repo and c.hash = p.hash"
              " where p.role = 'co-author' and p.identity_key <> c.author_key"
              " group by c.author_key, p.identity_key")
"""(author, co-author, commits, first hash) of every pair of different accounts on one commit:
commit_people's key holds one row per commit and co-author, so count(*) counts commits."""


def read_co_authors(db: Reader) -> dict[tuple[str, str], tuple[int, str]]:
    """(author, co-author) -> (commits, first hash), from CO_AUTHORS."""
    return {(r["a"], r["c"]): (int(r["n"]), r["h"]) for r in db.all(CO_AUTHORS)}


def read_authored(db: Reader) -> dict[str, int]:
    """Commits per author identity."""
    rows = db.all("select author_key as k, count(*) as n from commits group by author_key")
    return {r["k"]: int(r["n"]) for r in rows}


def read_proof(db: Reader, pairs: list[tuple[str, str, str, str]], *,
               co_authored: dict[tuple[str, str], tuple[int, str]] | None = None,
               authored: dict[str, int] | None = None) -> Proof:
    """A Proof around `pairs` (identity/resolve.py's author/committer and author/co-author pairs);
    `co_authored` and `authored` are read here unless the caller read them already."""
    # only the few merge-script messages reach Python; SQLite's like ignores case, PostgreSQL's
    # ilike does (lower() would cost a copy of every message: +40 ms on 100,000 commits)
    like = "like" if db.dialect == "sqlite" else "ilike"
    closing = db.all(f"select hash, author_key, message from commits where message {like} '%closes%#%from%/%'")
    committers = db.all("select distinct committer_key as k from commits")
    return Proof(pairs=pairs,
                 closed=closed_prs((r["hash"], r["author_key"], r["message"]) for r in closing),
                 co_authored=read_co_authors(db) if co_authored is None else co_authored,
                 authored=read_authored(db) if authored is None else authored,
                 committers=frozenset(r["k"] for r in committers))
