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
    """Time a short real fit as a search trains it; return ``(fit_overhead, seconds_per_epoch)``.

    An untimed fit of ``epochs[0]`` epochs comes first, so that one-time
    start-up costs (TensorFlow's first graph, ...) do not count as the cost of
    every fit. Then a new model is built and trained for ``epochs[1]`` epochs
    (timed whole: building, tracing, training), and trained on for
    ``epochs[1]`` more epochs on the graph it traced (timed from the start of
    its training to the end): that continuation gives the time per epoch, and
    the fixed cost of a fit is what the first timed fit took beyond its epochs.
    Both fits take the path a search's trials take (one graph call per fit,
    :mod:`nbtune.training.graph_fit`, when nothing needs Keras's ``fit``): the
    timer, :class:`nbtune.training.callbacks.FitTimer`, needs nothing between
    epochs. Timing one continued fit, not the difference of two whole fits,
    keeps a busy machine's noise out: two whole fits of 1 and 5 epochs once
    gave 0.000 s per epoch.

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
    from nbtune.training.callbacks import FitTimer  # deferred: imports Keras

    kind = KerasRegressor if type_of_target(np.asarray(y)) == "continuous" else KerasClassifier
    kind(build_fn, epochs=short, batch_size=batch_size, verbose=0, random_state=0).fit(X, y)
    estimator = kind(build_fn, epochs=long_, batch_size=batch_size, verbose=0, random_state=0)
    started = time.perf_counter()
    estimator.fit(X, y, callbacks=[FitTimer()])
    whole = time.perf_counter() - started
    continued = FitTimer()
    estimator.partial_fit(X, y, epochs=long_, callbacks=[continued])
    per_epoch = max((continued.ended - continued.began) / long_, 1e-4)
    overhead = max(whole - long_ * per_epoch, 1e-3)
    return overhead, per_epoch
