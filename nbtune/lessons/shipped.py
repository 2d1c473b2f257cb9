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
from nbtune.benchmarks.files import check_file_name, read_json, sha256_prefix
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

#: What the ``.json`` beside a trials CSV holds (:func:`precompute`, :func:`save_results`).
_RESULT_KEYS = ("lesson", "command", "task", "scoring")


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
    if "cv_results" not in info and precomputed_paths(name, folder)[0].is_file():
        raise ValueError(f"{name!r} is not a shipped scikit-learn search (no cv_results): use "
                         f"nbtune.lessons.load_precomputed({name!r}) to read it")
    problem = cv_search_problem(info)
    if problem:
        raise ValueError(f"{precomputed_paths(name, folder)[1]}: {problem}; "
                         f"{_remake(name, folder)}")
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


def cv_search_problem(info: Mapping[str, Any]) -> str | None:
    """What is wrong with a saved scikit-learn search (:func:`save_cv_search`'s JSON), or None.

    The ``cv_results`` columns are one per configuration; each mean score is
    the mean of its folds' scores; ``best_index`` numbers the best mean, and
    ``best_score`` is that mean.

    Examples
    --------
    >>> info = precomputed_info("grid_search_cv_cancer")
    >>> cv_search_problem(info) is None, cv_search_problem({**info, "best_score": 7.5})
    (True, 'best_score=7.5 is not the best mean_test_score of cv_results (0.9766)')
    """
    keys = ("cv_results", "best_index", "best_score", "n_splits", "search", "estimator", "data")
    missing = [key for key in keys if key not in info]
    if missing:
        return f"it has no {missing}"
    cv, splits = info["cv_results"], info["n_splits"]
    if not isinstance(cv, dict) or not isinstance(cv.get("params"), list) or not cv["params"]:
        return "its cv_results have no params (the list of configurations)"
    columns = ["mean_test_score", *(f"split{i}_test_score" for i in range(splits))] \
        if isinstance(splits, int) and splits >= 1 else None
    if columns is None or any(c not in cv for c in columns):
        return f"its cv_results lack a mean_test_score or split score of its n_splits={splits!r}"
    wrong = [k for k, v in cv.items() if not isinstance(v, list) or len(v) != len(cv["params"])]
    if wrong:
        return (f"its cv_results {wrong} do not have one value per configuration "
                f"({len(cv['params'])})")
    try:
        means = np.array(cv["mean_test_score"], dtype=float)
        folds = np.array([cv[c] for c in columns[1:]], dtype=float)
    except (TypeError, ValueError):
        return "its cv_results scores are not numbers"
    if not np.allclose(folds.mean(axis=0), means, equal_nan=True):
        return "its mean_test_score is not the mean of its split scores"
    index, best = info["best_index"], info["best_score"]
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(means):
        return f"best_index={index!r} does not number one of its {len(means)} configurations"
    if not isinstance(best, (int, float)) or not np.isclose(best, np.nanmax(means)) \
            or not np.isclose(best, means[index]):
        return (f"best_score={best!r} is not the best mean_test_score of cv_results "
                f"({np.nanmax(means):.4f})")
    return None


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
    path, json_path = precomputed_paths(name, folder)
    combined = SearchResult.combine(results)
    path.parent.mkdir(parents=True, exist_ok=True)
    combined.to_csv(path)
    info = {
        **_provenance(name, lesson, command, settings, None),
        **_csv_record(path, combined),
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

    ``name`` is a plain file name: one with a path separator or ``..`` is refused.

    Examples
    --------
    >>> [path.name for path in precomputed_paths("comparison_digits")]
    ['comparison_digits.csv', 'comparison_digits.json']
    """
    check_file_name("name", name, example=PRECOMPUTED)
    folder = precomputed_folder() if folder is None else Path(folder)
    return folder / f"{name}.csv", folder / f"{name}.json"


def _file_digest(path: Path) -> str:
    """A text file's digest (a CSV's is its ``csv_sha256``), line ends read as ``\\n``: a
    checkout that turns them into ``\\r\\n`` keeps the same digest."""
    return sha256_prefix(Path(path).read_bytes().replace(b"\r\n", b"\n"))


def _csv_record(path: Path, result: SearchResult) -> dict[str, Any]:
    """What the ``.json`` records of a trials CSV to check it on load: digest, trials per strategy."""
    counts = result.trials.groupby("strategy", sort=False).size()
    return {"csv_sha256": _file_digest(path), "trials": {k: int(v) for k, v in counts.items()}}


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
    if fast and folder is None:
        raise ValueError(f"precompute(fast=True) needs folder=...: a smoke run must not replace "
                         f"the shipped results in {precomputed_folder()}; give a folder of your "
                         "own, e.g. folder='/tmp/precomputed'")
    csv_path, json_path = precomputed_paths(name, folder)
    clock = WallClock(show=progress, stream=stream)
    started = time.perf_counter()
    result = run_comparison(budget, fast=fast, progress=clock)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(csv_path)
    info = {
        "name": name,
        **_csv_record(csv_path, result),
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
    """The settings, test scores and wall times stored beside a precomputed result.

    Examples
    --------
    >>> precomputed_info()["lesson"]
    '04_comparing_strategies'
    >>> precomputed_info("comparison")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: name='comparison': nbtune ships no such result; give one of [...]
    """
    json_path = _existing(name, folder, ".json")
    return read_json(json_path, _remake(name, folder))


def _existing(name: str, folder: str | os.PathLike | None, suffix: str) -> Path:
    """The ``.csv`` or ``.json`` of ``name``; a FileNotFoundError listing what there is if missing."""
    csv_path, json_path = precomputed_paths(name, folder)
    path = csv_path if suffix == ".csv" else json_path
    if folder is not None and not Path(folder).is_dir():
        raise FileNotFoundError(f"folder={str(folder)!r} is not a folder: give the folder the "
                                "result was saved to, or leave folder out for nbtune's own")
    if path.is_file():
        return path
    there = sorted(p.stem for p in path.parent.glob(f"*{suffix}"))
    if folder is not None:
        raise FileNotFoundError(
            f"no precomputed result {name!r}: {path} does not exist (the folder holds "
            f"{there}). Make it with `python -m nbtune precompute --out {folder}`, or give one "
            "of the names there")
    if not there:
        raise FileNotFoundError(
            f"no precomputed result {name!r}: {path.parent} holds none; nbtune was installed "
            "without its package data (nbtune/lessons/precomputed/*.csv, *.json): reinstall it")
    raise FileNotFoundError(f"name={name!r}: nbtune ships no such result; give one of {there}")


def _remake(name: str, folder: str | os.PathLike | None) -> str:
    """How to get a damaged result file back."""
    command = {PRECOMPUTED: "python -m nbtune precompute", LESSON_TIMES:
               f"taskset -c 0 python scripts/budget_report.py --save {LESSON_TIMES}.json"}.get(
        name, COMMAND if name in SHIPPED else "the code that saved it (save_results, precompute)")
    if folder is None:
        return (f"reinstall nbtune to restore the shipped file (pip install --force-reinstall "
                f"nbtune), or remake it with `{command}`")
    return f"make it again with `{command}` (into {folder})"


def load_precomputed(name: str = PRECOMPUTED, *, folder: str | os.PathLike | None = None) -> SearchResult:
    """Lesson 04's comparison as nbtune ran it before shipping: no training needed.

    Use it when the search is slow (Binder, an old laptop) or to look at the
    plots while your own search runs.  The result knows its build function
    (:func:`build_digits_model`), so ``refit_best`` works, and carries the
    test score of each strategy's winner. The files are checked first: a
    damaged or edited CSV (its digest, columns, statuses, scores, strategies)
    is refused, never read as fewer trials or a wrong best.

    Examples
    --------
    >>> result = load_precomputed()
    >>> result.strategies
    ['grid', 'random', 'hyperband', 'bayesian']
    """
    csv_path, json_path = _existing(name, folder, ".csv"), precomputed_paths(name, folder)[1]
    has_json = json_path.is_file()  # a CSV alone (an older save) reads with the defaults
    info = precomputed_info(name, folder=folder) if has_json else {}
    remake = _remake(name, folder)
    missing = [key for key in _RESULT_KEYS if has_json and key not in info]
    if missing:
        raise ValueError(f"{json_path}: it has no {missing}; it is not the file saved with "
                         f"{csv_path.name}: {remake}")
    try:
        trials = pd.read_csv(csv_path, converters={"error": str})
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValueError(f"{csv_path} is not a trials table ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else 'empty'}); {remake}") from None
    problem = trials_problem(trials, info)
    if problem:
        raise ValueError(f"{csv_path}: {problem}; {remake}")
    expected = info.get("csv_sha256")
    if expected and _file_digest(csv_path) != expected:
        raise ValueError(f"{csv_path} is not the CSV its {json_path.name} describes (csv_sha256 "
                         f"{expected}, the file's {_file_digest(csv_path)}): it was damaged, cut "
                         f"short or edited; {remake}")
    return SearchResult(
        trials,
        build_fn=build_digits_model,
        task=info.get("task", "classification"),
        fit_params=info.get("fit_params"),
        scoring=info.get("scoring"),
        test_scores=info.get("test_scores"),
    )


def trials_problem(trials: pd.DataFrame, info: Mapping[str, Any]) -> str | None:
    """What is wrong with a saved trials table, given what its ``.json`` says, or None.

    Every row has a strategy, a trial number (once per strategy) and a status
    ``ok`` or ``failed``; an ``ok`` trial's score is finite (for accuracy,
    from 0 to 1); the strategies, and the trials of each, are those the JSON lists.

    Examples
    --------
    >>> trials = pd.DataFrame({"strategy": ["grid"], "trial": [0], "score": [7.5], "status": ["ok"]})
    >>> trials_problem(trials, {"scoring": "accuracy"})
    'trial 0 of grid has score 7.5: an accuracy is a number from 0 to 1'
    """
    missing = [c for c in ("strategy", "trial", "score", "status") if c not in trials.columns]
    if missing:
        return f"it has no {missing} column(s) (it has {list(trials.columns)[:8]})"
    bad_status = ~trials["status"].isin(["ok", "failed"]) | trials["strategy"].isna()
    if bad_status.any():
        row = trials[bad_status].iloc[0]
        return (f"row {trials.index[bad_status][0] + 2} has strategy {row['strategy']!r} and status "
                f"{row['status']!r} (a row cut short?): every row needs a strategy, and a status "
                "'ok' or 'failed'")
    if trials.duplicated(["strategy", "trial"]).any():
        row = trials[trials.duplicated(["strategy", "trial"])].iloc[0]
        return f"trial {row['trial']} of {row['strategy']} is there twice"
    ok = trials[trials["status"] == "ok"]
    score = pd.to_numeric(ok["score"], errors="coerce")
    high = 1.0 if info.get("scoring", "accuracy") == "accuracy" else np.inf
    bad = ~np.isfinite(score) | ((score < 0) | (score > high) if high == 1.0 else False)
    if bad.any():
        row = ok[bad].iloc[0]
        allowed = "an accuracy is a number from 0 to 1" if high == 1.0 else "it must be finite"
        return f"trial {row['trial']} of {row['strategy']} has score {row['score']}: {allowed}"
    listed = info.get("trials") or {name: None for name in _listed_strategies(info)}
    counts = trials.groupby("strategy", sort=False).size().to_dict()
    if listed and (set(listed) != set(counts)
                   or any(n is not None and counts.get(k) != n for k, n in listed.items())):
        return (f"it holds {counts} trials per strategy, but its JSON lists "
                f"{listed if info.get('trials') else list(listed)}")
    return None


def _listed_strategies(info: Mapping[str, Any]) -> list[str]:
    """The strategies a result's JSON says it holds (older files: in its settings or scores)."""
    return list(info.get("strategies") or info.get("test_scores") or
                info.get("settings", {}).get("strategies") or [])


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
    info = read_json(json_path, _remake(LESSON_TIMES, folder))
    problem = _times_problem(info)
    if problem:
        raise ValueError(f"{json_path}: {problem}; {_remake(LESSON_TIMES, folder)}")
    table = pd.DataFrame(info["lessons"]).set_index("lesson")[["seconds", "peak_mib"]]
    table.attrs = {key: info[key] for key in _TIMES_ABOUT}
    return table


_TIMES_ABOUT = ("measured", "machine", "note", "targets", "command")


def _times_problem(info: Mapping[str, Any]) -> str | None:
    """What is wrong with ``lesson_times.json``: a key missing, a time or memory not a number >= 0."""
    missing = [key for key in ("lessons", *_TIMES_ABOUT) if key not in info]
    if missing:
        return f"it has no {missing}"
    lessons = info["lessons"]
    if not isinstance(lessons, list) or not lessons or not all(
            isinstance(row, dict) and isinstance(row.get("lesson"), str) for row in lessons):
        return "its lessons are not a list of objects, each with a lesson name"
    for row in lessons:
        for key in ("seconds", "peak_mib"):
            value = row.get(key)
            if isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value) or value < 0:
                return f"lesson {row['lesson']} has {key}={value!r}: give a finite number >= 0"
    return None
