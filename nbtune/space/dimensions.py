"""The value types of a search space: :class:`Int`, :class:`Float`, :class:`Choice`, :class:`Fixed`.

Each dimension checks its own arguments, lists its grid points, gives scipy
distributions for a random search, declares itself to keras-tuner
(:meth:`Dimension.declare`) and narrows around a best value
(:meth:`Dimension.narrowed`). :class:`~nbtune.space.search_space.SearchSpace`
holds an ordered set of them.

Every value a dimension hands out is a plain Python scalar (``int``, ``float``,
``str``, ``bool`` or ``None``), never a numpy scalar: Keras 3 rejects
``numpy.int64`` units.

Importing this module is cheap: scipy.stats and keras_tuner are imported only
inside the functions that need them, TensorFlow and Keras never at import time.

Why one module of about 910 lines: the four value types implement one protocol
(``grid``, ``distribution``, ``declare``, ``decode``, ``narrowed``,
``to_python``, ``to_dict``) and share its checks (:func:`check_number`); read
side by side, a reader sees each type answer the same questions.

Sizes are arithmetic: :meth:`Dimension.grid_size` counts a dimension's values
(:func:`step_count`) without listing them, and what a dimension may list is
bounded where it is declared (:data:`MAX_GRID_VALUES`, :data:`MAX_INT`).

A dimension refuses a wrong argument in the language spoken (:mod:`nbtune.language`),
naming the call, the argument, the value and the fix.

Examples
--------
>>> Int("units", 32, 128, step=32).grid()
[32, 64, 96, 128]
>>> Float("learning_rate", 1e-4, 1e-2, log=True).grid(points=3)
[0.0001, 0.001, 0.01]
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import numbers
import reprlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from nbtune.formatting import to_python
from nbtune.language import gettext as _

_SIGNIFICANT_DIGITS = 12
_EPS = 1e-9

#: The most values one dimension may list: a stepped Int or Float, a Choice, or the
#: ``points`` of a stepless Float. A dimension's values are held as a Python list (its
#: grid, and the distribution random search draws from, as RandomizedSearchCV does):
#: a million take about 40 MB and a second to build, and no class grids more than a few
#: hundred values of one hyperparameter. A wider range leaves out the step (Int with
#: step=1, a stepless Float): random search samples it without listing it, and its
#: size is still counted (:meth:`Dimension.grid_size`).
MAX_GRID_VALUES = 1_000_000

#: The widest integer bound: 2**53, the largest integer a float (JSON, keras-tuner,
#: scipy's samplers) holds exactly.
MAX_INT = 2**53

_SHORT = reprlib.Repr()
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxset = 8
_SHORT.maxstring = _SHORT.maxother = 60


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------
def _round(x: float) -> float:
    """Round a float to 12 significant digits: 1e-4 stays 0.0001."""
    return float(f"{x:.{_SIGNIFICANT_DIGITS}g}")


def _call(kind: str, name: Any, **kwargs: Any) -> str:
    """Render a constructor call for error messages: ``Int('units', low=1)``.

    Long values are shortened (``[0, 1, 2, ...]``): a message names, it does not list.
    """
    head = _SHORT.repr(name) if isinstance(name, str) and name else f"name={_SHORT.repr(name)}"
    args = [head] + [f"{k}={_SHORT.repr(v)}" for k, v in kwargs.items()]
    return f"{kind}({', '.join(args)})"


def _given(**kwargs: tuple[Any, Any]) -> dict[str, Any]:
    """The keyword arguments that differ from their default: ``name=(value, default)``."""
    return {k: v for k, (v, default) in kwargs.items() if v is not default and v != default}


def _check_name(where: str, name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(_(
            "{where}: name must be a non-empty string, got {name!r} ({type}); "
            "give the hyperparameter a name such as 'units'."
        ).format(where=where, name=name, type=type(name).__name__))
    if not name:
        raise ValueError(_(
            "{where}: name must be a non-empty string, got ''; "
            "give the hyperparameter a name such as 'units'."
        ).format(where=where))
    return name


def check_number(where: str, arg: str, value: Any, *, integer: bool = False) -> int | float:
    """Validate a bound or step; return it as a plain int (integer) or float.

    ``where`` names the call in the error, e.g. ``"Int('units', ...)"``.

    Examples
    --------
    >>> check_number("Int('units', ...)", "low", 16, integer=True)
    16
    """
    wanted = _("an integer") if integer else _("a real number")
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(_(
            "{where}: {arg} must be {wanted}, got the bool {value!r}; "
            "booleans are not numbers here, write a number such as {arg}=1."
        ).format(where=where, arg=arg, wanted=wanted, value=value))
    value = to_python(value)
    if not isinstance(value, numbers.Real):
        raise TypeError(_(
            "{where}: {arg} must be {wanted}, got {value!r} ({type}); {hint}."
        ).format(where=where, arg=arg, wanted=wanted, value=value, type=type(value).__name__,
                 hint=_number_hint(arg, value)))
    if not math.isfinite(value):
        raise ValueError(_(
            "{where}: {arg} must be finite, got {value!r}; use a finite bound."
        ).format(where=where, arg=arg, value=value))
    if integer:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(_(
                "{where}: {arg} must be an integer, got {value!r}; "
                "round it ({arg}={rounded}) or use Float for real values."
            ).format(where=where, arg=arg, value=value, rounded=round(value)))
        return int(value)
    return float(value)


def _number_hint(arg: str, value: Any) -> str:
    """How to write ``value`` (not a number) as one: without its quotes, or as a number."""
    if isinstance(value, str):
        try:
            return _("drop the quotes: {arg}={number}").format(arg=arg, number=f"{float(value):g}")
        except ValueError:
            pass
    return _("write a number such as {arg}=1").format(arg=arg)


def _check_log(where: str, log: Any) -> bool:
    if not isinstance(log, (bool, np.bool_)):
        raise TypeError(_(
            "{where}: log must be True or False, got {log} ({type}); "
            "write log=True or log=False, without quotes."
        ).format(where=where, log=_SHORT.repr(log), type=type(log).__name__))
    return bool(log)


def _check_int_bound(where: str, arg: str, value: int) -> None:
    if abs(value) > MAX_INT:
        raise ValueError(_(
            "{where}: {arg}={value} is beyond +-2**53 ({limit:,}), the widest integer "
            "a float holds exactly; give a bound within it (no hyperparameter needs more)."
        ).format(where=where, arg=arg, value=value, limit=MAX_INT))


def step_count(low: float, high: float, step: float, log: bool = False) -> int:
    """How many values ``low, low+step, ... <= high`` (``low, low*step, ...`` when ``log``) holds.

    Arithmetic: nothing is listed, so a step of 1e-9 is counted at once.

    Examples
    --------
    >>> step_count(0.0, 1.0, 0.25), step_count(16, 256, 2, log=True), step_count(0, 1, 1e-9)
    (5, 5, 1000000000)
    """
    if log:
        return int(math.floor((math.log(high) - math.log(low)) / math.log(step) + _EPS)) + 1
    return int(math.floor((high - low) / step + _EPS)) + 1


def count_text(count: int) -> str:
    """A count for a message: ``1,000,000``, or ``1e+308`` when it has more than 15 digits.

    Examples
    --------
    >>> count_text(10**6), count_text(10**308)
    ('1,000,000', '1e+308')
    """
    return f"{count:,}" if count < 10**15 else f"{float(count):.3g}"


def _check_step_count(where: str, count: int, step: Any, without_step: str) -> None:
    """A step may list at most MAX_GRID_VALUES values (see its comment)."""
    if count > MAX_GRID_VALUES:
        raise ValueError(_(
            "{where}: step={step!r} gives {count} values, more than the "
            "{limit:,} a dimension may list; give a larger step, narrow the range, "
            "or leave out the step ({without_step}) to sample the range in a random search."
        ).format(where=where, step=step, count=count_text(count), limit=MAX_GRID_VALUES,
                 without_step=without_step))


def _check_points(name: str, points: Any) -> int:
    """The grid points of a stepless Float: a whole number from 1 to MAX_GRID_VALUES."""
    where = _("grid points for {name!r}").format(name=name)
    points = check_number(where, "points", points, integer=True)
    if not 1 <= points <= MAX_GRID_VALUES:
        raise ValueError(_(
            "{where}: points={points:,} is not allowed; give a number "
            "from 1 to {limit:,}, e.g. points=5."
        ).format(where=where, points=points, limit=MAX_GRID_VALUES))
    return points


def _check_order(where: str, kind: str, name: str, low: float, high: float, rest: str) -> None:
    if low > high:
        raise ValueError(_(
            "{where}: low ({low!r}) is greater than high ({high!r}); swap them: {fix}"
        ).format(where=where, low=low, high=high, fix=f"{kind}({name!r}, {high!r}, {low!r}{rest})"))


def _check_log_low(where: str, low: float, log: bool) -> None:
    if log and low <= 0:
        raise ValueError(_(
            "{where}: a log range needs low > 0, got low={low!r}; "
            "use a small positive low (such as 1e-05 for a learning rate, 1 for a count) "
            "or set log=False."
        ).format(where=where, low=low))


_SCALAR_TYPES = (bool, int, float, str, type(None))


def _check_scalar(where: str, what: str, value: Any) -> Any:
    value = to_python(value)
    if not isinstance(value, _SCALAR_TYPES):
        raise TypeError(_(
            "{where}: {what} must be an int, float, str, bool or None, got {value!r} "
            "({type}); pass a name (such as 'adam') and create the "
            "object inside the build function."
        ).format(where=where, what=what, value=value, type=type(value).__name__))
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(_("{where}: {what} is {value!r}; use a finite number or None.").format(
            where=where, what=what, value=value))
    return value


def _typed(value: Any) -> Any:
    """A comparison key that tells 1, 1.0 and True apart."""
    if isinstance(value, tuple):
        return tuple(_typed(v) for v in value)
    return (type(value).__name__, value)


def _step_grid(low: float, high: float, step: float, log: bool) -> list[float]:
    """Values low, low+step, ... (or low, low*step, ... when log) that are <= high."""
    n = step_count(low, high, step, log)
    if log:
        return [low * step**k for k in range(n)]
    return [low + k * step for k in range(n)]


# --------------------------------------------------------------------------
# dimensions
# --------------------------------------------------------------------------
class Dimension:
    """Base class of :class:`Int`, :class:`Float`, :class:`Choice` and :class:`Fixed`.

    A dimension is a small immutable value object with a ``name``. Equality is
    type-strict: ``Fixed('x', 1) != Fixed('x', 1.0)``.
    """

    name: str

    def _key(self) -> tuple:
        return (type(self).__name__,) + tuple(
            _typed(getattr(self, f.name)) for f in dataclasses.fields(self)
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dimension):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    @property
    def default(self) -> Any:
        """The value keras-tuner would use by default (``low``, first choice, ...)."""
        raise NotImplementedError

    def grid(self, points: int | None = None) -> list:
        """The grid values of this dimension, as plain Python scalars."""
        raise NotImplementedError

    def grid_size(self, points: int | None = None) -> int:
        """The number of grid values, counted without building the grid."""
        return len(self.grid(points))

    def distribution(self) -> Any:
        """A list or a distribution with ``.rvs`` for scikit-learn's ParameterSampler."""
        raise NotImplementedError

    def to_python(self, value: Any) -> Any:
        """Convert one value (maybe a numpy scalar) to this dimension's plain type."""
        return to_python(value)

    def to_dict(self) -> dict:
        """A plain JSON-able dict: ``{"type": "Int", "name": ..., ...}``."""
        d = {"type": type(self).__name__}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            d[f.name] = list(v) if isinstance(v, tuple) else v
        return d

    # keras-tuner bridge, overridden below
    def declare(self, hp: Any) -> Any:
        """Declare this dimension on keras-tuner's ``hp``; return the value ``hp`` gives.

        Examples
        --------
        >>> import keras_tuner as kt
        >>> Int("units", 16, 64, step=16).declare(kt.HyperParameters())
        16
        """
        raise NotImplementedError

    def decode(self, raw: Any) -> Any:
        """The real value behind a value keras-tuner recorded for this dimension.

        Examples
        --------
        >>> Choice("activation", ["relu", None]).decode("None") is None
        True
        """
        return self.to_python(raw)

    def narrowed(self, best: Any, fraction: float, keep_choices: bool) -> Dimension:
        """This dimension narrowed around ``best`` (see :meth:`SearchSpace.narrow`).

        Examples
        --------
        >>> Int("units", 0, 100, step=10).narrowed(50, 0.2, False)
        Int('units', 40, 60, step=10)
        """
        return self


def _narrow_window(t_low: float, t_high: float, t_best: float, fraction: float) -> tuple[float, float]:
    half = fraction * (t_high - t_low) / 2
    return t_best - half, t_best + half


def _narrow_on_lattice(low: int, step: int, count: int, best: int,
                      fraction: float) -> tuple[int, int]:
    """:func:`_narrow_on_grid` for the integers ``low + k * step``, ``k < count``, without
    listing them (an Int may hold 10**9 values)."""
    a, b = _narrow_window(low, low + (count - 1) * step, best, fraction)
    k_low = min(max(math.floor((a + _EPS - low) / step), 0), count - 1)
    k_high = max(min(math.ceil((b - _EPS - low) / step), count - 1), 0)
    return min(low + k_low * step, best), max(low + k_high * step, best)


def _narrow_on_grid(grid: list, best: float, fraction: float, log: bool) -> tuple[Any, Any]:
    """Narrow a window around ``best`` and snap it outwards to the values of ``grid``."""
    t = math.log if log else (lambda v: v)
    a, b = _narrow_window(t(grid[0]), t(grid[-1]), t(best), fraction)
    lo = max([v for v in grid if t(v) <= a + _EPS], default=grid[0])
    hi = min([v for v in grid if t(v) >= b - _EPS], default=grid[-1])
    return min(lo, best), max(hi, best)


def _check_best(dim: Int | Float, best: Any) -> float:
    where = _("narrow: best value for {name!r}").format(name=dim.name)
    value = check_number(where, "value", best)
    span = dim.high - dim.low
    tol = _EPS * max(abs(dim.low), abs(dim.high), span, 1.0)
    if not dim.low - tol <= value <= dim.high + tol:
        raise ValueError(_(
            "{where} is {best!r}, outside the dimension {dimension}; "
            "pass the best parameters found in this space."
        ).format(where=where, best=best, dimension=repr(dim)))
    return min(max(value, dim.low), dim.high)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class Int(Dimension):
    """An integer hyperparameter; both bounds are inclusive.

    Parameters
    ----------
    name : str
        The hyperparameter name (the build function's keyword).
    low, high : int
        Inclusive bounds. Integer-valued floats and numpy integers are accepted
        and converted to ``int``.
    step : int, default 1
        Linear: distance between grid values ``low, low+step, ... <= high``.
        With ``log=True`` (as keras-tuner's ``Int(sampling="log")``) a step > 1
        is a multiplier: ``low, low*step, low*step**2, ... <= high``.
    log : bool, default False
        Sample log-uniformly. With ``step=1`` the grid is still every integer,
        but random samples are log-uniform (rounded down).

    Notes
    -----
    Bounds lie within +-2**53 (:data:`MAX_INT`), and a step other than 1 may give at
    most :data:`MAX_GRID_VALUES` values. A step-1 range may be as wide as the bounds
    allow (random search samples it): its size is counted, but :meth:`grid` refuses
    to list more than :data:`MAX_GRID_VALUES` values.

    Examples
    --------
    >>> Int("units", 32, 128, step=32).grid()
    [32, 64, 96, 128]
    >>> Int("batch_size", 16, 256, step=2, log=True).grid()
    [16, 32, 64, 128, 256]
    """

    name: str
    low: int
    high: int
    step: int = 1
    log: bool = False

    def __post_init__(self) -> None:
        where = _call("Int", self.name, low=self.low, high=self.high,
                      **_given(step=(self.step, 1), log=(self.log, False)))
        _check_name(where, self.name)
        low = check_number(where, "low", self.low, integer=True)
        high = check_number(where, "high", self.high, integer=True)
        step = check_number(where, "step", self.step, integer=True)
        log = _check_log(where, self.log)
        rest = (f", step={step}" if step != 1 else "") + (", log=True" if log else "")
        _check_order(where, "Int", self.name, low, high, rest)
        _check_log_low(where, low, log)
        if step <= 0:
            raise ValueError(_(
                "{where}: step must be a positive integer, got {step}; "
                "use step=1 for every integer."
            ).format(where=where, step=step))
        _check_int_bound(where, "low", low)
        _check_int_bound(where, "high", high)
        if step > 1 and not log:
            every = _("{call} has every integer").format(call=f"Int({self.name!r}, {low}, {high})")
            _check_step_count(where, len(range(low, high + 1, step)), step, every)
        for field, value in (("low", low), ("high", high), ("step", step), ("log", log)):
            object.__setattr__(self, field, value)

    def __repr__(self) -> str:
        extra = (f", step={self.step}" if self.step != 1 else "") + (", log=True" if self.log else "")
        return f"Int({self.name!r}, {self.low}, {self.high}{extra})"

    @property
    def default(self) -> int:
        return self.low

    def _multiples(self) -> list[int]:
        """``low, low*step, ... <= high`` (a log multiplier: at most 54 values)."""
        values, v = [], self.low
        while v <= self.high:
            values.append(v)
            v *= self.step
        return values

    def grid(self, points: int | None = None) -> list[int]:
        """All values; ``points`` is ignored (an integer grid is always exact).

        More than :data:`MAX_GRID_VALUES` values (a step-1 range such as 1 to 10**9)
        are refused: :meth:`grid_size` counts them, random search samples them.
        """
        if self.log and self.step > 1:
            return self._multiples()
        count = self.grid_size()
        if count > MAX_GRID_VALUES:
            step = max(1, (self.high - self.low) // 10)
            raise ValueError(_(
                "{dimension} has {count} grid values, more than the {limit:,} a grid "
                "may list; give it a step (e.g. step={step} gives 11 values), narrow the range, "
                "or sample the range with random_search instead of a grid."
            ).format(dimension=repr(self), count=count_text(count), limit=MAX_GRID_VALUES,
                     step=step))
        return list(range(self.low, self.high + 1, self.step))

    def grid_size(self, points: int | None = None) -> int:
        if self.log and self.step > 1:
            return len(self._multiples())
        return len(range(self.low, self.high + 1, self.step))

    def distribution(self) -> Any:
        if self.low == self.high:
            return [self.low]
        if self.log:
            return LogUniformInt(self.low, self.high, self.step)
        if self.step == 1:
            from scipy import stats

            return stats.randint(self.low, self.high + 1)
        return self.grid()

    def to_python(self, value: Any) -> Any:
        value = to_python(value)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return int(round(value))
        return value

    def declare(self, hp: Any) -> Any:
        # keras-tuner refuses step=1 with sampling="log"; step=None means "any integer".
        step = None if (self.log and self.step == 1) else self.step
        return hp.Int(
            self.name, min_value=self.low, max_value=self.high, step=step,
            sampling="log" if self.log else "linear",
        )

    def narrowed(self, best: Any, fraction: float, keep_choices: bool) -> Int:
        best = _check_best(self, best)
        if self.log and self.step == 1:
            a, b = _narrow_window(math.log(self.low), math.log(self.high), math.log(best), fraction)
            low = max(self.low, min(int(math.floor(math.exp(a) + _EPS)), int(best)))
            high = min(self.high, max(int(math.ceil(math.exp(b) - _EPS)), int(best)))
        elif self.log:
            low, high = _narrow_on_grid(self._multiples(), int(round(best)), fraction, True)
        else:
            low, high = _narrow_on_lattice(self.low, self.step, self.grid_size(),
                                           int(round(best)), fraction)
        return Int(self.name, low, high, step=self.step, log=self.log)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class Float(Dimension):
    """A real-valued hyperparameter; both bounds are inclusive.

    Parameters
    ----------
    name : str
        The hyperparameter name.
    low, high : float
        Inclusive bounds, stored as ``float``.
    log : bool, default False
        Sample (and space grid points) log-uniformly; needs ``low > 0``.
    step : float, optional
        Grid values ``low, low+step, ... <= high``; with ``log=True`` the step is
        a multiplier > 1 (``low, low*step, ...``), as in keras-tuner. Without a
        step, ``SearchSpace.grid(points=...)`` chooses how many grid points.
        A step may give at most :data:`MAX_GRID_VALUES` values, and the range
        (``high - low``, or ``high / low`` when log) must be a finite float.

    Examples
    --------
    >>> Float("dropout", 0.0, 0.5, step=0.1).grid()
    [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    >>> Float("lr", 1e-4, 1e-1, log=True).grid(points=4)
    [0.0001, 0.001, 0.01, 0.1]
    """

    name: str
    low: float
    high: float
    log: bool = False
    step: float | None = None

    def __post_init__(self) -> None:
        where = _call("Float", self.name, low=self.low, high=self.high,
                      **_given(log=(self.log, False), step=(self.step, None)))
        _check_name(where, self.name)
        low = check_number(where, "low", self.low)
        high = check_number(where, "high", self.high)
        log = _check_log(where, self.log)
        step = None if self.step is None else check_number(where, "step", self.step)
        rest = (", log=True" if log else "") + (f", step={step!r}" if step is not None else "")
        _check_order(where, "Float", self.name, low, high, rest)
        _check_log_low(where, low, log)
        if step is not None and log and step <= 1:
            raise ValueError(_(
                "{where}: with log=True the step is a multiplier and must be greater "
                "than 1, got step={step!r}; e.g. step=10 gives low, low*10, low*100, ..."
            ).format(where=where, step=step))
        if step is not None and step <= 0:
            raise ValueError(_(
                "{where}: step must be greater than 0, got step={step!r}; "
                "use a positive step such as 0.1, or step=None for a continuous range."
            ).format(where=where, step=step))
        if not math.isfinite(high / low if log else high - low):
            raise ValueError(_(
                "{where}: the range from low={low!r} to high={high!r} is wider than a float "
                "holds ({overflows} overflows); give bounds of the scale the hyperparameter "
                "takes, e.g. low=1e-05, high=1.0 for a learning rate."
            ).format(where=where, low=low, high=high,
                     overflows="high / low" if log else "high - low"))
        if step is not None:
            stepless = f"Float({self.name!r}, {low!r}, {high!r}{', log=True' if log else ''})"
            _check_step_count(where, step_count(low, high, step, log), step, stepless)
        for field, value in (("low", low), ("high", high), ("log", log), ("step", step)):
            object.__setattr__(self, field, value)

    def __repr__(self) -> str:
        extra = (", log=True" if self.log else "") + (
            f", step={self.step!r}" if self.step is not None else ""
        )
        return f"Float({self.name!r}, {self.low!r}, {self.high!r}{extra})"

    @property
    def default(self) -> float:
        return self.low

    def _no_points_error(self) -> ValueError:
        example = f"Float({self.name!r}, {self.low!r}, {self.high!r}{', log=True' if self.log else ''}"
        return ValueError(_(
            "{dimension} has no step, so its grid needs a number of points: give it a "
            "step ({with_step}) or ask for points: space.grid(points=5) or {per_name}."
        ).format(dimension=repr(self), with_step=f"{example}, step=...)",
                 per_name=f"space.grid(points={{{self.name!r}: 5}})"))

    def grid(self, points: int | None = None) -> list[float]:
        """Grid values. ``points`` is needed (and only used) when there is no step."""
        if self.step is not None:
            values = _step_grid(self.low, self.high, self.step, self.log)
        elif points is None:
            raise self._no_points_error()
        else:
            points = _check_points(self.name, points)
            spacing = np.geomspace if self.log else np.linspace
            values = spacing(self.low, self.high, points).tolist()
        return [_round(v) for v in values]

    def grid_size(self, points: int | None = None) -> int:
        if self.step is not None:
            return step_count(self.low, self.high, self.step, self.log)
        if points is None:
            raise self._no_points_error()
        return _check_points(self.name, points)

    def distribution(self) -> Any:
        if self.step is not None or self.low == self.high:
            return self.grid(points=1)
        from scipy import stats

        if self.log:
            return stats.loguniform(self.low, self.high)
        return stats.uniform(self.low, self.high - self.low)

    def to_python(self, value: Any) -> Any:
        value = to_python(value)
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            value = float(value)
            return _round(value) if self.step is not None else value
        return value

    def declare(self, hp: Any) -> Any:
        return hp.Float(
            self.name, min_value=self.low, max_value=self.high, step=self.step,
            sampling="log" if self.log else "linear",
        )

    def narrowed(self, best: Any, fraction: float, keep_choices: bool) -> Float:
        best = _check_best(self, best)
        if self.step is not None:
            low, high = _narrow_on_grid(self.grid(), best, fraction, self.log)
        else:
            t, inv = (math.log, math.exp) if self.log else ((lambda v: v), (lambda v: v))
            a, b = _narrow_window(t(self.low), t(self.high), t(best), fraction)
            low = min(max(_round(inv(a)), self.low), best)
            high = max(min(_round(inv(b)), self.high), best)
        return Float(self.name, low, high, log=self.log, step=self.step)


_PLAIN = (int, str, bool, type(None))  # exactly these types are valid choices as they are


def _choice_keys(values: list) -> set:
    """The distinct choices: 1 and 1.0 are one choice, True and 1 are two (as keras-tuner
    declares them). A plain set when no bool could be taken for a 1 or a 0."""
    if not any(type(v) is bool for v in values):
        return set(values)
    return {(type(v) is bool, v) for v in values}


def _first_repeat(keys: list[tuple[bool, Any]]) -> Any:
    """The first value whose key appeared before (keys are ``(is_bool, value)``)."""
    seen: set = set()
    for key in keys:
        if key in seen:
            return key[1]
        seen.add(key)
    return None


def _choice_codes(values: tuple) -> tuple[str, list]:
    """How a Choice is declared in keras-tuner: ("plain" | "boolean" | "codes", kt values).

    keras-tuner's ``hp.Choice`` needs values of ONE type among int, float and str
    (bools would be turned into ints). So: one type -> declared as is; exactly
    ``[True, False]`` in any order -> ``hp.Boolean``; ints mixed with floats ->
    declared as floats (still ordered); anything else (None, mixed types, a
    single bool) -> declared as the strings ``str(v)`` (``repr(v)`` if two
    would look the same), mapped back by position.
    """
    types = {type(v) for v in values}
    if len(types) == 1 and types <= {int, float, str}:
        return "plain", list(values)
    if types == {bool} and len(values) == 2:
        return "boolean", list(values)
    if types == {int, float}:
        codes = [float(v) for v in values]
        if len(set(codes)) == len(codes):
            return "plain", codes
    codes = [str(v) for v in values]
    if len(set(codes)) < len(codes):
        codes = [repr(v) for v in values]
    return "codes", codes


@dataclasses.dataclass(frozen=True, eq=False, repr=False, init=False)
class Choice(Dimension):
    """One of a list of values (int, float, str, bool or None), kept in order.

    Parameters
    ----------
    name : str
        The hyperparameter name.
    values : list
        A non-empty list of unique scalars. Put objects such as optimizers in
        the build function and choose them by name (``['adam', 'sgd']``).

    Notes
    -----
    In keras-tuner, a Choice of one type is an ``hp.Choice``; ``[True, False]``
    is an ``hp.Boolean``; ints mixed with floats are declared as floats;
    other mixtures (e.g. ``['relu', None]``) are declared as a Choice over the
    strings ``'relu'``, ``'None'``, which :meth:`SearchSpace.sample` and
    :meth:`SearchSpace.values_from_hp` map back to the real values.

    Examples
    --------
    >>> Choice("activation", ["relu", "tanh"]).grid()
    ['relu', 'tanh']
    """

    name: str
    values: tuple

    def __init__(self, name: str, values: list) -> None:
        where = _call("Choice", name, values=values)
        _check_name(where, name)
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__") or isinstance(values, Mapping):
            raise TypeError(_(
                "{where}: values must be a list of choices, not a single {type}; "
                "wrap it in a list: {fix}"
            ).format(where=where, type=type(values).__name__,
                     fix=f"Choice({name!r}, [{values!r}])"))
        if isinstance(values, (set, frozenset)):
            raise TypeError(_(
                "{where}: values must be a list (a set has no order); use a list: {fix}"
            ).format(where=where, fix=f"Choice({name!r}, {_SHORT.repr(sorted(values, key=repr))})"))
        # one more than allowed is enough to refuse: range(10**9) is never listed
        values = list(itertools.islice(values, MAX_GRID_VALUES + 1))
        if len(values) > MAX_GRID_VALUES:
            raise ValueError(_(
                "{where}: values has more than {limit:,} choices, the most a "
                "dimension may list; for a range of numbers use Int(...) or Float(...), "
                "which random search samples without listing."
            ).format(where=where, limit=MAX_GRID_VALUES))
        values = [v if type(v) in _PLAIN or (type(v) is float and math.isfinite(v))
                  else _check_scalar(where, f"values[{i}]", v) for i, v in enumerate(values)]
        if not values:
            raise ValueError(_(
                "{where}: values is empty; list at least one choice, e.g. {example}."
            ).format(where=where, example=f"Choice({name!r}, ['relu', 'tanh'])"))
        # 1 and 1.0 are the same choice, True and 1 are not (as keras-tuner declares them)
        if len(_choice_keys(values)) < len(values):
            keys = [(type(v) is bool, v) for v in values]
            kept = [key[1] for key in dict.fromkeys(keys)]
            raise ValueError(_(
                "{where}: {repeat!r} appears more than once in values "
                "({count} repeats in all); remove the repeats: {fix}"
            ).format(where=where, repeat=_first_repeat(keys), count=len(keys) - len(kept),
                     fix=f"Choice({name!r}, {_SHORT.repr(kept)})"))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "values", tuple(values))

    def __repr__(self) -> str:
        return f"Choice({self.name!r}, {list(self.values)!r})"

    @property
    def default(self) -> Any:
        return self.values[0]

    def grid(self, points: int | None = None) -> list:
        return list(self.values)

    def distribution(self) -> list:
        return list(self.values)

    def declare(self, hp: Any) -> Any:
        mode, codes = _choice_codes(self.values)
        if mode == "boolean":
            return hp.Boolean(self.name, default=self.values[0])
        return hp.Choice(self.name, codes)

    def decode(self, raw: Any) -> Any:
        codes = _choice_codes(self.values)[1]
        raw = to_python(raw)
        for value, code in zip(self.values, codes):
            if raw == code and isinstance(raw, bool) == isinstance(code, bool):
                return value
        for value in self.values:  # already a real value (e.g. set by hand)
            if raw == value and type(raw) is type(value):
                return value
        raise ValueError(_(
            "keras-tuner value {raw!r} for {name!r} is not one of the choices "
            "{choices!r}; was the tuner run with a different space?"
        ).format(raw=raw, name=self.name, choices=list(self.values)))

    def narrowed(self, best: Any, fraction: float, keep_choices: bool) -> Dimension:
        best = to_python(best)
        if not any(best == v and type(best) is type(v) for v in self.values):
            best = self.decode(best)  # maybe keras-tuner's code for it
        return self if keep_choices else Fixed(self.name, best)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class Fixed(Dimension):
    """A value that is not tuned (int, float, str, bool or None).

    Examples
    --------
    >>> Fixed("epochs", 10).grid()
    [10]
    """

    name: str
    value: Any

    def __post_init__(self) -> None:
        where = _call("Fixed", self.name, value=self.value)
        _check_name(where, self.name)
        object.__setattr__(self, "value", _check_scalar(where, "value", self.value))

    def __repr__(self) -> str:
        return f"Fixed({self.name!r}, {self.value!r})"

    @property
    def default(self) -> Any:
        return self.value

    def grid(self, points: int | None = None) -> list:
        return [self.value]

    def distribution(self) -> list:
        return [self.value]

    def declare(self, hp: Any) -> Any:
        # keras-tuner's Fixed refuses None: declare the string 'None' instead.
        return hp.Fixed(self.name, "None" if self.value is None else self.value)

    def decode(self, raw: Any) -> Any:
        return self.value


TYPES: dict[str, type[Dimension]] = {"Int": Int, "Float": Float, "Choice": Choice, "Fixed": Fixed}


@functools.lru_cache(maxsize=256)
def _frozen(name: str, low: float, high: float) -> Any:
    """scipy's frozen distribution ``name(low, high)``, made once: freezing one takes
    about 0.7 ms (scipy builds its docstring), which was most of a replayed random search."""
    from scipy import stats

    return getattr(stats, name)(low, high)


class LogUniformInt:
    """Log-uniform integers between ``low`` and ``high`` (inclusive) for ParameterSampler.

    With ``step=1`` a sample is ``floor(x)`` for ``x`` log-uniform on
    ``[low, high + 1)`` (as keras-tuner does); with a multiplier ``step > 1`` it
    is a uniformly chosen value of ``low, low*step, ... <= high``.

    Examples
    --------
    >>> d = LogUniformInt(1, 1000)
    >>> x = d.rvs(random_state=0)
    >>> type(x), 1 <= x <= 1000
    (<class 'int'>, True)
    """

    def __init__(self, low: int, high: int, step: int = 1) -> None:
        where = f"LogUniformInt({_SHORT.repr(low)}, {_SHORT.repr(high)}, step={_SHORT.repr(step)})"
        low = check_number(where, "low", low, integer=True)
        high = check_number(where, "high", high, integer=True)
        step = check_number(where, "step", step, integer=True)
        if not 1 <= low <= high or step < 1:
            raise ValueError(_(
                "{where}: needs 1 <= low <= high and step >= 1 (a log scale starts above 0); "
                "give e.g. LogUniformInt(1, 1000)."
            ).format(where=where))
        _check_int_bound(where, "high", high)
        self.low, self.high, self.step = low, high, step

    def __repr__(self) -> str:
        step = f", step={self.step}" if self.step != 1 else ""
        return f"LogUniformInt({self.low}, {self.high}{step})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LogUniformInt):
            return NotImplemented
        return (self.low, self.high, self.step) == (other.low, other.high, other.step)

    def rvs(self, size: int | None = None, random_state: Any = None) -> int | list[int]:
        """One plain ``int`` (``size=None``) or a list of ``size`` plain ints."""
        if self.step == 1:
            x = _frozen("loguniform", self.low, self.high + 1).rvs(size=size, random_state=random_state)
            out = np.minimum(np.floor(x), self.high).astype(np.int64)
        else:
            grid = np.asarray(Int("_", self.low, self.high, self.step, log=True).grid())
            out = grid[_frozen("randint", 0, len(grid)).rvs(size=size, random_state=random_state)]
        if size is None:
            return int(out)
        return [int(v) for v in np.ravel(out)]
