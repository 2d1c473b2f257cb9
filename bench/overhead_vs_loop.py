#!/usr/bin/env python
"""nbtune.grid_search against the floor: a hand-written build / fit / score loop.

Both sides train the same configurations (lesson 01's grid over ``batch_size`` on
the digits training split: 5 batch sizes x 3 folds x 5 epochs by default) on the
same folds -- ``StratifiedKFold(n_splits=cv)``, which is what scikit-learn's
``check_cv(cv, y, classifier=True)`` gives nbtune -- with the same model, epochs,
batch size and seed (``keras.utils.set_random_seed`` before each build, as
nbtune's estimator does), and score accuracy on the held-out fold.

The loop is the least a search has to do: clear the Keras session, seed, build,
``fit(verbose=0)``, one forward pass on the held-out fold, ``argmax``, accuracy.
Both sides run in this one process after a warm-up fit (TensorFlow's one-time
start-up cost is charged to neither); with ``--repeats`` they alternate order
and the median is reported.

    /work/venv/bin/python bench/overhead_vs_loop.py             # ~1.5 min on 2 cores
    /work/venv/bin/python bench/overhead_vs_loop.py --quick     # smoke run
    /work/venv/bin/python bench/overhead_vs_loop.py --repeats 3

Issue 5's target: nbtune at most 10 % above the loop (ratio <= 1.10).
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


def create_model(units=100):
    """Lesson 01's model, for the digits."""
    import keras

    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def hand_loop(X, y, folds, configs, *, epochs, seed):
    """Mean accuracy per configuration, and where the loop's time went."""
    import keras
    import numpy as np

    spent = {"build": 0.0, "fit": 0.0, "score": 0.0}
    scores = []
    for config in configs:
        build_args = {k: v for k, v in config.items() if k != "batch_size"}
        fold_scores = []
        for train, test in folds:
            t0 = time.perf_counter()
            keras.backend.clear_session()
            keras.utils.set_random_seed(seed)
            model = create_model(**build_args)
            keras.utils.set_random_seed(seed)  # as nbtune does, so both train the same models
            t1 = time.perf_counter()
            model.fit(X[train], y[train], epochs=epochs, batch_size=config["batch_size"], verbose=0)
            t2 = time.perf_counter()
            probabilities = keras.ops.convert_to_numpy(model(X[test], training=False))
            fold_scores.append(float(np.mean(np.argmax(probabilities, axis=1) == y[test])))
            t3 = time.perf_counter()
            spent["build"] += t1 - t0
            spent["fit"] += t2 - t1
            spent["score"] += t3 - t2
        scores.append(float(np.mean(fold_scores)))
    return scores, spent


def lean_loop(X, y, folds, configs, *, epochs, seed):
    """The hand loop with nbtune's engine levers written out (see nbtune.training.engine).

    One model per build configuration, put back to its initial weights, random
    state and optimizer state before each fold, and 32 steps per call into
    TensorFlow: what is left between this and nbtune is nbtune's bookkeeping.
    """
    import keras
    import numpy as np

    scores, model, key = [], None, None
    for config in configs:
        build_args = {k: v for k, v in config.items() if k != "batch_size"}
        if build_args != key:
            keras.backend.clear_session()
            keras.utils.set_random_seed(seed)
            model, key = create_model(**build_args), build_args
            model.steps_per_execution = 32
            model.optimizer.build(model.trainable_variables)
            initial = [v.numpy() for v in [*model.variables, *model.optimizer.variables]]
        fold_scores = []
        for train, test in folds:
            for variable, value in zip([*model.variables, *model.optimizer.variables], initial):
                variable.assign(value)
            keras.utils.set_random_seed(seed)
            model.fit(X[train], y[train], epochs=epochs, batch_size=config["batch_size"], verbose=0)
            probabilities = keras.ops.convert_to_numpy(model(X[test], training=False))
            fold_scores.append(float(np.mean(np.argmax(probabilities, axis=1) == y[test])))
        scores.append(float(np.mean(fold_scores)))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 batch sizes x 3 folds x 1 epoch")
    parser.add_argument("--batch-sizes", type=int, nargs="+", help="default 8 16 32 64 128")
    parser.add_argument("--units", type=int, nargs="+", default=[100],
                        help="hidden units to grid over as well (default: 100 only)")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=1, help="loop/nbtune pairs, alternating order")
    args = parser.parse_args()
    batch_sizes = args.batch_sizes or ([32, 128] if args.quick else [8, 16, 32, 64, 128])
    epochs = args.epochs or (1 if args.quick else 5)

    started = time.perf_counter()
    import keras
    import numpy as np
    from sklearn.model_selection import ParameterGrid, StratifiedKFold, check_cv

    import nbtune
    from nbtune import Choice, SearchSpace, data

    X, y = data.load_digits().train
    import_seconds = time.perf_counter() - started

    space = SearchSpace(Choice("batch_size", batch_sizes), Choice("units", args.units))
    configs = [space.to_python(c) for c in ParameterGrid(space.grid())]  # nbtune's own order
    folds = list(StratifiedKFold(n_splits=args.cv).split(X, y))
    theirs = list(check_cv(args.cv, y, classifier=True).split(X, y))
    same_folds = all(np.array_equal(a[1], b[1]) for a, b in zip(folds, theirs))

    print(f"# overhead of nbtune.grid_search vs a hand-written loop ({'quick' if args.quick else 'full'} run)")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}, keras {keras.__version__}")
    print(f"# {len(configs)} configurations (batch_size {batch_sizes} x units {args.units}) x "
          f"{args.cv} folds x {epochs} epochs = {len(configs) * args.cv} fits per side, seed {args.seed}")
    print(f"# folds identical to check_cv({args.cv}, y, classifier=True): {'yes' if same_folds else 'NO'}")
    print(f"# import + data: {import_seconds:.1f} s")

    t = time.perf_counter()  # warm-up: TensorFlow's first fit pays one-time costs
    keras.utils.set_random_seed(args.seed)
    create_model().fit(X[:64], y[:64], epochs=1, batch_size=32, verbose=0)
    keras.backend.clear_session()
    print(f"# warm-up fit (not counted): {time.perf_counter() - t:.1f} s", flush=True)

    loop_times, nbtune_times, lean_times, spent_all = [], [], [], []
    loop_scores = nbtune_scores = lean_scores = None
    sides = ("loop", "nbtune", "lean")
    for repeat in range(args.repeats):
        order = sides[repeat % 3:] + sides[:repeat % 3]  # each side first in turn
        for side in order:
            t = time.perf_counter()
            if side == "loop":
                loop_scores, spent = hand_loop(X, y, folds, configs, epochs=epochs, seed=args.seed)
                loop_times.append(time.perf_counter() - t)
                spent_all.append(spent)
            elif side == "lean":
                lean_scores = lean_loop(X, y, folds, configs, epochs=epochs, seed=args.seed)
                lean_times.append(time.perf_counter() - t)
            else:
                result = nbtune.grid_search(create_model, space, X, y, cv=args.cv, epochs=epochs,
                                            random_state=args.seed, progress=False)
                nbtune_times.append(time.perf_counter() - t)
                nbtune_scores = result.trials["score"].tolist()
            print(f"  repeat {repeat + 1}: {side:6} {time.perf_counter() - t:7.1f} s", flush=True)

    loop_s, nbtune_s = statistics.median(loop_times), statistics.median(nbtune_times)
    lean_s = statistics.median(lean_times)
    n_fits = len(configs) * args.cv
    spent = {k: statistics.median(s[k] for s in spent_all) for k in spent_all[0]}
    print()
    print(f"{'':26}{'loop':>10}{'nbtune':>10}{'lean loop':>11}")
    print(f"{'wall time (s, median)':26}{loop_s:10.2f}{nbtune_s:10.2f}{lean_s:11.2f}")
    print(f"{'per fit (s)':26}{loop_s / n_fits:10.3f}{nbtune_s / n_fits:10.3f}{lean_s / n_fits:11.3f}")
    print(f"{'best mean accuracy':26}{max(loop_scores):10.4f}{max(nbtune_scores):10.4f}"
          f"{max(lean_scores):11.4f}")
    print(f"ratio nbtune / loop: {nbtune_s / loop_s:.3f}  (overhead {100 * (nbtune_s / loop_s - 1):+.1f} %; "
          "issue 5 target: <= 1.10)")
    print(f"ratio nbtune / lean loop (the same levers by hand, so only nbtune's bookkeeping "
          f"differs): {nbtune_s / lean_s:.3f}  ({100 * (nbtune_s / lean_s - 1):+.1f} %)")
    print(f"largest score difference per configuration: loop vs nbtune "
          f"{max(abs(a - b) for a, b in zip(loop_scores, nbtune_scores)):.4f}, lean loop vs nbtune "
          f"{max(abs(a - b) for a, b in zip(lean_scores, nbtune_scores)):.4f}")
    print("loop's time: " + ", ".join(f"{k} {v:.2f} s ({100 * v / loop_s:.0f} %)" for k, v in spent.items()))
    for config, a, b, c in zip(configs, loop_scores, nbtune_scores, lean_scores):
        print(f"  {config}: loop {a:.4f}  nbtune {b:.4f}  lean loop {c:.4f}")


if __name__ == "__main__":
    main()
