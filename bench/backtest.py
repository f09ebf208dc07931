"""Time `teammemory backtest` and print its figures as Markdown (bench/RESULTS.md, "Backtest").

    python bench/backtest.py STORE [STORE ...] [--half-life 90 --half-life 730]

Each store is replayed for reviewers, experts and risk with the configured scoring, the article
scoring and a fading scoring per extra half-life; the wall time of each replay (history read
from the store included, interpreter start excluded) is printed beside its figures.
"""

from __future__ import annotations

import argparse
import os
import time

from teammemory import config as config_mod
from teammemory.backtest.run import QUESTIONS, run
from teammemory.outputs.render_backtest import render_markdown
from teammemory.store import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("stores", nargs="+")
    ap.add_argument("--half-life", type=float, action="append", default=[])
    args = ap.parse_args()
    print(f"Machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    for url in args.stores:
        config = config_mod.load(db=url)
        for question in QUESTIONS:
            started = time.perf_counter()
            with Store.open(url).read() as db:
                result = run(db, question, config=config, half_lives=tuple(args.half_life))
            took = time.perf_counter() - started
            print(f"`{os.path.basename(url)}` {question}: {took:.1f} s\n")
            print(render_markdown(result))


if __name__ == "__main__":
    main()
