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

from nbtune.plots.style import (
    add_legend,
    color_for,
    decorate_axes,
    new_axes,
    score_label,
    style_for,
)
from nbtune.plots.tables import axis_label, best_so_far_bands, final_regret, win_probability
from nbtune.search.results import SearchResult


def plot_best_so_far_bands(result: SearchResult, *, x: str = "trials", ax: Axes | None = None,
                           presentation: bool = False) -> Axes:
    """The median best score so far of each strategy's runs, with the middle half shaded.

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
    for strategy in result.strategies:
        part = table[table["strategy"] == strategy]
        color = color_for(strategy)
        runs = int(part["runs"].max()) if len(part) else 0
        ax.step(part[x], part["median"], where="post", color=color, linewidth=style.line,
                label=f"{strategy} (median of {runs} runs)")
        ax.fill_between(part[x], part["q25"], part["q75"], step="post", color=color, alpha=0.18,
                        linewidth=0)
    ax.set_xlim(left=0)
    xlabel = axis_label(result, x)
    decorate_axes(ax, style, title="Best so far: median and middle half of the runs",
                  xlabel=xlabel, ylabel=f"best {score_label(result.scoring)} so far",
                  grid="both")
    add_legend(ax, style, loc="lower right")
    return ax


def plot_regret(result: SearchResult, true_best: float, *, ax: Axes | None = None,
                presentation: bool = False) -> Axes:
    """How far below the table's true best each strategy's runs ended: one box per strategy.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> result = SearchResult(pd.DataFrame({"strategy": "grid", "units": [8, 16],
    ...     "score": [0.9, 0.95], "repeat": [0, 1], "trial": [0, 0]}))
    >>> [t.get_text() for t in plot_regret(result, 0.96).get_xticklabels()]
    ['grid']
    """
    table = final_regret(result, true_best)
    style = style_for(presentation)
    ax = new_axes(ax, style)
    strategies = result.strategies
    data = [table.loc[table["strategy"] == s, "regret"].dropna().to_numpy() for s in strategies]
    boxes = ax.boxplot(data, widths=0.5, patch_artist=True, showfliers=False,
                       medianprops={"color": "black", "linewidth": style.line})
    for patch, strategy in zip(boxes["boxes"], strategies):
        patch.set(facecolor=color_for(strategy), alpha=0.35)
    jitter = np.random.default_rng(0)
    for i, (values, strategy) in enumerate(zip(data, strategies), start=1):
        ax.scatter(i + jitter.uniform(-0.15, 0.15, values.size), values, s=style.marker * 0.4,
                   color=color_for(strategy), zorder=3, linewidths=0)
    ax.set_xticks(range(1, len(strategies) + 1), strategies)
    ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    decorate_axes(ax, style, title="Regret: the table's best minus each run's best",
                  xlabel="strategy", ylabel="regret (0 = found the best)")
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
    budget = "the whole budget" if at is None else f"{at:g} {x}"
    decorate_axes(ax, style, title=f"P(row beats column) after {budget}", xlabel="versus",
                  ylabel="strategy", grid="")
    return ax
