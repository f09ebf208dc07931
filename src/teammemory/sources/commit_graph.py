"""A commit-graph for `git blame`, kept in TeamMemory's own cache, never in the user's clone.

Why: `git blame -L` walks the file's history commit by commit, reading and inflating each commit
object to find its parents and tree. A commit-graph holds each commit's parents, tree, date and
generation, so git skips that: on the 100,000-commit bench clone a one-line blame goes from
0.66 s to 0.28-0.35 s (bench/RESULTS.md). No changed-path Bloom filters (`--changed-paths`):
blame's `-C` turns their use off, and they made the first write 4x longer. Git writes a graph only
when the clone's owner runs `git gc` or `git commit-graph write`, and TeamMemory never writes into
a clone, so this one lives in TeamMemory's cache:

    <cache>/commit-graphs/<key>/objects/info/commit-graphs/{commit-graph-chain, graph-*.graph}
    <cache>/commit-graphs/<key>/{clone, tip}

`<cache>` is `$TEAMMEMORY_CACHE_DIR`, else `$XDG_CACHE_HOME/teammemory`, else
`~/.cache/teammemory`; `<key>` is a hash of the clone's resolved path; `clone` names it for a
person and `tip` is the last commit written for. Git is pointed at the graph with
`GIT_ALTERNATE_OBJECT_DIRECTORIES` (an object directory holding no objects): git loads the first
commit-graph among the repository's object directories, its own first, so a clone that has a
graph of its own is left to it and nothing is written.

Correct whatever the cache holds: an entry is a fact about the commit with that hash (parents,
tree, date, generation), true in any repository that holds it; a commit not in the graph is
read from the objects as without one. So a stale graph only costs speed, and deleting the cache
is always safe. It grows in split layers (`--split`): the first blame of a clone writes the
history up to the blamed commit (1.7 s on the 100,000-commit bench clone, 0.1 s on BookKeeper's
3,705 commits; `note` is told first), later ones add only the commits since (0.02 s for 100).

Nothing here can fail a blame: a cache that cannot be written, a write that fails or another
process holding git's lock means blaming without (or with the graph as it was). A write that
fails while no other process holds the lock removes this clone's entry, so the next blame starts
afresh, and so does a lock older than an hour (its writer was killed; left there, the graph would
never grow again). A broken or missing layer git mends itself: it writes over it. Where git
declines to write a graph at all (a shallow clone, grafts, replace refs: it would not read one
either), `tip` records the commit asked as declined, so the next blame at it runs no git and says
nothing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from teammemory.sources.gitlog import git_env

ENV = "TEAMMEMORY_CACHE_DIR"
OWN_GRAPHS = ("info/commit-graph", "info/commit-graphs/commit-graph-chain")  # under a clone's objects/
CHAIN = "info/commit-graphs/commit-graph-chain"
DECLINED = "declined"  # after the commit in `tip`: git wrote no graph for it (and would read none)
STALE_LOCK = 3600.0  # seconds: a lock older than this was left by a writer that died


def cache_root() -> Path:
    """Where TeamMemory keeps what it can always rebuild (see the module docstring)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "teammemory"


def entry(clone: Path) -> Path:
    """This clone's folder in the cache (keyed by its resolved path)."""
    resolved = str(Path(clone).expanduser().resolve())
    return cache_root() / "commit-graphs" / hashlib.sha256(resolved.encode()).hexdigest()[:20]


def alternates(clone: Path, rev: str, note: Callable[[str], None] | None = None) -> str | None:
    """The object directory to hand git as GIT_ALTERNATE_OBJECT_DIRECTORIES for a blame at `rev`,
    its commit-graph brought up to `rev` first; None when the clone has a graph of its own or the
    cache cannot be used (blame as without)."""
    if _has_own_graph(clone):
        return None
    try:
        home = entry(clone)
    except (RuntimeError, OSError):  # no home folder to keep a cache in (and no TEAMMEMORY_CACHE_DIR)
        return None
    objects = home / "objects"
    tip = _read(home / "tip")
    if tip == rev and (objects / CHAIN).is_file():  # written for `rev` already
        return str(objects)
    if tip == f"{rev} {DECLINED}":
        return None
    lock = _lock(objects)
    if lock == "live":  # another process is writing it: use the graph as it stands
        return _as_it_stands(objects)
    if lock == "stale":
        shutil.rmtree(home, ignore_errors=True)
        tip = ""
    first = not tip and not (objects / CHAIN).is_file()
    try:
        (objects / "info").mkdir(parents=True, exist_ok=True)
        (home / "clone").write_text(f"{Path(clone).expanduser().resolve()}\n")
    except OSError:
        return None
    if first and note is not None:
        note(f"writing a commit-graph of {clone} for git blame into {home} (once per clone: later answers"
             " reuse it and add only new commits)")
    env = git_env(Path(clone), str(objects))
    try:
        done = subprocess.run(["git", "-C", str(clone), "commit-graph", "write", "--stdin-commits", "--split",
                               "--no-progress", "--object-dir", str(objects)],
                              input=f"{rev}\n", capture_output=True, text=True, env=env, check=False)
    except OSError:
        return None
    if done.returncode != 0:
        # another writer took git's lock meanwhile (git says "Unable to create '...lock': File exists",
        # in the C locale git_env sets; it may be done by now): its graph stands
        if "File exists" in done.stderr or _lock(objects) == "live":
            return _as_it_stands(objects)
        shutil.rmtree(home, ignore_errors=True)
        return None
    if (objects / CHAIN).is_file():
        _write(home / "tip", rev)
        return str(objects)
    _write(home / "tip", f"{rev} {DECLINED}")  # a shallow clone, grafts or replace refs: git writes none
    return None


def _as_it_stands(objects: Path) -> str | None:
    return str(objects) if (objects / CHAIN).is_file() else None


def _lock(objects: Path, stale_after: float = STALE_LOCK) -> str | None:
    """'live' when git's lock on the graph is held (another writer), 'stale' when the one there is
    older than any write takes (its writer was killed: left there, the graph would never grow)."""
    now, seen = time.time(), None
    for lock in (objects / "info").rglob("*.lock"):
        try:
            seen = "stale" if now - lock.stat().st_mtime > stale_after else "live"
        except OSError:
            continue
        if seen == "live":
            return seen
    return seen


def _has_own_graph(clone: Path) -> bool:
    """Whether the clone's own object directory holds a commit-graph (git would read it, not ours)."""
    root = Path(clone).expanduser()
    objects = root / ".git" / "objects" if (root / ".git").is_dir() else root / "objects"
    if not objects.is_dir():  # a worktree or a .git file: ask git where the objects are
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--git-common-dir"], capture_output=True,
                              text=True, env=git_env(root), check=False)
        if done.returncode != 0:
            return False
        objects = (root / done.stdout.strip() / "objects")
    return any((objects / name).is_file() for name in OWN_GRAPHS)


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def _write(path: Path, text: str) -> None:
    """Replace `path` whole (a reader sees the old tip or the new one); a failure only costs a rewrite check."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        part.write_text(f"{text}\n")
        part.replace(path)
    except OSError:
        part.unlink(missing_ok=True)
