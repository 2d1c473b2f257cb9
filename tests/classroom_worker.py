"""A student's kernel for tests/test_classroom.py: joins one class after another, on command.

Importing TensorFlow costs seconds, so the tests start a few of these once and
reuse them. Each line on standard input is a JSON command::

    {"address": "127.0.0.1:8470", "name": "ann", "token": "...", "directory": "...",
     "stall": false, "pause": 0.0, "patience": 60}

and the process answers with one JSON line on standard output: ``{"trials": [...]}``
(the student's own records) or ``{"error": "..."}``. ``stall`` makes the build
function block for good once a trial starts (a kernel stuck mid-trial, for the
test to SIGKILL); ``pause`` sleeps that long in every build (a slower laptop).
Neither changes a model. ``python tests/classroom_worker.py`` runs it.
"""

from __future__ import annotations

import functools
import json
import sys
import time

from nbtune.backend import quiet_tensorflow

quiet_tensorflow()

import nbtune  # noqa: E402
from nbtune import Choice, Int, SearchSpace  # noqa: E402


def build(units=4, learning_rate=0.01):
    """The class's model: one small hidden layer, a softmax over two classes."""
    import keras

    model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy")
    return model


def space() -> SearchSpace:
    """The class's space: 48 configurations, enough for two Hyperband iterations of max_epochs=3."""
    return SearchSpace(Int("units", 2, 32, step=2), Choice("learning_rate", [3e-2, 1e-2, 1e-3]))


def slowed(fn, *, stall: bool, pause: float):
    """``fn`` that first sleeps ``pause`` seconds, or for good (``stall``)."""

    @functools.wraps(fn)
    def slow(**params):
        while stall:
            time.sleep(1)
        time.sleep(pause)
        return fn(**params)

    return slow


def main() -> None:
    cancer = nbtune.data.load_breast_cancer()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        fn = slowed(build, stall=command.get("stall", False), pause=command.get("pause", 0.0))
        try:
            result = nbtune.join_class(
                command["address"], command["name"], fn, *cancer.train, token=command["token"],
                validation_data=cancer.validation, directory=command.get("directory"),
                patience=command.get("patience", 60), progress=False)
            answer = {"trials": result.trials.to_dict("records")}
        except Exception as exc:  # the test reads it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer, default=str), flush=True)


if __name__ == "__main__":
    main()
