"""A lesson's conclusions checked against its own run: :func:`claim`.

A sentence of a lesson that states a result ("random search's median regret is
below Hyperband's") gets a check cell beside it that computes the same thing
from the run's outputs and calls :func:`claim`. The cell prints what it checked,
so a student sees the evidence; when the output no longer says so (new library
versions, a changed lesson), it raises, and the lesson's test fails in CI
instead of a wrong sentence reaching a class.

Claims about results at the lesson's default budget are not checked in fast
mode (``NBTUNE_FAST=1``, shrunk budgets): pass ``check=not FAST``.

Examples
--------
>>> claim("3 is more than 2", 3 > 2)
checked: 3 is more than 2
>>> import numpy as np
>>> claim("every score is above 0.5", (np.array([0.9, 0.8]) > 0.5).all())  # a NumPy bool
checked: every score is above 0.5
>>> claim("the gap is small", "no")  # a string is not a truth value
Traceback (most recent call last):
...
TypeError: holds='no' is a str, not True or False: give the comparison the cell computed, ...
>>> claim("the winner is grid", False, check=False)
not checked at this budget: the winner is grid
>>> claim("2 is more than 3", 2 > 3)
Traceback (most recent call last):
...
AssertionError: the lesson says "2 is more than 3", but this run's output does not...

In Korean (:mod:`nbtune.language`) the check line is Korean; the statement is the lesson's own:

>>> from nbtune.language import speaking
>>> with speaking("ko"):
...     claim("3은 2보다 크다", 3 > 2)
확인함: 3은 2보다 크다
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbtune.arguments import check_flag, kind_of
from nbtune.language import gettext as _


def claim(statement: str, holds: Any, *, check: bool = True) -> None:
    """Print that ``statement`` was checked and holds, or raise AssertionError if it does not.

    Parameters
    ----------
    statement : str
        The lesson's sentence, as the student reads it.
    holds : bool
        Whether this run's numbers say so (computed in the cell, from its outputs):
        True or False (a NumPy bool too, as ``(scores > 0.9).all()`` gives). Anything
        else is refused: ``"no"`` or NaN would read as true.
    check : bool, default True
        False (e.g. ``check=not FAST``) for a claim about the default budget's
        results when the lesson runs with other budgets: printed, not checked.
    """
    if not isinstance(statement, str) or not statement.strip():
        raise TypeError(f"statement={statement!r} is not allowed: give the lesson's sentence as "
                        "text, e.g. claim('random search beats the grid', holds)")
    _check_holds(holds)
    if not check_flag("check", check):
        print(_("not checked at this budget: {statement}").format(statement=statement))
        return
    if not bool(holds):
        raise AssertionError(
            f'the lesson says "{statement}", but this run\'s output does not; at the '
            "lesson's default budget this is a mistake in the lesson (please report it), "
            "with another BUDGET the conclusion may differ: read the numbers above"
        )
    print(_("checked: {statement}").format(statement=statement))


def _check_holds(holds: Any) -> None:
    """Refuse what is not one True or False, saying how to make one."""
    if isinstance(holds, (bool, np.bool_)):
        return
    size = getattr(holds, "size", None)
    if size is not None and size != 1:
        raise TypeError(f"holds is {kind_of(holds)} of {size} values, not one True or "
                        "False: reduce it, e.g. (scores > 0.9).all() or (scores > 0.9).any()")
    raise TypeError(f"holds={holds!r} is {kind_of(holds)}, not True or False: give the "
                    "comparison the cell computed, e.g. claim('the gap is small', gap < 0.01)")
