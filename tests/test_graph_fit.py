"""A whole fit in one traced call (nbtune.training.graph_fit), checked against the plain way.

The reference is written out by hand: for every batch a forward pass under a
GradientTape, the loss, the optimizer's step, and the epoch's mean loss and
accuracy counted in numpy, with the same batch order (the same stateless
shuffle) and the same initial weights. Keras's ``fit`` cannot be the exact
reference (its batch order comes from tf.data), so it is compared in
distribution over many seeds.
"""

import numpy as np
import pytest

from nbtune.training import graph_fit

SEED, EPOCHS, BATCH = 3, 3, 32


@pytest.fixture(autouse=True)
def one_call_fits(monkeypatch):
    """The path is off by default until the shipped results are made with it (graph_fit.DEFAULT)."""
    monkeypatch.setenv("NBTUNE_GRAPH_FIT", "1")


def _model(dropout=0.2, l2=1e-3, learning_rate=1e-2):
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(16, activation="relu",
                           kernel_regularizer=keras.regularizers.L2(l2)),
        keras.layers.Dropout(dropout),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data(digits, rows=300):
    X, y = digits.train
    X_val, y_val = digits.validation
    return (np.asarray(X[:rows], "float32"), np.asarray(y[:rows], "int32"),
            np.asarray(X_val[:100], "float32"), np.asarray(y_val[:100], "int32"))


def _plain_fit(model, X, y, X_val, y_val, *, epochs, batch_size, seed, first_epoch=0,
               shuffle=True):
    """The reference: an unrolled loop over the same batches, its figures counted in numpy."""
    import keras
    import tensorflow as tf

    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    model.optimizer.build(model.trainable_variables)
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for epoch in range(first_epoch, epochs):
        order = np.arange(len(X))
        if shuffle:
            order = tf.random.experimental.stateless_shuffle(
                tf.range(len(X)), seed=tf.constant([seed, epoch], tf.int64)).numpy()
        losses, right = [], 0
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            with tf.GradientTape() as tape:
                predicted = model(X[rows], training=True)
                loss = loss_fn(y[rows], predicted) + tf.add_n(model.losses)
            grads = tape.gradient(loss, model.trainable_variables)
            model.optimizer.apply(grads, model.trainable_variables)
            losses.append(float(loss) * len(rows))
            right += int(np.sum(np.argmax(predicted.numpy(), 1) == y[rows]))
        history["loss"].append(sum(losses) / len(X))
        history["accuracy"].append(right / len(X))
        val_losses, val_right = [], 0
        for start in range(0, len(X_val), batch_size):
            predicted = model(X_val[start:start + batch_size], training=False)
            part = y_val[start:start + batch_size]
            val_losses.append((float(loss_fn(part, predicted)) + float(tf.add_n(model.losses)))
                              * len(part))
            val_right += int(np.sum(np.argmax(predicted.numpy(), 1) == part))
        history["val_loss"].append(sum(val_losses) / len(X_val))
        history["val_accuracy"].append(val_right / len(X_val))
    return history


def _assert_same(graph, plain, graph_model, plain_model):
    assert sorted(graph) == sorted(plain)
    for name in plain:
        np.testing.assert_allclose(graph[name], plain[name], rtol=0, atol=1e-6, err_msg=name)
    for a, b in zip(graph_model.weights, plain_model.weights, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=0, atol=1e-6, err_msg=a.path)


@pytest.mark.parametrize("shuffle", [True, False])
def test_one_call_trains_as_a_plain_loop_over_the_same_batches(digits, shuffle):
    X, y, X_val, y_val = _data(digits)
    model, reference = _model(), _model()
    history = graph_fit.fit_in_one_call(model, X, y, epochs=EPOCHS, batch_size=BATCH, seed=SEED,
                                        validation_data=(X_val, y_val), shuffle=shuffle)
    plain = _plain_fit(reference, X, y, X_val, y_val, epochs=EPOCHS, batch_size=BATCH,
                       seed=SEED, shuffle=shuffle)
    assert len(history["loss"]) == EPOCHS and history["accuracy"][-1] > 0.3  # it learnt (10 classes)
    _assert_same(history, plain, model, reference)


def test_a_continued_fit_trains_on_as_the_plain_loop_does(digits):
    """Hyperband's promotions: epochs 2 and 3 after epoch 1, with the optimizer's state."""
    X, y, X_val, y_val = _data(digits)
    model, reference = _model(), _model()
    first = graph_fit.fit_in_one_call(model, X, y, epochs=1, batch_size=BATCH, seed=SEED,
                                      validation_data=(X_val, y_val))
    more = graph_fit.fit_in_one_call(model, X, y, epochs=3, initial_epoch=1, batch_size=BATCH,
                                     seed=SEED, validation_data=(X_val, y_val))
    plain = _plain_fit(reference, X, y, X_val, y_val, epochs=3, batch_size=BATCH, seed=SEED)
    joined = {name: first[name] + more[name] for name in first}
    _assert_same(joined, plain, model, reference)


def test_the_second_fit_of_a_model_reuses_its_graph_with_other_sizes(digits):
    """One trace per model: other batch sizes, epochs and row counts run the same graph."""
    X, y, _, _ = _data(digits)
    model = _model()
    graph_fit.fit_in_one_call(model, X, y, epochs=1, batch_size=8, seed=0)
    (program, _), = graph_fit.traced_fits(model).values()
    graph_fit.fit_in_one_call(model, X[:200], y[:200], epochs=2, batch_size=64, seed=1)
    assert program.experimental_get_tracing_count() == 1


def test_graph_and_keras_fits_agree_in_distribution(digits):
    """Over 12 seeds each, the validation accuracy after 3 epochs has one distribution
    (bench/graph_fit_agreement.py runs more seeds and prints the figures)."""
    import keras
    from scipy.stats import mannwhitneyu

    X, y, X_val, y_val = _data(digits)
    scores = {"graph": [], "keras": []}
    models = {path: _model(dropout=0.1) for path in scores}
    starts = {path: [v.numpy() for v in (*m.weights, *m.optimizer.variables)]
              for path, m in models.items() if m.optimizer.build(m.trainable_variables) is None}
    for seed in range(12):
        for path, model in models.items():
            for variable, start in zip((*model.weights, *model.optimizer.variables), starts[path]):
                variable.assign(start)
            glorot = keras.initializers.GlorotUniform(seed)
            for layer in model.layers:
                if hasattr(layer, "kernel"):
                    layer.kernel.assign(glorot(layer.kernel.shape))
            if path == "graph":
                graph_fit.fit_in_one_call(model, X, y, epochs=3, batch_size=BATCH, seed=seed)
            else:
                keras.utils.set_random_seed(seed)
                model.fit(X, y, epochs=3, batch_size=BATCH, verbose=0)
            predicted = np.argmax(model(X_val, training=False).numpy(), axis=1)
            scores[path].append(float(np.mean(predicted == y_val)))
    graph, fit = np.array(scores["graph"]), np.array(scores["keras"])
    assert len(set(graph)) > 1 and len(set(fit)) > 1  # the seeds do change the models
    assert mannwhitneyu(graph, fit).pvalue > 0.05, (graph, fit)
    assert abs(graph.mean() - fit.mean()) < 0.03, (graph.mean(), fit.mean())


def test_a_diverging_fit_stops_at_the_batch_and_fails_with_the_epoch(digits):
    import keras

    from nbtune import KerasRegressor

    def exploding(n_features_in):
        model = keras.Sequential([keras.Input((n_features_in,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e10), loss="mse")
        return model

    X, y, _, _ = _data(digits)
    with pytest.raises(ValueError, match="Training diverged: the loss became .* at epoch 1 of 3"):
        KerasRegressor(exploding, epochs=3, random_state=0).fit(X, y * 1e6)
    stopped = graph_fit.fit_in_one_call(exploding(64), X, (y * 1e6).astype("float32"), epochs=3)
    assert len(stopped["loss"]) == 1 and not np.isfinite(stopped["loss"][0])


def test_the_estimator_says_which_path_ran_and_why(digits):
    from nbtune import KerasClassifier
    from nbtune.training import engine

    X, y, _, _ = _data(digits, rows=100)
    clf = KerasClassifier(_model, epochs=1, random_state=0)
    with engine.reusing_models():  # one model (traced once per path) for all these fits
        _check_the_paths(clf, X, y)


def _check_the_paths(clf, X, y):
    import keras

    from nbtune import ClearTrainingOutput

    assert clf.fit(X, y).fit_path_ == "graph" and clf.fit_path_reason_ is None
    assert clf.fit(X, y, callbacks=[ClearTrainingOutput()]).fit_path_ == "graph"
    cases = {
        "a callback that runs between epochs (EarlyStopping)":
            dict(callbacks=[keras.callbacks.EarlyStopping(monitor="loss")]),
        "verbose=1 (Keras prints its progress)": dict(verbose=1),
        "verbose='auto' (Keras prints its progress)": dict(verbose="auto"),
        "sample_weight=": dict(sample_weight=np.ones(len(X))),
        "validation_split=0.2": dict(validation_split=0.2),
    }
    for reason, kwargs in cases.items():
        clf.fit(X, y, **kwargs)
        assert (clf.fit_path_, clf.fit_path_reason_[:len(reason)]) == ("keras", reason)
    with graph_fit.keras_fit_only():
        assert clf.fit(X, y).fit_path_ == "keras"
    assert clf.fit(X, y).fit_path_ == "graph"


def test_a_subclass_of_an_nbtune_callback_is_not_taken_on_trust():
    from nbtune import ClearTrainingOutput

    class EveryEpoch(ClearTrainingOutput):
        def on_epoch_end(self, epoch, logs=None):
            pass

    assert graph_fit.graph_safe(ClearTrainingOutput())
    assert not graph_fit.graph_safe(EveryEpoch())


def test_clear_training_output_still_clears_once_per_fit(digits, monkeypatch):
    import IPython.display

    from nbtune import ClearTrainingOutput, KerasClassifier
    from nbtune.training import callbacks

    cleared = []
    monkeypatch.setattr(callbacks, "in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "clear_output", lambda wait: cleared.append(wait))
    X, y, _, _ = _data(digits)
    callback = ClearTrainingOutput()
    clf = KerasClassifier(_model, epochs=2, random_state=0).fit(X, y, callbacks=[callback])
    assert clf.fit_path_ == "graph" and cleared == [True] and callback.cleared == 1


def test_unseeded_fits_draw_new_batch_orders(digits):
    X, y, _, _ = _data(digits)
    model = _model(dropout=0.0)
    start = [v.numpy() for v in model.weights]
    finals = []
    for _ in range(2):
        for variable, value in zip(model.weights, start):
            variable.assign(value)
        model.optimizer = model.optimizer  # same optimizer; its state moves on, as Keras's would
        graph_fit.fit_in_one_call(model, X, y, epochs=1, batch_size=BATCH, seed=None)
        finals.append(model.weights[0].numpy().copy())
    assert not np.array_equal(*finals)


def test_searches_record_the_path_in_the_trials_table(digits):
    import keras

    import nbtune
    from nbtune import Choice, SearchSpace

    X, y, X_val, y_val = _data(digits, rows=200)
    space = SearchSpace(Choice("units", [8, 16]))

    def build(units=8):
        return keras.Sequential([keras.Input((64,)), keras.layers.Dense(units, activation="relu"),
                                 keras.layers.Dense(10, activation="softmax")])

    grid = nbtune.grid_search(build, space, X, y, cv=2, epochs=1, progress=False,
                              random_state=0)
    assert grid.trials["fit_path"].tolist() == ["graph", "graph"]
    stop = keras.callbacks.EarlyStopping(monitor="val_loss")
    band = nbtune.hyperband(build, space, X, y, validation_data=(X_val, y_val), max_epochs=3,
                            progress=False, random_state=0, callbacks=[stop])
    assert set(band.trials["fit_path"]) == {"keras"}
