"""Which Keras models can share traced graphs: twins, built alike but for the learning rate.

Two models that differ only in values kept in TensorFlow variables run the same
graph: the graph reads those variables when it runs. Keras keeps the weights,
the random-seed state of layers such as ``Dropout``, the optimizer's slots and
a plain-number learning rate in variables. So a model built with another
learning rate can take over a twin's traced training step once its variables
hold the new model's values. Everything else (units, activations, dropout
rates, the loss, the optimizer's other settings) is baked into the graph as a
constant, and a model that differs there is not a twin.

:func:`structure` describes a model by its configuration, compile settings and
variable shapes, with only the learning rate left out. It gives ``None``, so
never a twin, unless every object in those configurations is Keras's own: a
custom layer, loss, activation or model class (or a ``Lambda`` layer) may hold
values its configuration does not show, so the graph could differ while the
description does not. Layer names are part of the description; nbtune clears
Keras's session before every build, so twins get the same names.
:class:`nbtune.training.engine.ModelPool` reuses a twin's graph only when the two
descriptions are equal.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import json
from typing import Any

# Keras's own objects serialise with a module of "keras" or "keras.<part>" and no
# registered name; a Lambda layer is Keras's own but runs any Python function.
_NOT_DESCRIBED = {"Lambda", "__lambda__"}


def structure(model: Any) -> str | None:
    """A description of ``model``'s traced graphs, equal for twins; None if it cannot tell.

    Parameters
    ----------
    model : keras.Model
        A built, compiled model.

    Returns
    -------
    str or None
        JSON of the model's configuration, compile settings (without a
        plain-number learning rate), steps per call and variable shapes; None
        for models with objects that are not Keras's own (see module notes) or
        whose configuration cannot be read.

    Examples
    --------
    >>> import keras
    >>> def build(learning_rate, units=4):
    ...     keras.backend.clear_session()
    ...     model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units)])
    ...     model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    ...     return model
    >>> structure(build(1e-3)) == structure(build(1e-2))
    True
    >>> structure(build(1e-3)) == structure(build(1e-3, units=8))
    False
    >>> custom = build(1e-3)
    >>> custom.compile(optimizer="adam", loss=lambda y, p: (y - p) ** 2)
    >>> structure(custom) is None
    True
    """
    if not type(model).__module__.startswith("keras."):
        return None  # a subclassed model: its call and train_step are the user's code
    try:
        config = model.get_config()
        compiled = model.get_compile_config() or {}
        shapes = [[list(v.shape), str(v.dtype)] for v in variables_of(model)]
    except Exception:  # NotImplementedError, or a value that does not serialise
        return None
    compiled = dict(compiled)
    compiled["optimizer"] = _without_learning_rate(compiled.get("optimizer"))
    described = [config, compiled, model.steps_per_execution, model.jit_compile,
                 model.run_eagerly, shapes]
    if not _all_keras(described):
        return None
    try:
        return json.dumps(described, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        return None


def variables_of(model: Any) -> list:
    """Every variable a twin takes over: the model's (weights, random-seed state) and its optimizer's.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> model.optimizer.build(model.trainable_variables)
    >>> [v.name for v in variables_of(model)]
    ['kernel', 'bias', 'iteration', 'learning_rate']
    """
    optimizer = getattr(model, "optimizer", None)
    return [*model.variables, *(optimizer.variables if optimizer is not None else ())]


def _without_learning_rate(optimizer: Any) -> Any:
    """The serialised optimizer with a plain-number learning rate left out (a variable)."""
    if not isinstance(optimizer, dict) or not isinstance(optimizer.get("config"), dict):
        return optimizer
    settings = dict(optimizer["config"])
    if isinstance(settings.get("learning_rate"), (int, float)):
        settings["learning_rate"] = None  # kept in a variable: a twin's graph reads it
    return {**optimizer, "config": settings}


def _all_keras(value: Any) -> bool:
    """True if every serialised object in ``value`` is one of Keras's own."""
    if isinstance(value, dict):
        if "module" in value or "class_name" in value:  # a serialised object
            module = str(value.get("module"))
            if not (module == "keras" or module.startswith("keras.")):
                return False
            if value.get("registered_name") or value.get("class_name") in _NOT_DESCRIBED:
                return False
        return all(_all_keras(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return all(_all_keras(item) for item in value)
    return True
