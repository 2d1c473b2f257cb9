"""What a search costs before it runs: grid sizes, fits, epochs and seconds.

:func:`grid_cost` counts a grid search's configurations, fits and epochs (and
seconds, given a speed that :func:`nbtune.measure_speed` measured with two short
real fits). The space editor's live estimate is made of the two. Every count is
arithmetic (the dimensions' sizes multiplied, an ``epochs`` dimension's mean
taken from its bounds), so a space of 10**9 configurations costs nothing to count.
:func:`least_seconds` is the time a plan takes at the fastest nbtune trains, for
the messages that refuse a plan too large to run.
:func:`comparison_cost` gives every strategy's trials and epochs for a
``compare`` call, from each registry entry's plan (:mod:`nbtune.search.strategies`;
Hyperband's brackets and successive halving's rounds are in :mod:`nbtune.search.schedule`).

Examples
--------
>>> from nbtune import SearchSpace, Choice
>>> grid_cost(SearchSpace(Choice("units", [16, 64])), cv=3, epochs=5)["epochs_total"]
30
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from nbtune.arguments import check_whole
from nbtune.search import strategies
from nbtune.space import Dimension, Int, SearchSpace

#: The fastest nbtune trains: the fixed cost of one fit and the time of one epoch of a
#: tiny model (4 units) on a few hundred rows, on a laptop. A 10**6-configuration grid
#: (3 folds, 10 epochs) is then about 83 hours, as its progress bar showed once it ran.
#: Real models are slower: these make :func:`least_seconds` a lower bound.
FASTEST_FIT_SECONDS = 0.05
FASTEST_EPOCH_SECONDS = 0.005


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

    Raises
    ------
    TypeError, ValueError
        For a space that is not a SearchSpace, ``cv`` or ``epochs`` that are not
        whole numbers (``cv >= 2``), or a speed that is not a number >= 0.

    Returns
    -------
    dict
        ``configs``, ``sizes`` (grid values per dimension), ``fits``
        (configs x cv), ``epochs_total`` and ``seconds`` (None when unknown):
        ``configs * fit_overhead + epochs_total * seconds_per_epoch``. The
        fixed cost is paid once per configuration: a search builds and traces
        a configuration's model once and its other folds reuse it
        (:mod:`nbtune.training.engine`).

    Examples
    --------
    >>> from nbtune import SearchSpace, Int, Choice
    >>> cost = grid_cost(SearchSpace(Int("units", 32, 128, step=32), Choice("lr", [1e-2, 1e-3])),
    ...                  cv=3, epochs=10, seconds_per_epoch=0.1, fit_overhead=1.0)
    >>> cost["configs"], cost["fits"], cost["epochs_total"], cost["seconds"]
    (8, 24, 240, 32.0)
    """
    if not isinstance(space, SearchSpace):
        raise TypeError(
            f"grid_cost: space must be an nbtune.SearchSpace, got {type(space).__name__}; "
            "make one with SearchSpace(Int(...), Choice(...), ...)"
        )
    cv = check_whole("cv", cv, minimum=2, what="the number of folds, a whole number",
                     hint=" (as grid_search's cv), e.g. cv=3")
    epochs = check_whole("epochs", epochs, what="the epochs of each fit, a whole number")
    seconds_per_epoch = check_seconds("seconds_per_epoch", seconds_per_epoch)
    fit_overhead = check_seconds("fit_overhead", fit_overhead)
    sizes = space.grid_sizes(points=points)
    configs = math.prod(sizes.values())
    fits = configs * cv
    epoch_sum = _epochs_sum(space["epochs"], points) if "epochs" in space else None
    if epoch_sum is not None:
        # every epochs value appears in configs / sizes["epochs"] configurations
        epochs_total = int(round(configs // sizes["epochs"] * epoch_sum * cv))
    else:
        epochs_total = fits * epochs
    seconds = None
    if seconds_per_epoch is not None and fit_overhead is not None:
        seconds = configs * fit_overhead + epochs_total * seconds_per_epoch
    return {
        "configs": configs, "sizes": sizes, "fits": fits,
        "epochs_total": epochs_total, "seconds": seconds,
    }


def check_seconds(argument: str, value: Any) -> float | None:
    """None, or a finite number of seconds >= 0 (a measured speed), as a float.

    Examples
    --------
    >>> check_seconds("fit_overhead", 1)
    1.0
    >>> check_seconds("fit_overhead", float("inf"))
    Traceback (most recent call last):
    ...
    ValueError: fit_overhead=inf is not allowed: give seconds as a finite number >= 0, as measure_speed(build_fn, X, y) returns them, or leave it out (None)
    """
    if value is None:
        return None
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value < 0):
        raise ValueError(
            f"{argument}={value!r} is not allowed: give seconds as a finite number >= 0, "
            "as measure_speed(build_fn, X, y) returns them, or leave it out (None)"
        )
    return float(value)


def _epochs_sum(dim: Dimension, points: int | Mapping[str, int] | None) -> float | None:
    """The sum of an ``epochs`` dimension's grid values, or None when they are not numbers.

    An Int's values are an arithmetic series (summed from its bounds: it may hold 10**9
    of them); other dimensions list at most :data:`~nbtune.space.dimensions.MAX_GRID_VALUES`.
    """
    if isinstance(dim, Int) and not (dim.log and dim.step > 1):
        count = dim.grid_size()
        return count * (2 * dim.low + (count - 1) * dim.step) // 2  # exact: a whole number
    values = dim.grid(points.get(dim.name) if isinstance(points, Mapping) else points)
    if all(isinstance(e, (int, float)) and not isinstance(e, bool) for e in values):
        return sum(values)
    return None


def least_seconds(fits: int, epochs: int) -> float:
    """The fewest seconds ``fits`` fits of ``epochs`` epochs in all take: at the fastest
    nbtune trains (:data:`FASTEST_FIT_SECONDS`, :data:`FASTEST_EPOCH_SECONDS`).

    Examples
    --------
    >>> least_seconds(3 * 10**6, 3 * 10**7) / 3600
    83.33...
    """
    return fits * FASTEST_FIT_SECONDS + epochs * FASTEST_EPOCH_SECONDS


def comparison_cost(space: SearchSpace, settings: dict[str, Any]) -> pd.DataFrame:
    """Trials and epochs each strategy of a ``compare`` call will spend, before it runs.

    Parameters
    ----------
    space : SearchSpace
    settings : dict
        ``nbtune.compare`` keyword arguments (``strategies`` and the budget);
        missing budget values take :func:`nbtune.search.strategies.budget_defaults`.

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
    if not isinstance(space, SearchSpace):
        raise TypeError(
            f"comparison_cost: space must be an nbtune.SearchSpace, got {type(space).__name__}; "
            "make one with SearchSpace(Int(...), Choice(...), ...)"
        )
    if not isinstance(settings, Mapping):
        raise TypeError(
            f"comparison_cost: settings must be a dict of compare's keyword arguments, got "
            f"{type(settings).__name__}; pass e.g. {{'strategies': ['grid', 'random'], 'epochs': 5}}"
        )
    rows = {}
    for name in strategies.check_names(settings.get("strategies", ("grid", "random", "hyperband"))):
        trials, spent = strategies.get(name).plan(space, settings)
        rows[name] = {"trials": int(trials), "epochs": int(spent)}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "strategy"
    return table
