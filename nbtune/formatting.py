"""Small helpers every part of nbtune shares: plain Python values, and how values read.

One copy of each, so that a learning rate reads ``1e-4`` in the sliders, the
plots and the tables alike, and a duration reads the same in a progress line
and a cost estimate.

Examples
--------
>>> import numpy as np
>>> from nbtune.formatting import format_seconds, format_value, to_python
>>> to_python([np.int64(32), np.float32(0.5)])
[32, 0.5]
>>> format_value(1e-4), format_value(np.float64(0.00316227766), digits=4)
('1e-4', '0.003162')
>>> format_seconds(3725)
'1 h 02 min'
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from typing import Any

import numpy as np

from nbtune.arguments import check_whole, kind_of
from nbtune.language import gettext as _


def to_python(value: Any) -> Any:
    """Turn numpy scalars (also inside lists and tuples) into plain Python scalars.

    Keras 3 rejects ``numpy.int64`` layer sizes and JSON cannot write them,
    and parameter grids built with ``np.arange`` or scipy distributions are
    full of them. Other values are returned as they are.

    Examples
    --------
    >>> to_python(np.int64(3)), to_python((np.float64(0.1), "relu")), to_python(np.array(2.0))
    (3, (0.1, 'relu'), 2.0)
    """
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if type(value) in (list, tuple):
        return type(value)(to_python(v) for v in value)
    return value


def format_value(value: Any, *, digits: int = 6) -> str:
    """A short, readable label for a hyperparameter value.

    Very small and very large numbers are written as ``1e-4`` (not
    ``0.0001`` or ``1e-04``); a float that is a whole number as ``16`` (not
    ``16.0``); others with at most ``digits`` significant digits. NaN reads
    ``NaN``.

    Examples
    --------
    >>> [format_value(v) for v in (1e-4, 2.5e-5, 0.01, 0.5, 32, 16.0, 1e5, "relu", None)]
    ['1e-4', '2.5e-5', '0.01', '0.5', '32', '16', '1e5', 'relu', 'None']
    >>> format_value(float("nan")), format_value(0.123456789, digits=3)
    ('NaN', '0.123')
    """
    digits = check_whole("digits", digits, hint=", e.g. digits=4 (significant digits)")
    value = to_python(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if value != 0 and math.isfinite(value) and (abs(value) < 1e-3 or abs(value) >= 1e5):
        mantissa, exponent = f"{value:.{max(digits - 1, 0)}e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    if value.is_integer():
        return str(int(value))
    return f"{value:.{digits}g}"


def format_seconds(seconds: float) -> str:
    """A duration as people say it: ``45 s``, ``2 min 05 s``, ``1 h 02 min``; ``?`` if unknown.

    A negative duration (an estimate that overshot) reads with a minus sign in front.

    Examples
    --------
    >>> [format_seconds(s) for s in (4.6, 125, 7260, float("nan"), -125)]
    ['5 s', '2 min 05 s', '2 h 01 min', '?', '-2 min 05 s']
    >>> from nbtune.language import speaking
    >>> with speaking("ko"):
    ...     [format_seconds(s) for s in (4.6, 125, 7260)]
    ['5초', '2분 05초', '2시간 01분']
    """
    if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
        raise TypeError(f"seconds={seconds!r} is {kind_of(seconds)}, not a number: "
                        "give a duration in seconds, e.g. format_seconds(125)")
    if not math.isfinite(seconds):
        return "?"
    if round(seconds) < 0:  # floor division would read -125 s as "-3 min 55 s"
        return "-" + format_seconds(-seconds)
    seconds = int(round(seconds))
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    if seconds < 3600:
        return _("{minutes} min {seconds:02d} s").format(minutes=seconds // 60, seconds=seconds % 60)
    return _("{hours} h {minutes:02d} min").format(hours=seconds // 3600, minutes=seconds % 3600 // 60)


def text_width(text: str) -> int:
    """The columns ``text`` takes in a terminal: 2 for a wide character (Hangul, CJK), else 1.

    Examples
    --------
    >>> text_width("ann"), text_width("민지")
    (3, 4)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def padded(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (:func:`text_width`).

    As ``f"{text:<{width}}"`` (or ``>`` with ``right=True``), for Hangul too.

    Examples
    --------
    >>> padded("민지", 5) + "|", padded("ann", 5) + "|", padded("7", 3, right=True)
    ('민지 |', 'ann  |', '  7')
    """
    space = " " * max(0, width - text_width(text))
    return space + text if right else text + space
