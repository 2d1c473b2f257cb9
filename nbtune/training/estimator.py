"""scikit-learn estimators around a Keras build function.

:class:`KerasClassifier` and :class:`KerasRegressor` replace the
``tensorflow.keras.wrappers.scikit_learn`` wrappers that TensorFlow 2.13 removed.
They are ordinary scikit-learn estimators, so ``GridSearchCV``,
``RandomizedSearchCV``, ``cross_val_score``, ``clone`` and pipelines work with them.

Parameters are routed by name (:mod:`nbtune.training.routing`). A name that the build
function accepts goes to the build function; a name of ``keras.Model.fit``
(:data:`FIT_PARAMS`: ``epochs``, ``batch_size``, ``class_weight``,
``validation_data``...) goes to ``model.fit``. So one flat parameter grid can mix both::

    GridSearchCV(KerasClassifier(build_fn=create_model),
                 {"units": [32, 64], "batch_size": [16, 32], "epochs": [5, 10]})

The old wrapper's call surface works too: ``clf.fit(X, y, epochs=5)`` (Keras
arguments for that call only), ``predict(X, batch_size=...)``,
``build_fn=None`` on a subclass that defines ``__call__``, one-hot ``y``, and
``clf.fit(X, y).history["loss"]``. So do Keras 3's ``keras.wrappers`` forms: a
``keras.Model`` instance as ``model=``, ``model_kwargs=`` / ``fit_kwargs=`` and a
build function that takes ``X`` and ``y``.

Importing this module does not import TensorFlow or Keras; they are imported
on the first ``fit``.

Why one module of about 1000 lines: the two estimators share one base class
whose private hooks (``_fit_data``, ``_encode_validation_y``,
``_check_output_units``...) each subclass overrides; split over modules, every
hook would become a private name reached across them. No method is over 60
lines, and half the module is docstrings with runnable examples.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.special import expit, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.metrics import accuracy_score, r2_score
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from nbtune.backend import import_keras
from nbtune.formatting import to_python
from nbtune.space.build_fns import as_kwargs_build_fn, hypermodel_fit, is_hp_build_fn
from nbtune.training import compat, engine, fit_checks, graph_fit, routing
from nbtune.training.routing import FIT_CALL_ONLY, FIT_PARAMS, PREDICT_KWARGS

# Predictions are computed in blocks of this many rows, the last block padded with
# zeros. Every forward pass then has the same shape, so a sample's prediction does
# not depend on which other samples were predicted with it (float32 matrix products
# of different shapes can differ in the last bit).
_PREDICT_BLOCK = 256

# the estimator parameters that __init__ names (all others live in _build_params)
_SIGNATURE_FIT_PARAMS = ("epochs", "batch_size", "validation_split", "callbacks", "shuffle",
                         "verbose")

# build-function arguments filled in from the training data that are arrays, not sizes
_DATA_ARGS = ("X", "y")


def _keras():
    return import_keras()  # on first use: `import nbtune` must not import TensorFlow


def _is_keras_model(obj: Any) -> bool:
    """Whether ``obj`` is a ``keras.Model`` instance (without importing Keras)."""
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(obj, keras.Model)


def _model_copier(model: Any) -> Callable[[], Any]:
    """A build function that returns a fresh copy of ``model`` (Keras 3's ``model=<Model>``).

    The copy has the same layers, newly initialised weights, and the same
    compile settings with a new optimizer, so fits never share state.
    """

    def copy_of_model():
        clone_ = _keras().models.clone_model(model)
        if getattr(model, "compiled", False):
            clone_.compile_from_config(model.get_compile_config())
        return clone_

    copy_of_model.__name__ = f"copy_of_{model.name}"
    return copy_of_model


@functools.cache
def _stop_on_nan_class() -> type:
    """A quiet ``keras.callbacks.TerminateOnNaN`` (which prints even at verbose=0)."""

    class StopOnNaN(_keras().callbacks.Callback):
        _nbtune_batch_safe = True  # checks each call's last loss: fine with many steps per call
        _nbtune_graph_safe = True  # nbtune.training.graph_fit checks the loss in the graph

        def on_train_batch_end(self, batch, logs=None):
            loss = (logs or {}).get("loss")
            if loss is not None and not np.isfinite(loss):
                self.model.stop_training = True  # fit() then raises, naming the epoch

    return StopOnNaN


def _outputs_logits(model: Any) -> bool:
    """Whether the model was compiled with a loss that takes logits (``from_logits=True``)."""
    return bool(getattr(getattr(model, "loss", None), "from_logits", False))


def _check_call_kwargs(kwargs: dict, allowed: tuple[str, ...], method: str) -> None:
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise TypeError(
            f"{method}() got unexpected keyword arguments {unknown}; it accepts Keras's "
            f"{list(allowed)}. Build-function arguments belong to the estimator: "
            f"KerasClassifier(model=..., {unknown[0]}=...) or est.set_params({unknown[0]}=...)."
        )


def _holds_strings(y: Any) -> bool:
    values = np.asarray(y)
    if values.dtype.kind in "US":
        return True
    return values.dtype.kind == "O" and any(isinstance(v, str) for v in values.ravel()[:20])


def _steps_in_fit(rows: int, settings: dict[str, Any]) -> int | None:
    """Training steps of a fit over ``rows`` samples with these fit settings (None: unknown)."""
    epochs, batch_size = settings.get("epochs"), settings.get("batch_size") or 32
    split = settings.get("validation_split") or 0.0
    if not isinstance(epochs, numbers.Integral) or not isinstance(batch_size, numbers.Integral):
        return None
    return int(epochs) * math.ceil(rows * (1 - split) / max(int(batch_size), 1))


class _KerasEstimator(BaseEstimator):
    """Shared logic of :class:`KerasClassifier` and :class:`KerasRegressor`.

    Subclasses validate X and y in ``fit`` and then call ``_fit``; they provide
    ``_meta_args``, ``_check_output_units``, ``default_compile``,
    ``encode_targets``, ``adopt_model`` and ``_encode_validation_y``.
    """

    # names the estimator fills in from the data when the build function asks for them
    _meta_args: tuple[str, ...] = ("n_features_in", "input_shape", *_DATA_ARGS)

    def __init__(
        self,
        model: Callable[..., Any] | Any | None = None,
        *,
        build_fn: Callable[..., Any] | None = None,
        epochs: int = 10,
        batch_size: int | None = 32,
        validation_split: float = 0.0,
        callbacks: list | None = None,
        shuffle: bool = True,
        verbose: int = 0,
        random_state: int | np.random.RandomState | None = None,
        **build_params: Any,
    ) -> None:
        self.model = model
        self.build_fn = build_fn
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_split = validation_split
        self.callbacks = callbacks
        self.shuffle = shuffle
        self.verbose = verbose
        self.random_state = random_state
        self._build_params = {}
        for key, value in routing.flatten_keras_wrapper_params(build_params).items():
            if key in _SIGNATURE_FIT_PARAMS:
                setattr(self, key, value)  # e.g. fit_kwargs={"epochs": 5}
            else:
                self._build_params[key] = value

    # ---------------------------------------------------------------- parameters
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters of this estimator, including the build-function and extra fit
        parameters set."""
        params = super().get_params(deep=deep)
        params.update(self._build_params)
        return params

    def set_params(self, **params: Any) -> _KerasEstimator:
        """Set parameters; any argument name of the build function or of ``Model.fit``.

        Raises
        ------
        ValueError
            If a name is neither a build-function argument nor an estimator/fit
            parameter (checked when the build function is known).
        """
        params = routing.flatten_keras_wrapper_params(params)
        own = set(self._get_param_names())
        new_build = {k: v for k, v in params.items() if k not in own}
        if new_build:
            model = params.get("model", self.model)
            fn = self._build_function(model, params.get("build_fn", self.build_fn), strict=False)
            if fn is not None:
                self._check_build_names(fn, new_build)
        for key, value in params.items():
            if key in own:
                setattr(self, key, value)
            else:
                self._build_params[key] = value
        return self

    def __sklearn_clone__(self) -> _KerasEstimator:
        """A clone with the same parameters; a ``keras.Model`` given as ``model=`` is
        shared, not deep-copied (nbtune never trains it, it trains copies)."""
        if not _is_keras_model(self.model):
            return super().__sklearn_clone__()  # scikit-learn's own clone
        params = {name: value if name == "model" else clone(value, safe=False)
                  for name, value in self.get_params(deep=False).items()}
        return type(self)(**params)

    def _build_function(self, model: Any, build_fn: Any, strict: bool = True) -> Callable | None:
        """The build function to call (keyword form), or None if unknown and not strict."""
        if model is not None and build_fn is not None:
            if not strict:
                return None
            raise ValueError(
                "Got both model= and build_fn=. They are the same argument (build_fn is the "
                "old spelling); pass only one, e.g. KerasClassifier(model=create_model)."
            )
        fn = model if model is not None else build_fn
        if fn is None and callable(self):
            return self.__call__  # the old wrapper: build_fn=None on a subclass with __call__
        if _is_keras_model(fn):
            return _model_copier(fn)
        if hypermodel_fit(fn) is not None:
            if not strict:
                return None
            raise TypeError(
                f"model={fn!r} is a keras-tuner HyperModel with its own fit(), which "
                f"{type(self).__name__} cannot run: scikit-learn calls the estimator's fit. "
                "Use nbtune.hyperband or nbtune.bayesian, which call it as keras-tuner does, "
                "or pass model=hypermodel.build to train it with a plain fit."
            )
        not_a_builder = not callable(fn) or (hasattr(fn, "fit") and hasattr(fn, "predict"))
        if not_a_builder and not is_hp_build_fn(fn):  # a HyperModel is not callable
            if not strict:
                return None
            raise TypeError(
                "model= must be a function that builds and returns a new Keras model, or a "
                f"keras.Model, got {fn!r}. Write one, e.g. `def create_model(units=64): ...` "
                "and pass KerasClassifier(model=create_model)."
            )
        return as_kwargs_build_fn(fn) if is_hp_build_fn(fn) else fn

    def _check_build_names(self, fn: Callable, names) -> None:
        routing.check_build_names(fn, names, estimator=type(self).__name__,
                                  meta_args=self._meta_args)

    def _fit_settings(self, call_kwargs: dict[str, Any]) -> dict[str, Any]:
        """``Model.fit`` arguments: the estimator's, overridden by this call's."""
        _check_call_kwargs(call_kwargs, FIT_PARAMS + FIT_CALL_ONLY, "fit")
        settings = {name: getattr(self, name) for name in _SIGNATURE_FIT_PARAMS}
        settings.update({k: v for k, v in self._build_params.items() if k in FIT_PARAMS})
        settings.update(call_kwargs)
        return {k: to_python(v) for k, v in settings.items()}

    def _checked_settings(self, call_kwargs: dict[str, Any], X: np.ndarray) -> dict[str, Any]:
        """``Model.fit`` arguments for training on X, every one checked before a model is
        built (:mod:`nbtune.training.fit_checks`); weights and validation data made arrays."""
        settings = self._fit_settings(call_kwargs)
        fit_checks.check_fit_settings(settings, rows=len(X))
        fit_checks.check_seed(self.random_state)
        settings["callbacks"] = fit_checks.check_callbacks(settings.get("callbacks"))
        if settings.get("sample_weight") is not None:
            settings["sample_weight"] = fit_checks.check_sample_weight(settings["sample_weight"],
                                                                       len(X))
        if settings.get("validation_data") is not None:
            X_val, y_val, *weights = fit_checks.check_validation_data(settings["validation_data"], X)
            settings["validation_data"] = (X_val, self._encode_validation_y(y_val), *weights)
        if settings.get("class_weight") is not None:
            settings["class_weight"] = self._encode_class_weight(settings["class_weight"])
        return settings

    # ---------------------------------------------------------------- fitting
    def initialize(self, X: Any, y: Any) -> _KerasEstimator:
        """Build and compile the model for X, y without training it; return self.

        As scikeras's ``initialize``: afterwards ``model_`` is the built model,
        ready for ``partial_fit`` or for a training loop of the user's own.

        Examples
        --------
        >>> import keras, numpy as np
        >>> from nbtune import KerasRegressor
        >>> def build(n_features_in):
        ...     return keras.Sequential([keras.Input((n_features_in,)), keras.layers.Dense(1)])
        >>> reg = KerasRegressor(build).initialize(np.ones((4, 3)), np.ones(4))
        >>> reg.model_.count_params(), reg.history_
        (4, {})
        """
        X, _, meta, settings = self._checked_fit(X, y, {}, learn=True)
        self._build(X, meta, settings["callbacks"])
        return self

    def prepare_fit(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
        """Check X, y and the fit settings and build the model, as ``fit`` does, without training.

        For a fit that trains ``model_`` elsewhere (side by side with other
        models: :mod:`nbtune.training.side_by_side`), then hands its history to
        :meth:`adopt_history`.

        Returns
        -------
        X, y : ndarray
            As the model trains on them (a classifier's y as class indices).
        settings : dict
            The checked ``Model.fit`` arguments, ``callbacks`` among them.

        Examples
        --------
        >>> import keras, numpy as np
        >>> from nbtune import KerasRegressor
        >>> def build(n_features_in):
        ...     return keras.Sequential([keras.Input((n_features_in,)), keras.layers.Dense(1)])
        >>> X, y, settings = KerasRegressor(build, epochs=3).prepare_fit(np.ones((4, 3)), np.ones(4))
        >>> X.shape, settings["epochs"]
        ((4, 3), 3)
        """
        X, y, meta, settings = self._checked_fit(X, y, {}, learn=True)
        self._build(X, meta, settings["callbacks"], steps_in_fit=_steps_in_fit(len(X), settings))
        return X, y, settings

    def adopt_history(self, history: dict[str, Sequence[float]], fit_path: str) -> _KerasEstimator:
        """Take the per-epoch history of ``model_``'s training done elsewhere; return self.

        A NaN or infinite loss raises ``ValueError`` (as ``fit`` does) and leaves
        the estimator unfitted.

        Examples
        --------
        >>> import keras, numpy as np
        >>> from nbtune import KerasRegressor
        >>> def build(n_features_in):
        ...     return keras.Sequential([keras.Input((n_features_in,)), keras.layers.Dense(1)])
        >>> reg = KerasRegressor(build)
        >>> _ = reg.prepare_fit(np.ones((4, 3)), np.ones(4))
        >>> reg.adopt_history({"loss": [0.5, 0.25]}, "branches").history_, reg.fit_path_
        ({'loss': [0.5, 0.25]}, 'branches')
        """
        history = {k: [float(v) for v in values] for k, values in history.items()}
        try:
            self._check_finite_loss(history, len(history.get("loss", ())))
        except ValueError:
            self.__dict__.pop("model_", None)  # a failed fit must not look fitted
            raise
        self.history_, self.fit_path_, self.fit_path_reason_ = history, fit_path, None
        return self

    def partial_fit(self, X: Any, y: Any, classes: Any = None, **fit_kwargs: Any) -> _KerasEstimator:
        """Train the fitted (or initialized) model for more epochs; return self.

        An estimator not fitted yet is initialized first (as scikeras's); a
        classifier's ``classes`` (scikit-learn's ``partial_fit`` argument) then
        gives every label, when this y lacks some. Weights and optimizer state
        carry on from the last fit, the epochs are numbered on from it
        (callbacks see ``initial_epoch``) and ``history_`` grows. ``epochs``
        (default 1, as scikeras's ``partial_fit``) is how many epochs *more*.
        With ``random_state``, the fit is seeded with ``random_state + epochs
        already trained``, so the same steps give the same weights whatever ran
        in between.

        Fit settings (``epochs``, ``batch_size``, ``callbacks``, ``class_weight``...)
        may change between calls. What the model was built from may not: after
        ``set_params`` of a build-function argument (``units``, also
        ``learning_rate``, which the build function compiles in) or of ``model``,
        ``partial_fit`` refuses, naming it; call ``fit`` to build a new model.

        Examples
        --------
        >>> import keras, numpy as np
        >>> from nbtune import KerasRegressor
        >>> def build():
        ...     return keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        >>> X, y = np.ones((8, 3)), np.ones(8)
        >>> reg = KerasRegressor(build, epochs=2).fit(X, y).partial_fit(X, y, epochs=3)
        >>> len(reg.history_["loss"])
        5
        """
        fitted = hasattr(self, "model_")
        if fitted and classes is not None:
            self._check_same_classes(classes)
        X, y, meta, settings = self._checked_fit(X, y, {"epochs": 1, **fit_kwargs},
                                                 learn=not fitted, classes=classes)
        if fitted:
            self._check_unchanged_build(meta)
        else:
            self._build(X, meta, settings["callbacks"])
        return self._train(X, y, settings)

    def _check_same_classes(self, classes: Any) -> None:
        """``classes`` of a later ``partial_fit`` call are those the model was built for."""
        given = np.unique(np.asarray(classes)).tolist() if np.ndim(classes) == 1 else classes
        if given != np.asarray(self.classes_).tolist():
            raise ValueError(
                f"classes={classes!r} differs from the classes the model was built for "
                f"({np.asarray(self.classes_).tolist()}): a built model keeps its output units. "
                "Leave classes out after the first partial_fit, or call fit to build a new model"
            )

    def _check_unchanged_build(self, meta: dict[str, Any]) -> None:
        """Refuse to train on a model whose build arguments were changed since it was built."""
        built = self.__dict__.get("_built_with")
        if built is None:  # adopted: a model trained elsewhere
            return
        origin, old = built
        if self._origin() is not origin:
            changed = {"model": (origin, self._origin())}
        else:
            fn = self._build_function(self.model, self.build_fn)
            new = {k: v for k, v in self._build_kwargs(fn, meta).items() if k not in _DATA_ARGS}
            # an argument left out is the build function's default: compare the values it used
            defaults = {name: p.default for name, p in inspect.signature(fn).parameters.items()
                        if p.default is not p.empty}
            old, new = {**defaults, **old}, {**defaults, **new}
            changed = {k: (old.get(k), new.get(k)) for k in sorted(set(old) | set(new))
                       if repr(old.get(k)) != repr(new.get(k))}
        if changed:
            raise ValueError(fit_checks.changed_build_message(changed))

    def _origin(self) -> Any:
        """What the model is built from: ``model``, ``build_fn``, or this class's ``__call__``."""
        return self.model if self.model is not None else (self.build_fn or type(self))

    def _checked_fit(self, X: Any, y: Any, call_kwargs: dict[str, Any], *, learn: bool,
                     classes: Any = None) -> tuple[np.ndarray, np.ndarray, dict, dict]:
        """X, y, the build function's data arguments and the fit settings, all checked.

        A refusal leaves the estimator as it was: a fitted model is not lost to a typo.
        """
        before = dict(self.__dict__)
        try:
            fit_checks.check_same_rows(X, y)
            X, y, meta = self._fit_data(X, y, learn=learn, classes=classes)
            return X, y, meta, self._checked_settings(call_kwargs, X)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(before)
            raise

    def _fit(self, X: Any, y: Any, call_kwargs: dict[str, Any]) -> _KerasEstimator:
        X, y, meta, settings = self._checked_fit(X, y, call_kwargs, learn=True)
        self._build(X, meta, settings["callbacks"], steps_in_fit=_steps_in_fit(len(X), settings))
        try:
            return self._train(X, y, settings)
        except BaseException:
            self.__dict__.pop("model_", None)  # a failed fit must not look fitted
            raise

    def _build(self, X: np.ndarray, meta: dict[str, Any], callbacks: list,
               steps_in_fit: int | None = None) -> None:
        """A new (or pooled) model for this data as ``model_``, with an empty history.

        ``steps_in_fit``: the training steps of the fit it is built for (None: trained
        on by ``partial_fit``); a new model for a short fit runs one step per call."""
        self.__dict__.pop("model_", None)  # a failed build must not look fitted
        fn = self._build_function(self.model, self.build_fn)
        self._check_build_names(fn, self._build_params)
        kwargs = self._build_kwargs(fn, meta)
        steps = engine.steps_per_execution(callbacks)
        self.model_ = self._model_for_fit(fn, kwargs, X, self._seed(), steps, steps_in_fit)
        self.history_ = {}
        # what partial_fit checks is unchanged (the data arrays may change)
        self._built_with = (self._origin(), {k: v for k, v in kwargs.items() if k not in _DATA_ARGS})

    def _train(self, X: np.ndarray, y: np.ndarray, settings: dict[str, Any]) -> _KerasEstimator:
        """Train ``model_`` on from the epochs it has (none after a build), with checked settings."""
        keras = _keras()
        model = self.model_
        fit_kwargs = dict(settings)
        callbacks = fit_kwargs.pop("callbacks")
        done = len(self.history_.get("loss", ()))
        if done:  # partial_fit: `epochs` more, numbered on from the last
            fit_kwargs["initial_epoch"] = done
            fit_kwargs["epochs"] = done + fit_kwargs["epochs"]
        seed = self._seed()
        if seed is not None:  # the same random state whether the model is new or reused
            seed = (seed + done) % (fit_checks.MAX_SEED + 1)
        n_units = int(keras.ops.shape(model(X[:1], training=False))[-1])
        fit_kwargs = self._encode_fit_data(fit_kwargs, model, n_units)
        callbacks = [*callbacks, _stop_on_nan_class()()]
        history = self._run_fit(model, X, self.encode_targets(y, model, n_units), seed,
                                fit_kwargs, callbacks)
        history = {k: [float(v) for v in vals] for k, vals in history.items()}
        self._check_finite_loss(history, fit_kwargs.get("epochs"), first=done + 1)
        self.history_ = {k: [*self.history_.get(k, ()), *v] for k, v in history.items()}
        return self

    def _run_fit(self, model: Any, X: np.ndarray, targets: np.ndarray, seed: int | None,
                 fit_kwargs: dict, callbacks: list) -> dict:
        """One fit, in one graph call if it can (nbtune.training.graph_fit), else Keras's ``fit``."""
        self.fit_path_reason_ = graph_fit.keras_fit_needed(model, fit_kwargs, callbacks)
        self.fit_path_ = graph_fit.KERAS if self.fit_path_reason_ else graph_fit.GRAPH
        with engine.tracking_gradients(model), engine.quiet_retracing(), compat.keras_seeds(seed):
            if self.fit_path_ == graph_fit.GRAPH:  # its batch order comes from `seed` itself
                return graph_fit.fit_in_one_call(model, X, targets, seed=seed,
                                                 callbacks=callbacks, **fit_kwargs)
            if seed is not None:
                # Keras's shuffle reads the global seeds; setting them also empties
                # TensorFlow's cache of prepared graphs (about 0.14 s on the next call)
                _keras().utils.set_random_seed(seed)
            return model.fit(X, targets, callbacks=callbacks, **fit_kwargs).history

    def _model_for_fit(self, fn: Callable, kwargs: dict, X: np.ndarray, seed: int | None,
                       steps: int, steps_in_fit: int | None) -> Any:
        """A new model, or inside a search the pooled one for this configuration."""

        def build(steps=steps):
            return self._new_model(fn, kwargs, X, seed, steps)

        pool = engine.active_pool()
        takes_data = any(name in kwargs for name in _DATA_ARGS)  # built from the data itself
        if pool is None or seed is None or takes_data:  # a model for this one fit
            return build(engine.steps_for_one_fit(steps, steps_in_fit))
        key = (type(self), self._origin(), seed, steps, X.shape[1:],
               tuple(sorted((k, type(v), repr(v)) for k, v in kwargs.items())))
        return pool.fetch(key, build)

    def _encode_fit_data(self, fit_kwargs: dict, model: Any, n_units: int) -> dict:
        """Checked ``validation_data`` with its targets in the form the model's loss takes."""
        if fit_kwargs.get("validation_data") is not None:
            X_val, y_val, *rest = fit_kwargs["validation_data"]
            fit_kwargs["validation_data"] = (X_val, self.encode_targets(y_val, model, n_units), *rest)
        return fit_kwargs

    def _encode_class_weight(self, class_weight: Any) -> Any:
        raise ValueError(
            f"class_weight={class_weight!r}: a {type(self).__name__} has no classes to weight; "
            "weight rows instead: fit(X, y, sample_weight=...), one weight per row"
        )

    def _check_finite_loss(self, history: dict, epochs: Any, first: int = 1) -> None:
        for epoch, loss in enumerate(history.get("loss", []), start=first):
            if not np.isfinite(loss):
                raise ValueError(
                    f"Training diverged: the loss became {loss} at epoch {epoch} of "
                    f"{epochs}. Try a smaller learning rate (e.g. 10 times smaller) "
                    "or scale the inputs (e.g. StandardScaler)."
                )

    def _seed(self) -> int | None:
        """The integer seed of every fit, or None for no seeding."""
        seed = self.random_state
        if seed is None or isinstance(seed, numbers.Integral):
            return None if seed is None else int(seed)
        return int(check_random_state(seed).randint(np.iinfo(np.int32).max))

    def _new_model(self, fn: Callable, kwargs: dict, X: np.ndarray, seed: int | None,
                   steps: int) -> Any:
        """A freshly built, checked and compiled model."""
        # global Keras state otherwise grows over a search; TensorFlow's caches are emptied
        # only when they hold a collected model's graphs (emptying them costs every live one)
        compat.fresh_keras_state(seed, clear_caches=engine.traced_models_collected())
        # the build and the first call (where a model without keras.Input makes its weights)
        # draw Keras's default seeds from this trial's stream: no other thread can move them
        with compat.keras_seeds(seed):
            return self._checked_and_compiled(fn(**kwargs), X, steps)

    def _checked_and_compiled(self, model: Any, X: np.ndarray, steps: int) -> Any:
        """The built model, called once on X (which builds it), checked and compiled."""
        keras = _keras()
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"The build function must return a Keras model, got {type(model).__name__}. "
                "End it with `return model`."
            )
        try:
            n_units = int(keras.ops.shape(model(X[:1], training=False))[-1])
        except ValueError as error:
            raise ValueError(
                f"The model does not accept X of shape {X.shape[1:]} per sample: {error}\n"
                "Add an `input_shape` argument to the build function and start the model "
                "with keras.Input(input_shape) (or `n_features_in` and "
                "keras.Input((n_features_in,)) for a table)."
            ) from error
        self._check_output_units(n_units)
        self.ensure_compiled(model, n_units)
        if model.steps_per_execution == 1:  # the same steps, fewer calls (see nbtune.training.engine)
            model.steps_per_execution = steps
        return model

    def _build_kwargs(self, fn: Callable, meta: dict[str, Any]) -> dict[str, Any]:
        accepted, takes_any = routing.build_args(fn)
        available = {**self.get_params(deep=False), **meta}
        for name in ("model", "build_fn"):
            available.pop(name)
        kwargs = {n: available[n] for n in accepted if n in available}
        if takes_any:
            kwargs.update({k: v for k, v in self._build_params.items() if k not in FIT_PARAMS})
        missing = [
            name
            for name, p in inspect.signature(fn).parameters.items()
            if p.default is p.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            and name not in kwargs
        ]
        if missing:
            raise TypeError(
                f"The build function {getattr(fn, '__name__', '')}() needs a value for "
                f"{missing}: pass it to the estimator, e.g. "
                f"{type(self).__name__}(model=..., {missing[0]}=...), or give it a default."
            )
        return {k: to_python(v) for k, v in kwargs.items()}

    def _adopt(self, model: Any, n_features_in: int) -> None:
        self.model_ = model
        self.history_ = {}
        self.n_features_in_ = int(n_features_in)

    def ensure_compiled(self, model: Any, n_units: int) -> Any:
        """Compile ``model`` as ``fit`` does if it is not compiled yet; return it.

        Adam, with the loss (and metrics) of :meth:`default_compile` for a model
        of ``n_units`` outputs. A compiled model is left as it is. nbtune's
        keras-tuner trials build their models with this too.
        """
        if not getattr(model, "compiled", False):
            model.compile(optimizer="adam", **self.default_compile(n_units))
        return model

    @property
    def history(self) -> dict[str, list[float]]:
        """Per-epoch metrics of the last fit (the same dict as ``history_``).

        The old wrapper's ``fit`` returned Keras's ``History``; nbtune's returns
        the estimator (scikit-learn's rule), and this keeps
        ``history = clf.fit(X, y); history.history["loss"]`` working.
        """
        return self.history_

    # ---------------------------------------------------------------- predicting
    def _forward(self, X: Any, predict_kwargs: dict, method: str) -> np.ndarray:
        """Model outputs for X as a float64 array of shape (n_samples, n_units)."""
        _check_call_kwargs(predict_kwargs, PREDICT_KWARGS, method)
        fit_checks.check_predict_kwargs(predict_kwargs)
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float32, accept_sparse=False,
                          allow_nd=True)
        keras = _keras()
        pad = -len(X) % _PREDICT_BLOCK
        X = np.concatenate([X, np.zeros((pad, *X.shape[1:]), dtype=X.dtype)])
        blocks = [
            keras.ops.convert_to_numpy(self.model_(X[i : i + _PREDICT_BLOCK], training=False))
            for i in range(0, len(X), _PREDICT_BLOCK)
        ]
        out = np.concatenate(blocks)[: len(X) - pad].astype(np.float64)
        return out.reshape(len(out), -1)

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "model_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False  # dense float32 arrays only; sparse X -> TypeError
        tags.input_tags.allow_nan = False
        tags.target_tags.multi_output = isinstance(self, RegressorMixin)  # y of 2 columns
        # Without random_state two fits differ (random initial weights and batches),
        # like MLPClassifier; with random_state they are repeatable, so the estimator
        # is not tagged non_deterministic.
        return tags


class KerasClassifier(ClassifierMixin, _KerasEstimator):
    """A scikit-learn classifier around a function that builds a Keras model.

    Parameters
    ----------
    model : callable or keras.Model, default=None
        Function returning a new Keras model, usually compiled. Its arguments
        are tunable parameters (``units=64``, ``learning_rate=1e-3``...). These
        arguments are filled in from the training data when the function has
        them: ``n_features_in``, ``n_classes``, ``input_shape`` (the shape of
        one sample, e.g. ``(8, 8)`` for images), and ``X``, ``y`` (the training
        data, y one-hot, as Keras 3's ``keras.wrappers`` pass them). A
        keras-tuner style ``build(hp)`` is accepted too: its hyperparameter
        names become the tunable parameters. A ``keras.Model`` instance is
        copied (same layers and compile settings, new weights and optimizer)
        for every fit. If the model is uncompiled, it is compiled with Adam and
        ``sparse_categorical_crossentropy`` (softmax output with one unit per
        class) or ``binary_crossentropy`` (one sigmoid unit), with accuracy as metric.
    build_fn : callable, default=None
        Old spelling of ``model`` (``tensorflow.keras.wrappers``); pass one of them.
        As there, a subclass that defines ``__call__`` may pass neither: its
        ``__call__`` builds the model.
    epochs, batch_size, validation_split, callbacks, shuffle, verbose
        Passed to ``model.fit``. Nothing is printed with ``verbose=0``. Every
        other argument of ``Model.fit`` (:data:`FIT_PARAMS`: ``class_weight``,
        ``validation_data``...) is accepted as a parameter too.
    random_state : int, RandomState or None, default=None
        Seed set with ``keras.utils.set_random_seed`` before each fit, so two fits
        with the same seed give the same model. This also reseeds Python's and
        NumPy's global random generators. None: no seeding.
    **build_params
        Values for the build function's arguments, e.g. ``units=64``, and other
        ``Model.fit`` arguments. Keras 3's ``model_kwargs={...}`` and
        ``fit_kwargs={...}`` are spread into these.

    Attributes
    ----------
    model_ : keras.Model
        The fitted Keras model (the old wrapper called it ``model``).
    history_ : dict of list
        Per-epoch training metrics, e.g. ``history_["loss"]``; also readable as
        ``history``, so ``clf.fit(X, y).history["loss"]`` works as it did.
    fit_path_ : {"graph", "keras", "branches"}
        How the last fit ran: ``"graph"``, every epoch in one traced call
        (:mod:`nbtune.training.graph_fit`), ``"keras"``, Keras's own ``fit``, or
        ``"branches"``, side by side with other models in a search
        (:mod:`nbtune.training.side_by_side`); ``fit_path_reason_`` says why
        Keras's ran (None otherwise).
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in fit.
    n_classes_ : int
        Number of classes.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame with string column names.

    Notes
    -----
    The targets are given to Keras as integers 0..n_classes-1, or one-hot if the
    model was compiled with ``categorical_crossentropy``. A model compiled with
    a loss that takes logits (``from_logits=True``) has its outputs turned into
    probabilities by ``predict_proba``. Before each fit the Keras
    session is cleared. A fit whose loss becomes NaN or infinite raises ``ValueError``.

    Speed (see :mod:`nbtune.training.engine`): the model runs 32 training steps per call
    into TensorFlow (the same steps; one per call if a callback has batch-level
    methods). Inside nbtune's searches, seeded fits with the same build arguments
    reuse one model, reset to its freshly built state, instead of building and
    tracing a new one; the result is the same model either way.

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.preprocessing import StandardScaler
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = StandardScaler().fit_transform(X)
    >>> def create_model(n_features_in, units=16):
    ...     return keras.Sequential([keras.Input((n_features_in,)),
    ...                              keras.layers.Dense(units, activation="relu"),
    ...                              keras.layers.Dense(1, activation="sigmoid")])
    >>> clf = KerasClassifier(create_model, units=8, epochs=5, random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.9
    True
    """

    _meta_args = ("n_features_in", "n_classes", "input_shape", *_DATA_ARGS)

    def fit(self, X: Any, y: Any, **fit_kwargs: Any) -> KerasClassifier:
        """Build a new model and train it on X, y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, ...)
            A table, or images such as (n_samples, 8, 8) or (n_samples, 8, 8, 1).
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Class labels of any type (ints, strings, bools...), or one-hot rows
            (then ``classes_`` is ``0..n_classes-1`` and ``predict`` gives those).
        **fit_kwargs
            Arguments of ``keras.Model.fit`` for this call only (``epochs=5``,
            ``batch_size=...``, ``sample_weight=...``), as the old wrapper took them.

        Returns
        -------
        self : KerasClassifier
        """
        return self._fit(X, y, fit_kwargs)

    def _fit_data(self, X: Any, y: Any, *, learn: bool,
                  classes: Any = None) -> tuple[np.ndarray, np.ndarray, dict]:
        """Checked X, y as class indices, and the build function's data arguments.

        ``learn``: take the classes from this y (or ``classes``), else use the fitted ones.
        """
        X, y = validate_data(self, X, y, dtype=np.float32, accept_sparse=False, allow_nd=True,
                             multi_output=True, reset=learn)
        y_encoded = self._learn_classes(y, classes) if learn else self._class_indices(y, "partial_fit's y")
        meta = {"n_features_in": X.shape[1], "n_classes": self.n_classes_,
                "input_shape": tuple(X.shape[1:]), "X": X,
                "y": np.eye(self.n_classes_, dtype=np.float32)[y_encoded]}  # as keras.wrappers
        return X, y_encoded, meta

    def _learn_classes(self, y: np.ndarray, classes: Any = None) -> np.ndarray:
        """Set ``classes_`` / ``n_classes_`` from y (or ``classes``); return y as class indices 0..n-1."""
        if is_one_hot(y):
            self.classes_ = np.arange(y.shape[1])
            self.n_classes_ = y.shape[1]
            return y.argmax(axis=1)
        y = _labels_1d(y)
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y if classes is None else fit_checks.check_classes(classes, y))
        y_encoded = encoder.transform(y)
        if len(encoder.classes_) < 2:
            raise ValueError(
                f"y has only one class ({encoder.classes_[0]!r}); a classifier needs at "
                "least two classes."
            )
        self.classes_ = encoder.classes_
        self.n_classes_ = len(self.classes_)
        return y_encoded

    def _class_indices(self, labels: Any, what: str) -> np.ndarray:
        """Positions in ``classes_`` of labels (or one-hot rows) given with the training data."""
        labels = np.asarray(labels)
        labels = labels.argmax(axis=1) if is_one_hot(labels) else _labels_1d(labels)
        unseen = sorted(set(labels.tolist()) - set(self.classes_.tolist()))
        if unseen:
            raise ValueError(
                f"{what} has labels {unseen[:5]} that y does not have (y has "
                f"{self.classes_.tolist()[:10]}); use the same labels as y."
            )
        return np.searchsorted(self.classes_, labels)

    def _encode_validation_y(self, y_val: Any) -> np.ndarray:
        return self._class_indices(y_val, "validation_data")

    def _encode_class_weight(self, class_weight: Any) -> dict[int, float]:
        first, last = to_python(self.classes_[0]), to_python(self.classes_[-1])
        class_weight = fit_checks.check_class_weight(class_weight, f"{{{first!r}: 1.0, {last!r}: 2.0}}")
        indices = self._class_indices(np.array(list(class_weight)), "class_weight")
        return {int(i): float(w) for i, w in zip(indices, class_weight.values())}

    def _check_output_units(self, n_units: int) -> None:
        if n_units != self.n_classes_ and not (n_units == 1 and self.n_classes_ == 2):
            raise ValueError(
                f"The model has {n_units} output unit(s) but y has {self.n_classes_} classes. "
                "End the model with Dense(n_classes, activation='softmax') (add an "
                "`n_classes` argument to the build function to get the number), or with "
                "Dense(1, activation='sigmoid') for two classes."
            )

    def adopt_model(self, model: Any, *, n_features_in: int, classes: Any) -> KerasClassifier:
        """Become a fitted classifier around a model trained elsewhere; return self.

        keras-tuner trains its models itself: nbtune wraps each one this way,
        so that it is scored by the same ``predict`` and scorer as a
        cross-validated trial. ``classes`` are the labels of the model's outputs,
        in order.
        """
        self._adopt(model, n_features_in)
        self.classes_ = np.asarray(classes)
        self.n_classes_ = len(self.classes_)
        return self

    @staticmethod
    def default_compile(n_units: int) -> dict[str, Any]:
        """The loss and metrics an uncompiled model of ``n_units`` outputs is compiled with."""
        loss = "binary_crossentropy" if n_units == 1 else "sparse_categorical_crossentropy"
        return {"loss": loss, "metrics": ["accuracy"]}

    @staticmethod
    def encode_targets(y: np.ndarray, model: Any, n_units: int) -> np.ndarray:
        """Class indices ``y`` in the form the model's loss takes: one-hot for
        ``categorical_crossentropy``, else integers (floats for one sigmoid unit)."""
        loss = model.loss
        name = loss if isinstance(loss, str) else getattr(loss, "name", None)
        name = name or getattr(loss, "__name__", "")
        if name.lower().replace("_", "") in {
            "categoricalcrossentropy",
            "categoricalfocalcrossentropy",
        }:
            return np.eye(n_units, dtype=np.float32)[y]  # one-hot
        return y.astype(np.float32 if n_units == 1 else np.int32)

    def predict_proba(self, X: Any, **kwargs: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes); rows sum to 1.

        A model compiled with a loss that takes logits (``from_logits=True``)
        outputs scores, not probabilities: they go through a softmax (or a
        sigmoid for one unit) here. ``kwargs`` (``batch_size``, ``verbose``) are
        accepted as the old wrapper accepted them; they do not change the result.
        """
        out = self._forward(X, kwargs, "predict_proba")
        if _outputs_logits(self.model_):
            out = expit(out) if out.shape[1] == 1 else softmax(out, axis=1)
        elif out.min() < 0 or out.max() > 1 + 1e-6 or not np.isfinite(out).all():
            raise ValueError(
                "The model's outputs are not probabilities. End the model with a softmax "
                "(one unit per class) or a sigmoid (one unit, two classes) activation, or "
                "compile it with a loss that takes logits, e.g. "
                "SparseCategoricalCrossentropy(from_logits=True)."
            )
        if out.shape[1] == 1:
            return np.hstack([1 - out, out])
        return out / out.sum(axis=1, keepdims=True)

    def predict(self, X: Any, **kwargs: Any) -> np.ndarray:
        """Predicted class labels (of the same type as the labels seen in fit)."""
        _check_call_kwargs(kwargs, PREDICT_KWARGS, "predict")
        proba = self.predict_proba(X, **kwargs)
        return self.classes_[np.argmax(proba, axis=1)]

    def score(self, X: Any, y: Any, sample_weight: Any = None, **kwargs: Any) -> float:
        """Accuracy on X, y (labels or one-hot rows, like y in fit).

        ``kwargs`` (``batch_size``, ``verbose``) are accepted as the old wrapper
        accepted them; they do not change the result.
        """
        fit_checks.check_same_rows(X, y)
        y = np.asarray(y)
        y = self.classes_[y.argmax(axis=1)] if is_one_hot(y) else _labels_1d(y)
        if sample_weight is not None:
            sample_weight = fit_checks.check_sample_weight(sample_weight, len(y))
        return float(accuracy_score(y, self.predict(X, **kwargs), sample_weight=sample_weight))


def is_one_hot(y: np.ndarray) -> bool:
    """Whether y is one-hot rows: 2-D, two or more columns, each row one 1 and zeros.

    Examples
    --------
    >>> is_one_hot(np.eye(3)[[0, 2, 1]]), is_one_hot(np.array([0, 2, 1]))
    (True, False)
    """
    if y.ndim != 2 or y.shape[1] < 2 or not np.issubdtype(y.dtype, np.number):
        return False
    return bool(np.isin(y, (0, 1)).all() and (y.sum(axis=1) == 1).all())


def _labels_1d(y: np.ndarray) -> np.ndarray:
    """y as a 1-D array of labels; a column (n, 1) is flattened with scikit-learn's warning."""
    if y.ndim == 2 and y.shape[1] > 1:
        raise ValueError(
            f"y has shape {y.shape} but is not one-hot (each row one 1 and zeros). A "
            "classifier takes one label per row, a 1-D array, or one-hot rows; multi-label "
            "targets are not supported."
        )
    return column_or_1d(y, warn=True)


class KerasRegressor(RegressorMixin, _KerasEstimator):
    """A scikit-learn regressor around a function that builds a Keras model.

    Parameters
    ----------
    model : callable or keras.Model, default=None
        Function returning a new Keras model, usually compiled. Its arguments
        are tunable parameters. Arguments ``n_features_in``, ``n_outputs``,
        ``input_shape``, ``X`` and ``y`` are filled in from the training data.
        A keras-tuner style ``build(hp)`` and a ``keras.Model`` instance (copied
        for every fit) are accepted too. If the model is returned uncompiled,
        it is compiled with Adam and mean squared error.
    build_fn : callable, default=None
        Old spelling of ``model``; pass one of them (or neither, on a subclass
        that defines ``__call__``).
    epochs, batch_size, validation_split, callbacks, shuffle, verbose
        Passed to ``model.fit``; so is any other ``Model.fit`` argument given
        as a parameter (see :data:`FIT_PARAMS`).
    random_state : int, RandomState or None, default=None
        Seed set with ``keras.utils.set_random_seed`` before each fit.
    **build_params
        Values for the build function's arguments (and other ``Model.fit``
        arguments; Keras 3's ``model_kwargs`` / ``fit_kwargs`` are spread in).

    Attributes
    ----------
    model_ : keras.Model
        The fitted Keras model (the old wrapper called it ``model``).
    history_ : dict of list
        Per-epoch training metrics (also readable as ``history``).
    fit_path_ : {"graph", "keras", "branches"}
        How the last fit ran: ``"graph"``, every epoch in one traced call
        (:mod:`nbtune.training.graph_fit`), ``"keras"``, Keras's own ``fit``, or
        ``"branches"``, side by side with other models in a search
        (:mod:`nbtune.training.side_by_side`); ``fit_path_reason_`` says why
        Keras's ran (None otherwise).
    n_outputs_ : int
        Number of targets (columns of y).
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame with string column names.

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import make_regression
    >>> X, y = make_regression(n_samples=200, n_features=5, noise=1, random_state=0)
    >>> def create_model(n_features_in, units=16):
    ...     model = keras.Sequential([keras.Input((n_features_in,)),
    ...                               keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(1)])
    ...     model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    ...     return model
    >>> reg = KerasRegressor(create_model, epochs=50, random_state=0).fit(X, y / y.std())
    >>> reg.score(X, y / y.std()) > 0.9
    True
    """

    _meta_args = ("n_features_in", "n_outputs", "input_shape", *_DATA_ARGS)

    def fit(self, X: Any, y: Any, **fit_kwargs: Any) -> KerasRegressor:
        """Build a new model and train it on X, y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, ...)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        **fit_kwargs
            Arguments of ``keras.Model.fit`` for this call only (``epochs=5``...).

        Returns
        -------
        self : KerasRegressor
        """
        return self._fit(X, y, fit_kwargs)

    def _fit_data(self, X: Any, y: Any, *, learn: bool,
                  classes: Any = None) -> tuple[np.ndarray, np.ndarray, dict]:
        """Checked X, y (float32, one column per output) and the build function's data arguments.

        ``learn``: take the number of outputs from this y (fit), else check it.
        """
        if y is not None and _holds_strings(y):  # labels, not values
            example = np.asarray(y).ravel()[:1].tolist()
            raise ValueError(
                f"Unknown label type for a regressor: KerasRegressor needs numbers in y, got "
                f"strings such as {example}; for class labels use KerasClassifier (in a "
                "search, task='classification')"
            )
        X, y = validate_data(
            self, X, y, dtype=np.float32, accept_sparse=False, multi_output=True, y_numeric=True,
            allow_nd=True, reset=learn,
        )
        outputs = 1 if y.ndim == 1 else y.shape[1]
        if learn:
            self._y_ndim, self.n_outputs_ = y.ndim, outputs
        elif outputs != self.n_outputs_:
            raise ValueError(f"y has {outputs} column(s) but the model was fitted on {self.n_outputs_}")
        y = y.astype(np.float32).reshape(len(y), self.n_outputs_)
        meta = {"n_features_in": X.shape[1], "n_outputs": self.n_outputs_,
                "input_shape": tuple(X.shape[1:]), "X": X, "y": y}
        return X, y, meta

    def _encode_validation_y(self, y_val: Any) -> np.ndarray:
        try:
            y_val = np.asarray(y_val, dtype=np.float32)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"validation_data's y must be numbers, like y ({exc})") from None
        columns = 1 if y_val.ndim == 1 else int(np.prod(y_val.shape[1:]))
        if columns != self.n_outputs_ or not np.isfinite(y_val).all():
            raise ValueError(
                f"validation_data's y has {columns} column(s) and "
                f"{int((~np.isfinite(y_val)).sum())} NaN or infinite values; give finite "
                f"values in {self.n_outputs_} column(s), like y"
            )
        return y_val.reshape(-1, self.n_outputs_)

    def _check_output_units(self, n_units: int) -> None:
        if n_units != self.n_outputs_:
            raise ValueError(
                f"The model has {n_units} output unit(s) but y has {self.n_outputs_} "
                "column(s). End the model with Dense(n_outputs) (add an `n_outputs` "
                "argument to the build function to get the number). If y holds class labels, "
                "this is a classification task: make them whole numbers or strings, or pass "
                "task='classification' to the search (it took continuous y for regression)."
            )

    def adopt_model(self, model: Any, *, n_features_in: int, n_outputs: int = 1) -> KerasRegressor:
        """Become a fitted regressor around a model trained elsewhere; return self.

        See :meth:`KerasClassifier.adopt_model`; predictions have the shape of
        a y of ``n_outputs`` columns (1-D for one).
        """
        self._adopt(model, n_features_in)
        self.n_outputs_ = int(n_outputs)
        self._y_ndim = 1 if n_outputs == 1 else 2
        return self

    @staticmethod
    def default_compile(n_units: int) -> dict[str, Any]:
        """The loss an uncompiled model is compiled with: mean squared error."""
        return {"loss": "mse"}

    @staticmethod
    def encode_targets(y: np.ndarray, model: Any, n_units: int) -> np.ndarray:
        """Targets as the model trains on them: unchanged (float32, one column per output)."""
        return y

    def predict(self, X: Any, **kwargs: Any) -> np.ndarray:
        """Predicted values, shape (n_samples,) or (n_samples, n_outputs) like y in fit.

        ``kwargs`` (``batch_size``, ``verbose``) are accepted as the old wrapper
        accepted them; they do not change the result.
        """
        out = self._forward(X, kwargs, "predict")
        return out.ravel() if self._y_ndim == 1 else out

    def score(self, X: Any, y: Any, sample_weight: Any = None, **kwargs: Any) -> float:
        """R² of the predictions (scikit-learn's regressor score; 1 is perfect).

        The old wrapper returned the negated Keras loss here; for a mean squared
        error use ``scoring="neg_mean_squared_error"`` in a search, or
        ``sklearn.metrics.mean_squared_error(y, reg.predict(X))``.
        """
        fit_checks.check_same_rows(X, y)
        if sample_weight is not None:
            sample_weight = fit_checks.check_sample_weight(sample_weight, len(y))
        return float(r2_score(y, self.predict(X, **kwargs), sample_weight=sample_weight))
