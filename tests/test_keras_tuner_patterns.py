"""keras-tuner's own patterns through nbtune's keras-tuner searches.

Each peer case is the published code with only the import changed (and the
data swapped for the bundled digits: 8x8 images instead of 28x28); a Keras 3
forced change is named in a comment where there is one:

- TensorFlow's keras_tuner tutorial (github:tensorflow/docs,
  site/en/tutorials/keras/keras_tuner.ipynb): ``model_builder(hp)`` with a
  logits output and ``EarlyStopping(monitor='val_loss')``;
- handson-ml3 chapter 10 (github:ageron/handson-ml3,
  10_neural_nets_with_keras.ipynb): ``build_model(hp)`` and
  ``MyClassificationHyperModel``, whose ``fit`` tunes ``normalize``;
- keras-tuner's getting-started guide (github:keras-team/keras-io,
  guides/keras_tuner/getting_started.py, "Tune model training"):
  ``MyHyperModel``, one-hot targets, a ``fit`` that tunes a fit argument.

Budgets are tiny (few trials, few epochs) but the training is real.
"""

import math
import warnings

import keras_tuner as kt
import numpy as np
import pytest
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

import nbtune
from nbtune import Choice, Int, SearchSpace
from nbtune.search.schedule import hyperband_schedule


# ------------------------------------------------------------ the peer code
# TensorFlow's keras_tuner tutorial, verbatim but for the input shape (28, 28) -> (8, 8)
def model_builder(hp):
  model = keras.Sequential()
  model.add(keras.layers.Flatten(input_shape=(8, 8)))

  # Tune the number of units in the first Dense layer
  # Choose an optimal value between 32-512
  hp_units = hp.Int('units', min_value=32, max_value=512, step=32)
  model.add(keras.layers.Dense(units=hp_units, activation='relu'))
  model.add(keras.layers.Dense(10))

  # Tune the learning rate for the optimizer
  # Choose an optimal value from 0.01, 0.001, or 0.0001
  hp_learning_rate = hp.Choice('learning_rate', values=[1e-2, 1e-3, 1e-4])

  model.compile(optimizer=keras.optimizers.Adam(learning_rate=hp_learning_rate),
                loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=['accuracy'])

  return model


# handson-ml3, chapter 10, verbatim
def build_model(hp):
    n_hidden = hp.Int("n_hidden", min_value=0, max_value=8, default=2)
    n_neurons = hp.Int("n_neurons", min_value=16, max_value=256)
    learning_rate = hp.Float("learning_rate", min_value=1e-4, max_value=1e-2,
                             sampling="log")
    optimizer = hp.Choice("optimizer", values=["sgd", "adam"])
    if optimizer == "sgd":
        optimizer = tf.keras.optimizers.SGD(learning_rate=learning_rate)
    else:
        optimizer = tf.keras.optimizers.Adam(learning_rate=learning_rate)

    model = tf.keras.Sequential()
    model.add(tf.keras.layers.Flatten())
    for _ in range(n_hidden):
        model.add(tf.keras.layers.Dense(n_neurons, activation="relu"))
    model.add(tf.keras.layers.Dense(10, activation="softmax"))
    model.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer,
                  metrics=["accuracy"])
    return model


class MyClassificationHyperModel(kt.HyperModel):
    def build(self, hp):
        return build_model(hp)

    def fit(self, hp, model, X, y, **kwargs):
        if hp.Boolean("normalize"):
            norm_layer = tf.keras.layers.Normalization()
            norm_layer.adapt(X)
            X = norm_layer(X)
        return model.fit(X, y, **kwargs)


# keras-tuner's getting-started guide, "Tune model training": its build verbatim.
# Its fit there tunes `shuffle=hp.Boolean("shuffle")`; this is the same fit with
# keras-tuner's other documented fit argument, `batch_size=hp.Choice(...)`.
class MyHyperModel(kt.HyperModel):
    def build(self, hp):
        model = keras.Sequential()
        model.add(layers.Flatten())
        model.add(
            layers.Dense(
                units=hp.Int("units", min_value=32, max_value=512, step=32),
                activation="relu",
            )
        )
        model.add(layers.Dense(10, activation="softmax"))
        model.compile(
            optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"],
        )
        return model

    def fit(self, hp, model, *args, **kwargs):
        return model.fit(
            *args,
            batch_size=hp.Choice("batch_size", [16, 32]),
            **kwargs,
        )


# ------------------------------------------------------------------ helpers
@pytest.fixture(scope="module")
def images(digits):
    """The digits as 8x8 images, as the tutorials' 28x28 ones (already scaled)."""
    return digits.X_train.reshape(-1, 8, 8), digits.y_train


def allotted_epochs(max_epochs, factor):
    """(bracket, round) -> epochs Hyperband gives a trial of that round."""
    plan = hyperband_schedule(max_epochs, factor)
    return {(int(r.bracket), int(r.round)): int(r.new_epochs) for r in plan.itertuples()}


STEPS_SEEN = []  # module-level: keras-tuner deep-copies the callbacks of every trial


class RecordSteps(keras.callbacks.Callback):
    """Records how many batches each trial's fit runs per epoch."""

    def on_train_begin(self, logs=None):
        STEPS_SEEN.append(self.params["steps"])


# ------------------------------------------------------------------ case 1
def test_tensorflow_tutorial_early_stopping_stops_hyperband_trials(images):
    img_train, label_train = images
    # the tutorial has patience=5 and max_epochs=10; patience=0 over 8 epochs makes
    # a stop certain on this small data (the promoted lr=1e-2 trial overfits)
    stop_early = tf.keras.callbacks.EarlyStopping(monitor='val_loss', patience=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = nbtune.hyperband(model_builder, None, img_train, label_train,
                                  validation_split=0.2, callbacks=[stop_early],
                                  max_epochs=8, factor=8, progress=False)
    assert not [w for w in caught if "not available" in str(w.message)]  # val_loss was there
    trials = result.trials
    assert (trials.status == "ok").all(), trials.error.tolist()
    assert set(trials.learning_rate) <= {1e-2, 1e-3, 1e-4}
    assert trials.units.between(32, 512).all()
    # logits scored as probabilities: a 1e-2 model is far better than chance (0.1)
    assert trials.score.between(0, 1).all() and trials.score.max() > 0.8
    allotted = [allotted_epochs(8, 8)[b, r] for b, r in zip(trials.bracket, trials["round"])]
    stopped = trials[trials.epochs_spent < allotted]
    assert len(stopped) >= 1, trials[["epochs_spent", "bracket", "round"]]
    # the table has the epochs really trained: train_epochs below the round's target
    target = {(b, r): e for b, r, e in hyperband_schedule(8, 8)[["bracket", "round", "epochs"]].values}
    assert all(t < target[b, r] for t, b, r in
               zip(stopped.train_epochs, stopped.bracket, stopped["round"]))


def test_early_stopping_in_bayesian_records_the_epochs_trained(digits):
    """The same mechanism without images or logits: a plain keyword build function."""
    def build(units=32, learning_rate=0.05):
        model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                                  keras.layers.Dense(10, activation="softmax")])
        model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy")
        return model

    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=0)
    result = nbtune.bayesian(build, SearchSpace(Choice("units", [32, 64])), *digits.train,
                             validation_data=digits.validation, max_trials=2, epochs=40,
                             callbacks=[stop], progress=False)
    trials = result.trials
    assert (trials.status == "ok").all(), trials.error.tolist()
    assert (trials.epochs_spent < 40).all()  # lr=0.05 overfits within a few epochs
    assert (trials.train_epochs == trials.epochs_spent).all()
    assert trials.score.min() > 0.8


LOG_KEYS = set()  # keras-tuner deep-copies callbacks per trial: record at module level


class RecordsLogKeys(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        LOG_KEYS.update(logs or {})


class IgnoresValidation(RecordsLogKeys):
    uses_validation_data = False  # as nbtune.ClearTrainingOutput says of itself


@pytest.mark.parametrize("callback, gets_validation", [
    (RecordsLogKeys(), True), (IgnoresValidation(), False)])
def test_validation_data_only_for_callbacks_that_may_read_it(digits, callback, gets_validation):
    LOG_KEYS.clear()
    nbtune.hyperband(tiny_build, SearchSpace(Choice("units", [8, 16])), *digits.train,
                     validation_data=digits.validation, max_epochs=2, factor=2,
                     callbacks=[callback], progress=False)
    assert "loss" in LOG_KEYS
    assert ("val_loss" in LOG_KEYS) == gets_validation
    assert nbtune.ClearTrainingOutput.uses_validation_data is False


def tiny_build(units=8):
    model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


# ------------------------------------------------------------------ case 2
def test_handson_hypermodel_space_includes_what_its_fit_declares():
    space = SearchSpace.from_build_fn(MyClassificationHyperModel())
    assert space.names == ("n_hidden", "n_neurons", "learning_rate", "optimizer", "normalize")
    assert space["normalize"] == Choice("normalize", [False, True])


def test_handson_hypermodel_through_hyperband(images):
    X, y = images
    result = nbtune.hyperband(MyClassificationHyperModel(), None, X, y,
                              validation_split=0.2, max_epochs=3, factor=3, progress=False)
    trials = result.trials
    assert (trials.status == "ok").all(), trials.error.tolist()
    assert set(trials.normalize) == {False, True}
    assert trials.score.between(0, 1).all() and trials.score.max() > 0.5
    assert set(trials.optimizer) <= {"sgd", "adam"}


def test_handson_hypermodel_through_bayesian(images):
    X, y = images
    result = nbtune.bayesian(MyClassificationHyperModel(), None, X, y, validation_split=0.2,
                             max_trials=4, num_initial_points=3, epochs=2, progress=False)
    trials = result.trials
    assert len(trials) == 4 and (trials.status == "ok").all(), trials.error.tolist()
    assert set(trials.normalize) == {False, True}
    assert trials.n_hidden.between(0, 8).all()


# ------------------------------------------------------------------ case 3
def test_getting_started_hypermodel_tunes_batch_size_in_fit(digits):
    num_classes = 10
    x_train = digits.X_train.reshape(-1, 8, 8)
    y_train = keras.utils.to_categorical(digits.y_train, num_classes)  # as the guide does
    x_val = digits.X_val.reshape(-1, 8, 8)
    y_val = keras.utils.to_categorical(digits.y_val, num_classes)
    STEPS_SEEN.clear()
    result = nbtune.bayesian(MyHyperModel(), None, x_train, y_train,
                             validation_data=(x_val, y_val), max_trials=4,
                             num_initial_points=4, epochs=1, callbacks=[RecordSteps()],
                             progress=False)
    trials = result.trials
    assert (trials.status == "ok").all(), trials.error.tolist()
    assert set(trials.batch_size) == {16, 32}
    # the fit really used each trial's batch size (nbtune passed none of its own)
    n = len(x_train)
    assert sorted(STEPS_SEEN) == sorted(math.ceil(n / b) for b in trials.batch_size)
    assert trials.score.max() > 0.5


# ------------------------------------------------------------------ case 4
def test_bayesian_alpha_and_beta_reach_keras_tuners_oracle(digits, monkeypatch):
    oracle_class = kt.oracles.BayesianOptimizationOracle
    states, populate_space = [], oracle_class.populate_space

    def spy(self, trial_id):  # the oracle that proposes nbtune's trials, as it proposes one
        states.append(self.get_state())
        return populate_space(self, trial_id)

    monkeypatch.setattr(oracle_class, "populate_space", spy)

    def build(units=16):
        model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                                  keras.layers.Dense(10, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        return model

    nbtune.bayesian(build, SearchSpace(Int("units", 4, 64)), *digits.train,
                    validation_data=digits.validation, max_trials=2, num_initial_points=1,
                    alpha=3e-3, beta=0.5, epochs=1, progress=False)
    assert len(states) == 2
    assert (states[0]["alpha"], states[0]["beta"], states[0]["num_initial_points"]) == (3e-3, 0.5, 1)


@pytest.mark.parametrize("setting, message", [
    (dict(alpha=0), "alpha=0 is not allowed"),
    (dict(beta=-1.0), "beta=-1.0 is not allowed"),
    (dict(num_initial_points=0), "num_initial_points=0 is not allowed"),
])
def test_bayesian_refuses_bad_oracle_settings(digits, setting, message):
    with pytest.raises(ValueError, match=message):
        nbtune.bayesian(lambda hp: None, None, *digits.train, **setting)


# ------------------------------------------------------------------ errors
class NoBuild(kt.HyperModel):
    def fit(self, hp, model, *args, **kwargs):
        return model.fit(*args, **kwargs)


@pytest.mark.parametrize("search", [nbtune.hyperband, nbtune.bayesian, nbtune.grid_search])
def test_a_hypermodel_without_build_is_refused_before_training(search, digits):
    with pytest.raises(TypeError, match=r"build_fn=.*NoBuild.*def build\(self, hp\)"):
        search(NoBuild(), None, *digits.train)


@pytest.mark.parametrize("value, fix", [
    (42, r"build_fn=42 \(int\) is neither a function nor a keras_tuner.HyperModel"),
    ("model_builder", "is neither a function nor a keras_tuner.HyperModel"),
    (MyClassificationHyperModel, r"pass an instance: build_fn=MyClassificationHyperModel\(\)"),
])
def test_what_is_neither_a_function_nor_a_hypermodel_is_refused(value, fix, digits):
    with pytest.raises(TypeError, match=fix):
        nbtune.hyperband(value, None, *digits.train)


@pytest.mark.parametrize("search", [nbtune.grid_search, nbtune.random_search])
def test_cross_validated_searches_refuse_a_hypermodels_own_fit(search, digits):
    with pytest.raises(TypeError, match=r"cannot honour MyClassificationHyperModel.fit\(\).*"
                                        r"nbtune.hyperband or\s+nbtune.bayesian"):
        search(MyClassificationHyperModel(), None, *digits.train)


def test_compare_refuses_a_hypermodels_own_fit_where_it_cannot_call_it(digits):
    with pytest.raises(TypeError, match="grid search cannot honour"):
        nbtune.compare(MyHyperModel(), None, *digits.train, strategies=["hyperband", "grid"])
    with pytest.raises(TypeError, match="test_data"):
        nbtune.compare(MyHyperModel(), None, *digits.train, strategies=["hyperband"],
                       test_data=digits.test)


def test_a_fit_that_needs_data_asks_for_it():
    class NeedsData(kt.HyperModel):
        def build(self, hp):
            return build_model(hp)

        def fit(self, hp, model, x, y, **kwargs):
            x = x / np.max(x)  # uses its data with the default values
            return model.fit(x, y, batch_size=hp.Choice("batch_size", [8, 64]), **kwargs)

    with pytest.raises(ValueError, match=r"from_build_fn\(hypermodel, x=X_train, y=y_train\)"):
        SearchSpace.from_build_fn(NeedsData())
    space = SearchSpace.from_build_fn(NeedsData(), x=np.ones((4, 8, 8)), y=np.zeros(4))
    assert space.names[-1] == "batch_size"


def test_other_callables_with_a_build_attribute_are_still_build_functions():
    from nbtune.space.build_fns import check_build_fn

    class Builder:  # a callable object that happens to have a `build`
        build = "v2"

        def __call__(self, units=8):
            return keras.Sequential([keras.layers.Dense(units)])

    check_build_fn(Builder())
    check_build_fn(keras.Sequential)  # a Keras model class used as the builder
    with pytest.raises(TypeError, match="must be a method that takes one argument, hp"):
        check_build_fn(type("Odd", (), {"build": lambda self, x, y: None})())
