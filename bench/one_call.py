#!/usr/bin/env python
"""Lesson 01's grid and lesson 04's comparison, before and after one-call fits (issue 26).

*Before*: every fit through Keras's ``fit`` (``NBTUNE_GRAPH_FIT=0``), as nbtune
trained until issue 26. *After*: each fit that can in one traced call
(``nbtune/training/graph_fit.py``). *Side by side*: one-call fits, and grid and
random search train the fits of one batch size as branches of one model
(``nbtune/training/side_by_side.py``). All three run in this one process with the
lessons' own spaces, budgets, data and seeds (lesson 01: 5 batch sizes x 3
folds x 5 epochs on the digits; lesson 04: ``nbtune.lessons.comparison_settings(1)``,
grid, random, Hyperband and Bayesian optimisation), and a random search of 16
widths and dropout rates (cv=3, 9 epochs), where side by side pays, alternating which goes
first, after a warm-up. Prints each search's wall seconds (median of
``--repeats``), the ratios to *before*, each one's best scores and how its
trials trained (the trials table's ``fit_path``).

    python bench/one_call.py                # about 4 minutes on 2 cores
    taskset -c 0 python bench/one_call.py   # one core, as Binder
    python bench/one_call.py --quick        # lesson 01's grid only, one repeat

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


def lesson_01_model():
    """Lesson 01's model for the digits: one hidden layer of 100 units, Adam."""
    import keras

    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(100, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


MODES = ("before", "after", "side by side")


def trained_as(mode: str):
    """The context a search of ``mode`` runs in: Keras's fit, one-call fits, or side by side."""
    import contextlib

    from nbtune.training import graph_fit, side_by_side

    stack = contextlib.ExitStack()
    stack.enter_context(graph_fit.one_call_fits(mode != "before"))
    stack.enter_context(side_by_side.side_by_side(mode == "side by side"))
    return stack


def lesson_01(mode: str):
    import nbtune
    from nbtune import Choice, SearchSpace, data

    X, y = data.load_digits().train
    with trained_as(mode):
        return nbtune.grid_search(lesson_01_model, SearchSpace(Choice("batch_size", [8, 16, 32, 64, 128])),
                                  X, y, cv=3, epochs=5, progress=False, random_state=0)


def lesson_04(mode: str):
    import nbtune
    from nbtune import data, lessons

    digits = data.load_digits()
    with trained_as(mode):
        return nbtune.compare(lessons.build_digits_model, lessons.comparison_space(1),
                              *digits.train, validation_data=digits.validation, progress=False,
                              **lessons.comparison_settings(1))


def random_16(mode: str):
    """A random search where many structures meet: 16 widths and dropout rates on the digits."""
    import nbtune
    from nbtune import Float, Int, SearchSpace, data, lessons

    space = SearchSpace(Int("units", 16, 256), Float("dropout_rate", 0.0, 0.5),
                        Float("learning_rate", 1e-4, 1e-1, log=True))
    with trained_as(mode):
        return nbtune.random_search(lessons.build_digits_model, space, *data.load_digits().train,
                                    n_iter=16, cv=3, epochs=9, progress=False, random_state=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="lesson 01's grid, one repeat")
    args = parser.parse_args()
    from nbtune.backend import cpu_name, usable_cpus

    searches = {"lesson 01's grid": lesson_01}
    if not args.quick:
        searches["lesson 04's comparison"] = lesson_04
        searches["random search, 16 structures"] = random_16
    repeats = 1 if args.quick else args.repeats
    print(f"# {', '.join(MODES)}; medians of {repeats}")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, usable cores={usable_cpus()} "
          f"({cpu_name()}), nproc={os.cpu_count()}, {platform.platform()}, "
          f"Python {platform.python_version()}")
    for mode in MODES:  # warm-up: TensorFlow's start-up is charged to none
        lesson_01(mode)
    for name, search in searches.items():
        times: dict[str, list[float]] = {mode: [] for mode in MODES}
        results = {}
        for repeat in range(repeats):
            for mode in (MODES if repeat % 2 == 0 else MODES[::-1]):
                started = time.perf_counter()
                results[mode] = search(mode)
                times[mode].append(time.perf_counter() - started)
        before = statistics.median(times["before"])
        print(f"\n== {name}")
        print(f"{'':14}{'median (s)':>11}  {'before /':>9}   runs (s)        fits        best scores")
        for mode in MODES:
            result, median = results[mode], statistics.median(times[mode])
            runs = " ".join(f"{t:.1f}" for t in times[mode])
            paths = dict(result.trials["fit_path"].value_counts())
            best = result.summary()["best_score"].round(4).to_dict()
            print(f"{mode:14}{median:11.1f}  {before / median:8.2f}x   {runs:<15} {paths}  {best}")

if __name__ == "__main__":
    main()
