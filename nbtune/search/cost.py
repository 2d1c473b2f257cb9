"""What a search costs before it runs: grid sizes, fits, epochs and seconds.

:func:`grid_cost` counts a grid search's configurations, fits and epochs (and
seconds, given a speed that :func:`nbtune.measure_speed` measured with two short
real fits). The space editor's live estimate is made of the two.
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
from typing import Any

import pandas as pd

from nbtune.search import strategies
from nbtune.space import SearchSpace


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
        (:mod:`nbtune.training.engine`).

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
    rows = {}
    for name in settings.get("strategies", ("grid", "random", "hyperband")):
        trials, spent = strategies.get(name).plan(space, settings)
        rows[name] = {"trials": int(trials), "epochs": int(spent)}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "strategy"
    return table
