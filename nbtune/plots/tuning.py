"""Draw functions for what to tune first: importance, isolation, the range test, parallel
coordinates and the spread of a search's outcome.

Each draws what a function of :mod:`nbtune.analysis` returns, takes ``ax=None``
(a new figure when None) and ``presentation=False`` like every nbtune plot, and
returns the Axes; none calls ``plt.show()`` or changes matplotlib's global style.

==========================================  =============================================
data (:mod:`nbtune.analysis`)                 draw
==========================================  =============================================
:func:`~nbtune.analysis.importance`          :func:`plot_importance`
:func:`~nbtune.analysis.isolation`           :func:`plot_isolation`
:func:`~nbtune.analysis.lr_range_test`       :func:`plot_lr_range`
:func:`~nbtune.analysis.parallel_coordinates`  :func:`plot_parallel_coordinates` (calls it)
:func:`~nbtune.analysis.sampling_spread`     :func:`plot_sampling_spread`
==========================================  =============================================

Examples
--------
>>> import pandas as pd
>>> shares = pd.DataFrame({"parameter": ["learning_rate", "units"], "kind": "main",
...                        "share": [0.5, 0.2]})
>>> [t.get_text() for t in plot_importance(shares).get_yticklabels()]
['units', 'learning_rate']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, NullLocator

from nbtune.analysis.parallel import parallel_coordinates
from nbtune.arguments import check_real, check_table, check_whole
from nbtune.language import gettext_for_figures as _
from nbtune.language import mark
from nbtune.plots.style import add_legend, decorate_axes, new_axes, style_for
from nbtune.plots.tables import check_images, check_true_best, value_label

MAIN_COLOR, PAIR_COLOR = "#0072B2", "#E69F00"  # Okabe-Ito blue and orange
LINE_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
#: The title of :func:`plot_importance` for each way the shares were found (translated where drawn).
IMPORTANCE_TITLES = {
    "grid": mark("Share of the score's variance (exact, over the full grid)"),
    "forest": mark("Share of the score's variance (a random forest's fANOVA)"),
}


def _finite(table: pd.DataFrame, column: str, name: str, made_by: str) -> pd.Series:
    """The finite values of ``table[column]``, or a ValueError when it has none."""
    values = pd.to_numeric(table[column], errors="coerce")
    finite = values[np.isfinite(values.to_numpy(dtype=float))]
    if finite.empty:
        raise ValueError(f"{name} has no finite {column!r} (every value is NaN or infinite): give "
                         f"what {made_by} returns")
    return finite


def _check_limits(name: str, limits: Any) -> tuple[float, float]:
    """``limits`` as (low, high) if they are two finite numbers, low below high."""
    if isinstance(limits, str) or not hasattr(limits, "__len__") or len(limits) != 2:
        raise TypeError(f"{name}={limits!r} is not allowed: give (low, high), e.g. {name}=(0.9, 1.0)")
    low, high = (check_real(name, v, hint=f", e.g. {name}=(0.9, 1.0)") for v in limits)
    if not low < high:
        raise ValueError(f"{name}={limits!r} is not allowed: give (low, high) with low < high, "
                         f"e.g. {name}=(0.9, 1.0)")
    return low, high


def _check_cmap(cmap: Any) -> Any:
    """``cmap`` if it is a matplotlib colour map or the name of one."""
    import difflib

    import matplotlib
    from matplotlib.colors import Colormap

    if isinstance(cmap, Colormap) or (isinstance(cmap, str) and cmap in matplotlib.colormaps):
        return cmap
    near = difflib.get_close_matches(str(cmap), list(matplotlib.colormaps), n=3)
    raise ValueError(f"cmap={cmap!r} is not a matplotlib colour map: use one of "
                     f"matplotlib.colormaps, e.g. cmap={(near or ['viridis'])[0]!r}")


def plot_importance(shares: pd.DataFrame, *, top: int | None = 8, ax: Axes | None = None,
                    presentation: bool = False) -> Axes:
    """Each hyperparameter's and pair's share of the score's variance, as horizontal bars.

    Parameters
    ----------
    shares : DataFrame
        What :func:`nbtune.analysis.importance` returns.
    top : int or None, default 8
        The largest shares drawn (None: all).
    ax : matplotlib Axes, optional
    presentation : bool, default False
        Larger fonts for a projector.

    Returns
    -------
    matplotlib Axes
    """
    check_table("shares", shares, ("parameter", "kind", "share"), made_by="nbtune.analysis.importance")
    if top is not None:
        top = check_whole("top", top, hint=", or top=None for all of them")
    if not np.isfinite(pd.to_numeric(shares["share"], errors="coerce").to_numpy(dtype=float)).all():
        raise ValueError("shares has NaN or infinite values in its 'share' column: give what "
                         "nbtune.analysis.importance returns")
    shown = shares.sort_values("share", ascending=False).head(top).iloc[::-1]
    style = style_for(presentation)
    ax = new_axes(ax, style, size=(6.4, 0.45 * len(shown) + 1.6))
    colors = [MAIN_COLOR if kind == "main" else PAIR_COLOR for kind in shown["kind"]]
    ax.barh(range(len(shown)), shown["share"], color=colors, height=0.7)
    for i, share in enumerate(shown["share"]):
        ax.text(share, i, f" {share:.2f}", va="center", fontsize=style.small)
    ax.set_yticks(range(len(shown)), shown["parameter"])
    ax.set_xlim(0, max(1e-9, float(shown["share"].max())) * 1.18)
    title = IMPORTANCE_TITLES.get(shares.attrs.get("method"), mark("Share of the score's variance"))
    decorate_axes(ax, style, title=_(title), xlabel=_("share of the variance of the score"), ylabel="",
                  grid="x")
    mains = (shown["kind"] == "main").to_numpy()
    handles = [Line2D([], [], color=c, linewidth=8 * style.scale, label=label)
               for c, label, drawn in ((MAIN_COLOR, _("alone (main effect)"), mains.any()),
                                       (PAIR_COLOR, _("pair (interaction)"), (~mains).any()))
               if drawn]
    add_legend(ax, style, handles, loc="lower right")
    return ax


def plot_isolation(study: pd.DataFrame, *, ylim: tuple[float, float] | None = None,
                   ax: Axes | None = None, presentation: bool = False) -> Axes:
    """The score against the nuisance hyperparameter, one line per value of the scientific one;
    a star on each line's best (the Playbook's isolation study).

    Parameters
    ----------
    study : DataFrame
        What :func:`nbtune.analysis.isolation` returns. With several nuisance
        hyperparameters, the line at each value of the first takes the best
        over the others.
    ylim : (float, float), optional
        The score axis. By default it is zoomed to the tops of the lines: from
        just below the lowest score next to a best point to just above the
        highest; lower scores leave the axis (the title says so).
    ax : matplotlib Axes, optional
    presentation : bool, default False

    Returns
    -------
    matplotlib Axes
    """
    check_table("study", study, ("score", "best"), made_by="nbtune.analysis.isolation")
    scientific, nuisance = study.attrs.get("scientific"), study.attrs.get("nuisance")
    if scientific is None or not nuisance:
        raise ValueError("the study has no attrs naming its scientific and nuisance "
                         "hyperparameters: give what nbtune.analysis.isolation returns (a copy "
                         "loses them: keep the study as isolation returned it)")
    _finite(study, "score", "study", "nbtune.analysis.isolation")
    if ylim is not None:
        ylim = _check_limits("ylim", ylim)
    x_name = nuisance[0]
    style = style_for(presentation)
    ax = new_axes(ax, style, size=(7.0, 4.4))
    near = []
    values = sorted(study[scientific].unique())
    for index, value in enumerate(values):
        part = study[study[scientific] == value].groupby(x_name, as_index=False)["score"].max()
        color = LINE_COLORS[index % len(LINE_COLORS)]
        ax.plot(part[x_name], part["score"], marker="o", color=color, linewidth=style.line,
                markersize=5 * style.scale, label=f"{scientific} {value_label(value)}")
        best = int(part["score"].to_numpy().argmax())
        ax.scatter(part[x_name].iloc[best], part["score"].iloc[best], marker="*", s=style.marker * 6,
                   color=color, edgecolors="black", linewidths=0.8 * style.scale, zorder=4)
        near += part["score"].iloc[max(0, best - 1): best + 2].tolist()
    xs = np.sort(study[x_name].unique().astype(float))
    if xs.min() > 0 and xs.max() / xs.min() >= 10:
        ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator(xs))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(xs, [value_label(x) for x in xs], rotation=35, ha="right",
                  rotation_mode="anchor")
    if ylim is None:
        top = float(study["score"].max())
        low = min(near)
        margin = 0.08 * (top - low or 0.01)
        ylim = (low - margin, top + margin)
    ax.set_ylim(*ylim)
    clipped = bool((study["score"] < ylim[0]).any())
    fixed = study.attrs.get("fixed") or {}
    held = "\n".join(f"{k} = {value_label(v)}" for k, v in fixed.items())
    title = (_("The best {nuisance} for each {scientific} (stars) (zoomed: lower scores are below the axis)")
             if clipped else _("The best {nuisance} for each {scientific} (stars)"))
    xlabel = _("{nuisance} (the nuisance, re-tuned for each {scientific})")
    decorate_axes(ax, style, title=title.format(nuisance=x_name, scientific=scientific),
                  xlabel=xlabel.format(nuisance=x_name, scientific=scientific),
                  ylabel=_("validation accuracy\n(mean of the seeds)"), grid="both")
    add_legend(ax, style, outside=True, title=_("fixed:\n{held}").format(held=held) if held else None,
               title_fontsize=style.small)
    return ax


def plot_lr_range(table: pd.DataFrame, *, marks: Mapping[str, float] | None = None,
                  ax: Axes | None = None, presentation: bool = False) -> Axes:
    """A learning-rate range test: each batch's loss (faint), its moving average (bold), and
    vertical lines at the suggested rate, at the lowest smoothed loss and at any ``marks``.

    Parameters
    ----------
    table : DataFrame
        What :func:`nbtune.analysis.lr_range_test` returns.
    marks : mapping of str to float, optional
        More learning rates to mark, by label (e.g. the best of a table).
    ax : matplotlib Axes, optional
    presentation : bool, default False

    Returns
    -------
    matplotlib Axes
    """
    made_by = "nbtune.analysis.lr_range_test"
    check_table("table", table, ("learning_rate", "loss", "smoothed_loss"), made_by=made_by)
    rates = pd.to_numeric(table["learning_rate"], errors="coerce")
    if not (rates > 0).all():
        raise ValueError("table has learning_rate values that are not positive numbers: the axis "
                         f"is logarithmic; give what {made_by} returns")
    first = float(_finite(table, "smoothed_loss", "table", made_by).iloc[0])
    marks = _check_marks(marks)
    style = style_for(presentation)
    ax = new_axes(ax, style, size=(7.0, 4.2))
    ax.plot(table["learning_rate"], table["loss"], color="0.6", linewidth=style.thin,
            label=_("loss of each batch"))
    ax.plot(table["learning_rate"], table["smoothed_loss"], color=MAIN_COLOR, linewidth=style.line * 1.3,
            label=_("moving average"))
    ax.set_xscale("log")
    lines = {}
    if "at_minimum" in table.attrs:
        rate = table.attrs["at_minimum"]
        lines[_("lowest average: {rate:.2g}").format(rate=rate)] = (rate, "0.3", ":")
    if "suggested" in table.attrs:
        rate = table.attrs["suggested"]
        lines[_("suggested (lowest / 10): {rate:.2g}").format(rate=rate)] = (rate, "#D55E00", "--")
    for index, (label, rate) in enumerate(marks.items()):
        lines[f"{label}: {rate:.3g}"] = (rate, "#009E73", "-." if index % 2 == 0 else (0, (1, 1)))
    for label, (rate, color, dash) in lines.items():
        ax.axvline(rate, color=color, linestyle=dash, linewidth=style.line, label=label)
    # the start of the curve and below: where the rate is chosen
    ax.set_ylim(0, (first if first > 0 else 1.0) * 1.25)
    decorate_axes(ax, style, title=_("Learning-rate range test: the rate grows at every batch"),
                  xlabel=_("learning rate (log scale)"), ylabel=_("training loss"), grid="both")
    add_legend(ax, style, loc="lower left")
    return ax


def _check_marks(marks: Any) -> dict[str, float]:
    """``marks`` as {label: learning rate}, each rate a positive number."""
    if marks is None:
        return {}
    if not isinstance(marks, Mapping):
        raise TypeError(f"marks={marks!r} is not allowed: give a dict of label to learning rate, "
                        "e.g. marks={'the best of the table': 0.003}")
    return {str(label): check_real(f"marks[{label!r}]", rate, above=0,
                                   hint=" (a learning rate), e.g. marks={'the best of the table': 0.003}")
            for label, rate in marks.items()}


def plot_parallel_coordinates(data: Any, *, params: Sequence[str] | None = None,
                              epochs: int | None = None, cmap: str = "viridis",
                              ax: Axes | None = None, presentation: bool = False) -> Axes:
    """Every trial as a line across one vertical axis per hyperparameter and the score,
    coloured by its score (the best drawn last, on top).

    The colours run from the median score to the best, so the better half of
    the trials can be told apart; the worse half shares the darkest colour
    (the colour bar's arrow).

    Parameters
    ----------
    data : Benchmark, SearchResult or DataFrame
        The trials; :func:`nbtune.analysis.parallel_coordinates` places the lines
        (log axes for numbers spanning a decade or more).
    params : sequence of str, optional
        The axes, left to right (default every hyperparameter).
    epochs : int, optional
        For a benchmark: the epoch whose scores to read.
    cmap : str, default "viridis"
    ax : matplotlib Axes, optional
    presentation : bool, default False

    Returns
    -------
    matplotlib Axes
        Each trial's line is a ``Line2D`` whose y data are its positions (0-1).
    """
    cmap = _check_cmap(cmap)
    lines = parallel_coordinates(data, params=params, epochs=epochs)
    axes = lines.attrs["axes"]
    style = style_for(presentation)
    ax = new_axes(ax, style, size=(8.0, 4.4))
    wide = lines.pivot(index="line", columns="axis", values="position")[[a["name"] for a in axes]]
    scores = lines.groupby("line")["score"].first().loc[wide.index]
    low, best = float(scores.median()), float(scores.max())
    norm = Normalize(low if low < best else float(scores.min()), best, clip=True)
    colormap = plt.get_cmap(cmap)
    xs = np.arange(len(axes))
    for line in scores.sort_values(kind="stable").index:
        ax.plot(xs, wide.loc[line].to_numpy(), color=colormap(norm(scores[line])),
                linewidth=style.thin * 1.4, alpha=0.8)
    for x, axis in zip(xs, axes):
        ax.axvline(x, color="black", linewidth=style.thin)
        for position, label in _axis_ticks(axis):
            ax.text(x + 0.04, position, label, fontsize=style.small, va="center", ha="left",
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.5})
    ax.set_xticks(xs, [_("{name} (log)").format(name=a["name"]) if a["kind"] == "log" else a["name"]
                       for a in axes])
    ax.set_xlim(-0.1, len(axes) - 0.5)
    ax.set_ylim(-0.05, 1.05)
    ax.set_yticks([])
    decorate_axes(ax, style, title=_("{count} trials, coloured by score").format(count=len(wide)), xlabel="",
                  ylabel="", grid="")
    ax.tick_params(axis="x", labelrotation=15)
    bar = ax.figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=colormap), ax=ax, pad=0.01,
                             extend="min" if norm.vmin > scores.min() else "neither")
    bar.set_label(_("score"), fontsize=style.font)
    bar.ax.tick_params(labelsize=style.small)
    return ax


def _axis_ticks(axis: dict[str, Any]) -> list[tuple[float, str]]:
    """(position, label) of the values written on one parallel axis."""
    if axis["kind"] == "category":
        count = len(axis["categories"])
        return [(i / max(count - 1, 1) if count > 1 else 0.5, value_label(c))
                for i, c in enumerate(axis["categories"])]
    low, high = axis["low"], axis["high"]
    if high == low:
        return [(0.5, value_label(low))]
    if axis["kind"] == "log":
        lo, hi = np.log10(low), np.log10(high)
        decades = [10.0 ** d for d in range(int(np.ceil(lo)), int(np.floor(hi)) + 1)]
        values = axis.get("values") or sorted({low, high, *decades})
        return [((np.log10(v) - lo) / (hi - lo), value_label(float(f"{v:.3g}"))) for v in values]
    values = axis.get("values") or (low, (low + high) / 2, high)
    return [((v - low) / (high - low), value_label(float(f"{v:.4g}"))) for v in values]


def plot_sampling_spread(spread: pd.DataFrame, true_best: float, *, images: int | None = None,
                         ax: Axes | None = None, presentation: bool = False) -> Axes:
    """How far below the true best a random search of ``n`` trials ends: one box per ``n``
    (the middle half of the runs; whiskers to 1.5 box lengths), every run a dot.

    Parameters
    ----------
    spread : DataFrame
        What :func:`nbtune.analysis.sampling_spread` returns.
    true_best : float
        The best true score of the table (``bench.true_best(epochs)["val_accuracy"]``).
    images : int, optional
        The validation images: the regret is then drawn in images
        (``(true_best - true_score) * images``), else as accuracy. The axis is
        symmetric-log, linear below one image (or 0.003), so runs that found the
        best, missed by one image or by a hundred all show.
    ax : matplotlib Axes, optional
    presentation : bool, default False

    Returns
    -------
    matplotlib Axes
    """
    made_by = "nbtune.analysis.sampling_spread"
    check_table("spread", spread, ("trials", "true_score"), made_by=made_by)
    true_best, images = check_true_best(true_best), check_images(images)
    best_seen = float(_finite(spread, "true_score", "spread", made_by).max())
    if true_best < best_seen - 1e-9:
        raise ValueError(f"true_best={true_best!r} is below the best true score in spread "
                         f"({best_seen:.4g}): give the table's best, e.g. "
                         "true_best=float(bench.true_best(epochs)['val_accuracy'])")
    style = style_for(presentation)
    ax = new_axes(ax, style, size=(7.0, 4.4))
    unit = float(images) if images else 1.0
    regret = (true_best - spread["true_score"]) * unit
    counts = sorted(spread["trials"].unique())
    data = [regret[spread["trials"] == n].to_numpy() for n in counts]
    boxes = ax.boxplot(data, widths=0.55, patch_artist=True, showfliers=False,
                       medianprops={"color": "black", "linewidth": style.line})
    for patch in boxes["boxes"]:
        patch.set(facecolor=MAIN_COLOR, alpha=0.3)
    jitter = np.random.default_rng(0)  # sideways only: the x axis is a category (a trial count)
    for i, values in enumerate(data, start=1):
        ax.scatter(i + jitter.uniform(-0.18, 0.18, values.size), values, s=style.marker * 0.3,
                   color=MAIN_COLOR, alpha=0.5, linewidths=0, zorder=3)
    ax.set_xticks(range(1, len(counts) + 1), [str(n) for n in counts])
    step = 1.0 if images else 0.003
    ax.set_yscale("symlog", linthresh=step, linscale=0.6)
    ax.set_ylim(bottom=-0.1 * step)
    ticks = [t * step for t in (0, 1, 3, 10, 30, 100, 300, 1000) if t * step <= max(
        float(np.nanmax(regret)), step) * 1.01]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.invert_yaxis()  # better (0 behind the best) at the top
    ylabel = (_("behind the true best\n(validation images; 0 = found it)") if images
              else _("behind the true best\n(accuracy; 0 = found it)"))
    decorate_axes(ax, style, title=_("Have we sampled enough? Where random search ends, by trials"),
                  xlabel=_("trials of random search (each box: the runs of the replay)"),
                  ylabel=ylabel, grid="y")
    return ax
