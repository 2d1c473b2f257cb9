"""Have we sampled enough? The spread of a random search's outcome against its number of trials.

The Playbook's check: run the search many times (on a tabulated benchmark, a
replay costs milliseconds) and look, for each number of trials, at the
distribution of what the search ends with. When more trials no longer move the
box, the search has sampled enough; a wide box means one run's outcome is
largely luck.

:func:`sampling_spread` reads a replay of random search
(``nbtune.replay(bench, ["random"], repeats=100, n_iter=64)``): the first
``n`` trials of a run *are* a random search of ``n`` trials, so one replay
gives every ``n`` at once. For each run and ``n`` it takes the trial with the
best reported (validation) score, as the search would, and records how good
that configuration truly is (its ``true_score``, the mean over the table's
seeds).

Examples
--------
>>> from nbtune import benchmarks, replay
>>> runs = replay(benchmarks.load("digits-mlp-tiny"), ["random"], repeats=5, n_iter=4, epochs=3)
>>> spread = sampling_spread(runs, trials=[1, 4])
>>> spread.groupby("trials").size().tolist()
[5, 5]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from nbtune.arguments import check_table, kind_of
from nbtune.search.results import SearchResult


def sampling_spread(result: SearchResult, trials: Sequence[int] | None = None) -> pd.DataFrame:
    """What each run of a replayed random search would have chosen after its first ``n`` trials.

    Parameters
    ----------
    result : SearchResult
        A replay (:func:`nbtune.replay`) of one strategy, whose trials have
        ``repeat`` and ``true_score`` columns; random search is the one whose
        first ``n`` trials are a search of ``n`` trials.
    trials : sequence of int, optional
        The numbers of trials to look at (default 1, 2, 4, ... up to the
        shortest run).

    Returns
    -------
    DataFrame
        One row per run and number of trials: ``repeat``, ``trials``,
        ``reported`` (the best validation score the run had seen),
        ``true_score`` (the true score of the configuration it chose), and the
        chosen configuration's hyperparameters (NaN and None while a run has no
        scored trial yet).
    """
    if not isinstance(result, SearchResult):
        raise TypeError(f"result is {kind_of(result)}: give a replay, e.g. "
                        "nbtune.replay(bench, ['random'], repeats=100, n_iter=64)")
    runs = result.trials
    missing = [c for c in ("repeat", "true_score") if c not in runs.columns]
    if missing:
        raise ValueError(f"the result has no {missing} column: give a replay on a tabulated "
                         "benchmark (nbtune.replay), whose trials know their true score")
    if runs["score"].notna().sum() == 0:
        raise ValueError(f"the result has no trial with a score ({len(runs)} trials): give a "
                         "replay whose trials were scored, e.g. nbtune.replay(bench, ['random'], "
                         "repeats=100, n_iter=64)")
    if runs["strategy"].nunique() != 1:
        raise ValueError(f"the result holds {sorted(runs['strategy'].unique())}: give one "
                         "strategy's replay, e.g. result.for_strategy('random')")
    runs = runs.sort_values(["repeat", "trial"])
    shortest = int(runs.groupby("repeat").size().min())
    trials = _trial_counts(trials, shortest)
    rows = []
    for repeat, run in runs.groupby("repeat", sort=True):
        scores = run["score"].fillna(-np.inf).to_numpy()
        for n in trials:
            chosen = run.iloc[int(np.argmax(scores[:n]))]
            seen = np.isfinite(scores[:n]).any()  # before its first score a run has chosen nothing
            rows.append({"repeat": repeat, "trials": n,
                         "reported": float(chosen["score"]) if seen else np.nan,
                         "true_score": float(chosen["true_score"]) if seen else np.nan,
                         **{name: chosen[name] if seen else None for name in result.param_names}})
    return pd.DataFrame(rows)


def _trial_counts(trials: Any, shortest: int) -> list[int]:
    """The numbers of trials to look at: 1, 2, 4... up to ``shortest`` by default, else ``trials``
    checked (whole numbers from 1 to ``shortest``), sorted, each once."""
    if trials is None:
        return [2 ** k for k in range(int(np.log2(shortest)) + 1)]
    allowed = (f"give a list of whole numbers from 1 to {shortest} (every run has that many "
               f"trials), e.g. trials=[1, 2, 4]")
    if isinstance(trials, str) or not isinstance(trials, Iterable):
        raise TypeError(f"trials={trials!r} is not allowed: {allowed}")
    trials = list(trials)
    wrong = [n for n in trials if isinstance(n, bool) or not isinstance(n, Integral)
             or not 1 <= n <= shortest]
    if not trials or wrong:
        raise ValueError(f"trials={trials!r} is not allowed" + (f" ({wrong[0]!r})" if wrong else "")
                         + f": {allowed}")
    return sorted({int(n) for n in trials})


def spread_summary(spread: pd.DataFrame) -> pd.DataFrame:
    """Quartiles of the chosen configurations' true score per number of trials.

    Examples
    --------
    >>> spread = pd.DataFrame({"trials": [1, 1, 2, 2], "true_score": [0.5, 0.7, 0.9, 0.9]})
    >>> spread_summary(spread)["median"].tolist()
    [0.6, 0.9]
    """
    check_table("spread", spread, ("trials", "true_score"), made_by="nbtune.analysis.sampling_spread")
    quartiles = spread.groupby("trials")["true_score"].quantile([0.25, 0.5, 0.75]).unstack()
    quartiles.columns = ["25%", "median", "75%"]
    quartiles["spread (75% - 25%)"] = quartiles["75%"] - quartiles["25%"]
    quartiles["worst"] = spread.groupby("trials")["true_score"].min()
    return quartiles
