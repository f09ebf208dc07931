"""A first ingest's git work, started before the store is opened: the first `git log` segment
and the walk at once, then the second segment.

A whole-history ingest spends its first ~0.2 s (imports, the store's migration, the fresh-build
checks) on one core before git starts, and the git phase after it is bound by git itself (the
parser waits on the first segment's pipe: bench/RESULTS.md, whole-process ingest). Starting git
as soon as the clone is checked lets both run at once; the CLI starts it even before its own
imports (`start_early`, outputs/early_ingest.py). The first segment does not wait for the walk
that says where it ends: it is `git log <head>` from the first commit, cut once the walk is done
(gitlog.start_open). This is only worth it, and only exact, when the ingest is known to read the
whole history: the caller starts it for a store that holds no commits yet (a new or blank one),
where the plan is always `git log <head>`, and the ingest takes the processes only when it asks
for exactly the commits they read (`take`); anything else (another plan, a failure before the
git phase) closes them unread.
"""

from __future__ import annotations

import atexit
import os
import threading

from teammemory.sources import gitlog


class ReadAhead:
    """`git log <head>` (the first segment, gitlog.start_open) and `git rev-list --parents
    <head>` at once, on a thread, then the second segment once the walk says where it starts,
    while the caller goes on; their output waits in the reader thread's queue and the spool file
    until the ingest reads them."""

    def __init__(self, repo: gitlog.GitRepo) -> None:
        self.repo = repo
        self._walk: gitlog.Walk | None = None
        self._hashes: list[str] = []
        self._started: tuple[gitlog.Streamed, gitlog.Spooled] | None = None
        self._error: BaseException | None = None
        self._closed = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="git-read-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        first: gitlog.Streamed | None = None
        try:
            if (os.cpu_count() or 1) > 1:
                first = gitlog.start_open(self.repo, self.repo.head)
            found = gitlog.walk(self.repo, self.repo.head)
            hashes = found.hashes
            with self._lock:
                self._walk, self._hashes = found, hashes
                if first is not None and not self._closed and len(hashes) >= 2 * gitlog.SEGMENT_COMMITS[0]:
                    parts = gitlog.segment_parts(hashes)
                    first.cut_after(len(parts[0]))
                    self._started = first, gitlog.Spooled(self.repo, gitlog.SEGMENT_ARGS, parts[1])
                    first = None
        except BaseException as exc:  # noqa: BLE001 - raised to the ingest by walk()
            self._error = exc
        finally:
            if first is not None:  # not taken: a short history (read with one git), or an error
                first.close()

    def walk(self) -> gitlog.Walk:
        """`gitlog.walk(repo, repo.head)`, as walked here (its error, if it failed)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._walk is not None
        return self._walk

    def take(self, hashes: list[str]) -> tuple[gitlog.Streamed, gitlog.Spooled] | None:
        """The started segments when they read exactly `hashes` (the caller closes them from now
        on), once; else None (the caller starts its own)."""
        self._thread.join()
        with self._lock:
            started, self._started = self._started, None
        if started is not None and hashes != self._hashes:
            _close(started)
            return None
        return started

    def close(self) -> None:
        """Stop whatever was not taken (the ingest failed or read something else)."""
        with self._lock:
            self._closed = True
            started, self._started = self._started, None
        if started is not None:
            _close(started)
        self._thread.join()


def _close(started: tuple[gitlog.Streamed, gitlog.Spooled]) -> None:
    first, second = started
    first.close()
    second.__exit__()


_early: ReadAhead | None = None  # started by the CLI before the ingest's imports (outputs/early_ingest.py)


def start_early(repo: gitlog.GitRepo) -> None:
    """Start a read-ahead of `repo` for the ingest this process is about to run (`claim`)."""
    global _early
    if _early is not None:
        _early.close()
    _early = ReadAhead(repo)


def claim(repo: gitlog.GitRepo | None) -> ReadAhead | None:
    """The read-ahead started early for exactly this clone at this head, once; any other one is
    closed (`None`: the caller will read no whole history)."""
    global _early
    early, _early = _early, None
    if early is not None and early.repo == repo:
        return early
    if early is not None:
        early.close()
    return None


atexit.register(claim, None)  # one started early and never claimed (the command failed first): stopped unread
