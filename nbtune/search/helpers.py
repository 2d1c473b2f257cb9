"""Search helpers: grid, random, Hyperband, Bayesian search and successive halving.

Every helper takes the same build function and :class:`~nbtune.SearchSpace`
and returns a :class:`~nbtune.SearchResult` with one row per trial. Each
prepares its inputs once (:func:`nbtune.search.checks.prepare`) and runs one
entry of the strategy registry (:mod:`nbtune.search.strategies`) down the one
path of :mod:`nbtune.search.pipeline`: the trial loop
(:mod:`nbtune.search.trial_loop`) with one of two evaluators
(:mod:`nbtune.search.evaluators`):

- :func:`grid_search` and :func:`random_search` cross-validate the nbtune
  estimator on every configuration, with scikit-learn's own ``ParameterGrid``
  / ``ParameterSampler`` and ``cross_validate`` (the same candidates, folds and
  scores as ``GridSearchCV`` / ``RandomizedSearchCV``);
- :func:`hyperband`, :func:`bayesian` and :func:`successive_halving` train one
  model per trial and score it on the validation data with the same scorer;
  keras-tuner's own oracles choose Hyperband's and Bayesian optimisation's
  trials, and a promoted trial trains its parent's model on, in memory;
- :func:`compare` runs several of them on one data split and one validation
  set, so their scores, costs and test scores can be compared fairly.

The build function is a plain function of keyword arguments
(``def build(units=64, learning_rate=1e-3): ...``), a keras-tuner style
``build(hp)`` or a ``keras_tuner.HyperModel`` instance (whose own ``fit`` the
holdout searches honour). Searches are quiet: one progress line each, no
per-epoch output. Every finished trial can be kept in a run folder
(``directory=``) and a stopped search resumed (``resume=True``).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import get_scorer

from nbtune.backend import import_keras
from nbtune.search import strategies as strategy_registry
from nbtune.search.checks import (
    Prepared,
    check_fit_counts,
    check_oracle_settings,
    check_pair,
    check_random_state,
    hold_out,
    prepare,
    refuse_own_fit,
)
from nbtune.search.pipeline import check_plan, run, run_on
from nbtune.search.results import SearchResult
from nbtune.search.runlog import check_run_settings
from nbtune.search.trial_loop import Interrupts, interrupts_noticed
from nbtune.space import SearchSpace
from nbtune.space.build_fns import hypermodel_fit
from nbtune.training import engine


def _search(name: str, build_fn, space, X, y, *, task="auto", budget: Mapping[str, Any],
            **settings) -> SearchResult:
    """A public helper's search: its inputs prepared, then the one path,
    :func:`nbtune.search.pipeline.run`, with the registry's entry."""
    strategy = strategy_registry.get(name)
    check_run_settings(settings.get("directory"), settings.get("project_name"),  # before a build(hp) runs
                       resume=settings.get("resume", False), overwrite=settings.get("overwrite", False))
    prepared = prepare(build_fn, space, X, y, task, strategy=name)
    return run(strategy, prepared, {**strategy_registry.budget_defaults(), **budget}, **settings)


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
    overwrite: bool = False,
    n_jobs: int | None = None,
    allow_large: bool = False,
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
        lost if the search is stopped or its kernel killed. One search at a
        time may write a folder (a second is refused).
    project_name : str, optional
        Name of the run folder; by default the strategy ("grid", "random").
    resume : bool, default False
        Continue the run in the folder: finished trials are kept, the rest
        run, and the result has the same trials an uninterrupted run would.
        A folder made with other data, folds, space, settings, callbacks,
        scoring or build function is refused, naming what differs.
    overwrite : bool, default False
        Replace a run the folder already holds. Without it (or
        ``resume=True``) such a folder is refused: nothing is deleted silently.
    n_jobs : int or None, default None
        Worker processes that run trials side by side (one configuration, all
        its folds, per worker at a time); -1 for one per CPU core. None (or 1)
        runs the trials in this process, which is fastest for one or two configurations
        and needs no extra memory. Each worker loads its own TensorFlow, about
        0.7 GB: on a 2 GB machine (Binder) keep None; ``bench/parallel_trials.py``
        measures the time and memory on yours. Results are the same either way.
        Inside ``joblib.parallel_config(backend="dask")`` the trials run on that
        Dask cluster instead, ``n_jobs`` at a time (-1: one per worker thread).
    allow_large : bool, default False
        Run a plan of more than 10,000 configurations or 1,000,000 epochs in all
        (folds counted). Without it, such a plan is refused before anything is
        built, with its fits, epochs and least time (see
        :func:`nbtune.search.pipeline.check_plan`).
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
    return _search(
        "grid", build_fn, space, X, y, cv=cv,
        budget={"points": points, "epochs": epochs},
        scoring=scoring, batch_size=batch_size, task=task, random_state=random_state,
        progress=progress, directory=directory, project_name=project_name, resume=resume,
        overwrite=overwrite, n_jobs=n_jobs, allow_large=allow_large, **fit_settings)


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
    overwrite: bool = False,
    n_jobs: int | None = None,
    allow_large: bool = False,
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
    return _search(
        "random", build_fn, space, X, y, cv=cv,
        budget={"n_iter": n_iter, "epochs": epochs},
        scoring=scoring, batch_size=batch_size, task=task, random_state=random_state,
        progress=progress, directory=directory, project_name=project_name, resume=resume,
        overwrite=overwrite, n_jobs=n_jobs, allow_large=allow_large, **fit_settings)


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
    overwrite: bool = False,
    progress: bool | Any = True,
    callbacks: Sequence | None = None,
    n_jobs: int | None = None,
    allow_large: bool = False,
) -> SearchResult:
    """Hyperband with keras-tuner: many short trials, the best trained longer.

    Each trial's model is scored on the validation data with the same scorer
    as the cross-validated searches.  See :func:`nbtune.search.schedule.hyperband_schedule`
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
        keras-tuner's Hyperband settings; its ``HyperbandOracle`` chooses the
        trials, and a promoted trial trains its parent's model on, in memory
        (weights and optimizer state).
    batch_size : int, default 32
        Used when the space has no ``batch_size`` and no HyperModel fit sets it.
    directory : str, optional
        Keep the run in ``directory/project_name`` (``run.json`` and every
        finished trial in ``trials.jsonl``, as :func:`grid_search` does); by
        default nothing is written.
    project_name : str, default "hyperband"
    resume, overwrite : bool, default False
        As in :func:`grid_search`: continue the run in ``directory/project_name``
        (Hyperband's oracle is given the finished trials again, so it proposes
        what it proposed the first time), or replace it.
    callbacks : list of keras callbacks, optional
        Passed (copied) to every trial's ``fit``, e.g. ``[ClearTrainingOutput()]``
        or ``[keras.callbacks.EarlyStopping(monitor="val_loss", patience=2)]``.
        With callbacks (or a HyperModel's own fit) the trials' fits also get
        the validation data, so ``val_loss`` and the compiled metrics'
        ``val_*`` are in the epoch logs; that costs one evaluation per epoch.
        A trial an EarlyStopping stops records the epochs it really trained
        (``train_epochs``, ``epochs_spent``).
    n_jobs : int or None, default None
        Trials at once, in worker processes or, inside
        ``joblib.parallel_config(backend="dask")``, on that Dask cluster (as in
        :func:`grid_search`). The oracle stays in this process and hears the trials
        in order: it proposes each trial knowing all but the last ``n_jobs - 1``,
        whichever worker is faster, so a run gives the same trials on any cluster.
        Hyperband's trials are those of ``n_jobs=None``, though their numbers may
        differ (it promotes as soon as a trial is sure to be among the best).
    allow_large : bool, default False
        Run a plan of more than 10,000 trials or 1,000,000 epochs in all, as in
        :func:`grid_search`.

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
    return _search(
        "hyperband", build_fn, space, X, y,
        budget={"max_epochs": max_epochs, "factor": factor,
                "hyperband_iterations": hyperband_iterations},
        validation_data=validation_data, validation_split=validation_split,
        batch_size=batch_size, scoring=scoring, task=task, random_state=random_state,
        directory=directory, project_name=project_name, resume=resume, overwrite=overwrite,
        progress=progress, callbacks=callbacks, allow_large=allow_large, n_jobs=n_jobs)


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
    overwrite: bool = False,
    progress: bool | Any = True,
    callbacks: Sequence | None = None,
    n_jobs: int | None = None,
    allow_large: bool = False,
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
    random_state, directory, project_name, resume, progress, callbacks, allow_large
        As in :func:`hyperband`.

    n_jobs : int or None, default None
        Trials at once, in worker processes or on a Dask cluster, as in
        :func:`hyperband`. Each trial after the random ones is chosen without the scores of
        the trials still running, so the trials change with ``n_jobs`` (not with the
        cluster: the oracle hears the trials in order).
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
    check_oracle_settings(num_initial_points, alpha, beta)
    return _search(
        "bayesian", build_fn, space, X, y,
        budget={"max_trials": max_trials, "epochs": epochs,
                "num_initial_points": num_initial_points, "alpha": alpha, "beta": beta},
        validation_data=validation_data, validation_split=validation_split,
        batch_size=batch_size, scoring=scoring, task=task, random_state=random_state,
        directory=directory, project_name=project_name, resume=resume, overwrite=overwrite,
        progress=progress, callbacks=callbacks, allow_large=allow_large, n_jobs=n_jobs)


def successive_halving(
    build_fn: Callable,
    space: SearchSpace | None,
    X,
    y,
    *,
    validation_data: tuple | None = None,
    validation_split: float = 0.2,
    max_epochs: int = 9,
    factor: int = 3,
    batch_size: int = 32,
    scoring: str | Callable | None = None,
    task: str = "auto",
    random_state: int | None = 0,
    directory: str | None = None,
    project_name: str | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool | Any = True,
    callbacks: Sequence | None = None,
    n_jobs: int | None = None,
    allow_large: bool = False,
) -> SearchResult:
    """Successive halving: many random configurations briefly, the best third trained on.

    Round 0 trains many configurations (drawn like :func:`random_search`'s)
    for a few epochs; each round keeps the best ``1/factor`` and trains their
    models on (weights and optimizer state, in memory) to ``factor`` times the
    epochs, until one or a few reach ``max_epochs``. It is one bracket of
    Hyperband, the most aggressive (see
    :func:`nbtune.search.schedule.successive_halving_schedule`); Hyperband hedges by
    also running less aggressive brackets.

    Parameters
    ----------
    build_fn, space, X, y, scoring, task, random_state, progress
        As in :func:`hyperband`; the space may not contain ``epochs``.
    validation_data, validation_split, batch_size, directory, resume, callbacks
        As in :func:`hyperband`.
    max_epochs : int, default 9
        Epochs of the models of the last round.
    factor : int, default 3
        Each round keeps about ``1/factor`` of the models and trains them
        ``factor`` times longer.
    project_name : str, optional
        The run folder's name in ``directory`` (default ``"successive_halving"``).
    allow_large : bool, default False
        Run a plan of more than 10,000 trials or 1,000,000 epochs, as in :func:`grid_search`.
    n_jobs : int or None, default None
        Trials at once, in worker processes or on a Dask cluster, as in
        :func:`hyperband`. The trials are those of ``n_jobs=None``.

    Returns
    -------
    SearchResult
        With each trial's round (and ``bracket``, Hyperband's number of it).

    Examples
    --------
    >>> import keras
    >>> from nbtune import SearchSpace, Int, successive_halving, data
    >>> def build(units=16):
    ...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(2, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy")
    ...     return model
    >>> cancer = data.load_breast_cancer()
    >>> result = successive_halving(build, SearchSpace(Int("units", 4, 32)), *cancer.train,
    ...                             validation_data=cancer.validation, max_epochs=3,
    ...                             progress=False)
    >>> result.trials.groupby("round")["train_epochs"].agg(["size", "max"]).values.tolist()
    [[3, 1], [1, 3]]
    """
    return _search(
        "successive_halving", build_fn, space, X, y,
        budget={"max_epochs": max_epochs, "factor": factor},
        validation_data=validation_data, validation_split=validation_split,
        batch_size=batch_size, scoring=scoring, task=task, random_state=random_state,
        directory=directory, project_name=project_name, resume=resume, overwrite=overwrite,
        progress=progress, callbacks=callbacks, allow_large=allow_large, n_jobs=n_jobs)


# ------------------------------------------------------------------ dispatch
def run_strategy(name: str, build_fn: Callable, space: SearchSpace | None, X, y, *,
                 validation_data: tuple | None = None, cv=None,
                 budget: dict[str, Any] | None = None, **settings: Any) -> SearchResult:
    """Run the strategy ``name`` of :mod:`nbtune.search.strategies` with one budget.

    What :func:`compare` and the run panel call, so that both run a strategy
    the same way.

    Parameters
    ----------
    name : str
        A name of :func:`nbtune.search.strategies.names`.
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
        :func:`nbtune.search.strategies.budget_defaults`.
    **settings
        ``batch_size``, ``scoring``, ``task``, ``random_state``, ``progress``,
        ``directory``, ``resume``, ``overwrite``, ``allow_large`` (see :func:`grid_search`),
        and ``callbacks`` (given to the keras-tuner strategies' trials).

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
    strategy = strategy_registry.get(name)
    prepared = prepare(build_fn, space, X, y, settings.pop("task", "auto"), strategy=name)
    validation = None
    if not strategy.cross_validated:
        settings["validation_data"] = validation_data  # checked, or held out, by _run
    elif cv is None and validation_data is not None:
        validation = check_pair(validation_data, "validation_data", like=prepared.X)
    return run_on(strategy, prepared, validation, cv=cv, budget=budget, **settings)


# ------------------------------------------------------------------- compare
def _warm_up(interrupts: Interrupts) -> None:
    """Train a one-unit model for one step: TensorFlow's first fit in a process
    spends seconds initialising that later fits do not, which would otherwise
    be charged to whichever strategy runs first. Ctrl-C ends it at once (nothing
    of it is kept), but not Keras' reset after it."""
    keras = import_keras()
    with contextlib.suppress(KeyboardInterrupt), interrupts.allowed():
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit(np.zeros((4, 1), np.float32), np.zeros(4, np.float32), epochs=1, verbose=0)
        model(np.zeros((1, 1), np.float32))
    keras.backend.clear_session()


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
    overwrite: bool = False,
    callbacks: Sequence | None = None,
    n_jobs: int | None = None,
    allow_large: bool = False,
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
        Any of :func:`nbtune.search.strategies.names`: ``"grid"``, ``"random"``, ``"hyperband"``,
        ``"bayesian"``, ``"successive_halving"``.
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
        survive a stop); ``resume=True`` continues them, ``overwrite=True``
        replaces them (see :func:`grid_search`).
    callbacks : list of keras callbacks, optional
        Passed to every trial's fit in Hyperband and Bayesian optimisation (see
        :func:`hyperband`), e.g. an EarlyStopping on ``val_loss``.
    allow_large : bool, default False
        Run plans of any size (see :func:`grid_search`): without it, every
        strategy's plan is checked before anything trains.
    n_jobs : int or None, default None
        Trials at once for each strategy, in worker processes or on a Dask cluster
        (see :func:`grid_search` and :func:`hyperband`); the strategies still run one
        after another.

    A ``keras_tuner.HyperModel`` with its own ``fit`` can be compared with
    ``strategies=["hyperband", "bayesian"]`` only, and without ``test_data``:
    grid and random search, and the retraining of each winner, go through
    nbtune's estimator, which cannot call that fit.

    Returns
    -------
    SearchResult
        All trials, with a ``strategy`` column; ``summary()`` has one row per
        strategy and ``test_scores`` the test score of each winner. Ctrl-C at
        any point ends it without an error: the result keeps every finished
        trial (and test score) and has ``complete=False``, and no strategy starts
        after it.

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
    strategies = _check_compare(build_fn, strategies, test_data, num_initial_points, alpha, beta)
    check_run_settings(directory, None, resume=resume, overwrite=overwrite)
    prepared = prepare(build_fn, space, X, y, task)
    check_random_state(random_state)
    check_fit_counts(epochs, batch_size, prepared.space)
    prepared, validation = hold_out(prepared, validation_data, validation_split, random_state)
    # checked before any search runs, so a wrong test set cannot waste them
    test = None if test_data is None else check_pair(test_data, "test_data", like=prepared.X)
    budget = dict(epochs=epochs, points=points, n_iter=n_iter, max_epochs=max_epochs,
                  factor=factor, hyperband_iterations=hyperband_iterations,
                  max_trials=max_trials, num_initial_points=num_initial_points,
                  alpha=alpha, beta=beta)
    settings = dict(batch_size=batch_size, scoring=scoring, random_state=random_state,
                    progress=progress, directory=directory, resume=resume,
                    overwrite=overwrite, callbacks=callbacks, allow_large=allow_large,
                    n_jobs=n_jobs)
    for strategy in strategies:  # every plan is checked before the warm-up trains anything
        check_plan(strategy_registry.get(strategy), prepared.space, budget, allow_large=allow_large)
    with interrupts_noticed() as interrupts:  # Ctrl-C anywhere: keep what finished, start nothing
        _warm_up(interrupts)  # so the first strategy does not pay TensorFlow's one-off start-up
        results = _run_strategies(strategies, prepared, validation, budget, settings, interrupts)
        combined = SearchResult.combine(results)
        combined.complete = combined.complete and len(results) == len(strategies)
        if test is not None and combined.complete:
            _test_winners(results, prepared, test, scoring, interrupts, combined)
    return combined


def _run_strategies(strategies: list[str], prepared: Prepared, validation: tuple, budget: dict,
                    settings: dict, interrupts: Interrupts) -> list[SearchResult]:
    """Each strategy's search, one after another, until one is stopped.

    One model pool serves them all (nbtune.training.engine): a structure traced
    by one strategy is not traced again by the next (its models are reset, so
    every strategy trains exactly what it would alone).
    """
    results = []
    with engine.reusing_models():
        for strategy in strategies:  # a press stops the running search, which keeps its trials
            results.append(run_on(strategy_registry.get(strategy), prepared, validation,
                                  budget=budget, **settings))
            if not results[-1].complete or interrupts.pressed:
                break  # the user stopped it: do not start the next strategy
    return results


def _check_compare(build_fn, strategies, test_data, num_initial_points, alpha, beta) -> list[str]:
    """``compare``'s own checks: the strategies, and what they need of the build function."""
    strategies = strategy_registry.check_names(strategies)
    check_oracle_settings(num_initial_points, alpha, beta)
    for strategy in strategies:
        if strategy_registry.get(strategy).cross_validated:
            refuse_own_fit(build_fn, strategy)
    if test_data is not None and hypermodel_fit(build_fn) is not None:
        raise TypeError(
            f"test_data with build_fn={build_fn!r}: each winner is retrained by nbtune's "
            f"estimator, which cannot call {type(build_fn).__name__}.fit(); leave test_data "
            "out and retrain the best configuration with your fit: "
            "hypermodel.fit(hp, hypermodel.build(hp), X, y) with hp.values = result.best_params"
        )
    return strategies


def _test_winners(results: list[SearchResult], prepared: Prepared, test: tuple, scoring,
                  interrupts: Interrupts, combined: SearchResult) -> None:
    """Each strategy's best configuration retrained on the training rows, scored on ``test``,
    into ``combined.test_scores`` as each is scored; a press of Ctrl-C keeps those and marks
    ``combined`` incomplete."""
    X_test, y_test = test
    scorer = get_scorer(scoring) if scoring is not None else None
    winners = [result for result in results if not result.ok_trials.empty]
    # winners of the same structure share traced graphs; the pool is released whatever happens
    with contextlib.suppress(KeyboardInterrupt), engine.reusing_models(), interrupts.allowed():
        for result in winners:
            # scored at once: a later winner may reuse this model
            fitted = result.refit_best(prepared.X, prepared.y)
            score = scorer(fitted, X_test, y_test) if scorer else fitted.score(X_test, y_test)
            combined.test_scores[result.strategies[0]] = float(score)
    missing = [r.strategies[0] for r in winners if r.strategies[0] not in combined.test_scores]
    if missing:
        combined.complete = False
        warnings.warn(f"compare stopped while it scored the winners on test_data: no test score "
                      f"for {missing}; every trial is kept, and the result has complete=False",
                      stacklevel=3)
