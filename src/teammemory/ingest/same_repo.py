"""One repository, one name: a clone already in the store under another name is refused.

Ingesting a repository first without `--name` (named after its folder) and then with it once
stored every commit twice: PR commits listed twice, churn doubled, an expert's score from 140 to
256. The repositories are compared by what does not depend on a name (sources/repo_identity.py):
a root commit they share, or the same `origin` remote. The second ingest is refused, before
anything is written, with the name to use (`--name NAME`); re-ingesting under that name is the
ordinary incremental update. The name is never reused silently: the same command must not mean
another repository depending on what the store holds.
"""

from __future__ import annotations

from teammemory.errors import InputError
from teammemory.sources.repo_identity import RepoIdentity
from teammemory.store import Reader, Writer
from teammemory.store.queries import in_list


def refuse_other_name(db: Reader, name: str, identity: RepoIdentity, where: str) -> None:
    """InputError when another repository of the store is this one (same root or remote)."""
    found = same_repositories(db, name, identity)
    if found:
        other, why = found[0]
        raise InputError(where, f"this repository is already in the store as {other!r} ({why}); ingesting it"
                         f" as {name!r} would count its commits twice: ingest it with --name {other}")


def same_repositories(db: Reader, name: str, identity: RepoIdentity) -> list[tuple[str, str]]:
    """(other name, why) of each stored repository that shares a root commit or the remote."""
    found: dict[str, str] = {}
    for marks, params in in_list(identity.roots):
        for row in db.all(f"select repo, hash from repository_roots where hash in ({marks})"
                          " and repo <> :name order by repo, hash", name=name, **params):
            found.setdefault(str(row["repo"]), f"same root commit {str(row['hash'])[:12]}")
    if identity.remote:
        for row in db.all("select name from repositories where remote_url = :remote and name <> :name"
                          " order by name", remote=identity.remote, name=name):
            found.setdefault(str(row["name"]), f"same remote {identity.remote}")
    return sorted(found.items())


def record(db: Writer, name: str, identity: RepoIdentity) -> None:
    """Keep `identity` as repository `name`'s (its roots replace the ones of an earlier head)."""
    db.execute("delete from repository_roots where repo = :name", name=name)
    db.executemany("insert into repository_roots (repo, hash) values (:repo, :hash)",
                   [{"repo": name, "hash": h} for h in identity.roots])
    db.execute("update repositories set remote_url = :remote where name = :name", remote=identity.remote, name=name)
