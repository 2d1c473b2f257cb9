"""nbtune's draw functions: each draws what its data function returns, on ``ax``.

Each ``plot_...`` takes ``ax=None`` (a new figure when None), draws, and
returns the Axes (:func:`plot_comparison`: the Figure). None calls
``plt.show()`` or changes matplotlib's global style.

Why one module of about 780 lines: it is a catalogue, one short draw function per
data function of :mod:`nbtune.plots.tables`, in the order of the table in
:mod:`nbtune.plots`; what they share (colours, sizes, axes) is in
:mod:`nbtune.plots.style`, and replays' many-run plots in :mod:`nbtune.plots.many_runs`.

Examples
--------
>>> import pandas as pd
>>> from nbtune import SearchResult
>>> result = SearchResult(pd.DataFrame({"strategy": "grid", "units": [8, 16], "score": [0.9, 0.8]}))
>>> plot_trial_scores(result).get_ylabel()
'validation score'
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, MaxNLocator

from nbtune.arguments import check_flag, check_whole
from nbtune.language import gettext_for_figures as _
from nbtune.language import mark, prepare_figures
from nbtune.language import ngettext_for_figures as ngettext
from nbtune.plots.style import (
    COLUMN_INCHES,
    FAILED_COLOR,
    add_legend,
    axis_for,
    below_handle,
    category_offsets,
    color_for,
    crowded,
    decorate_axes,
    figure_size,
    mark_outside,
    marker_for,
    marker_handle,
    new_axes,
    score_label,
    set_axis,
    style_for,
    wrap,
    zoom_limits,
)
from nbtune.plots.tables import (
    X_COST_COLUMN,
    axis_label,
    best_so_far,
    check_result,
    cv_results_table,
    hyperband_rounds,
    ok_rows,
    sampled_points,
    score_by_param,
    trial_scores,
    value_label,
)
from nbtune.search.results import SearchResult
from nbtune.search.schedule import hyperband_schedule

#: The title of a best-so-far plot against each cost (translated where it is drawn).
BEST_SO_FAR_TITLES = {
    "trials": mark("Best so far against trials run"),
    "epochs": mark("Best so far against epochs trained"),
    "seconds": mark("Best so far against seconds spent"),
}
#: The titles of :func:`plot_comparison`'s three best-so-far panels.
PANEL_TITLES = {
    "trials": mark("Best so far vs trials"),
    "epochs": mark("Best so far vs epochs"),
    "seconds": mark("Best so far vs seconds"),
}
#: What a panel of :func:`plot_comparison` says when no trial recorded its cost.
NOT_RECORDED = {"epochs": mark("no epochs recorded"), "seconds": mark("no seconds recorded")}


def param_label(param: str, kind: str) -> str:
    """The axis label of a hyperparameter: its name, and "(log scale)" on a log axis.

    Examples
    --------
    >>> param_label("learning_rate", "log"), param_label("units", "linear")
    ('learning_rate (log scale)', 'units')
    """
    return _("{param} (log scale)").format(param=param) if kind == "log" else param


def plot_trial_scores(result: SearchResult, *, ax: Axes | None = None, presentation: bool = False) -> Axes:
    """A strip plot of every trial's score, one column per strategy.

    The best trial of each strategy is a star, and the test score of each
    strategy's best configuration (when the result has one) an open diamond
    beside it.  The y axis is zoomed to what the figure compares: it spans the
    stars and the diamonds, at least 1.5 % of the best score wide
    (:func:`~nbtune.plots.style.zoom_limits`), so that bests a few validation
    images apart look apart.  Trials scoring below it are drawn as triangles on
    its bottom edge, failed trials as crosses there (both at their strategy's
    column, counted in the legend).  Points are spread sideways within their
    strategy's column only; their height is their score.
    A new figure is wider with more strategies, up to
    :data:`~nbtune.plots.COLUMN_INCHES`; past it they share that width.

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
    >>> many = SearchResult(pd.DataFrame({"strategy": ["grid", "random", "hyperband", "bayesian"],
    ...                                   "units": 8, "score": [0.9, 0.8, 0.85, 0.95]}))
    >>> plot_trial_scores(many, presentation=True).figure.get_size_inches().tolist()
    [8.0, 5.25]
    """
    table = trial_scores(result)
    style = style_for(presentation)
    # + the legend; past the notebook's column, the strategies share it, the figure no lower
    width = min(max(4.0, 1.6 * len(result.strategies) + 2.5) + 1.8, COLUMN_INCHES)
    ax = new_axes(ax, style, size=(width, 4.2))
    rng = np.random.default_rng(0)  # the same jitter every time (along the strategies, not the scores)
    strategies = result.strategies
    tests = [result.test_scores[s] for s in strategies if s in result.test_scores]
    ok_all = ok_rows(table).to_numpy()
    scores = table["score"].to_numpy(dtype=float)
    low, high = zoom_limits(np.append(scores[ok_all], tests),
                            focus=np.append(scores[table["best"].to_numpy() & ok_all], tests))
    ax.set_ylim(low, high)
    any_failed = any_test = False
    below = 0
    for position, strategy in enumerate(strategies):
        color = color_for(strategy)
        part = table[table["strategy"] == strategy]
        jitter = position + rng.uniform(-0.18, 0.18, size=len(part))
        ok = ok_rows(part).to_numpy()
        ax.scatter(jitter[ok], part["score"][ok], s=style.marker, color=color, alpha=0.7,
                   edgecolors="white", linewidths=0.5 * style.scale, zorder=2)
        best = part["best"].to_numpy()
        ax.scatter(jitter[best], part["score"][best], s=style.marker * 4, marker="*", color=color,
                   edgecolors="black", linewidths=0.8 * style.scale, zorder=3)
        below += mark_outside(ax, jitter[ok], part["score"][ok], style, color=color)
        if (~ok).any():
            any_failed = True
            mark_outside(ax, jitter[~ok], np.full((~ok).sum(), np.nan), style, color=FAILED_COLOR,
                         marker="x", gid="failed")
        if strategy in result.test_scores:
            any_test = True
            ax.scatter([position + 0.32], [result.test_scores[strategy]], s=style.marker * 1.5, marker="D",
                       facecolors="white", edgecolors=color, linewidths=style.line * 0.8, zorder=3)
    counts = table["strategy"].value_counts()
    ax.xaxis.set_major_locator(FixedLocator(range(len(strategies))))
    ax.set_xticklabels([ngettext("{strategy}\n{count} trial", "{strategy}\n{count} trials", int(counts[s]))
                        .format(strategy=s, count=counts[s]) for s in strategies])
    for label, strategy in zip(ax.get_xticklabels(), strategies):
        label.set_color(color_for(strategy))
    ax.set_xlim(-0.6, len(strategies) - 0.4)
    score = score_label(result.scoring)
    decorate_axes(ax, style, title=_("{score} of every trial, by strategy").format(score=score.capitalize()),
                  xlabel="", ylabel=score)
    handles = [marker_handle(_("trial"), style), marker_handle(_("best of its strategy"), style, marker="*",
                                                                 color="black", face="0.35", size=11)]
    if any_test:
        handles.append(marker_handle(_("test score of the best"), style, marker="D", face="white", size=6))
    if below:
        handles.append(below_handle(below, style, low))
    if any_failed:
        handles.append(marker_handle(_("failed (no score)"), style, marker="x", color=FAILED_COLOR))
    add_legend(ax, style, handles, outside=True)
    return ax


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
    but do not improve it; on the bottom edge before any score).  The y axis
    spans the strategies' final bests, at least 1.5 % of the best score wide
    (:func:`~nbtune.plots.style.zoom_limits`): where they end, a few validation
    images apart, is what it compares; a curve enters from below when its
    strategy reaches that range.

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
    'epochs trained (all trials)'
    """
    table = best_so_far(result, x=x)
    style = style_for(presentation)
    ax = new_axes(ax, style)
    finals = table.groupby("strategy")["best_score"].max()
    low, high = zoom_limits(table["best_score"], focus=finals)
    any_failed = False
    for strategy in result.strategies:
        part = table[(table["strategy"] == strategy) & table[x].notna()]
        if part.empty:
            continue
        color = color_for(strategy)
        best = part["best_score"].max()
        label = (_("{strategy}: best {best:.3f}").format(strategy=strategy, best=best) if pd.notna(best)
                 else _("{strategy}: no score yet").format(strategy=strategy))
        ax.step(part[x], part["best_score"], where="post", color=color, linewidth=style.line,
                label=label, zorder=2)
        up = part[part["improved"]]
        ax.scatter(up[x], up["best_score"], s=style.marker * 0.8, color=color, zorder=3,
                   edgecolors="white", linewidths=0.5 * style.scale)
        failed = part[part["status"] != "ok"]
        if not failed.empty:
            any_failed = True
            scored = failed["best_score"].notna()
            ax.scatter(failed.loc[scored, x], failed.loc[scored, "best_score"], s=style.marker, marker="x",
                       color=FAILED_COLOR, linewidths=style.line * 0.8, zorder=4)
            ax.set_ylim(low, high)
            mark_outside(ax, failed.loc[~scored, x], np.full((~scored).sum(), np.nan), style,
                         color=FAILED_COLOR, marker="x", gid="failed")
    if x == "trials":
        ax.xaxis.set_major_locator(MaxNLocator("auto", integer=True))  # as many as fit
    ax.set_xlim(left=0)
    ax.set_ylim(low, high)
    score = score_label(result.scoring)
    decorate_axes(ax, style, title=_(BEST_SO_FAR_TITLES[x]), xlabel=axis_label(result, x),
                  ylabel=_("best {score} so far").format(score=score), grid="both")
    handles = ax.get_legend_handles_labels()[0]
    if any_failed:
        handles.append(marker_handle(_("failed trial (cost, no score)"), style, marker="x",
                                     color=FAILED_COLOR))
    add_legend(ax, style, handles, loc="best")
    return ax


def plot_score_by_param(
    result: SearchResult, param: str, *, ax: Axes | None = None, presentation: bool = False
) -> Axes:
    """The score of every trial against one hyperparameter, by strategy.

    The x axis is logarithmic when the values are positive and span a decade
    or more (learning rates), categorical for strings and booleans
    (activations, optimizers).  Every point is drawn at its value: strategies
    that tried the same number overlap, told apart by their markers and seen
    through their transparency; only on a categorical axis are they set side by
    side within the category's slot.  The y axis spans each strategy's
    better three quarters of scores, at least 1.5 % of the best score wide (:func:`~nbtune.plots.style.zoom_limits`): the shape of the good
    region, with differences of a few validation images visible; lower scores
    (at a bad value, or a short Hyperband trial) are triangles on its
    bottom edge, failed trials crosses there, at their value.

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
    style = style_for(presentation)
    ax = new_axes(ax, style, size=(8.0, 4.2))
    kind, categories, xs = axis_for(table[param])
    strategies = result.strategies
    offsets = category_offsets(len(strategies)) if kind == "category" else np.zeros(len(strategies))
    ok_all = ok_rows(table).to_numpy()
    scores = table["score"].to_numpy(dtype=float)
    good = scores[ok_all]
    scored = table.loc[ok_all, ["strategy", "score"]]
    quarter = scored.groupby("strategy")["score"].transform(lambda s: s.quantile(0.25))
    upper = scored["score"][scored["score"] >= quarter]  # each strategy's better three quarters
    low, high = zoom_limits(good, focus=upper)
    ax.set_ylim(low, high)
    any_failed = False
    below = 0
    for index, strategy in enumerate(strategies):
        mask = (table["strategy"] == strategy).to_numpy()
        part = table[mask]
        ok = ok_rows(part).to_numpy()
        color = color_for(strategy)
        where = xs[mask] + offsets[index]  # a category's slot; a number's own value
        ax.scatter(where[ok], part["score"][ok], s=style.marker * 1.2, color=color, alpha=0.6,
                   marker=marker_for(strategy, index), edgecolors=color, linewidths=0.8 * style.scale,
                   label=_("{strategy} ({count} trials)").format(strategy=strategy, count=len(part)),
                   zorder=2)
        below += mark_outside(ax, where[ok], part["score"][ok], style, color=color)
        if (~ok).any():
            any_failed = True
            mark_outside(ax, where[~ok], np.full((~ok).sum(), np.nan), style, color=FAILED_COLOR,
                         marker="x", gid="failed")
    set_axis(ax, "x", kind, categories, xs)
    if kind != "category":
        ax.margins(x=0.08)
    ax.set_ylim(low, high)
    score = score_label(result.scoring)
    decorate_axes(ax, style, title=_("{score} against {param}").format(score=score.capitalize(), param=param),
                  xlabel=param_label(param, kind), ylabel=score)
    handles = ax.get_legend_handles_labels()[0]
    if below:
        handles.append(below_handle(below, style, low))
    if any_failed:
        handles.append(marker_handle(_("failed (no score)"), style, marker="x", color=FAILED_COLOR))
    add_legend(ax, style, handles, outside=True)
    return ax


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
    the epochs a trial was trained for.  Every point is drawn at its values:
    strategies that sampled the same point overlap, told apart by their
    markers and seen through their transparency (only on a categorical axis
    are they set side by side within the category's slot); a failed trial has
    a red edge.  Log and categorical axes are chosen as in
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
    style = style_for(presentation)
    ax = new_axes(ax, style, size=(8.0, 4.8))
    x_kind, x_categories, xs = axis_for(table[x_param])
    y_kind, y_categories, ys = axis_for(table[y_param])
    epochs = table["train_epochs"].astype(float)
    most = float(epochs.max()) if epochs.notna().any() else 1.0
    area = style.marker * (0.6 + 2.4 * (epochs.fillna(most) / most).to_numpy())
    strategies = result.strategies
    # side by side only within a category's slot; a number is drawn at its value
    x_offsets = category_offsets(len(strategies)) if x_kind == "category" else np.zeros(len(strategies))
    y_offsets = category_offsets(len(strategies)) if y_kind == "category" else np.zeros(len(strategies))
    for index, strategy in enumerate(strategies):
        mask = (table["strategy"] == strategy).to_numpy()
        color = color_for(strategy)
        failed = ~ok_rows(table[mask]).to_numpy()
        order = np.argsort(-area[mask], kind="stable")  # small markers on top of large ones
        ax.scatter(xs[mask][order] + x_offsets[index], ys[mask][order] + y_offsets[index],
                   s=area[mask][order], color=color, alpha=0.45, marker=marker_for(strategy, index),
                   edgecolors=np.where(failed[order], FAILED_COLOR, color),
                   linewidths=0.9 * style.scale,
                   label=_("{strategy} ({count} trials)").format(strategy=strategy, count=mask.sum()),
                   zorder=2)
    set_axis(ax, "x", x_kind, x_categories, xs)
    set_axis(ax, "y", y_kind, y_categories, ys)
    if x_kind != "category":
        ax.margins(x=0.1)
    if y_kind != "category":
        ax.margins(y=0.12)
    ax.autoscale_view()
    title = _("Where each strategy sampled {x_param} × {y_param}").format(x_param=x_param, y_param=y_param)
    decorate_axes(ax, style, title=title, xlabel=param_label(x_param, x_kind),
                  ylabel=param_label(y_param, y_kind), grid="both")
    handles = ax.get_legend_handles_labels()[0]
    if epochs.notna().any() and epochs.nunique() > 1:
        for value in sorted({float(epochs.min()), most}):
            size = math.sqrt(style.marker * (0.6 + 2.4 * value / most)) / style.scale
            # the plural for any epochs but exactly 1 (1.5 epochs too): ngettext takes a whole number
            label = ngettext("trained {epochs} epoch", "trained {epochs} epochs", 1 if value == 1 else 2)
            handles.append(marker_handle(label.format(epochs=value_label(value)), style, color="0.45",
                                         face="0.8", size=size))
    if (table["status"] != "ok").any():
        handles.append(marker_handle(_("failed"), style, color=FAILED_COLOR, face="0.9"))
    add_legend(ax, style, handles, outside=True)
    return ax


def plot_hyperband_rounds(
    result: SearchResult, *, strategy: str = "hyperband", ax: Axes | None = None, presentation: bool = False
) -> Axes:
    """Hyperband's trials, bracket by bracket and round by round.

    Each group of columns is a bracket, each column a round (with the epochs
    its models have been trained for); a line joins a configuration to its
    promoted self in the next round.  Scores of short trials are lower: they
    are compared only with trials of the same round.  The y axis spans the
    trials Hyperband kept (promoted, or the best of their round), at least 1.5 %
    of the best score wide (:func:`~nbtune.plots.style.zoom_limits`): where
    each round's cut fell; trials far below it are triangles on its bottom
    edge, in their round's column.  A new figure is at most
    :data:`~nbtune.plots.COLUMN_INCHES` wide; where its columns are too narrow
    for "round 0 / 1 ep", the rounds are labelled with their epochs alone, and a
    bracket's name too wide for its columns is shortened to b0, b1...

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
    style = style_for(presentation)
    groups = list(dict.fromkeys(zip(table["iteration"], table["bracket"])))
    n_columns = sum(b + 1 for _, b in groups) + len(groups) - 1
    # + the legend; past the notebook's column, the columns get narrower, the figure no lower
    width = min(max(5.0, 0.9 * n_columns + 2.0) + 2.4, COLUMN_INCHES)
    ax = new_axes(ax, style, size=(width, 4.4))
    color = color_for(strategy)
    positions, end, short_ticks = _round_columns(ax, table, groups, style)
    keys = zip(table["iteration"], table["bracket"], table["round"])
    xs = np.array([positions[key] for key in keys], dtype=float)
    xs = xs + np.random.default_rng(0).uniform(-0.15, 0.15, size=len(xs))  # the same jitter
    ok = ok_rows(table).to_numpy()
    ys = np.where(ok, table["score"].to_numpy(dtype=float), np.nan)
    low, high = zoom_limits(ys, focus=_round_focus(table, ok))
    ax.set_ylim(low, high + 0.14 * (high - low))  # room for the bracket names
    promotions = _draw_promotions(ax, table, xs, ys, color, style)
    _draw_round_points(ax, xs, ys, ok, color, style)
    below = mark_outside(ax, xs[ok], ys[ok], style, color=color)
    if (~ok).any():
        mark_outside(ax, xs[~ok], ys[~ok], style, color=FAILED_COLOR, marker="x", gid="failed")
    ax.set_xlim(-1.0, end - 1.0)  # a column's margin at each end, as between brackets
    names = _name_brackets(ax, table, groups, style)
    score = score_label(result.scoring)
    title = ngettext("Hyperband: {trials} trials in {brackets} bracket, {promoted} promoted",
                     "Hyperband: {trials} trials in {brackets} brackets, {promoted} promoted", len(groups))
    decorate_axes(ax, style, title=title.format(trials=len(table), brackets=len(groups), promoted=promotions),
                  xlabel=_("round (epochs trained by then)"), ylabel=score)
    handles = [marker_handle(_("trial"), style, color=color),
               marker_handle(_("promoted: same\nconfiguration,\ntrained longer"), style, color=color,
                             marker="None", line="-"),
               marker_handle(_("best"), style, marker="*", color="black", face=color, size=11)]
    if below:
        handles.append(below_handle(below, style, low))
    if (~ok).any():
        handles.append(marker_handle(_("failed (no score)"), style, marker="x", color=FAILED_COLOR))
    add_legend(ax, style, handles, outside=True)
    _shorten_crowded_labels(ax, short_ticks, names, style)
    return ax


def _round_focus(table: pd.DataFrame, ok: np.ndarray) -> np.ndarray:
    """The scores a Hyperband figure is about: the trials promoted to the next round, their
    promoted selves, and the best of each round (the models it kept, and where each round's cut fell)."""
    parents = set(table["parent"].dropna().astype(int))
    kept = table["trial"].isin(parents).to_numpy() | table["parent"].notna().to_numpy()
    scores = table["score"].where(ok)
    best = scores == scores.groupby([table["iteration"], table["bracket"], table["round"]]).transform("max")
    return scores[kept | best.to_numpy()].to_numpy(dtype=float)


def _round_columns(ax: Axes, table: pd.DataFrame, groups: list, style: Any) -> tuple[dict, int, list]:
    """One column per (run, bracket, round), labelled with the round and its epochs; separators
    between brackets. Returns the column of each (run, bracket, round), the next free one and
    shorter labels (the epochs alone) for columns too narrow for these."""
    start, positions, ticks = 0, {}, []
    for iteration, bracket in groups:
        in_group = table[(table["iteration"] == iteration) & (table["bracket"] == bracket)]
        for round_ in range(bracket + 1):
            epochs = in_group.loc[in_group["round"] == round_, "train_epochs"].max()
            positions[(iteration, bracket, round_)] = start + round_
            known = pd.notna(epochs)
            label = _("round {round}").format(round=round_)
            if known:
                label += "\n" + _("{epochs} ep").format(epochs=value_label(epochs))
            ticks.append((start + round_, label, value_label(epochs) if known else f"r{round_}"))
        if start:
            ax.axvline(start - 1, color="0.75", linewidth=style.thin, zorder=0)
        start += bracket + 2
    ax.xaxis.set_major_locator(FixedLocator([p for p, _, _ in ticks]))
    ax.set_xticklabels([t for _, t, _ in ticks])
    return positions, start, [short for _, _, short in ticks]


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
    """The trials as dots, the best as a star (failed ones: :func:`mark_outside`)."""
    ax.scatter(xs[ok], ys[ok], s=style.marker, color=color, edgecolors="white",
               linewidths=0.5 * style.scale, zorder=2)
    if ok.any():
        best = int(np.nanargmax(np.where(ok, ys, -np.inf)))
        ax.scatter([xs[best]], [ys[best]], s=style.marker * 4, marker="*", color=color, edgecolors="black",
                   linewidths=0.8 * style.scale, zorder=3)


def _name_brackets(ax: Axes, table: pd.DataFrame, groups: list, style: Any) -> list[tuple]:
    """Each bracket's name above its columns (with the run, when Hyperband repeated).

    Returns, for each, its Text, shorter names to try if it is too wide (b0, b1...)
    and the x span (data) it may take: from separator to separator."""
    several = table["iteration"].nunique() > 1
    start, names = 0, []
    for iteration, bracket in groups:
        run = _("(run {run})").format(run=iteration + 1) if several else ""
        shorter = [f"b{bracket} {run}".strip(), f"b{bracket}"]
        name = (_("bracket {bracket}").format(bracket=bracket) + " " + run).strip()
        text = ax.text(start + bracket / 2, 0.97, name, ha="center", va="top",
                       transform=ax.get_xaxis_transform(), fontsize=style.small, fontweight="bold",
                       color="0.25")
        names.append((text, shorter, (start - 1, start + bracket + 1)))
        start += bracket + 2
    return names


def _shorten_crowded_labels(ax: Axes, short_ticks: list[str], names: list[tuple], style: Any) -> None:
    """Lay the figure out once; where the round labels overlap, label the rounds with their
    epochs alone, and where a bracket's name is wider than its columns, a shorter one."""
    ax.figure.figure.draw_without_rendering()  # the root figure: it lays out its subfigures too
    if crowded([label.get_window_extent() for label in ax.get_xticklabels()], gap=2 * style.scale):
        ax.set_xticklabels(short_ticks)
        ax.set_xlabel(_("epochs trained by the end of each round"), fontsize=style.font)
    margin = 4 * style.scale  # pixels, off the separators
    for text, shorter, (low, high) in names:
        x0, x1 = ax.transData.transform([(low, 0), (high, 0)])[:, 0]
        for name in shorter:
            box = text.get_window_extent()
            if x0 + margin <= box.x0 and box.x1 <= x1 - margin:
                break
            text.set_text(name)


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
    if check_flag("sort", sort):
        table = table.sort_values(["rank", "label"], na_position="last", kind="stable")
    style = style_for(presentation)
    ax = new_axes(ax, style, size=(7.0, max(2.6, 0.42 * len(table) + 1.6)))
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
               linewidths=1.0 * style.scale, zorder=3, label=_("best"))
    values = ax.secondary_yaxis("right")  # the numbers, right of the plot (never on the bars)
    values.yaxis.set_major_locator(FixedLocator(ys))
    values.set_yticklabels([
        (f"{mean:.3f} ± {std:.3f}" if std > 0 else f"{mean:.3f}") if good else _("failed")
        for mean, std, good in zip(means, np.nan_to_num(stds), ok)
    ])
    values.tick_params(labelsize=style.small, length=0)
    for label, good in zip(values.get_yticklabels(), ok):
        label.set_color("0.2" if good else FAILED_COLOR)
    ax.yaxis.set_major_locator(FixedLocator(ys))
    ax.set_yticklabels(table["label"])
    ax.set_ylim(len(table) - 0.5, -0.5)  # first configuration on top
    ax.margins(x=0.15)
    scoring = table.attrs.get("scoring")
    score = cv_score_label(scoring)
    fixed = table.attrs["fixed"]
    has_std = np.isfinite(stds[ok]).any() and np.nan_to_num(stds[ok]).any()
    title = (_("Cross-validation: mean ± std of each configuration") if has_std
             else _("Score of each configuration"))
    if fixed:
        values = ", ".join(f"{k}={value_label(v)}" for k, v in fixed.items())
        title += "\n" + _("({values} in all)").format(values=values)
    xlabel = (_("mean {score} over the CV folds (bar: ± 1 std)").format(score=score) if has_std
              else _("validation {score}").format(score=score))
    decorate_axes(ax, style, title=title, xlabel=xlabel, ylabel="", grid="x")
    add_legend(ax, style, loc="best")
    return ax


def cv_score_label(scoring: str | None) -> str:
    """What a ``cv_results_`` plot's score is: 'accuracy', 'score (<scoring>)' or 'score'.

    Examples
    --------
    >>> cv_score_label("accuracy"), cv_score_label("f1"), cv_score_label(None)
    ('accuracy', 'score (f1)', 'score')
    """
    if scoring == "accuracy":
        return _("accuracy")
    return _("score ({scoring})").format(scoring=scoring) if scoring else _("score")


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
    :func:`nbtune.search.schedule.hyperband_schedule`.

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
    hyperband_iterations = check_whole("hyperband_iterations", hyperband_iterations,
                                       hint=", e.g. hyperband_iterations=1")
    # every iteration repeats the same brackets: one is drawn, the totals count them all
    first = hyperband_schedule(max_epochs, factor, 1)
    style = style_for(presentation)
    brackets = list(dict.fromkeys(first["bracket"]))  # in the order keras-tuner runs them
    ax = new_axes(ax, style, size=(7.0, max(2.8, 1.0 * len(brackets) + 1.6)))
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
        _("bracket {bracket}\n{epochs} epochs").format(
            bracket=b, epochs=int(first.loc[first["bracket"] == b, "total_epochs"].sum()))
        for b in brackets
    ]
    ax.yaxis.set_major_locator(FixedLocator([len(brackets) - 1 - k + 0.25 for k in range(len(brackets))]))
    ax.set_yticklabels(labels)
    ax.set_ylim(-0.1, len(brackets) + 0.06)  # room for the number on the tallest bar
    ax.axvline(max_epochs, color="0.3", linestyle=":", linewidth=style.thin * 1.5, zorder=1)
    ax.set_xlim(0, max_epochs * 1.04)
    ax.xaxis.set_major_locator(MaxNLocator("auto", integer=True))  # as many as fit
    runs = f", hyperband_iterations={hyperband_iterations}" if hyperband_iterations > 1 else ""
    tuner = f"Hyperband(max_epochs={max_epochs}, factor={factor}{runs})"
    totals = _("{tuner}: {trials} trials, {epochs} epochs in all").format(
        tuner=tuner, trials=hyperband_iterations * int(first["trials"].sum()),
        epochs=hyperband_iterations * int(first["total_epochs"].sum()))
    title = totals + "\n" + _("each bar is a round; its number: models trained in it")
    if runs:
        xlabel = _("epochs a model has been trained for (none beyond max_epochs={max_epochs}); "
                   "the brackets run {count} times").format(max_epochs=max_epochs, count=hyperband_iterations)
    else:
        xlabel = _("epochs a model has been trained for (none beyond max_epochs={max_epochs})").format(
            max_epochs=max_epochs)
    decorate_axes(ax, style, title=title, ylabel="", xlabel=xlabel, grid="x")
    ax.tick_params(axis="y", length=0)
    return ax


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
        :data:`~nbtune.plots.COLUMN_INCHES` wide: :func:`plot_trial_scores`
        across the top, and below it :func:`plot_best_so_far` with
        ``x="trials"``, ``"epochs"`` and ``"seconds"`` on one y axis, two by
        two with their shared legend in the fourth place.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> from nbtune.plots import COLUMN_INCHES, plot_comparison
    >>> result = SearchResult(pd.DataFrame({
    ...     "strategy": ["grid", "grid", "random"], "units": [8, 16, 8], "score": [0.9, 0.95, 0.93],
    ...     "epochs_spent": [3, 3, 3], "seconds": [1.0, 1.2, 0.9]}))
    >>> figure = plot_comparison(result, presentation=True)
    >>> [ax.get_title() for ax in figure.axes[1:4]]
    ['Best so far vs trials', 'Best so far vs epochs', 'Best so far vs seconds']
    >>> print(figure.get_figwidth() <= COLUMN_INCHES)  # fits the notebook's column
    True
    """
    result = check_result(result)
    style = style_for(presentation)
    prepare_figures()
    figure = plt.figure(figsize=figure_size(style, (8.0, 8.4)), layout="constrained")
    top, bottom = figure.subfigures(2, 1, height_ratios=[1.15, 2])  # each its own layout
    scores = top.add_subplot()
    axes = bottom.subplot_mosaic([["trials", "epochs"], ["seconds", "legend"]])
    plot_trial_scores(result, ax=scores, presentation=presentation)
    drawn = [ax for x in ("trials", "epochs", "seconds")
             if (ax := _draw_cost_panel(result, x, axes[x], style, presentation)) is not None]
    _share_y(drawn)
    _move_legend(drawn, axes["legend"], style)
    for ax in drawn:
        ax.set_ylabel(score_label(result.scoring) if ax in (axes["trials"], axes["seconds"]) else "",
                      fontsize=style.font)
    title = _("Comparing {strategies}:\nwhat each found, and what it cost").format(
        strategies=", ".join(result.strategies))
    size = style.title * 1.15
    figure.suptitle(wrap(title, figure.get_figwidth(), size, bold=True), fontsize=size, fontweight="bold")
    return figure


def _draw_cost_panel(result: SearchResult, x: str, ax: Axes, style: Any, presentation: bool) -> Axes | None:
    """:func:`plot_best_so_far` against ``x`` on ``ax`` (None, and a note, when no trial recorded it)."""
    if x != "trials" and result.trials[X_COST_COLUMN[x]].isna().all():
        ax.text(0.5, 0.5, _(NOT_RECORDED[x]), ha="center", va="center", transform=ax.transAxes,
                fontsize=style.font)
        ax.set_axis_off()
        return None
    plot_best_so_far(result, x=x, ax=ax, presentation=presentation)
    ax.set_title(_(PANEL_TITLES[x]), fontsize=style.title)
    return ax


def _share_y(drawn: list[Axes]) -> None:
    """One y range for all of ``drawn``: their scores can be compared across panels."""
    low = min(ax.get_ylim()[0] for ax in drawn)
    high = max(ax.get_ylim()[1] for ax in drawn)
    for ax in drawn:
        ax.set_ylim(low, high)


def _move_legend(drawn: list[Axes], target: Axes, style: Any) -> None:
    """The legend of the panels ``drawn`` (the same strategies and bests in each), once, alone
    on ``target``."""
    legend = drawn[0].get_legend()
    handles, labels = legend.legend_handles, [t.get_text() for t in legend.get_texts()]
    for ax in drawn:
        ax.get_legend().remove()
    target.set_axis_off()
    target.legend(handles, labels, loc="center", fontsize=style.small, framealpha=0.9)
