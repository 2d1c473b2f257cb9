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
>>> claim("the winner is grid", False, check=False)
not checked at this budget: the winner is grid
>>> claim("2 is more than 3", 2 > 3)
Traceback (most recent call last):
...
AssertionError: the lesson says "2 is more than 3", but this run's output does not...
"""

from __future__ import annotations


def claim(statement: str, holds: bool, *, check: bool = True) -> None:
    """Print that ``statement`` was checked and holds, or raise AssertionError if it does not.

    Parameters
    ----------
    statement : str
        The lesson's sentence, as the student reads it.
    holds : bool
        Whether this run's numbers say so (computed in the cell, from its outputs).
    check : bool, default True
        False (e.g. ``check=not FAST``) for a claim about the default budget's
        results when the lesson runs with other budgets: printed, not checked.
    """
    if not check:
        print(f"not checked at this budget: {statement}")
        return
    if not bool(holds):
        raise AssertionError(
            f'the lesson says "{statement}", but this run\'s output does not; at the '
            "lesson's default budget this is a mistake in the lesson (please report it), "
            "with another BUDGET the conclusion may differ: read the numbers above"
        )
    print(f"checked: {statement}")
