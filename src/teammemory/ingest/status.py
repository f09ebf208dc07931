"""One line on stderr that says what a long ingest or sync is doing, while it does it.

A git ingest's bar ends with git's last commit, and derive runs seconds after it (1.5 s on
BookKeeper's 3,705 commits, 18 s at 100,000); a sync of a large repository fetches for minutes
before it writes anything. Without a word the terminal looks hung. The line is a spinner, the
step (`proj: deriving identities`, `owner/repo: fetching pull requests: 120 so far`) and the
time since the first step; it is gone when the run ends, before the summary is printed. Only on
a terminal: the caller passes `show` (stderr is a TTY and no --quiet).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


@contextmanager
def status_line(show: bool, name: str) -> Iterator[Callable[[str], None]]:
    """`say(step)` shows `name: step`; a no-op unless `show`. The line starts at the first step,
    so a progress bar shown before it (one live display at a time) is gone by then."""
    if not show:
        yield lambda step: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    shown = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                     console=Console(stderr=True), transient=True)
    task: list[Any] = []

    def say(step: str) -> None:
        if not task:
            task.append(shown.add_task(f"{name}: {step}"))
            shown.start()
        else:
            shown.update(task[0], description=f"{name}: {step}", refresh=True)

    try:
        yield say
    finally:
        if task:
            shown.stop()


def counted(items: Iterable[T], what: str, say: Callable[[str], None], every: int = 10) -> Iterator[T]:
    """`items` as they come, saying `fetching WHAT: N so far` at the start and every `every`
    items (a PR's details are several requests: its line moves a few times a second)."""
    say(f"fetching {what}")
    n = 0
    for item in items:
        n += 1
        if n % every == 0:
            say(f"fetching {what}: {n:,} so far")
        yield item
