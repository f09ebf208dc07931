"""A first ingest's git work, started before the store is opened: the walk and the first two
`git log` segments.

A whole-history ingest spends its first ~0.2 s (imports, the store's migration, the fresh-build
checks) on one core before git starts, and the git phase after it is bound by git itself (the
parser waits on the first segment's pipe: bench/RESULTS.md, whole-process ingest). Starting git
as soon as the clone is checked lets both run at once. This is only worth it, and only exact,
when the ingest is known to read the whole history: the caller starts it for a store that holds
no commits yet (a new or blank one), where the plan is always `git log <head>`, and the ingest
takes the processes only when it asks for exactly the commits they read (`take`); anything else
(another plan, a failure before the git phase) closes them unread.
"""

from __future__ import annotations

import os
import threading

from teammemory.sources import gitlog


class ReadAhead:
    """`git rev-list --parents <head>` at once on a thread, then the first two segments of
    `git log` (gitlog.start_segments) while the caller goes on; their output waits in the reader
    thread's queue and the spool file until the ingest reads them."""

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
        try:
            found = gitlog.walk(self.repo, self.repo.head)
            hashes = found.hashes
            with self._lock:
                self._walk, self._hashes = found, hashes
                if not self._closed and (os.cpu_count() or 1) > 1 and len(hashes) >= 2 * gitlog.SEGMENT_COMMITS[0]:
                    self._started = gitlog.start_segments(self.repo, gitlog.segment_parts(hashes))
        except BaseException as exc:  # noqa: BLE001 - raised to the ingest by walk()
            self._error = exc

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
