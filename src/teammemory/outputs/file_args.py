"""A file argument as a user types it -> the path the store knows it by (the CLI's edge: it
reads the working folder).

Paths are stored relative to their clone's root, as git prints them. A shell or an editor gives
them otherwise: `./src/app.py`, `src/app.py/`, an absolute path, or a path relative to a folder
inside the clone (`cd src` then `app.py`). Each of those names the stored path when it leads to
a file the store holds for an ingested clone. The argument is returned unchanged when the store
knows it as given, or when nothing else matches: the question then says it is not found and
offers close matches, as before.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from teammemory.store import Reader


def store_path(db: Reader, arg: str, cwd: Path | None = None) -> str:
    """The stored path `arg` names (see the module docstring); `cwd`: the working folder."""
    clones = [(str(r["name"]), str(r["path"])) for r in db.all("select name, path from repositories order by name")]
    if not arg or _known(db, clones, arg):
        return arg
    tidy = posixpath.normpath(arg)  # ./a, a/, a//b
    if tidy != arg and not tidy.startswith(("/", "../")) and tidy != ".." and _known(db, clones, tidy):
        return tidy
    target = (Path(arg) if os.path.isabs(arg) else (cwd or Path.cwd()) / arg).resolve()
    for name, clone in clones:
        try:
            inside = target.relative_to(Path(clone)).as_posix()
        except ValueError:
            continue
        if inside != "." and _known(db, [(name, clone)], inside):
            return inside
    return arg


def _known(db: Reader, clones: list[tuple[str, str]], path: str) -> bool:
    """A file of one of these repositories (any path it ever had: the questions follow renames)."""
    return any(db.scalar("select 1 as x from files where repo = :repo and path = :path", repo=name, path=path)
               for name, _ in clones)
