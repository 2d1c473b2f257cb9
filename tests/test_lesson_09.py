"""Lesson 09's "Try it" checks really check: not yet as given, right with the lesson's answer.

Each test takes a check cell from ``notebooks/09_what_comes_next.ipynb`` as it is
committed and runs it (with real, tiny training where the check trains) three
ways: with the student's blanks as given, with the answer the lesson itself
gives in its ``<details>`` block, and with a wrong answer.
"""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_printed

keras = pytest.importorskip("keras")
kt = pytest.importorskip("keras_tuner")

import nbtune  # noqa: E402
from nbtune import data, lessons  # noqa: E402

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "09_what_comes_next.ipynb"


def _cells():
    notebook = json.loads(NOTEBOOK.read_text())
    return [("".join(c["source"]), c["cell_type"]) for c in notebook["cells"]]


def _code(marker):
    """The one code cell whose source contains ``marker``."""
    found = [s for s, kind in _cells() if kind == "code" and marker in s]
    assert len(found) == 1, (marker, len(found))
    return found[0]


def _answer(marker):
    """The python block of the markdown cell (an Answer or a Hint) that contains ``marker``."""
    found = [re.search(r"```python\n(.*?)```", s, re.S).group(1)
             for s, kind in _cells() if kind == "markdown" and marker in s and "<details>" in s]
    assert len(found) == 1, (marker, len(found))
    return found[0]


@pytest.fixture(scope="module")
def digits():
    return data.load_digits()


def test_the_lesson_is_committed_without_outputs():
    """(Its metadata is every lesson's: test_notebooks checks scripts/lesson_metadata.py's.)"""
    notebook = json.loads(NOTEBOOK.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_the_early_stopping_check_matches_keras_and_waits_for_an_answer():
    namespace = {"keras": keras, "np": np}
    run_printed(_code("made_up_val_loss = ["), namespace)
    check = _code("def run_early_stopping")
    assert "Not checked yet" in run_printed(check, namespace)
    run_printed(_answer("my_stop_epoch = "), namespace)
    assert "Right" in run_printed(check, namespace)
    namespace["my_stop_epoch"] = 9          # all epochs: as if there were no early stopping
    printed = run_printed(check, namespace)
    assert "Not yet" in printed and "Right" not in printed
    # the rule the check applies is Keras's own: patience 2 after the best epoch
    stop, best = namespace["run_early_stopping"]([1.0, 0.5, 0.6, 0.7, 0.4], 2)
    assert (stop, best) == (4, 2)


def test_the_callback_check_trains_with_the_students_class(digits):
    namespace = {"keras": keras, "lessons": lessons, "X_train": digits.X_train,
                 "y_train": digits.y_train}
    run_printed(_code("class MyClearTrainingOutput"), namespace)
    check = _code("def check_clear_callback")
    assert "Not yet: the class has no on_train_end" in run_printed(check, namespace)

    run_printed(_answer("class MyClearTrainingOutput"), namespace)   # the lesson's hint
    assert "Right" in run_printed(check, namespace)

    wrong = {   # what a student may write instead, and what the check then says
        "first argument must be self": "def on_train_end(*args, **kwargs):\n"      # lesson 02's bug
                                        "        IPython.display.clear_output(wait=True)",
        "wait=False": "def on_train_end(self, logs=None):\n"
                      "        IPython.display.clear_output()",
        "was not called": "def on_train_end(self, logs=None):\n"
                          "        self.ended = True",
    }
    for message, method in wrong.items():
        run_printed("import IPython\n\nclass MyClearTrainingOutput(keras.callbacks.Callback):\n"
                  f"    {method}\n", namespace)
        printed = run_printed(check, namespace)
        assert message in printed and "Right" not in printed, (message, printed)

    # `from IPython.display import clear_output` in the student's cell is recorded too
    run_printed("from IPython.display import clear_output\n\n"
              "class MyClearTrainingOutput(keras.callbacks.Callback):\n"
              "    def on_train_end(self, logs=None):\n"
              "        clear_output(wait=True)\n", namespace)
    assert "Right" in run_printed(check, namespace)


def test_the_keras_tuner_check_builds_the_deepest_model():
    namespace = {"keras": keras, "kt": kt, "lessons": lessons}
    run_printed(_code("def build_deep(hp)").split("deep_tuner =")[0], namespace)   # the build only
    run_printed(_code("my_dense_layers = None"), namespace)
    check = _code('fixed.Fixed("num_layers", 3)')
    assert "Not checked yet" in run_printed(check, namespace)
    run_printed(_answer('my_names = ["num_layers"'), namespace)
    assert "Right" in run_printed(check, namespace)
    namespace["my_names"] = ["num_layers", "units", "learning_rate"]   # one width for all layers
    printed = run_printed(check, namespace)
    assert "Not yet" in printed and "Right" not in printed


def test_the_scikeras_check_wants_model_prefixes_for_build_arguments_only():
    namespace = {"lessons": lessons}
    run_printed(_code("my_scikeras_grid = None"), namespace)
    check = _code("build_arguments = set(")
    assert "Not checked yet" in run_printed(check, namespace)
    run_printed(_answer("my_scikeras_grid = "), namespace)
    assert "Right" in run_printed(check, namespace)
    namespace["my_scikeras_grid"] = dict(namespace["nbtune_grid"])   # nbtune's plain names
    printed = run_printed(check, namespace)
    assert "'model__units' is missing" in printed and "Right" not in printed
    namespace["my_scikeras_grid"] = {"model__units": [32, 64], "model__learning_rate": [1e-3, 1e-2],
                                     "model__batch_size": [16, 32]}
    printed = run_printed(check, namespace)
    assert "no 'model__batch_size'" in printed and "Right" not in printed


def test_the_winners_curse_check_measures_the_students_own_search(digits):
    """Three configurations trained for one epoch each, then the lesson's own cells."""
    namespace = {"nbtune": nbtune, "lessons": lessons, "np": np, "pd": pd,
                 "X_train": digits.X_train, "y_train": digits.y_train,
                 "X_val": digits.X_val, "y_val": digits.y_val,
                 "X_test": digits.X_test, "y_test": digits.y_test,
                 "n_configs": 3, "search_epochs": 1, "REPEATS": 50}
    run_printed(_code("configs = list(ParameterSampler("), namespace)
    assert namespace["right"].shape == (3, 720)
    run_printed(_code("def winners_gap("), namespace)
    random_gap = namespace["winners_gap"](namespace["right"], 90)[1]
    assert abs(random_gap) < 0.05   # nothing chose it
    run_printed(_code("my_prediction = None"), namespace)
    check = _code("gap_of_two, _ = winners_gap(")
    assert "Not checked yet" in run_printed(check, namespace)
    answer = namespace["answer"]
    namespace["my_prediction"] = answer
    assert "Right." in run_printed(check, namespace)
    namespace["my_prediction"] = "smaller" if answer == "larger" else "larger"
    assert "Not this time" in run_printed(check, namespace)
