"""Start-up benchmark: `teammemory` as whole processes, against `python -c pass` in the same run.

    python bench/startup.py                       # bench/work/run100000/tm.db, 15 runs each
    python bench/startup.py --db PATH --runs 30 --results bench/RESULTS.md

Each case is one process (the installed `teammemory` script, interpreter start included), run
`--runs` times after one warm-up, interleaved case by case so load changes hit every case alike;
median and p90 of the wall times, the ratio of the median to `python -c pass`'s, and the median
CPU time (user + system, from the kernel's accounting of the child), which other work on the
machine changes far less than the wall time. Questions
run on the 100,000-commit bench store (built by `python bench/run.py --commits 100000`), copied
to bench/work/startup/ and migrated there (the benchmark's own store is left as it is), with the
subjects bench/run.py times in-process (hot file, component, PR and issue; `now` = its
recorded one), and every other registry question on like subjects. Targets: `--version` and
`--help` < 0.15 s, each question < 0.3 s. `why` is also timed against its floor, the `git blame`
it runs alone in the clone, with the commit-graph TeamMemory keeps for it and without (cases of
their own, like `python -c pass`); the teammemory processes use a cache of their own
(bench/work/startup/cache, emptied at the start), and `why`'s first run on a clone, which writes
the graph, is a case too (an empty cache each run). `--only TEXT` runs the
cases whose name holds TEXT (and `python -c pass`; `why` brings its floor), without writing the
results.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
PYTHON = Path(sys.executable)
TEAMMEMORY = PYTHON.with_name("teammemory")
MARK = "startup"

# The subjects bench/run.py picked on seed 1 (RESULTS.md, "100,000 commits"), and its `now`;
# `why` blames a file of the generated history's HEAD in its clone, `timeline` the last 30 days.
NOW = "2026-01-27T08:41:57+00:00"
HOT = "docs/widgets/server_token.py"
CLONE = WORK / "repo100000-s1"
QUESTIONS: list[list[str]] = [
    ["issue-context", "PROJ-10"],
    ["pr-context", "5416"],
    ["file-context", HOT],
    ["file-experts", HOT],
    ["component-experts", "api"],
    ["file-risk", HOT],
    ["component-risk", "api"],
    ["risky-files"],
    ["review-suggest", "5416"],
    ["onboarding", "api"],
    ["hygiene"],
    ["components"],
    ["why-changed", HOT],
    ["bus-factor"],
    ["coupling", HOT],
    ["why", "docs/adapters/handlers/adapters/session_mail.py:3", "--git-dir", str(CLONE)],
    ["similar", "--text", "server token"],
    ["incidents"],
    ["timeline", "--since", "2025-12-28T00:00:00Z"],
]


BLAME_LINE = QUESTIONS[[q[0] for q in QUESTIONS].index("why")][1]
BLAME_FILE, _, BLAME_AT = BLAME_LINE.rpartition(":")
# `why`'s floor: the git blame it runs, alone (git's own start-up and history walk included),
# without a commit-graph and with the one TeamMemory keeps for the clone (sources/commit_graph.py).
BLAME = f"git blame -w -M -C --porcelain -L {BLAME_AT},{BLAME_AT} -- {BLAME_FILE}"
BLAME_GRAPH = f"{BLAME} (with TeamMemory's commit-graph)"
FIRST_WHY = "(first, writing the commit-graph)"


def cases(db: Path, cache: Path) -> dict[str, list[str]]:
    """Each case's command. The teammemory processes keep their cache (the clone's commit-graph)
    in `cache`, which the warm-up fills; the first-`why` case empties its own cache each run."""
    from teammemory.sources import commit_graph

    tm = str(TEAMMEMORY)
    fresh = cache.with_name(f"{cache.name}-first")
    os.environ[commit_graph.ENV] = str(cache)
    graph = commit_graph.entry(CLONE) / "objects"
    out = {"python -c pass": [str(PYTHON), "-c", "pass"],
           BLAME: ["git", "-C", str(CLONE), *BLAME.split()[1:]],
           BLAME_GRAPH: ["env", f"GIT_ALTERNATE_OBJECT_DIRECTORIES={graph}", "git", "-C", str(CLONE),
                         *BLAME.split()[1:]],
           "teammemory --version": [tm, "--version"],
           "teammemory --help": [tm, "--help"],
           "teammemory file-risk --help": [tm, "file-risk", "--help"]}
    for q in QUESTIONS:
        shown = [w if not w.startswith(str(WORK)) else Path(w).name for w in q]
        out[shlex.join(["teammemory", *shown])] = [tm, "--db", str(db), *q, "--now", NOW]
        if q[0] == "why":
            out[f"{shlex.join(['teammemory', *shown])} {FIRST_WHY}"] = [  # sh's $0 is the fresh cache
                "sh", "-c", f'rm -rf "$0" && export {commit_graph.ENV}="$0" && exec "$@"',
                str(fresh), tm, "--db", str(db), *q, "--now", NOW]
    return out


def prepare(source: Path, work: Path) -> Path:
    """A copy of the bench store at this version's schema (init-db migrates it), in `work`."""
    target = work / "tm.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(source, target)
    subprocess.run([str(TEAMMEMORY), "--db", str(target), "init-db"], check=True, stdout=subprocess.DEVNULL)
    # Byte-code as an installed package has it: with PYTHONDONTWRITEBYTECODE set (as on the
    # machine this ran on) a module edited since its .pyc was written is compiled in every process.
    import teammemory

    subprocess.run([str(PYTHON), "-m", "compileall", "-q", str(Path(teammemory.__file__).parent)], check=True)
    return target


def measure(commands: dict[str, list[str]], runs: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """(wall seconds, CPU seconds) of each run of each command."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    env = {**os.environ, "COLUMNS": "100"}
    for name, cmd in commands.items():  # warm-up, and a check that each case works
        done = subprocess.run(cmd, capture_output=True, env=env)
        if done.returncode != 0:
            raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    for _ in range(runs):
        for name, cmd in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def target_of(name: str) -> float | None:
    """The issue's targets: 0.15 s for `--version` and `--help`, 0.3 s for a question."""
    if name in ("teammemory --version", "teammemory --help"):
        return 0.15
    words = name.split()
    if FIRST_WHY in name:  # once per clone
        return None
    if len(words) > 1 and words[1] in {q[0] for q in QUESTIONS} and "--help" not in words:
        return 0.3
    return None


def table(times: dict[str, list[float]], cpu: dict[str, list[float]]) -> list[str]:
    floor = statistics.median(times["python -c pass"])
    rows = ["| process | median | p90 | vs `python -c pass` | CPU median | target |", "|---|---|---|---|---|---|"]
    for name, values in times.items():
        median = statistics.median(values)
        target = target_of(name)
        verdict = "" if target is None else (f"< {target:.2f} s" + ("" if median < target else " **missed**"))
        rows.append(f"| `{name}` | {median * 1000:.0f} ms | {p90(values) * 1000:.0f} ms | "
                    f"{median / floor:.1f}x | {statistics.median(cpu[name]) * 1000:.0f} ms | {verdict} |")
    return rows


def floor_note(times: dict[str, list[float]], cpu: dict[str, list[float]]) -> list[str]:
    """`why` against the git blame it runs: the part of its time that is TeamMemory's."""
    why = next((name for name in times if name.startswith("teammemory why ") and FIRST_WHY not in name), None)
    if why is None or BLAME not in times or BLAME_GRAPH not in times:
        return []

    def ratio(of: str, to: str) -> str:
        wall = statistics.median(times[of]) / statistics.median(times[to])
        used = statistics.median(cpu[of]) / max(statistics.median(cpu[to]), 1e-9)
        return f"{wall:.2f}x in wall time, {used:.2f}x in CPU time"

    return ["", f"`why` is {ratio(why, BLAME_GRAPH)} of its floor, the same blame with the commit-graph it"
                f" keeps for the clone; that blame is {ratio(BLAME_GRAPH, BLAME)} of the blame without one."
                " The blame walks the clone's history, so the 0.3 s target holds only where that floor is"
                " well below it. The first `why` of a clone also writes the graph (its own row)."]


def section(times: dict[str, list[float]], cpu: dict[str, list[float]], runs: int, db: Path) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return "\n".join([
        f"<!-- run {MARK} -->",
        "## Start-up: whole processes (`bench/startup.py`)",
        "",
        f"Machine: {os.cpu_count()} CPUs, load average at the end {load} (other work shared the"
        f" cores); Python {sys.version.split()[0]}. {runs} runs of each process after a warm-up,"
        " interleaved; wall time of the whole process (interpreter start, imports, store open, query,"
        f" rendering to a pipe). Questions on a migrated copy of the 100,000-commit bench store"
        f" ({db.name}), `--now {NOW}`.",
        "",
        *table(times, cpu),
        *floor_note(times, cpu),
        f"<!-- end run {MARK} -->",
    ])


def write_section(results: Path, text: str, mark: str = MARK) -> None:
    """Replace the section `mark` of `results`, or append it; other sections stay."""
    old = results.read_text() if results.exists() else ""
    start, end = f"<!-- run {mark} -->", f"<!-- end run {mark} -->"
    if start in old and end in old:
        head, _, rest = old.partition(start)
        _, _, tail = rest.partition(end)
        new = head + text + tail
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    results.write_text(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=WORK / "run100000" / "tm.db", help="the bench store to copy")
    parser.add_argument("--work", type=Path, default=WORK / MARK,
                        help="where the migrated copy and times.json go (one per checkout that runs it at once)")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md")
    parser.add_argument("--no-results", action="store_true", help="only print")
    parser.add_argument("--only", help="only the cases whose name holds this text (implies --no-results)")
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db}: no bench store; build it with `python bench/run.py --commits 100000`")
    db = prepare(args.db, args.work)
    cache = args.work / "cache"
    shutil.rmtree(cache, ignore_errors=True)  # the warm-up writes the clone's graph afresh
    every = cases(db, cache)
    commands = {name: cmd for name, cmd in every.items()
                if args.only is None or args.only in name or name == "python -c pass"}
    if any(name.startswith("teammemory why ") for name in commands):
        commands.setdefault(BLAME, every[BLAME])  # `why` comes with its floors
        commands.setdefault(BLAME_GRAPH, every[BLAME_GRAPH])
        commands = {**{k: v for k, v in commands.items() if k != BLAME_GRAPH},
                    BLAME_GRAPH: commands[BLAME_GRAPH]}  # after the first `why` (which writes the graph) warms up
    times, cpu = measure(commands, args.runs)
    text = section(times, cpu, args.runs, db)
    print(text)
    (args.work / "times.json").write_text(json.dumps({"wall": times, "cpu": cpu}, indent=1))
    if not args.no_results and args.only is None:
        write_section(args.results, text)


if __name__ == "__main__":
    main()
