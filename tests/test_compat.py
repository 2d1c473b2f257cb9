"""The private names of other libraries that nbtune reaches (nbtune.training.compat) still exist.

Each lever degrades to a safe default when a release moves its name; these
tests make that visible instead of silent.
"""

import pytest

from nbtune.training import compat

keras = pytest.importorskip("keras")


def test_gradient_registry_is_found_and_holds_traced_gradients():
    registry = compat.tensorflow_gradient_registry()
    assert isinstance(registry, dict) and registry  # TensorFlow registers its own gradients


def test_in_memory_oracles_override_keras_tuners_own_trial_writer(tmp_path, monkeypatch):
    import keras_tuner as kt

    oracle_class = kt.oracles.HyperbandOracle
    assert callable(getattr(oracle_class, "_save_trial", None))  # the private name still exists
    monkeypatch.chdir(tmp_path)
    hp = kt.HyperParameters()
    hp.Int("units", 1, 100)
    oracle = compat.in_memory_oracle(oracle_class)(
        objective=kt.Objective("score", "max"), max_epochs=3, factor=3, hyperparameters=hp, seed=1)
    trial = oracle.create_trial("nbtune")
    oracle.update_trial(trial.trial_id, {"score": 0.5})
    trial.status = "COMPLETED"
    oracle.end_trial(trial)
    assert oracle.trials[trial.trial_id].score == 0.5
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere


def test_keras_default_seeds_come_from_the_threads_own_stream():
    """Inside keras_seeds(s), Keras's default seeds are those of random.seed(s), whatever
    another draw from the global random does in between; outside, Keras draws as before."""
    import random

    from keras.src.random import seed_generator

    def initial_kernel():
        layer = keras.layers.Dense(3)
        layer.build((None, 2))
        return layer.kernel.numpy().tolist()

    random.seed(5)
    expected = initial_kernel()  # what keras.utils.set_random_seed(5) then a build gives
    with compat.keras_seeds(5):
        random.seed(123)  # another thread moving the global generator
        assert initial_kernel() == expected
    assert seed_generator.make_default_seed.__module__ == compat.__name__  # the shim is in place
    random.seed(5)
    assert initial_kernel() == expected  # outside: Keras's own draws from the global random


def test_a_fresh_keras_state_resets_what_keras_clear_session_and_set_random_seed_reset():
    """fresh_keras_state(s) finds Keras's global state, and what is built after it is what
    Keras's own clear_session() then set_random_seed(s) gives: layer names, initial weights,
    NumPy's draws and Keras's global SeedGenerator (what it saves, the graph cache, is timed by
    bench/one_call.py)."""
    import numpy as np
    from keras.src.backend.common import global_state

    assert hasattr(global_state, "GLOBAL_STATE_TRACKER")  # the private names still exist
    assert hasattr(global_state, "GLOBAL_SETTINGS_TRACKER")

    def build():
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dropout(0.5)])
        return [layer.name for layer in model.layers], [w.tolist() for w in model.get_weights()]

    keras.backend.clear_session()
    keras.utils.set_random_seed(11)
    expected = build(), np.random.rand(), keras.random.uniform((2,)).numpy().tolist()
    keras.layers.Dense(2)  # a name taken, as a search's earlier model takes them
    compat.fresh_keras_state(11)
    assert (build(), np.random.rand(), keras.random.uniform((2,)).numpy().tolist()) == expected

