#!/usr/bin/env python
"""How fast a replay is: each strategy replayed ``--repeats`` times on a tabulated benchmark.

Target (issue 12): grid, random, Hyperband, Bayesian optimisation and
successive halving, 100 repeats each at lesson 04's budgets (9 epochs; 9
configurations, 9 Bayesian trials; Hyperband max_epochs=9, factor=3), in at
most 10 s in all on 2 cores, with memory no more than a live search's.

Lesson 04's budgets are replayed on lesson 04's part of the table (batch size
32, no dropout: units x 7 learning rates); its grid is the 3 x 3 one (learning
rates 1e-4, 3.16e-3, 1e-1, what ``points=3`` gives on lesson 04's log range).
Bayesian optimisation's 9 trials there are 6 random ones and 3 guided by its
Gaussian process; the last lines say what one guided trial costs, from the
same replay with ``max_trials`` 6 (none guided) and 18 (12 guided).

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
from nbtune.benchmarks.replays import replay

BUDGET = {"epochs": 9, "n_iter": 9, "max_trials": 9, "max_epochs": 9, "factor": 3}
STRATEGIES = ["grid", "random", "hyperband", "bayesian", "successive_halving"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", default="digits-mlp")
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", default=None, help="a folder of tables (default: nbtune's)")
    args = parser.parse_args()
    bench = lesson_04_part(benchmarks.load(args.table, folder=args.folder))
    budget = {k: min(v, bench.max_epochs) if "epochs" in k else v for k, v in BUDGET.items()}
    replay(bench, strategies=STRATEGIES, repeats=1, **budget)  # imports (keras-tuner) paid here
    print(f"# {time.strftime('%Y-%m-%dT%H:%M:%S')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}")
    print(f"# table {args.table}: {bench.space.size} configurations, budget {budget}, "
          f"{args.repeats} repeats, median of {args.runs} runs")
    total = 0.0
    for name in STRATEGIES:
        table = grid_part(bench) if name == "grid" else bench
        runs = 1 if name == "bayesian" else args.runs  # minutes per run: once is enough
        median, trials = timed(table, name, args.repeats, runs, budget)
        total += median
        print(f"{name:20} {median:7.2f} s for {args.repeats} repeats ({trials} trials, "
              f"{1000 * median / max(trials, 1):.2f} ms per trial)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'all':20} {total:7.2f} s (target: at most 10 s); peak RSS {peak:.0f} MB")
    few = 5  # repeats: 60 guided trials
    unguided, _ = timed(bench, "bayesian", few, 1, {**budget, "max_trials": 6})
    guided, _ = timed(bench, "bayesian", few, 1, {**budget, "max_trials": 18})
    per_guided = (guided - unguided) / (12 * few)
    print(f"bayesian x {few}, 6 random trials: {unguided:.2f} s; 6 random + 12 guided: {guided:.2f} s, "
          f"so {1000 * per_guided:.1f} ms per guided trial (keras-tuner fits its Gaussian "
          "process and optimises the acquisition with scipy before each)")


def lesson_04_part(bench: benchmarks.Benchmark) -> benchmarks.Benchmark:
    """Lesson 04's space in the table: batch size 32, no dropout (when the table has more)."""
    fixed = {"batch_size": [32], "dropout_rate": [0.0]}
    return bench.subset(**{k: v for k, v in fixed.items() if len(bench.configs[k].unique()) > 1})


def grid_part(bench: benchmarks.Benchmark) -> benchmarks.Benchmark:
    """Lesson 04's 3 x 3 grid: the first, middle and last learning rate."""
    rates = sorted(bench.configs["learning_rate"].unique())
    return bench.subset(learning_rate=sorted({rates[0], rates[len(rates) // 2], rates[-1]}))


def timed(bench: benchmarks.Benchmark, name: str, repeats: int, runs: int,
          budget: dict) -> tuple[float, int]:
    """Median seconds of ``runs`` replays of ``repeats`` repeats, and the trials of one."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = replay(bench, strategies=[name], repeats=repeats, **budget)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), len(result.trials)


if __name__ == "__main__":
    main()
