"""What a search costs before it runs: grid sizes, fits, epochs and seconds.

:func:`grid_cost` counts a grid search's configurations, fits and epochs (and
seconds, given a measured speed); :func:`measure_speed` measures that speed
with two short real fits. The space editor's live estimate is made of the two.
:func:`comparison_cost` gives every strategy's trials and epochs for a
``compare`` call, from each registry entry's plan (:mod:`nbtune.strategies`;
Hyperband's brackets and successive halving's rounds are in :mod:`nbtune.schedule`).

Examples
--------
>>> from nbtune import SearchSpace, Choice
>>> grid_cost(SearchSpace(Choice("units", [16, 64])), cv=3, epochs=5)["epochs_total"]
30
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target

from nbtune import strategies
from nbtune.estimator import KerasClassifier, KerasRegressor
from nbtune.space import SearchSpace

__all__ = ["comparison_cost", "grid_cost", "measure_speed"]


def grid_cost(
    space: SearchSpace,
    *,
    points: int | dict | None = None,
    cv: int = 3,
    epochs: int = 10,
    seconds_per_epoch: float | None = None,
    fit_overhead: float | None = None,
) -> dict[str, Any]:
    """What a grid search over ``space`` costs: configurations, fits, epochs, time.

    Parameters
    ----------
    space : SearchSpace
    points : int or dict, optional
        Grid points of Floats without a step (as in ``space.grid``).
    cv : int, default 3
        Folds: each configuration is trained ``cv`` times.
    epochs : int, default 10
        Epochs per fit, unless the space has an ``epochs`` dimension (then
        each configuration trains for its own number of epochs).
    seconds_per_epoch, fit_overhead : float, optional
        Speed of one fit (see :func:`measure_speed`); without both, no time.

    Returns
    -------
    dict
        ``configs``, ``sizes`` (grid values per dimension), ``fits``
        (configs x cv), ``epochs_total`` and ``seconds`` (None when unknown):
        ``configs * fit_overhead + epochs_total * seconds_per_epoch``. The
        fixed cost is paid once per configuration: a search builds and traces
        a configuration's model once and its other folds reuse it
        (:mod:`nbtune.engine`).

    Examples
    --------
    >>> from nbtune import SearchSpace, Int, Choice
    >>> cost = grid_cost(SearchSpace(Int("units", 32, 128, step=32), Choice("lr", [1e-2, 1e-3])),
    ...                  cv=3, epochs=10, seconds_per_epoch=0.1, fit_overhead=1.0)
    >>> cost["configs"], cost["fits"], cost["epochs_total"], cost["seconds"]
    (8, 24, 240, 32.0)
    """
    grid = space.grid(points=points)
    sizes = {name: len(values) for name, values in grid.items()}
    configs = math.prod(sizes.values())
    fits = configs * cv
    epoch_values = grid.get("epochs")
    if epoch_values and all(isinstance(e, (int, float)) and not isinstance(e, bool)
                            for e in epoch_values):
        # every epochs value appears in configs / len(epoch_values) configurations
        per_config = sum(epoch_values) / len(epoch_values)
        epochs_total = int(round(configs * per_config * cv))
    else:
        epochs_total = fits * epochs
    seconds = None
    if seconds_per_epoch is not None and fit_overhead is not None:
        seconds = configs * fit_overhead + epochs_total * seconds_per_epoch
    return {
        "configs": configs, "sizes": sizes, "fits": fits,
        "epochs_total": epochs_total, "seconds": seconds,
    }


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
    short, long_ = epochs
    if not (isinstance(short, int) and isinstance(long_, int) and 1 <= short < long_):
        raise ValueError(
            f"measure_speed: epochs={epochs!r}; give two whole numbers, the first "
            "smaller, e.g. epochs=(1, 3)"
        )
    from nbtune.callbacks import EpochLog  # deferred: imports Keras, once, outside the timed fits

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


def comparison_cost(space: SearchSpace, settings: dict[str, Any]) -> pd.DataFrame:
    """Trials and epochs each strategy of a ``compare`` call will spend, before it runs.

    Parameters
    ----------
    space : SearchSpace
    settings : dict
        ``nbtune.compare`` keyword arguments (``strategies`` and the budget);
        missing budget values take :data:`nbtune.strategies.BUDGET_DEFAULTS`.

    Returns
    -------
    DataFrame
        One row per strategy: ``trials`` and ``epochs`` (epochs trained in all).

    Examples
    --------
    >>> from nbtune import SearchSpace, Choice
    >>> space = SearchSpace(Choice("units", [16, 64]))
    >>> comparison_cost(space, {"strategies": ["grid", "successive_halving"], "epochs": 9})
                        trials  epochs
    strategy
    grid                     2      18
    successive_halving       5      12
    """
    rows = {}
    for name in settings.get("strategies", ("grid", "random", "hyperband")):
        trials, spent = strategies.get(name).plan(space, settings)
        rows[name] = {"trials": int(trials), "epochs": int(spent)}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "strategy"
    return table
