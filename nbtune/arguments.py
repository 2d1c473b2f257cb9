"""The argument rules every wing checks with: counts, numbers, flags and tables.

``epochs``, ``batch_size``, ``n_iter``, ``max_trials``, ``max_epochs``,
``factor``, ``repeats``... are whole numbers: a Python ``int`` or a NumPy
integer (what ``np.arange`` and a DataFrame give), never a ``bool``, never a
float such as ``3.0``, and at least a minimum. :func:`check_whole` says so in
one place, so a count that one helper accepts, every other helper accepts too.
:func:`check_real` does the same for a number (a learning rate, a fraction),
:func:`check_flag` for a True/False switch and :func:`check_table` for a table
that one nbtune function returns and another reads.

The messages are in the language spoken (:mod:`nbtune.language`). A ``what``
or ``hint`` a caller passes is translated here when it is a message of the
catalogue (``what=mark("the number of trials, a whole number")``), shown as
given otherwise; a hint ends the message in every language.

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

from nbtune.language import gettext as _


def kind_of(value: Any) -> str:
    """``value``'s type with its article, for messages: ``"an int"``, ``"a DataFrame"``.

    In the language spoken: Korean has no article (``"int"``).

    Examples
    --------
    >>> kind_of(3), kind_of("3"), kind_of(None)
    ('an int', 'a str', 'a NoneType')
    """
    name = type(value).__name__
    # TRANSLATORS: {type} is a Python type's name (int, str, DataFrame): the kind of a value
    article = _("an {type}") if name[:1].lower() in "aeiou" else _("a {type}")
    return article.format(type=name)


def spoken(text: str) -> str:
    """``text`` in the language spoken if it is a message of the catalogue, else as it is.

    For the pieces a caller passes (``what=``, ``hint=``): a piece marked with
    :func:`nbtune.language.mark` is translated, one already translated or made
    on the spot is kept.

    Examples
    --------
    >>> from nbtune.language import speaking
    >>> with speaking("ko"):
    ...     spoken("a whole number"), spoken(", e.g. factor=3"), spoken("")
    ('정수', ', e.g. factor=3', '')
    """
    return _(text) if text else text  # gettext("") is the catalogue's header


def example_hint(code: str) -> str:
    """The commonest ``hint``, in the language spoken: ``", e.g. factor=3"``.

    Examples
    --------
    >>> check_whole("factor", 1, minimum=2, hint=example_hint("factor=3"))
    Traceback (most recent call last):
    ...
    ValueError: factor=1 is not allowed: give a whole number >= 2, e.g. factor=3
    >>> from nbtune.language import speaking
    >>> with speaking("ko"):
    ...     example_hint("factor=3")
    '. 예: factor=3'
    """
    # TRANSLATORS: a hint that ends an error message; {code} is an argument as code: factor=3
    return _(", e.g. {code}").format(code=code)


def check_whole(name: str, value: Any, *, minimum: int = 1, maximum: int | None = None,
                what: str | None = None, hint: str = "") -> int:
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
    what : str, optional
        What to give, in words (``"the number of trials, a whole number"``); by
        default "a whole number". Translated when it is a message of the catalogue.
    hint : str, default ""
        Appended to the message: an example or what the value would do.
        Translated when it is a message of the catalogue.

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
    what, hint = (_("a whole number") if what is None else spoken(what)), spoken(hint)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(_(
            "{name}={value!r} is not allowed: give {what} >= {minimum}{hint}"
        ).format(name=name, value=value, what=what, minimum=minimum, hint=hint))
    if maximum is not None and value > maximum:
        raise ValueError(_(
            "{name}={value!r} is more than {maximum}: give {what} from {minimum} to {maximum}{hint}"
        ).format(name=name, value=value, what=what, minimum=minimum, maximum=maximum, hint=hint))
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
        Appended to the message: an example. Translated when it is a message of the catalogue.

    Examples
    --------
    >>> check_real("start", np.float32(0.5), above=0)
    0.5
    >>> check_real("true_best", "0.97")
    Traceback (most recent call last):
    ...
    TypeError: true_best='0.97' is a str, not a number: give a finite number
    """
    wanted, hint = wanted_number(above, at_least, below, finite), spoken(hint)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(_("{name}={value!r} is {kind}, not a number: give {wanted}{hint}").format(
            name=name, value=value, kind=kind_of(value), wanted=wanted, hint=hint))
    number = float(value)
    fits = (not math.isnan(number) and (math.isfinite(number) or not finite)
            and (above is None or number > above) and (at_least is None or number >= at_least)
            and (below is None or number < below))
    if not fits:
        raise ValueError(_("{name}={value!r} is not allowed: give {wanted}{hint}").format(
            name=name, value=value, wanted=wanted, hint=hint))
    return number


def wanted_number(above: float | None = None, at_least: float | None = None,
                  below: float | None = None, finite: bool = True) -> str:
    """The number :func:`check_real` asks for, in words: ``"a finite number > 0 and < 1"``.

    Examples
    --------
    >>> wanted_number(above=0, below=1)
    'a finite number > 0 and < 1'
    >>> from nbtune.language import speaking
    >>> with speaking("ko"):
    ...     wanted_number(at_least=0, finite=False)
    '>= 0인 수'
    """
    limits = [f"> {above:g}" if above is not None else "",
              f">= {at_least:g}" if at_least is not None else "",
              f"< {below:g}" if below is not None else ""]
    # TRANSLATORS: joins two limits of a number, as in "> 0 and < 1"
    allowed = _(" and ").join(limit for limit in limits if limit)
    number = _("a finite number") if finite else _("a number")
    # TRANSLATORS: {number} is "a finite number" or "a number"; {allowed} its limits ("> 0 and < 1")
    return _("{number} {allowed}").format(number=number, allowed=allowed) if allowed else number


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
        raise TypeError(_(
            "{name}={value!r} is not allowed: give True or False (without quotes)"
        ).format(name=name, value=value))
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

    wanted = _("the table {made_by} returns (a DataFrame with columns {columns})").format(
        made_by=made_by, columns=list(columns))
    if not isinstance(table, pd.DataFrame):
        raise TypeError(_("{name} is {kind}: give {wanted}").format(name=name, kind=kind_of(table),
                                                                    wanted=wanted))
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(_("{name} has no column {missing} (its columns are {columns}): "
                           "give {wanted}").format(name=name, missing=missing,
                                                   columns=list(table.columns), wanted=wanted))
    if table.empty:
        raise ValueError(_("{name} has no rows: give {wanted}, with rows").format(name=name,
                                                                                   wanted=wanted))
    return table
