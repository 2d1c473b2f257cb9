"""How nbtune's plots look: one colour per strategy, sizes for a screen or a projector, axes.

Helpers the draw functions of :mod:`nbtune.plots.figures` share; they never
change matplotlib's global style.

Every new figure is at most :data:`COLUMN_INCHES` wide (:func:`column_size`),
so the notebook shows it at its own size and a presentation figure keeps its
larger fonts.

Examples
--------
>>> style_for(presentation=True).font > style_for(presentation=False).font
True
>>> column_size((12.0, 6.0))
(8.0, 4.0)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator
from matplotlib.transforms import Bbox

from nbtune.arguments import check_flag, check_real
from nbtune.language import gettext_for_figures as _
from nbtune.language import prepare_figures
from nbtune.plots.tables import value_label
from nbtune.plots.text import wrap
from nbtune.search import strategies

#: The widest a new figure may be, in inches.  The notebook's inline backend shows
#: figures at 100 dpi (matplotlib's ``figure.dpi``), so this is 800 px: it fits a
#: JupyterLab output column with the side bar closed on a 1024 px wide screen or
#: projector (about 900 px).  A wider PNG is scaled down to the column, and its
#: fonts with it: a 1500 px presentation figure lost its 1.5 times larger fonts.
#: With the file browser open (a column of about 600 px) an 800 px figure is
#: still shown at 3/4 of its size, its presentation fonts above the normal ones.
COLUMN_INCHES = 8.0

#: How much larger a new presentation figure is than a normal one (up to :data:`COLUMN_INCHES`).
PRESENTATION_GROWTH = 1.25

#: One colour per strategy, used by every plot: each registry entry's colour
#: (:mod:`nbtune.search.strategies`; Okabe–Ito, colour-blind safe).
STRATEGY_COLORS: dict[str, str] = strategies.colours()
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
    return strategies.colours().get(str(strategy), OTHER_COLOR)


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
    return Style(1.5 if check_flag("presentation", presentation) else 1.0)


#: The colours of lines drawn by hand in :func:`plot_style`: Okabe–Ito (colour-blind safe),
#: without its yellow, which a projector washes out.
HAND_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")

#: The smallest font of a presentation figure, in points: :func:`style_for` ``(presentation=True).small``.
PROJECTOR_POINTS = 13.5


def plot_style(presentation: bool = True) -> Any:
    """matplotlib's settings for a figure drawn by hand, in the sizes of nbtune's own plots.

    A context manager, like ``matplotlib.rc_context``: inside it, new figures get the
    fonts, lines and markers of :func:`style_for` ``(presentation)`` (1.5 times
    larger for a projector), a size that fits the notebook's column
    (:func:`figure_size`), a constrained layout and colour-blind safe colours.
    Call ``plt.show()`` inside it: tick labels take their size when the figure is
    drawn.  Outside it, the settings it made are as they were before.

    Parameters
    ----------
    presentation : bool, default True
        Fonts for a projector (the smallest :data:`PROJECTOR_POINTS` points);
        False: nbtune's normal sizes.

    Returns
    -------
    context manager

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from nbtune import plots
    >>> with plots.plot_style(presentation=True):
    ...     figure, ax = plt.subplots()
    ...     lines = ax.plot([1, 2, 3], [0.90, 0.95, 0.96], label="validation accuracy")
    ...     title = ax.set_title("A hand-made figure")
    ...     # plt.show() here, in a notebook
    >>> title.get_fontsize(), figure.get_size_inches().tolist()
    (16.5, [8.0, 5.25])
    >>> plt.rcParams["font.size"]  # unchanged outside
    10.0
    """
    from cycler import cycler

    style = style_for(presentation)
    return _only_these_settings({
        "font.size": style.font,
        "axes.titlesize": style.title,
        "axes.labelsize": style.font,
        "figure.titlesize": style.title * 1.15,
        "xtick.labelsize": style.small,
        "ytick.labelsize": style.small,
        "legend.fontsize": style.small,
        "legend.title_fontsize": style.small,
        "lines.linewidth": style.line,
        "lines.markersize": 6 * style.scale,
        "axes.linewidth": style.thin,
        "xtick.major.width": style.thin,
        "ytick.major.width": style.thin,
        "xtick.major.size": 3.5 * style.scale,
        "ytick.major.size": 3.5 * style.scale,
        "grid.linewidth": 0.7 * style.scale,
        "grid.alpha": 0.35,
        "axes.prop_cycle": cycler(color=HAND_COLORS),
        "figure.figsize": figure_size(style, (6.4, 4.2)),
        "figure.constrained_layout.use": True,
    })


@contextlib.contextmanager
def _only_these_settings(settings: dict[str, Any]) -> Iterator[None]:
    """``settings`` in matplotlib's rcParams while inside; after, those keys as they were.

    Unlike ``matplotlib.rc_context``, which puts back every setting, it leaves
    what else changed inside alone: the notebook's inline backend, set up when
    the first figure is drawn, turns interactive mode on then, and putting it
    back off would stop every later figure of the notebook from showing.
    """
    import matplotlib

    before = {key: matplotlib.rcParams[key] for key in settings}
    matplotlib.rcParams.update(settings)
    try:
        yield
    finally:
        matplotlib.rcParams.update(before)


def column_size(size: tuple[float, float], *, grow: float = 1.0) -> tuple[float, float]:
    """A figure size, ``grow`` times ``size``, but no wider than :data:`COLUMN_INCHES`.

    A ``size`` wider than the column is shrunk to it, its height in proportion
    (its shape kept, as the notebook would have shown it, but its fonts at their
    size).  ``grow`` then makes the figure larger up to the column's width, and
    only taller past it: a presentation figure's larger fonts get more room
    without making it wider.

    Parameters
    ----------
    size : (float, float)
        Width and height in inches.
    grow : float, default 1.0
        How much larger to make it (:data:`PRESENTATION_GROWTH` for a presentation figure).

    Returns
    -------
    (float, float)
        Width and height in inches, the width at most :data:`COLUMN_INCHES`.

    Examples
    --------
    >>> from nbtune.plots import COLUMN_INCHES, column_size
    >>> column_size((6.4, 4.2)), column_size((6.4, 4.2), grow=1.25)
    ((6.4, 4.2), (8.0, 5.25))
    >>> column_size((16.0, 6.0)), column_size((16.0, 6.0), grow=1.25)
    ((8.0, 3.0), (8.0, 3.75))
    >>> column_size((8.0, 4.0), grow=1.25)[0] == COLUMN_INCHES
    True
    """
    if isinstance(size, str) or not hasattr(size, "__len__") or len(size) != 2:
        raise TypeError(f"size={size!r} is not allowed: give (width, height) in inches, "
                        "e.g. size=(6.4, 4.2)")
    width, height = (check_real("size", side, above=0, hint=" inches, e.g. size=(6.4, 4.2)")
                     for side in size)
    grow = check_real("grow", grow, above=0, hint=", e.g. grow=1.25")
    fit = min(1.0, COLUMN_INCHES / width)
    return min(width * grow, COLUMN_INCHES), height * fit * grow


def figure_size(style: Style, size: tuple[float, float]) -> tuple[float, float]:
    """The size of a new figure drawn in ``style``: ``size``, :data:`PRESENTATION_GROWTH`
    times larger for presentation, no wider than :data:`COLUMN_INCHES` (:func:`column_size`).

    Examples
    --------
    >>> figure_size(style_for(presentation=False), (8.0, 4.2))
    (8.0, 4.2)
    >>> figure_size(style_for(presentation=True), (8.0, 4.2))  # as wide, taller for larger fonts
    (8.0, 5.25)
    """
    return column_size(size, grow=PRESENTATION_GROWTH if style.scale > 1 else 1.0)


def axes_inches(ax: Axes) -> float:
    """About how wide ``ax`` is, in inches: its share of its figure (or subfigure) before the
    layout, a little wider than it will be once its tick labels have room.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure, ax = plt.subplots(figsize=(8.0, 4.0))
    >>> round(axes_inches(ax), 2)  # matplotlib's default margins: 77.5 % of the width
    6.2
    """
    return float(ax.get_position().width * ax.figure.bbox.width / ax.figure.dpi)


def crowded(boxes: list[Bbox], *, gap: float = 2.0) -> bool:
    """True when two of these boxes (drawn texts, in pixels) are closer than ``gap`` side by side.

    Examples
    --------
    >>> from matplotlib.transforms import Bbox
    >>> crowded([Bbox([[0, 0], [10, 5]]), Bbox([[11, 0], [20, 5]])])
    True
    >>> crowded([Bbox([[0, 0], [10, 5]]), Bbox([[15, 0], [20, 5]])])
    False
    """
    ordered = sorted((box for box in boxes if box.width > 0), key=lambda box: box.x0)
    return any(after.x0 - before.x1 < gap for before, after in zip(ordered, ordered[1:]))


def new_axes(ax: Axes | None, style: Style, size: tuple[float, float] = (6.4, 4.2)) -> Axes:
    """``ax``, or the Axes of a new figure of :func:`figure_size` ``(style, size)``.

    Examples
    --------
    >>> ax = new_axes(None, style_for(presentation=True), size=(10.0, 4.0))
    >>> ax.figure.get_size_inches().tolist()  # no wider than the column, its shape kept, then taller
    [8.0, 4.0]
    """
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax={ax!r} is not a matplotlib Axes; pass e.g. ax=plt.gca() or leave it None")
        return ax
    prepare_figures()  # a Korean font, when Korean was chosen by NBTUNE_LANG or the locale
    figure, ax = plt.subplots(figsize=figure_size(style, size), layout="constrained")
    return ax


def decorate_axes(ax: Axes, style: Style, *, title: str, xlabel: str, ylabel: str, grid: str = "y") -> None:
    """Title, labels and tick sizes, set on this Axes only; the title and the x label
    broken into lines no wider than the Axes (:func:`wrap`, :func:`axes_inches`)."""
    width = axes_inches(ax)
    ax.set_title(wrap(title, width, style.title), fontsize=style.title)
    ax.set_xlabel(wrap(xlabel, width, style.font), fontsize=style.font)
    ax.set_ylabel(ylabel, fontsize=style.font)
    ax.tick_params(labelsize=style.small, width=style.thin, length=3.5 * style.scale)
    for spine in ax.spines.values():
        spine.set_linewidth(style.thin)
    if grid:
        ax.grid(True, axis=grid, alpha=0.35, linewidth=0.7 * style.scale)
        ax.set_axisbelow(True)


def add_legend(ax: Axes, style: Style, handles: list | None = None, *, outside: bool = False,
            **kwargs: Any) -> None:
    """A legend in this Axes' fonts; ``outside`` puts it right of the Axes, off the data,
    its labels wrapped so that it takes about 28 % of the figure's width or less."""
    if outside:
        kwargs.update(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    kwargs.setdefault("loc", "best")
    if handles is None:
        legend = ax.legend(fontsize=style.small, framealpha=0.9, **kwargs)
    else:
        legend = ax.legend(handles=handles, fontsize=style.small, framealpha=0.9, **kwargs)
    if outside:
        _wrap_labels(legend, 0.28 * ax.figure.bbox.width / ax.figure.dpi, style)


def _wrap_labels(legend: Legend, inches: float, style: Style) -> None:
    """The labels of ``legend`` wrapped for it to be about ``inches`` wide; when one is
    too wide, all are broken before their parenthesis, alike."""
    inches -= 3 * style.small / 72  # the marker and the paddings take about 3 em
    texts = legend.get_texts()
    labels = [text.get_text() for text in texts]
    wrapped = [wrap(label, inches, style.small) for label in labels]
    if wrapped != labels:
        wrapped = [wrap(label.replace(" (", "\n("), inches, style.small) for label in labels]
    for text, label in zip(texts, wrapped):
        text.set_text(label)


def marker_handle(label: str, style: Style, *, marker: str = "o", color: str = "0.35",
                   face: str | None = None, size: float = 7, line: str = "none") -> Line2D:
    """A legend entry for a kind of marker (not tied to a strategy's colour)."""
    return Line2D([], [], linestyle=line, marker=marker, color=color, markersize=size * style.scale,
                  markerfacecolor=face if face is not None else color,
                  markeredgecolor=color, linewidth=style.line, label=label)


def score_label(scoring: str | None) -> str:
    """What the score is, for axis labels: 'validation accuracy' or 'validation score', in the
    language spoken now (the scoring's name stays as code).

    Examples
    --------
    >>> score_label("accuracy"), score_label("roc_auc")
    ('validation accuracy', 'validation score (roc_auc)')
    """
    if scoring in ("accuracy", "val_accuracy"):
        return _("validation accuracy")
    if isinstance(scoring, str) and scoring:
        return _("validation score ({scoring})").format(scoring=scoring)
    return _("validation score")


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


#: A marker shape per strategy, so that strategies that tried the same value stay
#: distinguishable where they overlap (no point is moved off its value to avoid it).
STRATEGY_MARKERS = {"grid": "s", "random": "o", "hyperband": "^", "bayesian": "D",
                    "successive_halving": "v"}
_OTHER_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">")


def marker_for(strategy: str, index: int = 0) -> str:
    """The marker of ``strategy`` (:data:`STRATEGY_MARKERS`); another strategy gets
    the ``index``-th of a few shapes.

    Examples
    --------
    >>> marker_for("grid"), marker_for("random"), marker_for("mine", 2)
    ('s', 'o', '^')
    """
    return STRATEGY_MARKERS.get(str(strategy), _OTHER_MARKERS[index % len(_OTHER_MARKERS)])


def category_offsets(count: int, *, width: float = 0.5) -> np.ndarray:
    """Where ``count`` strategies sit inside one category's slot (its index ± ``width`` / 2).

    Only on a categorical axis: there a slot stands for one value, so spreading
    strategies across it moves no point off its value.  On a numeric axis every
    point is drawn at its value (overlaps stay visible through transparency and
    each strategy's marker).

    Examples
    --------
    >>> category_offsets(1).tolist(), category_offsets(3).tolist()
    ([0.0], [-0.25, 0.0, 0.25])
    """
    if count <= 1:
        return np.zeros(1)
    return np.linspace(-width / 2, width / 2, count)


#: Where a point outside the y window is drawn: this far inside the Axes' bottom, in Axes units.
EDGE = 0.015


def zoom_limits(values: Any, focus: Any, *, least: float = 0.03, pad: float = 0.08) -> tuple[float, float]:
    """Limits of a score axis that show the differences among ``focus``, and all ``values`` if
    that costs little.

    The rule:

    1. The window spans the ``focus`` values, the points the figure is about
       (each strategy's best, the test scores, the better trials): none of them
       is ever cut off.  To look for other points near them, it is first made
       at least ``least`` times the largest focus value's size wide (3 %: about
       0.03 of accuracy, 10 validation images of 360), grown downwards, where
       the other trials are.
    2. Its bottom is then the lowest of the ``values`` less than half that
       width below it (or the lowest focus value, when none is lower): it
       hides only points far from those the figure is about, and leaves no
       empty band below the lowest point it shows.  It is never narrower than
       half of ``least`` times the size (1.5 %).
    3. ``pad`` times the width is added above and below.

    Scores of 0.96 to 0.97 on an axis from 0 to 1 differ by 1 % of its
    height; in this window by most of it.  Values below the window are drawn
    on its bottom edge (:func:`mark_outside`), at their x.

    Parameters
    ----------
    values : array-like
        Everything the axis shows (NaN ignored).
    focus : array-like
        The values that must be inside (NaN ignored); all of ``values`` when empty.
    least : float, default 0.03
        The narrowest window, as a fraction of the largest focus value's size.
    pad : float, default 0.08

    Returns
    -------
    (float, float)
        Bottom and top.

    Examples
    --------
    >>> low, high = zoom_limits([0.10, 0.50, 0.95, 0.96, 0.97], focus=[0.95, 0.97])
    >>> round(low, 3), round(high, 3)  # 0.1 and 0.5 are far below: drawn on the bottom edge
    (0.948, 0.972)
    >>> [round(v, 3) for v in zoom_limits([0.93, 0.95, 0.97], focus=[0.95, 0.97])]  # 0.93 is near
    [0.927, 0.973]
    """
    values = np.asarray(values, dtype=float).ravel()
    values = values[np.isfinite(values)]
    focus = np.asarray(focus, dtype=float).ravel()
    focus = focus[np.isfinite(focus)]
    if focus.size == 0:
        focus = values
    if focus.size == 0:
        return 0.0, 1.0
    lowest, high = float(focus.min()), float(focus.max())
    size = max(abs(lowest), abs(high)) or 1.0
    low = min(lowest, high - least * size)
    near = values[values >= low - (high - low) / 2]  # less than half a width below
    if near.size:
        low = min(float(near.min()), lowest)  # taken in; and no empty band below the lowest
    low = min(low, high - least * size / 2)  # never narrower than half of ``least``
    width = high - low
    return low - pad * width, high + pad * width


def mark_outside(ax: Axes, xs: Any, ys: Any, style: Style, *, color: Any, marker: str = "v",
                 transform: Any = None, gid: str = "below") -> int:
    """Draw the points whose y is below the Axes' bottom on that edge, at their own x.

    Call it after the y limits are set (:func:`zoom_limits`).  ``ys`` NaN means
    "no value" (a failed trial): drawn on the edge too, with the ``marker`` given.
    Returns how many were drawn.
    """
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    below = np.isnan(ys) | (ys < ax.get_ylim()[0])
    below &= np.isfinite(xs)
    if below.any():
        blended = transform or ax.get_xaxis_transform()  # x in data, y in Axes units
        ax.scatter(xs[below], np.full(below.sum(), EDGE), transform=blended, s=style.marker * 1.1,
                   marker=marker, color=color, linewidths=style.line * 0.8 if marker in "x+" else 0.5,
                   edgecolors="white" if marker not in "x+" else None, clip_on=False, zorder=4, gid=gid)
    return int(below.sum())


def below_handle(count: int, style: Style, low: float) -> Line2D:
    """The legend entry of the points drawn on the bottom edge."""
    label = _("{count} below {low:.3g}\n(drawn on the edge)").format(count=count, low=low)
    return marker_handle(label, style, marker="v", color="0.35")
