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

Each strategy has one colour everywhere (:data:`STRATEGY_COLORS`, from the
colour-blind safe Okabe–Ito palette; :func:`color_for`).

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

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, MaxNLocator, NullFormatter, NullLocator
from matplotlib.transforms import offset_copy

from nbtune.formatting import format_value, to_python
from nbtune.results import SearchResult
from nbtune.schedule import hyperband_schedule

__all__ = [
    "STRATEGY_COLORS",
    "color_for",
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
]

#: One colour per strategy, used by every plot (Okabe–Ito, colour-blind safe).
STRATEGY_COLORS: dict[str, str] = {
    "grid": "#0072B2",  # blue
    "random": "#E69F00",  # orange
    "hyperband": "#009E73",  # bluish green
    "bayesian": "#CC79A7",  # reddish purple
    "successive_halving": "#56B4E9",  # sky blue
}
_OTHER_COLOR = "#7F7F7F"  # grey: any other strategy
_FAILED_COLOR = "#D55E00"  # vermillion (Okabe–Ito): failed trials are marked in it too
_X_CHOICES = {
    "trials": "trials run",
    "epochs": "epochs trained (all trials, all folds)",
    "seconds": "seconds of training (wall time)",
}
_X_COST_COLUMN = {"epochs": "epochs_spent", "seconds": "seconds"}


def color_for(strategy: str) -> str:
    """The colour of a strategy in every nbtune plot.

    Parameters
    ----------
    strategy : str
        A key of :data:`STRATEGY_COLORS` (``"grid"``, ``"random"``,
        ``"hyperband"``, ``"bayesian"``, ``"successive_halving"``); any other name
        is drawn in grey.

    Returns
    -------
    str
        A hex colour.

    Examples
    --------
    >>> from nbtune.plots import color_for
    >>> color_for("grid"), color_for("my_search")
    ('#0072B2', '#7F7F7F')
    """
    return STRATEGY_COLORS.get(str(strategy), _OTHER_COLOR)


# --------------------------------------------------------------------- style
@dataclass(frozen=True)
class _Style:
    """Sizes for one drawing; ``presentation`` scales them by 1.5."""

    scale: float = 1.0

    @property
    def font(self) -> float:
        return 10 * self.scale

    @property
    def small(self) -> float:
        return 9 * self.scale

    @property
    def title(self) -> float:
        return 11 * self.scale

    @property
    def line(self) -> float:
        return 1.8 * self.scale

    @property
    def thin(self) -> float:
        return 0.9 * self.scale

    @property
    def marker(self) -> float:
        """Scatter marker area in points², scaled like a line width."""
        return 36 * self.scale**2


def _style(presentation: bool) -> _Style:
    return _Style(1.5 if presentation else 1.0)


def _axes(ax: Axes | None, style: _Style, size: tuple[float, float] = (6.4, 4.2)) -> Axes:
    """``ax``, or the Axes of a new figure (a bit larger for presentation)."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax={ax!r} is not a matplotlib Axes; pass e.g. ax=plt.gca() or leave it None")
        return ax
    grow = 1.25 if style.scale > 1 else 1.0
    _, ax = plt.subplots(figsize=(size[0] * grow, size[1] * grow), layout="constrained")
    return ax


def _decorate(ax: Axes, style: _Style, *, title: str, xlabel: str, ylabel: str, grid: str = "y") -> None:
    """Title, labels and tick sizes, set on this Axes only."""
    ax.set_title(title, fontsize=style.title)
    ax.set_xlabel(xlabel, fontsize=style.font)
    ax.set_ylabel(ylabel, fontsize=style.font)
    ax.tick_params(labelsize=style.small, width=style.thin, length=3.5 * style.scale)
    for spine in ax.spines.values():
        spine.set_linewidth(style.thin)
    if grid:
        ax.grid(True, axis=grid, alpha=0.35, linewidth=0.7 * style.scale)
        ax.set_axisbelow(True)


def _legend(ax: Axes, style: _Style, handles: list | None = None, *, outside: bool = False,
            **kwargs: Any) -> None:
    """A legend in this Axes' fonts; ``outside`` puts it right of the Axes, off the data."""
    if outside:
        kwargs.update(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    kwargs.setdefault("loc", "best")
    if handles is None:
        ax.legend(fontsize=style.small, framealpha=0.9, **kwargs)
    else:
        ax.legend(handles=handles, fontsize=style.small, framealpha=0.9, **kwargs)


def _marker_handle(label: str, style: _Style, *, marker: str = "o", color: str = "0.35",
                   face: str | None = None, size: float = 7, line: str = "none") -> Line2D:
    """A legend entry for a kind of marker (not tied to a strategy's colour)."""
    return Line2D([], [], linestyle=line, marker=marker, color=color, markersize=size * style.scale,
                  markerfacecolor=face if face is not None else color,
                  markeredgecolor=color, linewidth=style.line, label=label)


def _score_label(scoring: str | None) -> str:
    """What the score is, for axis labels: 'validation accuracy' or 'validation score'."""
    if scoring in ("accuracy", "val_accuracy"):
        return "validation accuracy"
    if isinstance(scoring, str) and scoring:
        return f"validation score ({scoring})"
    return "validation score"


def _value_key(value: Any) -> Any:
    """A hyperparameter value as a dict key: numpy scalars as Python ones, NaN as None."""
    value = to_python(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _label(value: Any) -> str:
    """A hyperparameter value on an axis or in a legend: short (4 significant digits)."""
    return format_value(value, digits=4)


# ---------------------------------------------------------------- checking
def _check_result(result: Any, *, name: str = "result") -> SearchResult:
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


def _check_param(result: SearchResult, value: Any, argument: str) -> str:
    if value not in result.param_names:
        raise ValueError(
            f"{argument}={value!r} is not a hyperparameter of this result; "
            f"it has {result.param_names}"
        )
    return value


def _check_x(x: Any) -> str:
    if x not in _X_CHOICES:
        raise ValueError(f"x={x!r} is not allowed; use one of {list(_X_CHOICES)}, e.g. x='epochs'")
    return x


def _in_run_order(trials: pd.DataFrame) -> pd.DataFrame:
    """Trials of one strategy in the order they ran (by trial number; stable)."""
    return trials.sort_values("trial", kind="stable")


def _ok(trials: pd.DataFrame) -> pd.Series:
    return (trials["status"] == "ok") & trials["score"].notna()


def _failed_level(scores: pd.Series | np.ndarray) -> float:
    """A y value just below every score, where failed trials (no score) are drawn."""
    scores = pd.Series(scores, dtype=float).dropna()
    if scores.empty:
        return 0.0
    low, high = float(scores.min()), float(scores.max())
    return low - 0.08 * ((high - low) or max(abs(low), 1.0) * 0.1)


# ---------------------------------------------------------- axis helpers
def _axis_kind(values: pd.Series) -> str:
    """How to draw a hyperparameter's axis.

    "category" for strings and booleans, "log" for positive numbers spanning a
    decade or more (max / min >= 10), else "linear".
    """
    present = values.dropna()
    if present.empty:
        return "linear"
    if pd.api.types.is_bool_dtype(present) or any(isinstance(v, (bool, np.bool_)) for v in present):
        return "category"
    numbers = pd.to_numeric(present, errors="coerce")
    if numbers.isna().any():
        return "category"
    low, high = float(numbers.min()), float(numbers.max())
    if low > 0 and high / low >= 10:
        return "log"
    return "linear"


def _categories(values: pd.Series) -> list:
    present = list(dict.fromkeys(values.dropna()))
    try:
        return sorted(present)
    except TypeError:
        return sorted(present, key=str)


def _positions(values: pd.Series, kind: str, categories: list | None) -> np.ndarray:
    if kind == "category":
        index = {c: i for i, c in enumerate(categories)}
        return np.array([index.get(v, np.nan) for v in values], dtype=float)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def _axis_for(values: pd.Series) -> tuple[str, list | None, np.ndarray]:
    kind = _axis_kind(values)
    categories = _categories(values) if kind == "category" else None
    return kind, categories, _positions(values, kind, categories)


def _set_axis(ax: Axes, which: str, kind: str, categories: list | None, values: np.ndarray) -> None:
    """Log scale, category ticks, or ticks at the values when there are few of them."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    if kind == "category":
        axis.set_major_locator(FixedLocator(range(len(categories))))
        getattr(ax, f"set_{which}ticklabels")([_label(c) for c in categories])
        getattr(ax, f"set_{which}lim")(-0.5, len(categories) - 0.5)
        return
    if kind == "log":
        getattr(ax, f"set_{which}scale")("log")
    distinct = np.unique(values[np.isfinite(values)])
    if 0 < len(distinct) <= 8 and _well_apart(distinct, log=kind == "log"):
        axis.set_major_locator(FixedLocator(distinct))
        getattr(ax, f"set_{which}ticklabels")([_label(v) for v in distinct])
        axis.set_minor_locator(NullLocator())
        axis.set_minor_formatter(NullFormatter())


def _well_apart(distinct: np.ndarray, *, log: bool) -> bool:
    """True when labels at these values will not overlap (grid values, not random samples)."""
    if len(distinct) < 2:
        return True
    where = np.log10(distinct) if log and distinct.min() > 0 else distinct
    span = where.max() - where.min()
    return bool(np.min(np.diff(where)) >= 0.08 * span)


def _dodge(ax: Axes, index: int, count: int, style: _Style, *, along: str = "x", radius: float = 6.0):
    """A data transform shifted a few points for strategy ``index`` of ``count``,
    so strategies that tried the same value do not hide each other."""
    if count <= 1:
        return ax.transData
    radius *= style.scale
    if along == "x":
        dx, dy = (index - (count - 1) / 2) * 2 * radius / max(count - 1, 1), 0.0
    else:  # around a ring, for 2-D plots
        angle = 2 * math.pi * index / count + math.pi / 4
        dx, dy = radius * math.cos(angle), radius * math.sin(angle)
    return offset_copy(ax.transData, fig=ax.figure, x=dx, y=dy, units="points")


def _include(ax: Axes, xs: np.ndarray, ys: np.ndarray) -> None:
    """Let autoscaling see points drawn with a :func:`_dodge` transform (it ignores them)."""
    points = np.column_stack([np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)])
    points = points[np.isfinite(points).all(axis=1)]
    if len(points):
        ax.update_datalim(points)


# ================================================== 1. score of every trial
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
    result = _check_result(result)
    table = result.trials[["strategy", "trial", "score", "status", "train_epochs"]].copy()
    table["best"] = False
    ok = table[_ok(table)]
    if not ok.empty:
        best_rows = ok.groupby("strategy", sort=False)["score"].idxmax()
        table.loc[best_rows.to_numpy(), "best"] = True
    return table.reset_index(drop=True)


def plot_trial_scores(result: SearchResult, *, ax: Axes | None = None, presentation: bool = False) -> Axes:
    """A strip plot of every trial's score, one column per strategy.

    Failed trials are drawn as crosses below the lowest score, the best trial
    of each strategy as a star, and the test score of each strategy's best
    configuration (when the result has one) as an open diamond beside it.

    Parameters
    ----------
    result : SearchResult
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    presentation : bool, default False
        Larger fonts, lines and markers, for a projector.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import plot_trial_scores
    >>> result = SearchResult(pd.DataFrame({"strategy": ["grid", "grid", "random"],
    ...                                     "units": [8, 16, 8], "score": [0.9, 0.95, 0.9]}))
    >>> ax = plot_trial_scores(result)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['grid\\n2 trials', 'random\\n1 trial']
    """
    table = trial_scores(result)
    style = _style(presentation)
    ax = _axes(ax, style, size=(max(4.0, 1.6 * len(result.strategies) + 2.5) + 1.8, 4.2))  # + the legend
    rng = np.random.default_rng(0)  # the same jitter every time
    failed_y = _failed_level(table["score"])
    strategies = result.strategies
    any_failed = any_test = False
    for position, strategy in enumerate(strategies):
        color = color_for(strategy)
        part = table[table["strategy"] == strategy]
        jitter = position + rng.uniform(-0.18, 0.18, size=len(part))
        ok = _ok(part).to_numpy()
        ax.scatter(jitter[ok], part["score"][ok], s=style.marker, color=color, alpha=0.7,
                   edgecolors="white", linewidths=0.5 * style.scale, zorder=2)
        best = part["best"].to_numpy()
        ax.scatter(jitter[best], part["score"][best], s=style.marker * 4, marker="*", color=color,
                   edgecolors="black", linewidths=0.8 * style.scale, zorder=3)
        if (~ok).any():
            any_failed = True
            ax.scatter(jitter[~ok], np.full((~ok).sum(), failed_y), s=style.marker * 1.2, marker="x",
                       color=_FAILED_COLOR, linewidths=style.line * 0.8, zorder=3)
        if strategy in result.test_scores:
            any_test = True
            ax.scatter([position + 0.32], [result.test_scores[strategy]], s=style.marker * 1.5, marker="D",
                       facecolors="white", edgecolors=color, linewidths=style.line * 0.8, zorder=3)
    counts = table["strategy"].value_counts()
    ax.xaxis.set_major_locator(FixedLocator(range(len(strategies))))
    ax.set_xticklabels([f"{s}\n{counts[s]} trial{'s' if counts[s] != 1 else ''}" for s in strategies])
    for label, strategy in zip(ax.get_xticklabels(), strategies):
        label.set_color(color_for(strategy))
    ax.set_xlim(-0.6, len(strategies) - 0.4)
    ax.margins(y=0.08)  # the stars of scores at the top stay inside
    score = _score_label(result.scoring)
    _decorate(ax, style, title=f"{score.capitalize()} of every trial, by strategy", xlabel="",
              ylabel=score)
    handles = [_marker_handle("trial", style), _marker_handle("best of its strategy", style, marker="*",
                                                              color="black", face="0.35", size=11)]
    if any_test:
        handles.append(_marker_handle("test score of the best", style, marker="D", face="white", size=6))
    if any_failed:
        handles.append(_marker_handle("failed (no score)", style, marker="x", color=_FAILED_COLOR))
    _legend(ax, style, handles, outside=True)
    return ax


# ========================================================= 2. best so far
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
    x = _check_x(x)
    result = _check_result(result)
    if x != "trials" and result.trials[_X_COST_COLUMN[x]].isna().all():
        raise ValueError(
            f"x={x!r}: no trial of this result recorded its {_X_COST_COLUMN[x]} "
            "(e.g. a result made from cv_results_ without n_splits); use x='trials'"
        )
    parts = []
    for strategy in result.strategies:
        trials = _in_run_order(result.trials[result.trials["strategy"] == strategy])
        part = trials[["strategy", "trial", "status", "score"]].copy()
        if x == "trials":
            part[x] = np.arange(1, len(part) + 1, dtype=float)
        else:
            cost = trials[_X_COST_COLUMN[x]].astype(float)
            part[x] = cost.fillna(0).cumsum() if cost.notna().any() else np.nan
        scores = part["score"].where(_ok(part))
        part["best_score"] = scores.cummax().ffill()
        previous = part["best_score"].shift(1)
        part["improved"] = scores.notna() & (previous.isna() | (scores > previous))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def plot_best_so_far(
    result: SearchResult,
    *,
    x: str = "trials",
    ax: Axes | None = None,
    presentation: bool = False,
) -> Axes:
    """The best score so far of each strategy against what it has spent.

    What each strategy buys for its cost: ``x="trials"`` counts trials,
    ``x="epochs"`` epochs trained (a Hyperband trial of 1 epoch costs less
    than a grid trial of 10) and ``x="seconds"`` wall time.  Dots mark the
    trials that improved the best score, crosses the failed trials (they cost
    but do not improve it).

    Parameters
    ----------
    result : SearchResult
        Also a partial result of a running search (a live panel may redraw).
    x : {"trials", "epochs", "seconds"}, default "trials"
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    presentation : bool, default False
        Larger fonts, lines and markers, for a projector.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import plot_best_so_far
    >>> result = SearchResult(pd.DataFrame({
    ...     "strategy": ["grid", "grid", "hyperband"], "units": [8, 16, 8],
    ...     "score": [0.9, 0.95, 0.93], "epochs_spent": [10, 10, 2]}))
    >>> ax = plot_best_so_far(result, x="epochs")
    >>> ax.get_xlabel()
    'epochs trained (all trials, all folds)'
    """
    table = best_so_far(result, x=x)
    style = _style(presentation)
    ax = _axes(ax, style)
    failed_y = _failed_level(table["best_score"])
    any_failed = False
    for strategy in result.strategies:
        part = table[(table["strategy"] == strategy) & table[x].notna()]
        if part.empty:
            continue
        color = color_for(strategy)
        best = part["best_score"].max()
        label = f"{strategy}: best {best:.3f}" if pd.notna(best) else f"{strategy}: no score yet"
        ax.step(part[x], part["best_score"], where="post", color=color, linewidth=style.line,
                label=label, zorder=2)
        up = part[part["improved"]]
        ax.scatter(up[x], up["best_score"], s=style.marker * 0.8, color=color, zorder=3,
                   edgecolors="white", linewidths=0.5 * style.scale)
        failed = part[part["status"] != "ok"]
        if not failed.empty:
            any_failed = True
            ax.scatter(failed[x], failed["best_score"].fillna(failed_y), s=style.marker, marker="x",
                       color=_FAILED_COLOR, linewidths=style.line * 0.8, zorder=4)
    if x == "trials":
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(left=0)
    titles = {"trials": "trials run", "epochs": "epochs trained", "seconds": "seconds spent"}
    score = _score_label(result.scoring)
    _decorate(ax, style, title=f"Best so far against {titles[x]}", xlabel=_X_CHOICES[x],
              ylabel=f"best {score} so far", grid="both")
    handles, _ = ax.get_legend_handles_labels()
    if any_failed:
        handles.append(_marker_handle("failed trial (cost, no score)", style, marker="x",
                                      color=_FAILED_COLOR))
    _legend(ax, style, handles, loc="best")
    return ax


# ============================================== 3. score against one param
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
    result = _check_result(result)
    param = _check_param(result, param, "param")
    columns = ["strategy", "trial", param, "score", "status", "train_epochs"]
    return result.trials[columns].reset_index(drop=True)


def plot_score_by_param(
    result: SearchResult, param: str, *, ax: Axes | None = None, presentation: bool = False
) -> Axes:
    """The score of every trial against one hyperparameter, by strategy.

    The x axis is logarithmic when the values are positive and span a decade
    or more (learning rates), categorical for strings and booleans
    (activations, optimizers).  Strategies that tried the same value are drawn
    side by side; failed trials are crosses below the lowest score.

    Parameters
    ----------
    result : SearchResult
    param : str
        One of ``result.param_names``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    presentation : bool, default False
        Larger fonts, lines and markers, for a projector.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import plot_score_by_param
    >>> result = SearchResult(pd.DataFrame({"strategy": "grid", "learning_rate": [1e-3, 1e-2, 1e-1],
    ...                                     "score": [0.8, 0.9, 0.85]}))
    >>> plot_score_by_param(result, "learning_rate").get_xscale()
    'log'
    """
    table = score_by_param(result, param)
    style = _style(presentation)
    ax = _axes(ax, style, size=(8.0, 4.2))
    kind, categories, xs = _axis_for(table[param])
    failed_y = _failed_level(table["score"])
    strategies = result.strategies
    any_failed = False
    for index, strategy in enumerate(strategies):
        mask = (table["strategy"] == strategy).to_numpy()
        part = table[mask]
        ok = _ok(part).to_numpy()
        color = color_for(strategy)
        transform = _dodge(ax, index, len(strategies), style)
        ax.scatter(xs[mask][ok], part["score"][ok], s=style.marker, color=color, alpha=0.75,
                   edgecolors="white", linewidths=0.5 * style.scale, transform=transform,
                   label=f"{strategy} ({len(part)} trials)", zorder=2)
        if (~ok).any():
            any_failed = True
            ax.scatter(xs[mask][~ok], np.full((~ok).sum(), failed_y), s=style.marker, marker="x",
                       color=_FAILED_COLOR, linewidths=style.line * 0.8, transform=transform, zorder=3)
    ok = _ok(table).to_numpy()
    _include(ax, xs, np.where(ok, table["score"].to_numpy(dtype=float), failed_y))
    _set_axis(ax, "x", kind, categories, xs)
    if kind != "category":
        ax.margins(x=0.08)
    ax.autoscale_view()
    score = _score_label(result.scoring)
    scale_note = " (log scale)" if kind == "log" else ""
    _decorate(ax, style, title=f"{score.capitalize()} against {param}", xlabel=f"{param}{scale_note}",
              ylabel=score)
    handles, _ = ax.get_legend_handles_labels()
    if any_failed:
        handles.append(_marker_handle("failed (no score)", style, marker="x", color=_FAILED_COLOR))
    _legend(ax, style, handles, outside=True)
    return ax


# ============================================ 4. where each strategy sampled
def _two_params(result: SearchResult, x_param: str | None, y_param: str | None) -> tuple[str, str]:
    if x_param is None or y_param is None:
        if len(result.param_names) < 2:
            raise ValueError(
                f"this result has {len(result.param_names)} hyperparameter(s) {result.param_names}; "
                "a 2-D plot needs two: search over a space with at least two dimensions"
            )
        x_param = result.param_names[0] if x_param is None else x_param
        y_param = next(n for n in result.param_names if n != x_param) if y_param is None else y_param
    _check_param(result, x_param, "x_param")
    _check_param(result, y_param, "y_param")
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
    result = _check_result(result)
    x_param, y_param = _two_params(result, x_param, y_param)
    columns = ["strategy", "trial", x_param, y_param, "train_epochs", "score", "status"]
    return result.trials[columns].reset_index(drop=True)


def plot_sampled_points(
    result: SearchResult,
    x_param: str | None = None,
    y_param: str | None = None,
    *,
    ax: Axes | None = None,
    presentation: bool = False,
) -> Axes:
    """Where each strategy sampled two hyperparameters.

    Grid search fills a lattice, random search scatters, Hyperband starts many
    short trials and trains a few of them longer: the marker area grows with
    the epochs a trial was trained for.  Strategies that sampled the same
    point are drawn around it, not on top of each other; a failed trial has a
    red edge.  Log and categorical axes are chosen as in
    :func:`plot_score_by_param`.

    Parameters
    ----------
    result : SearchResult
    x_param, y_param : str, optional
        Two of ``result.param_names``; by default the first two.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    presentation : bool, default False
        Larger fonts, lines and markers, for a projector.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import plot_sampled_points
    >>> result = SearchResult(pd.DataFrame({"strategy": "grid", "units": [8, 16],
    ...                                     "activation": ["relu", "tanh"], "score": [0.9, 0.95]}))
    >>> plot_sampled_points(result).get_ylabel()
    'activation'
    """
    table = sampled_points(result, x_param, y_param)
    x_param, y_param = table.columns[2], table.columns[3]
    style = _style(presentation)
    ax = _axes(ax, style, size=(8.0, 4.8))
    x_kind, x_categories, xs = _axis_for(table[x_param])
    y_kind, y_categories, ys = _axis_for(table[y_param])
    epochs = table["train_epochs"].astype(float)
    most = float(epochs.max()) if epochs.notna().any() else 1.0
    area = style.marker * (0.6 + 2.4 * (epochs.fillna(most) / most).to_numpy())
    strategies = result.strategies
    for index, strategy in enumerate(strategies):
        mask = (table["strategy"] == strategy).to_numpy()
        color = color_for(strategy)
        failed = ~_ok(table[mask]).to_numpy()
        order = np.argsort(-area[mask], kind="stable")  # small markers on top of large ones
        ax.scatter(xs[mask][order], ys[mask][order], s=area[mask][order], color=color, alpha=0.45,
                   edgecolors=np.where(failed[order], _FAILED_COLOR, color),
                   linewidths=0.9 * style.scale,
                   transform=_dodge(ax, index, len(strategies), style, along="ring"),
                   label=f"{strategy} ({mask.sum()} trials)", zorder=2)
    _include(ax, xs, ys)
    _set_axis(ax, "x", x_kind, x_categories, xs)
    _set_axis(ax, "y", y_kind, y_categories, ys)
    if x_kind != "category":
        ax.margins(x=0.1)
    if y_kind != "category":
        ax.margins(y=0.12)
    ax.autoscale_view()
    log = {True: " (log scale)", False: ""}
    _decorate(ax, style, title=f"Where each strategy sampled {x_param} × {y_param}",
              xlabel=f"{x_param}{log[x_kind == 'log']}", ylabel=f"{y_param}{log[y_kind == 'log']}", grid="both")
    handles, _ = ax.get_legend_handles_labels()
    if epochs.notna().any() and epochs.nunique() > 1:
        for value in sorted({float(epochs.min()), most}):
            size = math.sqrt(style.marker * (0.6 + 2.4 * value / most)) / style.scale
            label = f"trained {_label(value)} epoch{'s' if value != 1 else ''}"
            handles.append(_marker_handle(label, style, color="0.45", face="0.8", size=size))
    if (table["status"] != "ok").any():
        handles.append(_marker_handle("failed", style, color=_FAILED_COLOR, face="0.9"))
    _legend(ax, style, handles, outside=True)
    return ax


# ============================================ 5. Hyperband brackets and rounds
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
    result = _check_result(result)
    if strategy not in result.strategies:
        raise ValueError(
            f"strategy={strategy!r} is not in this result; it has {result.strategies}. "
            "Run Hyperband, e.g. nbtune.compare(..., strategies=['grid', 'random', 'hyperband'])"
        )
    trials = _in_run_order(result.trials[result.trials["strategy"] == strategy])
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
        values = tuple(_value_key(row[n]) for n in names)
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


def plot_hyperband_rounds(
    result: SearchResult, *, strategy: str = "hyperband", ax: Axes | None = None, presentation: bool = False
) -> Axes:
    """Hyperband's trials, bracket by bracket and round by round.

    Each group of columns is a bracket, each column a round (with the epochs
    its models have been trained for); a line joins a configuration to its
    promoted self in the next round.  Scores of short trials are lower: they
    are compared only with trials of the same round.

    Parameters
    ----------
    result : SearchResult
        A result with Hyperband trials.
    strategy : str, default "hyperband"
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    presentation : bool, default False
        Larger fonts, lines and markers, for a projector.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import plot_hyperband_rounds
    >>> result = SearchResult(pd.DataFrame({
    ...     "strategy": "hyperband", "units": [8, 16, 8], "score": [0.8, 0.7, 0.9],
    ...     "train_epochs": [1, 1, 3], "bracket": [1, 1, 1], "round": [0, 0, 1]}))
    >>> len(plot_hyperband_rounds(result).get_lines())  # one promotion
    1
    """
    table = hyperband_rounds(result, strategy)
    style = _style(presentation)
    groups = list(dict.fromkeys(zip(table["iteration"], table["bracket"])))
    n_columns = sum(b + 1 for _, b in groups) + len(groups) - 1
    ax = _axes(ax, style, size=(max(5.0, 0.9 * n_columns + 2.0) + 2.4, 4.4))  # + the legend
    color = color_for(strategy)
    positions, end = _round_columns(ax, table, groups, style)
    keys = zip(table["iteration"], table["bracket"], table["round"])
    xs = np.array([positions[key] for key in keys], dtype=float)
    xs = xs + np.random.default_rng(0).uniform(-0.15, 0.15, size=len(xs))  # the same jitter
    ok = _ok(table).to_numpy()
    ys = np.where(ok, table["score"].to_numpy(dtype=float), _failed_level(table["score"]))
    promotions = _draw_promotions(ax, table, xs, ys, color, style)
    _draw_round_points(ax, xs, ys, ok, color, style)
    ax.set_xlim(-0.6, end - 1.4)
    _name_brackets(ax, table, groups, style)
    score = _score_label(result.scoring)
    _decorate(ax, style, title=f"Hyperband: {len(table)} trials in {len(groups)} bracket"
              f"{'s' if len(groups) != 1 else ''}, {promotions} promoted",
              xlabel="round (epochs trained by then)", ylabel=score)
    handles = [_marker_handle("trial", style, color=color),
               _marker_handle("promoted: same\nconfiguration,\ntrained longer", style, color=color,
                              marker="None", line="-"),
               _marker_handle("best", style, marker="*", color="black", face=color, size=11)]
    if (~ok).any():
        handles.append(_marker_handle("failed (no score)", style, marker="x", color=_FAILED_COLOR))
    _legend(ax, style, handles, outside=True)
    return ax


def _round_columns(ax: Axes, table: pd.DataFrame, groups: list, style: Any) -> tuple[dict, int]:
    """One column per (run, bracket, round), labelled with the round's epochs; separators
    between brackets. Returns the column of each (run, bracket, round) and the next free one."""
    start, positions, ticks = 0, {}, []
    for iteration, bracket in groups:
        in_group = table[(table["iteration"] == iteration) & (table["bracket"] == bracket)]
        for round_ in range(bracket + 1):
            epochs = in_group.loc[in_group["round"] == round_, "train_epochs"].max()
            positions[(iteration, bracket, round_)] = start + round_
            label = f"round {round_}" + (f"\n{_label(epochs)} ep" if pd.notna(epochs) else "")
            ticks.append((start + round_, label))
        if start:
            ax.axvline(start - 1, color="0.75", linewidth=style.thin, zorder=0)
        start += bracket + 2
    ax.xaxis.set_major_locator(FixedLocator([p for p, _ in ticks]))
    ax.set_xticklabels([t for _, t in ticks])
    return positions, start


def _draw_promotions(ax: Axes, table: pd.DataFrame, xs: np.ndarray, ys: np.ndarray, color: Any,
                     style: Any) -> int:
    """A line from each promoted trial's parent to it; returns how many were drawn."""
    where = {trial: i for i, trial in enumerate(table["trial"])}
    promotions = 0
    for i, parent in enumerate(table["parent"]):
        if pd.notna(parent) and int(parent) in where:
            j = where[int(parent)]
            ax.plot([xs[j], xs[i]], [ys[j], ys[i]], color=color, alpha=0.55, linewidth=style.line * 0.7,
                    zorder=1, gid="promotion")
            promotions += 1
    return promotions


def _draw_round_points(ax: Axes, xs: np.ndarray, ys: np.ndarray, ok: np.ndarray, color: Any,
                       style: Any) -> None:
    """The trials as dots, the best as a star, failed ones as crosses."""
    ax.scatter(xs[ok], ys[ok], s=style.marker, color=color, edgecolors="white",
               linewidths=0.5 * style.scale, zorder=2)
    if ok.any():
        best = int(np.nanargmax(np.where(ok, ys, -np.inf)))
        ax.scatter([xs[best]], [ys[best]], s=style.marker * 4, marker="*", color=color, edgecolors="black",
                   linewidths=0.8 * style.scale, zorder=3)
    if (~ok).any():
        ax.scatter(xs[~ok], ys[~ok], s=style.marker * 1.2, marker="x", color=_FAILED_COLOR,
                   linewidths=style.line * 0.8, zorder=3)


def _name_brackets(ax: Axes, table: pd.DataFrame, groups: list, style: Any) -> None:
    """Each bracket's name above its columns (with the run, when Hyperband repeated)."""
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, top + 0.14 * (top - bottom))  # room for the bracket names
    several = table["iteration"].nunique() > 1
    start = 0
    for iteration, bracket in groups:
        name = f"bracket {bracket}" + (f" (run {iteration + 1})" if several else "")
        ax.text(start + bracket / 2, 0.97, name, transform=ax.get_xaxis_transform(), ha="center",
                va="top", fontsize=style.small, fontweight="bold", color="0.25")
        start += bracket + 2


# ===================================================== 6. cv_results_
def _cv_source(search: Any) -> tuple[pd.DataFrame, str | None]:
    """Rows (strategy, params, mean, std, status) and the scoring name."""
    if isinstance(search, SearchResult):
        result = _check_result(search, name="search")
        rows = []
        for _, trial in result.trials.iterrows():
            params = {n: trial[n] for n in result.param_names
                      if not (isinstance(trial[n], float) and math.isnan(trial[n]))}
            rows.append({"strategy": trial["strategy"], "params": params, "mean": trial["score"],
                         "std": trial["score_std"], "status": trial["status"]})
        return pd.DataFrame(rows), result.scoring
    cv_results = getattr(search, "cv_results_", search)
    if not isinstance(cv_results, Mapping) or "params" not in cv_results or "mean_test_score" not in cv_results:
        raise TypeError(
            f"search={type(search).__name__} is not a fitted GridSearchCV/RandomizedSearchCV, "
            "a cv_results_ dict (with 'params' and 'mean_test_score') or a SearchResult; "
            "fit the search first, then pass it or its cv_results_"
        )
    strategy = {"GridSearchCV": "grid", "RandomizedSearchCV": "random"}.get(type(search).__name__, "search")
    means = np.asarray(cv_results["mean_test_score"], dtype=float)
    stds = np.asarray(cv_results.get("std_test_score", np.full(len(means), np.nan)), dtype=float)
    rows = [
        {"strategy": strategy, "params": {k: _value_key(v) for k, v in params.items()},
         "mean": mean, "std": std, "status": "ok" if math.isfinite(mean) else "failed"}
        for params, mean, std in zip(cv_results["params"], means, stds)
    ]
    scoring = getattr(search, "scoring", None)
    if scoring is None and hasattr(search, "estimator"):
        from sklearn.base import is_classifier

        scoring = "accuracy" if is_classifier(search.estimator) else None
    return pd.DataFrame(rows), scoring if isinstance(scoring, str) else None


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
        return [_label(p.get(name, "–")) for p in rows["params"]]

    varying = [n for n in names if len(set(shown(n))) > 1]
    fixed = {n: rows["params"].iloc[0][n] for n in names if n not in varying and n in rows["params"].iloc[0]}
    labels = []
    for i, params in enumerate(rows["params"]):
        parts = [f"{n}={_label(params[n])}" for n in (varying or names) if n in params]
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


def plot_cv_results(
    search: Any, *, sort: bool = False, ax: Axes | None = None, presentation: bool = False
) -> Axes:
    """The lesson's ``cv_results_`` loop as a plot: mean ± std per configuration.

    One row per configuration, labelled by its hyperparameters; the dot is the
    mean score over the folds, the bar ± one standard deviation, the star the
    best configuration (``best_params_``).  Overlapping bars mean the folds
    cannot tell those configurations apart.

    Parameters
    ----------
    search : GridSearchCV, RandomizedSearchCV, dict or SearchResult
        See :func:`cv_results_table`.
    sort : bool, default False
        Best configuration first; by default the order of ``cv_results_``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    presentation : bool, default False
        Larger fonts, lines and markers, for a projector.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from nbtune.plots import plot_cv_results
    >>> cv = {"params": [{"batch_size": 10}, {"batch_size": 20}],
    ...       "mean_test_score": [0.91, 0.94], "std_test_score": [0.02, 0.01]}
    >>> [t.get_text() for t in plot_cv_results(cv).get_yticklabels()]
    ['batch_size=10', 'batch_size=20']
    """
    table = cv_results_table(search)
    if sort:
        table = table.sort_values(["rank", "label"], na_position="last", kind="stable")
    style = _style(presentation)
    ax = _axes(ax, style, size=(7.0, max(2.6, 0.42 * len(table) + 1.6)))
    several = table["strategy"].nunique() > 1
    ys = np.arange(len(table))
    ok = (table["status"] == "ok").to_numpy()
    means, stds = table["mean"].to_numpy(dtype=float), table["std"].to_numpy(dtype=float)
    for strategy in dict.fromkeys(table["strategy"]):
        mask = (table["strategy"] == strategy).to_numpy() & ok
        color = color_for(strategy)
        spread = np.nan_to_num(stds[mask])
        ax.errorbar(means[mask], ys[mask], xerr=spread if spread.any() else None, fmt="o", color=color,
                    markersize=6 * style.scale, elinewidth=style.line, capsize=4 * style.scale,
                    capthick=style.line, label=strategy if several else None, zorder=2)
    best = ok & (table["rank"].to_numpy(dtype=float) == 1)
    ax.scatter(means[best], ys[best], s=style.marker * 5, marker="*", color="white", edgecolors="black",
               linewidths=1.0 * style.scale, zorder=3, label="best")
    values = ax.secondary_yaxis("right")  # the numbers, right of the plot (never on the bars)
    values.yaxis.set_major_locator(FixedLocator(ys))
    values.set_yticklabels([
        (f"{mean:.3f} ± {std:.3f}" if std > 0 else f"{mean:.3f}") if good else "failed"
        for mean, std, good in zip(means, np.nan_to_num(stds), ok)
    ])
    values.tick_params(labelsize=style.small, length=0)
    for label, good in zip(values.get_yticklabels(), ok):
        label.set_color("0.2" if good else _FAILED_COLOR)
    ax.yaxis.set_major_locator(FixedLocator(ys))
    ax.set_yticklabels(table["label"])
    ax.set_ylim(len(table) - 0.5, -0.5)  # first configuration on top
    ax.margins(x=0.15)
    scoring = table.attrs.get("scoring")
    score = {"accuracy": "accuracy"}.get(scoring, f"score ({scoring})" if scoring else "score")
    fixed = table.attrs["fixed"]
    has_std = np.isfinite(stds[ok]).any() and np.nan_to_num(stds[ok]).any()
    title = "Cross-validation: mean ± std of each configuration" if has_std else "Score of each configuration"
    if fixed:
        title += "\n(" + ", ".join(f"{k}={_label(v)}" for k, v in fixed.items()) + " in all)"
    xlabel = f"mean {score} over the CV folds (bar: ± 1 std)" if has_std else f"validation {score}"
    _decorate(ax, style, title=title, xlabel=xlabel, ylabel="", grid="x")
    _legend(ax, style, loc="best")
    return ax


# ================================================== 7. Hyperband schedule
def plot_hyperband_schedule(
    max_epochs: int = 10,
    factor: int = 3,
    hyperband_iterations: int = 1,
    *,
    ax: Axes | None = None,
    presentation: bool = False,
) -> Axes:
    """What ``kt.Hyperband(max_epochs=..., factor=...)`` will train, before it runs.

    One row per bracket, in the order keras-tuner runs them.  A bracket starts
    many models, trains them a few epochs, keeps the best ``1/factor`` and
    trains those longer, round after round, until the last ones reach
    ``max_epochs``: each bar is a round, from the epochs its models had
    reached to the epochs they reach, its height (and the number on it) the
    number of models.  The area of a row is the epochs that bracket trains.
    No model trains more than ``max_epochs`` epochs, whatever ``epochs=`` is
    given to ``tuner.search``.  The numbers are
    :func:`nbtune.schedule.hyperband_schedule`.

    Parameters
    ----------
    max_epochs : int, default 10
    factor : int, default 3
    hyperband_iterations : int, default 1
        As in ``kt.Hyperband``; each iteration repeats the same brackets.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when None.
    presentation : bool, default False
        Larger fonts, lines and markers, for a projector.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from nbtune.plots import plot_hyperband_schedule
    >>> ax = plot_hyperband_schedule(max_epochs=10, factor=3)
    >>> ax.get_title().splitlines()[0]
    'Hyperband(max_epochs=10, factor=3): 30 trials, 120 epochs in all'
    """
    schedule = hyperband_schedule(max_epochs, factor, hyperband_iterations)
    style = _style(presentation)
    first = schedule[schedule["iteration"] == 0]
    brackets = list(dict.fromkeys(first["bracket"]))  # in the order keras-tuner runs them
    ax = _axes(ax, style, size=(7.0, max(2.8, 1.0 * len(brackets) + 1.6)))
    color = color_for("hyperband")
    most = float(first["trials"].max())
    for lane, bracket in enumerate(brackets):
        rounds = first[first["bracket"] == bracket].sort_values("round")
        base = len(brackets) - 1 - lane  # the first bracket on top
        heights = 0.78 * rounds["trials"].to_numpy() / most
        lefts = (rounds["epochs"] - rounds["new_epochs"]).to_numpy()
        ax.bar(lefts, heights, width=rounds["new_epochs"].to_numpy(), bottom=base, align="edge",
               color=color, alpha=0.75, edgecolor="black", linewidth=style.thin, zorder=2)
        for left, width, height, trials in zip(lefts, rounds["new_epochs"], heights, rounds["trials"]):
            ax.text(left + width / 2, base + height, str(trials), ha="center", va="bottom",
                    fontsize=style.small, color="0.15", zorder=3)
    labels = [
        f"bracket {b}\n{int(first.loc[first['bracket'] == b, 'total_epochs'].sum())} epochs"
        for b in brackets
    ]
    ax.yaxis.set_major_locator(FixedLocator([len(brackets) - 1 - k + 0.25 for k in range(len(brackets))]))
    ax.set_yticklabels(labels)
    ax.set_ylim(-0.1, len(brackets) - 0.02)
    ax.axvline(max_epochs, color="0.3", linestyle=":", linewidth=style.thin * 1.5, zorder=1)
    ax.set_xlim(0, max_epochs * 1.04)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    runs = f", hyperband_iterations={hyperband_iterations}" if hyperband_iterations > 1 else ""
    title = (f"Hyperband(max_epochs={max_epochs}, factor={factor}{runs}): "
             f"{int(schedule['trials'].sum())} trials, {int(schedule['total_epochs'].sum())} epochs in all\n"
             "each bar is a round; its number: models trained in it")
    repeat = f"; the brackets run {hyperband_iterations} times" if runs else ""
    _decorate(ax, style, title=title, ylabel="",
              xlabel=f"epochs a model has been trained for (none beyond max_epochs={max_epochs}){repeat}",
              grid="x")
    ax.tick_params(axis="y", length=0)
    return ax


# ================================================== all in one figure
def plot_comparison(result: SearchResult, *, presentation: bool = False) -> Figure:
    """Scores of every trial and best-so-far against trials, epochs and seconds.

    Parameters
    ----------
    result : SearchResult
    presentation : bool, default False
        Larger fonts, lines and markers, for a projector.

    Returns
    -------
    matplotlib Figure
        Four panels: :func:`plot_trial_scores` across the top, and below it
        :func:`plot_best_so_far` with ``x="trials"``, ``"epochs"`` and
        ``"seconds"`` on one y axis.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import plot_comparison
    >>> result = SearchResult(pd.DataFrame({
    ...     "strategy": ["grid", "grid", "random"], "units": [8, 16, 8], "score": [0.9, 0.95, 0.93],
    ...     "epochs_spent": [3, 3, 3], "seconds": [1.0, 1.2, 0.9]}))
    >>> len(plot_comparison(result).axes)
    4
    """
    result = _check_result(result)
    size = (15.0, 9.5) if presentation else (12.0, 7.6)
    figure = plt.figure(figsize=size, layout="constrained")
    axes = figure.subplot_mosaic([["scores", "scores", "scores"], ["trials", "epochs", "seconds"]])
    plot_trial_scores(result, ax=axes["scores"], presentation=presentation)
    drawn = []
    for x in ("trials", "epochs", "seconds"):
        ax = axes[x]
        if x != "trials" and result.trials[_X_COST_COLUMN[x]].isna().all():
            ax.text(0.5, 0.5, f"no {x} recorded", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            continue
        plot_best_so_far(result, x=x, ax=ax, presentation=presentation)
        ax.set_title(f"Best so far vs {x}", fontsize=ax.title.get_fontsize())
        drawn.append(ax)
    low = min(ax.get_ylim()[0] for ax in drawn)
    high = max(ax.get_ylim()[1] for ax in drawn)
    for ax in drawn:
        ax.set_ylim(low, high)
    for ax in drawn[1:]:  # same strategies, bests and y axis as the first
        ax.get_legend().remove()
        ax.set_ylabel("")
    style = _style(presentation)
    figure.suptitle(f"Comparing {', '.join(result.strategies)}: what each found, and what it cost",
                    fontsize=style.title * 1.15, fontweight="bold")
    return figure
