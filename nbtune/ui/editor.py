"""Edit a search space with sliders and see what a grid search over it costs.

:class:`SpaceEditor` shows one row of controls per dimension of a
:class:`~nbtune.SearchSpace` and, below them, a live summary: how many grid
configurations the edited space has, how many fits and epochs a grid search
with the chosen folds and epochs would train, and (once the speed of one fit
is known) how long that takes -- with a warning when it is too much for a
class.  ``editor.space`` is the edited space, ready for any search helper.

Each dimension type gets its row from a small function of its own
(:func:`dimension_row` dispatches on the type), and every row can be driven
without a browser: set a control's ``.value`` or call a button's ``.click()``.

Importing this module is cheap: TensorFlow and Keras are imported only by
:func:`nbtune.training.speed.measure_speed`.

Why one module of about 820 lines: one widget, :class:`SpaceEditor`, with the
row function of each dimension type beside it; the shared look is in
:mod:`nbtune.ui.style` and the cost arithmetic in :mod:`nbtune.search.cost`.

Examples
--------
>>> from nbtune import SearchSpace, Int, Choice
>>> editor = SpaceEditor(SearchSpace(Int("units", 32, 512, step=32),
...                                  Choice("learning_rate", [1e-2, 1e-3, 1e-4])))
>>> editor.rows["units"].slider.value = (32, 128)
>>> editor.cost["configs"], editor.cost["epochs_total"]
(12, 360)
>>> editor.space["units"]
Int('units', 32, 128, step=32)
"""

from __future__ import annotations

import ast
import functools
import html
import json
import math
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from nbtune.arguments import check_whole
from nbtune.formatting import format_seconds, format_value
from nbtune.language import gettext as _
from nbtune.language import ngettext
from nbtune.search.cost import check_seconds, grid_cost
from nbtune.space import Choice, Dimension, Fixed, Float, Int, SearchSpace
from nbtune.space.build_fns import is_hp_build_fn
from nbtune.space.dimensions import MAX_INT
from nbtune.training.speed import measure_speed
from nbtune.ui.style import styled

# Sizes in em: they grow with the text (see nbtune.ui.style). The name column is
# wide enough for "learning_rate", so the sliders line up; a longer name widens its row.
_NAME_WIDTH = "7.5em"
_SLIDER = {"width": "16em", "flex": "0 1 16em", "min_width": "8em"}

# What the editor's boxes hold: a value given outside them is refused, not cut to fit.
_MAX_FOLDS = 50
_MAX_EPOCHS = 10_000
_MAX_POINTS = 100


# ----------------------------------------------------------------- formatting
def _round(x: float, digits: int = 10) -> float:
    """Drop the float noise a slider adds: 0.30000000000000004 -> 0.3."""
    return float(f"{x:.{digits}g}")


def _log_options(low: float, high: float) -> list[tuple[str, float]]:
    """Nicely spaced values 1, 2, 5 x 10**k around [low, high], plus low and high themselves."""
    first = math.floor(math.log10(low)) - 1
    last = math.ceil(math.log10(high)) + 1
    values = {_round(m * 10.0**k) for k in range(first, last + 1) for m in (1, 2, 5)}
    values |= {low, high}
    return [(format_value(v), v) for v in sorted(values)]


# ------------------------------------------------------------- one row per dim
class DimensionRow:
    """The controls of one dimension: a row of the :class:`SpaceEditor`.

    Made by :func:`dimension_row`.  ``widget`` is the row to display,
    ``controls`` are the widgets whose changes update the editor;
    :meth:`dimension` reads the controls back into a dimension.

    Attributes
    ----------
    name : str
    original : Dimension
        The dimension the row was made from.
    widget : ipywidgets.HBox
    controls : list of widgets
    count : ipywidgets.Label
        How many grid values the row currently gives.
    """

    def __init__(self, original: Dimension, parts: list, controls: list,
                 read: Callable[[], Dimension], points: Callable[[], int | None] = lambda: None,
                 kind: str = ""):
        self.name = original.name
        self.original = original
        self.kind = kind
        self.controls = controls
        self._read = read
        self._points = points
        label = widgets.Label(self.name, layout=widgets.Layout(min_width=_NAME_WIDTH))
        label.add_class("nbtune-name")
        self.count = widgets.Label("", layout=widgets.Layout(min_width="5.5em"))
        # the controls wrap within their own box: a second line starts under the slider
        controls_box = widgets.HBox([*parts, self.count], layout=widgets.Layout(flex="1 1 0%"))
        self.widget = widgets.HBox([label, controls_box],
                                   layout=widgets.Layout(flex_flow="row", align_items="flex-start"))
        self.widget.add_class("nbtune-row")

    def dimension(self) -> Dimension:
        """The dimension the controls describe now; ValueError if they describe none."""
        return self._read()

    @property
    def points(self) -> int | None:
        """Grid points of a Float without a step (None for other dimensions)."""
        return self._points()

    def __repr__(self) -> str:
        return f"<DimensionRow {self.kind} {self.name!r}>"


def _problem(name: str, text: str) -> ValueError:
    return ValueError(f"{name}: {text}")


def _checked(name: str, make: Callable[[], Dimension]) -> Dimension:
    """Build a dimension, turning its validation error into one naming the row."""
    try:
        return make()
    except (TypeError, ValueError) as exc:
        raise _problem(name, str(exc)) from None


def _check_bounded(argument: str, value: Any, minimum: int, maximum: int, what: str) -> int:
    """A whole number the editor shows in a box from ``minimum`` to ``maximum``."""
    value = check_whole(argument, value, minimum=minimum, what=what, hint=f" and <= {maximum:,}")
    if value > maximum:
        raise ValueError(f"{argument}={value:,} is not allowed: give {what} from {minimum} "
                         f"to {maximum:,}, what the editor's box holds")
    return value


def _points_box(points: int) -> widgets.BoundedIntText:
    points = _check_bounded("points", points, 1, _MAX_POINTS,
                            "the grid points of a Float without a step, a whole number")
    return widgets.BoundedIntText(
        value=points, min=0, max=_MAX_POINTS, description=_("points"),
        layout=widgets.Layout(width="auto"),
    )


def _read_points(name: str, box: widgets.BoundedIntText) -> int:
    if box.value < 1:
        raise _problem(name, _("{count} grid points; give at least 1 (e.g. 5)").format(
            count=box.value))
    return int(box.value)


@functools.singledispatch
def dimension_row(dim: Dimension, *, points: int = 5) -> DimensionRow:
    """The row of controls for one dimension (dispatches on the dimension's type).

    Parameters
    ----------
    dim : Int, Float, Choice or Fixed
    points : int, default 5
        Starting number of grid points for a :class:`~nbtune.Float` without a step.

    Examples
    --------
    >>> from nbtune import Int
    >>> row = dimension_row(Int("units", 32, 512, step=32))
    >>> row.step.value = 64          # the slider's lattice is now 32, 96, ... 480
    >>> row.dimension()
    Int('units', 32, 480, step=64)
    """
    raise TypeError(
        f"dimension_row: no control for {type(dim).__name__} ({dim!r:.80}); "
        "pass an Int, Float, Choice or Fixed, e.g. dimension_row(Int('units', 32, 512))."
    )


def _on_lattice(slider: Any, span: tuple[int, int], step: int) -> None:
    """Give an IntRangeSlider the lattice ``low + k * step`` within ``span``.

    The browser's slider snaps both handles to ``min + k * step`` as soon as it
    draws them, so ``min`` must be on the lattice of the current low: with min
    32, step 64 and a range 64-128, Chromium showed 96-160 before anything was
    touched. The high end goes down to its lattice point (the grid is the same).
    """
    low, high = slider.value
    lattice_min = span[0] + (low - span[0]) % step
    lattice_max = max(lattice_min + step * ((span[1] - lattice_min) // step), low)
    high = min(low + step * ((high - low) // step), lattice_max)
    with slider.hold_trait_notifications():
        slider.step = step
        slider.min = lattice_min  # <= low <= the current max
        slider.max = lattice_max
        slider.value = (low, high)


def _range_readout(slider: Any) -> widgets.Label:
    """Our own readout of a range slider: 1e-4 \u2013 0.1, not 1e-4-0.1 or 0.000 - 0.5000.

    The sliders' own readout is a box of fixed width that clips "0.001 \u2013 0.0".
    """
    readout = widgets.Label(layout=widgets.Layout(min_width="6.5em"))

    def show_range(change: Any = None) -> None:
        low, high = (_round(v) for v in slider.value)
        readout.value = f"{format_value(low)} \u2013 {format_value(high)}"

    show_range()
    slider.observe(show_range, names="value")
    return readout


@dimension_row.register
def _int_row(dim: Int, *, points: int = 5) -> DimensionRow:
    """IntRangeSlider for low..high, a box for the step (a multiplier when log).

    The slider spans the original range (narrow it here; widen it through JSON).
    """
    linear_step = 1 if dim.log else dim.step
    slider = widgets.IntRangeSlider(
        value=(dim.low, dim.high), min=dim.low, max=max(dim.high, dim.low + linear_step),
        step=linear_step, readout=False, continuous_update=False, layout=widgets.Layout(**_SLIDER),
    )
    span = (slider.min, slider.max)
    _on_lattice(slider, span, linear_step)
    log_multiplier = dim.log and dim.step > 1
    step = widgets.BoundedIntText(  # any step an Int takes (a larger one would be cut)
        value=dim.step, min=1, max=MAX_INT, description="x" if log_multiplier else _("step"),
        layout=widgets.Layout(width="auto"),
    )
    parts: list = [slider, _range_readout(slider), step]
    if dim.log:
        parts.append(widgets.Label(_("log"), layout=widgets.Layout(margin="0 0.8em 0 0.3em")))
    else:  # the slider moves in steps of the grid

        def follow_step(change: dict) -> None:
            if change["new"] >= 1:
                _on_lattice(slider, span, change["new"])

        step.observe(follow_step, names="value")

    def read() -> Int:
        low, high = slider.value
        if dim.log and low == high:
            raise _problem(dim.name, _("low = high ({low}) on a log range; widen the range")
                           .format(low=low))
        return _checked(dim.name, lambda: Int(dim.name, low, high, step=step.value, log=dim.log))

    row = DimensionRow(dim, parts, [slider, step], read, kind="Int")
    row.slider, row.step = slider, step
    return row


@dimension_row.register
def _float_row(dim: Float, *, points: int = 5) -> DimensionRow:
    """Log: a SelectionRangeSlider over 1-2-5 values; linear: a FloatRangeSlider.

    With a step, a box for it (a multiplier when log); without, a box for the
    number of grid points.
    """
    if dim.log:
        slider = widgets.SelectionRangeSlider(
            options=_log_options(dim.low, dim.high), value=(dim.low, dim.high), readout=False,
            continuous_update=False, layout=widgets.Layout(**_SLIDER),
        )
    else:  # the original range, as for Int
        span = (dim.high - dim.low) or abs(dim.high) or 1.0
        slider = widgets.FloatRangeSlider(
            value=(dim.low, dim.high), min=dim.low, max=max(dim.high, dim.low + span),
            step=_round(span / 100, 3), readout=False,
            continuous_update=False, layout=widgets.Layout(**_SLIDER),
        )
    parts: list = [slider, _range_readout(slider)]
    step = points_box = None
    if dim.step is not None:
        step = widgets.BoundedFloatText(  # the step given stays whatever its size
            value=dim.step, min=0.0, max=max(1e12, dim.step),
            description="x" if dim.log else _("step"),
            layout=widgets.Layout(width="auto"),
        )
        parts.append(step)
    else:
        points_box = _points_box(points)
        parts.append(points_box)
    if dim.log:
        parts.append(widgets.Label(_("log"), layout=widgets.Layout(margin="0 0.8em 0 0.3em")))

    def read() -> Float:
        low, high = (_round(v) for v in slider.value)
        if dim.log and low == high:
            raise _problem(dim.name, _("low = high ({low}) on a log range; widen the range")
                           .format(low=format_value(low)))
        if points_box is not None:
            _read_points(dim.name, points_box)
        value_step = None if step is None else _round(step.value)
        return _checked(dim.name, lambda: Float(dim.name, low, high, log=dim.log, step=value_step))

    def grid_points() -> int | None:
        return None if points_box is None else int(points_box.value)

    controls = [slider] + [w for w in (step, points_box) if w is not None]
    row = DimensionRow(dim, parts, controls, read, grid_points, kind="Float")
    row.slider, row.step, row.points_box = slider, step, points_box
    return row


@dimension_row.register
def _choice_row(dim: Choice, *, points: int = 5) -> DimensionRow:
    """One toggle button per value: pressed (blue, ticked) values are in the grid."""
    buttons = [
        widgets.ToggleButton(value=True, description=format_value(v), tooltip=repr(v),
                             icon="check", button_style="info",
                             layout=widgets.Layout(width="auto", min_width="5em"))
        for v in dim.values
    ]

    def show_state(change: dict) -> None:
        button = change["owner"]
        button.button_style = "info" if change["new"] else ""
        button.icon = "check" if change["new"] else ""

    for button in buttons:
        button.observe(show_state, names="value")

    def read() -> Choice:
        chosen = [v for v, b in zip(dim.values, buttons) if b.value]
        if not chosen:
            raise _problem(dim.name, _("no value selected; select at least one"))
        return Choice(dim.name, chosen)

    row = DimensionRow(dim, [widgets.HBox(buttons)], buttons, read, kind="Choice")
    row.buttons = buttons

    def select(values: list) -> None:
        """Press exactly the buttons of ``values``."""
        for v, b in zip(dim.values, buttons):
            b.value = any(v == x and type(v) is type(x) for x in values)

    row.select = select
    return row


def _parse_fixed(text: str, original: Any) -> Any:

    if text == format_value(original):
        return original
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # a bare word such as adam is a string
    return value


@dimension_row.register
def _fixed_row(dim: Fixed, *, points: int = 5) -> DimensionRow:
    """A text box with the value (edit it to change it; 'adam' or 3 or None)."""
    box = widgets.Text(value=format_value(dim.value), layout=widgets.Layout(width="auto"))

    def read() -> Fixed:
        return _checked(dim.name, lambda: Fixed(dim.name, _parse_fixed(box.value, dim.value)))

    row = DimensionRow(dim, [box, widgets.Label(_("fixed"))], [box], read, kind="Fixed")
    row.text = box
    return row


# ----------------------------------------------------------------- the editor

def _checked_editor_space(space: Any) -> SearchSpace:
    """The editor's space (a ``build(hp)`` read into one)."""
    if not isinstance(space, SearchSpace) and is_hp_build_fn(space):
        space = SearchSpace.from_build_fn(space)
    if not isinstance(space, SearchSpace):
        raise TypeError(
            f"SpaceEditor: space must be an nbtune.SearchSpace or a keras-tuner style "
            f"build(hp) function, got {type(space).__name__}; pass e.g. "
            "SpaceEditor(SearchSpace(Int('units', 32, 512, step=32)))"
        )
    return space


def _check_minutes(value: Any) -> float:
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value <= 0):
        raise ValueError(f"max_minutes={value!r} is not allowed: give the most minutes a grid "
                         "search may take in class, a number > 0, e.g. max_minutes=5")
    return float(value)


class SpaceEditor(widgets.VBox):
    """Edit a search space with sliders; see what a grid search over it costs.

    One row per dimension: ``Int`` -> a range slider and a step box; ``Float``
    -> a range slider (over values like 1e-4, 2e-4, 5e-4 ... when log) and a
    step box, or a grid-points box when it has no step; ``Choice`` -> one
    toggle button per value; ``Fixed`` -> a text box.  Below the rows: folds
    and epochs, and a summary that updates with every change -- grid
    configurations, fits, epochs and, with a measured speed, the time --
    warning when the grid is too large for a class.

    Parameters
    ----------
    space : SearchSpace or keras-tuner style build(hp) function
        The space to start from (a ``build(hp)`` function is read with
        :meth:`SearchSpace.from_build_fn`).  Reset goes back to it.
    cv : int, default 3
        Folds of the grid search (a control, 2 to 50).
    epochs : int, default 10
        Epochs per fit (a control, 1 to 10,000; ignored when the space has ``epochs``).
    seconds_per_epoch, fit_overhead : float, optional
        Speed of one fit, e.g. from :func:`measure_speed` or :meth:`measure`.
        Without them the summary shows epochs but no time.
    max_grid : int, default 100
        More configurations than this shows the too-large warning.
    max_minutes : float, default 5
        An estimated time above this shows the too-large warning.
    points : int, default 5
        Starting grid points of Floats without a step (1 to 100).
    presentation : bool, default False
        Larger fonts, for a projector.

    Every argument is checked when the editor is made: a value outside what its
    box holds is refused, not cut to fit. The sizes and the cost are arithmetic
    (:func:`grid_cost`): a space of 10**9 configurations is summarised at once,
    with its too-large warning.

    Attributes
    ----------
    seconds_per_epoch, fit_overhead, max_grid, max_minutes
        As the parameters; setting one checks it and updates the summary.
    rows : dict of str -> DimensionRow
        The row of each dimension (``rows["units"].slider``, ``.step``,
        ``rows["learning_rate"].buttons``, ...).
    cv_input, epochs_input : ipywidgets.BoundedIntText
    summary : ipywidgets.HTML
        The live summary (``summary_text`` is the same as plain text).
    message : ipywidgets.HTML
        What is wrong with the current edits ("" when nothing is).
    reset_button, export_button, import_button : ipywidgets.Button
    json_box : ipywidgets.Accordion
        Holds the JSON buttons and text area (closed at first).
    json_text : ipywidgets.Textarea
        Export writes the edited space here; import reads it.

    Examples
    --------
    >>> from nbtune import SearchSpace, Int, Choice
    >>> editor = SpaceEditor(SearchSpace(Int("units", 32, 512, step=32),
    ...                                  Choice("learning_rate", [1e-2, 1e-3, 1e-4])),
    ...                      seconds_per_epoch=0.05, fit_overhead=1.0)
    >>> editor.rows["learning_rate"].select([1e-2, 1e-3])
    >>> editor.cost["configs"]
    32
    >>> print(editor.summary_text.splitlines()[0])
    32 grid configurations (units 16 x learning_rate 2)
    >>> editor  # doctest: +SKIP
    """

    def __init__(
        self,
        space: SearchSpace | Callable,
        *,
        cv: int = 3,
        epochs: int = 10,
        seconds_per_epoch: float | None = None,
        fit_overhead: float | None = None,
        max_grid: int = 100,
        max_minutes: float = 5.0,
        points: int = 5,
        presentation: bool = False,
    ) -> None:
        space = _checked_editor_space(space)
        if not isinstance(presentation, bool):
            raise TypeError(f"presentation={presentation!r} is not allowed: give True (larger "
                            "fonts, for a projector) or False")
        cv = _check_bounded("cv", cv, 2, _MAX_FOLDS, "the folds, a whole number")
        epochs = _check_bounded("epochs", epochs, 1, _MAX_EPOCHS, "the epochs per fit, a whole number")
        _check_bounded("points", points, 1, _MAX_POINTS,
                       "the grid points of a Float without a step, a whole number")
        super().__init__()
        self.original = space
        # checked by their properties; the summary is shown once the rows exist
        self.seconds_per_epoch = seconds_per_epoch
        self.fit_overhead = fit_overhead
        self.max_grid = max_grid
        self.max_minutes = max_minutes
        self.default_points = points
        self.presentation = presentation
        self._summary_plain: list[str] = []
        self._make_controls(cv, epochs)
        self.children = self._layout(presentation)
        self._set_rows(space)

    def _make_controls(self, cv: int, epochs: int) -> None:
        self.cv_input = widgets.BoundedIntText(
            value=cv, min=2, max=50, description=_("cv folds"), layout=widgets.Layout(width="auto"),
        )
        self.epochs_input = widgets.BoundedIntText(
            value=epochs, min=1, max=10_000, description=_("epochs"),
            layout=widgets.Layout(width="auto"),
        )
        for box in (self.cv_input, self.epochs_input):
            box.observe(self._on_change, names="value")
        self.summary = widgets.HTML()
        self.message = widgets.HTML()
        fit_text = widgets.Layout(width="auto")  # not ipywidgets' fixed 148 px
        self.reset_button = widgets.Button(description=_("Reset"), icon="undo",
                                           layout=widgets.Layout(width="auto", align_self="flex-start"),
                                           tooltip=_("back to the original space"))
        self.export_button = widgets.Button(description=_("Export JSON"), icon="download",
                                            layout=fit_text,
                                            tooltip=_("write the edited space as JSON below"))
        self.import_button = widgets.Button(description=_("Import JSON"), icon="upload",
                                            layout=fit_text,
                                            tooltip=_("load the space from the JSON below"))
        self.reset_button.on_click(lambda _: self.reset())
        self.export_button.on_click(lambda _: self._export_clicked())
        self.import_button.on_click(lambda _: self._import_clicked())
        self.json_text = widgets.Textarea(
            placeholder=_("Export JSON writes the edited space here; paste a space and Import JSON"),
            layout=widgets.Layout(width="100%", max_width="44em", height="8em"),
        )
        self.json_box = widgets.Accordion(
            [widgets.VBox([widgets.HBox([self.export_button, self.import_button]), self.json_text])],
            selected_index=None,
        )
        # set_title, not Accordion(titles=...): `titles` is new in ipywidgets 8; 7.7.1 (what
        # Google Colab ships) drops the keyword with a DeprecationWarning and shows no title.
        # set_title works in both.
        self.json_box.set_title(0, _("JSON: export / import the edited space"))
        self._rows_box = widgets.VBox()

    def _layout(self, presentation: bool) -> list:
        title = html.escape(_("Search space"))
        children = [
            styled(self, "nbtune-editor", presentation=presentation),
            widgets.HTML(f"<b style='font-size: 1.2em'>{title}</b>"),
            self._rows_box,
            widgets.HBox([self.cv_input, self.epochs_input]),
            self.summary,
            self.message,
            self.reset_button,
            self.json_box,
        ]
        return children

    # -- rows ------------------------------------------------------------------
    def _set_rows(self, space: SearchSpace, points: dict | None = None) -> None:
        points = points or {}
        rows: dict[str, DimensionRow] = {}  # all made before any is shown: a bad one changes nothing
        for dim in space:
            rows[dim.name] = dimension_row(dim, points=points.get(dim.name, self.default_points))
        for row in rows.values():
            for control in row.controls:
                control.observe(self._on_change, names="value")
        self.rows = rows
        self._rows_box.children = [row.widget for row in self.rows.values()]
        self._refresh()

    def _on_change(self, change: dict) -> None:
        self._refresh()

    # -- settings a student may change (each is checked, and the summary follows) -----
    @property
    def seconds_per_epoch(self) -> float | None:
        """Seconds one epoch takes (e.g. from :meth:`measure`); None: no time estimate."""
        return self._seconds_per_epoch

    @seconds_per_epoch.setter
    def seconds_per_epoch(self, value: float | None) -> None:
        self._seconds_per_epoch = check_seconds("seconds_per_epoch", value)
        self._refresh_if_shown()

    @property
    def fit_overhead(self) -> float | None:
        """Fixed seconds of one configuration (e.g. from :meth:`measure`); None: no estimate."""
        return self._fit_overhead

    @fit_overhead.setter
    def fit_overhead(self, value: float | None) -> None:
        self._fit_overhead = check_seconds("fit_overhead", value)
        self._refresh_if_shown()

    @property
    def max_grid(self) -> int:
        """More configurations than this shows the too-large warning."""
        return self._max_grid

    @max_grid.setter
    def max_grid(self, value: int) -> None:
        self._max_grid = check_whole("max_grid", value, hint=", e.g. max_grid=100",
                                     what="the most grid configurations for a class, a whole number")
        self._refresh_if_shown()

    @property
    def max_minutes(self) -> float:
        """An estimated time above this many minutes shows the too-long warning."""
        return self._max_minutes

    @max_minutes.setter
    def max_minutes(self, value: float) -> None:
        self._max_minutes = _check_minutes(value)
        self._refresh_if_shown()

    def _refresh_if_shown(self) -> None:
        if "rows" in self.__dict__:  # not while __init__ sets the first values
            self._refresh()

    # -- reading the edits -----------------------------------------------------
    def _problems_and_space(self) -> tuple[dict[str, str], SearchSpace | None]:
        problems, dims = {}, []
        for row in self.rows.values():
            try:
                dims.append(row.dimension())
            except ValueError as exc:
                problems[row.name] = str(exc)
        if problems:
            return problems, None
        return {}, SearchSpace(*dims)

    @property
    def space(self) -> SearchSpace:
        """The edited space (validated); ValueError naming the problem if the edits are invalid."""
        problems, space = self._problems_and_space()
        if problems:
            raise ValueError(
                "SpaceEditor: the edited space is not valid: " + "; ".join(problems.values())
                + ". Fix the row in the editor (or press Reset)."
            )
        return space

    @property
    def points(self) -> dict[str, int]:
        """Grid points of each Float without a step: pass as ``grid_search(..., points=...)``."""
        return {name: row.points for name, row in self.rows.items() if row.points is not None}

    @property
    def cv(self) -> int:
        """The folds chosen in the editor."""
        return int(self.cv_input.value)

    @property
    def epochs(self) -> int:
        """The epochs per fit chosen in the editor."""
        return int(self.epochs_input.value)

    @property
    def cost(self) -> dict[str, Any]:
        """:func:`grid_cost` of the edited space with the chosen folds, epochs and speed."""
        return grid_cost(
            self.space, points=self.points, cv=self.cv, epochs=self.epochs,
            seconds_per_epoch=self.seconds_per_epoch, fit_overhead=self.fit_overhead,
        )

    @property
    def too_large(self) -> bool:
        """True when the grid is over ``max_grid`` configurations or ``max_minutes``."""
        cost = self.cost
        return cost["configs"] > self.max_grid or (
            cost["seconds"] is not None and cost["seconds"] > 60 * self.max_minutes
        )

    @property
    def summary_text(self) -> str:
        """The summary as plain text, one line per line shown."""
        return "\n".join(self._summary_plain)

    # -- the summary -----------------------------------------------------------
    def _refresh(self) -> None:
        problems, space = self._problems_and_space()
        for row in self.rows.values():
            if row.name in problems:
                row.count.value = "\u26a0 " + _("invalid")
            else:
                try:
                    n = row.dimension().grid_size(row.points)
                    row.count.value = ngettext("{count} value", "{count} values", n).format(count=n)
                except ValueError:
                    row.count.value = ""
        if problems:
            fix = _("grid: {dash} (fix the edits above)")
            self._summary_plain = [fix.format(dash="--")]
            self.summary.value = f"<span>{html.escape(fix).format(dash='&mdash;')}</span>"
            self.message.value = "".join(
                f"<div style='color:#b00020'>&#9888; {html.escape(p)}</div>"
                for p in problems.values()
            )
            return
        self.message.value = ""
        self._show_summary(self.cost)

    def _show_summary(self, cost: dict) -> None:
        lines = self._cost_lines(cost)
        warnings = self._cost_warnings(cost)
        lines += [_("WARNING: {warning}").format(warning=w) for w in warnings]
        self._summary_plain = lines
        body = "<b>" + html.escape(lines[0]) + "</b><br>"
        body += "<br>".join(html.escape(line) for line in lines[1:3])
        body += "".join(
            f"<div style='color:#b00020; font-weight:bold'>&#9888; {html.escape(w)}</div>"
            for w in warnings
        )
        self.summary.value = f"<div style='line-height:1.6'>{body}</div>"

    def _cost_lines(self, cost: dict) -> list[str]:
        """The summary's lines: configurations, fits and epochs, time (in the language spoken)."""
        sizes = " x ".join(f"{name} {n}" for name, n in cost["sizes"].items())
        epochs_note = (_("epochs from the space") if "epochs" in self.rows
                       else _("{epochs} epochs each").format(epochs=self.epochs))
        lines = [
            _("{configs} grid configurations ({sizes})").format(configs=f"{cost['configs']:,}",
                                                                 sizes=sizes),
            _("x {folds} folds = {fits} fits, {epochs_note}: {epochs} epochs in all").format(
                folds=self.cv, fits=f"{cost['fits']:,}", epochs_note=epochs_note,
                epochs=f"{cost['epochs_total']:,}"),
        ]
        if cost["seconds"] is None:
            lines.append(_("time: measure_speed(build_fn, X, y) to estimate"))
        else:
            lines.append(_("time: about {time} ({fit} s per configuration + {epoch} s per epoch)")
                         .format(time=format_seconds(cost["seconds"]),
                                 fit=f"{self.fit_overhead:.2g}",
                                 epoch=f"{self.seconds_per_epoch:.2g}"))
        return lines

    def _cost_warnings(self, cost: dict) -> list[str]:
        """Why the grid is too much for a class, if it is (in the language spoken)."""
        warnings = []
        if cost["configs"] > self.max_grid:
            warnings.append(
                _("too large for a class: {configs} configurations > {max_grid}; raise a step, "
                  "narrow a range, drop a choice, or use random search")
                .format(configs=f"{cost['configs']:,}", max_grid=f"{self.max_grid:,}"))
        if cost["seconds"] is not None and cost["seconds"] > 60 * self.max_minutes:
            warnings.append(
                _("too long for a class: about {time} > {minutes} min")
                .format(time=format_seconds(cost["seconds"]),
                        minutes=format_value(self.max_minutes)))
        return warnings

    # -- actions ---------------------------------------------------------------
    def reset(self) -> None:
        """Go back to the original space (what the Reset button does)."""
        self._set_rows(self.original)

    def measure(self, build_fn: Callable, X: Any, y: Any, **kwargs: Any) -> tuple[float, float]:
        """Run :func:`measure_speed` and use its numbers for the time estimate.

        Returns ``(fit_overhead, seconds_per_epoch)``.
        """
        self.fit_overhead, self.seconds_per_epoch = measure_speed(build_fn, X, y, **kwargs)
        return self.fit_overhead, self.seconds_per_epoch

    def to_json(self, **kwargs: Any) -> str:
        """The edited space as JSON (``SearchSpace.from_json`` reads it).

        Grid points of stepless Floats are kept under ``"points"``.
        ``kwargs`` go to ``json.dumps``.
        """
        d: dict[str, Any] = self.space.to_dict()
        if self.points:
            d["points"] = self.points
        return json.dumps(d, **kwargs)

    def load_json(self, s: str) -> SearchSpace:
        """Edit the space described by ``s`` (from :meth:`to_json` or ``SearchSpace.to_json``).

        Raises ValueError for text that is not such JSON (naming the line and
        column of the problem, or what the space's dict lacks); the editor is left
        unchanged then.
        """
        if not isinstance(s, (str, bytes, bytearray)):
            raise TypeError(f"load_json: expected the JSON text of a space (a str), got "
                            f"{type(s).__name__}; use the text to_json() wrote")
        try:
            d = json.loads(s)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"load_json: the text is not JSON: {exc.msg} at line {exc.lineno}, column "
                f"{exc.colno}; use the text to_json() or SearchSpace.to_json() wrote"
            ) from None
        try:
            space = SearchSpace.from_dict(d)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"load_json: {exc}") from None
        points = d.get("points") or {}
        self._check_json_points(space, points)
        self._set_rows(space, points)
        return space

    @staticmethod
    def _check_json_points(space: SearchSpace, points: Any) -> None:
        """The JSON's "points": grid points (1 to 100) of the space's Floats without a step."""
        stepless = [d.name for d in space if isinstance(d, Float) and d.step is None]
        if not isinstance(points, dict):
            raise ValueError(f"load_json: 'points' must map names to numbers, got {points!r:.80}; "
                             f"give e.g. {{{', '.join(f'{n!r}: 5' for n in stepless)}}}")
        unknown = [name for name in points if name not in stepless]
        if unknown:
            raise ValueError(f"load_json: 'points' names {unknown}, which are not Floats without "
                             f"a step in the space (those are {stepless}); remove them")
        bad = {k: v for k, v in points.items()
               if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= _MAX_POINTS}
        if bad:
            raise ValueError(f"load_json: 'points' must be whole numbers from 1 to {_MAX_POINTS}, "
                             f"got {bad}; give e.g. 5")

    def _export_clicked(self) -> None:
        try:
            self.json_text.value = self.to_json(indent=1)
        except ValueError as exc:
            self.message.value = f"<div style='color:#b00020'>&#9888; {html.escape(str(exc))}</div>"

    def _import_clicked(self) -> None:
        try:
            self.load_json(self.json_text.value)
        except ValueError as exc:
            self.message.value = f"<div style='color:#b00020'>&#9888; {html.escape(str(exc))}</div>"
