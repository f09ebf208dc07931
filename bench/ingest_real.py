"""Whole-process git ingest on real histories, against `git log -z --numstat -M` in the same run.

    python bench/ingest_real.py                 # every bundle in ../shared/realrepos, 5 runs each
    python bench/ingest_real.py --runs 9 --results bench/RESULTS.md
    python bench/ingest_real.py --compare /tmp/old/src  # also the code of another tree, in the same rounds

For each history (cloned once from its bundle into bench/work/realrepos/<name>): the floor is
`git log -z --numstat -M` of HEAD to /dev/null (the issue's floor) and, beside it, `git log`
with exactly ingest_git's options; the measure is `teammemory --db <fresh file> ingest git
<clone> -q` as a process: interpreter start, imports, the migration of the blank store, the
one-transaction ingest and derive.refresh. Runs are interleaved (floor, ingest, floor, ...);
medians. Target: ingest <= 1.3x the floor. `--compare SRC` adds, in every round, the same ingest
run with `PYTHONPATH=SRC` (a copy of an older `src/`): before and after under the same load.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
REALREPOS = ROOT.parent / "shared" / "realrepos"
TEAMMEMORY = Path(sys.executable).with_name("teammemory")
sys.path[:0] = [str(ROOT / "src")]

from teammemory.sources import gitlog  # noqa: E402

MARK = "ingest-real"


def clone(bundle: Path) -> Path:
    target = WORK / "realrepos" / bundle.stem
    if not (target / ".git").is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "-q", str(bundle), str(target)], check=True)
    return target


CPU: dict[str, list[float]] = {}  # CPU seconds (user + system, the process and its children) per measure


def timed(cmd: list[str], label: str = "", **kw: object) -> float:
    """Wall seconds of `cmd`; its CPU seconds go to CPU[label]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, **kw)  # type: ignore[call-overload]
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(label, []).append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall


def timed_ingest(cmd: list[str], db: Path, label: str, env: dict[str, str] | None = None) -> float:
    """One whole-process ingest into a fresh store file."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return timed(cmd, label, env=env)


def measure(repo: Path, runs: int, compare: Path | None = None) -> dict[str, object]:
    env = gitlog.git_env(repo)
    narrow = ["git", "-C", str(repo), "log", "-z", "--numstat", "-M", "HEAD"]
    own = ["git", "-C", str(repo), "-c", "core.quotepath=off", "log", *gitlog.LOG_OPTIONS, "HEAD"]
    db = WORK / MARK / f"{repo.name}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    times: dict[str, list[float]] = {}
    ingest = [str(TEAMMEMORY), "--db", str(db), "ingest", "git", str(repo), "-q"]
    for i in range(runs + 1):  # the first round warms the page cache and is dropped
        CPU.clear()
        round_ = {"floor": timed(narrow, "floor", env=env), "own": timed(own, "own", env=env),
                  "ingest": timed_ingest(ingest, db, "ingest")}
        if compare:
            round_["before"] = timed_ingest(ingest, db, "before", env={**os.environ, "PYTHONPATH": str(compare)})
        round_.update({f"cpu_{k}": v[0] for k, v in CPU.items()})
        if i:
            for key, value in round_.items():
                times.setdefault(key, []).append(value)
    commits = subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
    medians = {key: statistics.median(values) for key, values in times.items()}
    return {"name": repo.name, "commits": int(commits), **medians}


def section(rows: list[dict[str, object]], runs: int) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [f"<!-- run {MARK} -->", "## Whole-process git ingest on real histories (`bench/ingest_real.py`)", "",
             f"Machine: {os.cpu_count()} CPUs, load average at the end {load} (other work shared the cores);"
             f" median of {runs} interleaved rounds after a warm-up. Ingest = `teammemory --db <fresh file> ingest"
             " git <clone> -q` as a process (interpreter start, imports, migration, ingest, derive); floor ="
             " `git log -z --numstat -M HEAD` > /dev/null; ingest_git's own `git log` beside it. Target: <= 1.3x.",
             "CPU = user + system seconds of the process and its git children (the ratio a fully loaded"
             " machine would see).",
             "", "| history | commits | floor | ingest_git's git log | whole-process ingest | vs floor | CPU: floor,"
             " ingest, ratio |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = float(r["ingest"]) / float(r["floor"])  # type: ignore[arg-type]
        cpu_f, cpu_i = float(r["cpu_floor"]), float(r["cpu_ingest"])  # type: ignore[arg-type]
        lines.append(f"| {r['name']} | {r['commits']:,} | {r['floor']:.2f} s | {r['own']:.2f} s | {r['ingest']:.2f} s"
                     f" | {ratio:.2f}x{'' if ratio <= 1.3 else ' **over**'} | {cpu_f:.2f} s, {cpu_i:.2f} s,"
                     f" {cpu_i / cpu_f:.2f}x |")
    if rows and "before" in rows[0]:
        lines += ["", "With `--compare` (the older tree's ingest in the same rounds):", "",
                  "| history | before | vs floor | after | vs floor | CPU before | CPU after |",
                  "|---|---|---|---|---|---|---|"]
        for r in rows:
            f = float(r["floor"])  # type: ignore[arg-type]
            b, a = float(r["before"]), float(r["ingest"])  # type: ignore[arg-type]
            lines.append(f"| {r['name']} | {b:.2f} s | {b / f:.2f}x | {a:.2f} s | {a / f:.2f}x"
                         f" | {r['cpu_before']:.2f} s | {r['cpu_ingest']:.2f} s |")
    return "\n".join([*lines, f"<!-- end run {MARK} -->"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repo", type=Path, action="append", help="a clone to use instead of the bundles")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--no-results", action="store_true")
    parser.add_argument("--compare", type=Path, help="an older src/ to run in the same rounds (PYTHONPATH)")
    args = parser.parse_args()
    repos = args.repo or [clone(b) for b in sorted(REALREPOS.glob("*.bundle"))]
    rows = [measure(repo, args.runs, args.compare) for repo in repos]
    text = section(rows, args.runs)
    print(text)
    if not args.no_results:
        from startup import write_section

        write_section(args.results, text, MARK)


if __name__ == "__main__":
    main()
