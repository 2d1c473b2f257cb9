"""Bad inputs to the estimators (KerasClassifier, KerasRegressor), measure_speed and
ClearTrainingOutput: counts, fit settings, sample weights, partial_fit after a change.

Tiny data (60 rows of breast cancer, a 4-unit model, 1 epoch): a case that gets as far
as training takes well under a second. A case that needs a fitted estimator fits it in
its ``setup`` (not counted as the call's; one fit per process, copied by pickle) and keeps
it in ``_FITTED`` for the call.
"""

import functools
import pickle

import numpy as np
from surface_probe import Case

_FITTED: dict = {}  # str(tmp) -> the estimator its setup fitted


@functools.cache
def _data():
    from nbtune import data

    cancer = data.load_breast_cancer()
    return cancer.X_train[:60], cancer.y_train[:60]


def tiny(n_features_in, units=4, learning_rate=0.01):
    import keras

    model = keras.Sequential([keras.Input((n_features_in,)),
                              keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(learning_rate), "binary_crossentropy")
    return model


def tiny_regressor(n_features_in, units=4):
    import keras

    model = keras.Sequential([keras.Input((n_features_in,)),
                              keras.layers.Dense(units, activation="relu"), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    return model


def other_tiny(n_features_in, units=4):
    return tiny(n_features_in, units)


def _classifier(**params):
    from nbtune import KerasClassifier

    return KerasClassifier(tiny, **{"epochs": 1, **params})


def _fit_with(**params):
    """A call that fits a classifier with these estimator parameters."""
    def call(tmp):
        return _classifier(**params).fit(*_data())
    return call


def _fit_call(**fit_kwargs):
    """A call that fits a classifier with these arguments of fit itself."""
    def call(tmp):
        return _classifier().fit(*_data(), **fit_kwargs)
    return call


@functools.cache
def _fitted_bytes():
    """One classifier fitted per process (a fit costs seconds), pickled: each case unpickles
    a copy of its own, in a tenth of that."""
    return pickle.dumps(_classifier().fit(*_data()))


def _fitted_setup(tmp):
    _FITTED[str(tmp)] = pickle.loads(_fitted_bytes())


def _fitted(tmp):
    return _FITTED.pop(str(tmp))


# ------------------------------------------------------------------ sample_weight
def _weights(values):
    def call(tmp):
        return _classifier().fit(*_data(), sample_weight=values)
    return call


def partial_fit_nan_weights(tmp):
    return _classifier().partial_fit(*_data(), sample_weight=np.full(60, np.nan))


def regressor_nan_weights(tmp):
    from nbtune import KerasRegressor

    X, y = _data()
    return KerasRegressor(tiny_regressor, epochs=1).fit(X, y.astype(float),
                                                        sample_weight=np.full(60, np.nan))


def score_nan_weights(tmp):
    return _fitted(tmp).score(*_data(), sample_weight=np.full(60, np.nan))


def score_short_weights(tmp):
    return _fitted(tmp).score(*_data(), sample_weight=np.ones(3))


def validation_weights_nan(tmp):
    X, y = _data()
    return _classifier().fit(X, y, validation_data=(X, y, np.full(60, np.nan)))


# ------------------------------------------------------------------ partial_fit after a change
def partial_fit_after_units(tmp):
    est = _fitted(tmp)
    est.set_params(units=32)
    return est.partial_fit(*_data())


def partial_fit_after_learning_rate(tmp):
    est = _fitted(tmp)
    est.set_params(learning_rate=0.5)
    return est.partial_fit(*_data())


def partial_fit_after_model(tmp):
    est = _fitted(tmp)
    est.set_params(model=other_tiny)
    return est.partial_fit(*_data())


def partial_fit_classes_changed(tmp):
    return _fitted(tmp).partial_fit(*_data(), classes=[0, 1, 2])


def partial_fit_classes_string(tmp):
    return _classifier().partial_fit(*_data(), classes="ab")


def partial_fit_one_class(tmp):
    return _classifier().partial_fit(*_data(), classes=[0])


def partial_fit_epochs_0(tmp):
    return _fitted(tmp).partial_fit(*_data(), epochs=0)


def partial_fit_first_epochs_0(tmp):
    return _classifier().partial_fit(*_data(), epochs=0)


def initialize_verbose(tmp):
    return _classifier(verbose="loud").initialize(*_data())


# ------------------------------------------------------------------ validation_data
def _validation(make):
    def call(tmp):
        X, y = _data()
        return _classifier().fit(X, y, validation_data=make(X, y))
    return call


def callbacks_class(tmp):
    import keras

    return _classifier(callbacks=[keras.callbacks.EarlyStopping]).fit(*_data())


def model_name(tmp):
    from nbtune import KerasClassifier

    return KerasClassifier("tiny", epochs=1).fit(*_data())


def regressor_class_weight(tmp):
    from nbtune import KerasRegressor

    X, y = _data()
    return KerasRegressor(tiny_regressor, epochs=1, class_weight={0: 1.0}).fit(X, y.astype(float))


def predict_batch_size_0(tmp):
    return _fitted(tmp).predict(_data()[0], batch_size=0)


# ------------------------------------------------------------------ measure_speed
def _speed(build="tiny", **kwargs):
    def call(tmp):
        from nbtune import measure_speed

        X, y = _data()
        fn = tiny if build == "tiny" else build
        return measure_speed(fn, kwargs.pop("X", X), kwargs.pop("y", y), **kwargs)
    return call


def clear_output_wait(value):
    def call(tmp):
        from nbtune import ClearTrainingOutput

        return ClearTrainingOutput(wait=value)
    return call


CASES = [
    # counts and settings, refused before a model is built
    Case("epochs-0", _fit_with(epochs=0), "epochs"),
    Case("epochs-1.5", _fit_with(epochs=1.5), "epochs"),
    Case("epochs-nan", _fit_with(epochs=float("nan")), "epochs"),
    Case("fit-call-epochs-0", _fit_call(epochs=0), "epochs"),
    Case("batch_size-0", _fit_with(batch_size=0), "batch_size"),
    Case("batch_size-2.5", _fit_with(batch_size=2.5), "batch_size"),
    Case("verbose-5", _fit_with(verbose=5), "verbose"),
    Case("verbose-loud", _fit_with(verbose="loud"), "verbose"),
    Case("validation_split-1.5", _fit_with(validation_split=1.5), "validation_split"),
    Case("validation_split-negative", _fit_with(validation_split=-0.1), "validation_split"),
    Case("validation_split-nan", _fit_with(validation_split=float("nan")), "validation_split"),
    Case("validation_split-str", _fit_with(validation_split="0.2"), "validation_split"),
    Case("validation_split-leaves-no-rows", _fit_with(validation_split=0.99), "validation_split"),
    Case("random_state-negative", _fit_with(random_state=-1), "random_state"),
    Case("random_state-float", _fit_with(random_state=1.5), "random_state"),
    Case("random_state-str", _fit_with(random_state="a"), "random_state"),
    Case("random_state-2**40", _fit_with(random_state=2**40), "random_state"),
    Case("shuffle-str", _fit_with(shuffle="yes"), "shuffle"),
    Case("class_weight-list", _fit_with(class_weight=[1, 2]), "class_weight"),
    Case("class_weight-unseen-label", _fit_with(class_weight={0: 1, 5: 2}), "class_weight"),
    Case("class_weight-negative", _fit_with(class_weight={0: -1, 1: 2}), "class_weight"),
    Case("class_weight-nan", _fit_with(class_weight={0: float("nan"), 1: 2}), "class_weight"),
    Case("class_weight-regressor", regressor_class_weight, "class_weight"),
    Case("callbacks-str", _fit_with(callbacks="early"), "callbacks"),
    Case("callbacks-int", _fit_with(callbacks=[1]), "callbacks"),
    Case("callbacks-name", _fit_with(callbacks=["EarlyStopping"]), "callbacks"),
    Case("callbacks-class", callbacks_class, "callbacks"),
    Case("initial_epoch-negative", _fit_with(initial_epoch=-1), "initial_epoch"),
    Case("initial_epoch-past-epochs", _fit_with(initial_epoch=5), "initial_epoch"),
    Case("steps_per_epoch-0", _fit_with(steps_per_epoch=0), "steps_per_epoch"),
    Case("validation_freq-0", _fit_call(validation_freq=0, validation_split=0.2),
         "validation_freq"),
    Case("validation_batch_size-0", _fit_call(validation_batch_size=0, validation_split=0.2),
         "validation_batch_size"),
    Case("loss-param", _fit_with(loss="mse"), "loss"),
    Case("optimizer-param", _fit_with(optimizer="sgd"), "optimizer"),
    Case("model-str", model_name, "model"),
    # validation_data, checked before the build
    Case("validation_data-array", _validation(lambda X, y: X), "validation_data"),
    Case("validation_data-one", _validation(lambda X, y: (X,)), "validation_data"),
    Case("validation_data-rows", _validation(lambda X, y: (X, y[:5])), "validation_data"),
    Case("validation_data-nan", _validation(lambda X, y: (X * np.nan, y)), "validation_data"),
    Case("validation_data-features", _validation(lambda X, y: (X[:, :5], y)), "validation_data"),
    Case("validation_data-labels", _validation(lambda X, y: (X, y + 3)), "validation_data"),
    Case("validation_data-weights-nan", validation_weights_nan, "sample_weight"),
    # sample_weight
    Case("sample_weight-nan", _weights(np.full(60, np.nan)), "sample_weight"),
    Case("sample_weight-inf", _weights(np.r_[np.inf, np.ones(59)]), "sample_weight"),
    Case("sample_weight-zero", _weights(np.zeros(60)), "sample_weight"),
    Case("sample_weight-negative", _weights(-np.ones(60)), "sample_weight"),
    Case("sample_weight-short", _weights(np.ones(5)), "sample_weight"),
    Case("sample_weight-2d", _weights(np.ones((60, 2))), "sample_weight"),
    Case("sample_weight-str", _weights("balanced"), "sample_weight"),
    Case("sample_weight-scalar", _weights(2.0), "sample_weight"),
    Case("sample_weight-partial_fit-nan", partial_fit_nan_weights, "sample_weight"),
    Case("sample_weight-regressor-nan", regressor_nan_weights, "sample_weight"),
    Case("score-sample_weight-nan", score_nan_weights, "sample_weight", setup=_fitted_setup),
    Case("score-sample_weight-short", score_short_weights, "sample_weight", setup=_fitted_setup),
    # partial_fit after a change, and its classes
    Case("partial_fit-after-units", partial_fit_after_units, "units", setup=_fitted_setup),
    Case("partial_fit-after-learning_rate", partial_fit_after_learning_rate, "learning_rate",
         setup=_fitted_setup),
    Case("partial_fit-after-model", partial_fit_after_model, "model", setup=_fitted_setup),
    Case("partial_fit-classes-changed", partial_fit_classes_changed, "classes",
         setup=_fitted_setup),
    Case("partial_fit-classes-str", partial_fit_classes_string, "classes"),
    Case("partial_fit-classes-one", partial_fit_one_class, "classes"),
    Case("partial_fit-epochs-0", partial_fit_epochs_0, "epochs", setup=_fitted_setup),
    Case("partial_fit-first-epochs-0", partial_fit_first_epochs_0, "epochs"),
    Case("initialize-verbose", initialize_verbose, "verbose"),
    Case("predict-batch_size-0", predict_batch_size_0, "batch_size", setup=_fitted_setup),
    # measure_speed and ClearTrainingOutput
    Case("speed-build_fn-none", _speed(None), "build_fn"),
    Case("speed-build_fn-str", _speed("tiny_name"), "build_fn"),
    Case("speed-epochs-int", _speed(epochs=5), "epochs"),
    Case("speed-epochs-0", _speed(epochs=(0, 2)), "epochs"),
    Case("speed-batch_size-0", _speed(batch_size=0), "batch_size"),
    Case("speed-y-short", _speed(y=np.zeros(5)), "y"),
    Case("clear-output-wait-str", clear_output_wait("no"), "wait", trains=False),
    Case("clear-output-wait-none", clear_output_wait(None), "wait", trains=False),
]
