"""A first ingest into a SQLite store that does not exist yet: built in a private file beside
it, then moved into place whole.

Derive's longest steps can run on the other core (store/helper_steps.py) only when the git
phase's rows are committed where a helper process can read them. Committing part of an ingest in
the store itself would let a reader see a half-written store, so a store that does not exist yet
is built as `.<name>.building-<pid>` in the same folder, committed as often as the helpers need,
synced once, and published by a hard link to the store's name (which fails, rather than
replaces, when another process created the store meanwhile: the ingest then runs again into
that store as usual). A failed or interrupted build removes its files; one killed outright
leaves them, and the next build in that folder removes the files of builds whose process is
gone. Until it is published the store does not exist, for readers as for writers: nothing
half-written is ever seen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from teammemory.store import Store, Url
from teammemory.store.helper_steps import Helpers

PREFIX = ".{name}.building-"
SIDECARS = ("-journal", "-wal", "-shm", ".lineage", ".text_index")


@dataclass
class Build:
    """The private file `private` that becomes the store `target`, and its helpers."""

    target: Path
    private: Path
    store: Store
    helpers: Helpers

    def __enter__(self) -> Build:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.discard()

    def publish(self) -> bool:
        """Sync the finished file and give it the store's name; False when a store of that name
        appeared meanwhile (it is left alone, and this build is discarded)."""
        self.helpers.close()
        wal = Path(f"{self.private}-wal")
        if wal.exists() and wal.stat().st_size:  # the last connection's close checkpoints it
            raise RuntimeError(f"{wal} still holds writes after the build's connections closed")
        fd = os.open(self.private, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(self.private, self.target)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: the name is free (just checked) or taken
            if os.path.lexists(self.target):
                return False
            os.replace(self.private, self.target)
        _sync_folder(self.target.parent)
        return True

    def discard(self) -> None:
        """Dismiss the helpers and remove the private file and its companions."""
        self.helpers.close()
        for path in (self.private, *(Path(f"{self.private}{suffix}") for suffix in SIDECARS)):
            path.unlink(missing_ok=True)


def begin(store: Store, *, enabled: bool = True) -> Build | None:
    """A private build for `store`, or None where the ingest writes the store itself: not
    `enabled` (`ingest.helpers = false`), PostgreSQL, a store file (or its journal) that exists,
    a folder that does not or cannot be written, or one CPU (no core for a helper)."""
    if not enabled or store.dialect != "sqlite" or (os.cpu_count() or 1) < 2:
        return None
    target = Path(store.url.target)
    if any(os.path.lexists(f"{target}{suffix}") for suffix in ("", "-journal", "-wal")):
        return None
    if not target.parent.is_dir() or not os.access(target.parent, os.W_OK):  # the usual error, naming the store
        return None
    _remove_abandoned(target)
    private = target.with_name(PREFIX.format(name=target.name) + str(os.getpid()))
    built = Store(Url("sqlite", str(private)), wait=store.wait, private=True, shown_as=str(store.url))
    return Build(target, private, built, Helpers(private))


def _remove_abandoned(target: Path) -> None:
    """Remove the files of earlier builds of `target` whose process is gone (killed outright)."""
    prefix = PREFIX.format(name=target.name)
    for path in target.parent.glob(f"{prefix}*"):
        pid = path.name[len(prefix):].split("-")[0].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _sync_folder(folder: Path) -> None:
    """fsync the folder, so that the new name survives a crash (where the platform allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
