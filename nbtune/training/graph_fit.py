"""A whole fit in one traced TensorFlow call: every epoch and batch run inside one graph.

Keras's ``fit`` comes back to Python around every epoch: it makes two
``tf.data`` iterators (about 17 ms each on these cores), calls the callbacks and
keeps its own books (about 30 ms more). A tiny model's epoch of training is
often shorter than that. When nothing needs Python between epochs,
:func:`fit_in_one_call` runs the whole fit as one call into one graph, traced
once per model and reused by every later fit of it (the model pool's folds,
batch sizes and twins: :mod:`nbtune.training.engine`):

* the data are tensors already in memory; each epoch's batch order is a
  stateless shuffle of the rows with the seed ``(fit seed, epoch)``, so the
  trial owns it and no other thread can move it; the last batch is short, as
  in Keras;
* each step is the model's own ``train_step`` (each validation step its
  ``test_step``), the function Keras's ``fit`` traces too: the same loss,
  metrics, optimizer update and dropout draws;
* the per-epoch training loss and metrics, and the validation ones when
  ``validation_data`` is given, are recorded in the graph and returned as a
  Keras ``History.history`` dict;
* a non-finite loss stops the fit after that batch, as nbtune's ``StopOnNaN``
  does with Keras's ``fit``.

:func:`keras_fit_needed` says when Keras's own ``fit`` must run instead (a
callback that is not nbtune's, a progress bar, weights, a custom ``fit``, an
XLA-compiled model, another backend, ...), and the estimator records which
path ran (``fit_path_``, and the trials table's ``fit_path`` column).
:func:`one_call_fits` (or ``NBTUNE_GRAPH_FIT=1``) turns this path on and
:func:`keras_fit_only` (``NBTUNE_GRAPH_FIT=0``) off, for benchmarks that
compare before and after; :data:`DEFAULT` says what fits do otherwise.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from nbtune.backend import import_keras
from nbtune.training import engine

#: ``fit_path_`` of a fit run by :func:`fit_in_one_call`, and of one run by Keras's ``fit``.
GRAPH, KERAS = "graph", "keras"

# fit settings this path runs, with the values it accepts (all others: Keras's fit)
_DEFAULT_OK = {
    "validation_split": (None, 0, 0.0),
    "class_weight": (None,),
    "sample_weight": (None,),
    "steps_per_epoch": (None,),
    "validation_steps": (None,),
    "validation_batch_size": (None,),
    "validation_freq": (1,),
    "verbose": (0, False),
    "shuffle": (True, False),
}
_HANDLED = {"epochs", "batch_size", "initial_epoch", "validation_data"}

#: Whether fits take this path when nothing else says (:func:`enabled`). On: the results
#: nbtune ships (the lessons' precomputed runs, the ``digits-mlp`` tables) were trained on
#: it, and the lessons check that a live run gives them exactly. ``NBTUNE_GRAPH_FIT=0`` or
#: :func:`keras_fit_only` trains with Keras's ``fit`` instead, as nbtune did before issue 26.
DEFAULT = True

_SWITCH = engine.Switch("nbtune_graph_fit", "NBTUNE_GRAPH_FIT")

# A model's traced fits live on the model, {(has validation, X spec, y spec): (fit, names)},
# as Keras keeps its own train_function there: each closes over the model, so a table
# outside it (even a WeakKeyDictionary, whose values would hold their keys) keeps every
# model alive, about 4.6 MB a trial (tests/test_engine.py's flat-memory test measured it).
_ATTRIBUTE = "_nbtune_one_call_fits"


@contextlib.contextmanager
def one_call_fits(on: bool = True) -> Iterator[None]:
    """Within the block, fits that can run in one call do (``on=False``: none does).

    Examples
    --------
    >>> with one_call_fits():
    ...     enabled()
    True
    >>> with one_call_fits(False):
    ...     enabled()
    False
    """
    with _SWITCH.turned(bool(on)):
        yield


def keras_fit_only() -> contextlib.AbstractContextManager:
    """Within the block, every fit runs Keras's own ``fit`` (the path before this module).

    Examples
    --------
    >>> with keras_fit_only():
    ...     enabled()
    False
    """
    return one_call_fits(False)


def enabled() -> bool:
    """Whether fits may take this path: :func:`one_call_fits` or :func:`keras_fit_only` if
    inside one, else ``NBTUNE_GRAPH_FIT`` (``1`` on, ``0`` off), else :data:`DEFAULT`.

    Examples
    --------
    >>> with one_call_fits():
    ...     enabled()
    True
    """
    return _SWITCH.chosen(DEFAULT)


def graph_safe(callback: Any) -> bool:
    """Whether a fit with ``callback`` may run in one call.

    Only callbacks whose own class says so (``_nbtune_graph_safe = True`` in
    the class body, not inherited): nbtune's ``ClearTrainingOutput``, which
    acts only when training ends, and ``StopOnNaN``, whose check runs in the
    graph. A subclass may add per-epoch hooks, so it is not taken on trust.
    """
    return bool(type(callback).__dict__.get("_nbtune_graph_safe", False))


def keras_fit_needed(model: Any, settings: dict[str, Any], callbacks: Sequence = ()) -> str | None:
    """Why this fit must run Keras's ``fit``, or None if it can run in one call.

    Parameters
    ----------
    model : keras.Model
        Built and compiled.
    settings : dict
        The ``fit`` keyword arguments, without ``callbacks``.
    callbacks : sequence of keras callbacks

    Returns
    -------
    str or None
        A short reason, for the curious reader of ``fit_path_``.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> with one_call_fits():
    ...     keras_fit_needed(model, {"epochs": 2, "verbose": 0}) is None
    True
    >>> with one_call_fits():
    ...     keras_fit_needed(model, {"epochs": 2, "verbose": 1})
    'verbose=1 (Keras prints its progress)'
    >>> with one_call_fits():
    ...     keras_fit_needed(model, {"epochs": 2}, [keras.callbacks.EarlyStopping()])
    'a callback that runs between epochs (EarlyStopping)'
    """
    keras = import_keras()
    if not enabled():
        return "not turned on (graph_fit.one_call_fits() or NBTUNE_GRAPH_FIT=1)"
    if keras.backend.backend() != "tensorflow":
        return f"the {keras.backend.backend()} backend"
    for name, value in settings.items():
        if name in _HANDLED:
            continue
        allowed = _DEFAULT_OK.get(name)
        if allowed is None or not any(value is a or (type(value) is type(a) and value == a)
                                      for a in allowed):
            return (f"verbose={value!r} (Keras prints its progress)" if name == "verbose"
                    else f"{name}={value!r}")
    validation = settings.get("validation_data")
    if validation is not None and len(validation) != 2:
        return "validation_data with sample weights"
    others = [type(c).__name__ for c in callbacks if not graph_safe(c)]
    if others:
        return f"a callback that runs between epochs ({', '.join(others)})"
    return _model_needs_keras_fit(model, keras)


def _model_needs_keras_fit(model: Any, keras: Any) -> str | None:
    import tensorflow as tf

    if type(model).fit is not keras.Model.fit:
        return f"{type(model).__name__} has its own fit"
    if model.run_eagerly:
        return "run_eagerly=True"
    if model.jit_compile:
        return "jit_compile=True (Keras's fit compiles each step with XLA)"
    if getattr(model, "optimizer", None) is None or not model.compiled:
        return "the model is not compiled"
    if tf.distribute.has_strategy():
        return "a tf.distribute strategy"
    return None


def fit_in_one_call(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int = 1,
    batch_size: int | None = None,
    initial_epoch: int = 0,
    validation_data: tuple | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    callbacks: Sequence = (),
    **ignored: Any,
) -> dict[str, list[float]]:
    """Train ``model`` as ``model.fit`` would, in one call into one traced graph.

    Check :func:`keras_fit_needed` first. The model's first fit traces its
    graph (a second or so); later fits of it reuse that graph.

    Parameters
    ----------
    model : keras.Model
        Built and compiled, with a built optimizer or one that can be built.
    X, y : arrays
        Training data, ``y`` in the form the model's loss takes.
    epochs, batch_size, initial_epoch, validation_data, shuffle
        As ``model.fit``'s (``batch_size`` None: 32).
    seed : int, optional
        Each epoch's batch order is drawn with the seed ``(seed, epoch)``;
        None draws a fresh seed.
    callbacks : sequence
        :func:`graph_safe` callbacks; they see ``on_train_begin`` and
        ``on_train_end``.
    **ignored
        Settings at the values :func:`keras_fit_needed` accepts (their defaults).

    Returns
    -------
    dict of str to list of float
        Per-epoch ``loss`` and compiled metrics, and ``val_``-prefixed ones with
        validation data: what ``model.fit(...).history`` holds.

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = fit_in_one_call(model, np.ones((10, 2), "float32"), np.ones(10, "float32"),
    ...                           epochs=3, batch_size=4, seed=0)
    >>> len(history["loss"])
    3
    """
    import tensorflow as tf

    X, y = _as_keras_arrays(X), _as_keras_arrays(y)
    has_validation = validation_data is not None
    X_val, y_val = validation_data if has_validation else (X[:0], y[:0])
    X_val, y_val = np.asarray(X_val, X.dtype), np.asarray(y_val, y.dtype)
    programs = traced_fits(model)
    if not programs:
        _prepare(model, X, y)
    program, names = _program(model, programs, X, y, has_validation)
    fit_seed = int(np.random.default_rng().integers(2**31 - 1)) if seed is None else int(seed)
    for callback in callbacks:
        callback.set_model(model)
        callback.on_train_begin()
    train, val = program(
        tf.constant(X), tf.constant(y), tf.constant(X_val), tf.constant(y_val),
        tf.constant(int(batch_size or 32), tf.int32), tf.constant(int(initial_epoch), tf.int32),
        tf.constant(int(epochs), tf.int32), tf.constant(fit_seed, tf.int64),
        tf.constant(bool(shuffle)))
    history = _history(names, train.numpy(), val.numpy() if has_validation else None)
    last = {name: values[-1] for name, values in history.items() if values}
    for callback in callbacks:
        callback.on_train_end(last)
    return history


def _prepare(model: Any, X: np.ndarray, y: np.ndarray) -> None:
    """Build what Keras's ``fit`` builds before its first step: the loss, the metrics, the optimizer.

    With public calls on one row (Keras's own ``_symbolic_build`` is private);
    the metrics they touch are reset again. Nothing random is drawn.
    """
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    predicted = model(X[:1], training=False)
    model.compute_loss(x=X[:1], y=y[:1], y_pred=predicted)
    model.compute_metrics(X[:1], y[:1], predicted, sample_weight=None)
    model.reset_metrics()


def _as_keras_arrays(values: Any) -> np.ndarray:
    """An array as Keras's ``fit`` feeds it: floating point in Keras's float type (float32)."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return values.astype(import_keras().backend.floatx(), copy=False)
    return values


def traced_fits(model: Any) -> dict:
    """The model's traced fits by data shape (empty before its first one-call fit).

    Examples
    --------
    >>> import keras
    >>> traced_fits(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))
    {}
    """
    programs = model.__dict__.get(_ATTRIBUTE)
    if programs is None:
        programs = {}
        object.__setattr__(model, _ATTRIBUTE, programs)  # past Keras's attribute tracking
    return programs


def _program(model: Any, programs: dict, X: np.ndarray, y: np.ndarray,
             has_validation: bool) -> tuple[Any, list]:
    """The model's traced fit for data shaped like X, y, and the names of what it records."""
    import tensorflow as tf

    key = (has_validation, X.shape[1:], str(X.dtype), y.shape[1:], str(y.dtype))
    if key not in programs:
        names = sorted(model.get_metrics_result())
        signature = [tf.TensorSpec((None, *X.shape[1:]), X.dtype),
                     tf.TensorSpec((None, *y.shape[1:]), y.dtype)] * 2
        scalars = [tf.TensorSpec((), tf.int32)] * 3 + [tf.TensorSpec((), tf.int64),
                                                      tf.TensorSpec((), tf.bool)]
        whole_fit = _whole_fit(model, names, has_validation)
        programs[key] = (tf.function(whole_fit, input_signature=[*signature, *scalars]), names)
    return programs[key]


def batch_order(rows: Any, seed: Any, epoch: Any) -> Any:
    """The order of the rows in ``epoch`` of a fit seeded ``seed``: a stateless shuffle of
    ``(seed, epoch)``, so the fit owns it (and :mod:`nbtune.training.branches` draws the same).

    Examples
    --------
    >>> sorted(batch_order(5, 0, 1).numpy().tolist())
    [0, 1, 2, 3, 4]
    """
    import tensorflow as tf

    return tf.random.experimental.stateless_shuffle(
        tf.range(rows), seed=tf.stack([tf.cast(seed, tf.int64), tf.cast(epoch, tf.int64)]))


def _whole_fit(model: Any, names: list[str], has_validation: bool) -> Any:
    """The Python function that :func:`_program` traces: every epoch of a fit."""
    import tensorflow as tf

    # the steps are traced as Keras traces them for fit (its one_step_on_data)
    train_step = tf.autograph.experimental.do_not_convert(model.train_step)
    test_step = tf.autograph.experimental.do_not_convert(model.test_step)
    shuffled = tf.autograph.experimental.do_not_convert(batch_order)

    def results() -> Any:
        logs = model.get_metrics_result()
        return tf.stack([tf.cast(logs[name], tf.float32) for name in names])

    def whole_fit(X, y, X_val, y_val, batch_size, initial_epoch, epochs, seed, shuffle):
        rows = tf.shape(X)[0]
        batches = (rows + batch_size - 1) // batch_size
        train = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=(len(names),))
        val = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=(len(names),))
        for epoch in tf.range(initial_epoch, epochs):
            model.reset_metrics()
            order = tf.range(rows)
            if shuffle:
                order = shuffled(rows, seed, epoch)
            finite = tf.constant(True)
            for b in tf.range(batches):
                rows_b = order[b * batch_size:tf.minimum((b + 1) * batch_size, rows)]
                loss = train_step((tf.gather(X, rows_b), tf.gather(y, rows_b)))["loss"]
                finite = tf.reduce_all(tf.math.is_finite(loss))
                if not finite:
                    break
            train = train.write(epoch - initial_epoch, results())
            if has_validation:
                model.reset_metrics()
                val_rows = tf.shape(X_val)[0]
                for b in tf.range((val_rows + batch_size - 1) // batch_size):
                    test_step((X_val[b * batch_size:(b + 1) * batch_size],
                               y_val[b * batch_size:(b + 1) * batch_size]))
                val = val.write(epoch - initial_epoch, results())
            if not finite:
                break
        return train.stack(), val.stack() if has_validation else tf.zeros((0, len(names)))

    return whole_fit


def _history(names: list[str], train: np.ndarray, val: np.ndarray | None) -> dict[str, list[float]]:
    """The recorded rows as ``History.history``: one list per metric, ``val_`` ones after."""
    history = {name: [float(v) for v in train[:, i]] for i, name in enumerate(names)}
    if val is not None:
        history.update({f"val_{name}": [float(v) for v in val[:, i]]
                        for i, name in enumerate(names)})
    return history

