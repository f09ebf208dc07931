"""What makes a git repository the same one under any name: its root commits and its remote.

Two clones of one repository, or one clone ingested first as `flask` and then as
`pallets/flask`, share the commits without parents that their heads reach (`git rev-list
--max-parents=0`, ~30 ms on a 5,000-commit history). The `origin` remote, when there is one,
says the same for a history rewritten down to its root. The remote is normalized so that the
ways of writing one address compare equal (`git@github.com:Pallets/flask.git`,
`https://user:token@github.com/pallets/flask` -> `github.com/pallets/flask`) and never holds a
credential.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from teammemory.errors import SourceError
from teammemory.sources.gitlog import GitRepo, git

_SCP = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?!//)(?P<path>.+)$")  # git@host:owner/repo
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/]*@)?(?P<host>[^/:]+)(?::\d+)?(?P<path>/.*)?$")


@dataclass(frozen=True)
class RepoIdentity:
    """The root commits reachable from the ingested head (sorted) and the normalized remote."""

    roots: tuple[str, ...]
    remote: str = ""


def identify(repo: GitRepo, roots: Iterable[str] | None = None) -> RepoIdentity:
    """The identity of the clone `repo` at its head (`roots`: its root commits, when the caller
    has walked the history already, as git ingestion does: `gitlog.walk`)."""
    if roots is None:
        done = git(repo.path, "rev-list", "--max-parents=0", repo.head)
        if done.returncode != 0:
            raise SourceError(f"git rev-list --max-parents=0 in {repo.path} failed: {done.stderr.strip()}")
        roots = done.stdout.split()
    remote = git(repo.path, "config", "--get", "remote.origin.url").stdout.strip()
    return RepoIdentity(tuple(sorted(roots)), normalize_remote(remote))


def normalize_remote(url: str) -> str:
    """`host/path` of a remote URL, lower case, without scheme, user, port, `.git` or a final '/';
    a local path as written (without a trailing '/' or '.git'); '' for none."""
    url = url.strip()
    if not url:
        return ""
    m = _URL.match(url) or (None if url.startswith(("/", ".")) else _SCP.match(url))
    if m is None:
        return _strip(url.removeprefix("file://"))
    path = (m["path"] or "").strip("/")
    return _strip(f"{m['host'].lower()}/{path}".lower() if path else m["host"].lower())


def _strip(text: str) -> str:
    text = text.rstrip("/")
    return text.removesuffix(".git").rstrip("/") or text
