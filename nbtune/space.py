"""One search space for every tuning strategy.

A :class:`SearchSpace` is a list of dimensions -- :class:`Int`, :class:`Float`,
:class:`Choice` and :class:`Fixed` -- that speaks to each strategy in its own
language:

* ``space.grid()`` is a scikit-learn ``param_grid`` (``GridSearchCV``);
* ``space.distributions()`` is a ``param_distributions`` (``RandomizedSearchCV``);
* ``space.sample(hp)`` / ``space.hyperparameters()`` talk to keras-tuner
  (Hyperband, Bayesian optimisation);
* ``space.narrow(best_params)`` zooms in around a result (coarse-to-fine).

Every value a dimension hands out is a plain Python scalar (``int``, ``float``,
``str``, ``bool`` or ``None``), never a numpy scalar: Keras 3 rejects
``numpy.int64`` units.

Importing this module is cheap: scipy.stats and keras_tuner are imported only
inside the functions that need them, TensorFlow and Keras never at import time.

Examples
--------
>>> space = SearchSpace(Int("units", 32, 512, step=32),
...                     Choice("learning_rate", [1e-2, 1e-3, 1e-4]))
>>> space.size
48
>>> space.grid()["learning_rate"]
[0.01, 0.001, 0.0001]
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import math
import numbers
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from nbtune.backend import import_keras_tuner
from nbtune.formatting import to_python

__all__ = [
    "Dimension",
    "Int",
    "Float",
    "Choice",
    "Fixed",
    "SearchSpace",
    "LogUniformInt",
]

# moved to nbtune.build_fns; `from nbtune.space import is_hp_build_fn` keeps working
_MOVED_TO_BUILD_FNS = ("is_hp_build_fn", "as_kwargs_build_fn", "check_build_fn", "hypermodel_fit")

_SIGNIFICANT_DIGITS = 12
_EPS = 1e-9


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------
def _round(x: float) -> float:
    """Round a float to 12 significant digits: 1e-4 stays 0.0001."""
    return float(f"{x:.{_SIGNIFICANT_DIGITS}g}")


def _call(kind: str, name: Any, **kwargs: Any) -> str:
    """Render a constructor call for error messages: ``Int('units', low=1)``."""
    head = repr(name) if isinstance(name, str) and name else f"name={name!r}"
    args = [head] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{kind}({', '.join(args)})"


def _given(**kwargs: tuple[Any, Any]) -> dict[str, Any]:
    """The keyword arguments that differ from their default: ``name=(value, default)``."""
    return {k: v for k, (v, default) in kwargs.items() if v is not default and v != default}


def _check_name(where: str, name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(
            f"{where}: name must be a non-empty string, got {name!r} "
            f"({type(name).__name__}); give the hyperparameter a name such as 'units'."
        )
    if not name:
        raise ValueError(
            f"{where}: name must be a non-empty string, got ''; "
            "give the hyperparameter a name such as 'units'."
        )
    return name


def _check_number(where: str, arg: str, value: Any, *, integer: bool = False) -> int | float:
    """Validate a bound or step; return it as a plain int (integer) or float."""
    wanted = "an integer" if integer else "a real number"
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{where}: {arg} must be {wanted}, got the bool {value!r}; "
            f"booleans are not numbers here, write a number such as {arg}=1."
        )
    value = to_python(value)
    if not isinstance(value, numbers.Real):
        hint = f"write a number such as {arg}=1"
        if isinstance(value, str):
            try:
                hint = f"drop the quotes: {arg}={float(value):g}"
            except ValueError:
                pass
        raise TypeError(
            f"{where}: {arg} must be {wanted}, got {value!r} "
            f"({type(value).__name__}); {hint}."
        )
    if not math.isfinite(value):
        raise ValueError(f"{where}: {arg} must be finite, got {value!r}; use a finite bound.")
    if integer:
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(
                f"{where}: {arg} must be an integer, got {value!r}; "
                f"round it ({arg}={round(value)}) or use Float for real values."
            )
        return int(value)
    return float(value)


def _check_log(where: str, log: Any) -> bool:
    if not isinstance(log, (bool, np.bool_)):
        raise TypeError(f"{where}: log must be True or False, got {log!r}.")
    return bool(log)


def _check_order(where: str, kind: str, name: str, low: float, high: float, rest: str) -> None:
    if low > high:
        raise ValueError(
            f"{where}: low ({low!r}) is greater than high ({high!r}); "
            f"swap them: {kind}({name!r}, {high!r}, {low!r}{rest})"
        )


def _check_log_low(where: str, low: float, log: bool) -> None:
    if log and low <= 0:
        raise ValueError(
            f"{where}: a log range needs low > 0, got low={low!r}; "
            "use a small positive low (such as 1e-05 for a learning rate, 1 for a count) "
            "or set log=False."
        )


_SCALAR_TYPES = (bool, int, float, str, type(None))


def _check_scalar(where: str, what: str, value: Any) -> Any:
    value = to_python(value)
    if not isinstance(value, _SCALAR_TYPES):
        raise TypeError(
            f"{where}: {what} must be an int, float, str, bool or None, got {value!r} "
            f"({type(value).__name__}); pass a name (such as 'adam') and create the "
            "object inside the build function."
        )
    if isinstance(value, float) and math.isnan(value):
        raise ValueError(f"{where}: {what} is nan; use a real number or None.")
    return value


def _typed(value: Any) -> Any:
    """A comparison key that tells 1, 1.0 and True apart."""
    if isinstance(value, tuple):
        return tuple(_typed(v) for v in value)
    return (type(value).__name__, value)


def _step_grid(low: float, high: float, step: float, log: bool) -> list[float]:
    """Values low, low+step, ... (or low, low*step, ... when log) that are <= high."""
    if log:
        n = int(math.floor(math.log(high / low) / math.log(step) + _EPS)) + 1
        return [low * step**k for k in range(n)]
    n = int(math.floor((high - low) / step + _EPS)) + 1
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
        """The number of grid values, without building the grid."""
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
    def _declare(self, hp: Any) -> Any:
        raise NotImplementedError

    def _decode(self, raw: Any) -> Any:
        return self.to_python(raw)

    def _narrow(self, best: Any, fraction: float, keep_choices: bool) -> Dimension:
        return self


def _narrow_window(t_low: float, t_high: float, t_best: float, fraction: float) -> tuple[float, float]:
    half = fraction * (t_high - t_low) / 2
    return t_best - half, t_best + half


def _narrow_on_grid(grid: list, best: float, fraction: float, log: bool) -> tuple[Any, Any]:
    """Narrow a window around ``best`` and snap it outwards to the values of ``grid``."""
    t = math.log if log else (lambda v: v)
    a, b = _narrow_window(t(grid[0]), t(grid[-1]), t(best), fraction)
    lo = max([v for v in grid if t(v) <= a + _EPS], default=grid[0])
    hi = min([v for v in grid if t(v) >= b - _EPS], default=grid[-1])
    return min(lo, best), max(hi, best)


def _check_best(dim: Int | Float, best: Any) -> float:
    where = f"narrow: best value for {dim.name!r}"
    value = _check_number(where, "value", best)
    span = dim.high - dim.low
    tol = _EPS * max(abs(dim.low), abs(dim.high), span, 1.0)
    if not dim.low - tol <= value <= dim.high + tol:
        raise ValueError(
            f"{where} is {best!r}, outside the dimension {dim!r}; "
            "pass the best parameters found in this space."
        )
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
        low = _check_number(where, "low", self.low, integer=True)
        high = _check_number(where, "high", self.high, integer=True)
        step = _check_number(where, "step", self.step, integer=True)
        log = _check_log(where, self.log)
        rest = (f", step={step}" if step != 1 else "") + (", log=True" if log else "")
        _check_order(where, "Int", self.name, low, high, rest)
        _check_log_low(where, low, log)
        if step <= 0:
            raise ValueError(
                f"{where}: step must be a positive integer, got {step}; "
                "use step=1 for every integer."
            )
        for field, value in (("low", low), ("high", high), ("step", step), ("log", log)):
            object.__setattr__(self, field, value)

    def __repr__(self) -> str:
        extra = (f", step={self.step}" if self.step != 1 else "") + (", log=True" if self.log else "")
        return f"Int({self.name!r}, {self.low}, {self.high}{extra})"

    @property
    def default(self) -> int:
        return self.low

    def grid(self, points: int | None = None) -> list[int]:
        """All values; ``points`` is ignored (an integer grid is always exact)."""
        if self.log and self.step > 1:
            values, v = [], self.low
            while v <= self.high:
                values.append(v)
                v *= self.step
            return values
        return list(range(self.low, self.high + 1, self.step))

    def grid_size(self, points: int | None = None) -> int:
        if self.log and self.step > 1:
            return len(self.grid())
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

    def _declare(self, hp: Any) -> Any:
        # keras-tuner refuses step=1 with sampling="log"; step=None means "any integer".
        step = None if (self.log and self.step == 1) else self.step
        return hp.Int(
            self.name, min_value=self.low, max_value=self.high, step=step,
            sampling="log" if self.log else "linear",
        )

    def _narrow(self, best: Any, fraction: float, keep_choices: bool) -> Int:
        best = _check_best(self, best)
        if self.log and self.step == 1:
            a, b = _narrow_window(math.log(self.low), math.log(self.high), math.log(best), fraction)
            low = max(self.low, min(int(math.floor(math.exp(a) + _EPS)), int(best)))
            high = min(self.high, max(int(math.ceil(math.exp(b) - _EPS)), int(best)))
        else:
            low, high = _narrow_on_grid(self.grid(), int(round(best)), fraction, self.log)
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
        low = _check_number(where, "low", self.low)
        high = _check_number(where, "high", self.high)
        log = _check_log(where, self.log)
        step = None if self.step is None else _check_number(where, "step", self.step)
        rest = (", log=True" if log else "") + (f", step={step!r}" if step is not None else "")
        _check_order(where, "Float", self.name, low, high, rest)
        _check_log_low(where, low, log)
        if step is not None and log and step <= 1:
            raise ValueError(
                f"{where}: with log=True the step is a multiplier and must be greater "
                f"than 1, got step={step!r}; e.g. step=10 gives low, low*10, low*100, ..."
            )
        if step is not None and step <= 0:
            raise ValueError(
                f"{where}: step must be greater than 0, got step={step!r}; "
                "use a positive step such as 0.1, or step=None for a continuous range."
            )
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
        return ValueError(
            f"{self!r} has no step, so its grid needs a number of points: give it a "
            f"step ({example}, step=...)) or ask for points: "
            f"space.grid(points=5) or space.grid(points={{{self.name!r}: 5}})."
        )

    def grid(self, points: int | None = None) -> list[float]:
        """Grid values. ``points`` is needed (and only used) when there is no step."""
        if self.step is not None:
            values = _step_grid(self.low, self.high, self.step, self.log)
        elif points is None:
            raise self._no_points_error()
        else:
            points = _check_number(f"grid points for {self.name!r}", "points", points, integer=True)
            if points < 1:
                raise ValueError(
                    f"grid points for {self.name!r} must be at least 1, got {points}; "
                    "use e.g. points=5."
                )
            spacing = np.geomspace if self.log else np.linspace
            values = spacing(self.low, self.high, points).tolist()
        return [_round(v) for v in values]

    def grid_size(self, points: int | None = None) -> int:
        return len(self.grid(points))

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

    def _declare(self, hp: Any) -> Any:
        return hp.Float(
            self.name, min_value=self.low, max_value=self.high, step=self.step,
            sampling="log" if self.log else "linear",
        )

    def _narrow(self, best: Any, fraction: float, keep_choices: bool) -> Float:
        best = _check_best(self, best)
        if self.step is not None:
            low, high = _narrow_on_grid(self.grid(), best, fraction, self.log)
        else:
            t, inv = (math.log, math.exp) if self.log else ((lambda v: v), (lambda v: v))
            a, b = _narrow_window(t(self.low), t(self.high), t(best), fraction)
            low = min(max(_round(inv(a)), self.low), best)
            high = max(min(_round(inv(b)), self.high), best)
        return Float(self.name, low, high, log=self.log, step=self.step)


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
            raise TypeError(
                f"{where}: values must be a list of choices, not a single "
                f"{type(values).__name__}; wrap it in a list: Choice({name!r}, [{values!r}])"
            )
        if isinstance(values, (set, frozenset)):
            raise TypeError(
                f"{where}: values must be a list (a set has no order); "
                f"use a list: Choice({name!r}, {sorted(values, key=repr)!r})"
            )
        values = [_check_scalar(where, f"values[{i}]", v) for i, v in enumerate(values)]
        if not values:
            raise ValueError(
                f"{where}: values is empty; list at least one choice, "
                f"e.g. Choice({name!r}, ['relu', 'tanh'])."
            )
        seen: list = []
        for v in values:
            if any(v == s and isinstance(v, bool) == isinstance(s, bool) for s in seen):
                unique = [s for i, s in enumerate(values) if s not in values[:i]]
                raise ValueError(
                    f"{where}: {v!r} appears more than once; list each choice once: "
                    f"Choice({name!r}, {unique!r})"
                )
            seen.append(v)
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

    def _declare(self, hp: Any) -> Any:
        mode, codes = _choice_codes(self.values)
        if mode == "boolean":
            return hp.Boolean(self.name, default=self.values[0])
        return hp.Choice(self.name, codes)

    def _decode(self, raw: Any) -> Any:
        _, codes = _choice_codes(self.values)
        raw = to_python(raw)
        for value, code in zip(self.values, codes):
            if raw == code and isinstance(raw, bool) == isinstance(code, bool):
                return value
        for value in self.values:  # already a real value (e.g. set by hand)
            if raw == value and type(raw) is type(value):
                return value
        raise ValueError(
            f"keras-tuner value {raw!r} for {self.name!r} is not one of the choices "
            f"{list(self.values)!r}; was the tuner run with a different space?"
        )

    def _narrow(self, best: Any, fraction: float, keep_choices: bool) -> Dimension:
        best = to_python(best)
        if not any(best == v and type(best) is type(v) for v in self.values):
            best = self._decode(best)  # maybe keras-tuner's code for it
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

    def _declare(self, hp: Any) -> Any:
        # keras-tuner's Fixed refuses None: declare the string 'None' instead.
        return hp.Fixed(self.name, "None" if self.value is None else self.value)

    def _decode(self, raw: Any) -> Any:
        return self.value


_TYPES: dict[str, type[Dimension]] = {"Int": Int, "Float": Float, "Choice": Choice, "Fixed": Fixed}


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
        self.low, self.high, self.step = int(low), int(high), int(step)

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


# --------------------------------------------------------------------------
# the search space
# --------------------------------------------------------------------------
def _kt() -> Any:
    try:
        return import_keras_tuner()
    except ModuleNotFoundError as exc:  # pragma: no cover - keras-tuner is a dependency
        if exc.name != "keras_tuner":
            raise
        raise ImportError(
            "this needs keras-tuner; install it with: pip install keras-tuner"
        ) from exc


class SearchSpace:
    """An ordered set of named dimensions, shared by every tuning strategy.

    Parameters
    ----------
    *dims : Dimension
        At least one :class:`Int`, :class:`Float`, :class:`Choice` or
        :class:`Fixed`, with unique names.

    Examples
    --------
    >>> space = SearchSpace(Int("units", 32, 512, step=32),
    ...                     Float("dropout", 0.0, 0.5, step=0.25),
    ...                     Choice("activation", ["relu", "tanh"]))
    >>> space.names
    ('units', 'dropout', 'activation')
    >>> space.size
    96
    >>> space["dropout"].grid()
    [0.0, 0.25, 0.5]
    >>> "units" in space, len(space)
    (True, 3)
    """

    def __init__(self, *dims: Dimension) -> None:
        if not dims:
            raise ValueError(
                "SearchSpace() needs at least one dimension, e.g. "
                "SearchSpace(Int('units', 32, 512, step=32))."
            )
        by_name: dict[str, Dimension] = {}
        for i, dim in enumerate(dims):
            if not isinstance(dim, Dimension):
                hint = (
                    "; unpack a list with SearchSpace(*dims)"
                    if isinstance(dim, (list, tuple))
                    else "; pass Int(...), Float(...), Choice(...) or Fixed(...)"
                )
                raise TypeError(
                    f"SearchSpace: argument {i} is {dim!r} ({type(dim).__name__}), "
                    f"not a dimension{hint}."
                )
            if dim.name in by_name:
                raise ValueError(
                    f"SearchSpace: the name {dim.name!r} is used twice "
                    f"({by_name[dim.name]!r} and {dim!r}); give each dimension its own name."
                )
            by_name[dim.name] = dim
        self._dims: tuple[Dimension, ...] = tuple(dims)
        self._by_name = by_name

    # -- container protocol -------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        """The dimension names, in order."""
        return tuple(self._by_name)

    @property
    def dimensions(self) -> tuple[Dimension, ...]:
        """The dimensions, in order."""
        return self._dims

    def __getitem__(self, name: str) -> Dimension:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no dimension named {name!r}; the space has {list(self.names)}") from None

    def __len__(self) -> int:
        return len(self._dims)

    def __iter__(self) -> Iterator[Dimension]:
        return iter(self._dims)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchSpace):
            return NotImplemented
        return self._dims == other._dims

    def __hash__(self) -> int:
        return hash(self._dims)

    def __repr__(self) -> str:
        lines = "".join(f"    {dim!r},\n" for dim in self._dims)
        return f"SearchSpace(\n{lines})"

    # -- scikit-learn ---------------------------------------------------------
    def _points_for(self, points: int | Mapping[str, int] | None) -> dict[str, int | None]:
        if isinstance(points, Mapping):
            unknown = [n for n in points if n not in self]
            if unknown:
                raise ValueError(
                    f"grid(points=...): {unknown} not in the space {list(self.names)}; "
                    "use the dimension names as keys."
                )
            return {n: points.get(n) for n in self.names}
        return {n: points for n in self.names}

    def grid(self, points: int | Mapping[str, int] | None = None) -> dict[str, list]:
        """A scikit-learn ``param_grid``: name -> list of plain values.

        Parameters
        ----------
        points : int or dict, optional
            Number of grid points for each :class:`Float` without a step (one
            int for all, or ``{name: n}``). Log floats are spaced geometrically,
            others evenly; values are rounded to 12 significant digits. Other
            dimensions ignore it.

        Examples
        --------
        >>> SearchSpace(Int("units", 32, 96, step=32),
        ...             Float("lr", 1e-3, 1e-1, log=True)).grid(points=3)
        {'units': [32, 64, 96], 'lr': [0.001, 0.01, 0.1]}
        """
        per_dim = self._points_for(points)
        return {dim.name: dim.grid(per_dim[dim.name]) for dim in self._dims}

    def grid_size(self, points: int | Mapping[str, int] | None = None) -> int:
        """Number of configurations in :meth:`grid` (the product of the lengths)."""
        per_dim = self._points_for(points)
        return math.prod(dim.grid_size(per_dim[dim.name]) for dim in self._dims)

    @property
    def size(self) -> int:
        """``grid_size()``: raises if a Float has no step (then use ``grid_size(points=n)``)."""
        return self.grid_size()

    def distributions(self) -> dict[str, Any]:
        """A scikit-learn ``param_distributions`` (RandomizedSearchCV, ParameterSampler).

        Choice -> list; Fixed -> ``[value]``; Int -> ``scipy.stats.randint``
        (step 1), a list (step > 1) or :class:`LogUniformInt` (log); Float ->
        ``scipy.stats.uniform`` / ``loguniform``, or a list when it has a step.
        scipy samples are numpy scalars: convert with :meth:`to_python`.

        Examples
        --------
        >>> from sklearn.model_selection import ParameterSampler
        >>> space = SearchSpace(Int("units", 32, 512), Float("lr", 1e-4, 1e-1, log=True))
        >>> params = next(iter(ParameterSampler(space.distributions(), 1, random_state=0)))
        >>> sorted((k, type(v).__name__) for k, v in space.to_python(params).items())
        [('lr', 'float'), ('units', 'int')]
        """
        return {dim.name: dim.distribution() for dim in self._dims}

    def to_python(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Plain Python values: numpy scalars converted, Int values rounded to ``int``.

        Keys that are not in the space are passed through (numpy scalars converted).

        Examples
        --------
        >>> space = SearchSpace(Int("units", 32, 512))
        >>> space.to_python({"units": np.int64(64), "epochs": np.float64(2.0)})
        {'units': 64, 'epochs': 2.0}
        """
        return {
            k: self._by_name[k].to_python(v) if k in self._by_name else to_python(v)
            for k, v in params.items()
        }

    def defaults(self) -> dict[str, Any]:
        """name -> default value (keras-tuner's: Int/Float ``low``, Choice first value).

        Examples
        --------
        >>> SearchSpace(Int("units", 32, 512), Choice("act", ["relu", "tanh"])).defaults()
        {'units': 32, 'act': 'relu'}
        """
        return {dim.name: dim.default for dim in self._dims}

    # -- keras-tuner ----------------------------------------------------------
    def sample(self, hp: Any) -> dict[str, Any]:
        """Declare every dimension on a ``keras_tuner.HyperParameters`` and return the values.

        Use it to give a plain keyword build function to keras-tuner:
        ``kt.Hyperband(lambda hp: build(**space.sample(hp)), ...)``. The values
        are plain Python scalars; see :class:`Choice` for how mixed-type choices
        are declared.

        Examples
        --------
        >>> import keras_tuner as kt
        >>> SearchSpace(Int("units", 32, 512, step=32)).sample(kt.HyperParameters())
        {'units': 32}
        """
        raw = {dim.name: dim._declare(hp) for dim in self._dims}
        return {name: self._by_name[name]._decode(value) for name, value in raw.items()}

    def hyperparameters(self) -> Any:
        """A fresh ``keras_tuner.HyperParameters`` with every dimension declared.

        Pass it as ``hyperparameters=`` to a keras-tuner tuner.
        """
        hp = _kt().HyperParameters()
        self.sample(hp)
        return hp

    def values_from_hp(self, hp: Any) -> dict[str, Any]:
        """Plain values of this space from keras-tuner's record of a trial.

        ``hp`` is a ``HyperParameters`` (e.g. ``tuner.get_best_hyperparameters()[0]``)
        or its ``.values`` dict. Choices declared through codes (see
        :class:`Choice`) are mapped back; other names pass through unchanged.

        Examples
        --------
        >>> space = SearchSpace(Choice("act", ["relu", None]))
        >>> space.values_from_hp({"act": "None", "epochs": 3})
        {'act': None, 'epochs': 3}
        """
        values = hp if isinstance(hp, Mapping) else hp.values
        return {
            k: self._by_name[k]._decode(v) if k in self._by_name else to_python(v)
            for k, v in values.items()
        }

    @classmethod
    def from_build_fn(cls, fn: Callable, x: Any = None, y: Any = None) -> SearchSpace:
        """The space a keras-tuner style ``build(hp)`` or ``HyperModel`` declares.

        Calls ``fn`` once with a fresh ``keras_tuner.HyperParameters`` (this
        builds one Keras model, then clears the Keras session) and converts
        keras-tuner's Int/Float/Choice/Boolean/Fixed to Int/Float/Choice/Fixed
        (``Boolean`` becomes ``Choice(name, [default, not default])``). Only
        the hyperparameters declared on that default call are seen (conditional
        ones under another branch are not).

        ``fn`` may also be a ``keras_tuner.HyperModel`` instance. If it defines
        its own ``fit(hp, model, x, y, **kwargs)``, that is called once too, on
        the model just built, with ``model.fit`` replaced by a stand-in that
        trains nothing: the hyperparameters the fit declares (such as
        ``hp.Boolean("normalize")`` or ``batch_size=hp.Choice("batch_size",
        [16, 32])``) are part of the space, after those of ``build``.

        Parameters
        ----------
        fn : callable or keras_tuner.HyperModel
            ``model_builder(hp)`` or a HyperModel instance.
        x, y : array-like, optional
            Data the HyperModel's ``fit`` is called with (it is also given
            ``validation_data=(x, y)``); needed only when that fit uses its data
            with keras-tuner's default values, e.g. to adapt a layer. The
            searches pass their training data.

        Examples
        --------
        >>> import keras
        >>> def model_builder(hp):
        ...     model = keras.Sequential([keras.layers.Dense(hp.Int("units", 32, 512, step=32))])
        ...     model.compile(optimizer=keras.optimizers.Adam(hp.Choice("learning_rate", [1e-2, 1e-3])),
        ...                   loss="mse")
        ...     return model
        >>> SearchSpace.from_build_fn(model_builder).size
        32
        >>> import keras_tuner as kt
        >>> class TunedBatch(kt.HyperModel):
        ...     def build(self, hp):
        ...         return model_builder(hp)
        ...     def fit(self, hp, model, *args, **kwargs):
        ...         return model.fit(*args, batch_size=hp.Choice("batch_size", [16, 32]), **kwargs)
        >>> SearchSpace.from_build_fn(TunedBatch()).names
        ('units', 'learning_rate', 'batch_size')
        """
        # deferred: nbtune.build_fns builds on this module (SearchSpace, Int, ...)
        from nbtune.build_fns import declared_space

        return declared_space(fn, x, y)

    # -- coarse-to-fine -------------------------------------------------------
    def narrow(
        self, best_params: Mapping[str, Any], *, fraction: float = 0.5, keep_choices: bool = False
    ) -> SearchSpace:
        """A new, smaller space around ``best_params`` (coarse-to-fine refinement).

        Rule: each numeric dimension shrinks to a window centred on its best
        value that spans ``fraction`` of the old range (measured in log space
        for log dimensions), clipped to the old bounds. Stepped dimensions keep
        their step and the window is widened to the old grid, so the new grid
        is part of the old one and contains the best value; stepless Floats
        stay stepless. A Choice becomes ``Fixed(best)`` (or stays whole with
        ``keep_choices=True``); Fixed stays. Every non-Fixed name of the space
        must be in ``best_params``; extra names there are ignored.

        Examples
        --------
        >>> space = SearchSpace(Int("units", 32, 512, step=32), Choice("act", ["relu", "tanh"]),
        ...                     Float("lr", 1e-4, 1e-0, log=True))
        >>> space.narrow({"units": 256, "act": "tanh", "lr": 1e-2})
        SearchSpace(
            Int('units', 128, 384, step=32),
            Fixed('act', 'tanh'),
            Float('lr', 0.001, 0.1, log=True),
        )
        """
        fraction = _check_number("narrow(fraction=...)", "fraction", fraction)
        if not 0 < fraction <= 1:
            raise ValueError(
                f"narrow(fraction={fraction!r}): fraction must be in (0, 1], "
                "e.g. fraction=0.5 keeps half of each range."
            )
        missing = [n for n in self.names if n not in best_params and not isinstance(self[n], Fixed)]
        if missing:
            raise ValueError(
                f"narrow: best_params has no value for {missing}; pass the best parameters of a "
                f"search over this space (names {list(self.names)})."
            )
        return SearchSpace(*(
            dim._narrow(best_params.get(dim.name), fraction, keep_choices) for dim in self._dims
        ))

    def without(self, *names: str) -> SearchSpace:
        """A new space without the named dimensions.

        Examples
        --------
        >>> SearchSpace(Int("units", 1, 4), Fixed("epochs", 2)).without("epochs").names
        ('units',)
        """
        self._check_known("without", names)
        return SearchSpace(*(dim for dim in self._dims if dim.name not in names))

    def with_values(self, **fixed: Any) -> SearchSpace:
        """A new space where the named dimensions are replaced by :class:`Fixed` values.

        Examples
        --------
        >>> SearchSpace(Int("units", 1, 4), Int("epochs", 1, 9)).with_values(epochs=3)["epochs"]
        Fixed('epochs', 3)
        """
        self._check_known("with_values", fixed)
        return SearchSpace(*(
            Fixed(d.name, d.to_python(fixed[d.name])) if d.name in fixed else d for d in self._dims
        ))

    def _check_known(self, method: str, names: Any) -> None:
        unknown = [n for n in names if n not in self]
        if unknown:
            raise KeyError(f"{method}: {unknown} not in the space; its names are {list(self.names)}")

    # -- serialisation --------------------------------------------------------
    def to_dict(self) -> dict[str, list[dict]]:
        """A plain JSON-able dict ``{"dimensions": [{"type": "Int", "name": ...}, ...]}``."""
        return {"dimensions": [dim.to_dict() for dim in self._dims]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SearchSpace:
        """The space described by :meth:`to_dict`'s output (validated).

        Examples
        --------
        >>> space = SearchSpace(Int("units", 32, 512, step=32))
        >>> SearchSpace.from_dict(space.to_dict()) == space
        True
        """
        if not isinstance(d, Mapping) or not isinstance(d.get("dimensions"), list):
            raise TypeError(
                f"SearchSpace.from_dict: expected {{'dimensions': [...]}}, got {d!r}; "
                "pass the output of space.to_dict()."
            )
        dims = []
        for i, entry in enumerate(d["dimensions"]):
            where = f"SearchSpace.from_dict: dimensions[{i}]"
            if not isinstance(entry, Mapping):
                raise TypeError(f"{where} is {entry!r}; expected a dict with a 'type' key.")
            kwargs = dict(entry)
            kind = kwargs.pop("type", None)
            if kind not in _TYPES:
                raise ValueError(
                    f"{where} has unknown type {kind!r}; allowed: {', '.join(_TYPES)}."
                )
            fields = [f.name for f in dataclasses.fields(_TYPES[kind])]
            extra = sorted(set(kwargs) - set(fields))
            if extra:
                raise ValueError(f"{where}: unknown keys {extra} for {kind}; allowed: {fields}.")
            dims.append(_TYPES[kind](**kwargs))
        return cls(*dims)

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as a JSON string (``kwargs`` go to ``json.dumps``)."""
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls, s: str) -> SearchSpace:
        """The space saved by :meth:`to_json`.

        Examples
        --------
        >>> space = SearchSpace(Choice("act", ["relu", None]), Float("lr", 1e-4, 1e-2, log=True))
        >>> SearchSpace.from_json(space.to_json()) == space
        True
        """
        return cls.from_dict(json.loads(s))


def __getattr__(name: str) -> Any:
    """The build-function helpers, from :mod:`nbtune.build_fns` (their module now)."""
    if name in _MOVED_TO_BUILD_FNS:
        # deferred: nbtune.build_fns imports this module
        return getattr(importlib.import_module("nbtune.build_fns"), name)
    raise AttributeError(f"module 'nbtune.space' has no attribute {name!r}")
