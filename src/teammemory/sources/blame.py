"""I/O and parser for `git blame`: which commit last changed each line of a file, as of a moment.

`blame(path, file, lines, until=)` runs, in the clone at `path`,

    git blame -w -M -C --line-porcelain [--ignore-rev=H ...] -L a,b <rev> -- <file>

where `<rev>` is the last commit reachable from the clone's head (or the given `start`) committed
at or before `until` (`git rev-list -1 --before=<until> <start>`), so an answer is reproducible
as of `--now`. `-w` ignores whitespace-only changes, `-M` follows lines moved within the file and
`-C` lines moved or copied from other files of the same commit; each `H` is a revision the
repository's `.git-blame-ignore-revs` lists as it stood at `<rev>` (skipped, as GitHub's blame
view does), each checked to exist first (git refuses an unknown one).
Three git processes on the usual path: rev-list, one `cat-file --batch` for the file and the
ignore list, and blame of the asked lines only (`-L`), a fourth when the commit-graph TeamMemory
keeps for the clone (sources/commit_graph.py, outside the clone) is behind `<rev>`. The blame is
nearly all of the time; the graph halves it on a long history (0.66 -> 0.28 s on the 100k bench
clone), and `-C` is already git's cheapest copy search (files changed in the same commit).
bench/startup.py times `git blame` alone, with and without the graph. `start_early` plans and
starts a blame in a thread before the command that asks for it has loaded (outputs/early_why.py);
`blame()` asked the same takes it over (the same clone, file, lines and start, at a time that
resolves to the same revision), and stops it otherwise.

`parse_porcelain(text)` is pure: one `--line-porcelain` record per line,

    <hash> <orig-line> <final-line> [<group-size>]
    author Ana Lima
    ...
    filename src/old_name.py
    \t<the line>

into `BlameLine(line, hash, orig_path, orig_line, text)`.
"""

from __future__ import annotations

import atexit
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from teammemory.errors import InputError, SourceError
from teammemory.sources import commit_graph
from teammemory.sources.gitlog import git, git_env

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
          start: str = "HEAD", note: Callable[[str], None] | None = None) -> Blame:
    """Blame `lines` (1-based, inclusive; None: all) of `file` as of epoch `until` in the clone at
    `path`, with TeamMemory's commit-graph of the clone (sources/commit_graph.py; `note` hears when
    it is written for the first time). A blame of the same started early (`start_early`) is
    taken over instead of run again."""
    repo = Path(path).expanduser()
    ask = Asked(repo, file, lines, until, start)
    early = _take_early(ask)
    if early is not None:
        plan, done = early
    else:
        plan = prepare(ask, note)
        done = git(repo, *plan.args, alternates=plan.graph)
    if done.returncode != 0:
        raise SourceError(f"git blame {file} at {plan.rev[:12]} in {repo}: {_last_line(done.stderr)}")
    return Blame(plan.rev, file, plan.first, plan.last, plan.total, plan.ignored, parse_porcelain(done.stdout))


class Asked(NamedTuple):
    """What a blame is asked: everything its git commands follow from (with the clone's state)."""

    repo: Path
    file: str
    lines: tuple[int, int] | None
    until: int
    start: str


class Plan(NamedTuple):
    """A checked blame, ready to run: `args` is git's command line after `git -C repo`."""

    rev: str
    first: int
    last: int
    total: int
    ignored: tuple[str, ...]
    args: tuple[str, ...]
    graph: str | None  # the object directory with the clone's commit-graph (sources/commit_graph.py)


def prepare(ask: Asked, note: Callable[[str], None] | None = None) -> Plan:
    """The revision, the checked line range, the ignore list and the commit-graph of a blame
    (InputError naming --git-dir, PATH or --now for what cannot be blamed)."""
    repo, file = ask.repo, ask.file
    if not repo.is_dir():
        raise InputError("--git-dir", f"{repo}: no such directory")
    rev = revision_at(repo, ask.until, ask.start)
    blob, ignore_list = read_objects(repo, [f"{rev}:{file}", f"{rev}:{IGNORE_REVS}"])  # one git process for both
    total = line_count(repo, rev, file, blob)
    first, last = ask.lines if ask.lines is not None else (1, total)
    if total == 0:
        raise InputError("PATH", f"{file} is empty at {rev[:12]}: no line to blame")
    if first > total or last > total:
        raise InputError("PATH", f"lines {first}-{last} are past the end of {file} ({total} lines at {rev[:12]})")
    ignored = ignore_revs(repo, rev, ignore_list)
    args = ["blame", "-w", "-M", "-C", "--line-porcelain", "--no-progress", f"-L{first},{last}"]
    args += [f"--ignore-rev={h}" for h in ignored]  # the checked list itself: no file to write
    graph = commit_graph.alternates(repo, rev, note)
    return Plan(rev, first, last, total, ignored, (*args, rev, "--", file), graph)


class _Early:
    """A blame started before the command asked for it (outputs/early_why.py): its plan and git."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.ask: Asked | None = None
        self.plan: Plan | None = None
        self.process: subprocess.Popen[str] | None = None

    def stop(self) -> None:
        """Kill a git nobody took (the command failed, or asked something else)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_early: _Early | None = None


def start_early(find: Callable[[], Asked | None], note: Callable[[str], None] | None = None) -> None:
    """Plan and start the blame `find` names, in a thread of its own, while the process goes on
    loading the command; `blame()` asked the same takes it over. `find` may return None (nothing
    to start) or raise: the command then does it all itself, and says what was wrong."""
    global _early
    early = _early = _Early()
    atexit.register(early.stop)

    def run() -> None:
        try:
            ask = find()
            if ask is None:
                return
            plan = prepare(ask, note)
            early.process = subprocess.Popen(["git", "-C", str(ask.repo), *plan.args], stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                                             env=git_env(ask.repo, plan.graph))
            early.ask, early.plan = ask, plan
        except Exception:  # noqa: BLE001 - the command's own blame says what was wrong
            early.stop()
            early.process = None
        finally:
            early.ready.set()

    threading.Thread(target=run, name="early-blame", daemon=True).start()


def _take_early(ask: Asked) -> tuple[Plan, subprocess.CompletedProcess[str]] | None:
    """The early blame's plan and finished git when it was asked the same (the same clone, file,
    lines and start, at the same `until` or one that resolves to the same revision); else None
    (and the early git, if any, is stopped)."""
    global _early
    early, _early = _early, None
    if early is None:
        return None
    early.ready.wait()
    was, plan, process = early.ask, early.plan, early.process
    if was is None or plan is None or process is None:
        return None
    same = (was.repo.resolve() == ask.repo.resolve()
            and (was.file, was.lines, was.start) == (ask.file, ask.lines, ask.start)
            and (was.until == ask.until or revision_at(ask.repo, ask.until, ask.start) == plan.rev))
    if not same:
        early.stop()
        return None
    out, err = process.communicate()
    return plan, subprocess.CompletedProcess(process.args, process.returncode, out, err)


def revision_at(repo: Path, until: int, start: str = "HEAD") -> str:
    """The last commit reachable from `start` committed at or before `until` (git rev-parse
    runs only when rev-list fails, to tell a directory that is no repository from a bad `start`)."""
    done = git(repo, "rev-list", "-1", f"--before={until}", start, "--")
    if done.returncode != 0:
        if git(repo, "rev-parse", "--git-dir").returncode != 0:
            raise InputError("--git-dir", f"{repo}: not a git repository")
        raise SourceError(f"git rev-list {start} in {repo}: {_last_line(done.stderr)}")
    rev = done.stdout.strip()
    if not rev:
        raise InputError("--now", f"{repo} has no commit at or before {until} (epoch seconds)")
    return rev


def read_objects(repo: Path, names: list[str]) -> list[tuple[str, bytes | None]]:
    """(type, contents) of each `rev:path` name, ('missing', None) for one that is not there: one
    `git cat-file --batch` for all of them instead of a git process per question asked of git."""
    stdin = "".join(f"{n}\n" for n in names).encode()
    try:
        done = subprocess.run(["git", "-C", str(repo), "cat-file", "--batch"], input=stdin, capture_output=True,
                              env=git_env(repo), check=False)
    except FileNotFoundError:
        raise SourceError("git is not installed (or not on PATH)") from None
    if done.returncode != 0:
        raise SourceError(f"git cat-file in {repo}: {_last_line(done.stderr.decode(errors='replace'))}")
    out: list[tuple[str, bytes | None]] = []
    at = 0
    for _ in names:  # '<sha> <type> <size>\n<contents>\n', or '<name> missing\n'
        end = done.stdout.index(b"\n", at)
        head = done.stdout[at:end].split(b" ")
        if len(head) == 3 and head[2].isdigit():
            size = int(head[2])
            out.append((head[1].decode(), done.stdout[end + 1:end + 1 + size]))
            at = end + 1 + size + 1
        else:
            out.append(("missing", None))
            at = end + 1
    return out


def line_count(repo: Path, rev: str, file: str, found: tuple[str, bytes | None]) -> int:
    """Lines of `file` at `rev` from its `read_objects` answer (InputError naming PATH when it is
    not a file there); a lone CR ends a line too, as reading the blob as text always counted it."""
    kind, blob = found
    if kind != "blob" or blob is None:
        what = "a directory" if kind == "tree" else "no such file"
        raise InputError("PATH", f"{file}: {what} at {rev[:12]} in {repo}")
    text = blob.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return text.count(b"\n") + (0 if not text or text.endswith(b"\n") else 1)


def ignore_revs(repo: Path, rev: str, found: tuple[str, bytes | None]) -> tuple[str, ...]:
    """The revisions `.git-blame-ignore-revs` at `rev` (its `read_objects` answer) lists that exist
    in the clone (git blame refuses a file naming an unknown one); () when there is no such file."""
    kind, blob = found
    if kind != "blob" or blob is None:
        return ()
    listed = [ln.split("#", 1)[0].strip() for ln in blob.decode(errors="replace").splitlines()]
    listed = [h for h in listed if h]
    if not listed:
        return ()
    check = git(repo, "cat-file", "--batch-check", stdin="".join(f"{h}^{{commit}}\n" for h in listed))
    return tuple(h for h, out in zip(listed, check.stdout.splitlines(), strict=False) if not out.endswith("missing"))


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
