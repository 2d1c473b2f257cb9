#!/usr/bin/env python
"""Keras's ``fit`` against nbtune's one-call fit, over many seeds: one distribution of scores?

The two paths cannot give the same model for one seed: Keras draws each
epoch's batch order through ``tf.data`` from the global seed, nbtune's one-call
fit (``nbtune/training/graph_fit.py``) from ``(seed, epoch)`` in the graph. So
for each of ``--seeds`` seeds both train lesson 04's model on the digits
(the same initial weights for a seed, ``--epochs`` epochs, batch size 32) and
score it on the validation split; the script prints both samples' means and
standard deviations, a Mann-Whitney U test and a Kolmogorov-Smirnov test of
the two samples, and the seconds each path took. The exact check (one call
against an unrolled loop over the same batches) is a test:
``tests/test_graph_fit.py``.

    python bench/graph_fit_agreement.py             # 60 seeds, about 2 minutes on 2 cores
    python bench/graph_fit_agreement.py --quick     # 8 seeds

Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import datetime
import platform
import time
import warnings

warnings.filterwarnings("ignore")


def lesson_model(units: int = 32, dropout_rate: float = 0.2):
    """Lesson 04's digits model (nbtune.lessons.build_digits_model) with dropout, Adam at 1e-3."""
    from nbtune import lessons

    return lessons.build_digits_model(units=units, dropout_rate=dropout_rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=60)
    parser.add_argument("--epochs", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="8 seeds")
    args = parser.parse_args()
    import keras
    import numpy as np
    from scipy.stats import ks_2samp, mannwhitneyu

    from nbtune import data
    from nbtune.training import graph_fit

    seeds = 8 if args.quick else args.seeds
    digits = data.load_digits()
    X, y = (np.asarray(a) for a in digits.train)
    X_val, y_val = (np.asarray(a) for a in digits.validation)
    X, X_val, y, y_val = X.astype("float32"), X_val.astype("float32"), y.astype("int32"), y_val
    models = {"keras": lesson_model(), "graph": lesson_model()}
    for model in models.values():
        model.optimizer.build(model.trainable_variables)
    start = {path: [v.numpy() for v in (*m.weights, *m.optimizer.variables)]
             for path, m in models.items()}
    scores: dict[str, list[float]] = {path: [] for path in models}
    seconds = dict.fromkeys(models, 0.0)
    for seed in range(seeds):
        for path, model in models.items():
            for variable, value in zip((*model.weights, *model.optimizer.variables), start[path]):
                variable.assign(value)
            glorot = keras.initializers.GlorotUniform(seed)
            for layer in model.layers:
                if hasattr(layer, "kernel"):
                    layer.kernel.assign(glorot(layer.kernel.shape))
            began = time.perf_counter()
            if path == "graph":
                graph_fit.fit_in_one_call(model, X, y, epochs=args.epochs, batch_size=32, seed=seed)
            else:
                keras.utils.set_random_seed(seed)
                model.fit(X, y, epochs=args.epochs, batch_size=32, verbose=0)
            seconds[path] += time.perf_counter() - began
            predicted = np.argmax(model(X_val, training=False).numpy(), axis=1)
            scores[path].append(float(np.mean(predicted == y_val)))
    print(f"# lesson 04's model on the digits, {args.epochs} epochs, batch size 32, "
          f"{seeds} seeds per path (the same initial weights per seed)")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}, keras {keras.__version__}")
    print(f"{'path':<8}{'mean':>8}{'std':>8}{'min':>8}{'max':>8}{'seconds':>10}")
    for path, values in scores.items():
        v = np.asarray(values)
        print(f"{path:<8}{v.mean():8.4f}{v.std(ddof=1):8.4f}{v.min():8.4f}{v.max():8.4f}"
              f"{seconds[path]:10.1f}")
    print(f"Mann-Whitney U p = {mannwhitneyu(scores['graph'], scores['keras']).pvalue:.3f}; "
          f"Kolmogorov-Smirnov p = {ks_2samp(scores['graph'], scores['keras']).pvalue:.3f}; "
          f"difference of means {np.mean(scores['graph']) - np.mean(scores['keras']):+.4f}")


if __name__ == "__main__":
    main()
