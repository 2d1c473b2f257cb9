"""The search strategies nbtune knows, in one registry.

Each :class:`Strategy` says what the rest of nbtune needs to know about it: its
name, labels and colour, the budget arguments of :func:`nbtune.compare` it reads
(and their defaults), whether it decides the epochs itself, which controls the
run panel shows for it and which budget its trials box sets, whether it
cross-validates nbtune's estimator, and its plan (how many trials and epochs a
budget buys, before anything runs). ``compare``, the run panel, the command line
and the lessons read it, so they agree on what a strategy is.

Each entry also makes the strategy's proposer (:mod:`nbtune.search.proposers`) from
a budget; adding a strategy is one entry and its proposer. Nothing here trains,
and keras-tuner is imported only when an oracle is made.

Examples
--------
>>> from nbtune.search import strategies
>>> strategies.names()
('grid', 'random', 'hyperband', 'bayesian', 'successive_halving')
>>> strategies.get("hyperband").label
'Hyperband'
>>> from nbtune.language import speaking
>>> with speaking("ko"):
...     strategies.get("hyperband").label, strategies.get("random").trials_word
('하이퍼밴드', '조합')
>>> from nbtune import SearchSpace, Choice
>>> space = SearchSpace(Choice("units", [16, 64]), Choice("learning_rate", [1e-2, 1e-3]))
>>> strategies.get("grid").plan(space, {"epochs": 5})
(4, 20)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import ParameterGrid, ParameterSampler

from nbtune.arguments import check_whole
from nbtune.backend import import_keras_tuner
from nbtune.language import gettext, mark
from nbtune.search.proposers import (
    ListProposer,
    OracleProposer,
    Proposer,
    SuccessiveHalvingProposer,
)
from nbtune.search.schedule import hyperband_schedule, successive_halving_schedule
from nbtune.space import SearchSpace
from nbtune.training import compat


@dataclass(frozen=True)
class Strategy:
    """What nbtune knows about one search strategy.

    The words a person reads (``label``, ``short_label``, ``trials_word``) are
    kept in English, marked for the catalogue, and read in the language spoken
    when they are read (:mod:`nbtune.language`); ``name`` is a key and stays.

    Attributes
    ----------
    name : str
        The name ``compare(strategies=[...])`` and ``--strategies`` take.
    english_label : str
        How it is written for people, in English: ``"Grid search"``; ``label``
        reads it in the language spoken.
    english_short_label : str
        A button's label, in English: ``"Grid"``; ``short_label`` reads it translated.
    colour : str
        Its colour in every plot (Okabe–Ito, colour-blind safe).
    budget : mapping of str to default
        The budget arguments of ``compare`` it reads, with their defaults
        (``compare``'s own defaults; a test checks they agree).
    panel_controls : tuple of str
        The budget controls the run panel shows for it.
    cross_validated : bool
        Whether it cross-validates nbtune's estimator (scikit-learn's fit), and
        so cannot run a keras-tuner HyperModel's own ``fit``.
    plan : callable
        ``plan(space, settings) -> (trials, epochs)``: what ``compare`` with these
        settings will run, before it runs.
    proposer : callable
        ``proposer(space, budget, random_state) -> Proposer``: which trials it
        runs (``budget`` has every key of :func:`budget_defaults`); it checks
        the budget values it reads, before anything trains.
    decides_epochs : bool, default False
        Whether it decides each trial's epochs itself (Hyperband, successive
        halving): a space's ``epochs`` dimension is then left out.
    trials_knob : str or None, default None
        The budget argument the run panel's trials box sets (``"n_iter"``).
    english_trials_word : str, default "trials"
        What that box is called, in English: ``"configurations"`` for random
        search; ``trials_word`` reads it translated.

    Examples
    --------
    >>> from nbtune.language import speaking
    >>> grid = get("grid")
    >>> grid.label, grid.short_label, grid.english_label
    ('Grid search', 'Grid', 'Grid search')
    >>> with speaking("ko"):
    ...     grid.label, grid.short_label, grid.trials_word
    ('그리드 서치', '그리드', '시도')
    """

    name: str
    english_label: str
    english_short_label: str
    colour: str
    budget: Mapping[str, Any]
    panel_controls: tuple[str, ...]
    cross_validated: bool
    plan: Callable[[SearchSpace, Mapping[str, Any]], tuple[int, int]]
    proposer: Callable[[SearchSpace, Mapping[str, Any], int | None], Proposer]
    decides_epochs: bool = False
    trials_knob: str | None = None
    english_trials_word: str = mark("trials")

    @property
    def label(self) -> str:
        """How it is written for people, in the language spoken: ``"Grid search"``."""
        return gettext(self.english_label)

    @property
    def short_label(self) -> str:
        """A button's label, in the language spoken: ``"Grid"``."""
        return gettext(self.english_short_label)

    @property
    def trials_word(self) -> str:
        """What the run panel's trials box is called, in the language spoken: ``"trials"``."""
        return gettext(self.english_trials_word)


def _max_epochs(settings: Mapping[str, Any]) -> Any:
    """Hyperband's ``max_epochs``; when not given (None), ``epochs`` (0 is kept: it is refused)."""
    value = settings.get("max_epochs")
    return _setting(settings, "epochs") if value is None else value


_N_ITER = mark("the number of configurations to try, a whole number")
_MAX_TRIALS = mark("the number of trials, a whole number")


def _setting(settings: Mapping[str, Any], name: str) -> Any:
    value = settings.get(name)
    return budget_defaults()[name] if value is None else value


def _grid_plan(space: SearchSpace, settings: Mapping[str, Any]) -> tuple[int, int]:
    trials = space.grid_size(points=settings.get("points"))
    return trials, trials * _setting(settings, "epochs")


def _random_plan(space: SearchSpace, settings: Mapping[str, Any]) -> tuple[int, int]:
    trials = check_whole("n_iter", _setting(settings, "n_iter"), what=_N_ITER)
    return trials, trials * _setting(settings, "epochs")


def _hyperband_plan(space: SearchSpace, settings: Mapping[str, Any]) -> tuple[int, int]:
    max_epochs = _max_epochs(settings)
    schedule = hyperband_schedule(max_epochs, _setting(settings, "factor"),
                                  _setting(settings, "hyperband_iterations"))
    return int(schedule["trials"].sum()), int(schedule["total_epochs"].sum())


def _bayesian_plan(space: SearchSpace, settings: Mapping[str, Any]) -> tuple[int, int]:
    trials = check_whole("max_trials", _setting(settings, "max_trials"), what=_MAX_TRIALS)
    return trials, trials * _setting(settings, "epochs")


def _successive_halving_plan(space: SearchSpace, settings: Mapping[str, Any]) -> tuple[int, int]:
    max_epochs = _max_epochs(settings)
    factor = _setting(settings, "factor")
    schedule = successive_halving_schedule(max_epochs, factor)
    # a small space has fewer configurations than round 0 wants: as many as the proposer's
    # sampler gives (counted, not drawn: round 0 of max_epochs=10**9 wants 10**9)
    first = len(ParameterSampler(space.distributions(), n_iter=int(schedule["trials"].iloc[0])))
    sizes = list(itertools.accumulate(schedule["trials"], min, initial=first))[1:]
    return sum(sizes), int(np.dot(sizes, schedule["new_epochs"]))


def _oracle_seed(random_state: int | None) -> int | None:
    # keras-tuner's Oracle does `seed or random.randint(1, 10000)`, so seed=0
    # would mean "unseeded" and every run would try other configurations
    return None if random_state is None else random_state + 1


def _no_epochs_dimension(space: SearchSpace, label: str) -> None:
    if "epochs" in space.names:
        raise ValueError(
            f"the space has an 'epochs' dimension, but {label} decides how long each "
            "model trains: remove it (space.without('epochs')) and set max_epochs instead"
        )


def _oracle(kind: str, space: SearchSpace, random_state: int | None, **settings: Any) -> Any:
    """keras-tuner's oracle ``kind``, kept in memory, maximising nbtune's score."""
    kt = import_keras_tuner()
    oracle_class = compat.in_memory_oracle(getattr(kt.oracles, kind))
    return oracle_class(
        objective=kt.Objective("score", direction="max"),
        hyperparameters=space.hyperparameters(), seed=_oracle_seed(random_state),
        # nbtune records failed trials and carries on; it reports if all failed
        max_consecutive_failed_trials=10**9, **settings)


def _grid_proposer(space: SearchSpace, budget: Mapping[str, Any], random_state: int | None) -> Proposer:
    return ListProposer(space, ParameterGrid(space.grid(points=budget.get("points"))))


def _random_proposer(space: SearchSpace, budget: Mapping[str, Any], random_state: int | None) -> Proposer:
    n_iter = check_whole("n_iter", budget["n_iter"], what=_N_ITER)
    return ListProposer(space, ParameterSampler(space.distributions(), n_iter=n_iter,
                                                random_state=random_state))


def _hyperband_proposer(space: SearchSpace, budget: Mapping[str, Any], random_state: int | None) -> Proposer:
    _no_epochs_dimension(space, "Hyperband")
    max_epochs = _max_epochs(budget)
    schedule = hyperband_schedule(max_epochs, budget["factor"], budget["hyperband_iterations"])
    oracle = _oracle("HyperbandOracle", space, random_state, max_epochs=int(max_epochs),
                     factor=int(budget["factor"]),
                     hyperband_iterations=int(budget["hyperband_iterations"]))
    return OracleProposer(space, oracle, total=int(schedule["trials"].sum()))


def _bayesian_proposer(space: SearchSpace, budget: Mapping[str, Any], random_state: int | None) -> Proposer:
    max_trials = check_whole("max_trials", budget["max_trials"], what=_MAX_TRIALS)
    initial = budget.get("num_initial_points")
    oracle = _oracle("BayesianOptimizationOracle", space, random_state, max_trials=max_trials,
                     num_initial_points=None if initial is None else int(initial),
                     alpha=float(budget["alpha"]), beta=float(budget["beta"]))
    return OracleProposer(space, oracle, total=max_trials)


def _successive_halving_proposer(space: SearchSpace, budget: Mapping[str, Any],
                                 random_state: int | None) -> Proposer:
    _no_epochs_dimension(space, "successive halving")
    return SuccessiveHalvingProposer(space, max_epochs=_max_epochs(budget),
                                     factor=budget["factor"], random_state=random_state)


_REGISTRY = {s.name: s for s in (
    Strategy("grid", mark("Grid search"), mark("Grid"), "#0072B2",  # blue
             {"epochs": 10, "points": None}, ("cv", "epochs"),
             cross_validated=True, plan=_grid_plan, proposer=_grid_proposer),
    Strategy("random", mark("Random search"), mark("Random"), "#E69F00",  # orange
             {"epochs": 10, "n_iter": 10}, ("trials", "cv", "epochs"),
             cross_validated=True, plan=_random_plan, proposer=_random_proposer,
             trials_knob="n_iter", english_trials_word=mark("configurations")),
    Strategy("hyperband", mark("Hyperband"), mark("Hyperband"), "#009E73",  # bluish green
             {"epochs": 10, "max_epochs": None, "factor": 3, "hyperband_iterations": 1},
             ("max_epochs", "factor"), cross_validated=False, plan=_hyperband_plan,
             proposer=_hyperband_proposer, decides_epochs=True),
    Strategy("bayesian", mark("Bayesian optimisation"), mark("Bayesian"), "#CC79A7",  # reddish purple
             {"epochs": 10, "max_trials": 10, "num_initial_points": None, "alpha": 1e-4,
              "beta": 2.6},
             ("trials", "epochs"), cross_validated=False, plan=_bayesian_plan,
             proposer=_bayesian_proposer, trials_knob="max_trials"),
    Strategy("successive_halving", mark("Successive halving"), mark("Halving"), "#56B4E9",  # sky blue
             {"epochs": 10, "max_epochs": None, "factor": 3}, ("max_epochs", "factor"),
             cross_validated=False, plan=_successive_halving_plan,
             proposer=_successive_halving_proposer, decides_epochs=True),
)}


def budget_defaults() -> dict[str, Any]:
    """Every budget argument of :func:`nbtune.compare` and its default, from the entries.

    Examples
    --------
    >>> budget_defaults()["n_iter"], budget_defaults()["factor"]
    (10, 3)
    """
    merged: dict[str, Any] = {}
    for strategy in _REGISTRY.values():
        merged.update(strategy.budget)
    return merged


def colours() -> dict[str, str]:
    """Each strategy's colour, by name (what every plot uses)."""
    return {strategy.name: strategy.colour for strategy in _REGISTRY.values()}


def registry() -> tuple[Strategy, ...]:
    """Every strategy, in the order nbtune shows them."""
    return tuple(_REGISTRY.values())


def names() -> tuple[str, ...]:
    """The strategies' names, in the order nbtune shows them."""
    return tuple(_REGISTRY)


def check_names(strategies: Any) -> list[str]:
    """The strategy names of a ``strategies=`` argument, checked, in order, each once.

    A single name is taken as a list of one. Raises ValueError for an empty
    list or a name nbtune does not know, listing the ones it does.

    Examples
    --------
    >>> check_names("random"), check_names(["grid", "random", "grid"])
    (['random'], ['grid', 'random'])
    """
    if isinstance(strategies, str):
        strategies = [strategies]
    strategies = list(strategies)
    unknown = [s for s in strategies if s not in _REGISTRY]
    if unknown or not strategies:
        raise ValueError(
            f"strategies={strategies!r}: {unknown or 'empty'} not known; "
            f"choose from {list(_REGISTRY)}, e.g. strategies=['grid', 'random', 'hyperband']"
        )
    return list(dict.fromkeys(strategies))


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
