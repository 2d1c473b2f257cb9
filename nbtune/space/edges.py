"""The boundary rule: is the best value at the edge of the space?

Google's Deep Learning Tuning Playbook: when the best trial sits near the
boundary of a dimension's range, the optimum may lie beyond it, so widen the
space before narrowing it or trusting its winner. :func:`edge_of` says which
edge a value is at, :func:`edges` does so for a whole configuration;
:meth:`nbtune.SearchSpace.edges` and :meth:`nbtune.SearchResult.edges` use them.

A value is at an edge when it lies in the outer ``margin`` (default 5 %) of the
dimension's range, measured on a log scale for a log dimension. For a Choice of
three or more numbers, the smallest and the largest are the edges; a Choice of
labels, a dimension of two values (a Choice, or a stepped Int or Float) and a
Fixed value have none.

A search that ends with its best value at an edge, and :meth:`SearchSpace.narrow
<nbtune.space.SearchSpace.narrow>` asked to narrow around one, say so with an
:class:`EdgeWarning` (:func:`warn_at_edges`) instead of silently clipping the
window to the old range. Silence it as any warning:
``warnings.simplefilter("ignore", nbtune.space.EdgeWarning)``.

Examples
--------
>>> from nbtune.space.dimensions import Choice, Float, Int
>>> edge_of(Int("units", 16, 512, step=16), 512), edge_of(Int("units", 16, 512, step=16), 256)
('high', None)
>>> edge_of(Float("learning_rate", 1e-5, 1.0, log=True), 1.2e-5)
'low'
>>> edge_of(Choice("learning_rate", [1e-3, 1e-2, 1e-1]), 1e-1)
'high'
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from numbers import Real
from typing import Any

from nbtune.language import gettext as _
from nbtune.space.dimensions import Choice, Dimension, Float, Int


def _position(low: float, high: float, value: float, log: bool) -> float | None:
    """Where ``value`` lies between ``low`` (0) and ``high`` (1), on a log scale if ``log``."""
    if log:
        low, high, value = math.log(low), math.log(high), math.log(value)
    return None if high == low else (value - low) / (high - low)


def _numbers(values: Iterable[Any]) -> list[float] | None:
    values = list(values)
    if all(isinstance(v, Real) and not isinstance(v, bool) for v in values):
        return [float(v) for v in values]
    return None


def _grid_count(dimension: Int | Float) -> float:
    """How many values a stepped dimension holds (infinity for a stepless Float), counted."""
    if dimension.step is None:
        return math.inf
    return dimension.grid_size()


def edge_of(dimension: Dimension, value: Any, *, margin: float = 0.05) -> str | None:
    """``"low"`` or ``"high"`` when ``value`` is at that edge of ``dimension``, else None."""
    if isinstance(dimension, (Int, Float)):
        if _grid_count(dimension) < 3:  # two values: each is an edge, no news (as for a Choice)
            return None
        if not isinstance(value, Real) or (dimension.log and value <= 0):
            return None
        position = _position(dimension.low, dimension.high, float(value), dimension.log)
    elif isinstance(dimension, Choice):
        numbers = _numbers(dimension.values)
        if numbers is None or len(set(numbers)) < 3 or not isinstance(value, Real):
            return None
        position = 0.0 if value == min(numbers) else 1.0 if value == max(numbers) else 0.5
    else:
        return None
    if position is None:
        return None
    return "low" if position <= margin else "high" if position >= 1 - margin else None


def edges(dimensions: Iterable[Dimension], params: Mapping[str, Any], *,
          margin: float = 0.05) -> dict[str, str]:
    """Each dimension whose value in ``params`` is at an edge: name -> ``"low"`` or ``"high"``.

    Examples
    --------
    >>> from nbtune.space.dimensions import Float, Int
    >>> edges([Int("units", 16, 512), Float("lr", 1e-4, 1e-1, log=True)], {"units": 20, "lr": 0.09})
    {'units': 'low', 'lr': 'high'}
    """
    found = {}
    for dimension in dimensions:
        if dimension.name in params:
            side = edge_of(dimension, params[dimension.name], margin=margin)
            if side is not None:
                found[dimension.name] = side
    return found


class EdgeWarning(UserWarning):
    """A best value sits at the edge of its range: the best may lie beyond it, widen the space."""


def warn_at_edges(who: str, dimensions: Iterable[Dimension], params: Mapping[str, Any], *,
                  stacklevel: int = 2, margin: float = 0.05) -> dict[str, str]:
    """Warn (:class:`EdgeWarning`) for each value of ``params`` at an edge; return :func:`edges`.

    ``who`` starts the message, e.g. ``"grid search's best"``; the message is in
    the language spoken (:mod:`nbtune.language`), so give ``who`` in it too.

    Examples
    --------
    >>> import warnings
    >>> from nbtune.space.dimensions import Float
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_at_edges("the best", [Float("lr", 1e-4, 1e-2, log=True)], {"lr": 0.01})
    {'lr': 'high'}
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    the best lr=0.01 sits at the high edge of Float('lr', 0.0001, 0.01, log=True): ...
    >>> from nbtune.language import speaking
    >>> with speaking("ko"), warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_at_edges("최고", [Float("lr", 1e-4, 1e-2, log=True)], {"lr": 1e-4})
    {'lr': 'low'}
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    최고 lr=0.0001: Float('lr', 0.0001, 0.01, log=True)의 아래쪽 끝에 있다. ...
    """
    dimensions = list(dimensions)
    found = edges(dimensions, params, margin=margin)
    by_name = {dimension.name: dimension for dimension in dimensions}
    for name, side in found.items():
        message = edge_message(side).format(who=who, name=name, value=repr(params[name]),
                                            dimension=repr(by_name[name]))
        warnings.warn(EdgeWarning(message), stacklevel=stacklevel + 1)
    return found


def edge_message(side: str) -> str:
    """The :class:`EdgeWarning` of a value at the ``side`` edge, in the language spoken.

    Its fields are ``{who}``, ``{name}``, ``{value}`` and ``{dimension}``.

    Examples
    --------
    >>> edge_message("low").format(who="the best", name="units", value="16",
    ...                            dimension="Int('units', 16, 512)")  # doctest: +ELLIPSIS
    "the best units=16 sits at the low edge of Int('units', 16, 512): the best may lie below it. ..."
    """
    if side == "high":
        return _("{who} {name}={value} sits at the high edge of {dimension}: the best may lie "
                 "above it. Widen the range there before narrowing it or trusting the winner "
                 "(the Tuning Playbook's boundary rule).")
    return _("{who} {name}={value} sits at the low edge of {dimension}: the best may lie "
             "below it. Widen the range there before narrowing it or trusting the winner "
             "(the Tuning Playbook's boundary rule).")
