"""Deterministic git repositories for tests: one `git fast-import` stream, fixed times.

Same `FakeCommit` list -> same commit ids on every machine, so tests may assert on hashes.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "GIT_CONFIG_GLOBAL": "/dev/null"}


@dataclass(frozen=True)
class FakeCommit:
    author: str  # "Ana <ana@example.com>"
    when: int  # epoch seconds
    message: str
    files: dict[str, str | None] = field(default_factory=dict)  # None deletes the file
    renames: dict[str, str] = field(default_factory=dict)  # old -> new (before `files` apply)
    committer: str = ""
    tz: str = "+0000"
    merge: int | None = None  # index of a second parent (a commit in this list)
    branch: str = "main"
    from_: int | None = None  # index of the first parent when it is not the previous commit on branch


def stream(commits: list[FakeCommit]) -> bytes:
    """The fast-import stream for `commits`; commit i gets mark :i+1."""
    out: list[bytes] = []
    heads: dict[str, int] = {}
    for i, c in enumerate(commits):
        msg = c.message.encode()
        out.append(f"commit refs/heads/{c.branch}\nmark :{i + 1}\n".encode())
        out.append(f"author {c.author} {c.when} {c.tz}\n".encode())
        out.append(f"committer {c.committer or c.author} {c.when} {c.tz}\n".encode())
        out.append(f"data {len(msg)}\n".encode() + msg + b"\n")
        parent = c.from_ if c.from_ is not None else heads.get(c.branch)
        if parent is not None and (c.from_ is not None or c.branch not in heads):
            out.append(f"from :{parent + 1}\n".encode())
        if c.merge is not None:
            out.append(f"merge :{c.merge + 1}\n".encode())
        for old, new in c.renames.items():
            out.append(f'R "{old}" "{new}"\n'.encode())
        for path, content in c.files.items():
            if content is None:
                out.append(f'D "{path}"\n'.encode())
            else:
                data = content.encode()
                out.append(f'M 100644 inline "{path}"\ndata {len(data)}\n'.encode() + data + b"\n")
        out.append(b"\n")
        heads[c.branch] = i
    return b"".join(out)


def build_repo(path: Path, commits: list[FakeCommit], *, bare: bool = False) -> Path:
    """Write `commits` into a fresh repository at `path` with one `git fast-import` call."""
    path.mkdir(parents=True, exist_ok=True)
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin:/usr/local/bin"}
    subprocess.run(["git", "init", "-q", "-b", "main"] + (["--bare"] if bare else []) + [str(path)],
                   check=True, env=env)
    git_dir = path if bare else path / ".git"
    subprocess.run(["git", "--git-dir", str(git_dir), "fast-import", "--quiet"], input=stream(commits),
                   check=True, env=env)
    if not bare:
        subprocess.run(["git", "-C", str(path), "checkout", "-q", "-f", "main"], check=True, env=env)
    return path


def rev(path: Path, ref: str = "HEAD") -> str:
    return subprocess.run(["git", "-C", str(path), "rev-parse", ref], check=True, capture_output=True,
                          text=True).stdout.strip()
