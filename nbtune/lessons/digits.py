"""What the lessons share with the headless jobs: lesson 04's model, space and budgets.

Lesson 04 (``notebooks/04_comparing_strategies.ipynb``) compares grid search,
random search, Hyperband and Bayesian optimisation on the digits data.  Its
build function, search space and budgets live here, not in the notebook, so
that the precomputed results nbtune ships (``python -m nbtune precompute``)
come from exactly the code the class runs; the notebook imports them.

- :func:`build_digits_model` -- the model every strategy tunes;
- :func:`comparison_space` and :func:`comparison_settings` -- what lesson 04
  searches, and how much each strategy may spend, for a ``budget`` knob;
- :func:`comparison_plan` -- trials and epochs each strategy will spend,
  computed before anything runs;
- :class:`WallClock` -- the one-line progress of a search, which also
  measures the wall time of each strategy (what happens between trials
  included);
- :func:`run_comparison` -- run lesson 04's comparison
  (:func:`nbtune.lessons.shipped.precompute` writes it to files);
- :func:`digits_mlp_space`, :func:`make_digits_mlp` -- the shipped
  ``digits-mlp`` table: lesson 04's model on a wider space, tabulated by
  :func:`nbtune.benchmarks.table.tabulate`.

Importing this module is cheap: TensorFlow and Keras are imported by the
functions that train.

Examples
--------
>>> from nbtune import lessons
>>> lessons.comparison_space().names
('units', 'learning_rate')
>>> lessons.comparison_plan()["epochs"].tolist()
[81, 81, 75, 81]
"""

from __future__ import annotations

import numbers
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from nbtune import data
from nbtune.arguments import check_flag, check_real, check_whole, kind_of
from nbtune.backend import import_keras
from nbtune.benchmarks.table import tabulate, write
from nbtune.display import SearchProgress
from nbtune.search.cost import comparison_cost
from nbtune.search.helpers import compare
from nbtune.search.results import SearchResult
from nbtune.space import Choice, Float, Int, SearchSpace

#: Name of lesson 04's precomputed comparison (files ``<name>.csv`` and ``<name>.json``).
PRECOMPUTED = "comparison_digits"
_BUDGETS = (1, 2, 3)


# ----------------------------------------------------------------- the model
def dense_classifier(units: int = 64, learning_rate: float = 1e-3, activation: str = "relu",
                     dropout_rate: float = 0.0, *, n_features: int = 64, n_classes: int = 10):
    """The lessons' classifier for any table of numbers: Dense(units) -> Dropout -> softmax.

    Parameters
    ----------
    units : int, default 64
        Neurons of the hidden layer.
    learning_rate : float, default 1e-3
        Adam's step size.
    activation : str, default "relu"
        Activation of the hidden layer.
    dropout_rate : float, default 0.0
        Fraction of the hidden layer's outputs dropped while training.
    n_features, n_classes : int, default 64 and 10
        Inputs and classes (the digits': 8 x 8 pixels, 10 digits).

    Returns
    -------
    keras.Model
        Compiled with sparse categorical cross-entropy and accuracy.
    """
    units = check_whole("units", units, hint=", e.g. units=64")
    learning_rate = check_real("learning_rate", learning_rate, above=0, hint=", e.g. learning_rate=1e-3")
    dropout_rate = check_real("dropout_rate", dropout_rate, at_least=0, below=1,
                              hint=", e.g. dropout_rate=0.2")
    n_features = check_whole("n_features", n_features)
    n_classes = check_whole("n_classes", n_classes, minimum=2)
    keras = import_keras()
    _check_activation(keras, activation)
    model = keras.Sequential([
        keras.Input(shape=(n_features,)),
        keras.layers.Dense(units, activation=activation),
        keras.layers.Dropout(dropout_rate),
        keras.layers.Dense(n_classes, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _check_activation(keras: Any, activation: Any) -> None:
    """Refuse an activation Keras does not know before any layer is made."""
    try:
        keras.activations.get(activation)
    except ValueError:
        raise ValueError(f"activation={activation!r} is not a Keras activation: use one of its "
                         "names, e.g. 'relu', 'tanh', 'sigmoid' or 'elu'") from None


def build_digits_model(units: int = 64, learning_rate: float = 1e-3,
                       activation: str = "relu", dropout_rate: float = 0.0):
    """The model every strategy tunes in the lessons: :func:`dense_classifier` for the 8 x 8
    digits (64 inputs, 10 classes); its arguments are the hyperparameters a search may set."""
    return dense_classifier(units, learning_rate, activation, dropout_rate)


def _check_budget(budget: Any) -> int:
    if isinstance(budget, bool) or not isinstance(budget, numbers.Integral) or budget not in _BUDGETS:
        raise ValueError(
            f"budget={budget!r} is not allowed: use 1 (about 2 minutes), 2 or 3 (bigger, slower)"
        )
    return int(budget)


def comparison_space(budget: int = 1, *, fast: bool = False) -> SearchSpace:
    """Lesson 04's search space: hidden units and (log-scaled) learning rate.

    ``units`` takes the values 16, 64 and 256 (a log scale, step x4); the
    learning rate ranges over three decades, from 1e-4 to 1e-1, sampled
    log-uniformly.  ``fast=True`` gives a tiny space for smoke runs.

    Examples
    --------
    >>> comparison_space()
    SearchSpace(
        Int('units', 16, 256, step=4, log=True),
        Float('learning_rate', 0.0001, 0.1, log=True),
    )
    """
    _check_budget(budget)
    if check_flag("fast", fast):
        return SearchSpace(Int("units", 16, 32, step=2, log=True),
                           Float("learning_rate", 1e-3, 1e-2, log=True))
    return SearchSpace(Int("units", 16, 256, step=4, log=True),
                       Float("learning_rate", 1e-4, 1e-1, log=True))


def comparison_settings(budget: int = 1, *, fast: bool = False) -> dict[str, Any]:
    """Keyword arguments of ``nbtune.compare`` for lesson 04: strategies and budgets.

    Every strategy gets about the same number of training epochs: the grid
    has ``3 * budget`` learning rates x 3 unit counts, each trained for 9
    epochs; random search and Bayesian optimisation try as many
    configurations; Hyperband's schedule (``max_epochs=9``, ``factor=3``, or
    ``factor=2`` for a bigger budget) spends about as many epochs.

    Examples
    --------
    >>> comparison_settings()["points"], comparison_settings()["n_iter"]
    ({'learning_rate': 3}, 9)
    """
    budget = _check_budget(budget)
    if check_flag("fast", fast):
        return {"strategies": ["grid", "random", "hyperband", "bayesian"], "epochs": 2,
                "points": {"learning_rate": 1}, "n_iter": 1, "max_epochs": 2, "factor": 2,
                "max_trials": 1, "batch_size": 64, "random_state": 0}
    configs = 9 * budget
    return {"strategies": ["grid", "random", "hyperband", "bayesian"], "epochs": 9,
            "points": {"learning_rate": 3 * budget}, "n_iter": configs, "max_epochs": 9,
            "factor": 3 if budget == 1 else 2, "max_trials": configs, "batch_size": 32,
            "random_state": 0}


def comparison_plan(space: SearchSpace | None = None, settings: dict | None = None) -> pd.DataFrame:
    """Trials and epochs each strategy of lesson 04's comparison will spend, before running it.

    :func:`nbtune.search.cost.comparison_cost` with the lesson's space and settings.

    Parameters
    ----------
    space : SearchSpace, optional
        Default :func:`comparison_space`.
    settings : dict, optional
        ``nbtune.compare`` keyword arguments; default :func:`comparison_settings`.

    Returns
    -------
    DataFrame
        One row per strategy: ``trials`` and ``epochs`` (epochs trained in all).

    Examples
    --------
    >>> comparison_plan().loc["hyperband"].tolist()
    [23, 75]
    """
    space = comparison_space() if space is None else space
    settings = comparison_settings() if settings is None else settings
    if not isinstance(space, SearchSpace):
        raise TypeError(f"space is {kind_of(space)}, not a SearchSpace: give one, e.g. "
                        "space=lessons.comparison_space(2), or leave it out for lesson 04's")
    if not isinstance(settings, Mapping):
        raise TypeError(f"settings is {kind_of(settings)}, not a dict: give nbtune.compare's "
                        "keyword arguments, e.g. settings=lessons.comparison_settings(2)")
    return comparison_cost(space, settings)


# ---------------------------------------------------------------- wall clock
class WallClock(SearchProgress):
    """Search progress that also times each strategy by the wall clock.

    Pass it as ``progress=`` to any search helper or to ``nbtune.compare``.
    It shows the usual one progress line (or nothing with ``show=False``; on
    ``stream``, as :class:`~nbtune.display.SearchProgress` does) and
    records, per strategy, the seconds from the first to the last trial:
    everything the search spent, including what a trial's own ``seconds``
    column does not count (the records between trials, and Bayesian
    optimisation's model of the score, fitted before each of its trials).

    Attributes
    ----------
    seconds : dict of str -> float
        Wall time of each strategy that has finished.

    Examples
    --------
    >>> clock = WallClock(show=False)
    >>> clock.begin("grid", 2); clock.trial_done({"score": 0.9}); clock.end()
    >>> list(clock.seconds)
    ['grid']
    """

    def __init__(self, *, show: bool = True, stream: TextIO | None = None):
        self.seconds: dict[str, float] = {}
        super().__init__(enabled=check_flag("show", show), stream=stream)

    def end(self, note: str = "") -> None:
        # ``started`` was set by ``begin`` for this strategy
        self.seconds[self.strategy] = round(time.perf_counter() - self.started, 1)
        super().end(note)

    def table(self) -> pd.Series:
        """The wall seconds of each strategy, as a Series named ``wall_seconds``."""
        series = pd.Series(self.seconds, name="wall_seconds", dtype=float)
        series.index.name = "strategy"
        return series


def run_comparison(budget: int = 1, *, fast: bool = False, progress: bool | Any = True) -> SearchResult:
    """Run lesson 04's comparison on the digits data (what the notebook runs).

    Returns the combined :class:`~nbtune.SearchResult`, with the test score
    of each strategy's winner.  ``progress`` as in ``nbtune.compare`` (e.g. a
    :class:`WallClock`).
    """
    digits = data.load_digits()
    return compare(build_digits_model, comparison_space(budget, fast=fast), *digits.train,
                   validation_data=digits.validation, test_data=digits.test,
                   progress=progress, **comparison_settings(budget, fast=fast))


# ------------------------------------------------------------ the digits table
#: Learning rates of the digits table: 1e-4 to 1e-1, two per decade (the lessons' log scale).
DIGITS_LEARNING_RATES = [0.0001, 0.000316, 0.001, 0.00316, 0.01, 0.0316, 0.1]


def digits_mlp_space(fast: bool = False) -> SearchSpace:
    """The space of the ``digits-mlp`` table: lesson 04's model, units and learning rate on its
    log scales, with batch size and dropout added (252 configurations; ``fast``: 4).

    Examples
    --------
    >>> digits_mlp_space().size, digits_mlp_space(fast=True).size
    (252, 4)
    """
    if check_flag("fast", fast):
        return SearchSpace(Choice("units", [16, 64]), Choice("learning_rate", [0.001, 0.01]),
                           Choice("batch_size", [32]), Choice("dropout_rate", [0.0]))
    return SearchSpace(Int("units", 16, 256, step=4, log=True),
                       Choice("learning_rate", DIGITS_LEARNING_RATES),
                       Choice("batch_size", [16, 32, 64, 128]),
                       Choice("dropout_rate", [0.0, 0.2, 0.4]))


def make_digits_mlp(work: str | os.PathLike, out: str | os.PathLike, *, fast: bool = False,
                    resume: bool = False, overwrite: bool = False, n_jobs: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> tuple[Path, Path]:
    """Tabulate lesson 04's model on :func:`digits_mlp_space` (run folder in ``work``), then write it.

    What ``python -m nbtune tabulate`` runs: 3 seeds, 27 epochs. ``fast`` makes
    ``digits-mlp-tiny`` instead (4 configurations, 2 seeds, 3 epochs), which the
    tests and examples use.
    """
    folder = tabulate(digits_mlp_space(fast), build_digits_model, data.load_digits(),
                      directory=work, project_name="digits-mlp-tiny" if fast else "digits-mlp",
                      seeds=(0, 1) if fast else (0, 1, 2), max_epochs=3 if fast else 27,
                      resume=resume, overwrite=overwrite, n_jobs=n_jobs, progress=progress)
    about = {"data": "nbtune.data.load_digits(): train 1077, validation 360, test 360 rows",
             "build_fn": "nbtune.lessons.digits.build_digits_model (Dense(units) -> Dropout -> softmax)",
             "command": "python -m nbtune tabulate" + (" --fast" if fast else ""),
             "timings": f"each fit timed while {n_jobs or 1} worker(s) shared the machine"}
    return write(folder, out, "digits-mlp-tiny" if fast else "digits-mlp", about=about,
                 overwrite=overwrite)
