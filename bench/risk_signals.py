"""Sweep the risk signals' weights with the risk backtest (docs/backtest.md, "Risk signals").

    python bench/risk_signals.py STORE [STORE ...]

For each store: the article's score alone, the baselines, and for every signal of
agents/risk_signals.py the signal alone and "article + w*signal" at each weight of GRID (plus
recent_fixes at other half-lives), in one replay per half-life; printed as a Markdown table of
top-10 % / top-20 % hit rates.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time

from teammemory import config as config_mod
from teammemory.agents import risk_signals
from teammemory.backtest import history, replay, run
from teammemory.store import Store

GRID = {"reverts": (50, 100, 300, 1000), "incidents": (100, 500, 2000),
        "recent_fixes": (25, 100, 300, 1000, 3000), "untested_changes": (1, 5, 25, 100),
        "unreviewed_infra": (25, 100, 500), "coupling": (0.3, 1, 3, 10)}
HALF_LIVES = (90.0, 180.0, 365.0, 730.0)


def methods(extra: dict[str, float]) -> tuple[replay.SignalMethod, ...]:
    out = [replay.SignalMethod(f"{name} alone", {name: 1.0}, False) for name in risk_signals.SIGNALS]
    out += [replay.SignalMethod(f"article + {w:g}*{name}", {name: w}, True)
            for name, ws in GRID.items() for w in ws]
    if extra:
        out.append(replay.SignalMethod("article + " + " + ".join(f"{w:g}*{n}" for n, w in extra.items()),
                                       extra, True))
    return tuple(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("stores", nargs="+")
    ap.add_argument("--combine", default="", help="name=weight,... tried together on top of the article")
    ap.add_argument("--learn-days", type=int, default=run.LEARN_DAYS, help="first cut this long after the first commit")
    ap.add_argument("--window", type=int, default=0, help="days between cuts [default: risk.days]")
    args = ap.parse_args()
    extra = {k: float(v) for k, v in (kv.split("=") for kv in args.combine.split(",") if kv)}
    print(f"Machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    for url in args.stores:
        config = config_mod.load(db=url)
        started = time.perf_counter()
        with Store.open(url).read() as db:
            past = history.load(db, repo=None, until=run.FAR_FUTURE)
            end = max(c.at for c in past.commits)
            setup = run.signal_setup(db, config, end)
        start = replay.origin_of(past) + args.learn_days * 86400
        window = args.window or config.risk.days
        cuts = replay.risk_cuts(start, end, window)
        rows: list[tuple[str, str, float, float]] = []
        for h in HALF_LIVES:
            w = dataclasses.replace(config.risk, recent_fix_half_life_days=h)
            s = dataclasses.replace(setup, weights=w)
            ms = methods(extra) if h == config.risk.recent_fix_half_life_days else tuple(
                m for m in methods({}) if m.weights.keys() == {"recent_fixes"})
            tallies = replay.replay_risk(past, run.methods_of(config, scorings=("article",)), cuts,
                                         days=config.risk.days, window_days=window, weights=w,
                                         signals=s, by_signals=ms)
            for t in tallies:
                f = t.figures()
                if h != config.risk.recent_fix_half_life_days and f.role != "signal":
                    continue
                label = f.method if f.role != "signal" or "recent_fixes" not in f.method else f"{f.method} (h {h:g} d)"
                rows.append((label, f.role, f.hit10, f.hit20))
            n = tallies[0].figures()
        print(f"`{os.path.basename(url)}`: {n.cuts} cuts, {n.fixes} bug fixes, {time.perf_counter() - started:.1f} s\n")
        print("| method | role | hit top 10 % | hit top 20 % |\n|---|---|---|---|")
        for label, role, a, b in rows:
            print(f"| {label} | {role} | {a:.1%} | {b:.1%} |")
        print()


if __name__ == "__main__":
    main()
