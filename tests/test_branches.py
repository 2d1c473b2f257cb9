"""Many configurations in one model (nbtune.training.branches), checked branch by branch.

The reference trains each branch alone, the plain way: its own Keras model's
layers, Keras's own loss and its own Keras optimizer, over the same batches
(the same stateless shuffle of its seed) with the same dropout masks.
"""

import numpy as np
import pytest

from nbtune.training import branches

EPOCHS, BATCH = 2, 32


def _model(units, learning_rate, *, activation="relu", dropout=0.0, l2=0.0, optimizer="adam",
           seed=0):
    import keras

    keras.utils.set_random_seed(seed)
    regularizer = keras.regularizers.L2(l2) if l2 else None
    layers = [keras.Input((64,)),
              keras.layers.Dense(units, activation=activation, kernel_regularizer=regularizer)]
    if dropout:
        layers.append(keras.layers.Dropout(dropout))
    model = keras.Sequential([*layers, keras.layers.Dense(10, activation="softmax")])
    kind = keras.optimizers.Adam if optimizer == "adam" else keras.optimizers.SGD
    model.compile(optimizer=kind(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


BRANCHES = [  # widths, activations, dropout, L2, learning rates, initial weights all differ
    dict(units=16, learning_rate=1e-2, seed=1),
    dict(units=32, learning_rate=1e-3, activation="tanh", dropout=0.3, seed=2),
    dict(units=8, learning_rate=3e-3, activation="sigmoid", l2=1e-3, seed=3),
]


def _alone(model, read, k, X, y, seeds, K, widths):
    """Branch k trained alone by a plain loop, with the masks the branches program drew."""
    import keras
    import tensorflow as tf

    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    hidden, output = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    model.optimizer.build(model.trainable_variables)
    rates = np.zeros(K, "float32")
    rates[k] = read.dropouts[0]
    step = 0
    for epoch in range(EPOCHS):
        order = tf.random.experimental.stateless_shuffle(
            tf.range(len(X)), seed=tf.constant([seeds[k], epoch], tf.int64)).numpy()
        for start in range(0, len(X), BATCH):
            rows = order[start:start + BATCH]
            masks = branches.dropout_masks(0, step * 16, rates, (K, len(rows), widths[1]))
            with tf.GradientTape() as tape:
                h = hidden(X[rows]) * masks[k, :, :read.widths[1]]
                loss = loss_fn(y[rows], output(h)) + sum(model.losses)
            grads = tape.gradient(loss, model.trainable_variables)
            model.optimizer.apply(grads, model.trainable_variables)
            step += 1


def test_each_branch_trains_as_its_model_alone(digits):
    X, y = (np.asarray(a) for a in digits.train)
    X, y = X[:200].astype("float32"), y[:200].astype("int32")
    models = [_model(**b) for b in BRANCHES]
    alone = [_model(**b) for b in BRANCHES]  # the same initial weights (the same seeds)
    group = branches.Branches(models)
    seeds = [5, 6, 7]
    histories = group.fit(X, y, epochs=EPOCHS, batch_size=BATCH, seeds=seeds)
    for k, model in enumerate(alone):
        _alone(model, group.branches[k], k, X, y, seeds, len(models), group.widths)
        for trained, reference in zip(models[k].weights, model.weights, strict=True):
            np.testing.assert_allclose(trained.numpy(), reference.numpy(), rtol=0, atol=2e-5,
                                       err_msg=f"branch {k}: {trained.path}")
    assert all(h["loss"][-1] < h["loss"][0] for h in histories)  # each branch learnt


def test_the_branch_figures_are_each_models_own(digits):
    """The recorded accuracy is what the written-back model scores; the loss is Keras's."""
    import keras

    X, y = (np.asarray(a) for a in digits.train)
    X_val, y_val = (np.asarray(a) for a in digits.validation)
    models = [_model(**b) for b in BRANCHES]
    histories = branches.Branches(models).fit(X, y, epochs=EPOCHS, batch_size=BATCH,
                                              seeds=[0, 1, 2], validation_data=(X_val, y_val))
    for model, history in zip(models, histories, strict=True):
        probabilities = model(X_val.astype("float32"), training=False).numpy()
        accuracy = np.mean(np.argmax(probabilities, 1) == y_val)
        assert history["val_accuracy"][-1] == pytest.approx(accuracy, abs=1e-6)
        loss = float(keras.losses.SparseCategoricalCrossentropy()(y_val, probabilities)
                     + sum(model.losses))
        assert history["val_loss"][-1] == pytest.approx(loss, rel=1e-4)


def test_one_stacked_adam_step_is_one_keras_adam_per_branch():
    """The optimizer that scales each branch by its own rate equals separate optimizers."""
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    rates = np.array([1e-1, 1e-2, 1e-3], "float32")
    start = rng.normal(size=(3, 4, 5)).astype("float32")
    grads = [rng.normal(size=(3, 4, 5)).astype("float32") for _ in range(3)]
    stacked = [tf.Variable(start)]
    slots = [[tf.Variable(tf.zeros_like(stacked[0]))] for _ in range(2)]
    for step, grad in enumerate(grads, start=1):
        branches._adam_step(stacked, [tf.constant(grad)], slots, tf.constant(rates), step)
    for k, rate in enumerate(rates):
        alone = tf.Variable(start[k])
        optimizer = keras.optimizers.Adam(float(rate))
        for grad in grads:
            optimizer.apply([tf.constant(grad[k])], [alone])
        np.testing.assert_allclose(stacked[0].numpy()[k], alone.numpy(), rtol=0, atol=1e-6)


def test_what_cannot_be_a_branch_says_why():
    import keras

    assert branches.read_dense(_model(8, 1e-3)).widths == (64, 8, 10)
    rms = _model(8, 1e-3)
    rms.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    assert "RMSprop" in branches.read_dense(rms)
    conv = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3)])
    assert "Conv2D" in branches.read_dense(conv) or "flat" in branches.read_dense(conv)
    with pytest.raises(ValueError, match="share depth"):
        branches.Branches([_model(8, 1e-3), _model(8, 1e-3, optimizer="sgd")])


def test_a_table_made_as_branches_is_what_one_call_fits_give(tmp_path, monkeypatch):
    """Items 1 and 2 together: without dropout, a branch is its one-call fit (the same initial
    weights, batch order and Adam), so the table's curves are the live fits' to float error."""
    from nbtune import Choice, KerasClassifier, SearchSpace, benchmarks, data, lessons

    monkeypatch.setenv("NBTUNE_GRAPH_FIT", "1")
    digits = data.load_digits()
    space = SearchSpace(Choice("units", [16, 64]), Choice("learning_rate", [0.01, 0.001]))
    folder = benchmarks.tabulate(space, lessons.build_digits_model, digits, directory=str(tmp_path),
                                 project_name="branches", seeds=(0, 1), max_epochs=2)
    records = [__import__("json").loads(line)
               for line in (folder / "trials.jsonl").read_text().splitlines()]
    assert {r["fit_path"] for r in records} == {"branches"} and len(records) == 8
    for record in records[::3]:
        live = KerasClassifier(lessons.build_digits_model, epochs=2, random_state=record["seed"],
                               batch_size=32, units=record["units"],
                               learning_rate=record["learning_rate"])
        live.fit(*digits.train, validation_data=digits.validation)
        assert live.fit_path_ == "graph"
        for key in ("loss", "val_loss", "val_accuracy"):
            np.testing.assert_allclose([row[key] for row in record["curves"]], live.history_[key],
                                       rtol=0, atol=2e-5, err_msg=key)
