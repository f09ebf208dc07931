"""Generate a large, deterministic, realistic git repository for the ingestion benchmark.

    python bench/gen_repo.py --commits 100000 --out bench/work/repo100k [--seed 1]
    python bench/gen_repo.py --append 100 --out bench/work/repo100k     # 100 more on top

The history is ONE `git fast-import` stream, written to git's stdin as it is generated (never
held whole in memory). Times are fixed, so the same arguments give the same commit ids on every
machine (the test asserts a literal head hash). The shape of the history is described in
`genmodel.py`. After a run the generator's state (random state, tree, popularity) is pickled to
`<git-dir>/teammemory-bench-state.pickle`, which `--append` loads to continue the same history
deterministically with a second fast-import on top (`from refs/heads/main^0`).
Topic branches are deleted once merged, as on a hosted repository; only `main` remains.
"""

from __future__ import annotations

import argparse
import math
import pickle
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parent))

from genmodel import Record, World  # noqa: E402

GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "GIT_CONFIG_GLOBAL": "/dev/null",
           "PATH": "/usr/bin:/bin:/usr/local/bin", "LC_ALL": "C"}
STATE = "teammemory-bench-state.pickle"


def target_files(commits: int) -> int:
    """Tree size the history grows towards: ~250 files at 300 commits, ~3,200 at 100k, 8,000 cap."""
    return min(8000, 80 + int(10 * math.sqrt(commits)))


def quote(path: str) -> bytes:
    """fast-import's C-style quoted path (spaces and UTF-8 pass through inside the quotes)."""
    return b'"' + path.replace("\\", "\\\\").replace('"', '\\"').encode() + b'"'


def serialize(rec: Record) -> bytes:
    """One `commit` command: header, message, parents, file operations."""
    msg = rec.message.encode()
    out = [b"commit %s\nmark :%d\n" % (rec.ref.encode(), rec.mark),
           b"author %s %d %s\n" % (rec.author.encode(), rec.author_at, rec.author_zone.encode()),
           b"committer %s %d %s\n" % (rec.committer.encode(), rec.committed_at, rec.committer_zone.encode()),
           b"data %d\n" % len(msg), msg, b"\n"]
    if rec.start:
        out.append(b"from %s\n" % rec.start.encode())
    if rec.merge:
        out.append(b"merge :%d\n" % rec.merge)
    for kind, path, arg in rec.ops:
        if kind == "D":
            out.append(b"D %s\n" % quote(path))
        elif kind == "R":
            out.append(b"R %s %s\n" % (quote(path), quote(str(arg))))
        else:
            data = arg if isinstance(arg, bytes) else b"".join(arg)  # type: ignore[arg-type]
            out.append(b"M 100644 inline %s\ndata %d\n" % (quote(path), len(data)))
            out.append(data)
            out.append(b"\n")
    out.append(b"\n")
    return b"".join(out)


class FastImport:
    """A running `git fast-import`: records in through stdin, `get-mark` answers out of stdout."""

    def __init__(self, git_dir: Path) -> None:
        cmd = ["git", "--git-dir", str(git_dir), "fast-import", "--quiet", "--done"]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=GIT_ENV,
                                     bufsize=1 << 20)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin: IO[bytes] = self.proc.stdin
        self.stdout: IO[bytes] = self.proc.stdout

    def write(self, rec: Record) -> None:
        self.stdin.write(serialize(rec))

    def get_mark(self, mark: int) -> str:
        """The real commit id of `mark` (fast-import hashes a commit as soon as it is read)."""
        self.stdin.write(b"get-mark :%d\n" % mark)
        self.stdin.flush()
        return self.stdout.readline().decode().strip()

    def close(self) -> None:
        self.stdin.write(b"done\n")
        self.stdin.close()
        if self.proc.wait() != 0:
            raise SystemExit(f"git fast-import failed with exit code {self.proc.returncode}")


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    res = subprocess.run(["git", "-C", str(repo), *args], input=stdin, env=GIT_ENV, check=True,
                         capture_output=True)
    return res.stdout.decode().strip()


def generate(out: Path, commits: int, seed: int, *, bare: bool = False) -> str:
    """Create a fresh repository at `out` holding `commits` commits; return the head id."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out}: exists and is not empty (remove it or use --append)")
    out.mkdir(parents=True, exist_ok=True)
    git(out, "init", "-q", "-b", "main", *(["--bare"] if bare else []))
    world = World(seed, planned=commits, target_files=target_files(commits))
    return _import(out, world, commits)


def append(out: Path, commits: int) -> str:
    """Continue the history stored in `out` with `commits` more commits (deterministic)."""
    with open(git_dir(out) / STATE, "rb") as fh:
        world: World = pickle.load(fh)
    world.resume = True
    return _import(out, world, commits)


def _import(out: Path, world: World, commits: int) -> str:
    fi = FastImport(git_dir(out))
    for rec in world.run(commits, fi.get_mark):
        fi.write(rec)
    world.pin(fi.get_mark)
    fi.close()
    with open(git_dir(out) / STATE, "wb") as fh:
        pickle.dump(world, fh, protocol=pickle.HIGHEST_PROTOCOL)
    topics = git(out, "for-each-ref", "--format=delete %(refname)", "refs/heads/topic/")
    if topics:
        git(out, "update-ref", "--stdin", stdin=(topics + "\n").encode())
    if git(out, "rev-parse", "--is-bare-repository") == "false":
        git(out, "reset", "-q", "--hard", "main")
    return git(out, "rev-parse", "main")


def git_dir(out: Path) -> Path:
    return out / ".git" if (out / ".git").is_dir() else out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--commits", type=int, help="commits to generate (a new repository)")
    ap.add_argument("--append", type=int, metavar="N", help="add N commits to the repository at --out")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bare", action="store_true", help="no working tree")
    args = ap.parse_args(argv)
    if (args.commits is None) == (args.append is None):
        ap.error("give exactly one of --commits and --append")
    started = time.perf_counter()
    if args.commits is not None:
        head = generate(args.out, args.commits, args.seed, bare=args.bare)
    else:
        head = append(args.out, args.append)
    print(f"{args.out}: main at {head} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
