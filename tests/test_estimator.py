"""Tests of nbtune.training.estimator: KerasClassifier / KerasRegressor.

Real (tiny) Keras models on real data. A Keras fit costs about a second of
tracing, so models are small, epochs few, and data sets subsets.
"""

import pickle
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

from nbtune.training.estimator import KerasClassifier, KerasRegressor

keras = pytest.importorskip("keras")


# ----------------------------------------------------------------- build functions
# Module level, so that fitted estimators can be pickled (pickle stores functions by name).


def tiny_classifier(n_features_in, n_classes, hidden=8, learning_rate=0.05):
    """Adapts to the data: one sigmoid unit for two classes, softmax otherwise."""
    if n_classes == 2:
        out, loss = keras.layers.Dense(1, activation="sigmoid"), "binary_crossentropy"
    else:
        out = keras.layers.Dense(n_classes, activation="softmax")
        loss = "sparse_categorical_crossentropy"
    model = keras.Sequential(
        [keras.Input((n_features_in,)), keras.layers.Dense(hidden, activation="relu"), out]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
    return model


def tiny_regressor(n_features_in, n_outputs, hidden=8, learning_rate=0.05):
    model = keras.Sequential(
        [
            keras.Input((n_features_in,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(n_outputs),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mse")
    return model


SEEN = []  # (units, learning_rate) as the build function received them


def create_model(units=8, activation="relu", learning_rate=0.01):
    """The lesson's shape: fixed input size (breast cancer: 30 features), compiled."""
    SEEN.append((units, learning_rate))
    model = keras.Sequential(
        [
            keras.Input((30,)),
            keras.layers.Dense(units, activation=activation),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def uncompiled_softmax(n_features_in, n_classes, units=16):
    return keras.Sequential(
        [
            keras.Input((n_features_in,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )


def one_hot_softmax(n_features_in, n_classes, units=16):
    model = uncompiled_softmax(n_features_in, n_classes, units)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
    return model


def exploding(n_features_in, n_outputs):
    model = keras.Sequential([keras.Input((n_features_in,)), keras.layers.Dense(n_outputs)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e10), loss="mse")
    return model


def takes_anything(n_features_in, **kwargs):
    SEEN.append(kwargs)
    return tiny_classifier(n_features_in, 2)


def model_builder(hp):
    """keras-tuner style, as the lesson teaches it."""
    model = keras.Sequential(
        [
            keras.Input((30,)),
            keras.layers.Dense(hp.Int("units", 8, 32, step=8), activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(hp.Choice("learning_rate", [1e-2, 1e-3])),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


# ----------------------------------------------------------------- data


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)[::2]  # 285 samples
    return X, y[::2]


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:400] / 16.0, y[:400]


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return StandardScaler().fit_transform(X), (y - y.mean()) / y.std()


# ----------------------------------------------------------------- scikit-learn's checks


def _run_checks(estimator):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(estimator, on_fail=None, on_skip=None)
    failed = [r for r in results if r["status"] == "failed"]
    report = "\n".join(f"{r['check_name']}: {r['exception']!r}" for r in failed)
    print(f"{type(estimator).__name__}: {len(results)} checks, {len(failed)} failed")
    assert not failed, f"{len(failed)} of {len(results)} checks failed:\n{report}"
    return results


# epochs=2 with batch_size=8 trains enough for check_classifiers_train (accuracy > 0.83;
# reached ~0.93, seeds 0-2 and 42) and check_regressors_train (r2 > 0.5; reached ~0.77)
# at the least cost: each Keras epoch has a fixed overhead, small batches are cheap steps.
# random_state makes fits repeatable, which check_fit_idempotent and the
# *_data_not_an_array checks need (sklearn's set_random_state sets it too).
def test_classifier_passes_check_estimator():
    results = _run_checks(KerasClassifier(tiny_classifier, epochs=2, batch_size=8, random_state=0))
    assert sum(r["status"] == "passed" for r in results) >= 50


def test_regressor_passes_check_estimator():
    results = _run_checks(KerasRegressor(tiny_regressor, epochs=2, batch_size=8, random_state=0))
    assert sum(r["status"] == "passed" for r in results) >= 50


# ----------------------------------------------------------------- parameters and routing


def test_grid_search_routes_fit_and_build_params(cancer):
    X, y = cancer
    SEEN.clear()
    grid = {"batch_size": [32, 64], "epochs": [2], "units": np.arange(8, 24, 8)}
    search = GridSearchCV(KerasClassifier(build_fn=create_model, random_state=0), grid, cv=2)
    search.fit(X, y)
    assert set(search.best_params_) == {"batch_size", "epochs", "units"}
    assert search.best_params_["units"] in (8, 16)
    assert len(search.cv_results_["params"]) == 4
    assert len(search.best_estimator_.history_["loss"]) == 2
    # np.arange gives numpy.int64; Keras 3 needs plain int (refit included)
    assert len(SEEN) == 4 * 2 + 1
    assert {type(units) for units, _ in SEEN} == {int}


def test_numpy_scalars_reach_build_fn_and_fit_as_python_scalars(cancer):
    X, y = cancer
    SEEN.clear()
    clf = KerasClassifier(
        create_model, units=np.int64(8), learning_rate=np.float64(0.01), epochs=np.int64(1)
    ).fit(X, y)
    assert SEEN == [(8, 0.01)]
    assert type(SEEN[0][0]) is int and type(SEEN[0][1]) is float
    assert len(clf.history_["loss"]) == 1


def test_get_params_set_params_and_clone_round_trip():
    callbacks = [keras.callbacks.EarlyStopping(patience=2)]
    clf = KerasClassifier(create_model, units=64, epochs=5, callbacks=callbacks, verbose=0)
    params = clf.get_params()
    assert params["units"] == 64 and params["epochs"] == 5 and params["model"] is create_model
    assert "n_features_in" not in params and "n_classes" not in params
    # names not given at construction are accepted (GridSearchCV sets grid keys)
    clf.set_params(activation="tanh", batch_size=16)
    assert clf.get_params()["activation"] == "tanh" and clf.batch_size == 16

    twin = clone(clf)
    assert twin is not clf
    twin_params = twin.get_params()
    assert set(twin_params) == set(clf.get_params())
    for name in ("units", "activation", "epochs", "batch_size", "model", "verbose"):
        assert twin_params[name] == clf.get_params()[name]
    assert isinstance(twin.callbacks[0], keras.callbacks.EarlyStopping)
    # the clone is independent
    twin.set_params(units=8)
    assert clf.get_params()["units"] == 64
    assert {"epochs", "batch_size", "validation_split", "callbacks", "shuffle",
            "verbose"} <= set(params)  # the other FIT_PARAMS appear once set


def test_build_fn_is_the_old_spelling_of_model(cancer):
    X, y = cancer
    clf = KerasClassifier(build_fn=create_model, verbose=0, epochs=1).fit(X, y)
    assert clf.predict(X).shape == (len(X),)
    with pytest.raises(ValueError, match="both model= and build_fn="):
        KerasClassifier(model=create_model, build_fn=create_model).fit(X, y)


def test_bad_parameter_name_error_names_it_and_the_fix(cancer):
    clf = KerasClassifier(create_model)
    with pytest.raises(ValueError) as info:
        clf.set_params(unit=64)
    message = str(info.value)
    assert "'unit'" in message
    assert "'units'" in message and "'activation'" in message  # build-function args
    assert "'epochs'" in message and "'batch_size'" in message  # fit args
    assert "add it as an argument of the build function" in message
    assert "unit" not in clf.get_params()  # nothing changed
    # the same check at fit for a typo given to the constructor
    with pytest.raises(ValueError, match="'unit'"):
        KerasClassifier(create_model, unit=64).fit(*cancer)
    # meta arguments are filled in, not set
    with pytest.raises(ValueError, match="filled in"):
        KerasClassifier(tiny_classifier).set_params(n_classes=3)


def test_build_fn_with_kwargs_accepts_any_name(cancer):
    X, y = cancer
    SEEN.clear()
    clf = KerasClassifier(takes_anything, epochs=1).set_params(whatever=np.int64(3))
    clf.fit(X, y)
    assert SEEN == [{"whatever": 3}] and type(SEEN[0]["whatever"]) is int


def test_missing_required_build_argument_is_explained(cancer):
    def needs_units(units):
        return create_model(units)

    with pytest.raises(TypeError, match="needs a value for"):
        KerasClassifier(needs_units, epochs=1).fit(*cancer)


def test_hp_style_build_function(cancer):
    pytest.importorskip("nbtune.space")
    X, y = cancer
    clf = KerasClassifier(model_builder, units=16, epochs=2, random_state=0)
    clf.set_params(learning_rate=np.float64(0.01))
    clf.fit(X, y)
    assert clf.model_.layers[0].units == 16
    assert clf.score(X, y) > 0.85
    assert clf.get_params()["units"] == 16
    with pytest.raises(ValueError, match=r"hp\.Choice\('larning_rate'"):
        clf.set_params(larning_rate=0.01)  # the source lesson's typo, caught


# ----------------------------------------------------------------- classification


def test_binary_sigmoid_proba_and_string_labels(cancer):
    X, y = cancer
    labels = np.array(["benign", "malignant"])[1 - y]
    clf = KerasClassifier(tiny_classifier, epochs=5, random_state=0).fit(X, labels)
    assert clf.model_.layers[-1].units == 1  # the binary case: one sigmoid unit
    assert list(clf.classes_) == ["benign", "malignant"] and clf.n_classes_ == 2
    pred = clf.predict(X)
    assert pred.dtype == labels.dtype and set(pred) <= set(labels)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert clf.score(X, labels) > 0.9
    assert clf.n_features_in_ == 30


def test_softmax_multiclass_uncompiled_model_is_compiled(digits):
    X, y = digits
    clf = KerasClassifier(uncompiled_softmax, units=32, epochs=5, batch_size=8, random_state=0)
    clf.fit(X, y)
    assert clf.model_.loss == "sparse_categorical_crossentropy"
    assert set(clf.history_) == {"loss", "accuracy"}
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 10)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert clf.score(X, y) > 0.75  # ~0.95 reached; default Adam learning rate


def test_categorical_crossentropy_gets_one_hot_targets(digits):
    X, y = digits
    clf = KerasClassifier(one_hot_softmax, epochs=3, random_state=0).fit(X, y + 1)
    assert list(clf.classes_) == list(range(1, 11))
    assert clf.score(X, y + 1) > 0.7


def test_history_and_dataframe_feature_names(cancer):
    pd = pytest.importorskip("pandas")
    X, y = cancer
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(30)])
    clf = KerasClassifier(create_model, epochs=3, validation_split=0.2).fit(frame, y)
    assert set(clf.history_) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 and isinstance(v[0], float) for v in clf.history_.values())
    assert list(clf.feature_names_in_) == list(frame.columns)


def test_output_units_must_match_classes(digits):
    X, y = digits
    with pytest.raises(ValueError, match="1 output unit"):
        KerasClassifier(create_model_any_input, epochs=1).fit(X, y)


def create_model_any_input(n_features_in):
    model = keras.Sequential([keras.Input((n_features_in,)), keras.layers.Dense(1, "sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


# ----------------------------------------------------------------- regression


def test_regressor_r2_on_diabetes(diabetes):
    X, y = diabetes
    reg = KerasRegressor(tiny_regressor, hidden=16, epochs=10, random_state=0).fit(X, y)
    assert reg.predict(X).shape == (len(X),)
    assert reg.score(X, y) > 0.4  # a linear model reaches ~0.52 on the training set
    assert reg.n_outputs_ == 1 and len(reg.history_["loss"]) == 10


# ----------------------------------------------------------------- behaviour of fit


def test_same_random_state_gives_the_same_model(cancer):
    X, y = cancer
    first = KerasClassifier(tiny_classifier, epochs=2, random_state=3).fit(X, y).predict_proba(X)
    again = KerasClassifier(tiny_classifier, epochs=2, random_state=3).fit(X, y).predict_proba(X)
    other = KerasClassifier(tiny_classifier, epochs=2, random_state=4).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_diverging_loss_raises_with_epoch_and_advice(diabetes, capfd):
    X, y = diabetes
    capfd.readouterr()
    with pytest.raises(ValueError, match=r"epoch 1 of 3.*smaller learning rate"):
        KerasRegressor(exploding, epochs=3).fit(X, y * 1e6)
    assert capfd.readouterr().out == ""  # stopped quietly (TerminateOnNaN would print)


def test_invalid_input_is_rejected_clearly(cancer):
    X, y = cancer
    clf = KerasClassifier(create_model, epochs=1)
    with pytest.raises(ValueError, match=f"X has {len(X)} rows but y has {len(X) - 1}"):
        clf.fit(X, y[:-1])
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clf.fit(X_nan, y)
    with pytest.raises(TypeError, match="[Ss]parse"):
        clf.fit(sparse.csr_matrix(X), y)
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(X, np.linspace(0, 1, len(X)))
    from sklearn.linear_model import LogisticRegression

    with pytest.raises(TypeError, match="function that builds"):
        KerasClassifier(LogisticRegression()).fit(X, y)  # an estimator, not a build function


def test_partial_fit_trains_on_after_fit_settings_change_but_not_after_a_build_argument(cancer):
    """A fit setting (epochs, batch_size) takes effect at once; a build-function argument
    would be silently ignored by the built model, so partial_fit refuses it and names it."""
    X, y = cancer
    clf = KerasClassifier(create_model, units=4, epochs=1, random_state=0).fit(X, y)
    clf.set_params(batch_size=64, epochs=5).partial_fit(X, y, epochs=2)
    assert len(clf.history_["loss"]) == 3
    clf.set_params(units=4, activation="relu").partial_fit(X, y)  # the values it was built with
    assert len(clf.history_["loss"]) == 4
    with pytest.raises(ValueError, match=r"built with units=4, but units=32.*Call fit"):
        clf.set_params(units=32).partial_fit(X, y)
    assert clf.model_.layers[0].units == 4 and len(clf.history_["loss"]) == 4  # untouched
    clf.set_params(units=4, learning_rate=0.5)
    with pytest.raises(ValueError, match=r"learning_rate=0.5.*model_.optimizer.learning_rate"):
        clf.partial_fit(X, y)
    clf.model_.optimizer.learning_rate = 0.5  # the way the message gives
    clf.set_params(learning_rate=0.01).partial_fit(X, y)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="classes=.*differs"):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    clf.partial_fit(X, y, classes=[1, 0])  # the same classes, in any order
    clf.set_params(model=tiny_classifier)
    with pytest.raises(ValueError, match="built by create_model, but model=tiny_classifier"):
        clf.partial_fit(X, y)
    assert len(clf.set_params(model=create_model).partial_fit(X, y).history_["loss"]) == 7


def test_fit_settings_and_weights_are_checked_before_a_model_is_built(cancer, monkeypatch):
    X, y = cancer
    built = []
    original = keras.Model.__init__
    monkeypatch.setattr(keras.Model, "__init__",
                        lambda self, *a, **k: (built.append(1), original(self, *a, **k))[1])
    clf = KerasClassifier(create_model, epochs=1)
    refusals = [
        (dict(epochs=0), {}, "epochs=0"),
        (dict(verbose=3), {}, "verbose=3"),
        (dict(validation_split=1.0), {}, "validation_split=1.0"),
        (dict(shuffle="no"), {}, "shuffle='no'"),
        (dict(random_state=2**32), {}, "random_state="),
        (dict(callbacks=[keras.callbacks.EarlyStopping]), {}, "EarlyStopping()"),
        ({}, dict(initial_epoch=1), "initial_epoch=1 with epochs=1"),
        ({}, dict(sample_weight=np.zeros(len(X))), "all zero"),
        ({}, dict(sample_weight=np.full(len(X), np.nan)), "NaN"),
        ({}, dict(validation_data=X), "not a pair"),
        ({}, dict(validation_data=(X, y[:5])), "rows"),
        ({}, dict(class_weight={0: 1.0, 1: -1.0}), "negative"),
    ]
    for params, fit_kwargs, match in refusals:
        with pytest.raises((ValueError, TypeError), match=re.escape(match)):
            clone(clf).set_params(**params).fit(X, y, **fit_kwargs)
    fitted = KerasRegressor(tiny_regressor, epochs=1).fit(X[:, :5], y.astype(float))
    model = fitted.model_
    built.clear()  # a refused fit builds nothing and keeps the fitted model and its data shape
    with pytest.raises(ValueError, match="epochs=0"):
        fitted.fit(X, np.c_[y, y], epochs=0)
    assert fitted.model_ is model and fitted.n_features_in_ == 5 and fitted.n_outputs_ == 1
    with pytest.raises(ValueError, match="no classes to weight"):
        KerasRegressor(tiny_regressor, epochs=1, class_weight={0: 2.0}).fit(X, y.astype(float))
    assert built == []


def test_valid_weights_callbacks_and_the_largest_seed_train(cancer):
    """What the checks let through still trains: zero weights for some rows, a callback
    given alone, validation data with weights, and the largest seed (its partial_fit
    seeds wrap round instead of passing numpy's limit)."""
    X, y = cancer
    weights = np.where(np.arange(len(X)) % 2, 1.0, 0.0)
    clf = KerasClassifier(create_model, epochs=1, random_state=2**32 - 1,
                          callbacks=keras.callbacks.EarlyStopping(monitor="loss"))
    clf.fit(X, y, sample_weight=weights, validation_data=(X, y, np.ones(len(X))))
    assert "val_loss" in clf.history_
    clf.partial_fit(X, y, sample_weight=weights)
    assert len(clf.history_["loss"]) == 2
    assert clf.score(X, y, sample_weight=weights) > 0.5
    with pytest.raises(ValueError, match="sample_weight holds 1 negative"):
        clf.score(X, y, sample_weight=np.r_[-1.0, np.ones(len(X) - 1)])


def test_silent_at_verbose_0_and_pickles(cancer, capfd):
    X, y = cancer
    capfd.readouterr()
    clf = KerasClassifier(create_model, epochs=2).fit(X, y)
    proba = clf.predict_proba(X)
    out, _ = capfd.readouterr()
    assert out == ""
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), proba)


def test_import_does_not_load_keras():
    code = (
        "import sys, nbtune.training.estimator; "
        "print(sorted(m for m in ('keras', 'tensorflow') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
