"""The numbers behind nbtune's plots: pure functions of a SearchResult, no matplotlib.

Each returns a tidy DataFrame (print it, test it, plot it your own way); the
draw functions of :mod:`nbtune.plots.figures` draw exactly these numbers.
Importing this module does not import matplotlib.

Examples
--------
>>> import pandas as pd
>>> from nbtune import SearchResult
>>> result = SearchResult(pd.DataFrame({"strategy": "grid", "units": [8, 16], "score": [0.9, 0.8]}))
>>> trial_scores(result)["best"].tolist()
[True, False]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import is_classifier

from nbtune.formatting import format_value, to_python
from nbtune.results import SearchResult

__all__ = [
    "X_CHOICES", "X_COST_COLUMN", "best_so_far", "check_param", "check_result", "check_x",
    "cv_results_table", "hyperband_rounds", "in_run_order", "ok_rows", "sampled_points",
    "score_by_param", "trial_scores", "two_params", "value_key", "value_label",
]

#: What ``best_so_far(x=...)`` can count along, and how its axis is labelled.
X_CHOICES = {
    "trials": "trials run",
    "epochs": "epochs trained (all trials, all folds)",
    "seconds": "seconds of training (wall time)",
}
X_COST_COLUMN = {"epochs": "epochs_spent", "seconds": "seconds"}


def value_key(value: Any) -> Any:
    """A hyperparameter value as a dict key: numpy scalars as Python ones, NaN as None."""
    value = to_python(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def value_label(value: Any) -> str:
    """A hyperparameter value on an axis or in a legend: short (4 significant digits)."""
    return format_value(value, digits=4)


def check_result(result: Any, *, name: str = "result") -> SearchResult:
    """``result`` if it is a non-empty SearchResult, else a TypeError or ValueError that says what to pass."""
    if not isinstance(result, SearchResult):
        hint = " (wrap a trials table with SearchResult(trials))" if isinstance(result, pd.DataFrame) else ""
        raise TypeError(
            f"{name}={type(result).__name__} is not a SearchResult{hint}; pass what "
            "nbtune.compare, grid_search, random_search, hyperband or bayesian return"
        )
    if result.trials.empty:
        raise ValueError(
            f"{name} has no trials, so there is nothing to plot; run a search first, "
            "e.g. result = nbtune.compare(build, space, X, y)"
        )
    return result


def check_param(result: SearchResult, value: Any, argument: str) -> str:
    """The hyperparameter ``value`` if the result has it, else a ValueError listing those it has."""
    if value not in result.param_names:
        raise ValueError(
            f"{argument}={value!r} is not a hyperparameter of this result; "
            f"it has {result.param_names}"
        )
    return value


def check_x(x: Any) -> str:
    """``x`` if it is one of :data:`X_CHOICES`, else a ValueError listing them."""
    if x not in X_CHOICES:
        raise ValueError(f"x={x!r} is not allowed; use one of {list(X_CHOICES)}, e.g. x='epochs'")
    return x


def in_run_order(trials: pd.DataFrame) -> pd.DataFrame:
    """Trials of one strategy in the order they ran (by trial number; stable)."""
    return trials.sort_values("trial", kind="stable")


def ok_rows(trials: pd.DataFrame) -> pd.Series:
    """Which trials succeeded: status ``"ok"`` and a score."""
    return (trials["status"] == "ok") & trials["score"].notna()


def trial_scores(result: SearchResult) -> pd.DataFrame:
    """The score of every trial, and which is the best of its strategy.

    Parameters
    ----------
    result : SearchResult

    Returns
    -------
    DataFrame
        One row per trial: ``strategy, trial, score, status, train_epochs,
        best`` (True for the best trial of each strategy, the earliest on a tie).
        A failed trial has ``status == "failed"`` and a NaN score.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import trial_scores
    >>> result = SearchResult(pd.DataFrame({"strategy": ["grid", "grid", "random"],
    ...                                     "units": [8, 16, 8], "score": [0.9, 0.95, 0.9]}))
    >>> trial_scores(result)["best"].tolist()
    [False, True, True]
    """
    result = check_result(result)
    table = result.trials[["strategy", "trial", "score", "status", "train_epochs"]].copy()
    table["best"] = False
    ok = table[ok_rows(table)]
    if not ok.empty:
        best_rows = ok.groupby("strategy", sort=False)["score"].idxmax()
        table.loc[best_rows.to_numpy(), "best"] = True
    return table.reset_index(drop=True)


def best_so_far(result: SearchResult, x: str = "trials") -> pd.DataFrame:
    """The best score each strategy had found after each trial, against its cost.

    Parameters
    ----------
    result : SearchResult
    x : {"trials", "epochs", "seconds"}, default "trials"
        The cost: trials run, epochs trained (the cumulative ``epochs_spent``,
        folds included) or seconds (cumulative wall time).

    Returns
    -------
    DataFrame
        One row per trial, each strategy's trials in the order they ran, with
        columns ``strategy, trial, status, score, <x>, best_score, improved``.
        ``<x>`` (named after ``x``) is the cost spent up to and including this
        trial: failed trials add to it but never improve ``best_score``, the
        running maximum of the successful scores (NaN until the first one).
        Missing costs count as 0; a strategy with no recorded cost at all gets
        NaN.

    Raises
    ------
    ValueError
        For an unknown ``x``, an empty result, or a cost no trial recorded.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import best_so_far
    >>> result = SearchResult(pd.DataFrame({
    ...     "strategy": "random", "units": [8, 16, 32], "score": [0.8, None, 0.9],
    ...     "status": ["ok", "failed", "ok"], "seconds": [2.0, 1.0, 2.0]}))
    >>> best_so_far(result, x="seconds")[["seconds", "best_score"]].to_numpy().tolist()
    [[2.0, 0.8], [3.0, 0.8], [5.0, 0.9]]
    """
    x = check_x(x)
    result = check_result(result)
    if x != "trials" and result.trials[X_COST_COLUMN[x]].isna().all():
        raise ValueError(
            f"x={x!r}: no trial of this result recorded its {X_COST_COLUMN[x]} "
            "(e.g. a result made from cv_results_ without n_splits); use x='trials'"
        )
    parts = []
    for strategy in result.strategies:
        trials = in_run_order(result.trials[result.trials["strategy"] == strategy])
        part = trials[["strategy", "trial", "status", "score"]].copy()
        if x == "trials":
            part[x] = np.arange(1, len(part) + 1, dtype=float)
        else:
            cost = trials[X_COST_COLUMN[x]].astype(float)
            part[x] = cost.fillna(0).cumsum() if cost.notna().any() else np.nan
        scores = part["score"].where(ok_rows(part))
        part["best_score"] = scores.cummax().ffill()
        previous = part["best_score"].shift(1)
        part["improved"] = scores.notna() & (previous.isna() | (scores > previous))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def score_by_param(result: SearchResult, param: str) -> pd.DataFrame:
    """The score of every trial against the value of one hyperparameter.

    Parameters
    ----------
    result : SearchResult
    param : str
        One of ``result.param_names``.

    Returns
    -------
    DataFrame
        One row per trial: ``strategy, trial, <param>, score, status, train_epochs``.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import score_by_param
    >>> result = SearchResult(pd.DataFrame({"strategy": "grid", "units": [8, 16], "score": [0.9, 0.95]}))
    >>> score_by_param(result, "units")[["units", "score"]].to_numpy().tolist()
    [[8.0, 0.9], [16.0, 0.95]]
    """
    result = check_result(result)
    param = check_param(result, param, "param")
    columns = ["strategy", "trial", param, "score", "status", "train_epochs"]
    return result.trials[columns].reset_index(drop=True)


def two_params(result: SearchResult, x_param: str | None, y_param: str | None) -> tuple[str, str]:
    """The two hyperparameters a sampled-points plot shows: the given ones or the first two."""
    if x_param is None or y_param is None:
        if len(result.param_names) < 2:
            raise ValueError(
                f"this result has {len(result.param_names)} hyperparameter(s) {result.param_names}; "
                "a 2-D plot needs two: search over a space with at least two dimensions"
            )
        x_param = result.param_names[0] if x_param is None else x_param
        y_param = next(n for n in result.param_names if n != x_param) if y_param is None else y_param
    check_param(result, x_param, "x_param")
    check_param(result, y_param, "y_param")
    if x_param == y_param:
        raise ValueError(f"x_param and y_param are both {x_param!r}; give two different hyperparameters")
    return x_param, y_param


def sampled_points(
    result: SearchResult, x_param: str | None = None, y_param: str | None = None
) -> pd.DataFrame:
    """Where each strategy sampled a 2-D slice of the search space.

    Parameters
    ----------
    result : SearchResult
    x_param, y_param : str, optional
        Two of ``result.param_names``; by default the first two.

    Returns
    -------
    DataFrame
        One row per trial: ``strategy, trial, <x_param>, <y_param>,
        train_epochs, score, status``.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import sampled_points
    >>> result = SearchResult(pd.DataFrame({"strategy": "grid", "units": [8, 16],
    ...                                     "activation": ["relu", "tanh"], "score": [0.9, 0.95]}))
    >>> list(sampled_points(result).columns[:4])
    ['strategy', 'trial', 'units', 'activation']
    """
    result = check_result(result)
    x_param, y_param = two_params(result, x_param, y_param)
    columns = ["strategy", "trial", x_param, y_param, "train_epochs", "score", "status"]
    return result.trials[columns].reset_index(drop=True)


def hyperband_rounds(result: SearchResult, strategy: str = "hyperband") -> pd.DataFrame:
    """Hyperband's trials by bracket and round, and which trial each continues.

    Hyperband trains a configuration a little in round 0 of a bracket and
    *promotes* the best ones to the next round, where they train longer.  A
    promoted trial has the same hyperparameter values as its parent, in the
    previous round of the same bracket (and the same run of the brackets, for
    ``hyperband_iterations > 1``).

    Parameters
    ----------
    result : SearchResult
        A result with Hyperband trials (``bracket`` and ``round`` columns set).
    strategy : str, default "hyperband"
        The strategy whose trials to use.

    Returns
    -------
    DataFrame
        One row per trial, in the order they ran: ``trial, iteration,
        bracket, round, <params>, train_epochs, score, status, parent``, where
        ``parent`` is the trial number this one continues (NaN in round 0)
        and ``iteration`` counts runs through the brackets (from 0).

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import hyperband_rounds
    >>> result = SearchResult(pd.DataFrame({
    ...     "strategy": "hyperband", "units": [8, 16, 8], "score": [0.8, 0.7, 0.9],
    ...     "train_epochs": [1, 1, 3], "bracket": [1, 1, 1], "round": [0, 0, 1]}))
    >>> hyperband_rounds(result)["parent"].tolist()
    [nan, nan, 0.0]
    """
    result = check_result(result)
    if strategy not in result.strategies:
        raise ValueError(
            f"strategy={strategy!r} is not in this result; it has {result.strategies}. "
            "Run Hyperband, e.g. nbtune.compare(..., strategies=['grid', 'random', 'hyperband'])"
        )
    trials = in_run_order(result.trials[result.trials["strategy"] == strategy])
    trials = trials[trials["bracket"].notna() & trials["round"].notna()]
    if trials.empty:
        raise ValueError(
            f"the {strategy!r} trials of this result have no bracket/round: "
            "only Hyperband trials do (strategy='hyperband')"
        )
    names = result.param_names
    table = trials[["trial", "bracket", "round", *names, "train_epochs", "score", "status"]].copy()
    table["bracket"] = table["bracket"].astype(int)
    table["round"] = table["round"].astype(int)
    iterations, parents = [], []
    iteration, previous_bracket = 0, None
    unclaimed: dict[tuple, list[int]] = {}  # (iteration, bracket, round, values) -> trial numbers
    for _, row in table.iterrows():
        values = tuple(value_key(row[n]) for n in names)
        bracket, round_ = int(row["bracket"]), int(row["round"])
        if previous_bracket is not None and bracket > previous_bracket:
            iteration += 1  # keras-tuner starts the brackets again from the largest
        previous_bracket = bracket
        iterations.append(iteration)
        candidates = unclaimed.get((iteration, bracket, round_ - 1, values), []) if round_ else []
        parents.append(candidates.pop() if candidates else np.nan)  # the latest not yet continued
        unclaimed.setdefault((iteration, bracket, round_, values), []).append(int(row["trial"]))
    table.insert(1, "iteration", iterations)
    table["parent"] = pd.Series(parents, index=table.index, dtype=float)
    return table.reset_index(drop=True)


def _cv_source(search: Any) -> tuple[pd.DataFrame, str | None]:
    """Rows (strategy, params, mean, std, status) and the scoring name.

    A fitted ``GridSearchCV`` / ``RandomizedSearchCV`` (or its ``cv_results_``)
    is read by :meth:`SearchResult.from_cv_results`, the one reader of ``cv_results_``.
    """
    if isinstance(search, SearchResult):
        result = check_result(search, name="search")
        scoring = result.scoring
    else:
        cv_results = getattr(search, "cv_results_", search)
        if not isinstance(cv_results, Mapping) or not {"params", "mean_test_score"} <= set(cv_results):
            raise TypeError(
                f"search={type(search).__name__} is not a fitted GridSearchCV/RandomizedSearchCV, "
                "a cv_results_ dict (with 'params' and 'mean_test_score') or a SearchResult; "
                "fit the search first, then pass it or its cv_results_"
            )
        strategy = {"GridSearchCV": "grid", "RandomizedSearchCV": "random"}.get(
            type(search).__name__, "search")
        result = SearchResult.from_cv_results(search, strategy=strategy)
        scoring = result.scoring or _default_scoring(search)
    rows = []
    for _, trial in result.trials.iterrows():
        params = {n: value_key(trial[n]) for n in result.param_names
                  if not (isinstance(trial[n], float) and math.isnan(trial[n]))}
        rows.append({"strategy": trial["strategy"], "params": params, "mean": trial["score"],
                     "std": trial["score_std"], "status": trial["status"]})
    return pd.DataFrame(rows), scoring


def _default_scoring(search: Any) -> str | None:
    """The name of what a search without ``scoring`` scores: accuracy for a classifier."""
    estimator = getattr(search, "estimator", None)
    return "accuracy" if estimator is not None and is_classifier(estimator) else None


def cv_results_table(search: Any) -> pd.DataFrame:
    """``cv_results_`` as a table: mean ± std score of each configuration.

    Parameters
    ----------
    search : GridSearchCV, RandomizedSearchCV, dict or SearchResult
        A fitted scikit-learn search, its ``cv_results_`` dict, or a
        :class:`~nbtune.results.SearchResult` (its ``score_std`` is the std).

    Returns
    -------
    DataFrame
        One row per configuration in the order of ``cv_results_``:
        ``strategy, label, params, mean, std, rank, status``.  ``label``
        names only the hyperparameters that vary between configurations;
        the others are in ``table.attrs["fixed"]``.  ``rank`` is 1 for the
        best mean (as ``rank_test_score``); failed configurations have NaN.

    Examples
    --------
    >>> from nbtune.plots import cv_results_table
    >>> cv = {"params": [{"batch_size": 10, "epochs": 5}, {"batch_size": 20, "epochs": 5}],
    ...       "mean_test_score": [0.91, 0.94], "std_test_score": [0.02, 0.01]}
    >>> table = cv_results_table(cv)
    >>> table[["label", "mean", "rank"]].to_numpy().tolist()
    [['batch_size=10', 0.91, 2], ['batch_size=20', 0.94, 1]]
    >>> table.attrs["fixed"]
    {'epochs': 5}
    """
    rows, scoring = _cv_source(search)
    if rows.empty:
        raise ValueError("search has no configurations (cv_results_['params'] is empty); nothing to plot")
    names = list(dict.fromkeys(k for p in rows["params"] for k in p))

    def shown(name: str) -> list[str]:
        return [value_label(p.get(name, "–")) for p in rows["params"]]

    varying = [n for n in names if len(set(shown(n))) > 1]
    fixed = {n: rows["params"].iloc[0][n] for n in names if n not in varying and n in rows["params"].iloc[0]}
    labels = []
    for i, params in enumerate(rows["params"]):
        parts = [f"{n}={value_label(params[n])}" for n in (varying or names) if n in params]
        labels.append(", ".join(parts) or f"configuration {i}")
    table = pd.DataFrame({
        "strategy": rows["strategy"],
        "label": labels,
        "params": rows["params"],
        "mean": rows["mean"].astype(float),
        "std": rows["std"].astype(float),
    })
    table["rank"] = table["mean"].rank(method="min", ascending=False).astype("Int64")
    table["status"] = np.where(table["mean"].notna() & (rows["status"] == "ok"), "ok", "failed")
    table.attrs["fixed"] = fixed
    table.attrs["scoring"] = scoring
    return table
