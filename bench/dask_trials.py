#!/usr/bin/env python
"""Every strategy with ``n_jobs``: in one process, in worker processes, on a Dask cluster.

Lesson 04's comparison (its model, space and budget 1 on the digits: grid,
random, Hyperband, Bayesian optimisation), one strategy at a time, in four
settings, each in a fresh Python process:

- ``one``: ``n_jobs=None``, every trial in this process;
- ``sequential``: ``n_jobs=W`` inside ``joblib.parallel_config(backend="sequential")``,
  the trials of a W-worker run, run here one after another (the reference a
  cluster must match for Bayesian optimisation, whose trials depend on n_jobs);
- ``processes``: ``n_jobs=W`` in joblib's worker processes (loky);
- ``dask``: ``n_jobs=W`` inside ``joblib.parallel_config(backend="dask")`` on a
  ``distributed.LocalCluster`` of W single-threaded workers on 127.0.0.1.

Each setting runs every strategy once to start its workers (TensorFlow imported,
models traced), then ``--repeats`` more times; the medians of those are printed,
with whether each strategy's trials (configurations, epochs, scores to the last
bit) equal those of its reference. Prints figures only; nothing is asserted.

    python bench/dask_trials.py                  # about 10 minutes on 2 cores
    python bench/dask_trials.py --quick          # smoke run (tiny budgets)
    python bench/dask_trials.py --workers 3 --strategies hyperband
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import contextlib
import datetime
import json
import logging
import platform
import statistics
import subprocess
import sys
import time

MARK = "BENCH_RESULT "
SETTINGS = ("one", "sequential", "processes", "dask")


def _place(setting: str, workers: int):
    """The context a setting's searches run in, and its n_jobs."""
    import joblib

    if setting == "one":
        return contextlib.nullcontext(), None
    if setting == "sequential":
        return joblib.parallel_config(backend="sequential"), workers
    if setting == "processes":
        return contextlib.nullcontext(), workers
    from distributed import Client, LocalCluster

    stack = contextlib.ExitStack()
    cluster = stack.enter_context(LocalCluster(
        n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
        silence_logs=logging.ERROR))
    stack.enter_context(Client(cluster))
    stack.enter_context(joblib.parallel_config(backend="dask"))
    return stack, workers


def child(setting: str, workers: int, strategies: list[str], repeats: int, quick: bool) -> None:
    """One setting, in this (fresh) process: each strategy 1 + ``repeats`` times."""
    import nbtune
    from nbtune import data
    from nbtune.lessons import digits as lesson

    digits = data.load_digits()
    space = lesson.comparison_space(fast=quick)
    settings = lesson.comparison_settings(fast=quick)
    settings.pop("strategies")
    place, n_jobs = _place(setting, workers)
    rows = {}
    with place:
        for name in strategies:
            seconds, trials = [], None
            for _ in range(1 + repeats):
                started = time.perf_counter()
                result = nbtune.compare(lesson.build_digits_model, space, *digits.train,
                                        validation_data=digits.validation, strategies=[name],
                                        progress=False, n_jobs=n_jobs, **settings)
                seconds.append(time.perf_counter() - started)
                columns = ["learning_rate", "units", "train_epochs", "score"]
                trials = sorted(map(repr, result.trials[columns].values.tolist()))
            rows[name] = {"first": seconds[0], "median": statistics.median(seconds[1:]),
                          "runs": seconds[1:], "trials": trials, "count": len(trials)}
    print(MARK + json.dumps({"setting": setting, "rows": rows}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="n_jobs and Dask workers (default 2)")
    parser.add_argument("--strategies", nargs="+",
                        default=["grid", "random", "hyperband", "bayesian"])
    parser.add_argument("--settings", nargs="+", default=list(SETTINGS), choices=SETTINGS)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs after the first (default 3)")
    parser.add_argument("--quick", action="store_true", help="lesson 04's fast budgets")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workers, args.strategies, args.repeats, args.quick)
        return

    import keras

    print(f"# lesson 04's comparison, one strategy at a time; n_jobs={args.workers}; "
          f"medians of {args.repeats} runs after a first that starts the workers")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}, keras {keras.__version__}")
    results = {}
    for setting in args.settings:
        command = [sys.executable, __file__, "--child", setting, "--workers", str(args.workers),
                   "--repeats", str(args.repeats), "--strategies", *args.strategies]
        command += ["--quick"] if args.quick else []
        out = subprocess.run(command, capture_output=True, text=True, check=False)
        lines = [line for line in out.stdout.splitlines() if line.startswith(MARK)]
        if out.returncode or not lines:
            print(f"{setting}: failed (exit {out.returncode})\n{out.stderr[-3000:]}")
            continue
        results[setting] = json.loads(lines[-1][len(MARK):])["rows"]
        print(f"  {setting}: done", flush=True)
    print()
    print(f"{'strategy':<11}{'setting':<12}{'trials':>7}{'first (s)':>11}{'median (s)':>12}"
          f"{'vs one':>8}  same trials as")
    for name in args.strategies:
        for setting, rows in results.items():
            row = rows[name]
            reference = "sequential" if name == "bayesian" and setting != "one" else "one"
            base = results.get("one", {}).get(name)
            same = results.get(reference, {}).get(name)
            verdict = "-" if same is None or setting == reference else (
                f"{reference}: {'yes' if same['trials'] == row['trials'] else 'NO'}")
            ratio = f"{base['median'] / row['median']:7.2f}x" if base else "      -"
            print(f"{name:<11}{setting:<12}{row['count']:>7}{row['first']:11.1f}"
                  f"{row['median']:12.1f}{ratio} {verdict}")
    print("vs one: the one-process median / this setting's median (above 1: faster). "
          "Bayesian optimisation's reference is 'sequential': its trials depend on n_jobs.")


if __name__ == "__main__":
    main()
