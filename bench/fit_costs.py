#!/usr/bin/env python
"""Where a fit's time goes: build, trace, a fit's fixed cost and each later epoch, per fit path.

For each repeat and each path (Keras's ``fit``, nbtune's one-call fit:
``nbtune/training/graph_fit.py``) a new model of lesson 04 (64 units,
dropout 0.2, Adam) is built and trained on the digits training split
(1,077 rows, batch size 32), through ``nbtune.KerasClassifier`` inside one
model pool, as a search trains it:

- *build*: the build function, compile and first call of a new model;
- *first fit*: its first fit of ``--epochs`` epochs (the trace included);
- *later fit*: a later fit of the same configuration (the pooled model, no trace);
- *1-epoch fit*: a later fit of one epoch.

From these: *trace* = first fit - later fit; *per epoch* = (later fit -
1-epoch fit) / (epochs - 1); *fixed per fit* = 1-epoch fit - per epoch, what
every fit costs besides its epochs. Both paths run in this one process,
alternating which goes first; medians of ``--repeats``.

    python bench/fit_costs.py               # about 1 minute on 2 cores
    python bench/fit_costs.py --quick

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


def lesson_model(units: int = 64, dropout_rate: float = 0.2):
    """Lesson 04's digits model (nbtune.lessons.build_digits_model) with dropout, Adam at 1e-3."""
    from nbtune import lessons

    return lessons.build_digits_model(units=units, dropout_rate=dropout_rate)


def one_repeat(path: str, seed: int, epochs: int, X, y) -> dict[str, float]:
    """The four timings of one new model on ``path``."""
    from nbtune import KerasClassifier
    from nbtune.training import engine, graph_fit

    figures = {}
    with graph_fit.one_call_fits(path == "graph"), engine.reusing_models():
        def fit(n: int) -> float:
            estimator = KerasClassifier(lesson_model, epochs=n, batch_size=32, random_state=seed)
            began = time.perf_counter()
            estimator.fit(X, y)
            assert estimator.fit_path_ == path, estimator.fit_path_reason_
            return time.perf_counter() - began

        began = time.perf_counter()
        KerasClassifier(lesson_model, random_state=seed).initialize(X, y)
        figures["build"] = time.perf_counter() - began
        figures["first fit"] = fit(epochs)
        figures["later fit"] = fit(epochs)
        figures["1-epoch fit"] = fit(1)
    figures["trace"] = figures["first fit"] - figures["later fit"]
    figures["per epoch"] = (figures["later fit"] - figures["1-epoch fit"]) / (epochs - 1)
    figures["fixed per fit"] = figures["1-epoch fit"] - figures["per epoch"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="1 repeat of 3 epochs")
    args = parser.parse_args()
    import keras

    from nbtune import data

    repeats, epochs = (1, 3) if args.quick else (args.repeats, args.epochs)
    X, y = data.load_digits().train
    one_repeat("graph", 99, 2, X, y), one_repeat("keras", 99, 2, X, y)  # warm-up
    runs: dict[str, list[dict]] = {"keras": [], "graph": []}
    for r in range(repeats):
        for path in (("keras", "graph") if r % 2 == 0 else ("graph", "keras")):
            runs[path].append(one_repeat(path, r, epochs, X, y))
    print(f"# lesson 04's model (64 units, dropout 0.2) on {len(X)} digits, batch size 32, "
          f"{epochs} epochs; medians of {repeats}, seconds")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}, keras {keras.__version__}")
    print(f"{'':16}{'keras fit':>11}{'one call':>11}{'ratio':>8}")
    for name in ("build", "first fit", "trace", "later fit", "1-epoch fit", "fixed per fit",
                 "per epoch"):
        k = statistics.median(run[name] for run in runs["keras"])
        g = statistics.median(run[name] for run in runs["graph"])
        print(f"{name:16}{k:11.3f}{g:11.3f}{(k / g if g > 0 else float('nan')):8.1f}")


if __name__ == "__main__":
    main()
