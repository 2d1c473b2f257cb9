"""How nbtune's plots look: one colour per strategy, sizes for a screen or a projector, axes.

Helpers the draw functions of :mod:`nbtune.plots.figures` share; they never
change matplotlib's global style.

Examples
--------
>>> style_for(presentation=True).font > style_for(presentation=False).font
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator
from matplotlib.transforms import offset_copy

from nbtune.plots.tables import value_label

__all__ = [
    "FAILED_COLOR", "OTHER_COLOR", "STRATEGY_COLORS", "Style", "add_legend", "axis_for",
    "axis_kind", "categories_of", "color_for", "decorate_axes", "dodge", "failed_level",
    "include_points", "marker_handle", "new_axes", "positions_of", "score_label", "set_axis",
    "style_for", "well_apart",
]

#: One colour per strategy, used by every plot (Okabe–Ito, colour-blind safe).
STRATEGY_COLORS: dict[str, str] = {
    "grid": "#0072B2",  # blue
    "random": "#E69F00",  # orange
    "hyperband": "#009E73",  # bluish green
    "bayesian": "#CC79A7",  # reddish purple
    "successive_halving": "#56B4E9",  # sky blue
}
OTHER_COLOR = "#7F7F7F"  # grey: any other strategy
FAILED_COLOR = "#D55E00"  # vermillion (Okabe–Ito): failed trials are marked in it too
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
    return STRATEGY_COLORS.get(str(strategy), OTHER_COLOR)


@dataclass(frozen=True)
class Style:
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


def style_for(presentation: bool) -> Style:
    """The sizes of a plot: 1.5 times larger for a projector (``presentation=True``)."""
    return Style(1.5 if presentation else 1.0)


def new_axes(ax: Axes | None, style: Style, size: tuple[float, float] = (6.4, 4.2)) -> Axes:
    """``ax``, or the Axes of a new figure (a bit larger for presentation)."""
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax={ax!r} is not a matplotlib Axes; pass e.g. ax=plt.gca() or leave it None")
        return ax
    grow = 1.25 if style.scale > 1 else 1.0
    _, ax = plt.subplots(figsize=(size[0] * grow, size[1] * grow), layout="constrained")
    return ax


def decorate_axes(ax: Axes, style: Style, *, title: str, xlabel: str, ylabel: str, grid: str = "y") -> None:
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


def add_legend(ax: Axes, style: Style, handles: list | None = None, *, outside: bool = False,
            **kwargs: Any) -> None:
    """A legend in this Axes' fonts; ``outside`` puts it right of the Axes, off the data."""
    if outside:
        kwargs.update(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    kwargs.setdefault("loc", "best")
    if handles is None:
        ax.legend(fontsize=style.small, framealpha=0.9, **kwargs)
    else:
        ax.legend(handles=handles, fontsize=style.small, framealpha=0.9, **kwargs)


def marker_handle(label: str, style: Style, *, marker: str = "o", color: str = "0.35",
                   face: str | None = None, size: float = 7, line: str = "none") -> Line2D:
    """A legend entry for a kind of marker (not tied to a strategy's colour)."""
    return Line2D([], [], linestyle=line, marker=marker, color=color, markersize=size * style.scale,
                  markerfacecolor=face if face is not None else color,
                  markeredgecolor=color, linewidth=style.line, label=label)


def score_label(scoring: str | None) -> str:
    """What the score is, for axis labels: 'validation accuracy' or 'validation score'."""
    if scoring in ("accuracy", "val_accuracy"):
        return "validation accuracy"
    if isinstance(scoring, str) and scoring:
        return f"validation score ({scoring})"
    return "validation score"


def failed_level(scores: pd.Series | np.ndarray) -> float:
    """A y value just below every score, where failed trials (no score) are drawn."""
    scores = pd.Series(scores, dtype=float).dropna()
    if scores.empty:
        return 0.0
    low, high = float(scores.min()), float(scores.max())
    return low - 0.08 * ((high - low) or max(abs(low), 1.0) * 0.1)


def axis_kind(values: pd.Series) -> str:
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


def categories_of(values: pd.Series) -> list:
    """The distinct values of a categorical axis, in a stable order."""
    present = list(dict.fromkeys(values.dropna()))
    try:
        return sorted(present)
    except TypeError:
        return sorted(present, key=str)


def positions_of(values: pd.Series, kind: str, categories: list | None) -> np.ndarray:
    """Where each value goes on an axis of ``kind`` (its category's index, or itself)."""
    if kind == "category":
        index = {c: i for i, c in enumerate(categories)}
        return np.array([index.get(v, np.nan) for v in values], dtype=float)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def axis_for(values: pd.Series) -> tuple[str, list | None, np.ndarray]:
    """(kind, categories, positions) of an axis showing ``values``."""
    kind = axis_kind(values)
    categories = categories_of(values) if kind == "category" else None
    return kind, categories, positions_of(values, kind, categories)


def set_axis(ax: Axes, which: str, kind: str, categories: list | None, values: np.ndarray) -> None:
    """Log scale, category ticks, or ticks at the values when there are few of them."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    if kind == "category":
        axis.set_major_locator(FixedLocator(range(len(categories))))
        getattr(ax, f"set_{which}ticklabels")([value_label(c) for c in categories])
        getattr(ax, f"set_{which}lim")(-0.5, len(categories) - 0.5)
        return
    if kind == "log":
        getattr(ax, f"set_{which}scale")("log")
    distinct = np.unique(values[np.isfinite(values)])
    if 0 < len(distinct) <= 8 and well_apart(distinct, log=kind == "log"):
        axis.set_major_locator(FixedLocator(distinct))
        getattr(ax, f"set_{which}ticklabels")([value_label(v) for v in distinct])
        axis.set_minor_locator(NullLocator())
        axis.set_minor_formatter(NullFormatter())


def well_apart(distinct: np.ndarray, *, log: bool) -> bool:
    """True when labels at these values will not overlap (grid values, not random samples)."""
    if len(distinct) < 2:
        return True
    where = np.log10(distinct) if log and distinct.min() > 0 else distinct
    span = where.max() - where.min()
    return bool(np.min(np.diff(where)) >= 0.08 * span)


def dodge(ax: Axes, index: int, count: int, style: Style, *, along: str = "x", radius: float = 6.0):
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


def include_points(ax: Axes, xs: np.ndarray, ys: np.ndarray) -> None:
    """Let autoscaling see points drawn with a :func:`dodge` transform (it ignores them)."""
    points = np.column_stack([np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)])
    points = points[np.isfinite(points).all(axis=1)]
    if len(points):
        ax.update_datalim(points)
