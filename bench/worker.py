"""One measurement, run by bench/run.py in its own subprocess; prints one JSON object.

    python bench/worker.py ingest --store URL --repo PATH --name NAME [--profile FILE]
    python bench/worker.py agents --store URL --name NAME --runs 20 [--budget 30]

A subprocess per measurement makes peak memory honest: `VmHWM` (/proc/self/status) is the
high-water mark of this Python process only, and `RUSAGE_CHILDREN.ru_maxrss` that of the
largest child it waited for (the `git log`). PostgreSQL's server memory is not included.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from teammemory.config import Config
from teammemory.errors import TeamMemoryError
from teammemory.ingest import run
from teammemory.ingest.git import ingest_git
from teammemory.model import IdentityRef, PrFile, PullRequest
from teammemory.store import Reader, Store, Writer, migrate
from teammemory.store.write import write_pull_request


def peak_kb() -> dict[str, int]:
    """{'python_kb': VmHWM of this process, 'git_kb': max RSS of the largest waited-for child}."""
    hwm = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return {"python_kb": hwm, "git_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


def ingest(url: str, repo: Path, name: str, profile: Path | None) -> dict[str, Any]:
    """Migrate the store (if new) and ingest `repo`; time each step."""
    store = Store.open(url)
    t0 = time.perf_counter()
    with store.write() as db:
        migrate.apply(db)
    t1 = time.perf_counter()
    prof = cProfile.Profile() if profile else None
    if prof:
        prof.enable()
    summary = ingest_git(store, repo, config=Config(db_url=url), name=name)
    if prof:
        prof.disable()
        write_profile(prof, profile)  # type: ignore[arg-type]
    t2 = time.perf_counter()
    return {"migrate_s": t1 - t0, "ingest_s": t2 - t1, "counts": summary.counts, **peak_kb()}


def write_profile(prof: cProfile.Profile, path: Path) -> None:
    """The top 30 functions by own time and by cumulative time, as text."""
    out = io.StringIO()
    for key in ("tottime", "cumulative"):
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats(key).print_stats(30)
    path.write_text(out.getvalue())
    prof.dump_stats(str(path.with_suffix(".prof")))


# -- agent queries ------------------------------------------------------------------------------
def targets(db: Reader, name: str) -> dict[str, Any]:
    """Hot and cold subjects, chosen from the data: the most and least changed file and component,
    the most and least referenced issue key, and the last squash PR touching each file."""
    by_file = db.all("select path, count(*) as n from commit_files where repo = :r group by path", r=name)
    files = sorted(((int(r["n"]), str(r["path"])) for r in by_file), key=lambda t: (-t[0], t[1]))
    comps = db.all("select f.component as c, count(*) as n from commit_files cf join files f"
                   " on f.repo = cf.repo and f.path = cf.path where cf.repo = :r group by f.component",
                   r=name)
    components = sorted(((int(r["n"]), str(r["c"])) for r in comps if r["c"]), key=lambda t: (-t[0], t[1]))
    keys = db.all("select issue_key as k, count(*) as n from commit_issues group by issue_key")
    issues = sorted(((int(r["n"]), str(r["k"])) for r in keys), key=lambda t: (-t[0], t[1]))
    last = db.scalar("select max(committed_at) from commits where repo = :r", r=name)
    return {"file": (files[0][1], files[-1][1]), "component": (components[0][1], components[-1][1]),
            "changes": {path: n for n, path in files},
            "issue": (issues[0][1], issues[-1][1]), "now": datetime.fromtimestamp(int(last) + 86400, UTC)}


def seed_prs(store: Store, name: str, changes: dict[str, int]) -> tuple[int, int]:
    """Write pull_requests rows for a hot and a cold squash PR (`... (#N)`): one whose files were
    changed most often, and the newest of those whose files were changed least often.

    A git history alone has no pull_requests rows, so without this the PR agents (context_pr,
    review_routing) would only time their NotFound path. The rows hold what GitHub would: title,
    author login, merge commit and files (taken from that commit)."""
    with store.read() as db:
        rows = db.all("select c.hash, c.message, c.committed_at, pc.number, cf.path, cf.added, cf.deleted"
                      " from pr_commits pc join commits c on c.repo = pc.repo and c.hash = pc.hash"
                      " join commit_files cf on cf.repo = c.repo and cf.hash = c.hash where pc.repo = :r",
                      r=name)
    prs: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        prs.setdefault(int(r["number"]), []).append(r)
    heat = sorted(((max(changes.get(str(f["path"]), 0) for f in fs), -int(fs[0]["committed_at"]), n)
                   for n, fs in prs.items()), key=lambda t: (t[0], t[1], t[2]))
    numbers = [(prs[heat[-1][2]][0], prs[heat[-1][2]]), (prs[heat[0][2]][0], prs[heat[0][2]])] if heat else []
    def work(w: Writer) -> dict[str, int]:
        for hit, files in numbers:
            if hit:
                write_pull_request(w, PullRequest(
                    repo=name, number=int(hit["number"]), title=str(hit["message"]).partition("\n")[0],
                    state="merged", author=IdentityRef("github", login="bench-author"),
                    merged_at=int(hit["committed_at"]), merge_commit=str(hit["hash"]),
                    files=tuple(PrFile(str(f["path"]), int(f["added"]), int(f["deleted"])) for f in files),
                    commits=(str(hit["hash"]),)))
        return {"pull_requests": len(numbers)}

    # as a PR ingest writes them: in one run with derive's refresh, so the summaries kept at ingest
    # (hygiene's link counts among them) hold for the questions timed after it
    run(store, "github", name, Config(), work)
    return (int(numbers[0][0]["number"]), int(numbers[1][0]["number"])) if numbers else (0, 0)


def queries(t: dict[str, Any], prs: tuple[int, int]) -> list[tuple[str, str, Callable[..., Any], Any]]:
    """(agent call, subject label, function, argument) for every agent that exists."""
    import importlib

    specs = [("expertise", "ask_file", "file"), ("expertise", "ask_component", "component"),
             ("risk", "ask_file", "file"), ("risk", "ask_component", "component"), ("risk", "ask_top", None),
             ("review_routing", "ask", "pr"), ("context", "ask_issue", "issue"), ("context", "ask_pr", "pr"),
             ("context", "ask_file", "file"), ("onboarding", "ask", "component"), ("hygiene", "ask", None)]
    subjects = {**t, "pr": prs}
    out = []
    for module, func, kind in specs:
        try:
            fn = getattr(importlib.import_module(f"teammemory.agents.{module}"), func)
        except (ImportError, AttributeError):
            continue
        pairs = (("hot", subjects[kind][0]), ("cold", subjects[kind][1])) if kind else (("", None),)
        for label, arg in pairs:
            out.append((f"{module}.{func}", f"{label} {kind}: {arg}" if kind else "whole store", fn, arg))
    return out


def time_agents(url: str, name: str, runs: int, budget: float) -> dict[str, Any]:
    """Median, p90 and first-call time (ms) of every agent query, each call in its own read().

    A query stops early once it has used `budget` seconds and has at least 1 timed run, so one
    slow agent cannot hold the benchmark for an hour; the table shows how many runs were timed."""
    store = Store.open(url)
    with store.read() as db:
        t = targets(db, name)
    prs = seed_prs(store, name, t["changes"])
    config, now = Config(db_url=url), t["now"]
    results = []
    for call, subject, fn, arg in queries(t, prs):
        times: list[float] = []
        outcome, began = "ok", time.perf_counter()
        while len(times) < runs + 1 and (len(times) < 2 or time.perf_counter() - began < budget):
            start = time.perf_counter()
            try:
                with store.read() as db:
                    fn(db, *([arg] if arg is not None else []), now=now, config=config)
            except TeamMemoryError as exc:
                outcome = f"{type(exc).__name__}: {str(exc)[:60]}"
            times.append((time.perf_counter() - start) * 1000)
        rest = sorted(times[1:])
        results.append({"call": call, "subject": subject, "first_ms": times[0],
                        "median_ms": statistics.median(rest),
                        "p90_ms": rest[max(0, math.ceil(0.9 * len(rest)) - 1)], "runs": len(rest),
                        "outcome": outcome})
    return {"now": now.isoformat(), "queries": results, **peak_kb()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("ingest", "agents"))
    ap.add_argument("--store", required=True)
    ap.add_argument("--repo", type=Path)
    ap.add_argument("--name", required=True)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--budget", type=float, default=30.0, help="seconds per query before stopping early")
    ap.add_argument("--profile", type=Path)
    args = ap.parse_args()
    if args.mode == "ingest":
        result = ingest(args.store, args.repo, args.name, args.profile)
    else:
        result = time_agents(args.store, args.name, args.runs, args.budget)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
