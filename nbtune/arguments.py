"""The argument rules every wing checks with: counts, numbers, flags and tables.

``epochs``, ``batch_size``, ``n_iter``, ``max_trials``, ``max_epochs``,
``factor``, ``repeats``... are whole numbers: a Python ``int`` or a NumPy
integer (what ``np.arange`` and a DataFrame give), never a ``bool``, never a
float such as ``3.0``, and at least a minimum. :func:`check_whole` says so in
one place, so a count that one helper accepts, every other helper accepts too.
:func:`check_real` does the same for a number (a learning rate, a fraction),
:func:`check_flag` for a True/False switch and :func:`check_table` for a table
that one nbtune function returns and another reads.

Examples
--------
>>> import numpy as np
>>> check_whole("epochs", np.int64(3))
3
>>> check_whole("factor", 1, minimum=2, hint=", e.g. factor=3")
Traceback (most recent call last):
...
ValueError: factor=1 is not allowed: give a whole number >= 2, e.g. factor=3
>>> check_real("smoothing", 1.0, at_least=0, below=1)
Traceback (most recent call last):
...
ValueError: smoothing=1.0 is not allowed: give a finite number >= 0 and < 1
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np


def kind_of(value: Any) -> str:
    """``value``'s type with its article, for messages: ``"an int"``, ``"a DataFrame"``.

    Examples
    --------
    >>> kind_of(3), kind_of("3"), kind_of(None)
    ('an int', 'a str', 'a NoneType')
    """
    name = type(value).__name__
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def check_whole(name: str, value: Any, *, minimum: int = 1, maximum: int | None = None,
                what: str = "a whole number", hint: str = "") -> int:
    """``value`` as an ``int`` if it is a whole number from ``minimum`` to ``maximum``, else a ValueError.

    Parameters
    ----------
    name : str
        The argument, as the user wrote it (``"epochs"``).
    value : any
        What the user gave.
    minimum : int, default 1
    maximum : int, optional
        The largest allowed (a count past it would run for hours or fill the memory).
    what : str, default "a whole number"
        What to give, in words (``"the number of trials, a whole number"``).
    hint : str, default ""
        Appended to the message: an example or what the value would do.

    Examples
    --------
    >>> check_whole("epochs", 1.5)
    Traceback (most recent call last):
    ...
    ValueError: epochs=1.5 is not allowed: give a whole number >= 1
    >>> check_whole("boot", 10**9, maximum=100_000)
    Traceback (most recent call last):
    ...
    ValueError: boot=1000000000 is more than 100000: give a whole number from 1 to 100000
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name}={value!r} is not allowed: give {what} >= {minimum}{hint}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name}={value!r} is more than {maximum}: give {what} from {minimum} "
                         f"to {maximum}{hint}")
    return int(value)


def check_real(name: str, value: Any, *, above: float | None = None, at_least: float | None = None,
               below: float | None = None, finite: bool = True, hint: str = "") -> float:
    """``value`` as a ``float`` if it is a number in the range given, else a TypeError or ValueError.

    A ``bool`` is not a number here, NaN never is, and infinity only with ``finite=False``.

    Parameters
    ----------
    name : str
        The argument, as the user wrote it.
    value : any
        What the user gave.
    above, at_least, below : float, optional
        ``value > above``, ``value >= at_least``, ``value < below``.
    finite : bool, default True
        False also allows ``float("inf")`` (a limit that is never reached).
    hint : str, default ""
        Appended to the message: an example.

    Examples
    --------
    >>> check_real("start", np.float32(0.5), above=0)
    0.5
    >>> check_real("true_best", "0.97")
    Traceback (most recent call last):
    ...
    TypeError: true_best='0.97' is a str, not a number: give a finite number
    """
    limits = [f"> {above:g}" if above is not None else "", f">= {at_least:g}" if at_least is not None else "",
              f"< {below:g}" if below is not None else ""]
    allowed = " and ".join(limit for limit in limits if limit)
    wanted = ("a finite number" if finite else "a number") + (f" {allowed}" if allowed else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}={value!r} is {kind_of(value)}, not a number: give {wanted}{hint}")
    number = float(value)
    fits = (not math.isnan(number) and (math.isfinite(number) or not finite)
            and (above is None or number > above) and (at_least is None or number >= at_least)
            and (below is None or number < below))
    if not fits:
        raise ValueError(f"{name}={value!r} is not allowed: give {wanted}{hint}")
    return number


def check_flag(name: str, value: Any) -> bool:
    """``value`` if it is True or False (a NumPy bool too), else a TypeError.

    A string such as ``"no"`` is true to Python: taken as a flag, it would quietly mean yes.

    Examples
    --------
    >>> check_flag("fast", np.bool_(False))
    False
    >>> check_flag("fast", "no")
    Traceback (most recent call last):
    ...
    TypeError: fast='no' is not allowed: give True or False (without quotes)
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}={value!r} is not allowed: give True or False (without quotes)")
    return bool(value)


def check_table(name: str, table: Any, columns: Sequence[str], *, made_by: str) -> Any:
    """``table`` if it is a non-empty DataFrame with ``columns``, else an error naming ``made_by``.

    For the tables one nbtune function returns and another reads (a plot of
    :func:`nbtune.analysis.importance`'s shares, say).

    Parameters
    ----------
    name : str
        The argument (``"shares"``).
    table : any
        What the user gave.
    columns : sequence of str
        The columns the reader needs.
    made_by : str
        The function whose result to give (``"nbtune.analysis.importance"``).

    Examples
    --------
    >>> check_table("shares", [0.5, 0.2], ["parameter", "share"], made_by="nbtune.analysis.importance")
    Traceback (most recent call last):
    ...
    TypeError: shares is a list: give the table nbtune.analysis.importance returns (a DataFrame with columns ['parameter', 'share'])
    """
    import pandas as pd

    wanted = f"the table {made_by} returns (a DataFrame with columns {list(columns)})"
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{name} is {kind_of(table)}: give {wanted}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{name} has no column {missing} (its columns are {list(table.columns)}): "
                         f"give {wanted}")
    if table.empty:
        raise ValueError(f"{name} has no rows: give {wanted}, with rows")
    return table
