"""Comparison plots: what each search strategy tried, found and spent.

Every plot comes in two parts, as in optuna's plotting module:

* a **data function**, a pure function returning a tidy DataFrame with the
  numbers the plot shows (print it, test it, plot it your own way);
* a **draw function** ``plot_...`` that takes ``ax=None`` (a new figure when
  None), draws, and returns the Axes.  It never calls ``plt.show()`` and never
  changes matplotlib's global style.  ``presentation=True`` draws fonts,
  lines and markers about 1.5 times larger, for a projector.

==========================  ===========================  =========================================
data function               draw function                shows
==========================  ===========================  =========================================
:func:`trial_scores`        :func:`plot_trial_scores`    the score of every trial, by strategy
:func:`best_so_far`         :func:`plot_best_so_far`     best score so far against trials, epochs
                                                         or seconds spent
:func:`score_by_param`      :func:`plot_score_by_param`  score against one hyperparameter
:func:`sampled_points`      :func:`plot_sampled_points`  where each strategy sampled two
                                                         hyperparameters
:func:`hyperband_rounds`    :func:`plot_hyperband_rounds` Hyperband's trials by bracket and round
:func:`cv_results_table`    :func:`plot_cv_results`      ``cv_results_``: mean ± std per
                                                         configuration
``schedule.hyperband_schedule``  :func:`plot_hyperband_schedule`  how many models Hyperband trains
                                                         for how many epochs
==========================  ===========================  =========================================

:func:`plot_comparison` puts the scores and the three best-so-far plots in one figure.
For many runs of a replay, :func:`win_probability` says how often one strategy
beats another; :func:`verdict` reads it (``.winner``, ``.tie``) and
:func:`who_wins` says it in a sentence.

Every title, label and legend is in the language spoken now
(:func:`nbtune.set_language`); the strategies' names stay as code.

A new figure is at most :data:`COLUMN_INCHES` (8) inches wide, 800 pixels in a
notebook, so JupyterLab shows it at its size instead of shrinking it (and its
fonts) to the output column; :func:`column_size` makes a size fit.

Each strategy has one colour everywhere (:data:`STRATEGY_COLORS`, from the
colour-blind safe Okabe–Ito palette; :func:`color_for`).

The package has three modules: :mod:`nbtune.plots.tables` (the data
functions; importing it does not import matplotlib), :mod:`nbtune.plots.style`
(colours, sizes, axes) and :mod:`nbtune.plots.figures` (the draw functions), and
:mod:`nbtune.plots.many_runs` (the draw functions for many runs of a replay:
median bands, regret, the probability that one strategy beats another), and
:mod:`nbtune.plots.tuning` (what to tune first: importance, the isolation study,
the learning-rate range test, parallel coordinates, the spread of a search's
outcome against its trials; their numbers come from :mod:`nbtune.analysis`).
Names are imported from them when first used.

Examples
--------
>>> import pandas as pd
>>> from nbtune import SearchResult
>>> from nbtune.plots import best_so_far
>>> result = SearchResult(pd.DataFrame({
...     "strategy": "grid", "units": [8, 16, 32], "score": [0.90, 0.85, 0.93],
...     "epochs_spent": [3, 3, 3]}))
>>> best_so_far(result, x="epochs")[["epochs", "best_score"]].to_numpy().tolist()
[[3.0, 0.9], [6.0, 0.9], [9.0, 0.93]]
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "STRATEGY_COLORS",
    "color_for",
    "COLUMN_INCHES",
    "column_size",
    "plot_style",
    "trial_scores",
    "plot_trial_scores",
    "best_so_far",
    "plot_best_so_far",
    "score_by_param",
    "plot_score_by_param",
    "sampled_points",
    "plot_sampled_points",
    "hyperband_rounds",
    "plot_hyperband_rounds",
    "cv_results_table",
    "plot_cv_results",
    "plot_hyperband_schedule",
    "plot_comparison",
    "best_so_far_bands",
    "plot_best_so_far_bands",
    "final_regret",
    "plot_regret",
    "win_probability",
    "who_wins",
    "verdict",
    "Verdict",
    "plot_win_probability",
    "plot_importance",
    "plot_isolation",
    "plot_lr_range",
    "plot_parallel_coordinates",
    "plot_sampling_spread",
]

_MODULES = {
    "tables": ("trial_scores", "best_so_far", "score_by_param", "sampled_points",
               "hyperband_rounds", "cv_results_table", "best_so_far_bands", "final_regret",
               "win_probability", "who_wins", "verdict", "Verdict"),
    "style": ("STRATEGY_COLORS", "color_for", "COLUMN_INCHES", "column_size", "plot_style"),
    "many_runs": ("plot_best_so_far_bands", "plot_regret", "plot_win_probability"),
    "tuning": ("plot_importance", "plot_isolation", "plot_lr_range", "plot_parallel_coordinates",
               "plot_sampling_spread"),
}


def __getattr__(name: str) -> Any:
    """Import a name from its module when first used (the data functions need no matplotlib)."""
    if name not in __all__:
        raise AttributeError(f"module 'nbtune.plots' has no attribute {name!r}")
    module = next((m for m, names in _MODULES.items() if name in names), "figures")
    value = getattr(importlib.import_module(f"nbtune.plots.{module}"), name)
    globals()[name] = value
    return value
