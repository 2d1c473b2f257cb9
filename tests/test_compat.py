"""The private names of other libraries that nbtune reaches (nbtune.compat) still exist.

Each lever degrades to a safe default when a release moves its name; these
tests make that visible instead of silent.
"""

import pytest

from nbtune import compat

keras = pytest.importorskip("keras")


def test_gradient_registry_is_found_and_holds_traced_gradients():
    registry = compat.tensorflow_gradient_registry()
    assert isinstance(registry, dict) and registry  # TensorFlow registers its own gradients


def test_save_best_epoch_is_keras_tuners_own_callback():
    klass = compat.keras_tuner_save_best_epoch()
    assert klass.__module__.startswith("keras_tuner")
    assert issubclass(klass, keras.callbacks.Callback)
