"""Search helpers: grid, random, Hyperband and Bayesian search over one space.

Every helper takes the same build function and :class:`~nbtune.SearchSpace`
and returns a :class:`~nbtune.SearchResult` with one row per trial:

- :func:`grid_search` and :func:`random_search` cross-validate the nbtune
  estimator on every configuration, with scikit-learn's own ``ParameterGrid``
  / ``ParameterSampler`` and ``cross_validate`` (the same candidates, folds and
  scores as ``GridSearchCV`` / ``RandomizedSearchCV``), one trial at a time so
  a failing trial is recorded and the search goes on;
- :func:`hyperband` and :func:`bayesian` run keras-tuner, scoring each trial's
  model on the validation data with the same scorer;
- :func:`compare` runs several of them on one data split and one validation
  set, so their scores, costs and test scores can be compared fairly.

The build function is a plain function of keyword arguments
(``def build(units=64, learning_rate=1e-3): ...``), a keras-tuner style
``build(hp)`` or a ``keras_tuner.HyperModel`` instance (whose own ``fit`` the
keras-tuner searches honour).  Searches are quiet: one progress line each, no
per-epoch output.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import get_scorer
from sklearn.model_selection import (
    ParameterGrid,
    ParameterSampler,
    PredefinedSplit,
    check_cv,
    cross_validate,
    train_test_split,
)
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import type_of_target

from nbtune import compat, engine
from nbtune import strategies as strategy_registry
from nbtune.backend import import_keras, import_keras_tuner
from nbtune.display import PROGRESS_METHODS, Progress, SearchProgress
from nbtune.estimator import FIT_PARAMS, KerasClassifier, KerasRegressor, is_one_hot
from nbtune.results import SearchResult
from nbtune.runlog import RunLog
from nbtune.schedule import hyperband_schedule
from nbtune.space import (
    SearchSpace,
    as_kwargs_build_fn,
    check_build_fn,
    hypermodel_fit,
    is_hp_build_fn,
)

__all__ = [
    "grid_search",
    "random_search",
    "hyperband",
    "bayesian",
    "compare",
    "run_strategy",
    "STRATEGIES",
    "SearchFailedError",
]

STRATEGIES = strategy_registry.names()  # the registry says which exist


class SearchFailedError(RuntimeError):
    """Every trial of a search failed.  ``.result`` holds the failed trials."""

    def __init__(self, message: str, result: SearchResult):
        super().__init__(message)
        self.result = result


# --------------------------------------------------------------- checking input
def _check_data(X, y, *, what: str = "X") -> tuple[np.ndarray, np.ndarray]:
    """X as a float32 array and y as a 1-D array, with clear errors."""
    y_name = "y" if what == "X" else f"{what}'s y"
    if hasattr(X, "toarray") or hasattr(X, "tocsr"):
        raise TypeError(f"{what} is a sparse matrix; Keras needs dense data: pass {what}.toarray()")
    try:
        X = np.asarray(X, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be numbers (an array or DataFrame of numbers); converting it failed: {exc}") from None
    if X.ndim == 1:
        raise ValueError(
            f"{what} has shape {X.shape}, one value per row; a model needs rows of "
            f"features (2-D) or of images (3-D or more): pass {what}.reshape(-1, 1) for a "
            "single feature"
        )
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if is_one_hot(y):
        y = y.argmax(axis=1)  # one-hot rows (to_categorical): the class of each row
    if y.ndim != 1:
        raise ValueError(
            f"{y_name} has shape {y.shape}; give one target per row (a 1-D array), or "
            "one-hot rows for classification"
        )
    if len(X) != len(y):
        raise ValueError(
            f"{what} has {len(X)} rows but {y_name} has {len(y)}: they must have one "
            "label per row; check that both come from the same split"
        )
    bad = ~np.isfinite(X)
    if bad.any():
        row, *col = np.argwhere(bad)[0]
        col = col[0] if len(col) == 1 else tuple(int(c) for c in col)
        raise ValueError(
            f"{what} contains {int(bad.sum())} NaN or infinite values (the first at row "
            f"{row}, column {col}); a network cannot train on them: impute them "
            "(sklearn.impute.SimpleImputer) or drop those rows"
        )
    return X, y


def _resolve_task(task: str, y: np.ndarray) -> str:
    allowed = ("auto", "classification", "regression")
    if task not in allowed:
        raise ValueError(f"task={task!r} is not allowed; choose one of {allowed}")
    if task != "auto":
        return task
    kind = type_of_target(y)
    if kind in ("binary", "multiclass"):
        return "classification"
    if kind == "continuous":
        return "regression"
    raise ValueError(
        f"cannot tell the task from y (scikit-learn calls it {kind!r}); "
        "pass task='classification' or task='regression'"
    )


def _prepare(build_fn, space, X, y, task, *, strategy: str | None = None):
    """Checked build function (plain keyword form), space, data and task.

    ``build_fn`` may be a keyword build function, a keras-tuner style
    ``build(hp)`` or a ``keras_tuner.HyperModel`` instance; ``strategy`` (when
    it cross-validates nbtune's estimator: grid, random) refuses a HyperModel
    whose own ``fit`` it cannot honour.  Nothing is trained here: a ``build(hp)`` is called once (and a
    HyperModel's ``fit``, with ``model.fit`` stubbed out) to read its space.
    """
    check_build_fn(build_fn, argument="build_fn")
    if strategy is not None and strategy_registry.get(strategy).cross_validated:
        _refuse_own_fit(build_fn, strategy)
    if space is not None and not isinstance(space, SearchSpace):
        raise TypeError(
            f"space must be an nbtune.SearchSpace, got {type(space).__name__}; "
            "build one with SearchSpace(Int(...), Choice(...), ...)"
        )
    X, y = _check_data(X, y)
    if is_hp_build_fn(build_fn):
        # read with the training data, so that a HyperModel's fit can run on it
        declared = SearchSpace.from_build_fn(build_fn, x=X, y=y)
        space = declared if space is None else space
        kwargs_fn = as_kwargs_build_fn(build_fn)
    else:
        if space is None:
            raise ValueError(
                "space=None works only for a keras-tuner style build(hp) function or "
                "HyperModel; for build functions of keyword arguments give a SearchSpace, "
                "e.g. SearchSpace(Int('units', 32, 256, step=32))"
            )
        kwargs_fn = build_fn
    return kwargs_fn, space, X, y, _resolve_task(task, y)


def _refuse_own_fit(build_fn, strategy: str) -> None:
    """Grid and random search cannot call a HyperModel's own fit: say so and what to use."""
    if hypermodel_fit(build_fn) is None:
        return
    name = type(build_fn).__name__
    raise TypeError(
        f"build_fn={build_fn!r}: {strategy} search cannot honour {name}.fit(), which "
        "trains the model its own way: it cross-validates nbtune's KerasClassifier / "
        "KerasRegressor, whose fit is scikit-learn's. Use nbtune.hyperband or "
        f"nbtune.bayesian, which call {name}.fit() as keras-tuner does, or pass its "
        "build method alone, build_fn=hypermodel.build (the fit's hyperparameters are "
        "then not tuned)"
    )


def _estimator(build_fn, task, **settings):
    kind = KerasRegressor if task == "regression" else KerasClassifier
    return kind(model=build_fn, **settings)


def _check_space_names(base, space: SearchSpace) -> None:
    """Fail before training if the build function or fit cannot take a space name."""
    clone(base).set_params(**space.defaults())


def _scoring_name(scoring, task: str) -> str | None:
    if scoring is None:
        return "accuracy" if task == "classification" else "r2"
    return scoring if isinstance(scoring, str) else getattr(scoring, "__name__", None)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


class _StopRequested(BaseException):
    """Raised inside keras-tuner's loop when the progress object asks to stop."""


def _watcher(progress):
    """The progress object of a search: a line, silence, or the caller's own."""
    if progress is True or progress is False:
        return SearchProgress(enabled=progress)
    if not isinstance(progress, Progress):
        missing = [m for m in PROGRESS_METHODS if not callable(getattr(progress, m, None))]
        raise TypeError(
            f"progress={progress!r} is neither True/False nor a progress object: it lacks "
            f"{missing}; see nbtune.display.Progress for the four methods"
        )
    return progress


def _finish(records, *, strategy, space, progress, stopped, **settings) -> SearchResult:
    """The SearchResult of finished trials; ``stopped`` is None, "interrupt" or "request"."""
    result = SearchResult(
        pd.DataFrame(records) if records else pd.DataFrame(columns=["strategy", *space.names]),
        param_names=list(space.names),
        complete=stopped is None,
        **settings,
    )
    done = len(result.trials)
    progress.end(f"stopped: kept {done} finished trials" if stopped else "")
    if stopped == "interrupt":
        warnings.warn(
            f"{strategy} search interrupted after {done} finished trials; the result "
            "holds them and has complete=False",
            stacklevel=3,
        )
    if done and result.ok_trials.empty:
        raise SearchFailedError(f"{strategy} search: " + result.no_success_message(), result)
    return result


# ---------------------------------------------------------- cross-validation
def _run_header(strategy, space, X, y, splits, settings: dict) -> dict:
    """What decides a search's trials: resuming with anything else is refused."""
    digest = hashlib.sha256()
    for array in (X, y, *(test for _, test in splits)):
        digest.update(np.ascontiguousarray(array).tobytes())
    plain = {k: v for k, v in settings.items()
             if v is None or isinstance(v, (bool, int, float, str, np.generic))}
    return {"strategy": strategy, "space": space.to_dict(), "settings": plain,
            "data_and_folds": digest.hexdigest()[:16]}


def _cv_trial(base, params: dict, X, y, splits, scoring) -> dict:
    """Cross-validate one configuration: the trial's outcome (a failure is an outcome too).

    Runs in the search's process or, with ``n_jobs``, in a worker process.
    """
    started = time.perf_counter()
    # in a worker: one traced model for the folds; in the search's process the
    # search's own pool (and frozen heap) is reused across configurations
    with engine.frozen_heap(), engine.reusing_models():
        try:
            estimator = clone(base).set_params(**params)
            out = cross_validate(
                estimator, X, y, cv=splits, scoring=scoring,
                error_score="raise", return_estimator=True,
            )
            fold_epochs = [len(e.history_.get("loss", ())) for e in out["estimator"]]
            outcome = dict(
                score=float(np.mean(out["test_score"])),
                score_std=float(np.std(out["test_score"])),
                train_epochs=int(np.max(fold_epochs)),
                epochs_spent=int(np.sum(fold_epochs)),
                status="ok",
            )
        except Exception as exc:  # a failing trial is recorded, the search goes on
            outcome = dict(score=np.nan, status="failed", error=_error_text(exc))
    outcome["seconds"] = time.perf_counter() - started
    return outcome


def _check_n_jobs(n_jobs) -> int:
    """The number of worker processes (1: trials run in this process)."""
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(
            f"n_jobs={n_jobs!r} is not allowed: give the number of worker processes, a whole "
            "number >= 1, or -1 for one per CPU core, or None to run trials in this process"
        )
    return (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)


def _cv_search(strategy, configs, total, build_fn, space, X, y, *, task, cv, scoring,
               progress, fit_settings, original_build_fn, directory, project_name,
               resume, header_settings, n_jobs=None) -> SearchResult:
    workers = _check_n_jobs(n_jobs)
    progress = _watcher(progress)
    base = _estimator(build_fn, task, **fit_settings)
    _check_space_names(base, space)
    splitter = check_cv(cv, y, classifier=task == "classification")
    splits = list(splitter.split(X, y))
    log, earlier = _open_run_log(
        strategy, space, X, y, splits, directory=directory, project_name=project_name,
        resume=resume, settings={**fit_settings, **header_settings,
                                 "scoring": _scoring_name(scoring, task)})
    progress.begin(strategy, total)
    records, todo = _kept_and_todo(configs, space, earlier, log, progress)

    def finished(number, params, outcome) -> None:
        record = {"strategy": strategy, "trial": number, **params, **outcome}
        records.append(record)
        if log is not None:
            log.append(record)
        progress.trial_done(dict(record))

    trial_args = (base, X, y, splits, scoring)
    try:
        if workers == 1:
            stopped = _trials_here(todo, trial_args, finished, progress)
        else:
            stopped = _trials_in_workers(todo, trial_args, finished, progress, workers,
                                         lambda: len(records) < total)
    except KeyboardInterrupt:
        stopped = "interrupt"
    records.sort(key=lambda record: record["trial"])
    return _finish(
        records, strategy=strategy, space=space, progress=progress, stopped=stopped,
        build_fn=original_build_fn, task=task, fit_params=fit_settings,
        scoring=_scoring_name(scoring, task),
    )


def _open_run_log(strategy, space, X, y, splits, *, directory, project_name, resume,
                  settings) -> tuple[RunLog | None, dict[int, dict]]:
    """The run folder's log (None without ``directory``) and the trials it already holds."""
    if directory is None:
        if resume:
            raise ValueError(
                "resume=True needs the run folder of the earlier run: pass directory='...'")
        return None, {}
    header = _run_header(strategy, space, X, y, splits, settings)
    log = RunLog(directory, project_name or strategy, header)
    return log, {r["trial"]: r for r in log.start(resume=resume)}


def _kept_and_todo(configs, space, earlier, log, progress) -> tuple[list[dict], list[tuple]]:
    """Records of trials finished in an earlier run (reported), and (number, params) to run."""
    records, todo = [], []
    for number, config in enumerate(configs):
        params = space.to_python(config)
        if number not in earlier:
            todo.append((number, params))
            continue
        record = earlier[number]  # finished before the run was stopped: keep it
        if any(record.get(k) != v for k, v in params.items()):
            raise ValueError(
                f"trial {number} in {log.folder} has {record} but this search's trial "
                f"{number} is {params}; the run folder is from another search: "
                "use resume=False to start over"
            )
        records.append(record)
        progress.trial_done(dict(record))
    return records, todo


def _trials_here(todo, trial_args, finished, progress) -> str | None:
    """Run the trials in this process, one after the other; "request" if asked to stop."""
    base, X, y, splits, scoring = trial_args
    with engine.frozen_heap(), engine.reusing_models():  # see nbtune.engine
        for number, params in todo:
            if progress.should_stop():
                return "request"
            finished(number, params, _cv_trial(base, params, X, y, splits, scoring))
    return None


def _trials_in_workers(todo, trial_args, finished, progress, workers, more_to_come) -> str | None:
    """Run the trials in worker processes, one per task, as they finish; "request" if stopped."""
    base, X, y, splits, scoring = trial_args
    outcomes = Parallel(n_jobs=workers, return_as="generator_unordered")(
        delayed(_numbered)(number, _cv_trial, base, params, X, y, splits, scoring)
        for number, params in todo
    )
    params_of = dict(todo)
    with contextlib.closing(outcomes):  # closing it cancels the trials not started
        for number, outcome in outcomes:
            finished(number, params_of[number], outcome)
            if progress.should_stop() and more_to_come():
                return "request"
    return None


def _numbered(number: int, function: Callable, *args: Any) -> tuple[int, Any]:
    return number, function(*args)


def grid_search(
    build_fn: Callable,
    space: SearchSpace | None,
    X,
    y,
    *,
    cv=3,
    scoring: str | Callable | None = None,
    points: int | dict | None = None,
    epochs: int = 10,
    batch_size: int = 32,
    task: str = "auto",
    random_state: int | None = 0,
    progress: bool | Any = True,
    directory: str | None = None,
    project_name: str | None = None,
    resume: bool = False,
    n_jobs: int | None = None,
    **fit_settings: Any,
) -> SearchResult:
    """Try every configuration of the space with cross-validation.

    Parameters
    ----------
    build_fn : callable
        ``build(**params)`` returning a compiled Keras model, or a keras-tuner
        style ``build(hp)``.
    space : SearchSpace or None
        The configurations to try; ``None`` takes the space a ``build(hp)``
        function declares.  A dimension may be a fit argument (``batch_size``,
        ``epochs``).
    X, y : array-like
        Training data; the folds are made from it.
    cv : int or scikit-learn splitter, default 3
        Folds (stratified for classification), as in ``GridSearchCV``.
    scoring : str or callable, optional
        A scikit-learn scorer; default accuracy (classification) or R².
    points : int or dict, optional
        Grid points for ``Float`` dimensions without a step.
    epochs, batch_size : int
        Fit settings when the space does not set them.
    task : {"auto", "classification", "regression"}
    random_state : int or None, default 0
        Seed of every model's weights and shuffling (repeatable results).
    progress : bool or progress object, default True
        True shows one progress line, False prints nothing; an object with the
        methods of :class:`nbtune.display.SearchProgress` (e.g. a widget
        panel) is told about each trial and can stop the search.
    directory : str, optional
        A folder to keep the run in: every finished trial is written to
        ``directory/project_name/trials.jsonl`` as it finishes, so nothing is
        lost if the search is stopped.  An existing run there is replaced
        unless ``resume=True``.
    project_name : str, optional
        Name of the run folder; by default the strategy ("grid", "random").
    resume : bool, default False
        Continue the run in the folder: finished trials are kept, the rest
        run, and the result has the same trials an uninterrupted run would.
        A folder made by a different space, data or settings is refused.
    n_jobs : int or None, default None
        Worker processes that run trials side by side (one configuration, all
        its folds, per worker at a time); -1 for one per CPU core. None (or 1)
        runs the trials in this process, which is fastest for one or two configurations
        and needs no extra memory. Each worker loads its own TensorFlow, about
        0.7 GB: on a 2 GB machine (Binder) keep None; ``bench/parallel_trials.py``
        measures the time and memory on yours. Results are the same either way.
    **fit_settings
        Other estimator settings, e.g. ``callbacks=[...]``, ``shuffle=False``.

    Returns
    -------
    SearchResult

    Examples
    --------
    >>> import keras
    >>> from nbtune import SearchSpace, Choice, grid_search, data
    >>> def build(units=16):
    ...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(2, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy")
    ...     return model
    >>> cancer = data.load_breast_cancer()
    >>> result = grid_search(build, SearchSpace(Choice("units", [4, 16])),
    ...                      *cancer.train, epochs=2, progress=False)
    >>> len(result.trials)
    2
    """
    kwargs_fn, space, X, y, task = _prepare(build_fn, space, X, y, task, strategy="grid")
    grid = ParameterGrid(space.grid(points=points))
    settings = dict(epochs=epochs, batch_size=batch_size, random_state=random_state, **fit_settings)
    return _cv_search(
        "grid", grid, len(grid), kwargs_fn, space, X, y, task=task, cv=cv,
        scoring=scoring, progress=progress, fit_settings=settings, original_build_fn=build_fn,
        directory=directory, project_name=project_name, resume=resume,
        header_settings={"points": str(points)}, n_jobs=n_jobs,
    )


def random_search(
    build_fn: Callable,
    space: SearchSpace | None,
    X,
    y,
    *,
    n_iter: int = 10,
    cv=3,
    scoring: str | Callable | None = None,
    epochs: int = 10,
    batch_size: int = 32,
    task: str = "auto",
    random_state: int | None = 0,
    progress: bool | Any = True,
    directory: str | None = None,
    project_name: str | None = None,
    resume: bool = False,
    n_jobs: int | None = None,
    **fit_settings: Any,
) -> SearchResult:
    """Try ``n_iter`` random configurations of the space with cross-validation.

    Configurations are drawn by scikit-learn's ``ParameterSampler`` from
    ``space.distributions()`` (log-uniform where a dimension is ``log=True``),
    so the same ``random_state`` gives the same candidates as
    ``RandomizedSearchCV`` -- and a resumed run continues the same sequence.
    Other parameters as in :func:`grid_search`.

    Examples
    --------
    >>> import keras
    >>> from nbtune import SearchSpace, Int, random_search, data
    >>> def build(units=16):
    ...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(2, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy")
    ...     return model
    >>> cancer = data.load_breast_cancer()
    >>> result = random_search(build, SearchSpace(Int("units", 4, 64)), *cancer.train,
    ...                        n_iter=2, epochs=2, progress=False)
    >>> result.trials["units"].between(4, 64).all()
    np.True_
    """
    if isinstance(n_iter, bool) or not isinstance(n_iter, (int, np.integer)) or n_iter < 1:
        raise ValueError(f"n_iter={n_iter!r} is not allowed: give the number of configurations to try, a whole number >= 1")
    kwargs_fn, space, X, y, task = _prepare(build_fn, space, X, y, task, strategy="random")
    sampler = ParameterSampler(space.distributions(), n_iter=int(n_iter), random_state=random_state)
    settings = dict(epochs=epochs, batch_size=batch_size, random_state=random_state, **fit_settings)
    return _cv_search(
        "random", sampler, len(sampler), kwargs_fn, space, X, y, task=task, cv=cv,
        scoring=scoring, progress=progress, fit_settings=settings, original_build_fn=build_fn,
        directory=directory, project_name=project_name, resume=resume,
        header_settings={"n_iter": int(n_iter)}, n_jobs=n_jobs,
    )


# ------------------------------------------------------------------ keras-tuner
def _meta_arguments(build_fn, X: np.ndarray, n_classes: int | None, task: str) -> dict:
    """Values for the build function's ``n_features_in`` / ``input_shape`` / ``n_classes`` / ``n_outputs``."""
    try:
        accepted = inspect.signature(build_fn).parameters
    except (TypeError, ValueError):
        return {}
    meta = {"n_features_in": X.shape[1], "input_shape": tuple(X.shape[1:])}
    if task == "classification":
        meta["n_classes"] = n_classes
    else:
        meta["n_outputs"] = 1
    return {k: v for k, v in meta.items() if k in accepted}


def _history_of(result, model, keras) -> Any:
    """The History of a trial's training: what a HyperModel's fit returned, or the model's last.

    A fit that runs its own loop (no ``model.fit``) has none: None.
    """
    for candidate in (result, getattr(model, "history", None)):
        if isinstance(candidate, keras.callbacks.History) and candidate.history:
            return candidate
    return None


def _epochs_trained(history, epochs: int | None, initial_epoch: int) -> tuple[float, float]:
    """(train_epochs, epochs_spent) of a trial: from the history's length when there is one.

    An early-stopping callback ends a fit before ``epochs``; the table records
    the epochs really trained, not the ones asked for.
    """
    if history is not None and history.history.get("loss"):
        spent = len(history.history["loss"])
    else:
        spent = (epochs or 0) - initial_epoch
    return float(initial_epoch + spent), float(spent)


def _check_losses(history, initial_epoch: int) -> None:
    """A NaN or infinite training loss fails the trial, with the epoch and the fix."""
    losses = np.asarray(history.history.get("loss", []) if history else [], dtype=float)
    if losses.size and not np.all(np.isfinite(losses)):
        first = int(np.argmin(np.isfinite(losses))) + initial_epoch + 1
        raise ValueError(
            f"the training loss became NaN or infinite at epoch {first}; "
            "try a smaller learning rate"
        )


def _keras_tuner_search(strategy, tuner_factory, build_fn, space, X, y, *, task,
                        validation_data, validation_split, scoring, batch_size, epochs,
                        random_state, directory, project_name, resume, progress, total,
                        callbacks, original_build_fn, tuner_settings) -> SearchResult:
    keras, kt = import_keras(), import_keras_tuner()
    # stripped from a trial's callbacks; the trained weights are saved once (see fit below)
    SaveBestEpoch = compat.keras_tuner_save_best_epoch()

    base = _estimator(build_fn, task, epochs=epochs or 1, batch_size=batch_size)
    _check_space_names(base, space)
    if validation_data is None:
        X, X_val, y, y_val = train_test_split(
            X, y, test_size=validation_split, random_state=random_state,
            stratify=y if task == "classification" else None,
        )
    else:
        X_val, y_val = _check_data(*validation_data, what="validation_data")
    n_classes = None
    if task == "classification":
        encoder = LabelEncoder().fit(y)
        unseen = sorted(set(np.unique(y_val).tolist()) - set(encoder.classes_.tolist()))
        if unseen:
            raise ValueError(f"validation_data has labels {unseen} that the training data does not have")
        n_classes = len(encoder.classes_)
        y, y_val = encoder.transform(y), encoder.transform(y_val)
    scorer = get_scorer(scoring) if scoring is not None else None
    meta = _meta_arguments(build_fn, X, n_classes, task)
    progress = _watcher(progress)
    # a HyperModel's own fit, which space.as_kwargs_build_fn hands on
    own_fit = getattr(build_fn, "fit", None) if hasattr(build_fn, "hp_build_fn") else None
    own_fit_names = getattr(build_fn, "fit_names", ())
    # validation data costs an evaluation per epoch (+45% for Hyperband on digits): only
    # for those that may use it; a callback can say it does not (ClearTrainingOutput)
    validate = own_fit is not None or any(
        getattr(c, "uses_validation_data", True) for c in callbacks or ())

    def score_model(model) -> float:
        """The trained model scored like a cross-validated trial: same predict, same scorer."""
        if task == "classification":
            fitted = clone(base).adopt_model(model, n_features_in=X.shape[1],
                                             classes=np.arange(n_classes))
        else:
            fitted = clone(base).adopt_model(model, n_features_in=X.shape[1])
        return float(scorer(fitted, X_val, y_val) if scorer else fitted.score(X_val, y_val))

    def output_units(model) -> int:
        return int(keras.ops.shape(model(X[:1], training=False))[-1])

    class SpaceHyperModel(kt.HyperModel):
        def build(self, hp):
            params = space.sample(hp)
            if random_state is not None:
                keras.utils.set_random_seed(random_state)
            model = build_fn(**{k: v for k, v in params.items() if k not in FIT_PARAMS}, **meta)
            if not isinstance(model, keras.Model):
                raise TypeError(
                    f"the build function returned {type(model).__name__}, not a Keras "
                    "model; end it with `return model`"
                )
            base.ensure_compiled(model, output_units(model))  # as the estimator's fit does
            if model.steps_per_execution == 1:  # the same steps, fewer calls (nbtune.engine)
                model.steps_per_execution = engine.steps_per_execution(callbacks or [])
            return model

        def fit(self, hp, model, x, y, *, epochs=None, initial_epoch=0, callbacks=(), **kwargs):
            params = space.to_python(
                space.values_from_hp({k: hp.values[k] for k in space.names if k in hp.values})
            )
            epochs = epochs or params.get("epochs", base.epochs)
            started = time.perf_counter()
            # keras-tuner's SaveBestEpoch writes the weights after every epoch when the
            # objective is not in the epoch logs, as nbtune's score is not; the last
            # write is the trained model, so write that once, after fit.
            savers = [c for c in callbacks if isinstance(c, SaveBestEpoch)]
            units = output_units(model)
            fit_kwargs = dict(epochs=epochs, initial_epoch=initial_epoch, verbose=0,
                              callbacks=[c for c in callbacks if c not in savers])
            if validate:  # for callbacks that watch val_* (EarlyStopping) and for own fits
                fit_kwargs["validation_data"] = (X_val, base.encode_targets(y_val, model, units))
            y_fit = base.encode_targets(y, model, units)
            with engine.tracking_gradients(model), engine.quiet_retracing():
                if own_fit is None:
                    result = model.fit(x, y_fit, batch_size=params.get("batch_size", batch_size),
                                       **fit_kwargs)
                else:
                    # as keras-tuner calls it: no batch_size (the fit often sets its own),
                    # no epochs if the fit declares them
                    if "epochs" in own_fit_names:
                        del fit_kwargs["epochs"]
                    result = own_fit(hp, model, x, y_fit, **fit_kwargs)
            history = _history_of(result, model, keras)
            _check_losses(history, initial_epoch)
            for saver in savers:
                model.save_weights(saver.filepath)
            train_epochs, spent = _epochs_trained(history, epochs, initial_epoch)
            return {
                "score": score_model(model),
                "seconds": time.perf_counter() - started,
                "train_epochs": train_epochs,
                "epochs_spent": spent,
            }

    def decoded_records(tuner) -> list[dict]:
        records = SearchResult.from_tuner(tuner, strategy=strategy).trials.to_dict("records")
        trial_ids = sorted(tuner.oracle.trials)  # from_tuner numbers the trials in this order
        for record in records:  # keras-tuner stores some choices encoded (see Choice.sample)
            record.update(space.values_from_hp({k: record[k] for k in space.names if k in record}))
            metrics = tuner.oracle.trials[trial_ids[record["trial"]]].metrics
            if metrics.exists("train_epochs"):  # trained (early stopping), not tuner/epochs
                record["train_epochs"] = int(metrics.get_last_value("train_epochs"))  # a count
        return records

    class QuietTuner(tuner_factory):
        def on_trial_begin(self, trial):
            super().on_trial_begin(trial)
            self._trial_started = time.perf_counter()

        def on_trial_end(self, trial):
            # the trial's whole wall time (build, fit, scoring, keras-tuner's own
            # checkpointing), comparable with a cross-validated trial's seconds
            wall = time.perf_counter() - self._trial_started
            if not trial.metrics.exists("wall_seconds"):
                trial.metrics.register("wall_seconds", "min")
            trial.metrics.update("wall_seconds", wall)
            super().on_trial_end(trial)
            records = decoded_records(self)
            if records:
                progress.trial_done(records[-1])
            if progress.should_stop():
                raise _StopRequested

    temporary = directory is None
    if temporary:
        if resume:
            raise ValueError("resume=True needs the directory of the earlier run: pass directory='...'")
        directory = tempfile.mkdtemp(prefix=f"nbtune-{strategy}-")
    header = _run_header(strategy, space, X, y, [(None, X_val), (None, y_val)], {
        "batch_size": batch_size, "epochs": epochs, "random_state": random_state,
        "scoring": _scoring_name(scoring, task), **tuner_settings})
    log = RunLog(directory, project_name, header)
    if resume:
        log.start(resume=True)  # refuses a folder from another space or settings
    tuner = QuietTuner(
        hypermodel=SpaceHyperModel(),
        objective=kt.Objective("score", direction="max"),
        hyperparameters=space.hyperparameters(),
        # keras-tuner's Oracle does `seed or random.randint(1, 10000)`, so seed=0
        # would mean "unseeded" and every run would try other configurations
        seed=None if random_state is None else random_state + 1,
        directory=str(directory),
        project_name=project_name,
        overwrite=not resume,
        # nbtune records failed trials and carries on; it reports if all failed
        max_consecutive_failed_trials=10**9,
    )
    if not resume:
        log.write_header()  # keras-tuner has just emptied the folder
    progress.begin(strategy, total)
    stopped = None
    try:
        with warnings.catch_warnings():
            # Hyperband continues a promoted trial from its saved weights; Keras warns
            # that the fresh optimizer's state is not restored.  That is keras-tuner's
            # design, not a problem of the user's model, so keep the cell clean.
            warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
            # Bayesian optimisation: scikit-learn's Gaussian process inside keras-tuner's
            # oracle warns when a length scale reaches its bound, routine on a few trials
            warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                    module="sklearn.gaussian_process")
            with engine.frozen_heap():  # keras-tuner's clear_session() collects garbage per trial
                tuner.search(X, y, callbacks=list(callbacks or []), verbose=0)
    except KeyboardInterrupt:
        stopped = "interrupt"
    except _StopRequested:
        stopped = "request"
    finally:
        records = decoded_records(tuner)
        if temporary:
            shutil.rmtree(directory, ignore_errors=True)
    fit_params = {"batch_size": batch_size, "random_state": random_state}
    if epochs is not None:
        fit_params["epochs"] = epochs
    return _finish(
        records, strategy=strategy, space=space, progress=progress, stopped=stopped,
        build_fn=original_build_fn, task=task, fit_params=fit_params,
        scoring=_scoring_name(scoring, task),
    )


def _check_validation_split(validation_split, validation_data):
    if validation_data is None and not (0 < validation_split < 1):
        raise ValueError(
            f"validation_split={validation_split!r} is not a fraction: give a number "
            "between 0 and 1, e.g. 0.2, or pass validation_data=(X_val, y_val)"
        )


def hyperband(
    build_fn: Callable,
    space: SearchSpace | None,
    X,
    y,
    *,
    validation_data: tuple | None = None,
    validation_split: float = 0.2,
    max_epochs: int = 9,
    factor: int = 3,
    hyperband_iterations: int = 1,
    batch_size: int = 32,
    scoring: str | Callable | None = None,
    task: str = "auto",
    random_state: int | None = 0,
    directory: str | None = None,
    project_name: str = "hyperband",
    resume: bool = False,
    progress: bool | Any = True,
    callbacks: Sequence | None = None,
) -> SearchResult:
    """Hyperband with keras-tuner: many short trials, the best trained longer.

    Each trial's model is scored on the validation data with the same scorer
    as the cross-validated searches.  See :func:`nbtune.schedule.hyperband_schedule`
    for how many trials and epochs ``max_epochs`` and ``factor`` give.

    Parameters
    ----------
    build_fn : callable or keras_tuner.HyperModel
        As in :func:`grid_search`, or a HyperModel instance.  A HyperModel's
        own ``fit(hp, model, x, y, **kwargs)`` trains each trial, as in
        keras-tuner: it gets the training data and ``epochs``,
        ``initial_epoch``, ``callbacks``, ``validation_data`` and ``verbose=0``
        (not ``batch_size``: set it in the fit), and the hyperparameters it
        declares are tuned.  nbtune then scores the trained model itself.
    space, X, y, scoring, task, random_state, progress
        As in :func:`grid_search`.  The space may not contain ``epochs``:
        Hyperband decides how long each model trains.  ``space=None`` takes
        the space a ``build(hp)`` or HyperModel declares (its fit's too).
    validation_data : (X_val, y_val), optional
        Data every trial is scored on; by default ``validation_split`` of X, y
        is held out (stratified).
    max_epochs, factor, hyperband_iterations : int
        keras-tuner's Hyperband settings.
    batch_size : int, default 32
        Used when the space has no ``batch_size`` and no HyperModel fit sets it.
    directory : str, optional
        Where keras-tuner keeps its run; by default a temporary folder that is
        removed afterwards.  An existing run there is overwritten unless
        ``resume=True`` (never silently reloaded).
    project_name : str, default "hyperband"
    resume : bool, default False
        Continue the run in ``directory/project_name`` instead of starting fresh.
    callbacks : list of keras callbacks, optional
        Passed (copied) to every trial's ``fit``, e.g. ``[ClearTrainingOutput()]``
        or ``[keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)]``.
        With callbacks (or a HyperModel's own fit) the trials' fits also get
        the validation data, so ``val_loss`` and the compiled metrics'
        ``val_*`` are in the epoch logs; that costs one evaluation per epoch.
        A trial an EarlyStopping stops records the epochs it really trained
        (``train_epochs``, ``epochs_spent``).

    Returns
    -------
    SearchResult
        With each trial's bracket and round.

    Examples
    --------
    >>> import keras
    >>> from nbtune import SearchSpace, Choice, hyperband, data
    >>> def build(units=16):
    ...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(2, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy")
    ...     return model
    >>> cancer = data.load_breast_cancer()
    >>> result = hyperband(build, SearchSpace(Choice("units", [4, 8, 16, 32])), *cancer.train,
    ...                    validation_data=cancer.validation, max_epochs=3, progress=False)
    >>> sorted(result.trials["bracket"].unique().tolist())
    [0, 1]
    """
    kwargs_fn, space, X, y, task = _prepare(build_fn, space, X, y, task)
    if "epochs" in space.names:
        raise ValueError(
            "the space has an 'epochs' dimension, but Hyperband decides how long each "
            "model trains: remove it (space.without('epochs')) and set max_epochs instead"
        )
    _check_validation_split(validation_split, validation_data)
    kt = import_keras_tuner()

    schedule = hyperband_schedule(max_epochs, factor, hyperband_iterations)
    return _keras_tuner_search(
        "hyperband", _tuner_class(kt.Hyperband, max_epochs=max_epochs, factor=factor,
                                  hyperband_iterations=hyperband_iterations),
        kwargs_fn, space, X, y, task=task, validation_data=validation_data,
        validation_split=validation_split, scoring=scoring, batch_size=batch_size,
        epochs=None, random_state=random_state, directory=directory,
        project_name=project_name, resume=resume, progress=progress,
        total=int(schedule["trials"].sum()), callbacks=callbacks, original_build_fn=build_fn,
        tuner_settings={"max_epochs": max_epochs, "factor": factor,
                        "hyperband_iterations": hyperband_iterations},
    )


def _tuner_class(base, **fixed):
    """``base`` with some constructor arguments fixed (so it can be subclassed)."""

    class Configured(base):
        def __init__(self, **kwargs):
            super().__init__(**fixed, **kwargs)

    Configured.__name__ = base.__name__
    return Configured


def _check_oracle_settings(num_initial_points, alpha, beta) -> None:
    """keras-tuner's BayesianOptimization takes these unchecked; check them before any training."""
    if num_initial_points is not None and (
        isinstance(num_initial_points, bool) or not isinstance(num_initial_points, (int, np.integer))
        or num_initial_points < 1
    ):
        raise ValueError(
            f"num_initial_points={num_initial_points!r} is not allowed: give the number of "
            "random trials before the Gaussian process takes over, a whole number >= 1, or "
            "None for keras-tuner's default (3 per dimension)"
        )
    for name, value, low in (("alpha", alpha, "> 0"), ("beta", beta, ">= 0")):
        number = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
        if not number or not np.isfinite(value) or (value <= 0 if name == "alpha" else value < 0):
            raise ValueError(
                f"{name}={value!r} is not allowed: give a number {low} (keras-tuner's "
                f"default is {1e-4 if name == 'alpha' else 2.6})"
            )


def bayesian(
    build_fn: Callable,
    space: SearchSpace | None,
    X,
    y,
    *,
    validation_data: tuple | None = None,
    validation_split: float = 0.2,
    max_trials: int = 10,
    num_initial_points: int | None = None,
    alpha: float = 1e-4,
    beta: float = 2.6,
    epochs: int = 10,
    batch_size: int = 32,
    scoring: str | Callable | None = None,
    task: str = "auto",
    random_state: int | None = 0,
    directory: str | None = None,
    project_name: str = "bayesian",
    resume: bool = False,
    progress: bool | Any = True,
    callbacks: Sequence | None = None,
) -> SearchResult:
    """Bayesian optimisation with keras-tuner (a Gaussian process proposes trials).

    The first ``num_initial_points`` trials are random (keras-tuner's default:
    3 x the number of dimensions); later ones go where the model of the score
    expects the most gain.  Parameters as in :func:`hyperband`, with
    ``max_trials`` and ``epochs`` (which the space may set).

    Parameters
    ----------
    build_fn, space, X, y, validation_data, validation_split, batch_size, scoring, task
        As in :func:`hyperband` (``build_fn`` may be a ``keras_tuner.HyperModel``).
    max_trials : int, default 10
        How many configurations to try.
    num_initial_points : int, optional
        Random trials before the Gaussian process is used.
    alpha : float, default 1e-4
        keras-tuner's ``alpha``: the noise added to the diagonal of the Gaussian
        process's kernel (larger when the scores are noisy).
    beta : float, default 2.6
        keras-tuner's ``beta``: exploration against exploitation in the upper
        confidence bound the next trial maximises (larger explores more).
    epochs : int, default 10
        Epochs per model, unless the space (or a HyperModel's fit) sets them.
    random_state, directory, project_name, resume, progress, callbacks
        As in :func:`hyperband`.

    Returns
    -------
    SearchResult

    Examples
    --------
    >>> import keras
    >>> from nbtune import SearchSpace, Int, bayesian, data
    >>> def build(units=16):
    ...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(2, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy")
    ...     return model
    >>> cancer = data.load_breast_cancer()
    >>> result = bayesian(build, SearchSpace(Int("units", 4, 32)), *cancer.train,
    ...                   max_trials=2, epochs=2, alpha=1e-3, beta=1.0, progress=False)
    >>> len(result.trials)
    2
    """
    if isinstance(max_trials, bool) or not isinstance(max_trials, (int, np.integer)) or max_trials < 1:
        raise ValueError(f"max_trials={max_trials!r} is not allowed: give a whole number >= 1")
    _check_oracle_settings(num_initial_points, alpha, beta)
    kwargs_fn, space, X, y, task = _prepare(build_fn, space, X, y, task)
    _check_validation_split(validation_split, validation_data)
    kt = import_keras_tuner()

    initial = None if num_initial_points is None else int(num_initial_points)
    oracle_settings = {"max_trials": int(max_trials), "num_initial_points": initial,
                       "alpha": float(alpha), "beta": float(beta)}
    return _keras_tuner_search(
        "bayesian", _tuner_class(kt.BayesianOptimization, **oracle_settings),
        kwargs_fn, space, X, y, task=task, validation_data=validation_data,
        validation_split=validation_split, scoring=scoring, batch_size=batch_size,
        epochs=epochs, random_state=random_state, directory=directory,
        project_name=project_name, resume=resume, progress=progress,
        total=int(max_trials), callbacks=callbacks, original_build_fn=build_fn,
        tuner_settings=oracle_settings,
    )


# ------------------------------------------------------------------ dispatch
def run_strategy(name: str, build_fn: Callable, space: SearchSpace | None, X, y, *,
                 validation_data: tuple | None = None, cv=None,
                 budget: dict[str, Any] | None = None, **settings: Any) -> SearchResult:
    """Run the strategy ``name`` of :mod:`nbtune.strategies` with one budget.

    What :func:`compare` and the run panel call, so that both run a strategy
    the same way.

    Parameters
    ----------
    name : str
        A name of :func:`nbtune.strategies.names`.
    build_fn, space, X, y
        As in :func:`grid_search`.
    validation_data : (X_val, y_val), optional
        Hyperband and Bayesian optimisation score every trial on it (without
        it, they hold out part of X, y). With ``cv=None``, grid and random search
        are scored on it too, as one fold (as ``compare`` does).
    cv : int or scikit-learn splitter, optional
        Folds of X, y for grid and random search; ignored by the others.
    budget : dict, optional
        ``compare``'s budget arguments; those left out take
        :data:`nbtune.strategies.BUDGET_DEFAULTS`.
    **settings
        ``batch_size``, ``scoring``, ``task``, ``random_state``, ``progress``,
        ``directory``, ``resume``, and ``callbacks`` (given to the keras-tuner
        strategies' trials).

    Examples
    --------
    >>> import keras
    >>> from nbtune import SearchSpace, Choice, data
    >>> def build(units=16):
    ...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(2, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy")
    ...     return model
    >>> cancer = data.load_breast_cancer()
    >>> result = run_strategy("random", build, SearchSpace(Choice("units", [4, 16])),
    ...                       *cancer.train, validation_data=cancer.validation,
    ...                       budget={"n_iter": 2, "epochs": 2}, progress=False)
    >>> len(result.trials)
    2
    """
    budget = {**strategy_registry.BUDGET_DEFAULTS, **(budget or {})}
    runner = _RUNNERS[strategy_registry.get(name).name]
    return runner(build_fn, space, X, y, validation_data, cv, budget, settings)


def _folds(X, y, validation_data, cv):
    """X, y and folds for a cross-validated search: ``cv`` folds, or the validation set as one."""
    if cv is not None or validation_data is None:
        return X, y, 3 if cv is None else cv
    X, y = _check_data(X, y)
    X_val, y_val = _check_data(*validation_data, what="validation_data")
    one_split = PredefinedSplit(np.r_[np.full(len(X), -1), np.zeros(len(X_val))])
    return np.concatenate([X, X_val]), np.concatenate([y, y_val]), one_split


def _without(settings: dict, *names: str) -> dict:
    return {k: v for k, v in settings.items() if k not in names}


def _run_grid(build_fn, space, X, y, validation_data, cv, budget, settings) -> SearchResult:
    X, y, folds = _folds(X, y, validation_data, cv)
    return grid_search(build_fn, space, X, y, cv=folds, points=budget["points"],
                       epochs=budget["epochs"], **_without(settings, "callbacks"))


def _run_random(build_fn, space, X, y, validation_data, cv, budget, settings) -> SearchResult:
    X, y, folds = _folds(X, y, validation_data, cv)
    return random_search(build_fn, space, X, y, cv=folds, n_iter=budget["n_iter"],
                         epochs=budget["epochs"], **_without(settings, "callbacks"))


def _run_hyperband(build_fn, space, X, y, validation_data, cv, budget, settings) -> SearchResult:
    return hyperband(build_fn, space, X, y, validation_data=validation_data,
                     max_epochs=budget["max_epochs"] or budget["epochs"], factor=budget["factor"],
                     hyperband_iterations=budget["hyperband_iterations"], **settings)


def _run_bayesian(build_fn, space, X, y, validation_data, cv, budget, settings) -> SearchResult:
    return bayesian(build_fn, space, X, y, validation_data=validation_data,
                    max_trials=budget["max_trials"], epochs=budget["epochs"],
                    num_initial_points=budget["num_initial_points"], alpha=budget["alpha"],
                    beta=budget["beta"], **settings)


# one runner per registry entry (tests/test_search.py checks they match)
_RUNNERS = {"grid": _run_grid, "random": _run_random, "hyperband": _run_hyperband,
            "bayesian": _run_bayesian}


# ------------------------------------------------------------------- compare
def _warm_up() -> None:
    """Train a one-unit model for one step: TensorFlow's first fit in a process
    spends seconds initialising that later fits do not, which would otherwise
    be charged to whichever strategy runs first."""
    keras = import_keras()
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.zeros((4, 1), np.float32), np.zeros(4, np.float32), epochs=1, verbose=0)
    model(np.zeros((1, 1), np.float32))
    keras.backend.clear_session()


def _check_strategies(strategies) -> list[str]:
    if isinstance(strategies, str):
        strategies = [strategies]
    strategies = list(strategies)
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown or not strategies:
        raise ValueError(
            f"strategies={strategies!r}: {unknown or 'empty'} not known; "
            f"choose from {list(STRATEGIES)}, e.g. strategies=['grid', 'random', 'hyperband']"
        )
    return list(dict.fromkeys(strategies))


def compare(
    build_fn: Callable,
    space: SearchSpace | None,
    X,
    y,
    *,
    strategies: Iterable[str] = ("grid", "random", "hyperband"),
    validation_data: tuple | None = None,
    validation_split: float = 0.2,
    test_data: tuple | None = None,
    epochs: int = 10,
    batch_size: int = 32,
    points: int | dict | None = None,
    n_iter: int = 10,
    max_epochs: int | None = None,
    factor: int = 3,
    max_trials: int = 10,
    num_initial_points: int | None = None,
    alpha: float = 1e-4,
    beta: float = 2.6,
    hyperband_iterations: int = 1,
    scoring: str | Callable | None = None,
    task: str = "auto",
    random_state: int | None = 0,
    progress: bool | Any = True,
    directory: str | None = None,
    resume: bool = False,
    callbacks: Sequence | None = None,
) -> SearchResult:
    """Run several strategies on one space, one data split and one validation set.

    Every strategy trains on the same training rows and is scored on the same
    validation rows with the same scorer (grid and random search through a
    ``PredefinedSplit``, so one fold = that validation set).  With
    ``test_data``, each strategy's best configuration is retrained on the
    training rows and scored once on the test data.

    Parameters
    ----------
    build_fn, space, X, y, scoring, task, random_state, progress
        As in :func:`grid_search`.
    strategies : sequence of str, default ("grid", "random", "hyperband")
        Any of ``"grid"``, ``"random"``, ``"hyperband"``, ``"bayesian"``.
    validation_data : (X_val, y_val), optional
        By default ``validation_split`` of X, y is held out (stratified).
    test_data : (X_test, y_test), optional
        Scores each strategy's winner on data no search has seen.
    epochs : int, default 10
        Epochs per model for grid, random and Bayesian search (unless the space
        sets them); Hyperband's ``max_epochs`` defaults to it.
    n_iter : int, default 10
        Random search's number of configurations.
    max_trials : int, default 10
        Bayesian optimisation's number of trials.
    num_initial_points : int, optional
        Bayesian optimisation's random trials before it starts to model the
        score (keras-tuner's default: 3 per dimension).
    alpha, beta : float, default 1e-4 and 2.6
        Bayesian optimisation's Gaussian-process noise and exploration factor
        (see :func:`bayesian`).
    hyperband_iterations : int, default 1
        How many times Hyperband repeats its brackets.
    points, factor, batch_size
        As in :func:`grid_search` and :func:`hyperband`.
    directory : str, optional
        Keep each strategy's run in ``directory/<strategy>`` (finished trials
        survive a stop); ``resume=True`` continues them.
    callbacks : list of keras callbacks, optional
        Passed to every trial's fit in Hyperband and Bayesian optimisation (see
        :func:`hyperband`), e.g. an EarlyStopping on ``val_loss``.

    A ``keras_tuner.HyperModel`` with its own ``fit`` can be compared with
    ``strategies=["hyperband", "bayesian"]`` only, and without ``test_data``:
    grid and random search, and the retraining of each winner, go through
    nbtune's estimator, which cannot call that fit.

    Returns
    -------
    SearchResult
        All trials, with a ``strategy`` column; ``summary()`` has one row per
        strategy and ``test_scores`` the test score of each winner.

    Examples
    --------
    >>> import keras
    >>> from nbtune import SearchSpace, Choice, compare, data
    >>> def build(units=16):
    ...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(2, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy")
    ...     return model
    >>> cancer = data.load_breast_cancer()
    >>> result = compare(build, SearchSpace(Choice("units", [4, 16])), *cancer.train,
    ...                  strategies=["grid", "random"], validation_data=cancer.validation,
    ...                  n_iter=1, epochs=2, progress=False)
    >>> result.strategies
    ['grid', 'random']
    """
    strategies = _check_strategies(strategies)
    _check_oracle_settings(num_initial_points, alpha, beta)
    for strategy in strategies:
        if strategy_registry.get(strategy).cross_validated:
            _refuse_own_fit(build_fn, strategy)
    if test_data is not None and hypermodel_fit(build_fn) is not None:
        raise TypeError(
            f"test_data with build_fn={build_fn!r}: each winner is retrained by nbtune's "
            f"estimator, which cannot call {type(build_fn).__name__}.fit(); leave test_data "
            "out and retrain the best configuration with your fit: "
            "hypermodel.fit(hp, hypermodel.build(hp), X, y) with hp.values = result.best_params"
        )
    _, space, X, y, task = _prepare(build_fn, space, X, y, task)
    _check_validation_split(validation_split, validation_data)
    if validation_data is None:
        X, X_val, y, y_val = train_test_split(
            X, y, test_size=validation_split, random_state=random_state,
            stratify=y if task == "classification" else None,
        )
    else:
        X_val, y_val = _check_data(*validation_data, what="validation_data")
    budget = dict(epochs=epochs, points=points, n_iter=n_iter, max_epochs=max_epochs,
                  factor=factor, hyperband_iterations=hyperband_iterations,
                  max_trials=max_trials, num_initial_points=num_initial_points,
                  alpha=alpha, beta=beta)
    settings = dict(batch_size=batch_size, scoring=scoring, task=task,
                    random_state=random_state, progress=progress, directory=directory,
                    resume=resume, callbacks=callbacks)
    _warm_up()  # so the first strategy does not pay TensorFlow's one-off start-up
    results = []
    for strategy in strategies:
        result = run_strategy(strategy, build_fn, space, X, y, validation_data=(X_val, y_val),
                              budget=budget, **settings)
        results.append(result)
        if not result.complete:
            break  # the user stopped it: do not start the next strategy
    combined = SearchResult.combine(results)
    if test_data is not None and combined.complete:
        X_test, y_test = _check_data(*test_data, what="test_data")
        scorer = get_scorer(scoring) if scoring is not None else None
        for result in results:
            if result.ok_trials.empty:
                continue
            fitted = result.refit_best(X, y)
            score = scorer(fitted, X_test, y_test) if scorer else fitted.score(X_test, y_test)
            combined.test_scores[result.strategies[0]] = float(score)
    return combined
