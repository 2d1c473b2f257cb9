"""The search strategies nbtune knows, in one registry.

Each :class:`Strategy` says what the rest of nbtune needs to know about it: its
name and labels, the budget arguments of :func:`nbtune.compare` it reads (and
their defaults), which controls the run panel shows for it, whether it
cross-validates nbtune's estimator, and its plan (how many trials and epochs a
budget buys, before anything runs). ``compare``, the run panel, the command line
and the lessons read it, so they agree on what a strategy is.

Nothing here trains or imports Keras.

Examples
--------
>>> from nbtune import strategies
>>> strategies.names()
('grid', 'random', 'hyperband', 'bayesian')
>>> strategies.get("hyperband").label
'Hyperband'
>>> from nbtune import SearchSpace, Choice
>>> space = SearchSpace(Choice("units", [16, 64]), Choice("learning_rate", [1e-2, 1e-3]))
>>> strategies.get("grid").plan(space, {"epochs": 5})
(4, 20)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from nbtune.schedule import hyperband_schedule
from nbtune.space import SearchSpace

__all__ = ["BUDGET_DEFAULTS", "Strategy", "get", "names", "registry"]

#: Defaults of the budget arguments of :func:`nbtune.compare` (a test checks they agree).
BUDGET_DEFAULTS: dict[str, Any] = {
    "epochs": 10, "points": None, "n_iter": 10, "max_epochs": None, "factor": 3,
    "hyperband_iterations": 1, "max_trials": 10, "num_initial_points": None,
    "alpha": 1e-4, "beta": 2.6,
}


@dataclass(frozen=True)
class Strategy:
    """What nbtune knows about one search strategy.

    Attributes
    ----------
    name : str
        The name ``compare(strategies=[...])`` and ``--strategies`` take.
    label : str
        How it is written for people: ``"Grid search"``.
    short_label : str
        A button's label: ``"Grid"``.
    budget : tuple of str
        The budget arguments of ``compare`` it reads (see :data:`BUDGET_DEFAULTS`).
    panel_controls : tuple of str
        The budget controls the run panel shows for it.
    cross_validated : bool
        Whether it cross-validates nbtune's estimator (scikit-learn's fit), and
        so cannot run a keras-tuner HyperModel's own ``fit``.
    plan : callable
        ``plan(space, settings) -> (trials, epochs)``: what ``compare`` with these
        settings will run, before it runs.
    """

    name: str
    label: str
    short_label: str
    budget: tuple[str, ...]
    panel_controls: tuple[str, ...]
    cross_validated: bool
    plan: Callable[[SearchSpace, Mapping[str, Any]], tuple[int, int]]


def _setting(settings: Mapping[str, Any], name: str) -> Any:
    value = settings.get(name)
    return BUDGET_DEFAULTS[name] if value is None else value


def _grid_plan(space: SearchSpace, settings: Mapping[str, Any]) -> tuple[int, int]:
    trials = space.grid_size(points=settings.get("points"))
    return trials, trials * _setting(settings, "epochs")


def _random_plan(space: SearchSpace, settings: Mapping[str, Any]) -> tuple[int, int]:
    trials = _setting(settings, "n_iter")
    return trials, trials * _setting(settings, "epochs")


def _hyperband_plan(space: SearchSpace, settings: Mapping[str, Any]) -> tuple[int, int]:
    max_epochs = settings.get("max_epochs") or _setting(settings, "epochs")
    schedule = hyperband_schedule(max_epochs, _setting(settings, "factor"),
                                  _setting(settings, "hyperband_iterations"))
    return int(schedule["trials"].sum()), int(schedule["total_epochs"].sum())


def _bayesian_plan(space: SearchSpace, settings: Mapping[str, Any]) -> tuple[int, int]:
    trials = _setting(settings, "max_trials")
    return trials, trials * _setting(settings, "epochs")


_REGISTRY = {s.name: s for s in (
    Strategy("grid", "Grid search", "Grid", ("epochs", "points"), ("cv", "epochs"),
             cross_validated=True, plan=_grid_plan),
    Strategy("random", "Random search", "Random", ("epochs", "n_iter"),
             ("trials", "cv", "epochs"), cross_validated=True, plan=_random_plan),
    Strategy("hyperband", "Hyperband", "Hyperband",
             ("epochs", "max_epochs", "factor", "hyperband_iterations"),
             ("max_epochs", "factor"), cross_validated=False, plan=_hyperband_plan),
    Strategy("bayesian", "Bayesian optimisation", "Bayesian",
             ("epochs", "max_trials", "num_initial_points", "alpha", "beta"),
             ("trials", "epochs"), cross_validated=False, plan=_bayesian_plan),
)}


def registry() -> tuple[Strategy, ...]:
    """Every strategy, in the order nbtune shows them."""
    return tuple(_REGISTRY.values())


def names() -> tuple[str, ...]:
    """The strategies' names, in the order nbtune shows them."""
    return tuple(_REGISTRY)


def get(name: str) -> Strategy:
    """The strategy called ``name``.

    Raises
    ------
    ValueError
        For a name nbtune does not know, listing the ones it does.

    Examples
    --------
    >>> get("random").short_label
    'Random'
    """
    if name not in _REGISTRY:
        raise ValueError(
            f"strategy {name!r} is not known; choose from {list(_REGISTRY)}, "
            "e.g. strategies=['grid', 'random', 'hyperband']"
        )
    return _REGISTRY[name]
