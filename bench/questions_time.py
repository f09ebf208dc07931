"""Every registry question timed in-process on a store, at "now" and as of an earlier moment.

    python bench/questions_time.py --db URL [--runs 10] [--back-days 730] [--only NAME ...] [--json FILE]

Each question of `outputs/questions.py` is asked the way the CLI asks it (`outputs.answers.respond`:
the agent plus the list cut, no rendering, no process start) on a hot subject (the most changed
file, the biggest component, the most referenced issue key, the benchmark's hot PR) and a cold one,
once at `now` = newest commit + 1 day and once `--back-days` earlier. Each call opens its own read
transaction, as a command does; one warm-up call, then `--runs` timed calls; the median and the
slowest are printed in ms. An older checkout times the same way with `PYTHONPATH=<checkout>/src`
(it needs only `QUESTIONS` and `respond`), so two versions are compared in one run.

`why` needs the repository's working copy (`--git-dir`); it is skipped without one. A question a
version does not have is skipped. Nothing here is asserted: the numbers go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

DAY = 86400


def subjects(db: Any) -> dict[str, tuple[str, ...]]:
    """Hot and cold subjects of each kind, chosen from the data (ties by name)."""
    def ranked(sql: str) -> list[str]:
        rows = db.all(sql)
        return [str(r["k"]) for r in sorted(rows, key=lambda r: (-int(r["n"]), str(r["k"])))]

    files = ranked("select path as k, count(*) as n from commit_files group by path")
    comps = ranked("select component as k, count(*) as n from files where component <> '' group by component")
    issues = ranked("select issue_key as k, count(*) as n from commit_issues group by issue_key")
    prs = ranked("select cast(p.number as text) as k, count(f.path) as n from pull_requests p"
                 " left join pr_files f on f.repo = p.repo and f.number = p.number group by p.number")
    return {"path": (files[0], files[-1]), "component": (comps[0], comps[-1]),
            "key": (issues[0], issues[-1]) if issues else (), "number": (prs[0], prs[-1]) if prs else ()}


def calls(s: dict[str, tuple[str, ...]], git_dir: str | None) -> list[tuple[str, str, Any, dict[str, Any]]]:
    """(question, label, subject, options) for every question this version registers."""
    from teammemory.outputs.questions import QUESTIONS

    out: list[tuple[str, str, Any, dict[str, Any]]] = []
    for name, q in QUESTIONS.items():
        kind = {"name": "component", "target": "path", "scope": "component"}.get(q.subject, q.subject)
        if q.subject == "":
            out.append((name, "whole store", None, {}))
        elif q.subject == "bug":
            out += [(name, f"{label} key {k}", k, {}) for label, k in zip(("hot", "cold"), s["key"], strict=False)]
        elif q.subject == "lines":
            if git_dir:
                out.append((name, f"hot file {s['path'][0]}", s["path"][0], {"git_dir": git_dir}))
        else:
            pairs = zip(("hot", "cold"), s[kind], strict=False)
            out += [(name, f"{label} {kind} {v}", int(v) if kind == "number" else v, {}) for label, v in pairs]
    return out


def time_call(store: Any, name: str, subject: Any, options: dict[str, Any], now: datetime, config: Any,
              runs: int) -> dict[str, Any]:
    """One warm-up call, then `runs` timed ones, each in its own read transaction."""
    from teammemory.errors import TeamMemoryError
    from teammemory.outputs.answers import respond

    times, outcome = [], "ok"
    for _ in range(runs + 1):
        start = time.perf_counter()
        try:
            with store.read() as db:
                respond(db, name, subject, now=now, config=config, options=dict(options))
        except TeamMemoryError as exc:
            outcome = f"{type(exc).__name__}: {str(exc)[:50]}"
        except Exception as exc:  # noqa: BLE001 - a broken question is reported, the others still timed
            outcome = f"error {type(exc).__name__}: {str(exc)[:50]}"
        times.append((time.perf_counter() - start) * 1000)
    rest = times[1:]
    return {"median_ms": round(statistics.median(rest), 1), "max_ms": round(max(rest), 1), "outcome": outcome}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--back-days", type=int, default=730, help="the second moment: now minus this many days")
    ap.add_argument("--only", nargs="*", default=None, help="question names to time (default: all)")
    ap.add_argument("--git-dir", help="the repository's working copy, for `why`")
    ap.add_argument("--json", type=Path, help="also write every number here")
    args = ap.parse_args()

    from teammemory.config import Config
    from teammemory.store import Store

    store, config = Store.open(args.db), Config(db_url=args.db)
    with store.read() as db:
        s = subjects(db)
        last = int(db.all("select max(committed_at) as t from commits")[0]["t"])
    now = datetime.fromtimestamp(last + DAY, UTC)
    moments = (("now", now), (f"-{args.back_days}d", now - timedelta(days=args.back_days)))
    load = os.getloadavg()[0]
    print(f"store {args.db}; now = {now.isoformat()}; runs {args.runs}; load {load:.1f}", flush=True)
    rows = []
    for name, label, subject, options in calls(s, args.git_dir):
        if args.only and name not in args.only:
            continue
        for when, at in moments:
            r = time_call(store, name, subject, options, at, config, args.runs)
            rows.append({"question": name, "subject": label, "moment": when, **r})
            note = "" if r["outcome"] == "ok" else f"  ({r['outcome']})"
            print(f"{name:18s} {label[:44]:44s} {when:7s} {r['median_ms']:8.1f} ms  max {r['max_ms']:8.1f}{note}",
                  flush=True)
    if args.json:
        args.json.write_text(json.dumps({"db": args.db, "now": now.isoformat(), "load_start": load,
                                         "load_end": os.getloadavg()[0], "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
