"""Markdown for bench/RESULTS.md: the machine, the exact commands, and the numbers of one run.

RESULTS.md keeps one section per repository size (`<!-- run N -->` ... `<!-- end run N -->`),
so a 20,000-commit run and a 100,000-commit run sit side by side and a rerun replaces its own.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path
from typing import Any

HEADER = """# Git-ingestion benchmark: results

How to run it and what each number means: [README.md](README.md). Every ratio is against the
floor measured in the same run, on the same repository. Targets are reported, not asserted.
"""
SECTION = re.compile(r"(?s)<!-- run (\d+) -->.*?<!-- end run \1 -->")


def machine() -> dict[str, str]:
    """nproc, RAM, CPU model, load, Python, git and PostgreSQL versions."""
    info = {"nproc": str(os.cpu_count()), "python": platform.python_version(),
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    meminfo = Path("/proc/meminfo").read_text()
    total = re.search(r"MemTotal:\s+(\d+)", meminfo)
    info["ram"] = f"{int(total.group(1)) // 1024} MiB" if total else "?"
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    info["cpu"] = cpu.group(1).strip() if cpu else platform.processor()
    for tool, args in (("git", ["git", "--version"]), ("postgres", ["postgres", "--version"])):
        try:
            info[tool] = subprocess.run(args, capture_output=True, text=True).stdout.strip()
        except FileNotFoundError:
            info[tool] = "not installed"
    return info


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def ingest_row(label: str, r: dict[str, Any], floor: float, target: str) -> str:
    if "skipped" in r:
        return f"| {label} | skipped: {r['skipped']} | | {target} | |"
    ratio = r["ingest_s"] / floor if floor else 0.0
    memory = f"{mb(r['python_kb'])} (git log: {mb(r['git_kb'])})"
    return f"| {label} | {r['ingest_s']:.2f} s | {ratio:.2f}x | {target} | {memory} |"


def _runs(n: int) -> str:
    return "one run" if n == 1 else f"median of {n}"


def section(res: dict[str, Any], root: Path) -> str:
    n, floor = res["commits"], res["floor_s"]
    m = res["machine"]
    lines = [f"<!-- run {n} -->", f"## {n:,} commits (seed {res['seed']}, head `{res['head'][:12]}`)", "",
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram']} RAM, load average at start {m['load']};"
             f" Python {m['python']}; {m['git']}; {m['postgres']}. The 2 cores are shared with other work,"
             " so absolute times vary from run to run; the ratios are measured side by side in one run.", "",
             f"Command: `{res['argv']}`" + (f" (generating the repository took {res['generate_s']:.0f} s)"
                                            if res["generate_s"] else " (repository reused)"),
             f"Floor: `{res['floor_cmd']}` > /dev/null ({_runs(res.get('floor_runs', 3))} after a warm-up)", "",
             "| measure | time | vs floor | target | peak memory |", "|---|---|---|---|---|",
             f"| floor: ingest_git's `git log` | {floor:.2f} s | 1.00x | | |"]
    if "floor_narrow_s" in res:
        lines.append(f"| floor without `--raw` (`git log -z --numstat -M`) | {res['floor_narrow_s']:.2f} s |"
                     f" {res['floor_narrow_s'] / floor:.2f}x | | |")
    lines += [ingest_row("SQLite full ingest", res["sqlite"], floor, "<= 1.5x"),
              ingest_row("PostgreSQL full ingest", res["postgres"], floor, "<= 2.5x")]
    inc = res["incremental"]
    over = inc["ingest_s"] - inc["floor_s"]
    lines += [f"| incremental +100 commits: floor (`git log new ^old`) | {inc['floor_s']:.3f} s | | | |",
              f"| incremental +100 commits: SQLite ingest | {inc['ingest_s']:.2f} s |"
              f" +{over:.2f} s over its floor | < 1 s + floor | {mb(inc['python_kb'])} |"]
    lines += ["", f"Ingest counts: {res['sqlite']['counts']}. Times are ingest_git alone (migration and"
              " interpreter start excluded); peak memory is the ingesting Python process's VmHWM, the git log"
              " child's max RSS beside it (PostgreSQL's server is not counted). Target: < 300 MB.", ""]
    if "verify" in res:
        v = res["verify"]
        lines += [f"Checked against git itself (`git rev-list --count`, `--merges`, `git log -M --numstat`):"
                  f" {'equal' if v['equal'] else 'DIFFERENT'}: git {v['git']}, store {v['store']}.", ""]
    lines += agents_table(res["agents"], res["runs"], "SQLite")
    if "agents" in res["postgres"]:
        lines += ["", *agents_table(res["postgres"]["agents"], res["runs"], "PostgreSQL")]
    if res.get("profile"):
        lines += ["", f"cProfile of one SQLite ingest (`{res['profile']}`), top entries by own time:", ""]
        lines += profile_top(root / res["profile"])
    lines.append(f"<!-- end run {n} -->")
    return "\n".join(lines)


def agents_table(a: dict[str, Any], runs: int, backend: str) -> list[str]:
    out = [f"Agent queries on the {backend} store after ingest (now = {a['now']}; up to {runs} timed runs after"
           " one first call, fewer when a query has used its time budget; each run opens its own read"
           " transaction; target: median < 100 ms):", "",
           "| agent call | subject | first | median | p90 | runs | outcome |", "|---" * 7 + "|"]
    for q in a["queries"]:
        slow = " **slow**" if q["median_ms"] >= 100 else ""
        out.append(f"| {q['call']} | {q['subject']} | {q['first_ms']:.1f} ms |"
                   f" {q['median_ms']:.1f} ms{slow} | {q['p90_ms']:.1f} ms | {q['runs']} | {q['outcome']} |")
    return out


def profile_top(path: Path, n: int = 15) -> list[str]:
    """The first `n` rows of the own-time listing, as a code block."""
    if not path.exists():
        return []
    text = path.read_text().splitlines()
    start = next((i for i, line in enumerate(text) if line.strip().startswith("ncalls")), 0)
    return ["```", *text[start:start + n + 1], "```"]


def update(path: Path, n: int, text: str) -> None:
    """Replace (or add) the section of size `n` in `path`, keeping the others, smallest first,
    and any notes written by hand after the last section."""
    old = path.read_text() if path.exists() else ""
    found = list(SECTION.finditer(old))
    sections = {int(m.group(1)): m.group(0) for m in found}
    sections[n] = text
    notes = old[found[-1].end():].strip() if found else ""
    path.write_text(HEADER + "\n" + "\n\n".join(sections[k] for k in sorted(sections))
                    + (f"\n\n{notes}" if notes else "") + "\n")
