"""I/O only: check a local clone, resolve its branch, stream one `git log` as per-commit chunks.

One `git log` process per run (two for a long history on a multi-core machine: `_segmented`),
read incrementally (memory stays flat on a million commits; no `--reverse`, which would make git
buffer the whole history). Every option that shapes the output is given on the command line and
the user's and system's git config are switched off, so no `log.showSignature`, `diff.renames`,
`diff.algorithm` or `log.showRoot` can change what is parsed. Chunks are separated by a marker
that starts each commit's format; the parser (`sources.gitparse`) documents a chunk's fields.
"""

from __future__ import annotations

import os
import queue
import re

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
import subprocess
import tempfile
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from teammemory.errors import InputError, SourceError

if TYPE_CHECKING:
    from teammemory.sources.git_read_ahead import ReadAhead

MARK = b"\x1e\x1fTM\x1f"  # starts every commit; a chunk boundary is NUL + MARK
SEPARATOR = b"\0" + MARK
FORMAT = "%x1e%x1fTM%x1f%H%x00%P%x00%aN%x00%aE%x00%ad%x00%cN%x00%cE%x00%cd%x00%B"
LOG_OPTIONS = (
    "-z", "--raw", "--numstat", "--no-abbrev", "-M", "--root", "--date=raw", "--encoding=UTF-8",
    "--no-color", "--no-show-signature", "--no-textconv", "--no-ext-diff", "--no-relative",
    "--diff-algorithm=myers", f"--format={FORMAT}",
)
READ_SIZE = 1 << 18
PIPE_SIZE = 1 << 20
QUEUE_BLOCKS = 64  # at most 16 MiB of git output waits to be parsed


@dataclass(frozen=True)
class GitRepo:
    """A checked local clone: resolved path, the branch as named, and its head commit."""

    path: Path
    branch: str
    head: str
    boundary: tuple[str, ...] = ()  # a shallow clone's boundary commits (git's `shallow` file); () if whole

    @property
    def shallow(self) -> bool:
        """A shallow clone: the history below its boundary is not in it."""
        return bool(self.boundary)


def git_env(path: Path, alternates: str | None = None) -> dict[str, str]:
    """The environment git runs in: no inherited GIT_* (a hook's GIT_DIR would redirect us), no
    system or user config, C locale messages, and no discovery above `path`; `alternates`: an
    object directory git reads besides the clone's (a commit-graph of ours, sources/commit_graph.py)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0",
               GIT_CEILING_DIRECTORIES=str(path.parent), LC_ALL="C")
    if alternates is not None:
        env["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = alternates
    return env


def git(path: Path, *args: str, stdin: str = "", alternates: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a short git command in `path` and return it (the caller reads returncode/stdout);
    `alternates` as for `git_env`."""
    try:
        return subprocess.run(["git", "-C", str(path), *args], input=stdin, capture_output=True, text=True,
                              env=git_env(path, alternates), check=False)
    except FileNotFoundError:
        raise SourceError("git is not installed (or not on PATH)") from None


def open_repo(path: Path, branch: str | None = None) -> GitRepo:
    """Check that `path` is a git repository with commits and resolve `branch` (default HEAD)."""
    path = Path(path).expanduser().resolve()
    if not path.is_dir():
        raise InputError(str(path), "no such directory")
    probe = git(path, "rev-parse", "--git-dir", "--git-path", "shallow")
    if probe.returncode != 0:
        detail = probe.stderr.strip().splitlines()[-1:] or ["git rev-parse failed"]
        raise InputError(str(path), f"not a git repository ({detail[0]})")
    if branch is not None and (not branch or branch.startswith("-")):
        raise InputError("--branch", f"unknown branch {branch!r}")
    head = git(path, "rev-parse", "--verify", "--quiet", f"{branch or 'HEAD'}^{{commit}}").stdout.strip()
    if not head:
        if not git(path, "for-each-ref", "--count=1").stdout.strip():
            raise InputError(str(path), "empty repository: it has no commits")
        if branch is None:
            raise InputError(str(path), "HEAD does not point to a commit; name a branch")
        raise InputError(str(path), f"unknown branch {branch!r}")
    label = branch or git(path, "symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip() or "HEAD"
    return GitRepo(path, label, head, boundary=_boundary(path / probe.stdout.splitlines()[-1]))


def _boundary(shallow: Path) -> tuple[str, ...]:
    """The commits a shallow clone's history stops at (its `shallow` file), sorted; () if none."""
    try:
        return tuple(sorted(set(shallow.read_text().split())))
    except FileNotFoundError:
        return ()


def read_mailmap(repo: GitRepo) -> str:
    """The text of `.mailmap` in the ingested revision (`<head>:.mailmap`), '' when it has none.

    git log maps authors and committers (`%aN`, `%aE`) by the work tree's `.mailmap`, which in a
    clean clone is this file; trailers are mapped by it in the parser (`sources.mailmap`). Read
    from the revision, not the work tree, so the same commits give the same people.
    """
    blob = f"{repo.head}:.mailmap"
    if git(repo.path, "cat-file", "-t", blob).stdout.strip() != "blob":
        return ""
    try:
        done = subprocess.run(["git", "-C", str(repo.path), "cat-file", "blob", blob], capture_output=True,
                              env=git_env(repo.path), check=False)
    except FileNotFoundError:
        raise SourceError("git is not installed (or not on PATH)") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise SourceError(f"git cat-file {blob} in {repo.path} failed: {message}")
    return done.stdout.decode("utf-8", "replace")


def is_ancestor(repo: GitRepo, old: str, new: str) -> bool:
    """True when commit `old` exists here and is an ancestor of (or equal to) `new`."""
    return git(repo.path, "merge-base", "--is-ancestor", old, new).returncode == 0


def count_commits(repo: GitRepo, revs: Sequence[str], *, no_walk: bool = False) -> int:
    """How many commits `log_chunks(repo, revs)` will yield (for a progress bar's total)."""
    if no_walk:
        return len(revs)
    done = git(repo.path, "rev-list", "--count", "--stdin", stdin="".join(r + "\n" for r in revs))
    return int(done.stdout.strip() or 0) if done.returncode == 0 else 0


def rev_list(repo: GitRepo, head: str) -> Iterator[str]:
    """Stream every commit hash reachable from `head`."""
    for line in _stream(repo, "rev-list", ["rev-list", head], b"", READ_SIZE, lines=True):
        yield line.decode().strip()


@dataclass(frozen=True)
class Walk:
    """`git rev-list --parents <head>` as printed: every commit reachable from head, in `git log`'s
    order, each line a hash and its parents' hashes."""

    text: str

    @property
    def hashes(self) -> list[str]:
        """Every commit, in the walk's order."""
        return _FIRST_HASH.findall(self.text)

    @property
    def roots(self) -> list[str]:
        """The commits without parents (`--max-parents=0`'s), in the walk's order."""
        return _LONE_HASH.findall(self.text)


_FIRST_HASH = re.compile(r"^[0-9a-f]+", re.MULTILINE)
_LONE_HASH = re.compile(r"^[0-9a-f]+$", re.MULTILINE)


def walk(repo: GitRepo, head: str) -> Walk:
    """Walk the history once for what a run needs of all of it: the repository's identity (its
    roots) and, on a first ingest, the order `log_chunks` splits into segments (`order=`). Kept as
    git's text (41 bytes a commit, no object per line) until a caller asks for the hashes."""
    done = git(repo.path, "rev-list", "--parents", head)
    if done.returncode != 0:
        raise SourceError(f"git rev-list --parents in {repo.path} failed: {done.stderr.strip()}")
    return Walk(done.stdout)


def new_roots(repo: GitRepo, head: str, old: str) -> list[str]:
    """The commits without parents that `head` reaches and `old` does not (walks only those)."""
    if head == old:
        return []
    done = git(repo.path, "rev-list", "--max-parents=0", head, "^" + old)
    if done.returncode != 0:
        raise SourceError(f"git rev-list --max-parents=0 in {repo.path} failed: {done.stderr.strip()}")
    return done.stdout.split()


def log_chunks(repo: GitRepo, revs: Iterable[str], *, no_walk: bool = False,
               read_size: int = READ_SIZE, segments: bool = False,
               order: Sequence[str] | None = None, ahead: ReadAhead | None = None) -> Generator[str, None, None]:
    """Yield one decoded chunk per commit of `git log <revs>`.

    `revs` go through stdin (no length limit): `[new_head, "^" + old_head]` for an incremental
    run, or with `no_walk` an explicit list of commits. Paths and names that are not UTF-8 are
    decoded with U+FFFD replacements, so the store receives valid text.

    `segments`: on a machine with more than one CPU, read a long history with several git
    processes (see `_segmented`); the chunks and their order are exactly those of one `git log`.
    `order`: the commits `git rev-list <revs>` prints, when the caller has them (`walk`).
    `ahead`: git processes started early for this very read (sources/git_read_ahead.py), used
    when they read exactly these commits.
    """
    revs = list(revs)
    if segments and (os.cpu_count() or 1) > 1:
        hashes = revs if no_walk else list(order) if order is not None else _rev_list_stdin(repo, revs)
        if len(hashes) >= 2 * SEGMENT_COMMITS[0]:
            started = ahead.take(hashes) if ahead is not None and not no_walk else None
            yield from _segmented(repo, hashes, read_size, started)
            return
    args = [*WALK_ARGS]
    if no_walk:
        args.append("--no-walk=unsorted")
    for raw in _stream(repo, "log", args, _stdin(revs), read_size, lines=False):
        yield raw.decode("utf-8", "replace")


# Commits per segment: the first two segments are the longest (their git processes start
# together), the last three shrink 4:2:1, so that little is left to parse once the last git is
# done (a core idles while the parser reads what is left alone), within these bounds for a
# full segment. Each git process starts with cold caches (measured: 12 segments cost git 10-25 %
# more CPU, 2 segments nothing), so segments are few.
SEGMENT_COMMITS = (400, 20_000)
SEGMENTS = 2  # git processes at work at a time, beside the parser
SEGMENT_ARGS = ["-c", "core.quotepath=off", "log", *LOG_OPTIONS, "--stdin", "--no-walk=unsorted"]
WALK_ARGS = ("-c", "core.quotepath=off", "log", *LOG_OPTIONS, "--stdin")  # `git log <revs>`, walked


def segment_sizes(total: int) -> list[int]:
    """The commits of each segment of a `total`-commit read: full ones (the first two at least),
    then what is left as 4:2:1 (uncut: x, x, x/2, x/4)."""
    full = min(SEGMENT_COMMITS[1], max(SEGMENT_COMMITS[0], -(-total * 4 // 11)))
    sizes: list[int] = []
    left = total
    while left > full * 7 // 4 or len(sizes) < 1:
        sizes.append(min(full, left))
        left -= sizes[-1]
    tail = [left * 4 // 7, left * 2 // 7]
    tail.append(left - sum(tail))
    return sizes + [size for size in tail if size > 0]


def segment_parts(hashes: list[str]) -> list[list[str]]:
    """`hashes` (at least 2 * SEGMENT_COMMITS[0]) cut into the segments `_segmented` reads."""
    parts, start = [], 0
    for size in segment_sizes(len(hashes)):
        parts.append(hashes[start:start + size])
        start += size
    return parts


def start_segments(repo: GitRepo, parts: list[list[str]], read_size: int = READ_SIZE) -> tuple[Streamed, Spooled]:
    """Start the first two segments' git processes: the second spooled to a file, the first
    streamed (a reader thread drains its pipe from now on)."""
    second = Spooled(repo, SEGMENT_ARGS, parts[1])
    try:
        return Streamed(repo, "log", SEGMENT_ARGS, _stdin(parts[0]), read_size), second
    except BaseException:
        second.__exit__()
        raise


def start_open(repo: GitRepo, head: str, read_size: int = READ_SIZE) -> Streamed:
    """`git log <head>` from its first commit on, before the walk has said where the first
    segment ends (`Streamed.cut_after`: then it reads exactly the first segment's commits, as
    its walk prints them first). It saves the walk's time before the first git log starts
    (0.05 s for 5,500 commits, 0.9 s for 100,000)."""
    return Streamed(repo, "log", [*WALK_ARGS], _stdin([head]), read_size, count=True)


def _segmented(repo: GitRepo, hashes: list[str], read_size: int,
               started: tuple[Streamed, Spooled] | None = None) -> Iterator[str]:
    """`git log` of `hashes` (in `git rev-list` order, which is git log's own) by segments.

    `git log` runs on one core, and its diffs (`--numstat -M`) are most of an ingest's time: so
    while this thread parses one segment, the next ones' git processes write theirs to temporary
    files on the other core (SEGMENTS of them at work at a time, each `--no-walk=unsorted --stdin`
    of its segment, which prints each commit exactly as the walk does). The first segment is
    streamed from its pipe, the others are read back from their files once their git is done:
    disk holds SEGMENTS + 1 segments at most.
    `started`: the first two segments' processes, already running (`start_segments`).
    """
    parts = segment_parts(hashes)
    first, second = started or start_segments(repo, parts, read_size)  # from here on closed below
    ahead = [second]
    begun = 2  # segments whose git has been started

    def top_up() -> None:  # keep SEGMENTS git processes at work while segments are left
        nonlocal begun
        while begun < len(parts) and sum(spooled.running() for spooled in ahead) < SEGMENTS:
            ahead.append(Spooled(repo, SEGMENT_ARGS, parts[begun]))
            begun += 1

    def blocks() -> Iterator[bytes]:  # the segments' outputs one after the other: one git log's bytes
        yield from first.blocks() if first.records is None else _first_records(first.blocks(), first.records)
        first.close()
        for _ in range(1, len(parts)):
            top_up()
            with ahead.pop(0) as current:
                yield from current.blocks(read_size)

    try:
        for raw in _split(blocks()):
            yield raw.decode("utf-8", "replace")
    finally:
        first.close()
        for spooled in ahead:
            spooled.__exit__()


class Spooled:
    """One git log run with its output going to a temporary file, read back once it is done."""

    def __init__(self, repo: GitRepo, args: list[str], revs: list[str]) -> None:
        self._repo = repo
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(["git", "-C", str(repo.path), *args], stdin=subprocess.PIPE,
                                          stdout=self._out, stderr=self._err, env=git_env(repo.path))
        except FileNotFoundError:
            self.__exit__()
            raise SourceError("git is not installed (or not on PATH)") from None
        _feed(self._proc, _stdin(revs))

    def running(self) -> bool:
        return self._proc.poll() is None

    def blocks(self, read_size: int) -> Iterator[bytes]:
        """The output's blocks once git has exited; SourceError if it failed."""
        if self._proc.wait() != 0:
            self._err.seek(0)
            message = self._err.read().decode("utf-8", "replace").strip()
            raise SourceError(f"git log in {self._repo.path} failed: {message}")
        self._out.seek(0)
        while block := self._out.read(read_size):
            yield block

    def __enter__(self) -> Spooled:
        return self

    def __exit__(self, *exc: object) -> None:
        proc = getattr(self, "_proc", None)
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        self._out.close()
        self._err.close()


def _stdin(revs: Iterable[str]) -> bytes:
    return "".join(r + "\n" for r in revs).encode()


def _rev_list_stdin(repo: GitRepo, revs: list[str]) -> list[str]:
    """The commits `git log <revs>` walks, in its order."""
    return [line.decode().strip() for line in _stream(repo, "rev-list", ["rev-list", "--stdin"], _stdin(revs),
                                                      READ_SIZE, lines=True)]


def _stream(repo: GitRepo, what: str, args: list[str], stdin: bytes, read_size: int, *,
            lines: bool, raw: bool = False) -> Iterator[bytes]:
    """Run git, yield its output split on SEPARATOR (or newlines, or as read with `raw`);
    SourceError when git fails."""
    streamed = Streamed(repo, what, args, stdin, read_size)
    try:
        out = streamed.blocks()
        yield from (out if raw else _split_lines(out) if lines else _split(out))
    finally:
        streamed.close()


class Streamed:
    """One git process whose stdout a reader thread drains into a bounded queue from the moment
    it starts, so git keeps running (on the other core) while this thread parses and writes a
    batch; memory stays bounded by the queue."""

    def __init__(self, repo: GitRepo, what: str, args: list[str], stdin: bytes, read_size: int, *,
                 count: bool = False) -> None:
        self._repo, self._what = repo, what
        self._err = tempfile.TemporaryFile()
        self._proc: subprocess.Popen[bytes] | None = None
        self._pump: Pump | None = None
        self.records: int | None = None  # `cut_after`'s
        try:
            self._proc = _popen(repo, args, self._err)
            assert self._proc.stdout is not None
            _widen_pipe(self._proc.stdout)
            self._pump = Pump(self._proc.stdout, read_size, count=count, on_cut=self._proc.kill)
            _feed(self._proc, stdin)
        except BaseException:
            self.close()
            raise

    def cut_after(self, records: int) -> None:
        """Only the first `records` commits are wanted (a stream started with `count`): git stops
        once it printed the next one's start, and blocks() is read through `_first_records`."""
        assert self._pump is not None
        self.records = records
        self._pump.limit = records

    def blocks(self) -> Iterator[bytes]:
        """The output as read; SourceError when git failed."""
        assert self._proc is not None and self._pump is not None
        yield from self._pump.blocks()
        if self._pump.cut:  # stopped on purpose: git was still printing
            return
        if self._proc.wait() != 0:
            self._err.seek(0)
            message = self._err.read().decode("utf-8", "replace").strip()
            raise SourceError(f"git {self._what} in {self._repo.path} failed: {message}")

    def close(self) -> None:
        """Stop git if it still runs, and the reader thread."""
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()
            if self._pump is not None:
                self._pump.close()
            assert self._proc.stdout is not None
            self._proc.stdout.close()
        self._err.close()


class Pump:
    """Read a pipe on a thread into a bounded queue (QUEUE_BLOCKS blocks of `read_size`).
    With `count`, it counts the commits' starts (MARK) as it reads, and stops reading (`cut`)
    once it read more than `limit` of them: the queue would otherwise take up to 16 MiB of
    commits another segment reads, costing git that much CPU twice."""

    def __init__(self, out: IO[bytes], read_size: int, *, count: bool = False,
                 on_cut: Callable[[], None] | None = None) -> None:
        self._out = out
        self._size = read_size
        self._count = count
        self._on_cut = on_cut  # stops the writer (git) at once: what it prints from then on is waste
        self.marks = 0  # commit starts read (a MARK across two blocks is missed: the cut comes late)
        self.limit: int | None = None
        self.cut = False
        self._queue: queue.Queue[bytes | OSError] = queue.Queue(maxsize=QUEUE_BLOCKS)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="git-log-reader", daemon=True)
        self._thread.start()

    def blocks(self) -> Iterator[bytes]:
        while block := self._queue.get():
            if isinstance(block, OSError):
                raise SourceError(f"reading git output failed: {block}")
            yield block

    def close(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        read = self._out.read1  # type: ignore[attr-defined]
        try:
            while not self._stop.is_set():
                block = read(self._size)
                self._put(block)
                if not block:
                    return
                if self._count:
                    self.marks += block.count(MARK)
                    if self.limit is not None and self.marks > self.limit:
                        self.cut = True
                        if self._on_cut is not None:
                            self._on_cut()
                        self._put(b"")
                        return
        except (OSError, ValueError) as exc:  # ValueError: the pipe was closed under us
            self._put(OSError(str(exc)))

    def _put(self, item: bytes | OSError) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue


def _widen_pipe(out: IO[bytes]) -> None:
    """Give git a 1 MiB pipe (Linux) instead of 64 KiB: the reader thread only runs when it gets
    the GIL (every few ms while the main thread parses), and a small pipe makes git stall in
    between; measured on 100,000 commits this overlap is most of the gap to bare `git log`."""
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", 1031) if fcntl else None
    if setpipe is None:
        return
    try:
        fcntl.fcntl(out.fileno(), setpipe, PIPE_SIZE)
    except OSError:  # not Linux, or over /proc/sys/fs/pipe-max-size: the default still works
        pass


def _popen(repo: GitRepo, args: list[str], err: IO[bytes]) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(["git", "-C", str(repo.path), *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=err, env=git_env(repo.path))
    except FileNotFoundError:
        raise SourceError("git is not installed (or not on PATH)") from None


def _feed(proc: subprocess.Popen[Any], data: bytes) -> None:
    """Write all of stdin, then close it (git reads `--stdin` completely before it walks)."""
    assert proc.stdin is not None
    try:
        proc.stdin.write(data)
        proc.stdin.close()
    except BrokenPipeError:  # git exited early; its exit code and stderr tell why
        pass


def _first_records(blocks: Iterable[bytes], n: int) -> Iterator[bytes]:
    """The bytes of a git log stream's first `n` commits: up to the NUL before the next one's
    MARK, as one git log of those commits ends (a SEPARATOR across two blocks is held back)."""
    seen, held, keep = 0, b"", len(SEPARATOR) - 1
    for block in blocks:
        data = held + block
        at = data.find(SEPARATOR)
        while at >= 0:
            seen += 1
            if seen == n:
                yield data[:at + 1]
                return
            at = data.find(SEPARATOR, at + 1)
        yield data[:-keep]
        held = data[-keep:]
    yield held


def _split(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """Cut the stream at each SEPARATOR; each byte is searched once, so one huge commit is linear."""
    buf = bytearray(b"\0")  # the stream starts with MARK: make it start with a SEPARATOR
    for block in blocks:
        start = max(0, len(buf) - len(SEPARATOR) + 1)
        buf += block
        cut = buf.rfind(SEPARATOR, start)
        if cut < 0:
            continue
        yield from (bytes(piece) for piece in buf[:cut].split(SEPARATOR) if piece)
        del buf[:cut + len(SEPARATOR)]
    if buf.startswith(SEPARATOR):
        del buf[:len(SEPARATOR)]
    if buf.strip(b"\0"):
        yield bytes(buf)


def _split_lines(blocks: Iterable[bytes]) -> Iterator[bytes]:
    rest = b""
    for block in blocks:
        *lines, rest = (rest + block).split(b"\n")
        yield from (line for line in lines if line)
    if rest:
        yield rest
