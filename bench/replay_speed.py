#!/usr/bin/env python
"""How fast a replay is: each strategy replayed ``--repeats`` times on a tabulated benchmark.

Target (issue 12): grid, random, Hyperband, Bayesian optimisation and
successive halving, 100 repeats each at lesson 04's budgets (9 epochs; 9
configurations, 9 Bayesian trials; Hyperband max_epochs=9, factor=3), in at
most 10 s in all on 2 cores, with memory no more than a live search's.

Prints per strategy the seconds of all repeats (median of ``--runs`` runs),
the trials replayed, and the process's peak RSS; nothing is asserted.

    python bench/replay_speed.py                       # the shipped digits-mlp table
    python bench/replay_speed.py --table digits-mlp-tiny --repeats 20
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import time

from nbtune import benchmarks
from nbtune.replays import replay

BUDGET = {"epochs": 9, "n_iter": 9, "max_trials": 9, "max_epochs": 9, "factor": 3}
STRATEGIES = ["grid", "random", "hyperband", "bayesian", "successive_halving"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", default="digits-mlp")
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bench = benchmarks.load(args.table)
    budget = {k: min(v, bench.max_epochs) if "epochs" in k else v for k, v in BUDGET.items()}
    replay(bench, strategies=STRATEGIES, repeats=1, **budget)  # imports (keras-tuner) paid here
    print(f"# {time.strftime('%Y-%m-%dT%H:%M:%S')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}")
    print(f"# table {args.table}: {bench.space.size} configurations, budget {budget}, "
          f"{args.repeats} repeats, median of {args.runs} runs")
    total = 0.0
    for name in STRATEGIES:
        seconds, trials = [], 0
        for _ in range(args.runs):
            started = time.perf_counter()
            result = replay(bench, strategies=[name], repeats=args.repeats, **budget)
            seconds.append(time.perf_counter() - started)
            trials = len(result.trials)
        median = statistics.median(seconds)
        total += median
        print(f"{name:20} {median:7.2f} s for {args.repeats} repeats ({trials} trials, "
              f"{1000 * median / max(trials, 1):.2f} ms per trial)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'all':20} {total:7.2f} s (target: at most 10 s); peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
