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

from nbtune.arguments import check_real, check_table, check_whole
from nbtune.backend import import_keras
from nbtune.training.routing import build_args

#: How far below the turning point the suggested rate is.
BELOW_THE_MINIMUM = 10.0
#: The most batches a range test trains (a few hundred are enough; more would run for hours).
MAX_STEPS = 10_000


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
        Batches to train (digits' 1077 training images are 34 batches of 32), 2 to
        :data:`MAX_STEPS`.
    batch_size : int, default 32
    smoothing : float, default 0.9
        The weight of the past in the loss's moving average (0 <= smoothing < 1).
    diverge : float, default 4.0
        Stop once the smoothed loss exceeds this many times its minimum (it
        diverged: larger rates teach nothing more); more than 1.
        ``float("inf")`` never stops.
    seed : int, default 0
        Seeds Keras (the model's initial weights) and the order of the batches.
    **params
        Passed to ``build_fn``; each must be one of its arguments.

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
    steps, batch_size, seed = _check_settings(start, stop, steps, batch_size, smoothing, diverge, seed)
    X, y = _check_data(X, y, batch_size)
    _check_build(build_fn, params)
    keras = import_keras()
    started = time.perf_counter()
    keras.utils.set_random_seed(seed)
    model = build_fn(**params)
    if getattr(model, "optimizer", None) is None:
        raise TypeError(f"build_fn returned {type(model).__name__}, not a compiled Keras model: "
                        "make it end with model.compile(optimizer=..., loss=...) and return model")
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
    check_table("table", table, ("learning_rate", "smoothed_loss"), made_by="lr_range_test")
    finite = table[np.isfinite(table["smoothed_loss"])]
    if finite.empty:
        raise ValueError("no finite loss in the table: the test diverged at once; lower start=")
    return float(finite.loc[finite["smoothed_loss"].idxmin(), "learning_rate"] / BELOW_THE_MINIMUM)


def _check_settings(start: Any, stop: Any, steps: Any, batch_size: Any, smoothing: Any,
                    diverge: Any, seed: Any) -> tuple[int, int, int]:
    """The range test's numbers, checked before anything is built: (steps, batch_size, seed)."""
    for name, value in (("start", start), ("stop", stop)):
        check_real(name, value, above=0, hint=" (a learning rate), e.g. start=1e-5, stop=1.0")
    if not start < stop:
        raise ValueError(f"start={start!r}, stop={stop!r}: the rate grows, so start < stop; "
                         "e.g. start=1e-5, stop=1.0")
    steps = check_whole("steps", steps, minimum=2, maximum=MAX_STEPS, what="a number of batches",
                        hint=", e.g. steps=200")
    batch_size = check_whole("batch_size", batch_size, hint=", e.g. batch_size=32")
    check_real("smoothing", smoothing, at_least=0, below=1, hint=", e.g. smoothing=0.9")
    check_real("diverge", diverge, above=1, finite=False,
               hint=" (times the lowest loss), e.g. diverge=4.0, or float('inf') to never stop")
    seed = check_whole("seed", seed, minimum=0, maximum=2**32 - 1, hint=", e.g. seed=0")
    return steps, batch_size, seed


def _check_data(X: Any, y: Any, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
    """``X`` and ``y`` as arrays: one row per example, as many labels, finite numbers."""
    example = "e.g. lr_range_test(build_fn, *digits.train) or lr_range_test(build_fn, X_train, y_train)"
    try:
        X, y = np.asarray(X), np.asarray(y)
    except ValueError as exc:  # ragged lists
        raise ValueError(f"X and y must be arrays of numbers ({exc}): give them as arrays, "
                         f"{example}") from exc
    for name, array, least in (("X", X, 2), ("y", y, 1)):
        wanted = ("the inputs, one row of numbers per example, " if name == "X" else
                  "one label per row of X, ") + example
        if array.ndim == 0 or not np.issubdtype(array.dtype, np.number):
            what = type(array.item() if array.ndim == 0 else array).__name__
            raise TypeError(f"{name} is a {what} of dtype {array.dtype}, not numbers: give {wanted}")
        if array.ndim < least:
            raise ValueError(f"{name} has the shape {array.shape}: give {wanted}")
    if len(X) != len(y) or len(X) < batch_size:
        raise ValueError(f"X has {len(X)} rows and y {len(y)}: give as many labels as rows, and "
                         f"at least batch_size={batch_size} of them")
    for name, array in (("X", X), ("y", y)):
        if not np.isfinite(array).all():
            raise ValueError(f"{name} has {int((~np.isfinite(array)).sum())} NaN or infinite "
                             "value(s): the loss would be NaN at once; remove or fill them first")
    return X, y


def _check_build(build_fn: Any, params: dict[str, Any]) -> None:
    """``build_fn`` is a function that takes every one of ``params`` (checked before it is called)."""
    if not callable(build_fn):
        raise TypeError(f"build_fn={build_fn!r} is not a function: give the function that builds "
                        "and compiles your Keras model, e.g. lessons.build_digits_model")
    try:
        accepted, takes_any = build_args(build_fn)
    except (TypeError, ValueError):  # no signature to read (a builtin): its call will tell
        return
    unknown = [name for name in params if name not in accepted]
    if unknown and not takes_any:
        raise ValueError(f"{unknown[0]}={params[unknown[0]]!r} is not an argument of "
                         f"{getattr(build_fn, '__name__', 'build_fn')}, which takes {accepted}: "
                         "give only those (or add it as an argument of the build function)")
