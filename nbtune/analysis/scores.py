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

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from nbtune.arguments import kind_of
from nbtune.formatting import to_python
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
        Rows without a finite score (failed trials) are dropped.

    Raises
    ------
    TypeError, ValueError
        For anything else as ``data`` (a table's name, a list of results), unknown
        or repeated ``params``, no scored trial, or a hyperparameter without a
        finite value in some scored trial (a hyperparameter only some trials use:
        leave it out of ``params``).
    """
    if is_benchmark(data):
        table, names = _benchmark_scores(data, epochs)
    else:
        if epochs is not None:
            raise ValueError(f"epochs={epochs!r} is for a tabulated benchmark; a search's trials "
                             f"already have their scores: remove epochs={epochs!r}")
        table, names = _trials_scores(data)
    names = _chosen(params, names, table)
    table["score"] = pd.to_numeric(table["score"], errors="coerce")
    finished = np.isfinite(table["score"].to_numpy(dtype=float))
    if "status" in table.columns:
        finished &= (table["status"] == "ok").to_numpy()
    scored = table[finished].reset_index(drop=True)
    if scored.empty:
        raise ValueError(f"data has no trial with a finite score ({len(table)} trials, all failed "
                         "or without a score): nothing to analyse; pass trials that finished "
                         "(a failed trial's error column says why it failed)")
    _check_values(scored, names)
    return scored, names


def _trials_scores(data: Any) -> tuple[pd.DataFrame, list[str]]:
    """A SearchResult's or a DataFrame's trials, and their hyperparameters."""
    if isinstance(data, SearchResult):
        if data.trials.empty:
            raise ValueError("data has no trials: nothing to analyse; run a search first, or pass "
                             "a tabulated benchmark, e.g. nbtune.benchmarks.load('digits-mlp')")
        return data.trials.copy(), list(data.param_names)
    if isinstance(data, pd.DataFrame):
        if "score" not in data.columns:
            raise ValueError(f"data has no 'score' column (its columns are {list(data.columns)}); "
                             "name the score column 'score'")
        numbers = pd.to_numeric(data["score"], errors="coerce")
        text = data["score"][numbers.isna() & data["score"].notna()]
        if not text.empty:
            raise ValueError(f"data's 'score' column holds values that are not numbers (e.g. "
                             f"{text.iloc[0]!r}): give the scores as numbers")
        names = [c for c in data.columns if c not in NOT_PARAMS]
        if not names:
            raise ValueError("data has a 'score' column but no hyperparameter column: add one "
                             "column per hyperparameter, e.g. 'units' and 'learning_rate'")
        return data.copy(), names
    raise TypeError(_not_scores(data))


def _not_scores(data: Any) -> str:
    """Why ``data`` is not something to analyse, and what to pass instead."""
    if isinstance(data, str):
        return (f"data={data!r} is a name, not a table: load it first, e.g. "
                f"data=nbtune.benchmarks.load({data!r})")
    if isinstance(data, (list, tuple)):
        return (f"data is {kind_of(data)} of {len(data)}: give one result, or combine "
                "them first with nbtune.SearchResult.combine([...])")
    return (f"data is {kind_of(data)}: give a tabulated benchmark (e.g. "
            "nbtune.benchmarks.load('digits-mlp')), a SearchResult or a DataFrame with a "
            "'score' column")


def _chosen(params: Any, names: list[str], table: pd.DataFrame) -> list[str]:
    """The hyperparameters ``params`` names (all of ``names`` when None), checked."""
    if params is None:
        return names
    params = [params] if isinstance(params, str) else params
    if not isinstance(params, Sequence) or not all(isinstance(p, str) for p in params):
        raise TypeError(f"params={params!r} is not allowed: give hyperparameter names, e.g. "
                        f"params={names[:2]!r}")
    params = list(params)
    repeated = sorted({p for p in params if params.count(p) > 1})
    columns = [p for p in params if p in NOT_PARAMS or p == "score"]
    missing = [p for p in params if p not in table.columns]
    problem = ("names no hyperparameter" if not params else
               f"names {repeated} more than once" if repeated else
               f"names {columns}, a column of every trial, not a hyperparameter" if columns else
               f"names {missing}, not in the table" if missing else "")
    if problem:
        raise ValueError(f"params={params!r} {problem}: give some of {names}, each once, or "
                         "leave params out for all of them")
    return params


def _check_values(table: pd.DataFrame, names: list[str]) -> None:
    """Refuse a hyperparameter that some scored trial lacks (NaN) or has as infinity."""
    for name in names:
        values = table[name]
        numbers = pd.to_numeric(values, errors="coerce")
        bad = values.isna() | (numbers.notna() & ~np.isfinite(numbers.to_numpy(dtype=float)))
        if bad.any():
            others = [n for n in names if n != name]
            leave_out = f"leave it out with params={others!r}, or " if others else ""
            raise ValueError(f"the hyperparameter {name!r} is {to_python(values[bad].iloc[0])!r} in {int(bad.sum())} "
                             f"of {len(table)} scored trials (a hyperparameter only some trials "
                             f"use?): {leave_out}pass only the trials that have a value")


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
def _as_values(values: Any) -> pd.Series:
    """``values`` as a Series, or a TypeError for one value (a string, a number, None)."""
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise TypeError(f"values={values!r} is not a hyperparameter's values: give a Series or a "
                        "list of them, e.g. values=result.trials['units']")
    items = list(values)
    return pd.Series(items, dtype=object if not items else None)


def numbers_of(values: pd.Series) -> np.ndarray | None:
    """A hyperparameter's values as floats, or None when they are labels (strings, booleans)
    or some value is missing.

    Examples
    --------
    >>> numbers_of(pd.Series([16, 64])).tolist(), numbers_of(pd.Series(["relu", "tanh"]))
    ([16.0, 64.0], None)
    """
    values = _as_values(values)
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
    return bool(numbers is not None and numbers.size and numbers.min() > 0
                and numbers.max() / numbers.min() >= 10)


def category_codes(values: pd.Series) -> tuple[list[Any], np.ndarray]:
    """Labels in sorted order, and each value's position among them (0, 1, ...) as floats.

    A missing value (None or NaN: a hyperparameter a trial did not use) is one
    more label, ``None``.

    Examples
    --------
    >>> categories, codes = category_codes(pd.Series(["tanh", "relu", "tanh"]))
    >>> categories, codes.tolist()
    (['relu', 'tanh'], [1.0, 0.0, 1.0])
    >>> category_codes(pd.Series(["relu", None, float("nan")]))
    ([None, 'relu'], array([1., 0., 0.]))
    """
    keys = [None if _is_missing(v) else v for v in _as_values(values)]
    categories = sorted(set(keys), key=str)
    code = {c: i for i, c in enumerate(categories)}
    return categories, np.array([code[v] for v in keys], dtype=float)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, (float, np.floating)) and bool(np.isnan(value)))


def encode(values: pd.Series) -> np.ndarray:
    """A hyperparameter's values as floats: log10 when :func:`is_log_scaled`, category codes
    (in sorted order) for strings and booleans, else the numbers themselves.

    Examples
    --------
    >>> encode(pd.Series([1e-3, 1e-1])).tolist(), encode(pd.Series(["tanh", "relu"])).tolist()
    ([-3.0, -1.0], [1.0, 0.0])
    """
    values = _as_values(values)
    numbers = numbers_of(values)
    if numbers is None:
        return category_codes(values)[1]
    return np.log10(numbers) if is_log_scaled(values) else numbers
