"""How fast a model trains on this machine: :func:`measure_speed`.

It trains, so it lives with the training wing; :mod:`nbtune.search.cost` turns
its two numbers into a search's seconds, and the space editor shows them live.

Examples
--------
>>> from nbtune.training.speed import measure_speed
>>> measure_speed(print, [[0.0]], [0], epochs=(3, 1))
Traceback (most recent call last):
...
ValueError: measure_speed: epochs=(3, 1) is not allowed; give two whole numbers >= 1, the first smaller, e.g. epochs=(1, 3)
"""

from __future__ import annotations

import numbers
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.utils.multiclass import type_of_target

from nbtune.arguments import check_whole
from nbtune.space.build_fns import check_build_fn
from nbtune.training.estimator import KerasClassifier, KerasRegressor


def measure_speed(
    build_fn: Callable,
    X: Any,
    y: Any,
    *,
    epochs: tuple[int, int] = (1, 5),
    batch_size: int = 32,
) -> tuple[float, float]:
    """Time a short real fit, epoch by epoch, and return ``(fit_overhead, seconds_per_epoch)``.

    An untimed fit of ``epochs[0]`` epochs comes first, so that one-time
    start-up costs (TensorFlow's first graph, ...) do not count as the cost of
    every fit. Then one fit of ``epochs[1]`` epochs is timed with a callback:
    the time per epoch is the median of its epochs after the first (the first
    includes TensorFlow tracing the model), and the fixed cost of a fit is
    what is left of the whole fit (building, tracing, the first epoch's extra).
    Timing each epoch, not two whole fits, keeps a busy machine's noise out of
    the difference: two whole fits of 1 and 5 epochs once gave 0.000 s per epoch.

    The build function is trained with its default parameters through
    :class:`nbtune.KerasClassifier` (:class:`nbtune.KerasRegressor` for a
    continuous ``y``).

    Parameters
    ----------
    build_fn : callable
        ``build(**params)`` or a keras-tuner style ``build(hp)``.
    X, y : array-like
        The training data of the search (a grid search trains on about
        (cv-1)/cv of it, so this slightly overestimates).
    epochs : (int, int), default (1, 5)
        Epochs of the warm-up fit and of the timed fit (at least 2).
    batch_size : int, default 32

    Returns
    -------
    (float, float)
        Seconds of fixed cost per fit and seconds per epoch, both > 0.

    Examples
    --------
    ``overhead, per_epoch = measure_speed(create_model, *cancer.train)``, then
    ``SpaceEditor(space, fit_overhead=overhead, seconds_per_epoch=per_epoch)``.
    """
    check_build_fn(build_fn, argument="build_fn")
    check_whole("batch_size", batch_size, hint=" (the rows per training step), e.g. batch_size=32")
    pair = isinstance(epochs, (tuple, list)) and len(epochs) == 2
    short, long_ = epochs if pair else (None, None)
    whole = all(isinstance(e, numbers.Integral) and not isinstance(e, bool) for e in (short, long_))
    if not (pair and whole and 1 <= short < long_):
        raise ValueError(
            f"measure_speed: epochs={epochs!r} is not allowed; give two whole numbers >= 1, "
            "the first smaller, e.g. epochs=(1, 3)"
        )
    from nbtune.training.callbacks import (
        EpochLog,  # deferred: imports Keras, once, outside the timed fits
    )

    kind = KerasRegressor if type_of_target(np.asarray(y)) == "continuous" else KerasClassifier
    kind(build_fn, epochs=short, batch_size=batch_size, verbose=0, random_state=0).fit(X, y)
    times = EpochLog()
    started = time.perf_counter()
    kind(build_fn, epochs=long_, batch_size=batch_size, verbose=0, random_state=0).fit(
        X, y, callbacks=[times])
    whole = time.perf_counter() - started
    per_epoch = max(float(np.median([row["seconds"] for row in times.rows[1:]])), 1e-4)
    overhead = max(whole - long_ * per_epoch, 1e-3)
    return overhead, per_epoch
