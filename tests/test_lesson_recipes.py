"""The source lesson's three recipes, bugs fixed, on small budgets through nbtune.

1. GridSearchCV over batch_size with KerasClassifier(build_fn=create_model, verbose=0);
2. keras-tuner Hyperband with model_builder(hp) and ClearTrainingOutput;
3. the 7-parameter RandomizedSearchCV with units=np.arange(32, 512, 32).
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

import nbtune
from nbtune import ClearTrainingOutput, KerasClassifier, SearchResult


def test_recipe_1_grid_search_over_batch_size(cancer, capsys):
    from keras.layers import Dense
    from keras.models import Sequential

    X, Y = cancer.train

    def create_model():
        model = Sequential()
        model.add(Dense(100, input_dim=30, activation="relu"))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["acc"])
        return model

    model = KerasClassifier(build_fn=create_model, verbose=0, epochs=3)
    batch_size = [16, 64, 128]
    param_grid = dict(batch_size=batch_size)
    grid = GridSearchCV(estimator=model, param_grid=param_grid, n_jobs=1, cv=3)
    result = grid.fit(X, Y)

    assert 0.85 < result.best_score_ <= 1
    assert result.best_params_["batch_size"] in batch_size
    means = result.cv_results_["mean_test_score"]
    stds = result.cv_results_["std_test_score"]
    params = result.cv_results_["params"]
    lines = [f"means: {m:.3f}, std: {s:.3f} params: {p}" for m, s, p in zip(means, stds, params)]
    assert len(lines) == 3 and all(np.isfinite(means))
    assert capsys.readouterr().out == ""  # verbose=0 means nothing printed

    table = SearchResult.from_cv_results(grid, strategy="grid")
    assert table.trials.batch_size.tolist() == batch_size
    np.testing.assert_allclose(table.trials.score, means)
    assert (table.trials.epochs_spent == 9).all()
    assert table.best_params == result.best_params_


def model_builder(hp):
    import keras
    from keras.layers import Dense
    from keras.models import Sequential

    model = Sequential()
    hp_units = hp.Int("units", min_value=32, max_value=512, step=32)
    model.add(Dense(units=hp_units, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    hp_learning_rate = hp.Choice("learning_rate", values=[1e-2, 1e-3, 1e-4])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=hp_learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_recipe_2_keras_tuner_hyperband(digits, tmp_path):
    import keras_tuner as kt

    X_train, y_train = digits.train
    X_val, y_val = digits.validation
    tuner = kt.Hyperband(model_builder, objective="val_accuracy", max_epochs=3, factor=3,
                         directory=str(tmp_path), project_name="intro_to_kt", overwrite=True)
    tuner.search(X_train, y_train, epochs=3, validation_data=(X_val, y_val),
                 callbacks=[ClearTrainingOutput()], verbose=0)
    best_hps = tuner.get_best_hyperparameters(num_trials=1)[0]
    assert best_hps.get("units") % 32 == 0 and best_hps.get("learning_rate") in (1e-2, 1e-3, 1e-4)

    best_model = tuner.hypermodel.build(best_hps)
    history = best_model.fit(X_train, y_train, epochs=3, validation_data=(X_val, y_val), verbose=0)
    assert history.history["val_accuracy"][-1] > 0.5

    table = SearchResult.from_tuner(tuner)
    assert table.strategies == ["hyperband"]
    assert set(table.trials.bracket) == {0, 1} and table.trials.score.between(0, 1).all()
    assert table.best_score == pytest.approx(max(t.score for t in tuner.oracle.trials.values()))

    # the same search through nbtune: the space comes from model_builder itself
    result = nbtune.hyperband(model_builder, None, X_train, y_train, validation_data=(X_val, y_val),
                              max_epochs=3, callbacks=[ClearTrainingOutput()], progress=False)
    assert result.param_names == ["units", "learning_rate"]
    best = result.refit_best(X_train, y_train)
    assert best.score(*digits.test) > 0.5


def make_model_rscv(units=64, batch_size=64, activation="relu", dropout_rate=0.3, C=0.01,
                    optimizer="adam"):
    from keras import regularizers
    from keras.layers import Dense, Dropout
    from keras.models import Sequential

    model = Sequential()
    model.add(Dense(units, activation=activation))
    model.add(Dense(256, activation="relu"))
    model.add(Dropout(dropout_rate))
    model.add(Dense(512, activation="relu", kernel_regularizer=regularizers.l2(C),
                    activity_regularizer=regularizers.l1(C)))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["acc"])
    return model


def test_recipe_3_randomized_search_over_seven_parameters(cancer):
    X_train_scaled, y_train = cancer.train
    units = np.arange(32, 512, 32)  # numpy ints: Keras 3 rejects them unless converted
    batch_size = [32, 64, 128, 256, 512]
    epochs = [1, 2]  # the lesson's [5, 10, 20, 30, 50], shrunk for a test
    activation = ["relu", "sigmoid"]
    optimizer = ["adam", "adagrad", "rmsprop"]
    dropout_rate = [0.2, 0.3, 0.4, 0.5]
    C = [0.01, 0.1, 1]
    param_grid = dict(batch_size=batch_size, units=units, activation=activation, optimizer=optimizer,
                      dropout_rate=dropout_rate, C=C, epochs=epochs)
    model_rscv = KerasClassifier(build_fn=make_model_rscv, verbose=0, random_state=42)
    rscv = RandomizedSearchCV(estimator=model_rscv, param_distributions=param_grid, n_iter=3, cv=3,
                              scoring="accuracy", n_jobs=1, random_state=12)
    rscv_result = rscv.fit(X_train_scaled, y_train)

    rs = pd.DataFrame(rscv_result.cv_results_).sort_values(by="rank_test_score").head()
    assert rs["rank_test_score"].iloc[0] == 1 and len(rs) == 3
    assert np.isfinite(rs["mean_test_score"]).all()
    best = rscv_result.best_params_
    assert set(best) == set(param_grid)

    # retrain best_model (the lesson retrained `model`, a bug) with the best parameters
    best_model = KerasClassifier(build_fn=make_model_rscv, verbose=0, random_state=42, **best)
    best_model.fit(X_train_scaled, y_train)
    assert best_model.score(*cancer.test) > 0.5
    assert isinstance(best_model.model_.layers[0].units, int)

    # the same space as an nbtune SearchSpace, run by random_search
    from nbtune import Choice, SearchSpace

    space = SearchSpace(*[Choice(name, list(values)) for name, values in param_grid.items()])
    result = nbtune.random_search(make_model_rscv, space, X_train_scaled, y_train, n_iter=2,
                                  random_state=12, progress=False)
    assert len(result.trials) == 2 and set(result.param_names) == set(param_grid)
