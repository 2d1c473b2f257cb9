"""What makes nbtune's trials fast and keeps a long search's memory flat.

A tiny model's ``fit`` on a 2-core machine spends most of its time outside the
training itself: about 0.7 s tracing the training step into a TensorFlow graph,
and a millisecond or two of Python per batch. A long search also used to grow by
a few MB per trained model. Four levers remove that, without changing what is
learnt:

* **Steps per call** (:func:`steps_per_execution`): a model runs
  :data:`STEPS_PER_EXECUTION` training steps per call into TensorFlow instead of
  one. The steps, and so the weights, are the same; only batch-level callbacks
  would notice, so models fitted with such a callback keep one step per call.
  With so few calls per model, TensorFlow takes a search of new models for a
  tracing mistake and prints a long warning; :func:`quiet_retracing` keeps it
  out of the notebook during nbtune's fits.
* **One traced model per configuration** (:class:`ModelPool`): inside a search
  the cross-validation folds of a configuration, and configurations that differ
  only in fit arguments (``epochs``, ``batch_size``), reuse the model built for
  the first fit (the last :data:`POOL_SIZE` models are kept). Its weights,
  random-seed state and optimizer state are put back to what they were right
  after the build, which is exactly where a rebuilt model would start, so the
  traced graphs are reused instead of traced again.
* **Forgetting dead models' gradients** (:func:`forget_when_collected`):
  ``tf.custom_gradient`` registers every traced gradient in TensorFlow's global
  gradient registry and never removes it, and each entry keeps its whole graph
  alive (tensorflow/tensorflow#27492 and #97697, still so in TensorFlow 2.21;
  ``keras.backend.clear_session()`` does not free them, keras-team/tf-keras#898).
  Each Keras ``fit`` of a new model adds two such entries, about 4.5 MB. nbtune
  removes a model's entries when the model itself is garbage collected.
* **Cheap garbage collection** (:func:`frozen_heap`): ``keras.backend.clear_session()``,
  which Keras and keras-tuner call before every build, runs a full ``gc.collect()``
  that takes about 0.2 s with TensorFlow's objects in memory. During a search the
  objects that existed before it are frozen (``gc.freeze``), so a collection only
  looks at the search's own objects (a few ms); they are unfrozen when it ends.

``bench/overhead_vs_loop.py`` and ``bench/memory_over_trials.py`` measure the effect.
Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import gc
import logging
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from nbtune import compat
from nbtune.backend import import_keras

__all__ = [
    "POOL_SIZE",
    "STEPS_PER_EXECUTION",
    "ModelPool",
    "active_pool",
    "forget_when_collected",
    "frozen_heap",
    "quiet_retracing",
    "reusing_models",
    "steps_per_execution",
    "tracking_gradients",
]

#: Training steps per call into TensorFlow for models nbtune fits (see module notes).
STEPS_PER_EXECUTION = 32

#: Models a search keeps for reuse (see :class:`ModelPool`).
POOL_SIZE = 4

_BATCH_HOOKS = (
    "on_batch_begin", "on_batch_end", "on_train_batch_begin", "on_train_batch_end",
)


def steps_per_execution(callbacks: list | tuple) -> int:
    """How many training steps a model fitted with ``callbacks`` may run per call.

    :data:`STEPS_PER_EXECUTION`, or 1 if a callback (other than nbtune's own)
    overrides a batch-level method, because Keras then calls it once per call,
    not once per batch.

    Examples
    --------
    >>> import keras
    >>> steps_per_execution([keras.callbacks.EarlyStopping()])
    32
    >>> class EveryBatch(keras.callbacks.Callback):
    ...     def on_train_batch_end(self, batch, logs=None):
    ...         pass
    >>> steps_per_execution([EveryBatch()])
    1
    """
    keras = import_keras()  # lazily: `import nbtune` must stay instant

    base = keras.callbacks.Callback
    for callback in callbacks:
        if getattr(callback, "_nbtune_batch_safe", False):
            continue
        if any(getattr(type(callback), name, None) is not getattr(base, name) for name in _BATCH_HOOKS):
            return 1
    return STEPS_PER_EXECUTION


# ------------------------------------------------------------ gradient registry
# No lock here: _forget runs as a finalizer, i.e. inside any garbage collection,
# possibly while this thread would hold such a lock. Single dict operations are
# atomic, and the names are read from a copy that a finalizer cannot change.
def _gradient_registry() -> dict:
    return compat.tensorflow_gradient_registry() or {}  # {}: a release moved it, prune nothing


def _custom_gradient_names() -> set[str]:
    return {name for name in list(_gradient_registry()) if name.startswith("CustomGradient-")}


def _forget(names: frozenset[str]) -> None:
    registry = _gradient_registry()
    for name in names:
        registry.pop(name, None)


def forget_when_collected(model: Any, names: set[str]) -> None:
    """Remove the gradient registry entries ``names`` once ``model`` is garbage collected.

    ``names`` are the ``CustomGradient-*`` entries that tracing ``model``'s
    functions added (see :func:`tracking_gradients`). Only the model's own
    graphs use them, and they are traced already; nothing looks them up again.
    """
    if names:
        weakref.finalize(model, _forget, frozenset(names))


@contextlib.contextmanager
def tracking_gradients(model: Any) -> Iterator[None]:
    """Within the block, gradients that ``model`` traces are freed with the model.

    Wrap a ``model.fit`` (or anything else that traces it) in this block.

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> with tracking_gradients(model):
    ...     _ = model.fit(np.ones((4, 2)), np.ones(4), verbose=0)
    """
    before = _custom_gradient_names()
    try:
        yield
    finally:
        forget_when_collected(model, _custom_gradient_names() - before)


# ------------------------------------------------------------------ model pool
class ModelPool:
    """The models of a search's last few configurations, ready to be trained again.

    :meth:`fetch` returns a model for the given key: a pooled one, put back to
    its state right after the build, if one has that key; otherwise a new one
    from ``build``, which then replaces the least recently used model when the
    pool holds ``size`` already. Keys must identify everything that decides the
    built model (build function, its arguments, the random seed), and the caller
    must seed the fit itself, so a reused model trains exactly as a rebuilt one
    would.

    Parameters
    ----------
    size : int, default :data:`POOL_SIZE`
        Models kept. A grid over ``units`` x ``batch_size`` alternates between
        a few models, so a handful are worth keeping; a tiny model with its
        traced graphs takes a few MB.

    Examples
    --------
    >>> import keras
    >>> def build():
    ...     model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    ...     model.compile(optimizer="adam", loss="mse")
    ...     return model
    >>> pool = ModelPool()
    >>> first = pool.fetch(("dense", 1), build)
    >>> pool.fetch(("dense", 2), build) is first
    False
    >>> pool.fetch(("dense", 1), build) is first
    True
    """

    def __init__(self, size: int | None = None) -> None:
        self.size = POOL_SIZE if size is None else size
        self._models: collections.OrderedDict[Hashable, tuple[Any, list]] = collections.OrderedDict()

    def fetch(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """A pooled model reset to its initial state if one has ``key``, else ``build()``."""
        if key in self._models:
            self._models.move_to_end(key)
            model, state = self._models[key]
            for variable, value in zip(self._variables(model), state):
                variable.assign(value)
            return model
        while len(self._models) >= self.size:
            self._models.popitem(last=False)
        model = build()
        if getattr(model, "optimizer", None) is not None and not model.optimizer.built:
            # the optimizer's slots exist from now on, so they can be reset too
            model.optimizer.build(model.trainable_variables)
        self._models[key] = (model, [variable.numpy() for variable in self._variables(model)])
        return model

    @staticmethod
    def _variables(model: Any) -> list:
        # model.variables includes the random-seed state of layers such as Dropout
        optimizer = getattr(model, "optimizer", None)
        return [*model.variables, *(optimizer.variables if optimizer is not None else ())]

    def release(self) -> None:
        """Drop the pooled models (their memory is freed once nothing else uses them)."""
        self._models.clear()


_ACTIVE_POOL: contextvars.ContextVar[ModelPool | None] = contextvars.ContextVar(
    "nbtune_model_pool", default=None
)


def active_pool() -> ModelPool | None:
    """The pool of the enclosing :func:`reusing_models` block, or None."""
    return _ACTIVE_POOL.get()


@contextlib.contextmanager
def reusing_models() -> Iterator[ModelPool]:
    """Within the block, seeded nbtune estimators reuse one model per configuration.

    A search wraps its trials in this block; fits outside it build a new model
    each time. Only estimators with an integer ``random_state`` take part: an
    unseeded fit must start from new random weights. Inside another such
    block this one uses the outer block's pool.
    """
    outer = _ACTIVE_POOL.get()
    if outer is not None:
        yield outer
        return
    pool = ModelPool()
    token = _ACTIVE_POOL.set(pool)
    try:
        yield pool
    finally:
        _ACTIVE_POOL.reset(token)
        pool.release()


# ------------------------------------------------------------ tracing warning
class _RetracingWarningFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "triggered tf.function retracing" not in record.getMessage()


_retracing_filter = _RetracingWarningFilter()
_quiet_depth = 0
_quiet_lock = threading.Lock()


@contextlib.contextmanager
def quiet_retracing() -> Iterator[None]:
    """Within the block, TensorFlow does not warn that functions are traced again and again.

    Each new model traces its own training step, and with 32 steps per call a
    tiny model's fit makes only a few calls, so a search of new models looks
    to TensorFlow like "5 out of the last 10 calls triggered retracing" and it
    prints a long warning into the notebook. For a search that is expected, not
    a mistake in the student's code. Outside the block the warning is shown.

    Examples
    --------
    >>> with quiet_retracing():
    ...     pass
    """
    global _quiet_depth
    logger = logging.getLogger("tensorflow")  # TensorFlow's own Python logger
    with _quiet_lock:
        if _quiet_depth == 0:
            logger.addFilter(_retracing_filter)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                logger.removeFilter(_retracing_filter)


# ------------------------------------------------------------ garbage collection
_freeze_depth = 0
_freeze_lock = threading.Lock()


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Within the block, garbage collection skips the objects that existed before it.

    Objects created in the block are collected as usual; the older ones become
    collectable again when the outermost block ends (see module notes).

    Examples
    --------
    >>> with frozen_heap():
    ...     n = gc.collect()  # fast: only objects created in the block are examined
    """
    global _freeze_depth
    with _freeze_lock:
        if _freeze_depth == 0:
            gc.collect()  # what is garbage now must not be frozen
            gc.freeze()
        _freeze_depth += 1
    try:
        yield
    finally:
        with _freeze_lock:
            _freeze_depth -= 1
            if _freeze_depth == 0:
                gc.unfreeze()
