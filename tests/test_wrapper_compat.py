"""Code students arrive with, run through nbtune with only the import changed.

Each section ports a peer's code: TensorFlow's own test file of the removed
``tf.keras.wrappers.scikit_learn``; the well-known blog recipe of a one-hot iris
model cross-validated and grid-searched with the wrapper; Keras 3's
``keras.wrappers`` documented examples; scikeras's quickstart (which gets an
error that says what to write instead). Data that the originals download is
swapped for what scikit-learn ships or generates. Real (tiny) models, real fits.
"""

import inspect

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_iris, make_classification, make_regression
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score

keras = pytest.importorskip("keras")

import nbtune  # noqa: E402

# ============================================================================
# TensorFlow's tensorflow/python/keras/wrappers/scikit_learn_test.py (TF 2.12,
# Apache-2.0), every case. Import changed: `from tensorflow.python.keras.wrappers
# import scikit_learn` -> `import nbtune as scikit_learn`, `from tensorflow.python
# import keras` -> `import keras`. Forced changes: `with self.cached_session():`
# (TF1 graph sessions) dropped and the TestCase methods made pytest functions;
# `testing_utils.get_test_data` (a test utility, not importable any more) copied below.
# ============================================================================
import nbtune as scikit_learn  # noqa: E402
from nbtune import Choice, KerasClassifier, SearchSpace  # noqa: E402
from nbtune.training.routing import FIT_CALL_ONLY, FIT_PARAMS  # noqa: E402

INPUT_DIM = 5
HIDDEN_DIM = 5
TRAIN_SAMPLES = 10
TEST_SAMPLES = 5
NUM_CLASSES = 2
BATCH_SIZE = 5
EPOCHS = 1


def get_test_data(train_samples, test_samples, input_shape, num_classes):
    """tensorflow/python/keras/testing_utils.py's generator (class templates + noise)."""
    num_sample = train_samples + test_samples
    templates = 2 * num_classes * np.random.random((num_classes,) + input_shape)
    y = np.random.randint(0, num_classes, size=(num_sample,))
    x = np.zeros((num_sample,) + input_shape, dtype=np.float32)
    for i in range(num_sample):
        x[i] = templates[y[i]] + np.random.normal(loc=0, scale=1.0, size=input_shape)
    return ((x[:train_samples], y[:train_samples]), (x[train_samples:], y[train_samples:]))


def build_fn_clf(hidden_dim):
    model = keras.models.Sequential()
    model.add(keras.layers.Dense(INPUT_DIM, input_shape=(INPUT_DIM,)))
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(hidden_dim))
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(NUM_CLASSES))
    model.add(keras.layers.Activation("softmax"))
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def assert_classification_works(clf):
    np.random.seed(42)
    (x_train, y_train), (x_test, _) = get_test_data(
        train_samples=TRAIN_SAMPLES, test_samples=TEST_SAMPLES,
        input_shape=(INPUT_DIM,), num_classes=NUM_CLASSES)

    clf.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=EPOCHS)

    score = clf.score(x_train, y_train, batch_size=BATCH_SIZE)
    assert np.isscalar(score) and np.isfinite(score)

    preds = clf.predict(x_test, batch_size=BATCH_SIZE)
    assert preds.shape == (TEST_SAMPLES,)
    for prediction in np.unique(preds):
        assert prediction in range(NUM_CLASSES)

    proba = clf.predict_proba(x_test, batch_size=BATCH_SIZE)
    assert proba.shape == (TEST_SAMPLES, NUM_CLASSES)
    assert np.allclose(np.sum(proba, axis=1), np.ones(TEST_SAMPLES))


def build_fn_reg(hidden_dim):
    model = keras.models.Sequential()
    model.add(keras.layers.Dense(INPUT_DIM, input_shape=(INPUT_DIM,)))
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(hidden_dim))
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(1))
    model.add(keras.layers.Activation("linear"))
    model.compile(optimizer="sgd", loss="mean_absolute_error", metrics=["accuracy"])
    return model


def assert_regression_works(reg):
    np.random.seed(42)
    (x_train, y_train), (x_test, _) = get_test_data(
        train_samples=TRAIN_SAMPLES, test_samples=TEST_SAMPLES,
        input_shape=(INPUT_DIM,), num_classes=NUM_CLASSES)

    reg.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=EPOCHS)

    score = reg.score(x_train, y_train, batch_size=BATCH_SIZE)
    assert np.isscalar(score) and np.isfinite(score)

    preds = reg.predict(x_test, batch_size=BATCH_SIZE)
    assert preds.shape == (TEST_SAMPLES,)


def test_classify_build_fn():
    clf = scikit_learn.KerasClassifier(
        build_fn=build_fn_clf, hidden_dim=HIDDEN_DIM, batch_size=BATCH_SIZE, epochs=EPOCHS)
    assert_classification_works(clf)


def test_classify_class_build_fn():
    class ClassBuildFnClf(object):
        def __call__(self, hidden_dim):
            return build_fn_clf(hidden_dim)

    clf = scikit_learn.KerasClassifier(
        build_fn=ClassBuildFnClf(), hidden_dim=HIDDEN_DIM, batch_size=BATCH_SIZE, epochs=EPOCHS)
    assert_classification_works(clf)


def test_classify_inherit_class_build_fn():
    class InheritClassBuildFnClf(scikit_learn.KerasClassifier):
        def __call__(self, hidden_dim):
            return build_fn_clf(hidden_dim)

    clf = InheritClassBuildFnClf(
        build_fn=None, hidden_dim=HIDDEN_DIM, batch_size=BATCH_SIZE, epochs=EPOCHS)
    assert_classification_works(clf)


def test_regression_build_fn():
    reg = scikit_learn.KerasRegressor(
        build_fn=build_fn_reg, hidden_dim=HIDDEN_DIM, batch_size=BATCH_SIZE, epochs=EPOCHS)
    assert_regression_works(reg)


def test_regression_class_build_fn():
    class ClassBuildFnReg(object):
        def __call__(self, hidden_dim):
            return build_fn_reg(hidden_dim)

    reg = scikit_learn.KerasRegressor(
        build_fn=ClassBuildFnReg(), hidden_dim=HIDDEN_DIM, batch_size=BATCH_SIZE, epochs=EPOCHS)
    assert_regression_works(reg)


def test_regression_inherit_class_build_fn():
    class InheritClassBuildFnReg(scikit_learn.KerasRegressor):
        def __call__(self, hidden_dim):
            return build_fn_reg(hidden_dim)

    reg = InheritClassBuildFnReg(
        build_fn=None, hidden_dim=HIDDEN_DIM, batch_size=BATCH_SIZE, epochs=EPOCHS)
    assert_regression_works(reg)


# ---------------------------------------------------------------- what the port relies on


def test_fit_keyword_arguments_hold_for_that_call_only():
    X, y = make_classification(120, 6, random_state=0)
    clf = KerasClassifier(build_fn=build_fn_clf_any, epochs=3, random_state=0)
    clf.fit(X, y, epochs=1, batch_size=60)
    assert len(clf.history["loss"]) == 1
    clf.fit(X, y)
    assert len(clf.history["loss"]) == 3 and clf.epochs == 3 and clf.batch_size == 32
    with pytest.raises(TypeError, match=r"fit\(\) got unexpected keyword arguments \['units'\]"):
        clf.fit(X, y, units=3)
    with pytest.raises(TypeError, match=r"predict\(\) got unexpected"):
        clf.predict(X, units=3)
    weights = np.where(y == 1, 0.0, 1.0)  # class 1 weighs nothing: the model learns class 0
    clf.fit(X, y, sample_weight=weights, epochs=5)
    assert (clf.predict(X) == 0).mean() > 0.9


def build_fn_clf_any(n_features_in, hidden_dim=8):
    model = keras.Sequential([keras.Input((n_features_in,)),
                              keras.layers.Dense(hidden_dim, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="categorical_crossentropy")
    return model


def test_fit_params_are_keras_model_fit_arguments():
    fit_args = set(inspect.signature(keras.Model.fit).parameters) - {"self", "x", "y"}
    assert set(FIT_PARAMS) | set(FIT_CALL_ONLY) == fit_args


# ============================================================================
# The blog recipe (Machine Learning Mastery, "Multi-Class Classification Tutorial
# with the Keras Deep Learning Library", and its grid-search sequel): iris with
# one-hot targets (np_utils.to_categorical), `baseline_model()` with
# categorical_crossentropy, `KerasClassifier(build_fn=..., epochs=..., batch_size=...,
# verbose=0)`, `cross_val_score(estimator, X, dummy_y, cv=kfold)`; then
# GridSearchCV with every Model.fit argument as a wrapper parameter, as the old
# wrapper allowed. Import changed: `from keras.wrappers.scikit_learn import
# KerasClassifier` -> `from nbtune import KerasClassifier`; `np_utils.to_categorical`
# -> `keras.utils.to_categorical` (Keras 3 removed np_utils); iris from scikit-learn
# instead of iris.csv; epochs and folds cut to keep the test fast.
# ============================================================================


def baseline_model():
    model = keras.models.Sequential()
    model.add(keras.layers.Dense(8, input_dim=4, activation="relu"))
    model.add(keras.layers.Dense(3, activation="softmax"))
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


@pytest.fixture(scope="module")
def iris():
    X, Y = load_iris(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)  # the blog's later "standardize" step, done up front
    dummy_y = keras.utils.to_categorical(Y)
    return X.astype(np.float32), Y, dummy_y


def test_blog_iris_one_hot_cross_val_score(iris):
    X, _, dummy_y = iris
    estimator = KerasClassifier(build_fn=baseline_model, epochs=100, batch_size=5, verbose=0,
                                random_state=7)
    kfold = KFold(n_splits=3, shuffle=True, random_state=7)
    results = cross_val_score(estimator, X, dummy_y, cv=kfold)
    assert results.shape == (3,) and results.mean() > 0.85  # plain Keras gets the same; the blog ~0.97 at 200 epochs


def test_blog_iris_grid_search_with_fit_arguments_as_parameters(iris):
    X, Y, dummy_y = iris
    X_val, y_val = X[::5], dummy_y[::5]
    model = KerasClassifier(build_fn=baseline_model, verbose=0, random_state=7,
                            class_weight={0: 1.0, 1: 1.0, 2: 2.0}, validation_data=(X_val, y_val))
    param_grid = dict(batch_size=[10, 30], epochs=[5, 40])
    # shuffled folds, as the blog does: with one-hot y scikit-learn cannot stratify, and
    # iris is sorted by class, so cv=3 would test each fold on a class it never saw
    kfold = KFold(n_splits=3, shuffle=True, random_state=7)
    grid_result = GridSearchCV(estimator=model, param_grid=param_grid, cv=kfold).fit(X, dummy_y)
    assert grid_result.best_params_["epochs"] == 40  # more training wins on iris
    means = grid_result.cv_results_["mean_test_score"]
    assert means.shape == (4,) and means.max() > 0.7  # chance: 0.33

    history = model.set_params(epochs=4).fit(X, dummy_y)
    assert len(history.history["loss"]) == 4
    assert {"val_loss", "val_accuracy"} <= set(history.history)  # validation_data was used
    assert list(model.classes_) == [0, 1, 2]
    assert set(model.predict(X)) <= {0, 1, 2}  # labels, not one-hot rows
    assert model.score(X, dummy_y) == model.score(X, Y)
    assert isinstance(model.model_, keras.Model)  # the trained model is model_ (old: model.model)


def test_class_weight_and_validation_data_follow_string_labels():
    X, y = make_classification(200, 6, weights=[0.8, 0.2], random_state=0)
    names = np.array(["common", "rare"])[y]
    clf = KerasClassifier(build_fn_clf_any, epochs=4, random_state=0,
                          class_weight={"common": 1.0, "rare": 50.0},
                          validation_data=(X[:50], names[:50])).fit(X, names)
    assert "val_loss" in clf.history
    assert (clf.predict(X) == "rare").mean() > 0.5  # the heavy weight reached the rare class
    with pytest.raises(ValueError, match=r"class_weight has labels \['other'\]"):
        clf.set_params(class_weight={"other": 1.0}).fit(X, names)


def test_early_stopping_on_val_loss_sees_validation_data():
    X, y = make_classification(300, 6, random_state=0)
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=0)
    clf = KerasClassifier(build_fn_clf_any, epochs=200, random_state=0, callbacks=[stop],
                          validation_data=(X[:100], y[:100])).fit(X[100:], y[100:])
    assert 1 < len(clf.history["loss"]) < 200


# ============================================================================
# Keras 3's keras.wrappers documented examples (keras/src/wrappers/sklearn_wrapper.py,
# Apache-2.0): a builder of (X, y, ...) with model_kwargs, `est.fit(X, y, epochs=5)`;
# and a compiled keras.Model as `model=`. Import changed: `from keras.wrappers import
# SKLearnClassifier` -> `from nbtune import KerasClassifier as SKLearnClassifier`.
# ============================================================================
from nbtune import KerasClassifier as SKLearnClassifier  # noqa: E402
from nbtune import KerasRegressor as SKLearnRegressor  # noqa: E402


def dynamic_model(X, y, loss, layers=[10]):  # noqa: B006 -- as in Keras's docs
    # Creates a basic MLP model dynamically choosing the input and
    # output shapes.
    n_features_in = X.shape[1]
    inp = keras.layers.Input(shape=(n_features_in,))

    hidden = inp
    for layer_size in layers:
        hidden = keras.layers.Dense(layer_size, activation="relu")(hidden)

    n_outputs = y.shape[1] if len(y.shape) > 1 else 1
    out = keras.layers.Dense(n_outputs, activation="softmax")(hidden)
    model = keras.models.Model(inp, out)
    model.compile(loss=loss, optimizer="rmsprop")

    return model


def dynamic_regression_model(X, y, loss, layers=[10]):  # noqa: B006
    n_features_in = X.shape[1]
    inp = keras.layers.Input(shape=(n_features_in,))
    hidden = inp
    for layer_size in layers:
        hidden = keras.layers.Dense(layer_size, activation="relu")(hidden)
    n_outputs = y.shape[1] if len(y.shape) > 1 else 1
    out = keras.layers.Dense(n_outputs)(hidden)
    model = keras.models.Model(inp, out)
    model.compile(loss=loss, optimizer="rmsprop")
    return model


def test_keras3_classifier_example():
    X, y = make_classification(n_samples=1000, n_features=10, random_state=0)
    est = SKLearnClassifier(
        model=dynamic_model,
        model_kwargs={
            "loss": "categorical_crossentropy",
            "layers": [20, 20, 20],
        },
    )

    est.fit(X, y, epochs=5)
    assert len(est.history_["loss"]) == 5
    assert est.model_.output_shape == (None, 2)  # y reached the builder one-hot, as in Keras
    assert est.score(X, y) > 0.8
    assert est.get_params()["layers"] == [20, 20, 20]


def test_keras3_regressor_example():
    X, y = make_regression(n_samples=1000, n_features=10, random_state=0)
    est = SKLearnRegressor(
        model=dynamic_regression_model,
        model_kwargs={
            "loss": "mse",
            "layers": [20, 20, 20],
        },
    )

    est.fit(X, y / y.std(), epochs=5)
    assert est.score(X, y / y.std()) > 0.5


def test_keras3_fit_kwargs_and_a_compiled_model_instance():
    X, y = make_classification(n_samples=300, n_features=10, random_state=0)
    inp = keras.layers.Input(shape=(10,))
    out = keras.layers.Dense(2, activation="softmax")(keras.layers.Dense(16, "relu")(inp))
    model = keras.models.Model(inp, out)
    model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(0.01))
    before = [w.copy() for w in model.get_weights()]

    est = SKLearnClassifier(model=model, fit_kwargs={"epochs": 4})
    est.fit(X, y)
    assert est.epochs == 4 and len(est.history_["loss"]) == 4
    assert est.model_ is not model and est.score(X, y) > 0.8
    assert est.model_.optimizer is not model.optimizer
    assert float(est.model_.optimizer.learning_rate) == pytest.approx(0.01)
    for kept, now in zip(before, model.get_weights()):
        np.testing.assert_array_equal(kept, now)  # the given model is never trained

    search = GridSearchCV(est, {"batch_size": [16, 64]}, cv=2).fit(X, y)
    assert search.best_estimator_.model is model  # shared, not deep-copied
    assert search.best_score_ > 0.8


def test_uncompiled_model_instance_is_compiled_for_the_data():
    X, y = load_digits(return_X_y=True)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(10, activation="softmax")])
    clf = KerasClassifier(model=model, epochs=30, random_state=0).fit(X[:500] / 16, y[:500])
    assert clf.model_.loss == "sparse_categorical_crossentropy" and not model.compiled
    assert clf.score(X[500:800] / 16, y[500:800]) > 0.6  # chance: 0.1


# ============================================================================
# scikeras's quickstart (scikeras 0.13 README, MIT): a `meta` argument, `loss=` on the
# wrapper, and the `model__` / `fit__` / `optimizer__` routing prefixes. nbtune
# refuses them, before any training, with what to write instead.
# ============================================================================


def get_model(hidden_layer_dim, meta):
    # note that meta is a special argument that will be
    # handed a dict containing input metadata
    n_features_in_ = meta["n_features_in_"]
    X_shape_ = meta["X_shape_"]
    n_classes_ = meta["n_classes_"]

    model = keras.models.Sequential()
    model.add(keras.layers.Dense(n_features_in_, input_shape=X_shape_[1:]))
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(hidden_layer_dim))
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(n_classes_))
    model.add(keras.layers.Activation("softmax"))
    return model


def test_scikeras_quickstart_gets_the_fix():
    X, y = make_classification(1000, 20, n_informative=10, random_state=0)
    X = X.astype(np.float32)
    y = y.astype(np.int64)
    clf = KerasClassifier(get_model, loss="sparse_categorical_crossentropy",
                          hidden_layer_dim=100)
    with pytest.raises(ValueError, match=r"'meta'.*n_features_in.*meta\['n_classes_'\] -> n_classes"):
        clf.fit(X, y)


@pytest.mark.parametrize("name, fix", [
    ("model__hidden", r"scikeras's spelling.*write hidden=\.\.\."),
    ("fit__batch_size", r"write batch_size=\.\.\."),
    ("optimizer__learning_rate", r"argument 'learning_rate' to the build function"),
    ("compile_kwargs", r"compile the model inside the build function"),
    ("loss", r"model\.compile\(loss=\.\.\.\) in the build function"),
    ("warm_start", r"not supported: every fit builds a new model"),
])
def test_scikeras_spellings_say_what_to_write(name, fix):
    clf = KerasClassifier(build_fn_clf_any)
    with pytest.raises(ValueError, match=fix):
        clf.set_params(**{name: 1})
    with pytest.raises(ValueError, match=fix):  # given to the constructor: caught at fit
        KerasClassifier(build_fn_clf_any, **{name: 1}).fit(np.zeros((4, 3)), [0, 1, 0, 1])


# ============================================================================
# Logits and images (TensorFlow's keras_tuner tutorial's model: Flatten, Dense(10)
# logits, SparseCategoricalCrossentropy(from_logits=True)), in the estimator and in
# nbtune's cross-validated searches.
# ============================================================================


def logits_model(units=32, learning_rate=1e-2):
    model = keras.Sequential([keras.Input((8, 8)), keras.layers.Flatten(),
                              keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def conv_model(input_shape, n_classes, filters=4):
    model = keras.Sequential([keras.Input(input_shape),
                              keras.layers.Conv2D(filters, 3, activation="relu"),
                              keras.layers.Flatten(),
                              keras.layers.Dense(n_classes, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
    return model


@pytest.fixture(scope="module")
def digit_images():
    digits = nbtune.data.load_digits()
    (X, y), (X_val, y_val) = digits.train, digits.validation
    return X.reshape(-1, 8, 8), y, X_val.reshape(-1, 8, 8), y_val


def test_logits_give_probabilities_and_images_of_any_rank(digit_images):
    X, y, X_val, y_val = digit_images
    clf = KerasClassifier(logits_model, epochs=5, random_state=0).fit(X, y)
    raw = keras.ops.convert_to_numpy(clf.model_(X_val[:20]))
    assert raw.min() < 0  # the model outputs logits ...
    proba = clf.predict_proba(X_val)
    assert proba.min() >= 0 and np.allclose(proba.sum(axis=1), 1)  # ... predict_proba does not
    np.testing.assert_allclose(proba[:20], np.exp(raw) / np.exp(raw).sum(1, keepdims=True),
                               rtol=1e-5)
    assert clf.score(X_val, y_val) > 0.85 and clf.n_features_in_ == 8

    conv = KerasClassifier(conv_model, epochs=5, random_state=0)
    conv.fit(X[..., None], y)
    assert conv.model_.input_shape == (None, 8, 8, 1) and conv.score(X_val[..., None], y_val) > 0.8
    with pytest.raises(ValueError):
        conv.predict(X_val[:, :4, :, None])  # images of another size


def test_binary_logits_go_through_a_sigmoid():
    X, y = make_classification(300, 5, random_state=1)

    def one_logit():
        model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1)])
        model.compile(keras.optimizers.Adam(0.05),
                      keras.losses.BinaryCrossentropy(from_logits=True))
        return model

    clf = KerasClassifier(one_logit, epochs=5, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (300, 2) and 0 <= proba.min() and proba.max() <= 1
    assert clf.score(X, y) > 0.8


def test_cross_validated_searches_take_images_and_logits(digit_images):
    X, y, _, _ = digit_images
    space = SearchSpace(Choice("units", [8, 32]), Choice("learning_rate", [1e-2]))
    grid = nbtune.grid_search(logits_model, space, X[:600], y[:600], cv=2, epochs=4,
                              progress=False)
    assert (grid.trials["status"] == "ok").all()
    assert grid.best_score > 0.8
    random = nbtune.random_search(logits_model, space, X[:600], keras.utils.to_categorical(y[:600]),
                                  cv=2, n_iter=1, epochs=4, progress=False)
    assert random.best_score > 0.7  # one-hot y is taken as the labels it encodes


def test_a_hypermodel_with_its_own_fit_is_refused_with_the_way_out():
    kt = pytest.importorskip("keras_tuner")

    class OwnFit(kt.HyperModel):
        def build(self, hp):
            return build_fn_clf_any(6, hp.Int("hidden_dim", 4, 8))

        def fit(self, hp, model, *args, **kwargs):
            return model.fit(*args, shuffle=hp.Boolean("shuffle"), **kwargs)

    X, y = make_classification(60, 6, random_state=0)
    with pytest.raises(TypeError, match=r"own fit\(\).*nbtune.hyperband.*model=hypermodel.build"):
        KerasClassifier(OwnFit()).fit(X, y)
    clf = KerasClassifier(OwnFit().build, epochs=2, random_state=0).fit(X, y)
    assert clf.score(X, y) > 0.5

    class PlainFit(kt.HyperModel):  # keras-tuner's default fit: nothing to honour
        build = OwnFit.build

    clf = KerasClassifier(PlainFit(), hidden_dim=4, epochs=2, random_state=0).fit(X, y)
    assert clf.model_.layers[0].units == 4
