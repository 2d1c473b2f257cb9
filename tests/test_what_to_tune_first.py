"""Lesson 08's "Try it" checks really check: not yet as given, right with the lesson's own
answer, and not right with a wrong one. The cells are taken from the committed notebook."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_printed

import nbtune
from nbtune import benchmarks, data

NOTEBOOK = Path(__file__).parents[1] / "notebooks" / "08_what_to_tune_first.ipynb"


def _cells():
    notebook = json.loads(NOTEBOOK.read_text())
    return {c["id"]: ("".join(c["source"]), c["cell_type"]) for c in notebook["cells"]}


def _code(cell_id):
    source, kind = _cells()[cell_id]
    assert kind == "code", cell_id
    return source


def _answer(cell_id):
    """The python block of the lesson's <details> cell ``cell_id``."""
    source, kind = _cells()[cell_id]
    assert kind == "markdown" and "<details>" in source
    return re.search(r"```python\n(.*?)```", source, re.S).group(1)


@pytest.fixture(scope="module")
def lesson():
    """The lesson's own cells up to the replays the exercises read (nothing trains)."""
    namespace = {"REPEATS": 100, "digits": data.load_digits()}
    for cell_id in ("load-table", "enough"):
        run_printed(_code(cell_id), namespace)
    return namespace


def test_the_lesson_is_committed_without_outputs():
    notebook = json.loads(NOTEBOOK.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_how_many_trials_waits_for_an_answer_accepts_the_hint_and_refuses_another(lesson):
    namespace = dict(lesson)
    check = _code("try-it-check")
    run_printed(_code("try-it-answer"), namespace)
    assert "Not checked yet" in run_printed(check, namespace)
    run_printed(_answer("try-it-hint"), namespace)
    answer = namespace["my_trials"]
    assert "Right" in run_printed(check, namespace)
    # the answer is what the question asks: three quarters of the runs within 3 images
    summary = namespace["summary"]
    within = summary["75 % of runs within"].round(6)   # a mean of 3 seeds: images in thirds
    assert within[answer] <= 3 and all(within[n] > 3 for n in summary.index if n < answer)
    assert answer == 32
    for wrong in (1, 64):
        namespace["my_trials"] = wrong
        printed = run_printed(check, namespace)
        assert "Not yet" in printed and "Right" not in printed, (wrong, printed)


def test_the_dropout_study_checks_the_roles_the_epochs_and_the_answer(lesson):
    namespace = {**lesson, "EPOCHS": 9, "nbtune": nbtune, "np": np, "pd": pd}
    check = _code("try-it-2-check")
    run_printed(_code("try-it-2-answer"), namespace)
    assert "Not checked yet" in run_printed(check, namespace)
    run_printed(_answer("try-it-2-hint"), namespace)
    assert namespace["my_best_dropout"] == 0.0
    assert "Right: dropout 0 is best for 16 units" in run_printed(check, namespace)

    bench = benchmarks.load("digits-mlp")
    wrong = {
        "the study's roles": nbtune.isolation(bench, "dropout_rate", "learning_rate",
                                              fixed={"units": 64, "batch_size": 32}, epochs=9),
        "epochs=EPOCHS": nbtune.isolation(bench, "dropout_rate", "learning_rate",
                                          fixed={"units": 16, "batch_size": 32}),
    }
    for message, study in wrong.items():
        namespace["my_study"] = study
        printed = run_printed(check, namespace)
        assert message in printed and "Right" not in printed, (message, printed)
    run_printed(_answer("try-it-2-hint"), namespace)
    namespace["my_best_dropout"] = 0.4
    printed = run_printed(check, namespace)
    assert "Not yet: the stars say 0" in printed and "Right" not in printed
