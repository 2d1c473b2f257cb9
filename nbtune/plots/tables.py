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
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import is_classifier

from nbtune.arguments import check_real, check_table, check_whole, kind_of
from nbtune.formatting import format_value, to_python
from nbtune.language import gettext as _
from nbtune.language import mark
from nbtune.search.results import SKLEARN_SEARCHES, SearchResult

#: What ``best_so_far(x=...)`` can count along, and how its axis is labelled (in English:
#: :func:`axis_label` translates it).
X_CHOICES = {
    "trials": mark("trials run"),
    "epochs": mark("epochs trained (all trials, all folds)"),
    "seconds": mark("seconds of training (the trials' own, not wall time)"),
}
X_COST_COLUMN = {"epochs": "epochs_spent", "seconds": "seconds"}
#: The most costs :func:`best_so_far_bands` reads its curves at, and the most bootstrap
#: resamples of :func:`win_probability`: past them a figure takes minutes and gigabytes.
MAX_POINTS, MAX_BOOT = 10_000, 100_000


def axis_label(result: SearchResult, x: str) -> str:
    """How the ``x`` axis of ``result``'s best-so-far is labelled: only what its trials count,
    in the language spoken now.

    "all folds" only when some trial trained on several folds (its epochs spent
    exceed its epochs); the seconds are the trials' own (not the wall clock
    between them), or a replay's simulated ones.

    Examples
    --------
    >>> from nbtune import SearchResult
    >>> holdout = SearchResult(pd.DataFrame({"strategy": "hyperband", "units": [8],
    ...     "score": [0.9], "train_epochs": [3], "epochs_spent": [3], "seconds": [1.0]}))
    >>> axis_label(holdout, "epochs"), axis_label(holdout, "seconds")
    ('epochs trained (all trials)', "seconds of training (the trials' own, not wall time)")
    """
    x = check_x(x)
    trials = result.trials
    if x == "epochs":
        folds = ("train_epochs" in trials.columns
                 and bool((trials["epochs_spent"] > trials["train_epochs"]).any()))
        return _(X_CHOICES["epochs"]) if folds else _("epochs trained (all trials)")
    if x == "seconds":
        if "true_score" in trials.columns:
            return _("seconds of training (the table's, simulated)")
        return _("seconds of training (the trials' own, not wall time)")
    return _(X_CHOICES[x])


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
    if not isinstance(x, str) or x not in X_CHOICES:
        raise ValueError(f"x={x!r} is not allowed; use one of {list(X_CHOICES)}, e.g. x='epochs'")
    return x


def check_scored(result: SearchResult) -> SearchResult:
    """``result`` if some trial has a score, else a ValueError: many runs compare scores."""
    if not ok_rows(result.trials).any():
        raise ValueError(f"result has no trial with a score ({len(result.trials)} trials, all "
                         "failed): nothing to compare; give a result whose trials finished "
                         "(a failed trial's error column says why it failed)")
    return result


def check_true_best(true_best: Any) -> float:
    """``true_best`` as a float if it is one finite number, else an error that says how to get it."""
    if isinstance(true_best, (pd.Series, pd.DataFrame)):
        raise TypeError(f"true_best is {kind_of(true_best)}: give one number, the best "
                        "true score, e.g. true_best=float(bench.true_best(epochs)['val_accuracy'])")
    return check_real("true_best", true_best,
                      hint=", e.g. true_best=float(bench.true_best(epochs)['val_accuracy'])")


def check_images(images: Any) -> int | None:
    """``images`` (the validation rows) if None or a whole number >= 1, else a ValueError."""
    if images is None:
        return None
    return check_whole("images", images, hint=" (the validation rows, e.g. images=360), or None")


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
    for _index, row in table.iterrows():
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
        _check_cv_results(cv_results)
        strategy = getattr(search, "strategy", None) or SKLEARN_SEARCHES.get(  # a ShippedSearch
            type(search).__name__, "search")                                   # says which it was
        result = SearchResult.from_cv_results(search, strategy=strategy)
        scoring = result.scoring or _default_scoring(search)
    rows = []
    for _index, trial in result.trials.iterrows():
        params = {n: value_key(trial[n]) for n in result.param_names
                  if not (isinstance(trial[n], float) and math.isnan(trial[n]))}
        rows.append({"strategy": trial["strategy"], "params": params, "mean": trial["score"],
                     "std": trial["score_std"], "status": trial["status"]})
    return pd.DataFrame(rows), scoring


def _check_cv_results(cv_results: Mapping) -> None:
    """Refuse a ``cv_results_`` whose ``params`` are not dicts, or whose columns differ in length."""
    params = cv_results["params"]
    if isinstance(params, (str, Mapping)) or not all(isinstance(p, Mapping) for p in params):
        raise TypeError(f"cv_results_['params'] must be a list of dicts, one per configuration "
                        f"(got {params!r}); give a fitted search's cv_results_, e.g. "
                        "params=[{'units': 8}, {'units': 16}]")
    lengths = {key: len(cv_results[key]) for key in ("mean_test_score", "std_test_score")
               if key in cv_results}
    wrong = {key: n for key, n in lengths.items() if n != len(params)}
    if wrong:
        raise ValueError(f"cv_results_ has {len(params)} params but {wrong}: give one "
                         "mean_test_score (and std_test_score) per configuration")


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
        :class:`~nbtune.search.results.SearchResult` (its ``score_std`` is the std).

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
        labels.append(", ".join(parts) or _("configuration {number}").format(number=i))
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


# ------------------------------------------------------------ many runs (replays)
def _runs(result: SearchResult) -> list[tuple[str, Any, SearchResult]]:
    """(strategy, repeat, that run's trials as a result) for every run of a replay (or live result)."""
    trials = result.trials
    repeats = trials["repeat"] if "repeat" in trials.columns else pd.Series(0, index=trials.index)
    runs = []
    for (strategy, repeat), rows in trials.groupby([trials["strategy"], repeats], sort=False):
        runs.append((strategy, repeat, SearchResult(rows, param_names=result.param_names)))
    return runs


def _best_at(curve: pd.DataFrame, x: str, grid: np.ndarray) -> np.ndarray:
    """A run's best score so far at each cost of ``grid`` (NaN before its first score)."""
    costs, best = curve[x].to_numpy(dtype=float), curve["best_score"].to_numpy(dtype=float)
    where = np.searchsorted(costs, grid, side="right") - 1
    return np.where(where >= 0, best[np.clip(where, 0, None)], np.nan)


def best_so_far_bands(result: SearchResult, x: str = "trials", points: int = 60) -> pd.DataFrame:
    """Best score so far over many runs: median and interquartile range per strategy.

    Parameters
    ----------
    result : SearchResult
        A replay's (with a ``repeat`` column), or several runs' combined.
    x : {"trials", "epochs", "seconds"}, default "trials"
    points : int, default 60
        Costs the curves are read at (for epochs and seconds; trials are read at each trial).

    Returns
    -------
    DataFrame
        ``strategy, <x>, median, q25, q75, runs``: ``runs`` is how many runs
        had a score by then (the quantiles are over those).

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> result = SearchResult(pd.DataFrame({"strategy": "random", "units": [8, 16, 8, 16],
    ...     "score": [0.5, 0.9, 0.7, 0.8], "repeat": [0, 0, 1, 1], "trial": [0, 1, 0, 1]}))
    >>> best_so_far_bands(result)[["trials", "median"]].round(3).to_numpy().tolist()
    [[1.0, 0.6], [2.0, 0.85]]
    """
    x = check_x(x)
    points = check_whole("points", points, minimum=2, maximum=MAX_POINTS, hint=", e.g. points=60")
    result = check_scored(check_result(result))
    curves = [(s, best_so_far(run, x=x)) for s, _, run in _runs(result)]
    rows = []
    for strategy in result.strategies:
        mine = [c for s, c in curves if s == strategy]
        end = max(float(c[x].max()) for c in mine)
        grid = (np.arange(1, end + 1, dtype=float) if x == "trials"
                else np.linspace(0, end, points))
        values = np.vstack([_best_at(c, x, grid) for c in mine])
        for i, cost in enumerate(grid):
            column = values[:, i][~np.isnan(values[:, i])]
            if column.size:
                q25, median, q75 = np.quantile(column, [0.25, 0.5, 0.75])
                rows.append({"strategy": strategy, x: cost, "median": median, "q25": q25,
                             "q75": q75, "runs": int(column.size)})
    return pd.DataFrame(rows)


def final_regret(result: SearchResult, true_best: float) -> pd.DataFrame:
    """Each run's best score and its regret: how far below the table's true best it ended.

    The regret is ``true_best`` minus the true score (a replay's ``true_score``:
    the mean over the table's seeds) of the configuration the run found best, so
    a lucky seed does not count as a better configuration; without
    ``true_score`` (a live run) the run's own best score is used.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> result = SearchResult(pd.DataFrame({"strategy": "grid", "units": [8, 16],
    ...     "score": [0.9, 0.95], "repeat": [0, 1], "trial": [0, 0]}))
    >>> final_regret(result, true_best=0.96)["regret"].round(2).tolist()
    [0.06, 0.01]
    """
    result = check_scored(check_result(result))
    true_best = check_true_best(true_best)
    rows = []
    for strategy, repeat, run in _runs(result):
        trials = run.trials
        scores = trials["score"].where(ok_rows(trials))
        best = scores.max()
        chosen = trials.loc[scores.idxmax()] if scores.notna().any() else None
        true = (chosen["true_score"] if chosen is not None and "true_score" in trials.columns
                else best)
        rows.append({"strategy": strategy, "repeat": repeat, "best_score": best,
                     "regret": float(true_best) - true, "trials": len(trials),
                     "epochs": trials["epochs_spent"].sum(), "seconds": trials["seconds"].sum()})
    return pd.DataFrame(rows)


def win_probability(result: SearchResult, *, x: str = "seconds", at: float | None = None,
                    boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """How often one strategy's run beats another's, with a 95 % bootstrap interval.

    For each ordered pair (a, b): the probability that a run of ``a`` has a
    higher best score than a run of ``b`` (ties count half) after spending
    ``at`` (in ``x`` units; None: each run's whole budget), over every pair of
    runs; the interval resamples the runs ``boot`` times.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> result = SearchResult(pd.DataFrame({"strategy": ["a", "a", "b", "b"], "units": 8,
    ...     "score": [0.9, 0.8, 0.7, 0.85], "repeat": [0, 1, 0, 1], "trial": 0}))
    >>> table = win_probability(result, x="trials")
    >>> float(table.query("strategy == 'a' and versus == 'b'")["probability"].iloc[0])
    0.75
    """
    x = check_x(x)
    boot = check_whole("boot", boot, maximum=MAX_BOOT, hint=", e.g. boot=1000")
    seed = check_whole("seed", seed, minimum=0, hint=", e.g. seed=0")
    if at is not None:
        at = check_real("at", at, at_least=0, hint=f" (a budget in {x}), or None for the whole budget")
    result = check_scored(check_result(result))
    if len(result.strategies) < 2:
        raise ValueError(f"result holds one strategy, {result.strategies}: P(a beats b) needs two; "
                         "give a replay of several, e.g. nbtune.replay(bench, ['random', 'grid'])")
    finals: dict[str, list[float]] = {}
    for strategy, _repeat, run in _runs(result):
        curve = best_so_far(run, x=x)
        budget = float(curve[x].max()) if at is None else float(at)
        finals.setdefault(strategy, []).append(float(_best_at(curve, x, np.array([budget]))[0]))
    rng = np.random.default_rng(seed)
    rows = []
    for a in finals:
        for b in finals:
            if a == b:
                continue
            left, right = np.nan_to_num(finals[a], nan=-np.inf), np.nan_to_num(finals[b], nan=-np.inf)
            boots = [_beats(rng.choice(left, left.size), rng.choice(right, right.size))
                     for _ in range(boot)]
            low, high = np.quantile(boots, [0.025, 0.975])
            rows.append({"strategy": a, "versus": b, "probability": _beats(left, right),
                         "low": low, "high": high, "runs": min(left.size, right.size)})
    return pd.DataFrame(rows)


def _beats(left: np.ndarray, right: np.ndarray) -> float:
    """P(a run of left beats one of right), ties counting half, over every pair."""
    diff = left[:, None] - right[None, :]
    return float(np.mean(diff > 0) + 0.5 * np.mean(diff == 0))


@dataclass(frozen=True)
class Verdict:
    """What a :func:`win_probability` table says about ``a`` against ``b``: who wins, or a tie.

    Compare its fields in code (they are the same in every language); ``str(verdict)`` is
    the sentence :func:`who_wins` returns, in the language spoken now.

    Attributes
    ----------
    a, b : str
        The two strategies, as the table names them (``"random"``, ``"grid"``...).
    winner : str or None
        ``a`` when the whole 95 % interval of P(a beats b) is above one half, ``b`` when
        it is below, None when it holds one half (a tie).
    probability : float
        P(a run of ``a`` beats a run of ``b``), ties counting half.
    low, high : float
        Its 95 % bootstrap interval.
    runs : int
        The runs of each strategy it compares (the fewer of the two).

    Examples
    --------
    >>> said = Verdict("random", "grid", "random", 0.63, 0.55, 0.70, 100)
    >>> said.winner, said.tie
    ('random', False)
    >>> print(said)
    P(random beats grid) = 0.63 (95 % interval 0.55 to 0.70, 100 runs each): random wins
    """

    a: str
    b: str
    winner: str | None
    probability: float
    low: float
    high: float
    runs: int

    @property
    def tie(self) -> bool:
        """True when the runs cannot tell ``a`` and ``b`` apart (no winner)."""
        return self.winner is None

    def __str__(self) -> str:
        if self.winner is None:
            outcome = _("a tie (the interval holds one half)")
        else:
            outcome = _("{strategy} wins").format(strategy=self.winner)
        return _("P({a} beats {b}) = {probability:.2f} (95 % interval {low:.2f} to {high:.2f}, "
                 "{runs} runs each): {outcome}").format(a=self.a, b=self.b, probability=self.probability,
                                                        low=self.low, high=self.high, runs=self.runs,
                                                        outcome=outcome)


def verdict(wins: pd.DataFrame, a: str, b: str) -> Verdict:
    """The verdict of a :func:`win_probability` table on ``a`` against ``b``, for code to compare.

    ``a`` wins when the whole 95 % interval of P(a beats b) is above one half,
    ``b`` wins when it is below, and otherwise the runs cannot tell them apart (a
    tie).  Unlike the sentence of :func:`who_wins`, its fields read the same in
    every language: test ``verdict(...).winner == "random"`` or ``.tie``, not the words.

    Parameters
    ----------
    wins : DataFrame
        What :func:`win_probability` returns.
    a, b : str
        Two strategies of the table.

    Returns
    -------
    Verdict
        ``winner`` (``a``, ``b`` or None), ``tie``, the probability, its interval and the
        runs; ``str()`` of it is the sentence, in the language spoken now.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune.plots import verdict
    >>> wins = pd.DataFrame([{"strategy": "random", "versus": "grid", "probability": 0.63,
    ...                       "low": 0.55, "high": 0.70, "runs": 100}])
    >>> said = verdict(wins, "random", "grid")
    >>> said.winner, said.tie, said.probability
    ('random', False, 0.63)
    >>> from nbtune.language import speaking
    >>> with speaking("ko"):
    ...     print(said)
    P(random 대 grid에서 random 승) = 0.63 (95 % 구간 0.55~0.70, 전략마다 100회 실행): random의 승리
    """
    check_table("wins", wins, ("strategy", "versus", "probability", "low", "high", "runs"),
                made_by="nbtune.plots.win_probability")
    rows = wins[(wins["strategy"] == a) & (wins["versus"] == b)]
    if rows.empty:
        raise ValueError(f"the table has no row for {a!r} against {b!r}; it compares "
                         f"{sorted(set(wins['strategy']))}")
    row = rows.iloc[0]
    low, high = float(row["low"]), float(row["high"])
    winner = a if low > 0.5 else b if high < 0.5 else None
    return Verdict(a=a, b=b, winner=winner, probability=float(row["probability"]), low=low, high=high,
                   runs=int(row["runs"]))


def who_wins(wins: pd.DataFrame, a: str, b: str) -> str:
    """The verdict of a :func:`win_probability` table on ``a`` against ``b``, in words.

    ``a`` wins when the whole 95 % interval of P(a beats b) is above one half,
    ``b`` wins when it is below, and otherwise the runs cannot tell them apart.
    The sentence is in the language spoken now (:func:`nbtune.set_language`); to
    act on the verdict in code, use :func:`verdict`, whose ``winner`` and ``tie``
    read the same in every language (``str(verdict(wins, a, b))`` is this sentence).

    Examples
    --------
    >>> wins = pd.DataFrame([{"strategy": "random", "versus": "grid", "probability": 0.63,
    ...                       "low": 0.55, "high": 0.70, "runs": 100}])
    >>> who_wins(wins, "random", "grid")
    'P(random beats grid) = 0.63 (95 % interval 0.55 to 0.70, 100 runs each): random wins'
    >>> verdict(wins, "random", "grid").winner
    'random'
    """
    return str(verdict(wins, a, b))
