"""The git-ingestion benchmark: one command, one repository, every number side by side.

    python bench/run.py --commits 100000            # full run, results into bench/RESULTS.md
    python bench/run.py --quick                     # 2,000 commits, 5 runs: a smoke check
    python bench/run.py --commits 20000 --profile   # also a cProfile of the SQLite ingest
    python bench/run.py --commits 1000000 --floor-runs 1 --no-narrow --no-postgres --runs 5
                                                    # a million commits in about half an hour

Steps (README.md says what each number means): generate or reuse the repository; the floor
(`git log` with exactly ingest_git's options, to /dev/null); ingest into a fresh SQLite store
and a fresh PostgreSQL database (each in a subprocess: bench/worker.py); append 100 commits to a
shared clone and ingest them incrementally; time every agent query. Everything is written
under bench/work/ except the results file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
sys.path[:0] = [str(BENCH), str(ROOT)]

import gen_repo  # noqa: E402
import report  # noqa: E402

from teammemory.sources import gitlog  # noqa: E402

NAME = "bench"
GENERATOR = ("gen_repo.py", "genmodel.py", "genmsg.py")
APPEND = 100


def ensure_repo(commits: int, seed: int) -> tuple[Path, str, float]:
    """The repository for (commits, seed), generated once and reused while `main` is untouched
    and the generator's source is unchanged (the marker holds the head and a source digest)."""
    repo = WORK / f"repo{commits}-s{seed}"
    marker = repo.with_name(repo.name + ".head")
    digest = hashlib.sha256(b"".join((BENCH / f).read_bytes() for f in GENERATOR)).hexdigest()[:16]
    if marker.exists() and (repo / ".git").is_dir():
        head, _, made_by = marker.read_text().strip().partition(" ")
        if made_by == digest and gen_repo.git(repo, "rev-parse", "main") == head:
            return repo, head, 0.0
    shutil.rmtree(repo, ignore_errors=True)
    started = time.perf_counter()
    head = gen_repo.generate(repo, commits, seed)
    marker.write_text(f"{head} {digest}\n")
    return repo, head, time.perf_counter() - started


def log_command(repo: Path, revs: list[str], *, narrow: bool = False) -> list[str]:
    """ingest_git's own `git log` (sources.gitlog.LOG_OPTIONS), or the brief's narrower one."""
    options = ["-z", "--numstat", "-M", f"--format={gitlog.FORMAT}"] if narrow else list(gitlog.LOG_OPTIONS)
    return ["git", "-C", str(repo), "-c", "core.quotepath=off", "log", *options, *revs]


def time_floor(repo: Path, revs: list[str], *, repeat: int = 3, narrow: bool = False) -> float:
    """Median wall time of `git log ... > /dev/null` after one warm-up run (warm page cache)."""
    cmd = log_command(repo, revs, narrow=narrow)
    times = []
    for _ in range(repeat + 1):
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=gitlog.git_env(repo))
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def worker(*args: str) -> dict[str, Any]:
    """Run bench/worker.py in a fresh interpreter; its JSON plus the process's wall time."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(BENCH / "worker.py"), *args], capture_output=True, text=True,
                          cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"worker {args[0]} failed:\n{done.stderr}")
    return {**json.loads(done.stdout), "process_s": time.perf_counter() - started}


def ingest(url: str, repo: Path, profile: Path | None = None) -> dict[str, Any]:
    return worker("ingest", "--store", url, "--repo", str(repo), "--name", NAME,
                  *(["--profile", str(profile)] if profile else []))


def fresh_sqlite(path: Path) -> str:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def postgres_ingest(repo: Path, agents: Callable[[str], dict[str, Any]] | None = None) -> dict[str, Any]:
    """Ingest into a database of a throwaway cluster (tests/helpers/postgres.py), then time the
    agents there too when `agents` is given; a note if there is no PostgreSQL."""
    from tests.helpers import postgres

    reason = postgres.available()
    if reason:
        return {"skipped": reason}
    try:
        cluster = postgres.start(ram=False, settings={})  # on disk, stock WAL: as measured before
    except RuntimeError as exc:
        return {"skipped": f"could not start PostgreSQL: {str(exc)[:200]}"}
    try:
        url = cluster.create_database()
        res = ingest(url, repo)
        if agents:
            step("agents on postgresql")
            res["agents"] = agents(url)
        return res
    finally:
        cluster.stop()


def incremental(repo: Path, old: str, db: str) -> dict[str, Any]:
    """Append APPEND commits to a `--shared` clone (the generated repository stays pristine) and
    ingest them into the SQLite store that holds the full ingest; floor = `git log new ^old`."""
    inc = repo.with_name(repo.name + "-inc")
    shutil.rmtree(inc, ignore_errors=True)
    gen_repo.git(WORK, "clone", "-q", "--shared", str(repo), str(inc))
    shutil.copy(repo / ".git" / gen_repo.STATE, inc / ".git" / gen_repo.STATE)
    new = gen_repo.append(inc, APPEND)
    floor = time_floor(inc, [new, "^" + old])  # tiny: always the median of 3
    return {"floor_s": floor, **ingest(db, inc), "new_head": new}


def verify(repo: Path, db: str) -> dict[str, Any]:
    """The SQLite store against `git` itself: commits, merges, and the added/deleted line totals
    and file rows that `git log -M --numstat` prints (merges print none, as ingest stores none)."""
    import sqlite3

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                              env=gitlog.git_env(repo)).stdout

    added = deleted = rows = 0
    for line in git("log", "-M", "--numstat", "--format=", "main").splitlines():
        if line:
            a, d, _ = line.split("\t", 2)
            added, deleted, rows = added + (0 if a == "-" else int(a)), deleted + (0 if d == "-" else int(d)), rows + 1
    expected = {"commits": int(git("rev-list", "--count", "main")),
                "merges": int(git("rev-list", "--merges", "--count", "main")),
                "file_rows": rows, "added": added, "deleted": deleted}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        got = dict(zip(expected, conn.execute(
            "select (select count(*) from commits), (select count(*) from commits where is_merge = 1),"
            " count(*), coalesce(sum(added), 0), coalesce(sum(deleted), 0) from commit_files").fetchone(),
            strict=True))
    return {"git": expected, "store": got, "equal": expected == got}


def run(args: argparse.Namespace) -> dict[str, Any]:
    res: dict[str, Any] = {"commits": args.commits, "seed": args.seed, "runs": args.runs,
                           "machine": report.machine(),
                           "argv": " ".join(["python", "bench/run.py", *args.argv])}
    repo, head, res["generate_s"] = ensure_repo(args.commits, args.seed)
    res["head"] = head
    step("floor")
    res["floor_s"] = time_floor(repo, ["main"], repeat=args.floor_runs)
    res["floor_runs"] = args.floor_runs
    if not args.no_narrow:
        res["floor_narrow_s"] = time_floor(repo, ["main"], repeat=args.floor_runs, narrow=True)
    res["floor_cmd"] = " ".join(log_command(Path(repo.name), ["main"]))
    db = fresh_sqlite(WORK / f"run{args.commits}" / "tm.db")
    step("sqlite ingest")
    res["sqlite"] = ingest(db, repo)
    if args.verify:
        step("verify against git")
        res["verify"] = verify(repo, db)
    if args.profile:
        step("profiled sqlite ingest")
        prof = WORK / f"profile-{args.commits}.txt"
        ingest(fresh_sqlite(WORK / f"run{args.commits}" / "profiled.db"), repo, prof)
        res["profile"] = str(prof.relative_to(ROOT))

    def agents(url: str) -> dict[str, Any]:
        return worker("agents", "--store", url, "--name", NAME, "--runs", str(args.runs),
                      "--budget", str(args.budget))

    step("postgresql ingest")
    res["postgres"] = {"skipped": "--no-postgres"} if args.no_postgres else postgres_ingest(repo, agents)
    step("incremental")
    res["incremental"] = incremental(repo, head, db)
    step("agents")
    res["agents"] = agents(db)
    return res


def step(what: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {what}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--commits", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="2,000 commits and 5 runs per query (smoke check)")
    ap.add_argument("--floor-runs", type=int, default=3, help="timed floor runs after the warm-up (median)")
    ap.add_argument("--no-narrow", action="store_true", help="skip the narrower `git log` floor")
    ap.add_argument("--verify", action="store_true", help="check the SQLite store's counts against git itself")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=20, help="timed runs per agent query")
    ap.add_argument("--budget", type=float, default=30.0,
                    help="seconds one agent query may use before it stops with fewer (>= 1) timed runs")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--profile", action="store_true", help="also cProfile one SQLite ingest")
    ap.add_argument("--results", type=Path,
                    help="default bench/RESULTS.md (bench/work/RESULTS-quick.md with --quick)")
    args = ap.parse_args(argv)
    args.argv = argv
    if args.quick:
        args.commits, args.runs = 2000, 5
    results = args.results or (WORK / "RESULTS-quick.md" if args.quick else BENCH / "RESULTS.md")
    WORK.mkdir(exist_ok=True)
    os.environ.pop("TEAMMEMORY_DB", None)
    res = run(args)
    (WORK / f"results-{args.commits}.json").write_text(json.dumps(res, indent=2, default=str))
    section = report.section(res, ROOT)
    print(section)
    report.update(results, args.commits, section)
    print(f"written to {results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
