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
  A model built for one short fit outside a search runs one step per call too
  (:func:`steps_for_one_fit`): the loop costs more to trace than it saves.
  With so few calls per model, TensorFlow takes a search of new models for a
  tracing mistake and prints a long warning; :func:`quiet_retracing` keeps it
  out of the notebook during nbtune's fits.
* **One traced model per configuration** (:class:`ModelPool`): inside a search
  the cross-validation folds of a configuration, and configurations that differ
  only in fit arguments (``epochs``, ``batch_size``), reuse the model built for
  the first fit (the last :data:`POOL_SIZE` models are kept). Its weights,
  random-seed state and optimizer state are put back to what they were right
  after the build, which is exactly where a rebuilt model would start, so the
  traced graphs are reused instead of traced again. Configurations that differ
  only in the learning rate build twins (:mod:`nbtune.training.twins`): the new model's
  state, learning rate included, is put into the pooled twin, which trains on
  with the twin's graphs. A model kept to be trained further (Hyperband's
  promotions) keeps its state aside (:func:`model_state`) and gets it back
  (:func:`restore_state`) before it trains on.
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
import os
import threading
import weakref
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from nbtune.backend import import_keras
from nbtune.training import compat, twins

#: Training steps per call into TensorFlow for models nbtune fits (see module notes).
STEPS_PER_EXECUTION = 32

#: A new model trained once for fewer steps than this runs one step per call
#: (see :func:`steps_for_one_fit`).
SHORT_FIT_STEPS = 64

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


def steps_for_one_fit(steps: int, steps_in_fit: int | None) -> int:
    """Steps per call for a new model trained once, for ``steps_in_fit`` steps in all.

    ``steps`` (from :func:`steps_per_execution`), or 1 when the fit is shorter than
    :data:`SHORT_FIT_STEPS`: tracing the loop of many steps per call costs up to
    0.5 s more than tracing one step (lesson 03's model on one core: 1.7 s
    against 1.2 s; lesson 04's smaller model: about 0.1 s), and it saves about
    2 ms per step, so a short fit of a model that is not reused does not win it
    back. The weights are the same either way. ``steps_in_fit`` None (not
    known): ``steps``.

    Examples
    --------
    >>> steps_for_one_fit(32, steps_in_fit=25), steps_for_one_fit(32, steps_in_fit=300)
    (1, 32)
    """
    if steps_in_fit is not None and steps_in_fit < SHORT_FIT_STEPS:
        return 1
    return steps


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


_COLLECTED: list[bool] = []  # a finalizer appends (atomic): a traced model was collected


def traced_models_collected() -> bool:
    """Whether a model traced in :func:`tracking_gradients` was collected since the last call.

    Collects garbage first (dead models sit in reference cycles). TensorFlow
    keeps a collected model's prepared graphs in its caches until they are
    emptied (``keras.backend.clear_session()``); emptying them also drops
    every live model's, so nbtune empties them only when this is True
    (:func:`nbtune.training.compat.fresh_keras_state`).

    Examples
    --------
    >>> isinstance(traced_models_collected(), bool)
    True
    """
    gc.collect()
    collected = bool(_COLLECTED)
    _COLLECTED.clear()
    return collected


_WATCHED: weakref.WeakSet = weakref.WeakSet()  # models whose collection _COLLECTED hears of


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
        if model not in _WATCHED:
            _WATCHED.add(model)
            weakref.finalize(model, _COLLECTED.append, True)


# ------------------------------------------------------------------ model pool
class ModelPool:
    """The models of a search's last few configurations, ready to be trained again.

    :meth:`fetch` returns a model for the given key:

    * a pooled model with that key, put back to its state right after the build;
    * otherwise a new one from ``build``; if a pooled model is its twin (the
      same structure, another learning rate: :mod:`nbtune.training.twins`), the twin
      takes the new model's state (weights, random-seed state, optimizer slots
      and learning rate) and is returned instead, with its traced graphs;
    * otherwise the new model itself, which then replaces the least recently
      used model when the pool holds ``size`` already.

    Keys must identify everything that decides the built model (build function,
    its arguments, the random seed), and the caller must seed the fit itself, so
    a reused model trains exactly as a rebuilt one would. A caller that keeps a
    trained model to train it further (Hyperband's promotions) keeps its
    :func:`model_state` too, and puts it back with :func:`restore_state` first:
    meanwhile the pool may have handed the model to another configuration.

    Parameters
    ----------
    size : int, default :data:`POOL_SIZE`
        Models kept. A grid over ``units`` x ``batch_size`` alternates between
        a few models, so a handful are worth keeping; a tiny model with its
        traced graphs takes a few MB.

    Examples
    --------
    >>> import keras
    >>> def build(learning_rate=1e-3, units=1):
    ...     keras.backend.clear_session()  # as nbtune does: twins get the same layer names
    ...     model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(units)])
    ...     model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    ...     return model
    >>> pool = ModelPool()
    >>> first = pool.fetch(("dense", 1), build)
    >>> pool.fetch(("dense", 2), lambda: build(units=2)) is first
    False
    >>> pool.fetch(("dense", 1), build) is first
    True
    >>> twin = pool.fetch(("dense", 1, "lr", 0.1), lambda: build(learning_rate=0.1))
    >>> twin is first, round(float(twin.optimizer.learning_rate), 6)
    (True, 0.1)
    """

    def __init__(self, size: int | None = None) -> None:
        self.size = POOL_SIZE if size is None else size
        self._models: collections.OrderedDict[Hashable, _Pooled] = collections.OrderedDict()

    def fetch(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """A pooled model reset to its initial state, a twin, or ``build()`` (see above)."""
        pooled = self._models.get(key)
        if pooled is not None:
            self._models.move_to_end(key)
            pooled.reset()
            return pooled.model
        model = build()
        if getattr(model, "optimizer", None) is not None and not model.optimizer.built:
            # the optimizer's slots exist from now on, so they can be reset too
            model.optimizer.build(model.trainable_variables)
        new = _Pooled(model)
        twin_key = self._twin_of(new)
        if twin_key is not None:
            new = self._models.pop(twin_key).take_state_of(new)
        while len(self._models) >= self.size:
            self._models.popitem(last=False)
        self._models[key] = new
        return new.model

    def _twin_of(self, new: _Pooled) -> Hashable | None:
        if new.structure is None:
            return None
        for key, pooled in reversed(self._models.items()):
            if pooled.structure == new.structure:
                return key
        return None

    def release(self) -> None:
        """Drop the pooled models (their memory is freed once nothing else uses them)."""
        self._models.clear()


def model_state(model: Any) -> list:
    """Copies of every variable that decides how ``model`` trains on (see :func:`restore_state`).

    The weights, the random-seed state of layers such as ``Dropout``, the
    optimizer's slots, step count and learning rate.

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> model.optimizer.build(model.trainable_variables)
    >>> saved = model_state(model)
    >>> _ = model.fit(np.ones((4, 2)), np.ones(4), verbose=0)
    >>> restore_state(model, saved)
    >>> bool(np.array_equal(model.layers[0].kernel.numpy(), saved[0]))
    True
    """
    return [variable.numpy() for variable in twins.variables_of(model)]


def restore_state(model: Any, state: list) -> None:
    """Put back a :func:`model_state` of ``model`` (or of a twin of it, :mod:`nbtune.training.twins`)."""
    for variable, value in zip(twins.variables_of(model), state, strict=True):
        variable.assign(value)


class _Pooled:
    """A pooled model, its state right after the build, and its structure (nbtune.training.twins)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.state = model_state(model)
        self.structure = twins.structure(model)

    def reset(self) -> None:
        restore_state(self.model, self.state)

    def take_state_of(self, twin: _Pooled) -> _Pooled:
        """This model, holding the twin's initial state and pooled in its place."""
        self.state = twin.state
        self.reset()
        return self


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


@contextlib.contextmanager
def outside_pool() -> Iterator[None]:
    """Within the block, estimators build new models, as outside any :func:`reusing_models`.

    For models that must each be their own (branches trained side by side,
    :mod:`nbtune.training.side_by_side`); the search's pool is back after the block.

    Examples
    --------
    >>> with reusing_models():
    ...     with outside_pool():
    ...         print(active_pool())
    None
    """
    token = _ACTIVE_POOL.set(None)
    try:
        yield
    finally:
        _ACTIVE_POOL.reset(token)


# ------------------------------------------------------------ switches
class Switch:
    """A speed lever's on or off: inside a :meth:`turned` block as the block says, else as the
    environment variable ``variable`` says (``1`` on, ``0`` off), else the caller's default.

    Examples
    --------
    >>> lever = Switch("nbtune_example", "NBTUNE_EXAMPLE")
    >>> with lever.turned(False):
    ...     lever.chosen(default=True)
    False
    >>> lever.chosen(default=True)
    True
    """

    def __init__(self, name: str, variable: str) -> None:
        self.variable = variable
        self._choice: contextvars.ContextVar[bool | None] = contextvars.ContextVar(name, default=None)

    @contextlib.contextmanager
    def turned(self, on: bool) -> Iterator[None]:
        """Within the block the lever is ``on`` (a checked bool: each caller checks its own)."""
        token = self._choice.set(on)
        try:
            yield
        finally:
            self._choice.reset(token)

    def chosen(self, default: bool) -> bool:
        """On or off here: the enclosing :meth:`turned` block, else the variable, else ``default``."""
        choice = self._choice.get()
        if choice is not None:
            return choice
        setting = os.environ.get(self.variable, "").strip()
        return setting == "1" if setting in ("0", "1") else default


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
