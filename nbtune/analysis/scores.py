"""What the analyses score: a tabulated benchmark's seed means, or a search's trials.

Every analysis of this wing reads one table of numbers: one row per
configuration (or trial), one column per hyperparameter and a ``score``
column. :func:`scores_of` makes it from

- a tabulated benchmark (:func:`nbtune.benchmarks.load`): each configuration's
  validation accuracy at ``epochs``, averaged over the table's seeds (the
  *true* score of the configuration, free of one seed's luck), and its test
  accuracy after the table's last epoch, averaged the same way;
- a :class:`~nbtune.SearchResult`: its successful trials (failed ones have no score);
- a DataFrame with a ``score`` column and one column per hyperparameter.

This wing sits below the benchmarks wing: a benchmark is recognised by what
it holds (``space``, ``configs``, ``curves``), not imported.

Examples
--------
>>> import pandas as pd
>>> table, names = scores_of(pd.DataFrame({"units": [16, 64], "score": [0.9, 0.95]}))
>>> names, table["score"].tolist()
(['units'], [0.9, 0.95])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from nbtune.search.results import OPTIONAL_COLUMNS, TRIAL_COLUMNS, SearchResult

#: What a trials table holds besides its hyperparameters.
NOT_PARAMS = {*TRIAL_COLUMNS, *OPTIONAL_COLUMNS, "config", "test_accuracy", "true_score"}


def is_benchmark(data: Any) -> bool:
    """True for a tabulated benchmark (:class:`nbtune.benchmarks.Benchmark` or alike)."""
    return all(hasattr(data, name) for name in ("space", "configs", "curves", "fits", "max_epochs"))


def scores_of(data: Any, *, epochs: int | None = None,
              params: Sequence[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The table of (hyperparameters, score) an analysis reads, and the hyperparameters' names.

    Parameters
    ----------
    data : Benchmark, SearchResult or DataFrame
        A benchmark gives one row per configuration (``config``, the
        hyperparameters, ``score``: the mean validation accuracy over its seeds
        at ``epochs``, ``test_accuracy``: the mean test accuracy of its fits,
        each trained to the table's last epoch).
        A search result gives its successful trials; a DataFrame must have a
        ``score`` column.
    epochs : int, optional
        For a benchmark: the epoch whose scores to read (default its last).
    params : sequence of str, optional
        The hyperparameters to keep (default: the space's names, the result's
        ``param_names``, or every DataFrame column that is not a trial column).

    Returns
    -------
    (DataFrame, list of str)
        Rows without a finite score are dropped.
    """
    if is_benchmark(data):
        table, names = _benchmark_scores(data, epochs)
    else:
        if epochs is not None:
            raise ValueError(f"epochs={epochs!r} is for a tabulated benchmark; a search's trials "
                             "already have their scores: leave epochs out")
        if isinstance(data, SearchResult):
            table, names = data.ok_trials.copy(), list(data.param_names)
        elif isinstance(data, pd.DataFrame):
            if "score" not in data.columns:
                raise ValueError(f"the DataFrame has no 'score' column (its columns are "
                                 f"{list(data.columns)}); name the score column 'score'")
            table = data.copy()
            names = [c for c in data.columns if c not in NOT_PARAMS]
        else:
            raise TypeError(f"{type(data).__name__} is not a benchmark, a SearchResult or a "
                            "DataFrame; pass e.g. nbtune.benchmarks.load('digits-mlp') or the "
                            "result of a search")
    if params is not None:
        params = [params] if isinstance(params, str) else list(params)
        missing = [p for p in params if p not in table.columns]
        if missing:
            raise ValueError(f"params={params!r}: {missing} not in the table; its hyperparameters "
                             f"are {names}")
        names = params
    table["score"] = pd.to_numeric(table["score"], errors="coerce")
    table = table[np.isfinite(table["score"].to_numpy(dtype=float))].reset_index(drop=True)
    if table.empty:
        raise ValueError("no trial has a score: nothing to analyse (did every trial fail?)")
    return table, names


def _benchmark_scores(bench: Any, epochs: int | None) -> tuple[pd.DataFrame, list[str]]:
    epochs = bench.max_epochs if epochs is None else epochs
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or not (
            1 <= epochs <= bench.max_epochs):
        raise ValueError(f"epochs={epochs!r} is not allowed: the {bench.name} table has epochs 1 to "
                         f"{bench.max_epochs}; give a whole number in that range")
    at = bench.curves[bench.curves["epoch"] == int(epochs)]
    score = at.groupby("config")["val_accuracy"].mean().rename("score")
    test = bench.fits.groupby("config")["test_accuracy"].mean()
    table = bench.configs.join(score, on="config").join(test, on="config")
    return table.reset_index(drop=True), list(bench.space.names)


# ------------------------------------------------------------------ reading values
def numbers_of(values: pd.Series) -> np.ndarray | None:
    """A hyperparameter's values as floats, or None when they are labels (strings, booleans).

    Examples
    --------
    >>> numbers_of(pd.Series([16, 64])).tolist(), numbers_of(pd.Series(["relu", "tanh"]))
    ([16.0, 64.0], None)
    """
    if pd.api.types.is_bool_dtype(values) or any(isinstance(v, (bool, np.bool_, str)) for v in values):
        return None
    numbers = pd.to_numeric(values, errors="coerce")
    return None if numbers.isna().any() else numbers.to_numpy(dtype=float)


def is_log_scaled(values: pd.Series) -> bool:
    """True for positive numbers spanning a decade or more (a search samples them log-uniformly).

    Examples
    --------
    >>> is_log_scaled(pd.Series([1e-4, 1e-3, 1e-2])), is_log_scaled(pd.Series([0.0, 0.2, 0.4]))
    (True, False)
    """
    numbers = numbers_of(values)
    return bool(numbers is not None and numbers.min() > 0 and numbers.max() / numbers.min() >= 10)


def category_codes(values: pd.Series) -> tuple[list[Any], np.ndarray]:
    """Labels in sorted order, and each value's position among them (0, 1, ...) as floats.

    Examples
    --------
    >>> categories, codes = category_codes(pd.Series(["tanh", "relu", "tanh"]))
    >>> categories, codes.tolist()
    (['relu', 'tanh'], [1.0, 0.0, 1.0])
    """
    categories = sorted(set(values), key=str)
    code = {c: i for i, c in enumerate(categories)}
    return categories, np.array([code[v] for v in values], dtype=float)


def encode(values: pd.Series) -> np.ndarray:
    """A hyperparameter's values as floats: log10 when :func:`is_log_scaled`, category codes
    (in sorted order) for strings and booleans, else the numbers themselves.

    Examples
    --------
    >>> encode(pd.Series([1e-3, 1e-1])).tolist(), encode(pd.Series(["tanh", "relu"])).tolist()
    ([-3.0, -1.0], [1.0, 0.0])
    """
    numbers = numbers_of(values)
    if numbers is None:
        return category_codes(values)[1]
    return np.log10(numbers) if is_log_scaled(values) else numbers
