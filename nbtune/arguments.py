"""The one whole-number rule every wing checks its counts with.

``epochs``, ``batch_size``, ``n_iter``, ``max_trials``, ``max_epochs``,
``factor``, ``repeats``... are whole numbers: a Python ``int`` or a NumPy
integer (what ``np.arange`` and a DataFrame give), never a ``bool``, never a
float such as ``3.0``, and at least a minimum. :func:`check_whole` says so in
one place, so a count that one helper accepts, every other helper accepts too.

Examples
--------
>>> import numpy as np
>>> check_whole("epochs", np.int64(3))
3
>>> check_whole("factor", 1, minimum=2, hint=", e.g. factor=3")
Traceback (most recent call last):
...
ValueError: factor=1 is not allowed: give a whole number >= 2, e.g. factor=3
"""

from __future__ import annotations

import numbers
from typing import Any


def check_whole(name: str, value: Any, *, minimum: int = 1, what: str = "a whole number",
                hint: str = "") -> int:
    """``value`` as an ``int`` if it is a whole number >= ``minimum``, else a ValueError.

    Parameters
    ----------
    name : str
        The argument, as the user wrote it (``"epochs"``).
    value : any
        What the user gave.
    minimum : int, default 1
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
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name}={value!r} is not allowed: give {what} >= {minimum}{hint}")
    return int(value)
