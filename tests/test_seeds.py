"""Seeds owned by the trial: a thread drawing random numbers beside a search moves no score.

Keras draws the default seeds of weight initialisers and Dropout from Python's
process-global ``random`` (``keras.src.random.seed_generator.make_default_seed``).
A thread that draws from ``random``, ``numpy.random`` or ``keras.random`` while
a search builds its models (the run panel's thread beside a student's cells,
a joblib worker's threads) used to change the scores.
"""

import random
import threading

import numpy as np

import nbtune
from nbtune import Choice, SearchSpace

SPACE = SearchSpace(Choice("units", [4, 8]), Choice("learning_rate", [1e-2, 3e-3]))


def build(units=8, learning_rate=1e-2):
    import keras

    # no keras.Input: the weights are made at the first call, after the build function returns
    model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dropout(0.3), keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy")
    return model


def scores(cancer) -> dict[str, list[float]]:
    X, y = cancer.X_train[:160], cancer.y_train[:160]
    held_out = dict(validation_data=(cancer.X_val[:80], cancer.y_val[:80]), progress=False)
    results = {
        "grid": nbtune.grid_search(build, SPACE, X, y, cv=2, epochs=2, progress=False),
        "random": nbtune.random_search(build, SPACE, X, y, n_iter=3, cv=2, epochs=2,
                                       progress=False),
        "hyperband": nbtune.hyperband(build, SPACE, X, y, max_epochs=3, **held_out),
    }
    return {name: result.trials.score.tolist() for name, result in results.items()}


def draw_forever(stop: threading.Event) -> None:
    import keras

    while not stop.is_set():
        random.random()
        np.random.random()
        keras.random.uniform((1,))
        stop.wait(0.0005)  # one draw of each kind every half millisecond


def test_a_thread_drawing_random_numbers_moves_no_score(cancer):
    quiet = scores(cancer)
    stop = threading.Event()
    thread = threading.Thread(target=draw_forever, args=(stop,), daemon=True)
    thread.start()
    try:
        noisy = scores(cancer)
    finally:
        stop.set()
        thread.join()
    for strategy, expected in quiet.items():  # bit for bit
        assert noisy[strategy] == expected, strategy
