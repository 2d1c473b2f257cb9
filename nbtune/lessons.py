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
- :func:`run_comparison`, :func:`precompute` -- run lesson 04's comparison,
  and write it to files;
- :func:`load_precomputed`, :func:`precomputed_info` -- read the shipped
  results back, e.g. while a search runs or when Binder is slow;
- :func:`lesson_times` -- how long each lesson takes, as measured on one core.

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

import json
import os
import time
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from nbtune import data
from nbtune.backend import import_keras, library_versions
from nbtune.cost import comparison_cost
from nbtune.display import SearchProgress
from nbtune.results import SearchResult
from nbtune.search import compare
from nbtune.space import Float, Int, SearchSpace

__all__ = [
    "PRECOMPUTED",
    "WallClock",
    "build_digits_model",
    "comparison_plan",
    "comparison_settings",
    "comparison_space",
    "load_precomputed",
    "precompute",
    "precomputed_folder",
    "precomputed_info",
    "precomputed_paths",
    "run_comparison",
]

#: Name of lesson 04's precomputed comparison (files ``<name>.csv`` and ``<name>.json``).
PRECOMPUTED = "comparison_digits"
_BUDGETS = (1, 2, 3)


# ----------------------------------------------------------------- the model
def build_digits_model(units: int = 64, learning_rate: float = 1e-3,
                       activation: str = "relu", dropout_rate: float = 0.0):
    """A small classifier for the 8 x 8 digits: Dense(units) -> Dropout -> 10-way softmax.

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

    Returns
    -------
    keras.Model
        Compiled with sparse categorical cross-entropy and accuracy.
    """
    keras = import_keras()

    model = keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(units, activation=activation),
        keras.layers.Dropout(dropout_rate),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# ------------------------------------------------------ lesson 04's comparison
def _check_budget(budget: Any) -> int:
    if isinstance(budget, bool) or budget not in _BUDGETS:
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
    if fast:
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
    if fast:
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

    :func:`nbtune.cost.comparison_cost` with the lesson's space and settings.

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
        super().__init__(enabled=show, stream=stream)

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


# ------------------------------------------------------------ precomputed
def precomputed_folder() -> Path:
    """The folder inside the installed package that holds the precomputed results."""
    return Path(str(resources.files("nbtune") / "precomputed"))


def precomputed_paths(name: str, folder: str | os.PathLike | None = None) -> tuple[Path, Path]:
    """``<name>.csv`` and ``<name>.json`` in ``folder`` (default :func:`precomputed_folder`).

    Examples
    --------
    >>> [path.name for path in precomputed_paths("comparison_digits")]
    ['comparison_digits.csv', 'comparison_digits.json']
    """
    folder = precomputed_folder() if folder is None else Path(folder)
    return folder / f"{name}.csv", folder / f"{name}.json"


def precompute(folder: str | os.PathLike | None = None, *, budget: int = 1, fast: bool = False,
               progress: bool = True, name: str = PRECOMPUTED,
               stream: TextIO | None = None) -> SearchResult:
    """Run lesson 04's comparison and write ``<name>.csv`` and ``<name>.json`` to ``folder``.

    The CSV is the trials table (``SearchResult.to_csv``); the JSON holds the
    space, the settings, the test score and the wall time of each strategy,
    and the library versions.  ``folder`` defaults to the package's own
    precomputed folder (:func:`precomputed_folder`), which is what
    ``python -m nbtune precompute`` updates. The progress lines go to
    ``stream`` (default ``sys.stderr``).
    """
    clock = WallClock(show=progress, stream=stream)
    started = time.perf_counter()
    result = run_comparison(budget, fast=fast, progress=clock)
    csv_path, json_path = precomputed_paths(name, folder)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(csv_path)
    info = {
        "name": name,
        "lesson": "04_comparing_strategies",
        "command": "python -m nbtune precompute" + (" --fast" if fast else "")
                   + (f" --budget {budget}" if budget != 1 else ""),
        "dataset": "digits",
        "budget": budget,
        "fast": fast,
        "space": comparison_space(budget, fast=fast).to_dict(),
        "settings": comparison_settings(budget, fast=fast),
        "task": result.task,
        "scoring": result.scoring,
        "fit_params": {k: v for k, v in result.fit_params.items() if isinstance(v, (int, float, str))},
        "test_scores": result.test_scores,
        "wall_seconds": clock.seconds,
        "total_seconds": round(time.perf_counter() - started, 1),
        "created": time.strftime("%Y-%m-%d"),
        "versions": library_versions(),
    }
    json_path.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return result


def precomputed_info(name: str = PRECOMPUTED, *, folder: str | os.PathLike | None = None) -> dict:
    """The settings, test scores and wall times stored beside a precomputed result."""
    _, json_path = precomputed_paths(name, folder)
    if not json_path.exists():
        raise FileNotFoundError(_missing(name, json_path))
    return json.loads(json_path.read_text(encoding="utf-8"))


def _missing(name: str, path: Path) -> str:
    return (
        f"no precomputed result {name!r}: {path} does not exist. Make it with "
        "`python -m nbtune precompute`, or check that nbtune was installed with its "
        "package data (nbtune/precomputed/*.csv, *.json)"
    )


def load_precomputed(name: str = PRECOMPUTED, *, folder: str | os.PathLike | None = None) -> SearchResult:
    """Lesson 04's comparison as nbtune ran it before shipping: no training needed.

    Use it when the search is slow (Binder, an old laptop) or to look at the
    plots while your own search runs.  The result knows its build function
    (:func:`build_digits_model`), so ``refit_best`` works, and carries the
    test score of each strategy's winner.

    Examples
    --------
    >>> result = load_precomputed()
    >>> result.strategies
    ['grid', 'random', 'hyperband', 'bayesian']
    """
    csv_path, json_path = precomputed_paths(name, folder)
    if not csv_path.exists():
        raise FileNotFoundError(_missing(name, csv_path))
    info = precomputed_info(name, folder=folder) if json_path.exists() else {}
    return SearchResult.read_csv(
        csv_path,
        build_fn=build_digits_model,
        task=info.get("task", "classification"),
        fit_params=info.get("fit_params"),
        scoring=info.get("scoring"),
        test_scores=info.get("test_scores"),
    )


# ------------------------------------------------------------ lesson times
LESSON_TIMES = "lesson_times"


def lesson_times(*, folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Each lesson's wall time and peak memory at default budgets, measured on one core.

    Read from ``nbtune/precomputed/lesson_times.json``, which
    ``taskset -c 0 python scripts/budget_report.py --save ...`` writes; the
    table's ``attrs`` say where and when (``machine``, ``measured``, ``note``).
    This is the one source of the time statements of the lessons and
    INSTRUCTORS.md.

    Examples
    --------
    >>> times = lesson_times()
    >>> list(times.columns)
    ['seconds', 'peak_mib']
    >>> times.attrs["machine"]["cpus_usable"]
    1
    """
    _, json_path = precomputed_paths(LESSON_TIMES, folder)
    if not json_path.exists():
        raise FileNotFoundError(
            f"no lesson times: {json_path} does not exist. Make it with "
            f"`taskset -c 0 python scripts/budget_report.py --save {json_path}`")
    info = json.loads(json_path.read_text(encoding="utf-8"))
    table = pd.DataFrame(info["lessons"]).set_index("lesson")[["seconds", "peak_mib"]]
    table.attrs = {key: info[key] for key in ("measured", "machine", "note", "targets", "command")}
    return table
