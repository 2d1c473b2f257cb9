"""Results shipped with nbtune, made by the lessons' own code: the slow searches, and lesson times.

Lesson 04's comparison ships as ``comparison_digits`` (:func:`precompute`
makes it, :func:`load_precomputed` reads it), and each lesson's measured wall
time and memory as ``lesson_times`` (:func:`lesson_times`). The searches of
lessons 01, 03 and 06 that take more than 30 s on one core ship too, made by ``scripts/precompute_lessons.py``, which runs each lesson's
own notebook at its default budget and saves what its search cell made:

- :func:`save_cv_search` writes a fitted ``GridSearchCV`` /
  ``RandomizedSearchCV`` (lessons 01 and 03): its ``cv_results_``, the
  settings of the search and of its estimator, a fingerprint of the data,
  and the provenance (command, library versions, date), in ``<name>.json``;
- :func:`load_cv_search` reads it back as a :class:`ShippedSearch`, which
  the lesson's later cells use as they use the fitted search;
- :func:`save_results` writes nbtune :class:`~nbtune.SearchResult` objects
  (lesson 06) as lesson 04's files are written, so that
  :func:`nbtune.lessons.load_precomputed` reads them.

Importing this module is cheap: scikit-learn's ``clone`` and the training
happen only in :func:`load_cv_search`.

Examples
--------
>>> from nbtune.lessons import shipped
>>> sorted(shipped.SHIPPED)
['coarse_to_fine_digits', 'grid_search_cv_cancer', 'random_search_cv_cancer']
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd

from nbtune.backend import cpu_name, library_versions, usable_cpus
from nbtune.formatting import to_python
from nbtune.lessons.digits import (
    PRECOMPUTED,
    WallClock,
    build_digits_model,
    comparison_settings,
    comparison_space,
    run_comparison,
)
from nbtune.search.fingerprint import digest_arrays
from nbtune.search.results import SKLEARN_SEARCHES, SearchResult

#: The command that makes every file of :data:`SHIPPED`.
COMMAND = "taskset -c 1 python scripts/precompute_lessons.py"

#: name of each shipped search: the lesson whose search cell made it.
SHIPPED = {
    "grid_search_cv_cancer": "01_grid_search_cv",
    "random_search_cv_cancer": "03_random_search_cv",
    "coarse_to_fine_digits": "06_coarse_to_fine",
}

_SIMPLE = (bool, int, float, str, type(None))


def _provenance(name: str, lesson: str, command: str, settings: Mapping[str, Any],
                seconds: float | None) -> dict[str, Any]:
    return {
        "name": name,
        "lesson": lesson,
        "command": command,
        "settings": {key: to_python(value) for key, value in settings.items()},
        "search_seconds": None if seconds is None else round(float(seconds), 1),
        "machine": {"cpu": cpu_name(), "cpus_usable": usable_cpus()},
        "created": time.strftime("%Y-%m-%d"),
        "versions": library_versions(),
    }


def data_fingerprint(X, y) -> dict[str, Any]:
    """Shapes and a digest of the training data, to check a result is loaded for its own data.

    The digest is the run folders' (:func:`nbtune.search.fingerprint.digest_arrays`).

    Examples
    --------
    >>> import numpy as np
    >>> data_fingerprint(np.zeros((4, 2), "float32"), np.zeros(4, "int64"))["X_shape"]
    [4, 2]
    """
    X, y = np.asarray(X), np.asarray(y)
    return {"X_shape": list(X.shape), "y_shape": list(y.shape), "digest": digest_arrays([X, y])}


def _simple_params(estimator) -> dict[str, Any]:
    return {key: to_python(value) for key, value in estimator.get_params(deep=False).items()
            if isinstance(to_python(value), _SIMPLE)}


def _json_tree(values: Any) -> Any:
    """Lists and dicts of Python values, numpy scalars and arrays converted, NaN kept: the
    shipped files hold cv_results_ as scikit-learn made it (a run folder writes null instead)."""
    if isinstance(values, Mapping):
        return {key: _json_tree(value) for key, value in values.items()}
    if isinstance(values, (list, tuple, np.ndarray)):
        return [_json_tree(value) for value in values]
    return to_python(values)


# ------------------------------------------------------------ scikit-learn
def save_cv_search(search, name: str, *, lesson: str, X, y, settings: Mapping[str, Any],
                   command: str = COMMAND, seconds: float | None = None,
                   folder: str | os.PathLike | None = None) -> Path:
    """Write a fitted ``GridSearchCV`` / ``RandomizedSearchCV`` to ``<name>.json``.

    Parameters
    ----------
    search : fitted GridSearchCV or RandomizedSearchCV
    name : str
        File name without ``.json``.
    lesson : str
        The notebook whose code made the search, e.g. ``"01_grid_search_cv"``.
    X, y : array-like
        The data the search was fitted on (only a fingerprint is stored).
    settings : dict
        The lesson's budget settings (``BUDGET``, ``epochs``, ``cv``...), as it set them.
    command : str, optional
        The command that made the file.
    seconds : float, optional
        Wall time of the search.
    folder : path, optional
        Default: the package's precomputed folder.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from nbtune import data
    >>> X, y = data.load_breast_cancer().train
    >>> search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2).fit(X, y)
    >>> folder = tempfile.mkdtemp()
    >>> save_cv_search(search, "demo", lesson="a test", X=X, y=y, settings={"cv": 2},
    ...                folder=folder).name
    'demo.json'
    >>> load_cv_search("demo", LogisticRegression(), X, y, folder=folder).best_params_
    {'C': 1.0}
    """
    results = search.cv_results_
    params = results["params"]
    numpy_types = {key: type(value).__name__ for p in params for key, value in p.items()
                   if type(value).__module__ == "numpy"}
    cv_results = {}
    for key, values in results.items():
        if key.startswith("param_"):
            cv_results[key] = [None if np.ma.is_masked(v) else to_python(v) for v in values]
        else:
            cv_results[key] = _json_tree(values)
    search_params = {key: _json_tree(value) for key, value in search.get_params(deep=False).items()
                     if key in ("cv", "n_iter", "random_state", "refit", "scoring", "n_jobs")
                     and isinstance(to_python(value), _SIMPLE)}
    space = getattr(search, "param_grid", None) or getattr(search, "param_distributions", None)
    info = {
        **_provenance(name, lesson, command, settings, seconds),
        "search": {"class": type(search).__name__, **search_params,
                   "space": _json_tree(space) if isinstance(space, Mapping) else None},
        "estimator": {"class": type(search.estimator).__name__,
                      "params": _simple_params(search.estimator)},
        "data": data_fingerprint(X, y),
        "n_splits": int(search.n_splits_),
        "best_index": int(search.best_index_),
        "best_score": float(search.best_score_),
        "refit_time": float(getattr(search, "refit_time_", math.nan)),
        "numpy_types": numpy_types,
        "cv_results": cv_results,
    }
    _, path = precomputed_paths(name, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return path


class ShippedSearch:
    """A finished ``GridSearchCV`` / ``RandomizedSearchCV`` read from nbtune's shipped files.

    It has what the lessons read from a fitted search: ``cv_results_``,
    ``best_index_``, ``best_params_``, ``best_score_``, ``n_splits_``,
    ``scoring``, ``estimator`` (your estimator with the shipped settings) and
    ``best_estimator_``, a real model trained by :func:`load_cv_search` on
    your data with the best parameters, as the search's refit does; so
    ``score``, ``predict`` and ``predict_proba`` are those of a trained
    model.  Nothing in it can be fitted again: run the search for that.

    Attributes
    ----------
    strategy : str
        ``"grid"`` or ``"random"``: the name nbtune's plots give the search (its colour).
    info : dict
        Everything stored beside the scores: the command that made them,
        settings, library versions, date, the search's own time.
    differences_ : dict of str -> (shipped, yours)
        Estimator settings where yours differ from the shipped ones (the
        shipped ones were used).
    """

    def __init__(self, info: Mapping[str, Any], estimator, best_estimator,
                 differences: Mapping[str, tuple[Any, Any]] | None = None):
        self.info = dict(info)
        self.cv_results_ = _cv_results(info)
        self.best_index_ = int(info["best_index"])
        self.best_params_ = self.cv_results_["params"][self.best_index_]
        self.best_score_ = float(info["best_score"])
        self.n_splits_ = int(info["n_splits"])
        self.refit_time_ = info.get("refit_time")
        self.scoring = info["search"].get("scoring")
        self.strategy = SKLEARN_SEARCHES.get(info["search"]["class"], "search")
        self.estimator = estimator
        self.best_estimator_ = best_estimator
        self.differences_ = dict(differences or {})

    def score(self, X, y) -> float:
        """The refitted best model's score on ``X, y`` (its own ``score``: accuracy, or R²)."""
        return self.best_estimator_.score(X, y)

    def predict(self, X):
        """The refitted best model's predictions."""
        return self.best_estimator_.predict(X)

    def predict_proba(self, X):
        """The refitted best model's class probabilities."""
        return self.best_estimator_.predict_proba(X)

    def fit(self, *args, **kwargs):
        raise TypeError(
            "this is a shipped search result, not a search: it cannot be fitted; run the "
            f"lesson's search cell ({self.info['search']['class']}(...).fit) for a search of your own"
        )

    def __repr__(self) -> str:
        search = self.info["search"]["class"]
        configs = len(self.cv_results_["params"])
        differ = "".join(f"; shipped {key}={shipped!r} used (yours: {yours!r})"
                         for key, (shipped, yours) in self.differences_.items())
        return (f"ShippedSearch({search} of lesson {self.info['lesson']}, shipped: {configs} "
                f"configurations x {self.n_splits_} folds; best {self.best_params_} "
                f"{self.best_score_:.4f}; best_estimator_ trained now on your data{differ})")


def _cv_results(info: Mapping[str, Any]) -> dict[str, Any]:
    """``cv_results_`` as scikit-learn makes it: arrays, masked parameter columns, ``params``."""
    numpy_types = info.get("numpy_types", {})

    def restore(key: str, value: Any) -> Any:
        return getattr(np, numpy_types[key])(value) if key in numpy_types and value is not None else value

    results: dict[str, Any] = {}
    for key, values in info["cv_results"].items():
        if key == "params":
            results[key] = [{k: restore(k, v) for k, v in p.items()} for p in values]
        elif key.startswith("param_"):
            name = key[len("param_"):]
            column = np.ma.MaskedArray(np.empty(len(values), dtype=object),
                                       mask=[v is None for v in values])
            for i, value in enumerate(values):
                if value is not None:
                    column[i] = restore(name, value)
            results[key] = column
        elif key.startswith("rank_"):
            results[key] = np.asarray(values, dtype=np.int32)
        else:
            results[key] = np.asarray(values, dtype=float)
    return results


def load_cv_search(name: str, estimator, X, y, *,
                   folder: str | os.PathLike | None = None) -> ShippedSearch:
    """A shipped ``GridSearchCV`` / ``RandomizedSearchCV``, with its best model trained now.

    Reads ``<name>.json`` (see :func:`save_cv_search`), checks that ``X, y``
    are the data it was made on, and trains one model: a clone of
    ``estimator`` with the shipped estimator settings and the best
    parameters, on ``X, y`` (what the search's ``refit=True`` does).

    Parameters
    ----------
    name : str
        One of :data:`SHIPPED` (or a file in ``folder``).
    estimator : scikit-learn estimator
        The estimator the lesson passes to the search (it is not changed).
    X, y : array-like
        The lesson's training data, the data of the search.
    folder : path, optional
        Default: the package's precomputed folder.

    Returns
    -------
    ShippedSearch

    Raises
    ------
    ValueError
        When ``X, y`` are not the data the search was made on.

    Examples
    --------
    See :func:`save_cv_search`.  In lesson 01:
    ``grid = shipped.load_cv_search("grid_search_cv_cancer", model, X, Y)``.
    """
    from sklearn.base import clone

    info = precomputed_info(name, folder=folder)
    if "cv_results" not in info:
        raise ValueError(f"{name!r} is not a shipped scikit-learn search (no cv_results); "
                         f"read it with nbtune.lessons.load_precomputed({name!r})")
    given = data_fingerprint(X, y)
    if given != info["data"]:
        raise ValueError(
            f"the shipped search {name!r} was made on other data (X {info['data']['X_shape']}, "
            f"y {info['data']['y_shape']}) than X {given['X_shape']}, y {given['y_shape']}: "
            f"pass the lesson's own training split ({info['lesson']})")
    yours = estimator.get_params(deep=False)
    settings = {key: value for key, value in info["estimator"]["params"].items() if key in yours}
    differences = {key: (value, to_python(yours[key])) for key, value in settings.items()
                   if to_python(yours[key]) != value}
    base = clone(estimator).set_params(**settings)
    search = ShippedSearch(info, base, None, differences)
    best = clone(base).set_params(**search.best_params_).fit(X, y)
    search.best_estimator_ = best
    return search


# ----------------------------------------------------------------- nbtune
def save_results(results: Sequence[SearchResult], name: str, *, lesson: str,
                 settings: Mapping[str, Any], command: str = COMMAND,
                 seconds: Mapping[str, float] | None = None,
                 folder: str | os.PathLike | None = None) -> Path:
    """Write nbtune results as ``<name>.csv`` and ``<name>.json``, as lesson 04's are written.

    The results are combined (:meth:`SearchResult.combine`; give them
    different strategies) and read back with
    ``nbtune.lessons.load_precomputed(name)``, then ``.for_strategy(...)``.

    Parameters
    ----------
    results : sequence of SearchResult
        With the same fit settings (``epochs``, ``batch_size``...).
    name : str
        File name without the suffix.
    lesson : str
        The notebook whose code made them.
    settings : dict
        The lesson's budget settings, as it set them.
    command : str, optional
        The command that made the files.
    seconds : dict, optional
        Wall time of each strategy's search.
    folder : path, optional
        Default: the package's precomputed folder.

    Returns
    -------
    Path
        The CSV file written.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from nbtune import lessons
    >>> coarse = SearchResult(pd.DataFrame({"strategy": ["random"], "units": [32], "score": [0.9]}))
    >>> folder = tempfile.mkdtemp()
    >>> save_results([coarse], "demo", lesson="a test", settings={}, folder=folder).name
    'demo.csv'
    >>> lessons.load_precomputed("demo", folder=folder).best_params
    {'units': 32}
    """
    combined = SearchResult.combine(results)
    path, json_path = precomputed_paths(name, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    combined.to_csv(path)
    info = {
        **_provenance(name, lesson, command, settings, None),
        "strategies": combined.strategies,
        "task": combined.task,
        "scoring": combined.scoring,
        "fit_params": {k: to_python(v) for k, v in combined.fit_params.items()
                       if isinstance(to_python(v), (int, float, str))},
        "search_seconds": {k: round(float(v), 1) for k, v in (seconds or {}).items()},
    }
    json_path.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------ precomputed
def precomputed_folder() -> Path:
    """The folder inside the installed package that holds the precomputed results."""
    return Path(str(resources.files("nbtune.lessons") / "precomputed"))


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
        "package data (nbtune/lessons/precomputed/*.csv, *.json)"
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

    Read from ``nbtune/lessons/precomputed/lesson_times.json``, which
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
