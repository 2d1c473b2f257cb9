"""A learning-rate range test: one short run whose learning rate grows at every batch.

The test of Smith (2017) and of handson-ml3 (chapter 11's
``ExponentialLearningRate`` callback and ``find_learning_rate``): train a fresh
model for a few hundred batches while the learning rate grows exponentially
from tiny to huge, and record each batch's loss. The loss first barely moves
(the steps are too small), then falls fast, then turns and shoots up (the
steps overshoot). One run, a few seconds, and no validation data.

:func:`lr_range_test` returns the (learning rate, loss) table and a suggested
rate by a documented rule: **the learning rate where the smoothed loss is
lowest, divided by 10** (the turning point is already too large; handson-ml3's
chapter 10 puts a good rate "about 10 times lower than the turning point",
fast.ai's ``lr_find`` picks the same). The smoothing is the exponential moving
average with bias correction that fast.ai uses (``smoothing=0.9``, about the
last ten batches).

Examples
--------
>>> suggest_rate(pd.DataFrame({"learning_rate": [1e-3, 1e-2, 1e-1],
...                            "smoothed_loss": [2.0, 0.5, 3.0]}))
0.001
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from nbtune.arguments import check_whole
from nbtune.backend import import_keras

#: How far below the turning point the suggested rate is.
BELOW_THE_MINIMUM = 10.0


def lr_range_test(build_fn: Callable[..., Any], X: np.ndarray, y: np.ndarray, *,
                  start: float = 1e-5, stop: float = 1.0, steps: int = 200, batch_size: int = 32,
                  smoothing: float = 0.9, diverge: float = 4.0, seed: int = 0,
                  **params: Any) -> pd.DataFrame:
    """Train a fresh model with an exponentially growing learning rate; its loss at every batch.

    Parameters
    ----------
    build_fn : callable
        Returns a compiled Keras model; called with ``params`` (e.g.
        ``units=64``). Its optimizer's learning rate is overwritten at each batch.
    X, y : arrays
        Training data; the batches run through it in a random order, again
        (reshuffled) when ``steps`` needs more than one pass.
    start, stop : float, default 1e-5 and 1.0
        The first and the last learning rate; rate ``i`` is
        ``start * (stop / start) ** (i / (steps - 1))``.
    steps : int, default 200
        Batches to train (digits' 1077 training images are 34 batches of 32).
    batch_size : int, default 32
    smoothing : float, default 0.9
        The weight of the past in the loss's moving average (0 <= smoothing < 1).
    diverge : float, default 4.0
        Stop once the smoothed loss exceeds this many times its minimum (it
        diverged: larger rates teach nothing more). ``float("inf")`` never stops.
    seed : int, default 0
        Seeds Keras (the model's initial weights) and the order of the batches.
    **params
        Passed to ``build_fn``.

    Returns
    -------
    DataFrame
        One row per batch: ``step``, ``learning_rate``, ``loss`` (that batch's
        training loss, before its update) and ``smoothed_loss``. ``attrs``:
        ``suggested`` (:func:`suggest_rate`), ``at_minimum`` (the rate of the
        lowest smoothed loss), ``rule`` and ``seconds``.

    Examples
    --------
    >>> from nbtune import data, lessons
    >>> digits = data.load_digits()
    >>> rates = lr_range_test(lessons.build_digits_model, *digits.train, steps=60, units=16)
    >>> float(rates["learning_rate"].iloc[0]), bool(rates.attrs["suggested"] < rates.attrs["at_minimum"])
    (1e-05, True)
    """
    for name, value in (("start", start), ("stop", stop)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < np.inf:
            raise ValueError(f"{name}={value!r} is not allowed: give a learning rate > 0, "
                             "e.g. start=1e-5, stop=1.0")
    if not start < stop:
        raise ValueError(f"start={start!r}, stop={stop!r}: the rate grows, so start < stop; "
                         "e.g. start=1e-5, stop=1.0")
    steps = check_whole("steps", steps)
    batch_size = check_whole("batch_size", batch_size)
    if steps < 2:
        raise ValueError(f"steps={steps!r} is not allowed: give at least 2 batches, e.g. steps=200")
    if not 0 <= smoothing < 1:
        raise ValueError(f"smoothing={smoothing!r} is not allowed: give a weight in [0, 1), "
                         "e.g. smoothing=0.9")
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y) or len(X) < batch_size:
        raise ValueError(f"X has {len(X)} rows and y {len(y)}: give as many labels as rows, and "
                         f"at least batch_size={batch_size} of them")
    keras = import_keras()
    started = time.perf_counter()
    keras.utils.set_random_seed(seed)
    model = build_fn(**params)
    rng = np.random.default_rng(seed)
    rates = start * (stop / start) ** (np.arange(steps) / (steps - 1))
    order = np.empty(0, dtype=int)
    rows, average, lowest = [], 0.0, np.inf
    for step, rate in enumerate(rates):
        if len(order) < batch_size:
            order = np.concatenate([order, rng.permutation(len(X))])
        batch, order = order[:batch_size], order[batch_size:]
        model.optimizer.learning_rate.assign(float(rate))
        model.reset_metrics()  # train_on_batch then reports this batch's loss, not a running mean
        loss = float(model.train_on_batch(X[batch], y[batch], return_dict=True)["loss"])
        average = smoothing * average + (1 - smoothing) * loss
        smoothed = average / (1 - smoothing ** (step + 1))
        rows.append({"step": step, "learning_rate": float(rate), "loss": loss,
                     "smoothed_loss": smoothed})
        lowest = min(lowest, smoothed)
        if not np.isfinite(loss) or smoothed > diverge * lowest:
            break
    table = pd.DataFrame(rows)
    table.attrs = {"suggested": suggest_rate(table),
                   "at_minimum": float(table.loc[table["smoothed_loss"].idxmin(), "learning_rate"]),
                   "rule": f"the rate of the lowest smoothed loss / {BELOW_THE_MINIMUM:g}",
                   "seconds": time.perf_counter() - started}
    return table


def suggest_rate(table: pd.DataFrame) -> float:
    """The learning rate of the lowest ``smoothed_loss``, divided by :data:`BELOW_THE_MINIMUM`."""
    for column in ("learning_rate", "smoothed_loss"):
        if column not in table.columns:
            raise ValueError(f"the table has no {column!r} column: give what lr_range_test returns")
    finite = table[np.isfinite(table["smoothed_loss"])]
    if finite.empty:
        raise ValueError("no finite loss in the table: the test diverged at once; lower start=")
    return float(finite.loc[finite["smoothed_loss"].idxmin(), "learning_rate"] / BELOW_THE_MINIMUM)
