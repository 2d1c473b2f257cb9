"""Checks of a search's arguments, before any training.

Every function here raises a clear error (naming the argument, the value,
what is allowed and the fix, in the language spoken: :mod:`nbtune.language`)
or returns the checked value; nothing trains.

Examples
--------
>>> from nbtune.search.checks import check_n_jobs
>>> check_n_jobs(None)
1
>>> check_n_jobs(0)
Traceback (most recent call last):
...
ValueError: n_jobs=0 is not allowed: give the number of worker processes, a whole number >= 1, or -1 for one per CPU core, or None to run trials in this process
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sklearn.model_selection import PredefinedSplit, check_cv, train_test_split
from sklearn.utils.multiclass import type_of_target

from nbtune.arguments import check_whole
from nbtune.display import PROGRESS_METHODS, Progress, SearchProgress
from nbtune.language import gettext as _
from nbtune.search import strategies as strategy_registry
from nbtune.search.results import check_param_names
from nbtune.space import Float, Int, SearchSpace
from nbtune.space.build_fns import (
    as_kwargs_build_fn,
    check_build_fn,
    hypermodel_fit,
    is_hp_build_fn,
)
from nbtune.training.estimator import is_one_hot
from nbtune.training.fit_checks import MAX_SEED


def check_data(X: Any, y: Any, *, what: str = "X") -> tuple[np.ndarray, np.ndarray]:
    """X as a float32 array and y as a 1-D array, with clear errors.

    Examples
    --------
    >>> check_data([[1.0], [2.0]], [0, 1])[0].dtype
    dtype('float32')
    >>> check_data(np.zeros((0, 3)), [])
    Traceback (most recent call last):
    ...
    ValueError: X has no rows (shape (0, 3)); give at least one example per row
    """
    y_name = "y" if what == "X" else _("{what}'s y").format(what=what)
    X, y = _as_features(X, what), _as_targets(y, y_name)
    if len(X) == 0:
        raise ValueError(_(
            "{what} has no rows (shape {shape}); give at least one example per row"
        ).format(what=what, shape=X.shape))
    if len(X) != len(y):
        raise ValueError(_(
            "{what} has {rows} rows but {y_name} has {labels}: they must have one "
            "label per row; check that both come from the same split"
        ).format(what=what, rows=len(X), y_name=y_name, labels=len(y)))
    bad = ~np.isfinite(X)
    if bad.any():
        row, *col = np.argwhere(bad)[0]
        col = col[0] if len(col) == 1 else tuple(int(c) for c in col)
        raise ValueError(_(
            "{what} contains {count} NaN or infinite values (the first at row "
            "{row}, column {column}); a network cannot train on them: impute them "
            "(sklearn.impute.SimpleImputer) or drop those rows"
        ).format(what=what, count=int(bad.sum()), row=row, column=col))
    return X, y


def _as_features(X: Any, what: str) -> np.ndarray:
    if hasattr(X, "toarray") or hasattr(X, "tocsr"):
        raise TypeError(_(
            "{what} is a sparse matrix; Keras needs dense data: pass {what}.toarray()"
        ).format(what=what))
    try:
        X = np.asarray(X, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise ValueError(_(
            "{what} must be numbers (an array or DataFrame of numbers); converting it failed: {error}"
        ).format(what=what, error=exc)) from None
    if X.ndim < 2:
        raise ValueError(_(
            "{what} has shape {shape}, one value per row; a model needs rows of "
            "features (2-D) or of images (3-D or more): pass {what}.reshape(-1, 1) for a "
            "single feature"
        ).format(what=what, shape=X.shape))
    return X


def _as_targets(y: Any, y_name: str) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if is_one_hot(y):
        y = y.argmax(axis=1)  # one-hot rows (to_categorical): the class of each row
    if y.ndim != 1:
        raise ValueError(_(
            "{y_name} has shape {shape}; give one target per row (a 1-D array), or "
            "one-hot rows for classification"
        ).format(y_name=y_name, shape=y.shape))
    if y.dtype.kind == "f" and not np.all(np.isfinite(y)):
        raise ValueError(_(
            "{y_name} contains {count} NaN or infinite values (the "
            "first at row {row}); drop those rows from X and {y_name} alike"
        ).format(y_name=y_name, count=int((~np.isfinite(y)).sum()),
                 row=int(np.argmin(np.isfinite(y)))))
    return y


def check_pair(pair: Any, what: str, like: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``validation_data`` / ``test_data``: a pair (X, y) of checked arrays with X's features.

    Examples
    --------
    >>> check_pair(np.zeros((2, 3)), "validation_data")
    Traceback (most recent call last):
    ...
    TypeError: validation_data is a ndarray, not a pair: give validation_data=(X_val, y_val), two arrays with one row per example
    """
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        if isinstance(pair, (tuple, list)):
            kind = _("{count} items").format(count=len(pair))
        else:
            kind = _("a {type}").format(type=type(pair).__name__)
        raise TypeError(_(
            "{what} is {kind}, not a pair: give {what}=(X_val, y_val), two arrays with one "
            "row per example"
        ).format(what=what, kind=kind))
    X, y = check_data(*pair, what=what)
    if like is not None and X.shape[1:] != like.shape[1:]:
        raise ValueError(_(
            "{what} has rows of shape {shape} but X has rows of shape {x_shape}: "
            "give it the same features (columns) as X, in the same order"
        ).format(what=what, shape=X.shape[1:], x_shape=like.shape[1:]))
    return X, y


def check_fit_counts(epochs: Any, batch_size: Any, space: SearchSpace | None = None) -> None:
    """``epochs`` and ``batch_size`` (and the space's values of them) are whole numbers >= 1."""
    if space is None or "epochs" not in space.names:
        check_whole("epochs", epochs, what=_("the number of epochs, a whole number"))
    if batch_size is not None and (space is None or "batch_size" not in space.names):
        check_whole("batch_size", batch_size, what=_("the rows per training step, a whole number"))
    for name in ("epochs", "batch_size"):
        if space is not None and name in space.names:
            dim = next(d for d in space.dimensions if d.name == name)
            allowed = _("whole numbers ({example} or Choice of ints)").format(
                example=f"Int('{name}', 1, ...)")
            if isinstance(dim, Float):
                raise ValueError(_(
                    "the space's {name} values must be {allowed}, not {dimension}"
                ).format(name=name, allowed=allowed, dimension=repr(dim)))
            for value in [dim.low] if isinstance(dim, Int) else dim.grid():
                check_whole(_("the space's {name} value").format(name=name), value, what=allowed)


def check_random_state(random_state: Any) -> None:
    """None, a whole number from 0 to 2**32 - 2, or a numpy RandomState.

    numpy takes seeds up to 2**32 - 1, and keras-tuner's oracles are seeded with
    ``random_state + 1``.
    """
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return
    check_whole("random_state", random_state, minimum=0, maximum=MAX_SEED - 1,
                what=_("a seed, a whole number (or None for an unseeded run),"))


def check_folds(cv: Any, y: np.ndarray, task: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """The folds of ``cv`` (a number >= 2, a splitter or a list of splits), every class in each."""
    if isinstance(cv, (bool, str, float)) or (isinstance(cv, (int, np.integer)) and cv < 2):
        raise ValueError(_(
            "cv={cv!r} is not allowed: give the number of folds (a whole number >= 2), a "
            "scikit-learn splitter such as KFold(5, shuffle=True), or a list of (train, test) "
            "index pairs"
        ).format(cv=cv))
    if task == "classification":
        labels, counts = np.unique(y, return_counts=True)
        if counts.min() < 2:
            raise ValueError(_(
                "cv={cv!r}: the classes {classes} have one row each, so "
                "the fold that tests that row trains without its class; gather more rows of "
                "those classes or drop them"
            ).format(cv=cv, classes=labels[counts < 2].tolist()[:5]))
    return list(check_cv(cv, y, classifier=task == "classification").split(np.zeros(len(y)), y))


def resolve_task(task: str, y: np.ndarray) -> str:
    allowed = ("auto", "classification", "regression")
    if task not in allowed:
        raise ValueError(_("task={task!r} is not allowed; choose one of {allowed}").format(
            task=task, allowed=allowed))
    if task != "auto":
        return task
    kind = type_of_target(y)
    if kind in ("binary", "multiclass"):
        return "classification"
    if kind == "continuous":
        return "regression"
    raise ValueError(_(
        "cannot tell the task from y (scikit-learn calls it {kind!r}); "
        "pass task='classification' or task='regression'"
    ).format(kind=kind))


@dataclass(frozen=True)
class Prepared:
    """A search's inputs, checked once: what every strategy of a search trains on.

    Attributes
    ----------
    build_fn : callable or keras_tuner.HyperModel
        As the user gave it: the result keeps it, run folders fingerprint it.
    model_fn : callable
        Its keyword form, which nbtune's estimator calls (``build_fn`` itself,
        or :func:`~nbtune.space.build_fns.as_kwargs_build_fn` of a ``build(hp)``).
    space : SearchSpace
        The space given, or the one a ``build(hp)`` declares.
    X, y : numpy.ndarray
        The training data (float32 features, 1-D targets).
    task : str
        ``"classification"`` or ``"regression"``.
    """

    build_fn: Any
    model_fn: Any
    space: SearchSpace
    X: np.ndarray
    y: np.ndarray
    task: str


def prepare(build_fn: Any, space: SearchSpace | None, X: Any, y: Any, task: str, *,
            strategy: str | None = None) -> Prepared:
    """The build function, space, data and task of a search, checked (:class:`Prepared`).

    ``build_fn`` may be a keyword build function, a keras-tuner style
    ``build(hp)`` or a ``keras_tuner.HyperModel`` instance; ``strategy`` (when
    it cross-validates nbtune's estimator: grid, random) refuses a HyperModel
    whose own ``fit`` it cannot honour.  Nothing is trained here: a ``build(hp)`` is called once (and a
    HyperModel's ``fit``, with ``model.fit`` stubbed out) to read its space.

    Examples
    --------
    >>> from nbtune import Choice, SearchSpace
    >>> prepared = prepare(lambda units=4: None, SearchSpace(Choice("units", [4, 8])),
    ...                    [[0.0], [1.0]], [0, 1], "auto")
    >>> prepared.X.dtype, prepared.task
    (dtype('float32'), 'classification')
    """
    check_build_fn(build_fn, argument="build_fn")
    if strategy is not None and strategy_registry.get(strategy).cross_validated:
        refuse_own_fit(build_fn, strategy)
    if space is not None and not isinstance(space, SearchSpace):
        raise TypeError(_(
            "space must be an nbtune.SearchSpace, got {type}; "
            "build one with SearchSpace(Int(...), Choice(...), ...)"
        ).format(type=type(space).__name__))
    X, y = check_data(X, y)
    if space is not None:
        check_param_names(space.names)  # before a build(hp) is called to read its own space
    if is_hp_build_fn(build_fn):
        # read with the training data, so that a HyperModel's fit can run on it
        declared = SearchSpace.from_build_fn(build_fn, x=X, y=y)
        space = declared if space is None else space
        if declared is space:
            check_param_names(space.names)
        model_fn = as_kwargs_build_fn(build_fn)
    else:
        if space is None:
            raise ValueError(_(
                "space=None works only for a keras-tuner style build(hp) function or "
                "HyperModel; for build functions of keyword arguments give a SearchSpace, "
                "e.g. SearchSpace(Int('units', 32, 256, step=32))"
            ))
        model_fn = build_fn
    return Prepared(build_fn, model_fn, space, X, y, resolve_task(task, y))


def hold_out(prepared: Prepared, validation_data: Any, validation_split: Any,
             random_state: Any) -> tuple[Prepared, tuple[np.ndarray, np.ndarray]]:
    """The training part and the validation data: the given pair, or a stratified part held out.

    Examples
    --------
    >>> from nbtune import Choice, SearchSpace
    >>> prepared = prepare(lambda units=4: None, SearchSpace(Choice("units", [4, 8])),
    ...                    np.arange(20.0).reshape(10, 2), [0, 1] * 5, "auto")
    >>> train, (X_val, y_val) = hold_out(prepared, None, 0.2, 0)
    >>> len(train.X), len(X_val)
    (8, 2)
    """
    check_validation_split(validation_split, validation_data)
    X, y = prepared.X, prepared.y
    if validation_data is not None:
        X_val, y_val = check_pair(validation_data, "validation_data", like=X)
    else:
        X, X_val, y, y_val = train_test_split(
            X, y, test_size=validation_split, random_state=random_state,
            stratify=y if prepared.task == "classification" else None)
    if prepared.task == "classification":
        unseen = sorted(set(np.unique(y_val).tolist()) - set(np.unique(y).tolist()))
        if unseen:
            raise ValueError(_(
                "validation_data has labels {unseen} that the training data does not have"
            ).format(unseen=unseen))
    return replace(prepared, X=X, y=y), (X_val, y_val)


def validation_fold(prepared: Prepared, validation: tuple[np.ndarray, np.ndarray]) -> tuple[Prepared, Any]:
    """Training and validation rows as one data set, and a split whose one fold is the validation.

    How grid and random search are scored on ``compare``'s validation data.
    """
    X_val, y_val = validation
    one_split = PredefinedSplit(np.r_[np.full(len(prepared.X), -1), np.zeros(len(X_val))])
    joined = replace(prepared, X=np.concatenate([prepared.X, X_val]),
                     y=np.concatenate([prepared.y, y_val]))
    return joined, one_split


def refuse_own_fit(build_fn: Any, strategy: str) -> None:
    """Grid and random search cannot call a HyperModel's own fit: say so and what to use."""
    if hypermodel_fit(build_fn) is None:
        return
    raise TypeError(_(
        "build_fn={build_fn!r}: {strategy} search cannot honour {name}.fit(), which "
        "trains the model its own way: it cross-validates nbtune's KerasClassifier / "
        "KerasRegressor, whose fit is scikit-learn's. Use nbtune.hyperband or "
        "nbtune.bayesian, which call {name}.fit() as keras-tuner does, or pass its "
        "build method alone, build_fn=hypermodel.build (the fit's hyperparameters are "
        "then not tuned)"
    ).format(build_fn=build_fn, strategy=strategy, name=type(build_fn).__name__))


def check_n_jobs(n_jobs: Any) -> int:
    """The number of worker processes (1: trials run in this process)."""
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(_(
            "n_jobs={n_jobs!r} is not allowed: give the number of worker processes, a whole "
            "number >= 1, or -1 for one per CPU core, or None to run trials in this process"
        ).format(n_jobs=n_jobs))
    return (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)


def check_not_reimported() -> None:
    """Refuse a search started while Python imports a script again in a worker process.

    Worker processes (joblib's, Dask's ``LocalCluster``) start by importing the
    user's script as ``__mp_main__``; a search at the script's top level would
    then run again in every worker (and be refused by the run folder's lock with
    a message that does not say why). Python's own rule is the fix: put the
    search under ``if __name__ == "__main__":``.

    Examples
    --------
    >>> check_not_reimported()  # a notebook, or a script run as __main__: nothing to say
    """
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") == "__mp_main__":
            # English, as the run folders' errors are: scripts, not lessons, meet it
            raise RuntimeError(
                f"{frame.f_globals.get('__file__', 'your script')} started a search while a "
                "worker process was importing it: worker processes (n_jobs, Dask's "
                "LocalCluster) import your script again, and run everything at its top level. "
                "Put the code that starts the cluster and the search under "
                "`if __name__ == \"__main__\":`, as multiprocessing requires")
        frame = frame.f_back


def check_scoring(scoring: Any) -> None:
    """``scoring`` is None, a scorer (a callable), or a name scikit-learn knows.

    A misspelt name would otherwise fail every trial of a search, after each had trained.

    Examples
    --------
    >>> check_scoring("f1_macro")
    >>> check_scoring("acuracy")
    Traceback (most recent call last):
    ...
    ValueError: scoring='acuracy' is not a scoring name scikit-learn knows (did you mean 'accuracy'?): give a name from sklearn.metrics.get_scorer_names(), e.g. 'accuracy' or 'f1_macro' for classification, 'r2' or 'neg_mean_squared_error' for regression, or None for the task's default
    """
    if not isinstance(scoring, str):
        return  # None, a scorer or scikit-learn's multi-metric forms: scikit-learn checks them
    from sklearn.metrics import get_scorer_names

    names = sorted(get_scorer_names())
    if scoring in names:
        return
    close = difflib.get_close_matches(scoring, names, n=1)
    guess = _(" (did you mean {name!r}?)").format(name=close[0]) if close else ""
    raise ValueError(_(
        "scoring={scoring!r} is not a scoring name scikit-learn knows{close}: give a name from "
        "sklearn.metrics.get_scorer_names(), e.g. 'accuracy' or 'f1_macro' for classification, "
        "'r2' or 'neg_mean_squared_error' for regression, or None for the task's default"
    ).format(scoring=scoring, close=guess))


def check_validation_split(validation_split: Any, validation_data: Any) -> None:
    if validation_data is None and not (0 < validation_split < 1):
        raise ValueError(_(
            "validation_split={validation_split!r} is not a fraction: give a number "
            "between 0 and 1, e.g. 0.2, or pass validation_data=(X_val, y_val)"
        ).format(validation_split=validation_split))


def check_oracle_settings(num_initial_points: Any, alpha: Any, beta: Any) -> None:
    """keras-tuner's BayesianOptimization takes these unchecked; check them before any training."""
    if num_initial_points is not None and (
        isinstance(num_initial_points, bool) or not isinstance(num_initial_points, (int, np.integer))
        or num_initial_points < 1
    ):
        raise ValueError(_(
            "num_initial_points={num_initial_points!r} is not allowed: give the number of "
            "random trials before the Gaussian process takes over, a whole number >= 1, or "
            "None for keras-tuner's default (3 per dimension)"
        ).format(num_initial_points=num_initial_points))
    for name, value, low in (("alpha", alpha, "> 0"), ("beta", beta, ">= 0")):
        number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
        if not number or not np.isfinite(value) or (value <= 0 if name == "alpha" else value < 0):
            raise ValueError(_(
                "{name}={value!r} is not allowed: give a number {low} (keras-tuner's "
                "default is {default})"
            ).format(name=name, value=value, low=low, default=1e-4 if name == "alpha" else 2.6))


def progress_object(progress: Any) -> Progress:
    """The progress object of a search: a line, silence, or the caller's own."""
    if progress is True or progress is False:
        return SearchProgress(enabled=progress)
    if not isinstance(progress, Progress):
        missing = [m for m in PROGRESS_METHODS if not callable(getattr(progress, m, None))]
        raise TypeError(_(
            "progress={progress!r} is neither True/False nor a progress object: it lacks "
            "{missing}; give True, False, or an object with the four methods of "
            "nbtune.display.Progress"
        ).format(progress=progress, missing=missing))
    return progress
