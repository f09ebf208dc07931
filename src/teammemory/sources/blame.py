"""I/O and parser for `git blame`: which commit last changed each line of a file, as of a moment.

`blame(path, file, lines, until=)` runs, in the clone at `path`,

    git blame -w -M -C --line-porcelain [--ignore-revs-file F] -L a,b <rev> -- <file>

where `<rev>` is the last commit reachable from the clone's head (or the given `start`) committed
at or before `until` (`git rev-list -1 --before=<until> <start>`), so an answer is reproducible
as of `--now`. `-w` ignores whitespace-only changes, `-M` follows lines moved within the file and
`-C` lines moved or copied from other files of the same commit; `F` is the repository's
`.git-blame-ignore-revs` as it stood at `<rev>` (its revisions are skipped, as GitHub's blame
view does), each listed hash checked to exist first (git refuses the whole file otherwise).

`parse_porcelain(text)` is pure: one `--line-porcelain` record per line,

    <hash> <orig-line> <final-line> [<group-size>]
    author Ana Lima
    ...
    filename src/old_name.py
    \t<the line>

into `BlameLine(line, hash, orig_path, orig_line, text)`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from teammemory.errors import InputError, SourceError
from teammemory.sources.gitlog import git

IGNORE_REVS = ".git-blame-ignore-revs"


@dataclass(frozen=True)
class BlameLine:
    line: int  # line number in the file at the blamed revision
    hash: str  # the commit that last changed it
    orig_path: str  # the file's name in that commit (renames and moved code followed)
    orig_line: int  # the line's number in that commit
    text: str
    author: str = ""  # as git has it (for a commit the store does not hold)
    author_time: int = 0
    summary: str = ""


@dataclass(frozen=True)
class Blame:
    rev: str  # the commit blamed at: the last one at or before `until`
    path: str
    first: int
    last: int
    total: int  # lines in the file at rev
    ignored_revs: tuple[str, ...]  # from .git-blame-ignore-revs at rev (those that exist)
    lines: tuple[BlameLine, ...]


def blame(path: Path | str, file: str, lines: tuple[int, int] | None, *, until: int,
          start: str = "HEAD") -> Blame:
    """Blame `lines` (1-based, inclusive; None: all) of `file` as of epoch `until` in the clone at `path`."""
    repo = Path(path).expanduser()
    if not repo.is_dir():
        raise InputError("--git-dir", f"{repo}: no such directory")
    rev = revision_at(repo, until, start)
    total = line_count(repo, rev, file)
    first, last = lines if lines is not None else (1, total)
    if total == 0:
        raise InputError("PATH", f"{file} is empty at {rev[:12]}: no line to blame")
    if first > total or last > total:
        raise InputError("PATH", f"lines {first}-{last} are past the end of {file} ({total} lines at {rev[:12]})")
    ignored = ignore_revs(repo, rev)
    with tempfile.NamedTemporaryFile("w", suffix=".ignore-revs") as ignore_file:
        ignore_file.write("".join(f"{h}\n" for h in ignored))
        ignore_file.flush()
        args = ["blame", "-w", "-M", "-C", "--line-porcelain", "--no-progress", f"-L{first},{last}"]
        if ignored:
            args += ["--ignore-revs-file", ignore_file.name]
        done = git(repo, *args, rev, "--", file)
    if done.returncode != 0:
        raise SourceError(f"git blame {file} at {rev[:12]} in {repo}: {_last_line(done.stderr)}")
    return Blame(rev, file, first, last, total, ignored, parse_porcelain(done.stdout))


def revision_at(repo: Path, until: int, start: str = "HEAD") -> str:
    """The last commit reachable from `start` committed at or before `until`."""
    probe = git(repo, "rev-parse", "--git-dir")
    if probe.returncode != 0:
        raise InputError("--git-dir", f"{repo}: not a git repository")
    done = git(repo, "rev-list", "-1", f"--before={until}", start, "--")
    if done.returncode != 0:
        raise SourceError(f"git rev-list {start} in {repo}: {_last_line(done.stderr)}")
    rev = done.stdout.strip()
    if not rev:
        raise InputError("--now", f"{repo} has no commit at or before {until} (epoch seconds)")
    return rev


def line_count(repo: Path, rev: str, file: str) -> int:
    """Lines of `file` at `rev` (InputError naming PATH when it is not a file there)."""
    kind = git(repo, "cat-file", "-t", f"{rev}:{file}")
    if kind.returncode != 0 or kind.stdout.strip() != "blob":
        what = "a directory" if kind.stdout.strip() == "tree" else "no such file"
        raise InputError("PATH", f"{file}: {what} at {rev[:12]} in {repo}")
    done = git(repo, "cat-file", "blob", f"{rev}:{file}")
    text = done.stdout
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


def ignore_revs(repo: Path, rev: str) -> tuple[str, ...]:
    """The revisions `.git-blame-ignore-revs` lists at `rev` that exist in the clone (git blame
    refuses a file naming an unknown one); () when there is no such file."""
    done = git(repo, "cat-file", "blob", f"{rev}:{IGNORE_REVS}")
    if done.returncode != 0:
        return ()
    listed = [ln.split("#", 1)[0].strip() for ln in done.stdout.splitlines()]
    listed = [h for h in listed if h]
    if not listed:
        return ()
    check = git(repo, "cat-file", "--batch-check", stdin="".join(f"{h}^{{commit}}\n" for h in listed))
    found = [h for h, out in zip(listed, check.stdout.splitlines(), strict=False) if not out.endswith("missing")]
    return tuple(found)


def parse_porcelain(text: str) -> tuple[BlameLine, ...]:
    """Pure: `git blame --line-porcelain` output -> one BlameLine per line (see the module doc)."""
    out: list[BlameLine] = []
    head: list[str] | None = None
    fields: dict[str, str] = {}
    for number, raw in enumerate(text.split("\n"), 1):
        if raw.startswith("\t"):
            if head is None:
                raise SourceError(f"git blame output line {number}: a line's text before its header")
            when = fields.get("author-time", "0")
            out.append(BlameLine(int(head[2]), head[0], fields.get("filename", ""), int(head[1]), raw[1:],
                                 fields.get("author", ""), int(when) if when.isdigit() else 0,
                                 fields.get("summary", "")))
            head, fields = None, {}
        elif head is None and raw:
            head = raw.split(" ")
            if len(head) < 3 or len(head[0]) < 40 or not head[1].isdigit() or not head[2].isdigit():
                raise SourceError(f"git blame output line {number}: expected '<hash> <line> <line>', got {raw[:60]!r}")
        elif raw:
            name, _, value = raw.partition(" ")
            fields[name] = value
    return tuple(out)


def _last_line(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "failed"
