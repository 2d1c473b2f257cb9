"""Draw functions for many runs of each strategy (a replay): bands, regret, who beats whom.

Each draws what its data function of :mod:`nbtune.plots.tables` returns
(:func:`~nbtune.plots.tables.best_so_far_bands`,
:func:`~nbtune.plots.tables.final_regret`,
:func:`~nbtune.plots.tables.win_probability`) and takes ``ax=None`` and
``presentation=False`` like every nbtune plot.

Examples
--------
>>> import pandas as pd
>>> from nbtune import SearchResult
>>> result = SearchResult(pd.DataFrame({"strategy": "random", "units": [8, 16, 8, 16],
...     "score": [0.5, 0.9, 0.7, 0.8], "repeat": [0, 0, 1, 1], "trial": [0, 1, 0, 1]}))
>>> plot_best_so_far_bands(result).get_ylabel()
'best validation score so far'
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, NullLocator

from nbtune.language import gettext_for_figures as _
from nbtune.language import mark
from nbtune.plots.style import (
    add_legend,
    color_for,
    decorate_axes,
    new_axes,
    score_label,
    style_for,
    zoom_limits,
)
from nbtune.plots.tables import (
    axis_label,
    best_so_far_bands,
    check_images,
    final_regret,
    win_probability,
)
from nbtune.search.results import SearchResult

#: The title of :func:`plot_win_probability` at a budget ``at`` in each unit (translated where drawn).
WIN_TITLES = {
    "trials": mark("P(row beats column) after {at:g} trials"),
    "epochs": mark("P(row beats column) after {at:g} epochs"),
    "seconds": mark("P(row beats column) after {at:g} seconds"),
}

def plot_best_so_far_bands(result: SearchResult, *, x: str = "trials", ax: Axes | None = None,
                           presentation: bool = False) -> Axes:
    """The median best score so far of each strategy's runs, with the middle half shaded.

    The y axis spans where the strategies end: each one's median and middle
    half at its last cost, at least 1.5 % of the best median wide
    (:func:`~nbtune.plots.style.zoom_limits`), so that medians a validation
    image apart look apart; the curves rise into it from below.

    Parameters
    ----------
    result : SearchResult
        A replay's, with a ``repeat`` column.
    x : {"trials", "epochs", "seconds"}, default "trials"
        Seconds of a replay are the table's simulated seconds.
    ax : matplotlib Axes, optional
    presentation : bool, default False

    Returns
    -------
    matplotlib Axes
    """
    table = best_so_far_bands(result, x=x)
    style = style_for(presentation)
    ax = new_axes(ax, style)
    runs = {s: int(table.loc[table["strategy"] == s, "runs"].max()) if (table["strategy"] == s).any() else 0
            for s in result.strategies}
    alike = len(set(runs.values())) == 1
    for strategy in result.strategies:
        part = table[table["strategy"] == strategy]
        color = color_for(strategy)
        ax.step(part[x], part["median"], where="post", color=color, linewidth=style.line,
                label=strategy if alike else _("{strategy} ({count} runs)").format(strategy=strategy,
                                                                                 count=runs[strategy]))
        ax.fill_between(part[x], part["q25"], part["q75"], step="post", color=color, alpha=0.18,
                        linewidth=0)
    ends = table.groupby("strategy").tail(1)
    ax.set_ylim(*zoom_limits(table[["median", "q25", "q75"]].to_numpy(),
                             focus=ends[["median", "q25", "q75"]].to_numpy()))
    ax.set_xlim(left=0)
    xlabel = axis_label(result, x)
    if alike and runs:
        title = _("Best so far: the median of {count} runs (line) and their middle half (band)").format(
            count=next(iter(runs.values())))
    else:
        title = _("Best so far: the median (line) and their middle half (band)")
    decorate_axes(ax, style, title=title, xlabel=xlabel,
                  ylabel=_("best {score} so far").format(score=score_label(result.scoring)), grid="both")
    add_legend(ax, style, outside=True)  # off the curves, which rise into the zoomed axis from below
    return ax


def plot_regret(result: SearchResult, true_best: float, *, images: int | None = None,
                ax: Axes | None = None, presentation: bool = False) -> Axes:
    """How far below the table's true best each strategy's runs ended: one box per strategy.

    With ``images`` (the number of validation rows), the regret is counted in
    validation images (or rows): ``regret * images``, so 1 means one image
    fewer right than the true best.  The y axis is symmetric-log: linear from 0
    to 1 image (or to the smallest regret above 0, without ``images``), then
    logarithmic, so that runs 0, 1 and 2 images off are as far apart as runs
    10, 20 and 40 off, and the long whiskers still fit.  Each run is a dot,
    spread sideways within its strategy's column only.

    Parameters
    ----------
    result : SearchResult
        A replay's, with a ``repeat`` column.
    true_best : float
        The best score in the table (:func:`~nbtune.plots.tables.final_regret`).
    images : int, optional
        Validation rows the scores were counted on (360 for ``nbtune.data.load_digits``).
    ax : matplotlib Axes, optional
    presentation : bool, default False

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> result = SearchResult(pd.DataFrame({"strategy": "grid", "units": [8, 16],
    ...     "score": [0.9, 0.95], "repeat": [0, 1], "trial": [0, 0]}))
    >>> ax = plot_regret(result, 0.96, images=100)
    >>> [t.get_text() for t in ax.get_xticklabels()], ax.get_yscale(), ax.get_ylabel()
    (['grid'], 'symlog', 'regret (validation images)')
    """
    images = check_images(images)
    table = final_regret(result, true_best)
    style = style_for(presentation)
    ax = new_axes(ax, style)
    strategies = result.strategies
    unit = float(images) if images else 1.0
    data = [unit * table.loc[table["strategy"] == s, "regret"].dropna().to_numpy() for s in strategies]
    boxes = ax.boxplot(data, widths=0.5, patch_artist=True, showfliers=False,
                       medianprops={"color": "black", "linewidth": style.line})
    for patch, strategy in zip(boxes["boxes"], strategies):
        patch.set(facecolor=color_for(strategy), alpha=0.35)
    jitter = np.random.default_rng(0)
    for i, (values, strategy) in enumerate(zip(data, strategies), start=1):
        ax.scatter(i + jitter.uniform(-0.15, 0.15, values.size), values, s=style.marker * 0.4,
                   color=color_for(strategy), zorder=3, linewidths=0)
    ax.set_xticks(range(1, len(strategies) + 1), strategies)
    every = np.concatenate(data) if data else np.zeros(0)
    positive = every[every > 0]
    linear = 1.0 if images else (float(positive.min()) if positive.size else 1.0)
    ax.set_yscale("symlog", linthresh=linear, linscale=0.6)
    top = float(every.max()) if every.size else linear
    ax.set_ylim(min(0.0, float(every.min()) if every.size else 0.0) - 0.1 * linear, max(top, linear) * 1.4)
    if images:
        ticks = [v for v in (0, 1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300) if v <= max(top, 1) * 1.4]
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.set_yticklabels([str(v) for v in ticks])
        ax.yaxis.set_minor_locator(NullLocator())
    label = _("regret (validation images)") if images else _("regret (score)")
    decorate_axes(ax, style, title=_("How far each run's choice is below the table's true best"),
                  xlabel="", ylabel=label)
    return ax


def plot_win_probability(result: SearchResult, *, x: str = "seconds", at: float | None = None,
                         ax: Axes | None = None, presentation: bool = False) -> Axes:
    """P(a run of the row's strategy beats one of the column's), with its 95 % interval.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> result = SearchResult(pd.DataFrame({"strategy": ["a", "a", "b", "b"], "units": 8,
    ...     "score": [0.9, 0.8, 0.7, 0.85], "repeat": [0, 1, 0, 1], "trial": 0}))
    >>> len(plot_win_probability(result, x="trials").texts)
    2
    """
    table = win_probability(result, x=x, at=at)
    style = style_for(presentation)
    ax = new_axes(ax, style, size=(6.4, 4.6))
    names = result.strategies
    grid = np.full((len(names), len(names)), np.nan)
    for row in table.itertuples():
        i, j = names.index(row.strategy), names.index(row.versus)
        grid[i, j] = row.probability
        dark = abs(row.probability - 0.5) > 0.3  # the ends of the colour map
        ax.text(j, i, f"{row.probability:.2f}\n[{row.low:.2f}, {row.high:.2f}]", ha="center",
                va="center", fontsize=style.small, color="white" if dark else "black")
    ax.imshow(grid, cmap="RdBu", vmin=0, vmax=1, aspect="auto")  # cells as wide as their numbers
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
    ax.set_yticks(range(len(names)), names)
    title = _("P(row beats column) after the whole budget") if at is None else _(WIN_TITLES[x]).format(at=at)
    decorate_axes(ax, style, title=title, xlabel=_("versus"), ylabel=_("strategy"), grid="")
    return ax
