"""A first ingest into a SQLite store that does not exist yet (or is blank): built in a private
file beside it, then moved into place whole.

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

A blank store (`teammemory init-db`'s, the README's first step) is built alike and replaces it
(`os.replace`), provided that at the end it is still the same file, untouched and open to no
process (no -wal/-shm/-journal beside it); otherwise this build is dropped and the ingest runs
into that store as usual. What is left is a window of microseconds between that check and the
rename, in which a second ingest would have to open the blank store and write to it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from teammemory.store import Reader, Store, Url
from teammemory.store.helper_steps import Helpers

PREFIX = ".{name}.building-"
SQLITE_SIDECARS = ("-journal", "-wal", "-shm")  # there while a process has the file open (or a hot journal)
SIDECARS = ("-journal", "-wal", "-shm", ".lineage", ".text_index")


@dataclass
class Build:
    """The private file `private` that becomes the store `target`, and its helpers."""

    target: Path
    private: Path
    store: Store
    helpers: Helpers
    replaces: tuple[int, int, int] | None = None  # a blank store's (inode, size, mtime) it replaces

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
        if self.replaces is not None:  # a blank store: still untouched, still open to no one?
            if any(os.path.lexists(f"{self.target}{suffix}") for suffix in SQLITE_SIDECARS):
                return False
            try:
                now = os.stat(self.target)
            except FileNotFoundError:
                return False
            if (now.st_ino, now.st_size, now.st_mtime_ns) != self.replaces:
                return False
            os.replace(self.private, self.target)
            _sync_folder(self.target.parent)
            return True
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
    `enabled` (`ingest.helpers = false`), PostgreSQL, a store file that exists and is not a
    blank one no process has open (`_blank`), a folder that does not exist or cannot be written,
    or one CPU (no core for a helper)."""
    if not enabled or store.dialect != "sqlite" or (os.cpu_count() or 1) < 2:
        return None
    target = Path(store.url.target)
    replaces = None
    if os.path.lexists(target):
        replaces = _blank(target)
        if replaces is None:
            return None
    elif any(os.path.lexists(f"{target}{suffix}") for suffix in SQLITE_SIDECARS):
        return None
    if not target.parent.is_dir() or not os.access(target.parent, os.W_OK):  # the usual error, naming the store
        return None
    _remove_abandoned(target)
    private = target.with_name(PREFIX.format(name=target.name) + str(os.getpid()))
    built = Store(Url("sqlite", str(private)), wait=store.wait, private=True, shown_as=str(store.url))
    return Build(target, private, built, Helpers(private), replaces)


def is_new(store: Store) -> bool:
    """True when `store` holds nothing yet: a SQLite file that does not exist (and no process
    has open) or a blank one (`_blank`). An ingest into it reads its source whole."""
    if store.dialect != "sqlite":
        return False
    target = Path(store.url.target)
    if os.path.lexists(target):
        return _blank(target) is not None
    return not any(os.path.lexists(f"{target}{suffix}") for suffix in SQLITE_SIDECARS)


def _blank(target: Path) -> tuple[int, int, int] | None:
    """The (inode, size, mtime) of `target` when it is a store of the latest schema that holds
    nothing (`teammemory init-db`'s, as the README's first steps make it) and no process has
    open (no -wal, -shm or -journal: SQLite removes them with its last connection); else None.
    Read `immutable=1`, which creates no file beside it (exact: there is no WAL)."""
    from teammemory.store import migrate

    if any(os.path.lexists(f"{target}{suffix}") for suffix in SQLITE_SIDECARS):
        return None
    try:
        seen = os.stat(target)
        if not stat.S_ISREG(seen.st_mode) or seen.st_size == 0:
            return None
        conn = sqlite3.connect(f"{target.absolute().as_uri()}?immutable=1", uri=True)
        try:
            conn.row_factory = sqlite3.Row
            if migrate.current_version(Reader(conn, "sqlite")) != migrate.latest_version():
                return None
            names = [str(r[0]) for r in conn.execute("select name from sqlite_master where type = 'table'"
                                                     " and name not like 'sqlite%' and name not like 'text_fts%'")]
            for name in names:
                where = " where source <> 'derive'" if name == "cursors" else ""
                if name != "schema_migrations" and conn.execute(f'select 1 from "{name}"{where} limit 1').fetchone():
                    return None
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return None
    return (seen.st_ino, seen.st_size, seen.st_mtime_ns)


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
