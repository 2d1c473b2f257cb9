"""scikit-learn estimators around a Keras build function.

:class:`KerasClassifier` and :class:`KerasRegressor` replace the
``tensorflow.keras.wrappers.scikit_learn`` wrappers that TensorFlow 2.13 removed.
They are ordinary scikit-learn estimators, so ``GridSearchCV``,
``RandomizedSearchCV``, ``cross_val_score``, ``clone`` and pipelines work with them.

Parameters are routed by name. A name that the build function accepts goes to
the build function; a name in :data:`FIT_PARAMS` goes to ``model.fit``. So one
flat parameter grid can mix both::

    GridSearchCV(KerasClassifier(build_fn=create_model),
                 {"units": [32, 64], "batch_size": [16, 32], "epochs": [5, 10]})

Importing this module does not import TensorFlow or Keras; they are imported
on the first ``fit``.
"""

from __future__ import annotations

import functools
import inspect
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from nbtune import engine

__all__ = ["FIT_PARAMS", "KerasClassifier", "KerasRegressor"]

#: Parameters passed to ``model.fit`` (all other tunable names go to the build function).
FIT_PARAMS = ("epochs", "batch_size", "validation_split", "callbacks", "shuffle", "verbose")

# Predictions are computed in blocks of this many rows, the last block padded with
# zeros. Every forward pass then has the same shape, so a sample's prediction does
# not depend on which other samples were predicted with it (float32 matrix products
# of different shapes can differ in the last bit).
_PREDICT_BLOCK = 256

_OWN_PARAMS = ("model", "build_fn", "random_state")


def _keras():
    import keras  # noqa: PLC0415 -- imported lazily: `import nbtune` must stay instant

    return keras


def _to_python(value: Any) -> Any:
    """Turn numpy scalars (also inside lists/tuples) into plain Python scalars.

    Keras 3 rejects ``numpy.int64`` layer sizes, and parameter grids built with
    ``np.arange`` or scipy distributions are full of them.
    """
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if type(value) in (list, tuple):
        return type(value)(_to_python(v) for v in value)
    return value


@functools.cache
def _stop_on_nan_class() -> type:
    """A quiet ``keras.callbacks.TerminateOnNaN`` (which prints even at verbose=0)."""

    class StopOnNaN(_keras().callbacks.Callback):
        _nbtune_batch_safe = True  # checks each call's last loss: fine with many steps per call

        def on_train_batch_end(self, batch, logs=None):
            loss = (logs or {}).get("loss")
            if loss is not None and not np.isfinite(loss):
                self.model.stop_training = True  # fit() then raises, naming the epoch

    return StopOnNaN


def _as_kwargs(fn: Callable) -> Callable:
    """Return ``fn`` itself, or a keyword version of a keras-tuner ``build(hp)``."""
    from nbtune import space  # noqa: PLC0415 -- keeps the module import light

    return space.as_kwargs_build_fn(fn) if space.is_hp_build_fn(fn) else fn


def _build_args(fn: Callable) -> tuple[list[str], bool]:
    """Names the build function accepts by keyword, and whether it has ``**kwargs``."""
    params = inspect.signature(fn).parameters.values()
    names = [
        p.name
        for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    ]
    return names, any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)


class _KerasEstimator(BaseEstimator):
    """Shared logic of :class:`KerasClassifier` and :class:`KerasRegressor`.

    Subclasses validate X and y in ``fit`` and then call ``_fit``; they provide
    ``_meta_args``, ``_check_output_units``, ``_default_compile`` and ``_encode_targets``.
    """

    # names the estimator fills in from the data when the build function asks for them
    _meta_args: tuple[str, ...] = ("n_features_in",)

    def __init__(
        self,
        model: Callable[..., Any] | None = None,
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
        self._build_params = build_params

    # ---------------------------------------------------------------- parameters
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters of this estimator, including the build-function parameters set."""
        params = super().get_params(deep=deep)
        params.update(self._build_params)
        return params

    def set_params(self, **params: Any) -> _KerasEstimator:
        """Set parameters; any argument name of the build function is accepted.

        Raises
        ------
        ValueError
            If a name is neither a build-function argument nor an estimator/fit
            parameter (checked when the build function is known).
        """
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

    @staticmethod
    def _build_function(model: Any, build_fn: Any, strict: bool = True) -> Callable | None:
        """The build function to call (keyword form), or None if unknown and not strict."""
        if model is not None and build_fn is not None:
            if not strict:
                return None
            raise ValueError(
                "Got both model= and build_fn=. They are the same argument (build_fn is the "
                "old spelling); pass only one, e.g. KerasClassifier(model=create_model)."
            )
        fn = model if model is not None else build_fn
        if not callable(fn) or (hasattr(fn, "fit") and hasattr(fn, "predict")):
            if not strict:
                return None
            raise TypeError(
                "model= must be a function that builds and returns a new Keras model, "
                f"got {fn!r}. Write one, e.g. `def create_model(units=64): ...` and pass "
                "KerasClassifier(model=create_model)."
            )
        return _as_kwargs(fn)

    def _check_build_names(self, fn: Callable, names) -> None:
        accepted, takes_any = _build_args(fn)
        accepted = [n for n in accepted if n not in self._meta_args]
        for key in names:
            if key in self._meta_args:
                raise ValueError(
                    f"{key!r} is filled in by {type(self).__name__} from the training data; "
                    "do not set it. The build function receives it automatically."
                )
            if key not in accepted and not takes_any:
                original = getattr(fn, "hp_build_fn", fn)  # as_kwargs_build_fn keeps it
                fn_name = getattr(original, "__name__", "build_fn")
                if original is not fn:
                    fix = f"declare it in {fn_name}(hp), e.g. hp.Choice({key!r}, [...])"
                else:
                    fix = "add it as an argument of the build function: "
                    fix += f"def {fn_name}(..., {key}=...)"
                raise ValueError(
                    f"Invalid parameter {key!r} for {type(self).__name__}: the build function "
                    f"{fn_name}() has no argument {key!r} and it is not a fit parameter. "
                    f"Accepted names: build-function arguments {accepted}; fit arguments "
                    f"{list(FIT_PARAMS)}; and {list(_OWN_PARAMS)}. To tune {key!r}, {fix}."
                )

    # ---------------------------------------------------------------- fitting
    def _fit(self, X: np.ndarray, y: np.ndarray, meta: dict[str, int]) -> _KerasEstimator:
        keras = _keras()
        self.__dict__.pop("model_", None)  # a failed refit must not look fitted
        fn = self._build_function(self.model, self.build_fn)
        self._check_build_names(fn, self._build_params)
        kwargs = self._build_kwargs(fn, meta)

        seed = self._seed()
        callbacks = self.callbacks or []
        if not isinstance(callbacks, (list, tuple)):
            callbacks = [callbacks]  # a single callback
        steps = engine.steps_per_execution(callbacks)

        def build():
            return self._new_model(fn, kwargs, X, seed, steps)

        pool = engine.active_pool()
        if pool is not None and seed is not None:  # inside a search: one model per configuration
            origin = self.model if self.model is not None else self.build_fn
            key = (type(self), origin, seed, steps, X.shape[1],
                   tuple(sorted((k, type(v), repr(v)) for k, v in kwargs.items())))
            model = pool.fetch(key, build)
        else:
            model = build()
        n_units = int(keras.ops.shape(model(X[:1], training=False))[-1])
        if seed is not None:
            # the same random state for batches and dropout whether the model is new or reused
            keras.utils.set_random_seed(seed)

        fit_kwargs = {name: _to_python(getattr(self, name)) for name in FIT_PARAMS}
        fit_kwargs["callbacks"] = [*callbacks, _stop_on_nan_class()()]
        with engine.tracking_gradients(model), engine.quiet_retracing():
            history = model.fit(X, self._encode_targets(y, model, n_units), **fit_kwargs)
        history = {k: [float(v) for v in vals] for k, vals in history.history.items()}

        for epoch, loss in enumerate(history.get("loss", []), start=1):
            if not np.isfinite(loss):
                raise ValueError(
                    f"Training diverged: the loss became {loss} at epoch {epoch} of "
                    f"{self.epochs}. Try a smaller learning rate (e.g. 10 times smaller) "
                    "or scale the inputs (e.g. StandardScaler)."
                )
        self.model_ = model
        self.history_ = history
        return self

    def _seed(self) -> int | None:
        """The integer seed of every fit, or None for no seeding."""
        seed = self.random_state
        if seed is None or isinstance(seed, numbers.Integral):
            return None if seed is None else int(seed)
        return int(check_random_state(seed).randint(np.iinfo(np.int32).max))

    def _new_model(self, fn: Callable, kwargs: dict, X: np.ndarray, seed: int | None,
                   steps: int) -> Any:
        """A freshly built, checked and compiled model."""
        keras = _keras()
        keras.backend.clear_session()  # global Keras state otherwise grows over a search
        if seed is not None:
            keras.utils.set_random_seed(seed)
        model = fn(**kwargs)
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"The build function must return a Keras model, got {type(model).__name__}. "
                "End it with `return model`."
            )
        try:
            n_units = int(keras.ops.shape(model(X[:1], training=False))[-1])
        except ValueError as error:
            raise ValueError(
                f"The model does not accept X with {X.shape[1]} features: {error}\nAdd an "
                "`n_features_in` argument to the build function and start the model with "
                "keras.Input((n_features_in,))."
            ) from error
        self._check_output_units(n_units)
        if not getattr(model, "compiled", False):
            model.compile(optimizer="adam", **self._default_compile(n_units))
        if model.steps_per_execution == 1:  # the same steps, fewer calls (see nbtune.engine)
            model.steps_per_execution = steps
        return model

    def _build_kwargs(self, fn: Callable, meta: dict[str, int]) -> dict[str, Any]:
        accepted, takes_any = _build_args(fn)
        available = {**self.get_params(deep=False), **meta}
        for name in ("model", "build_fn"):
            available.pop(name)
        kwargs = {n: available[n] for n in accepted if n in available}
        if takes_any:
            kwargs.update(self._build_params)
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
        return {k: _to_python(v) for k, v in kwargs.items()}

    def _adopt(self, model: Any, **fitted: Any) -> _KerasEstimator:
        """Become a fitted estimator around a model trained elsewhere.

        keras-tuner trains its models itself; nbtune's search wraps each one this
        way so it is scored by the same predict / scorer code as a cross-validated
        trial.  ``fitted`` are the attributes ``fit`` would set (``n_features_in_``,
        ``classes_`` ...).
        """
        self.model_ = model
        self.history_ = {}
        for name, value in fitted.items():
            setattr(self, name, value)
        return self

    # ---------------------------------------------------------------- predicting
    def _forward(self, X: Any) -> np.ndarray:
        """Model outputs for X as a float64 array of shape (n_samples, n_units)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float32, accept_sparse=False)
        keras = _keras()
        pad = -len(X) % _PREDICT_BLOCK
        X = np.concatenate([X, np.zeros((pad, X.shape[1]), dtype=X.dtype)])
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
    model : callable, default=None
        Function returning a new Keras model, usually compiled. Its arguments
        are tunable parameters (``units=64``, ``learning_rate=1e-3``...). If it
        has an argument ``n_features_in`` or ``n_classes``, that argument is
        filled in from the training data. A keras-tuner style ``build(hp)`` is
        accepted too: its hyperparameter names become the tunable parameters.
        If the model is returned uncompiled, it is compiled with Adam and
        ``sparse_categorical_crossentropy`` (softmax output with one unit per
        class) or ``binary_crossentropy`` (one sigmoid unit), with accuracy as metric.
    build_fn : callable, default=None
        Old spelling of ``model`` (``tensorflow.keras.wrappers``); pass one of them.
    epochs, batch_size, validation_split, callbacks, shuffle, verbose
        Passed to ``model.fit`` (see :data:`FIT_PARAMS`). Nothing is printed
        with ``verbose=0``.
    random_state : int, RandomState or None, default=None
        Seed set with ``keras.utils.set_random_seed`` before each fit, so two fits
        with the same seed give the same model. This also reseeds Python's and
        NumPy's global random generators. None: no seeding.
    **build_params
        Values for the build function's arguments, e.g. ``units=64``.

    Attributes
    ----------
    model_ : keras.Model
        The fitted Keras model.
    history_ : dict of list
        Per-epoch training metrics, e.g. ``history_["loss"]``.
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
    model was compiled with ``categorical_crossentropy``. Before each fit the Keras
    session is cleared. A fit whose loss becomes NaN or infinite raises ``ValueError``.

    Speed (see :mod:`nbtune.engine`): the model runs 32 training steps per call
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

    _meta_args = ("n_features_in", "n_classes")

    def fit(self, X: Any, y: Any) -> KerasClassifier:
        """Build a new model and train it on X, y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels of any type (ints, strings, bools...).

        Returns
        -------
        self : KerasClassifier
        """
        X, y = validate_data(self, X, y, dtype=np.float32, accept_sparse=False)
        check_classification_targets(y)
        encoder = LabelEncoder()
        y_encoded = encoder.fit_transform(y)
        if len(encoder.classes_) < 2:
            raise ValueError(
                f"y has only one class ({encoder.classes_[0]!r}); a classifier needs at "
                "least two classes."
            )
        self.classes_ = encoder.classes_
        self.n_classes_ = len(self.classes_)
        return self._fit(X, y_encoded, {"n_features_in": X.shape[1], "n_classes": self.n_classes_})

    def _check_output_units(self, n_units: int) -> None:
        if n_units != self.n_classes_ and not (n_units == 1 and self.n_classes_ == 2):
            raise ValueError(
                f"The model has {n_units} output unit(s) but y has {self.n_classes_} classes. "
                "End the model with Dense(n_classes, activation='softmax') (add an "
                "`n_classes` argument to the build function to get the number), or with "
                "Dense(1, activation='sigmoid') for two classes."
            )

    @staticmethod
    def _default_compile(n_units: int) -> dict[str, Any]:
        loss = "binary_crossentropy" if n_units == 1 else "sparse_categorical_crossentropy"
        return {"loss": loss, "metrics": ["accuracy"]}

    @staticmethod
    def _encode_targets(y: np.ndarray, model: Any, n_units: int) -> np.ndarray:
        loss = model.loss
        name = loss if isinstance(loss, str) else getattr(loss, "name", None)
        name = name or getattr(loss, "__name__", "")
        if name.lower().replace("_", "") in {
            "categoricalcrossentropy",
            "categoricalfocalcrossentropy",
        }:
            return np.eye(n_units, dtype=np.float32)[y]  # one-hot
        return y.astype(np.float32 if n_units == 1 else np.int32)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes); rows sum to 1."""
        out = self._forward(X)
        if out.min() < 0 or out.max() > 1 + 1e-6 or not np.isfinite(out).all():
            raise ValueError(
                "The model's outputs are not probabilities. End the model with a softmax "
                "(one unit per class) or a sigmoid (one unit, two classes) activation."
            )
        if out.shape[1] == 1:
            return np.hstack([1 - out, out])
        return out / out.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        """Predicted class labels (of the same type as the labels seen in fit)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class KerasRegressor(RegressorMixin, _KerasEstimator):
    """A scikit-learn regressor around a function that builds a Keras model.

    Parameters
    ----------
    model : callable, default=None
        Function returning a new Keras model, usually compiled. Its arguments
        are tunable parameters. If it has an argument ``n_features_in`` or
        ``n_outputs``, that argument is filled in from the training data. A
        keras-tuner style ``build(hp)`` is accepted too. If the model is
        returned uncompiled, it is compiled with Adam and mean squared error.
    build_fn : callable, default=None
        Old spelling of ``model``; pass one of them.
    epochs, batch_size, validation_split, callbacks, shuffle, verbose
        Passed to ``model.fit`` (see :data:`FIT_PARAMS`).
    random_state : int, RandomState or None, default=None
        Seed set with ``keras.utils.set_random_seed`` before each fit.
    **build_params
        Values for the build function's arguments.

    Attributes
    ----------
    model_ : keras.Model
        The fitted Keras model.
    history_ : dict of list
        Per-epoch training metrics.
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

    _meta_args = ("n_features_in", "n_outputs")

    def fit(self, X: Any, y: Any) -> KerasRegressor:
        """Build a new model and train it on X, y.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)

        Returns
        -------
        self : KerasRegressor
        """
        X, y = validate_data(
            self, X, y, dtype=np.float32, accept_sparse=False, multi_output=True, y_numeric=True
        )
        self._y_ndim = y.ndim
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        y = y.astype(np.float32).reshape(len(y), self.n_outputs_)
        return self._fit(X, y, {"n_features_in": X.shape[1], "n_outputs": self.n_outputs_})

    def _check_output_units(self, n_units: int) -> None:
        if n_units != self.n_outputs_:
            raise ValueError(
                f"The model has {n_units} output unit(s) but y has {self.n_outputs_} "
                "column(s). End the model with Dense(n_outputs) (add an `n_outputs` "
                "argument to the build function to get the number)."
            )

    @staticmethod
    def _default_compile(n_units: int) -> dict[str, Any]:
        return {"loss": "mse"}

    @staticmethod
    def _encode_targets(y: np.ndarray, model: Any, n_units: int) -> np.ndarray:
        return y

    def predict(self, X: Any) -> np.ndarray:
        """Predicted values, shape (n_samples,) or (n_samples, n_outputs) like y in fit."""
        out = self._forward(X)
        return out.ravel() if self._y_ndim == 1 else out
