"""Shared test setup: quiet, deterministic TensorFlow on the CPU."""

import contextlib
import io
import os

from nbtune.backend import quiet_tensorflow

quiet_tensorflow()  # before any test imports TensorFlow: no start-up lines in pytest's output
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("MPLBACKEND", "Agg")
# the tests read nbtune's English messages, whatever this machine's locale (a Korean lesson's
# kernel still speaks Korean: its explicit set_language("ko") wins over the variable)
os.environ["NBTUNE_LANG"] = "en"

import pytest


@pytest.fixture
def english(monkeypatch):
    """nbtune speaks as a machine with an English locale and no choice made, before and after:
    no set_language call, no NBTUNE_LANG, LANG=C.UTF-8."""
    import nbtune

    for name in ("NBTUNE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    nbtune.set_language(None)
    yield
    nbtune.set_language(None)


def tiny_build(units=8, learning_rate=0.01, activation="relu", n_classes=2):
    """A one-hidden-layer classifier small enough to train in well under a second."""
    import keras

    model = keras.Sequential(
        [
            keras.layers.Dense(units, activation=activation),
            keras.layers.Dense(n_classes, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
    )
    return model


@pytest.fixture(scope="session")
def cancer():
    from nbtune import data

    return data.load_breast_cancer()


@pytest.fixture(scope="session")
def digits():
    from nbtune import data

    return data.load_digits()


def run_printed(source: str, namespace: dict) -> str:
    """Execute a lesson cell's ``source`` in ``namespace``; return what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(source, namespace)
    return printed.getvalue()
