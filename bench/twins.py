#!/usr/bin/env python
"""Lesson 04's comparison with and without twins (models that share traced graphs).

nbtune's model pool lets a configuration that differs from a pooled one only in
the learning rate take over that model and its traced graphs
(``nbtune/training/twins.py``, ``nbtune/training/engine.py``). This script runs lesson 04's four
strategies (its space, budgets, data and seeds: ``nbtune.lessons``) both ways in
one process, alternating which goes first, after a warm-up fit, and prints each
strategy's wall seconds (median of the repeats), the ratio, and whether every
trial's score is the same both ways. "Without" makes no model a twin, which is
the pool as it was before twins.

    taskset -c 0 /work/venv/bin/python bench/twins.py               # ~5 min on one core
    taskset -c 0 /work/venv/bin/python bench/twins.py --repeats 3
    /work/venv/bin/python bench/twins.py --quick                     # grid only, smoke run

Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import datetime
import platform
import statistics
import time
import warnings

warnings.filterwarnings("ignore")


def run(strategies: list[str], twins_on: bool) -> tuple[dict[str, float], list[float]]:
    """Wall seconds per strategy and every trial's score, with twins on or off."""
    import nbtune
    from nbtune import data, lessons
    from nbtune.training import twins

    digits = data.load_digits()
    settings = {**lessons.comparison_settings(1), "strategies": strategies}
    original = twins.structure
    if not twins_on:
        twins.structure = lambda model: None  # no model is anyone's twin
    try:
        clock = lessons.WallClock(show=False)
        result = nbtune.compare(lessons.build_digits_model, lessons.comparison_space(1),
                                *digits.train, validation_data=digits.validation,
                                progress=clock, **settings)
    finally:
        twins.structure = original
    return dict(clock.seconds), [float(s) for s in result.trials["score"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the grid only, one repeat")
    parser.add_argument("--repeats", type=int, default=1, help="with/without pairs, alternating order")
    args = parser.parse_args()
    strategies = ["grid"] if args.quick else ["grid", "random", "hyperband", "bayesian"]
    repeats = 1 if args.quick else args.repeats

    from nbtune.backend import cpu_name, usable_cpus

    print(f"# lesson 04's comparison with and without twins ({'quick' if args.quick else 'full'} run)")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, usable cores={usable_cpus()}"
          f" ({cpu_name()}), Python {platform.python_version()}")
    started = time.perf_counter()
    import nbtune  # noqa: F401  (TensorFlow's start-up is charged to neither side)
    from nbtune import data, lessons

    lessons.build_digits_model().fit(*data.load_digits().train, epochs=1, verbose=0)
    print(f"# import + warm-up fit (not counted): {time.perf_counter() - started:.1f} s", flush=True)

    seconds: dict[bool, list[dict[str, float]]] = {True: [], False: []}
    scores: dict[bool, list[float]] = {}
    for repeat in range(repeats):
        for twins_on in ((True, False) if repeat % 2 == 0 else (False, True)):
            took, scores[twins_on] = run(strategies, twins_on)
            seconds[twins_on].append(took)
            print(f"  repeat {repeat + 1}: {'with' if twins_on else 'without':7} twins "
                  f"{sum(took.values()):6.1f} s", flush=True)

    print()
    print(f"{'wall s (median)':18}{'with twins':>12}{'without':>10}{'with / without':>16}")
    for strategy in [*strategies, "all"]:
        with_s, without_s = (statistics.median(
            sum(run.values()) if strategy == "all" else run[strategy] for run in seconds[on])
            for on in (True, False))
        print(f"{strategy:18}{with_s:12.1f}{without_s:10.1f}{with_s / without_s:16.2f}")
    same = max(abs(a - b) for a, b in zip(scores[True], scores[False]))
    print(f"largest score difference between the two ways, over {len(scores[True])} trials: {same:.2g}")


if __name__ == "__main__":
    main()
