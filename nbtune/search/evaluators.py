"""How a trial is evaluated: Keras training, cross-validated or on a holdout set.

An evaluator turns a :class:`~nbtune.search.proposers.Proposal` into the trial's
outcome: ``score``, ``score_std``, ``train_epochs``, ``epochs_spent``,
``seconds``, ``status`` (``"ok"`` or ``"failed"``), ``fit_path`` (how the
models trained: :func:`fit_path_of`) and, for a failure, ``error``. A failing
trial is an outcome too: the search goes on.

- :class:`CrossValidation` (grid and random search) cross-validates nbtune's
  estimator with scikit-learn's ``cross_validate``; trials with the same
  :meth:`~CrossValidation.group_key` may train side by side, fold by fold
  (:meth:`~CrossValidation.evaluate_group`, :mod:`nbtune.training.side_by_side`);
- :class:`Holdout` (Hyperband, Bayesian optimisation, successive halving)
  trains one model and scores it on the validation data; a trial that
  continues another (a promotion) trains the parent's model on, in memory,
  with its optimizer state (:meth:`nbtune.KerasClassifier.partial_fit`).

Both build and train through the estimator, so the build checks, the
compiling of an uncompiled model, the NaN-loss stop and the scorer are the
same for every strategy.
"""

from __future__ import annotations

import contextlib
import copy
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
from sklearn.base import clone
from sklearn.metrics import check_scoring, get_scorer
from sklearn.model_selection import cross_validate
from sklearn.utils import _safe_indexing  # public: in scikit-learn's API reference

from nbtune.backend import import_keras, import_keras_tuner
from nbtune.search.proposers import Proposal
from nbtune.training import engine, side_by_side

#: Trials numbered ``k * GROUP_TRIALS`` to ``(k + 1) * GROUP_TRIALS - 1`` of an
#: independent proposer may train together (:func:`units`). Fixed by trial numbers,
#: so a resumed search forms the same groups and gets the same numbers.
GROUP_TRIALS = 16


def error_text(exc: BaseException) -> str:
    """A failed trial's ``error``: the exception's type and message."""
    return f"{type(exc).__name__}: {exc}".strip()


def fit_path_of(estimators: Sequence[Any]) -> str:
    """A trial's ``fit_path``: how its fits ran, ``"graph"`` or ``"keras"``
    (:mod:`nbtune.training.graph_fit`), or both joined by ``+`` when its fits differed.

    Examples
    --------
    >>> from types import SimpleNamespace as Fitted
    >>> fit_path_of([Fitted(fit_path_="graph"), Fitted(fit_path_="keras")])
    'graph+keras'
    """
    paths = sorted({getattr(e, "fit_path_", "keras") for e in estimators})
    return "+".join(paths)


def units(proposals: Sequence[Proposal], evaluator: Any) -> list[list[Proposal]]:
    """``proposals`` (trials of one :data:`GROUP_TRIALS` block) as units that train together.

    Proposals with the same ``evaluator.group_key`` (not None) form one unit, in
    the order they first appear, if ``evaluator.worth_grouping`` says so; every
    other proposal is a unit of its own. An evaluator without ``evaluate_group``
    trains each alone.

    Examples
    --------
    >>> class ByBatch:
    ...     def group_key(self, proposal):
    ...         return proposal.params.get("batch_size")
    ...     def worth_grouping(self, proposals):
    ...         return True
    ...     def evaluate_group(self, proposals): ...
    >>> found = units([Proposal(n, {"batch_size": b}) for n, b in enumerate([32, None, 64, 32])],
    ...               ByBatch())
    >>> [[p.number for p in unit] for unit in found]
    [[0, 3], [1], [2]]
    """
    if not hasattr(evaluator, "evaluate_group"):
        return [[p] for p in proposals]
    found: dict[Hashable, list[Proposal]] = {}
    for proposal in proposals:
        key = evaluator.group_key(proposal)
        found.setdefault(("alone", proposal.number) if key is None else key, []).append(proposal)
    return [unit for group in found.values()
            for unit in ([group] if evaluator.worth_grouping(group) else [[p] for p in group])]


def evaluate_unit(evaluator: Any, unit: Sequence[Proposal]) -> list[dict[str, Any]]:
    """The outcomes of a unit's trials: trained alone, or together (``evaluate_group``)."""
    if len(unit) == 1:
        return [evaluator.evaluate(unit[0])]
    return evaluator.evaluate_group(list(unit))


class UnitEvaluator:
    """``evaluator`` taking units (lists of proposals that train together), as worker
    processes get it (:mod:`nbtune.search.workers`)."""

    def __init__(self, evaluator: Any) -> None:
        self.evaluator = evaluator

    def session(self) -> contextlib.AbstractContextManager:
        return self.evaluator.session()

    def evaluate(self, unit: Sequence[Proposal]) -> list[dict[str, Any]]:
        return evaluate_unit(self.evaluator, unit)


def cv_outcome(scores: Sequence[float], estimators: Sequence[Any]) -> dict[str, Any]:
    """A cross-validated trial's outcome from its folds' scores and fitted estimators."""
    fold_epochs = [len(e.history_.get("loss", ())) for e in estimators]
    return dict(score=float(np.mean(scores)), score_std=float(np.std(scores)),
                train_epochs=int(np.max(fold_epochs)), epochs_spent=int(np.sum(fold_epochs)),
                status="ok", fit_path=fit_path_of(estimators))


def failed_outcome(exc: BaseException) -> dict[str, Any]:
    """A failed trial's outcome: no score, and the error that failed it."""
    return dict(score=np.nan, status="failed", error=error_text(exc))


@runtime_checkable
class Evaluator(Protocol):
    """What the trial loop needs to evaluate trials."""

    def session(self) -> contextlib.AbstractContextManager:
        """A context the trials of one search run in (model reuse, memory: see nbtune.training.engine)."""

    def evaluate(self, proposal: Proposal) -> dict[str, Any]:
        """Train and score one proposal: its outcome (a failure is an outcome too)."""


class CrossValidation:
    """Cross-validate the estimator on every configuration (grid and random search).

    Parameters
    ----------
    base : KerasClassifier or KerasRegressor
        The estimator; each trial is ``clone(base).set_params(**params)``.
    X, y : arrays
    splits : list of (train, test) index arrays
    scoring : str, callable or None
        As ``cross_validate``'s.

    Examples
    --------
    >>> import keras
    >>> from sklearn.model_selection import KFold
    >>> from nbtune import KerasClassifier, data
    >>> from nbtune.search.proposers import Proposal
    >>> def build(units=4):
    ...     return keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                              keras.layers.Dense(2, activation="softmax")])
    >>> X, y = data.load_breast_cancer().train
    >>> cv = CrossValidation(KerasClassifier(build, epochs=1), X, y,
    ...                      list(KFold(2).split(X)), None)
    >>> cv.evaluate(Proposal(0, {"units": 8}))["epochs_spent"]
    2
    """

    def __init__(self, base: Any, X: np.ndarray, y: np.ndarray, splits: list, scoring: Any) -> None:
        self.base, self.X, self.y, self.splits, self.scoring = base, X, y, splits, scoring

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """The models of a configuration's folds, and of the next ones, reused, and garbage
        collection kept cheap (nbtune.training.engine)."""
        with engine.frozen_heap(), engine.reusing_models():
            yield

    def evaluate(self, proposal: Proposal) -> dict[str, Any]:
        """Cross-validate one configuration; runs in the search's process or in a worker."""
        started = time.perf_counter()
        # in a worker: one traced model for the folds; in the search's process the
        # search's own pool (and frozen heap) is reused across configurations
        with engine.frozen_heap(), engine.reusing_models():
            try:
                estimator = clone(self.base).set_params(**proposal.params)
                out = cross_validate(estimator, self.X, self.y, cv=self.splits,
                                     scoring=self.scoring, error_score="raise",
                                     return_estimator=True)
                outcome = cv_outcome(out["test_score"], out["estimator"])
            except Exception as exc:  # a failing trial is recorded, the search goes on
                outcome = failed_outcome(exc)
        outcome["seconds"] = time.perf_counter() - started
        return outcome

    def group_key(self, proposal: Proposal) -> Hashable | None:
        """What trials that may train side by side share (:func:`nbtune.training.side_by_side.group_key`)."""
        try:
            return side_by_side.group_key(clone(self.base).set_params(**proposal.params))
        except Exception:  # a wrong value: its own trial fails and says why
            return None

    def worth_grouping(self, proposals: Sequence[Proposal]) -> bool:
        """Whether trials of one :meth:`group_key` train faster side by side
        (:func:`nbtune.training.side_by_side.worth_grouping`)."""
        return len(proposals) > 1 and side_by_side.worth_grouping([p.params for p in proposals])

    def evaluate_group(self, proposals: Sequence[Proposal]) -> list[dict[str, Any]]:
        """Cross-validate configurations of one :meth:`group_key` side by side, fold by fold.

        Each trial's outcome is what :meth:`evaluate` gives it, but for the
        dropout masks and rounding (:mod:`nbtune.training.side_by_side`); its
        ``seconds`` is an equal share of the group's.
        """
        started = time.perf_counter()
        try:
            with engine.frozen_heap(), engine.reusing_models():
                folds = _GroupFolds([clone(self.base).set_params(**p.params) for p in proposals])
                for train, test in self.splits:
                    folds.fit_and_score(self._rows(train), self._rows(test), self.scoring)
        except Exception:  # the group itself failed (not one trial): each trial alone says why
            return [self.evaluate(proposal) for proposal in proposals]
        seconds = (time.perf_counter() - started) / len(proposals)
        return [{**outcome, "seconds": seconds} for outcome in folds.outcomes()]

    def _rows(self, index: np.ndarray) -> tuple[Any, Any]:
        return _safe_indexing(self.X, index), _safe_indexing(self.y, index)


class _GroupFolds:
    """The folds of a group of configurations: their scores, fitted estimators and errors."""

    def __init__(self, bases: list[Any]) -> None:
        self.bases = bases
        self.errors: list[BaseException | None] = [None] * len(bases)
        self.scores: list[list[float]] = [[] for _ in bases]
        self.fitted: list[list[Any]] = [[] for _ in bases]
        self.programs: dict = {}  # a group traced for one fold trains the next folds too

    def fit_and_score(self, train: tuple[Any, Any], test: tuple[Any, Any], scoring: Any) -> None:
        """One fold: the configurations not yet failed, fitted side by side and scored."""
        live = [i for i, error in enumerate(self.errors) if error is None]
        estimators = [clone(self.bases[i]) for i in live]
        failed = side_by_side.fit_side_by_side(estimators, *train, programs=self.programs)
        for i, estimator, error in zip(live, estimators, failed, strict=True):
            try:
                if error is not None:
                    raise error
                self.scores[i].append(float(check_scoring(estimator, scoring)(estimator, *test)))
                self.fitted[i].append(estimator)
            except Exception as exc:  # as cross_validate's error_score="raise": the trial fails
                self.errors[i] = exc

    def outcomes(self) -> list[dict[str, Any]]:
        """Each configuration's outcome, as :meth:`CrossValidation.evaluate` gives it."""
        return [failed_outcome(error) if error is not None else cv_outcome(scores, fitted)
                for error, scores, fitted in zip(self.errors, self.scores, self.fitted, strict=True)]


class Holdout:
    """Train one model per trial and score it on validation data.

    A proposal with a ``parent`` continues that trial's model (weights and
    optimizer state) from the parent's epoch, in memory. A parent trained in
    an earlier session (``resume=True``) is trained again first, along its
    ``lineage``, seeded, so it has the same weights.

    Parameters
    ----------
    base : KerasClassifier or KerasRegressor
        The estimator; each trial is ``clone(base).set_params(**params)``.
    X, y : arrays
        Training data.
    X_val, y_val : arrays
        Validation data, in y's labels.
    scoring : str, callable or None
        A scikit-learn scorer; None: the estimator's ``score``.
    callbacks : list of keras callbacks, optional
        Copied into every trial's fit (as keras-tuner does).
    own_fit : callable, optional
        A keras-tuner HyperModel's ``fit(hp, model, x, y, **kwargs)``, which
        then trains each model (``own_fit_names``: the names it declares).

    Examples
    --------
    >>> import keras
    >>> from nbtune import KerasClassifier, data
    >>> from nbtune.search.proposers import Proposal
    >>> def build(units=4):
    ...     return keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                              keras.layers.Dense(2, activation="softmax")])
    >>> cancer = data.load_breast_cancer()
    >>> holdout = Holdout(KerasClassifier(build, random_state=0), *cancer.train,
    ...                   *cancer.validation, scoring=None)
    >>> first = holdout.evaluate(Proposal(0, {"units": 8}, epochs=1, may_continue=True))
    >>> more = holdout.evaluate(Proposal(1, {"units": 8}, epochs=3, initial_epoch=1, parent=0))
    >>> first["train_epochs"], more["train_epochs"], more["epochs_spent"]
    (1, 3, 2)
    """

    def __init__(self, base: Any, X: np.ndarray, y: np.ndarray, X_val: np.ndarray,
                 y_val: np.ndarray, *, scoring: Any, callbacks: Sequence | None = None,
                 own_fit: Callable | None = None, own_fit_names: Sequence[str] = ()) -> None:
        self.base, self.X, self.y, self.X_val, self.y_val = base, X, y, X_val, y_val
        self._scorer = get_scorer(scoring) if scoring is not None else None
        self._callbacks = list(callbacks or ())
        self._own_fit, self._own_fit_names = own_fit, tuple(own_fit_names)
        # validation data costs an evaluation per epoch (+45% for Hyperband on digits): only
        # for those that may use it; a callback can say it does not (ClearTrainingOutput)
        self._validate = own_fit is not None or any(
            getattr(c, "uses_validation_data", True) for c in self._callbacks)
        # trial -> (estimator, bracket, its model's state)
        self._held: dict[int, tuple[Any, int | None, list]] = {}

    @contextlib.contextmanager
    def session(self) -> Iterator[None]:
        """Garbage collection kept cheap and models reused (nbtune.training.engine: twins, built for
        another learning rate, share traced graphs); the models kept for promotion are
        dropped when the search ends. A HyperModel's own fit may compile the model again,
        so its models are not reused."""
        reuse = engine.reusing_models() if self._own_fit is None else contextlib.nullcontext()
        try:
            with engine.frozen_heap(), reuse:
                yield
        finally:
            self._held.clear()

    def evaluate(self, proposal: Proposal) -> dict[str, Any]:
        """Train (or train on) and score one proposal."""
        started = time.perf_counter()
        self._drop_other_brackets(proposal.bracket)
        try:
            estimator, spent = self._trained(proposal)
            score = (self._scorer(estimator, self.X_val, self.y_val) if self._scorer
                     else estimator.score(self.X_val, self.y_val))
            outcome = dict(score=float(score), score_std=np.nan,
                           train_epochs=int(proposal.initial_epoch + spent),
                           epochs_spent=int(spent), status="ok",
                           fit_path=fit_path_of([estimator]))
            if proposal.may_continue:
                self._hold(proposal.number, estimator, proposal.bracket)
        except Exception as exc:  # a failing trial is recorded, the search goes on
            outcome = failed_outcome(exc)
        outcome["seconds"] = time.perf_counter() - started
        return outcome

    def _drop_other_brackets(self, bracket: int | None) -> None:
        """Models of finished brackets will not be continued: free them."""
        for number in [n for n, (_, b, _) in self._held.items() if b != bracket]:
            del self._held[number]

    def _hold(self, number: int, estimator: Any, bracket: int | None) -> None:
        """Keep a trained estimator for promotion, and its model's state: meanwhile the
        search's model pool may give that model to another configuration (nbtune.training.engine)."""
        self._held[number] = (estimator, bracket, engine.model_state(estimator.model_))

    def _let_go(self, number: int) -> Any:
        """The held estimator of trial ``number``, its model as it was when it was held."""
        estimator, _, state = self._held.pop(number)
        engine.restore_state(estimator.model_, state)
        return estimator

    def _trained(self, proposal: Proposal) -> tuple[Any, int]:
        """The trial's trained estimator and the epochs this trial trained."""
        if proposal.parent is None:
            estimator = clone(self.base).set_params(**proposal.params)
        elif proposal.parent in self._held:
            estimator = self._let_go(proposal.parent)
        else:
            estimator = self._retrained(proposal)
        return estimator, self._train(estimator, proposal)

    def _retrained(self, proposal: Proposal) -> Any:
        """The parent of ``proposal`` trained again along its lineage (a resumed search)."""
        estimator = clone(self.base).set_params(**proposal.params)
        for _, initial_epoch, epochs in proposal.lineage:
            step = Proposal(-1, proposal.params, epochs=epochs, initial_epoch=initial_epoch,
                            parent=None if initial_epoch == 0 else -1)
            self._train(estimator, step)
        return estimator

    def _train(self, estimator: Any, proposal: Proposal) -> int:
        """Train ``estimator`` to ``proposal.epochs``; the epochs really trained."""
        epochs = proposal.epochs or proposal.params.get("epochs", self.base.epochs)
        fit_kwargs: dict[str, Any] = {"callbacks": self._copied_callbacks()}
        if self._validate:  # for callbacks that watch val_* (EarlyStopping) and for own fits
            fit_kwargs["validation_data"] = (self.X_val, self.y_val)
        if self._own_fit is not None:
            return self._train_own_fit(estimator, proposal, epochs, fit_kwargs)
        if proposal.parent is None:
            estimator.fit(self.X, self.y, epochs=epochs, **fit_kwargs)
            return len(estimator.history_.get("loss", ())) or epochs
        before = len(estimator.history_.get("loss", ()))
        estimator.partial_fit(self.X, self.y, epochs=epochs - proposal.initial_epoch, **fit_kwargs)
        return len(estimator.history_.get("loss", ())) - before

    def _train_own_fit(self, estimator: Any, proposal: Proposal, epochs: int,
                       fit_kwargs: dict[str, Any]) -> int:
        """Train with a HyperModel's own fit, called as keras-tuner calls it."""
        keras, kt = import_keras(), import_keras_tuner()
        if proposal.parent is None:
            estimator.initialize(self.X, self.y)
        model = estimator.model_
        units = int(keras.ops.shape(model(self.X[:1], training=False))[-1])
        X_val, y_val = fit_kwargs.pop("validation_data")
        y_val = estimator.encode_targets(_class_indices(estimator, y_val), model, units)
        y_fit = estimator.encode_targets(_class_indices(estimator, self.y), model, units)
        hp = kt.HyperParameters()
        hp.values = dict(proposal.params)
        # as keras-tuner calls it: no batch_size (the fit often sets its own), no epochs
        # if the fit declares them
        kwargs = dict(initial_epoch=proposal.initial_epoch, verbose=0,
                      validation_data=(X_val, y_val), **fit_kwargs)
        if "epochs" not in self._own_fit_names:
            kwargs["epochs"] = epochs
        with engine.tracking_gradients(model), engine.quiet_retracing():
            result = self._own_fit(hp, model, self.X, y_fit, **kwargs)
        history = _history_of(result, model, keras)
        _check_losses(history, proposal.initial_epoch)
        losses = history.history.get("loss", []) if history is not None else []
        return len(losses) or epochs - proposal.initial_epoch

    def _copied_callbacks(self) -> list:
        """The callbacks, copied for this trial as keras-tuner copies them (when they can be)."""
        try:
            return copy.deepcopy(self._callbacks)
        except Exception:  # not copyable (holds a lock, a widget...): share them
            return list(self._callbacks)


def _class_indices(estimator: Any, y: np.ndarray) -> np.ndarray:
    """y as the model trains on it: class indices for a classifier, as given for a regressor."""
    classes = getattr(estimator, "classes_", None)
    return np.asarray(y, dtype=np.float32) if classes is None else np.searchsorted(classes, y)


def _history_of(result: Any, model: Any, keras: Any) -> Any:
    """The History of a trial's training: what a HyperModel's fit returned, or the model's last.

    A fit that runs its own loop (no ``model.fit``) has none: None.
    """
    for candidate in (result, getattr(model, "history", None)):
        if isinstance(candidate, keras.callbacks.History) and candidate.history:
            return candidate
    return None


def _check_losses(history: Any, initial_epoch: int) -> None:
    """A NaN or infinite training loss fails the trial, with the epoch and the fix."""
    losses = np.asarray(history.history.get("loss", []) if history else [], dtype=float)
    if losses.size and not np.all(np.isfinite(losses)):
        first = int(np.argmin(np.isfinite(losses))) + initial_epoch + 1
        raise ValueError(
            f"Training diverged: the loss became {losses[first - initial_epoch - 1]} at "
            f"epoch {first}. Try a smaller learning rate (e.g. 10 times smaller) or scale "
            "the inputs (e.g. StandardScaler)."
        )
