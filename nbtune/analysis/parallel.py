"""Parallel coordinates: every trial as a line across one vertical axis per hyperparameter.

The view Weights & Biases, Optuna and TensorBoard's HParams dashboard open
with. Each axis runs from its smallest value (0) to its largest (1): on a log
scale (log10) for numbers spanning a decade or more, evenly spaced categories
for strings and booleans (in sorted order), the numbers themselves otherwise.
The last axis is the score. A line's colour is its score.

:func:`parallel_coordinates` is the data (where each line crosses each axis);
:func:`nbtune.plots.plot_parallel_coordinates` draws it.

Examples
--------
>>> import pandas as pd
>>> trials = pd.DataFrame({"learning_rate": [1e-4, 1e-3, 1e-2], "activation": ["relu", "tanh", "relu"],
...                        "score": [0.5, 0.9, 0.7]})
>>> lines = parallel_coordinates(trials)
>>> lines.pivot(index="line", columns="axis", values="position").round(2)[
...     ["learning_rate", "activation", "score"]].to_numpy().tolist()
[[0.0, 0.0, 0.0], [0.5, 1.0, 1.0], [1.0, 0.0, 0.5]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from nbtune.analysis.scores import category_codes, is_log_scaled, numbers_of, scores_of


def parallel_coordinates(data: Any, *, params: Sequence[str] | None = None,
                         epochs: int | None = None) -> pd.DataFrame:
    """Where each trial's line crosses each axis (0 = the axis's bottom, 1 = its top).

    Parameters
    ----------
    data : Benchmark, SearchResult or DataFrame
        The trials (:func:`nbtune.analysis.scores.scores_of`).
    params : sequence of str, optional
        The axes, left to right (default every hyperparameter); ``score`` is last.
    epochs : int, optional
        For a benchmark: the epoch whose scores to read.

    Returns
    -------
    DataFrame
        One row per line and axis: ``line`` (the trial's row), ``axis``,
        ``value`` (as the trial has it), ``position`` and the line's ``score``.
        ``attrs["axes"]`` describes each axis, in order: ``name``, ``kind``
        ("log", "linear" or "category"), ``low`` and ``high`` (the values at 0
        and 1) and, for 8 distinct numbers or fewer, ``values``; or ``categories``.
    """
    table, names = scores_of(data, epochs=epochs, params=params)
    axes, columns = [], {}
    for name in [*names, "score"]:
        axis, positions = _axis(name, table[name])
        axes.append(axis)
        columns[name] = positions
    lines = pd.DataFrame([{"line": line, "axis": name, "value": table[name].iloc[line],
                           "position": float(columns[name][line]),
                           "score": float(table["score"].iloc[line])}
                          for line in range(len(table)) for name in columns])
    lines.attrs = {"axes": axes}
    return lines


def _axis(name: str, values: pd.Series) -> tuple[dict[str, Any], np.ndarray]:
    numbers = numbers_of(values)
    if numbers is None:
        categories, codes = category_codes(values)
        return ({"name": name, "kind": "category", "categories": categories},
                codes / max(len(categories) - 1, 1) if len(categories) > 1 else codes + 0.5)
    kind = "log" if is_log_scaled(values) else "linear"
    where = np.log10(numbers) if kind == "log" else numbers
    low, high = float(where.min()), float(where.max())
    positions = (where - low) / (high - low) if high > low else np.full(len(where), 0.5)
    distinct = np.unique(numbers)
    axis = {"name": name, "kind": kind, "low": float(numbers.min()), "high": float(numbers.max())}
    if len(distinct) <= 8:  # a grid's values: the axis names each of them
        axis["values"] = distinct.tolist()
    return axis, positions
