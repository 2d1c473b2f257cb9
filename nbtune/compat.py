"""Every private name of another library that nbtune touches, in one place.

Each function reaches one private name, says why nbtune needs it, the versions
it was checked on and the upstream issue, and degrades to a safe default when a
new release has moved the name (nbtune then works as without the lever: slower
or using more memory, never wrong). ``tests/test_compat.py`` fails when one of
them stops finding its name on the installed versions, so a release that moves
one is noticed.

Examples
--------
>>> from nbtune import compat
>>> isinstance(compat.tensorflow_gradient_registry(), dict)
True
>>> compat.keras_tuner_save_best_epoch().__name__
'SaveBestEpoch'
"""

from __future__ import annotations

import functools
from typing import Any

from nbtune.backend import import_keras_tuner, import_tensorflow

__all__ = ["keras_tuner_save_best_epoch", "tensorflow_gradient_registry"]


def tensorflow_gradient_registry() -> dict[str, Any] | None:
    """TensorFlow's global registry of traced gradients (name -> gradient function), or None.

    ``tf.custom_gradient`` adds an entry for every traced gradient and never
    removes it; each entry keeps its whole graph alive (tensorflow/tensorflow#27492,
    #97697; keras-team/tf-keras#898), about 4.5 MB per new Keras model.
    :mod:`nbtune.engine` removes a model's entries when the model is collected.
    Private: ``tensorflow.python.framework.ops._gradient_registry._registry``,
    checked on TensorFlow 2.16 to 2.21. None if a release has moved it (then
    nothing is pruned).
    """
    import_tensorflow()
    from tensorflow.python.framework import ops  # private module: deferred on purpose

    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    return registry if isinstance(registry, dict) else None


@functools.cache
def keras_tuner_save_best_epoch() -> type:
    """keras-tuner's callback that saves a trial's weights after every epoch.

    keras-tuner adds it to every trial's callbacks; when the objective is not in
    the epoch logs (nbtune's score is not) it writes the weights after *every*
    epoch. nbtune removes it and saves the trained weights once. keras-tuner
    1.4.7 and 1.4.8 do not export it (``keras_tuner.src.engine.tuner_utils``).
    If a release moves it, a class that no callback is an instance of is
    returned, so nothing is removed (keras-tuner then saves per epoch: slower,
    the same result).
    """
    import_keras_tuner()
    try:
        from keras_tuner.src.engine.tuner_utils import SaveBestEpoch  # private: see above
    except ImportError:
        return type("SaveBestEpoch", (), {})  # matches no callback
    return SaveBestEpoch
