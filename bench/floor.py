#!/usr/bin/env python
"""Lesson 01's grid against the arithmetic's floor: every fit in one traced TensorFlow call.

nbtune's ``grid_search``, before (every fit through Keras's ``fit``) and
after (one-call fits: ``nbtune/training/graph_fit.py``) issue 26
(lesson 01: the digits training split, a 100-unit
hidden layer, 5 batch sizes x 3 folds x 5 epochs, Adam) against the least a
program can do for the same arithmetic: one model whose weights are reset for
each fit, and one ``tf.function``, traced once, that runs all epochs and
batches of a fit in the graph (in-graph shuffling with a seed per epoch, the
batch size a tensor), then scores the held-out fold. No ``tf.data``, no
callbacks, no Python between batches or epochs. Both sides run in this one
process after a warm-up (TensorFlow's start-up is charged to neither), in
alternating order; medians of ``--repeats`` are printed with the ratio
nbtune / floor, the figure issue 26 wants brought down.

    python bench/floor.py               # about 2 minutes on 2 cores
    python bench/floor.py --quick       # smoke run
    python bench/floor.py --repeats 5

The floor trains the same amount (the same batches per epoch, the last batch
short) but not the same models: its batch order and initial weights come
from its own seeds, so its scores are close to nbtune's, not equal. Prints
figures only; nothing is asserted.
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

BATCH_SIZES = [8, 16, 32, 64, 128]


def lesson_model():
    """Lesson 01's model, for the digits: one hidden layer of 100 units."""
    import keras

    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(100, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


class Floor:
    """One model and one traced fit-and-score function for every fit of the grid."""

    def __init__(self) -> None:
        import keras
        import tensorflow as tf

        self.tf = tf
        self.model = keras.Sequential([keras.Input((64,)),
                                       keras.layers.Dense(100, activation="relu"),
                                       keras.layers.Dense(10, activation="softmax")])
        self.optimizer = keras.optimizers.Adam()
        self.optimizer.build(self.model.trainable_variables)
        self.loss = keras.losses.SparseCategoricalCrossentropy()
        self.initial = [v.numpy() for v in self.model.variables]
        self.optimizer_start = [v.numpy() for v in self.optimizer.variables]  # the rate too
        self.fit_and_score = tf.function(self._fit_and_score, reduce_retracing=True)

    def reset(self, seed: int) -> None:
        """The model's weights drawn again (Glorot, zero biases), the optimizer as it started."""
        import numpy as np

        rng = np.random.default_rng(seed)
        for variable, start in zip(self.model.variables, self.initial):
            if start.ndim == 2:
                limit = np.sqrt(6.0 / sum(start.shape))
                variable.assign(rng.uniform(-limit, limit, start.shape).astype("float32"))
            else:
                variable.assign(np.zeros_like(start))
        for variable, start in zip(self.optimizer.variables, self.optimizer_start):
            variable.assign(start)

    def _fit_and_score(self, X, y, X_val, y_val, batch_size, epochs, seed):
        tf = self.tf
        rows = tf.shape(X)[0]
        batches = (rows + batch_size - 1) // batch_size
        for epoch in tf.range(epochs):
            order = tf.random.experimental.stateless_shuffle(
                tf.range(rows), seed=tf.stack([seed, epoch]))
            for b in tf.range(batches):
                index = order[b * batch_size:tf.minimum((b + 1) * batch_size, rows)]
                xb, yb = tf.gather(X, index), tf.gather(y, index)
                with tf.GradientTape() as tape:
                    loss = self.loss(yb, self.model(xb, training=True))
                grads = tape.gradient(loss, self.model.trainable_variables)
                self.optimizer.apply(grads, self.model.trainable_variables)
        predicted = tf.argmax(self.model(X_val, training=False), axis=1, output_type=tf.int32)
        return tf.reduce_mean(tf.cast(tf.equal(predicted, y_val), tf.float32))

    def grid(self, X, y, folds, batch_sizes, epochs) -> list[float]:
        """Mean held-out accuracy per batch size, as grid search would score it."""
        tf = self.tf
        scores = []
        for batch_size in batch_sizes:
            per_fold = []
            for k, (train, test) in enumerate(folds):
                self.reset(seed=k)
                per_fold.append(float(self.fit_and_score(
                    tf.constant(X[train]), tf.constant(y[train], tf.int32),
                    tf.constant(X[test]), tf.constant(y[test], tf.int32),
                    tf.constant(batch_size), tf.constant(epochs), tf.constant(k))))
            scores.append(sum(per_fold) / len(per_fold))
        return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="2 batch sizes x 2 folds x 1 epoch")
    args = parser.parse_args()
    import keras
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    import nbtune
    from nbtune import Choice, SearchSpace, data
    from nbtune.training import graph_fit

    batch_sizes, cv, epochs = ([32, 128], 2, 1) if args.quick else (BATCH_SIZES, 3, 5)
    X, y = data.load_digits().train
    y = np.asarray(y)
    folds = list(StratifiedKFold(n_splits=cv).split(X, y))
    space = SearchSpace(Choice("batch_size", batch_sizes))
    floor = Floor()

    def nbtune_grid(one_call: bool) -> list[float]:
        with graph_fit.one_call_fits(one_call):
            result = nbtune.grid_search(lesson_model, space, X, y, cv=cv, epochs=epochs,
                                        progress=False, random_state=0)
        return result.trials.sort_values("batch_size")["score"].tolist()

    sides = {"before": lambda: nbtune_grid(False), "nbtune": lambda: nbtune_grid(True),
             "floor": lambda: floor.grid(X, y, folds, batch_sizes, epochs)}
    print(f"# lesson 01's grid: {len(batch_sizes)} batch sizes x {cv} folds x {epochs} epochs on "
          f"{len(X)} digits; medians of {args.repeats}, after one warm-up run of each")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}, keras {keras.__version__}")
    print("# before: nbtune with Keras's fit (NBTUNE_GRAPH_FIT=0); nbtune: one-call fits")
    for side in sides.values():  # warm-up: TensorFlow's start-up, the floor's one trace
        side()
    times: dict[str, list[float]] = {name: [] for name in sides}
    scores: dict[str, list[float]] = {}
    for repeat in range(args.repeats):
        order = list(sides.items())
        for name, side in order if repeat % 2 == 0 else order[::-1]:
            started = time.perf_counter()
            scores[name] = side()
            times[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(times[name]) for name in sides}
    fits = len(batch_sizes) * cv
    print(f"\n{'side':<8}{'median (s)':>11}{'per fit (s)':>13}   runs (s)   scores by batch size")
    for name, median in medians.items():
        runs = " ".join(f"{t:.2f}" for t in times[name])
        shown = " ".join(f"{s:.3f}" for s in scores[name])
        print(f"{name:<8}{median:11.2f}{median / fits:13.3f}   {runs}   {shown}")
    print(f"\nratio to the floor: before {medians['before'] / medians['floor']:.1f}x, "
          f"nbtune {medians['nbtune'] / medians['floor']:.1f}x; before / nbtune "
          f"{medians['before'] / medians['nbtune']:.1f}x")

if __name__ == "__main__":
    main()
