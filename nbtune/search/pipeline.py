"""The one path every search takes: checks, proposer, evaluator, the trial loop, a result.

:func:`run` is it. First it refuses a plan too large to run (:func:`check_plan`,
before anything is built or trained); what varies between strategies is only how a trial is
scored, an :class:`Evaluation`: cross-validation of nbtune's estimator (grid and
random search) or one model per trial on a holdout (Hyperband, Bayesian
optimisation, successive halving). :func:`run_on` picks the validation data
each kind uses; the helpers of :mod:`nbtune.search.helpers` and ``compare``
call it with inputs prepared once (:func:`nbtune.search.checks.prepare`).

Examples
--------
>>> from nbtune import Choice, SearchSpace, data
>>> from nbtune.search import strategies
>>> from nbtune.search.checks import prepare
>>> def build(units=4):
...     import keras
...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
...                               keras.layers.Dense(2, activation="softmax")])
...     model.compile("adam", "sparse_categorical_crossentropy")
...     return model
>>> cancer = data.load_breast_cancer()
>>> prepared = prepare(build, SearchSpace(Choice("units", [4, 8])), *cancer.train, "auto")
>>> result = run_on(strategies.get("grid"), prepared, cancer.validation,
...                 budget={"epochs": 1}, progress=False)
>>> len(result.trials), result.fit_params["epochs"]
(2, 1)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from nbtune.formatting import format_seconds
from nbtune.language import gettext as _
from nbtune.search import strategies as strategy_registry
from nbtune.search.checks import (
    Prepared,
    check_fit_counts,
    check_folds,
    check_not_reimported,
    check_random_state,
    check_scoring,
    hold_out,
    progress_object,
    validation_fold,
)
from nbtune.search.cost import FASTEST_EPOCH_SECONDS, FASTEST_FIT_SECONDS, least_seconds
from nbtune.search.evaluators import CrossValidation, Holdout
from nbtune.search.fingerprint import run_fingerprint
from nbtune.search.results import SearchFailedError, SearchResult
from nbtune.search.runlog import open_run_log
from nbtune.search.strategies import Strategy
from nbtune.search.trial_loop import run_trials
from nbtune.search.workers import slots
from nbtune.space import SearchSpace
from nbtune.space.build_fns import hp_origin
from nbtune.space.dimensions import count_text
from nbtune.space.edges import warn_at_edges
from nbtune.training.estimator import KerasClassifier, KerasRegressor
from nbtune.training.fit_checks import check_fit_settings

#: The largest plan a search runs without ``allow_large=True``: 10,000 trials, and
#: 1,000,000 epochs in all (every fold counted). Each is over an hour even at the fastest
#: nbtune trains (:func:`nbtune.search.cost.least_seconds`), and many hours for a real
#: model: past a class, a Binder session or a Colab evening. A larger plan is most often
#: a step, an ``n_iter`` or an ``epochs`` mistyped; one that is meant runs with
#: ``allow_large=True``.
MAX_TRIALS = 10_000
MAX_EPOCHS = 1_000_000


def _fold_count(cv: Any) -> int:
    """How many folds ``cv`` makes (a number, a list of splits or a splitter); 1 if unknown."""
    if isinstance(cv, int) and not isinstance(cv, bool):
        return cv
    if isinstance(cv, (list, tuple)):
        return len(cv)
    try:
        return int(cv.get_n_splits())
    except (AttributeError, TypeError, ValueError):
        return 1


def _smaller_plan(strategy: Strategy, too_many_trials: bool) -> str:
    """How to ask ``strategy`` for a smaller plan: fewer trials, or fewer epochs."""
    if strategy.decides_epochs:
        return "Lower max_epochs (e.g. max_epochs=27) or raise factor"
    if not too_many_trials:
        return "Lower epochs (e.g. epochs=20)"
    if strategy.trials_knob:
        return f"Lower {strategy.trials_knob} (e.g. {strategy.trials_knob}=50)"
    return ("Narrow the space (a larger step, a narrower range, fewer choices: the "
            "SpaceEditor counts it) or sample it with random_search(..., n_iter=50)")


def _duration(seconds: float) -> str:
    """``83 h 20 min``, or ``1,910 days`` past two days."""
    return format_seconds(seconds) if seconds < 2 * 86400 else f"{seconds / 86400:,.0f} days"


def check_plan(strategy: Strategy, space: SearchSpace, budget: Mapping[str, Any], *,
               folds: int = 1, allow_large: bool = False) -> None:
    """Refuse, before anything is built or trained, a plan larger than a search runs unasked.

    The plan is the strategy's own (:attr:`Strategy.plan
    <nbtune.search.strategies.Strategy.plan>`: a grid's configurations, random
    search's ``n_iter``, Bayesian optimisation's ``max_trials``, Hyperband's and
    successive halving's brackets), counted without building anything. Over
    :data:`MAX_TRIALS` trials or :data:`MAX_EPOCHS` epochs in all, it is refused
    unless ``allow_large=True``; the message gives its trials, fits and epochs, the
    least time they take (at the fastest nbtune trains) and both ways on.

    Parameters
    ----------
    strategy : Strategy
        An entry of :mod:`nbtune.search.strategies`.
    space : SearchSpace
    budget : mapping
        The search's budget (``compare``'s keyword arguments).
    folds : int, default 1
        Folds of each configuration (grid and random search's ``cv``).
    allow_large : bool, default False
        Run a plan of any size.

    Examples
    --------
    >>> from nbtune import Int, SearchSpace
    >>> check_plan(strategy_registry.get("grid"), SearchSpace(Int("units", 1, 10**6)),
    ...            {"epochs": 10}, folds=3)
    Traceback (most recent call last):
    ...
    ValueError: Grid search plans 1,000,000 trials x 3 folds = 3,000,000 fits and 30,000,000 epochs: at least 3 days even for a tiny model (0.05 s a fit, 0.005 s an epoch), more than the 10,000 trials or 1,000,000 epochs a search runs without allow_large=True. Narrow the space ...; or, to run it anyway, pass allow_large=True.
    """
    if not isinstance(allow_large, bool):
        raise TypeError(f"allow_large={allow_large!r} is not allowed: give True to run a plan of "
                        f"any size, or False (the default) to refuse one of more than "
                        f"{MAX_TRIALS:,} trials or {MAX_EPOCHS:,} epochs")
    trials, epochs = strategy.plan(space, budget)
    fits, epochs = trials * folds, epochs * folds
    if allow_large or (trials <= MAX_TRIALS and epochs <= MAX_EPOCHS):
        return
    folded = f" x {folds} folds = {count_text(fits)} fits" if folds > 1 else " (as many fits)"
    raise ValueError(
        f"{strategy.label} plans {count_text(trials)} trials{folded} and {count_text(epochs)} "
        f"epochs: at least {_duration(least_seconds(fits, epochs))} even for a tiny model "
        f"({FASTEST_FIT_SECONDS:g} s a fit, {FASTEST_EPOCH_SECONDS:g} s an epoch), more than the "
        f"{MAX_TRIALS:,} trials or {MAX_EPOCHS:,} epochs a search runs without allow_large=True. "
        f"{_smaller_plan(strategy, trials > MAX_TRIALS)}; or, to run it anyway, pass allow_large=True."
    )


def _estimator(build_fn, task, **settings):
    kind = KerasRegressor if task == "regression" else KerasClassifier
    return kind(model=build_fn, **settings)


def _check_space_names(base, space: SearchSpace) -> None:
    """Fail before training if the build function or fit cannot take a space name."""
    clone(base).set_params(**space.defaults())


def scoring_name(scoring, task: str) -> str | None:
    """The name a search's result gives its scores: the scorer's, or the task's default.

    Examples
    --------
    >>> scoring_name(None, "classification"), scoring_name("f1", "classification")
    ('accuracy', 'f1')
    """
    if scoring is None:
        return "accuracy" if task == "classification" else "r2"
    return scoring if isinstance(scoring, str) else getattr(scoring, "__name__", None)


def _budget_settings(strategy: Strategy, budget: Mapping[str, Any]) -> dict[str, Any]:
    """The budget values a strategy reads, as the run folder's header records them."""
    return {k: budget[k] if budget[k] is None or isinstance(budget[k], (int, float, str))
            else str(budget[k]) for k in strategy.budget}


def _finish(records, *, strategy, space, progress, stopped, **settings) -> SearchResult:
    """The SearchResult of finished trials; ``stopped`` is None, "interrupt" or "request"."""
    result = SearchResult(
        pd.DataFrame(records) if records else pd.DataFrame(columns=["strategy", *space.names]),
        param_names=list(space.names),
        complete=stopped is None,
        **settings,
    )
    done = len(result.trials)
    progress.end(_("stopped: kept {count} finished trials").format(count=done) if stopped else "")
    if stopped == "interrupt":
        warnings.warn(
            _("{strategy} search interrupted after {count} finished trials; the result "
              "holds them and has complete=False").format(strategy=strategy, count=done),
            stacklevel=5,
        )
    if done and result.ok_trials.empty:
        raise SearchFailedError(f"{strategy} search: " + result.no_success_message(), result)
    if done and stopped is None:  # a stopped search's best is not its answer yet
        warn_at_edges(_("{strategy} search's best").format(strategy=strategy), space,
                      result.best_params, stacklevel=5)
    return result


def _run_in_folder(strategy: Strategy, proposer, evaluator, header: dict, *, directory,
                   project_name, resume: bool, overwrite: bool, progress,
                   workers: int = 1) -> tuple[list[dict], str | None]:
    """The trial loop, in the run folder (taken before the first trial, given up after the last)."""
    log, earlier = open_run_log(header, directory=directory, resume=resume, overwrite=overwrite,
                                project_name=project_name or strategy.name)
    try:
        with warnings.catch_warnings():
            # Bayesian optimisation: scikit-learn's Gaussian process inside keras-tuner's
            # oracle warns when a length scale reaches its bound, routine on a few trials
            warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                    module="sklearn.gaussian_process")
            return run_trials(strategy.name, proposer, evaluator, progress=progress, log=log,
                              earlier=earlier, workers=workers)
    finally:
        if log is not None:
            log.close()


@dataclass(frozen=True)
class Evaluation:
    """The one part of a search that varies: how each trial is scored, and what that used."""

    evaluator: CrossValidation | Holdout
    data: list  # the arrays the run folder fingerprints
    folds: Any  # cross-validation's splits, () on a holdout
    fit_params: dict[str, Any]  # what the result and the run folder record
    callbacks: Any = None
    workers: int = 1


def _cross_validation(prepared: Prepared, budget: Mapping[str, Any], *, cv, scoring,
                      batch_size, random_state, n_jobs, fit_settings) -> Evaluation:
    """Grid and random search: every configuration cross-validated by nbtune's estimator."""
    workers = slots(n_jobs)
    fit_params = dict(epochs=budget["epochs"], batch_size=batch_size,
                      random_state=random_state, **fit_settings)
    # checked here, not only by each trial's fit: a wrong setting would fail every trial
    # (and write a run folder first), then end the search with SearchFailedError
    check_fit_settings(fit_params, rows=len(prepared.X))
    base = _estimator(prepared.model_fn, prepared.task, **fit_params)
    _check_space_names(base, prepared.space)
    splits = check_folds(cv, prepared.y, prepared.task)
    evaluator = CrossValidation(base, prepared.X, prepared.y, splits, scoring)
    return Evaluation(evaluator, [prepared.X, prepared.y], splits, fit_params,
                       fit_params.get("callbacks"), workers)


def _holdout(strategy: Strategy, prepared: Prepared, validation: tuple, budget: Mapping[str, Any],
             *, scoring, batch_size, random_state, callbacks, n_jobs) -> Evaluation:
    """Hyperband, Bayesian optimisation, successive halving: one model per trial, scored on
    the validation data (through a HyperModel's own fit, when it has one)."""
    base = _estimator(prepared.model_fn, prepared.task, epochs=budget["epochs"],
                      batch_size=batch_size, random_state=random_state)
    _check_space_names(base, prepared.space)
    origin = hp_origin(prepared.model_fn)
    evaluator = Holdout(base, prepared.X, prepared.y, *validation, scoring=scoring,
                        callbacks=callbacks, own_fit=origin.fit if origin else None,
                        own_fit_names=origin.fit_names if origin else ())
    fit_params = {"batch_size": batch_size, "random_state": random_state}
    if not strategy.decides_epochs:
        fit_params["epochs"] = budget["epochs"]
    return Evaluation(evaluator, [prepared.X, prepared.y, *validation], (), fit_params, callbacks,
                      slots(n_jobs))


def _concurrency(proposer, workers: int) -> dict[str, int]:
    """``n_jobs``, where it changes the trials: an adaptive strategy proposes each trial
    knowing all but the last ``n_jobs - 1`` (nbtune.search.trial_loop), so a run folder
    resumed with another ``n_jobs`` would be another search."""
    return {"n_jobs": workers} if workers > 1 and not proposer.independent else {}


def run(strategy: Strategy, prepared: Prepared, budget: Mapping[str, Any], *,
         validation: tuple | None = None, cv=3, validation_data=None, validation_split=0.2,
         scoring=None, batch_size=32, random_state=0, progress=True, directory=None,
         project_name=None, resume=False, overwrite=False, n_jobs=None, callbacks=None,
         allow_large=False, **fit_settings) -> SearchResult:
    """The one path of every search: checks, the strategy's proposer, its evaluator, the loop.

    ``validation`` is validation data already checked (``compare``'s);
    otherwise a holdout strategy checks ``validation_data`` or holds out
    ``validation_split`` of the training data. A plan too large is refused
    first, unless ``allow_large`` (:func:`check_plan`).
    """
    check_not_reimported()
    check_random_state(random_state)
    check_scoring(scoring)
    check_fit_counts(1 if strategy.decides_epochs else budget["epochs"], batch_size,
                     prepared.space)
    check_plan(strategy, prepared.space, budget, allow_large=allow_large,
               folds=_fold_count(cv) if strategy.cross_validated else 1)
    proposer = strategy.proposer(prepared.space, budget, random_state)
    if strategy.cross_validated:
        if callbacks is not None:
            fit_settings["callbacks"] = callbacks
        evaluation = _cross_validation(prepared, budget, cv=cv, scoring=scoring,
                                       batch_size=batch_size, random_state=random_state,
                                       n_jobs=n_jobs, fit_settings=fit_settings)
    else:
        if validation is None:
            prepared, validation = hold_out(prepared, validation_data, validation_split,
                                            random_state)
        evaluation = _holdout(strategy, prepared, validation, budget, scoring=scoring,
                              batch_size=batch_size, random_state=random_state,
                              callbacks=callbacks, n_jobs=n_jobs)
    progress = progress_object(progress)
    header = run_fingerprint(
        strategy.name, prepared.space, data=evaluation.data, folds=evaluation.folds,
        build_fn=prepared.build_fn, settings={**evaluation.fit_params,
                                              **_budget_settings(strategy, budget),
                                              **_concurrency(proposer, evaluation.workers)},
        callbacks=evaluation.callbacks, scoring=scoring_name(scoring, prepared.task))
    records, stopped = _run_in_folder(
        strategy, proposer, evaluation.evaluator, header, directory=directory,
        project_name=project_name, resume=resume, overwrite=overwrite, progress=progress,
        workers=evaluation.workers)
    return _finish(records, strategy=strategy.name, space=prepared.space, progress=progress,
                   stopped=stopped, build_fn=prepared.build_fn, task=prepared.task,
                   fit_params=evaluation.fit_params, scoring=scoring_name(scoring, prepared.task))


def run_on(strategy: Strategy, prepared: Prepared, validation: tuple | None, *, cv=None,
                  budget: Mapping[str, Any] | None = None, **settings) -> SearchResult:
    """One strategy on prepared data: grid and random search are scored on ``validation`` as
    one fold when ``cv`` is None, the others on ``validation`` (held out when None)."""
    budget = {**strategy_registry.budget_defaults(), **(budget or {})}
    if not strategy.cross_validated:
        return run(strategy, prepared, budget, validation=validation, **settings)
    settings.pop("callbacks", None)  # keras-tuner's trial callbacks: not the estimator's fit
    if cv is None and validation is not None:
        prepared, cv = validation_fold(prepared, validation)
    return run(strategy, prepared, budget, cv=3 if cv is None else cv, **settings)
