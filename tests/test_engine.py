"""nbtune.training.engine: reused models train like new ones, and a long search's memory stays flat."""

import gc
import logging
import sys

import numpy as np
import pytest
from conftest import tiny_build

import nbtune
from nbtune import Choice, Int, SearchSpace
from nbtune.training import engine


def dropout_build(units=8):
    """Dropout (a random-seed state) and Adagrad (non-zero initial slots) must be reset too."""
    import keras

    model = keras.Sequential([
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adagrad(0.05), loss="sparse_categorical_crossentropy")
    return model


def test_a_reused_model_trains_exactly_like_a_new_one(cancer):
    X, y = cancer.X_train[:240], cancer.y_train[:240]
    folds = [(slice(0, 160), 16, 8), (slice(80, 240), 32, 4), (slice(0, 160), 16, 8),
             (slice(80, 240), 32, 8), (slice(0, 160), 16, 4)]

    def fit_folds():
        out = []
        for rows, batch_size, units in folds:
            clf = nbtune.KerasClassifier(dropout_build, epochs=3, batch_size=batch_size,
                                         random_state=0, units=units)
            clf.fit(X[rows], y[rows])
            out.append((clf.history_["loss"], clf.predict_proba(cancer.X_val), clf.model_))
        return out

    new = fit_folds()
    with engine.reusing_models():
        reused = fit_folds()
    assert len({id(model) for *_, model in reused}) == 2  # one model per value of units
    assert len({id(model) for *_, model in new}) == 5
    for (new_loss, new_proba, _), (loss, proba, _) in zip(new, reused):
        np.testing.assert_allclose(loss, new_loss, rtol=1e-6)
        np.testing.assert_allclose(proba, new_proba, rtol=1e-6, atol=1e-7)


def test_a_search_builds_one_model_per_build_configuration(cancer):
    builds = []

    def build(units=4, learning_rate=0.01):
        builds.append(units)
        return tiny_build(units, learning_rate)

    space = SearchSpace(Choice("batch_size", [16, 32, 64]), Choice("units", [4, 8]))
    result = nbtune.grid_search(build, space, cancer.X_train[:200], cancer.y_train[:200],
                                cv=2, epochs=1, progress=False)
    assert len(result.trials) == 6 and (result.trials.status == "ok").all()
    # units varies fastest, so the model changes every trial; the pool keeps both
    assert builds == [4, 8]
    builds.clear()
    nbtune.grid_search(build, SearchSpace(Choice("batch_size", [16, 32, 64])), cancer.X_train[:200],
                       cancer.y_train[:200], cv=2, epochs=1, progress=False)
    assert builds == [4]  # only fit arguments change: one model for the whole search


def test_unseeded_fits_are_not_pooled(cancer):
    with engine.reusing_models():
        models = [nbtune.KerasClassifier(tiny_build, epochs=1, random_state=None)
                  .fit(cancer.X_train[:100], cancer.y_train[:100]).model_ for _ in range(2)]
    assert models[0] is not models[1]  # an unseeded fit must start from new random weights


def test_a_batch_level_callback_still_sees_every_batch(cancer):
    import keras

    class CountBatches(keras.callbacks.Callback):
        batches = 0

        def on_train_batch_end(self, batch, logs=None):
            CountBatches.batches += 1

    nbtune.KerasClassifier(tiny_build, epochs=2, batch_size=10, callbacks=[CountBatches()],
                           random_state=0).fit(cancer.X_train[:100], cancer.y_train[:100])
    assert CountBatches.batches == 2 * 10


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def test_a_collected_traced_model_is_heard_of_once(cancer):
    """traced_models_collected() says when TensorFlow's caches hold a dead model's graphs (then
    the next new model empties them), and only once: a live model does not count."""
    from conftest import tiny_build

    engine.traced_models_collected()  # forget the models earlier tests left
    model = tiny_build()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    with engine.tracking_gradients(model):
        model.fit(cancer.X_train[:20], cancer.y_train[:20], epochs=1, verbose=0)
    assert engine.traced_models_collected() is False  # alive
    del model
    assert engine.traced_models_collected() is True
    assert engine.traced_models_collected() is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_memory_stays_flat_over_a_short_search(cancer):
    """The memory probe (bench/memory_over_trials.py) in short: 16 trials, a new model each."""

    class Probe(nbtune.display.SearchProgress):
        def __init__(self):
            super().__init__(enabled=False)
            self.rss = []

        def trial_done(self, record):
            self.rss.append(_rss_mb())

    registry = engine._gradient_registry()
    gc.collect()
    entries_before = len(registry)
    probe = Probe()
    space = SearchSpace(Int("units", 4, 64), Choice("learning_rate", [1e-2, 3e-3]))
    result = nbtune.random_search(tiny_build, space, cancer.X_train, cancer.y_train, n_iter=16,
                                  cv=2, epochs=1, progress=probe)
    assert (result.trials.status == "ok").all() and result.trials.units.nunique() > 12
    # the first engine.POOL_SIZE trials fill the pool; after that memory must stay flat:
    # about 0.5 MB over these 11 trials, against 12 MB when dead models' graphs were kept
    # (these models are far smaller than a lesson's, whose 40 trials then grew by 530 MB)
    steady = probe.rss[engine.POOL_SIZE:]
    growth = steady[-1] - steady[0]
    assert growth < 5, f"resident memory grew {growth:.1f} MB over {len(steady) - 1} trials: {probe.rss}"
    gc.collect()
    assert len(registry) <= entries_before  # TensorFlow's gradient registry holds no dead graphs


def test_a_search_of_new_models_prints_no_retracing_warning(cancer, caplog):
    # 32 steps per call leave a tiny model's fit only a few calls, so TensorFlow's
    # "N out of the last M calls triggered tf.function retracing" would fire here
    # (under pytest TensorFlow's logger goes to the log capture, not to stderr)
    space = SearchSpace(Int("units", 4, 64))
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        nbtune.random_search(tiny_build, space, cancer.X_train[:200], cancer.y_train[:200],
                             n_iter=10, cv=2, epochs=1, progress=False)
    assert not [r for r in caplog.records if "retracing" in r.getMessage()]


# ------------------------------------------------------------------ twins
def dropout_lr_build(learning_rate=0.05, units=8):
    """dropout_build with a tunable learning rate: configurations differing in it are twins."""
    model = dropout_build(units)
    model.optimizer.learning_rate = learning_rate
    return model


def test_a_twin_trains_exactly_like_a_new_model_with_its_learning_rate(cancer):
    X, y = cancer.X_train[:200], cancer.y_train[:200]
    configs = [(0.05, 8), (0.2, 8), (0.05, 4), (0.01, 8)]

    def fit_all():
        fitted = []
        for learning_rate, units in configs:
            clf = nbtune.KerasClassifier(dropout_lr_build, epochs=3, batch_size=16, random_state=0,
                                         learning_rate=learning_rate, units=units)
            clf.fit(X, y)
            fitted.append((clf.history_["loss"], clf.predict_proba(cancer.X_val), clf.model_))
        return fitted

    new = fit_all()
    with engine.reusing_models():
        pooled = fit_all()
    # one model per value of units: learning rates 0.2 and 0.01 took over the 0.05 model
    assert pooled[0][2] is pooled[1][2] is pooled[3][2] and pooled[2][2] is not pooled[0][2]
    assert float(pooled[3][2].optimizer.learning_rate) == pytest.approx(0.01)
    for (new_loss, new_proba, _), (loss, proba, _) in zip(new, pooled):
        np.testing.assert_allclose(loss, new_loss, rtol=1e-6)
        np.testing.assert_allclose(proba, new_proba, rtol=1e-6, atol=1e-7)


def custom_loss_build(learning_rate=0.01):
    import keras

    def loss(y_true, y_pred):  # the user's own function: it could read anything
        return keras.losses.sparse_categorical_crossentropy(y_true, y_pred)

    model = tiny_build(8, learning_rate)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
    return model


def test_models_with_the_users_own_objects_are_never_twins(cancer):
    X, y = cancer.X_train[:100], cancer.y_train[:100]
    with engine.reusing_models():
        models = [nbtune.KerasClassifier(custom_loss_build, epochs=1, random_state=0,
                                         learning_rate=rate).fit(X, y).model_
                  for rate in (0.01, 0.02)]
    assert models[0] is not models[1]


def test_hyperband_scores_the_same_with_and_without_twins(cancer, monkeypatch):
    """Hyperband keeps models for promotion while their twins train: each gets its state back."""
    space = SearchSpace(Choice("units", [4, 8]), Choice("learning_rate", [0.003, 0.01, 0.03]))
    data = (cancer.X_train[:200], cancer.y_train[:200])
    options = dict(validation_data=cancer.validation, random_state=0, progress=False,
                   max_epochs=4, factor=2)

    def scores():
        return nbtune.hyperband(tiny_build, space, *data, **options).trials["score"].to_numpy()

    with_twins = scores()
    monkeypatch.setattr(engine.twins, "structure", lambda model: None)  # no model is a twin
    np.testing.assert_allclose(with_twins, scores(), rtol=1e-6)


def test_a_short_fit_outside_a_search_runs_one_step_per_call_and_learns_the_same(cancer):
    X, y = cancer.X_train[:160], cancer.y_train[:160]

    def fit(epochs):
        return nbtune.KerasClassifier(dropout_build, epochs=epochs, batch_size=16, random_state=0).fit(X, y)

    short, long = fit(2), fit(30)  # 20 and 300 steps in all (SHORT_FIT_STEPS: 64)
    assert short.model_.steps_per_execution == 1
    assert long.model_.steps_per_execution == engine.STEPS_PER_EXECUTION
    with engine.reusing_models():  # a pooled model keeps many steps per call, for every fit
        pooled = fit(2)
    assert pooled.model_.steps_per_execution == engine.STEPS_PER_EXECUTION
    np.testing.assert_allclose(pooled.history_["loss"], short.history_["loss"], rtol=1e-6)
    np.testing.assert_allclose(pooled.predict_proba(cancer.X_val), short.predict_proba(cancer.X_val),
                               rtol=1e-6, atol=1e-7)
