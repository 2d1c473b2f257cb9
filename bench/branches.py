#!/usr/bin/env python
"""Many configurations in one model against one-call fits one after another (issue 26, item 2).

The configurations of the shipped ``digits-mlp`` space with one batch size
(``--batch-size``, default 32): units x dropout x learning rate, 63 of them,
with one seed, ``--epochs`` epochs on the digits. Side *one by one*: each a
one-call fit (``nbtune/training/graph_fit.py``) inside one model pool, so each
structure is traced once; side *branches*: all of them as branches of one model
(``nbtune/training/branches.py``), trained in one call. Both build the same
models (the same initial weights); medians of ``--repeats``, alternating which
side goes first, after a warm-up of each. Prints the seconds, the ratio, and the
largest difference of the final validation accuracy between the sides for the
configurations without dropout (the same arithmetic there) and with it (other
dropout masks: equal in distribution only).

    python bench/branches.py              # about 2 minutes on 2 cores
    python bench/branches.py --quick      # 2 epochs, 1 repeat

Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import contextvars
import datetime
import platform
import statistics
import time
import warnings

warnings.filterwarnings("ignore")


def configurations(batch_size: int) -> list[dict]:
    from sklearn.model_selection import ParameterGrid

    from nbtune import lessons

    space = lessons.digits_mlp_space()
    grid = [dict(c) for c in ParameterGrid(space.grid())]
    return [space.to_python(c) for c in grid if c["batch_size"] == batch_size]


def one_by_one(configs: list[dict], epochs: int, seed: int) -> list[float]:
    from nbtune import KerasClassifier, data, lessons
    from nbtune.training import engine, graph_fit

    digits = data.load_digits()
    scores = []
    with graph_fit.one_call_fits(), engine.reusing_models():
        for params in configs:
            estimator = KerasClassifier(lessons.build_digits_model, epochs=epochs,
                                        random_state=seed, **params)
            estimator.fit(*digits.train, validation_data=digits.validation)
            scores.append(estimator.history_["val_accuracy"][-1])
    return scores


def as_branches(configs: list[dict], epochs: int, seed: int) -> list[float]:
    import numpy as np

    from nbtune import KerasClassifier, data, lessons
    from nbtune.training.branches import Branches

    digits = data.load_digits()
    estimators = [KerasClassifier(lessons.build_digits_model, epochs=epochs, random_state=seed,
                                  **params) for params in configs]
    contextvars.Context().run(lambda: [e.initialize(*digits.train) for e in estimators])
    X, y = digits.train
    histories = Branches([e.model_ for e in estimators]).fit(
        X, np.asarray(y), epochs=epochs, batch_size=configs[0]["batch_size"],
        seeds=[seed] * len(configs), validation_data=tuple(np.asarray(a) for a in digits.validation))
    return [h["val_accuracy"][-1] for h in histories]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=9)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    import keras
    import numpy as np

    epochs, repeats = (2, 1) if args.quick else (args.epochs, args.repeats)
    configs = configurations(args.batch_size)
    sides = {"one by one": one_by_one, "branches": as_branches}
    for side in sides.values():  # warm-up: TensorFlow's start-up is charged to neither
        side(configs[:2], 1, 0)
    times: dict[str, list[float]] = {name: [] for name in sides}
    scores: dict[str, list[float]] = {}
    for repeat in range(repeats):
        order = list(sides.items())
        for name, side in order if repeat % 2 == 0 else order[::-1]:
            started = time.perf_counter()
            scores[name] = side(configs, epochs, seed=repeat)
            times[name].append(time.perf_counter() - started)
    print(f"# {len(configs)} configurations of digits-mlp at batch size {args.batch_size}, "
          f"{epochs} epochs, one seed; medians of {repeats}")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}, keras {keras.__version__}")
    for name in sides:
        runs = " ".join(f"{t:.1f}" for t in times[name])
        print(f"{name:<12}{statistics.median(times[name]):8.1f} s   runs {runs}")
    print(f"one by one / branches: "
          f"{statistics.median(times['one by one']) / statistics.median(times['branches']):.1f}x")
    gap = np.abs(np.subtract(scores["one by one"], scores["branches"]))
    no_dropout = np.array([c["dropout_rate"] == 0 for c in configs])
    print(f"largest |difference| of the final validation accuracy: without dropout "
          f"{gap[no_dropout].max():.6f}, with dropout {gap[~no_dropout].max():.4f} "
          f"(mean difference {np.mean(np.subtract(scores['branches'], scores['one by one'])):+.4f})")


if __name__ == "__main__":
    main()
