import subprocess
import sys

import pytest

import nbtune

PUBLIC = ["SearchSpace", "Int", "Float", "Choice", "Fixed", "KerasClassifier", "KerasRegressor",
          "grid_search", "random_search", "hyperband", "bayesian", "compare", "SearchResult",
          "ClearTrainingOutput"]


def run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout


def test_import_nbtune_does_not_import_tensorflow_keras_or_keras_tuner():
    out = run("import sys, nbtune, nbtune.data, nbtune.search.results, nbtune.display, nbtune.search.schedule,"
              " nbtune.space, nbtune.training.estimator, nbtune.search.runlog, nbtune.plots, nbtune.ui.editor,"
              " nbtune.ui.panel, nbtune.lessons;"
              "s = nbtune.SearchSpace(nbtune.Int('u', 1, 3)); nbtune.lessons.digits.comparison_plan();"
              "print(sorted(m for m in ('tensorflow', 'keras', 'keras_tuner') if m in sys.modules))")
    assert out.strip() == "[]"


def test_public_api_at_top_level():
    for name in PUBLIC:
        assert getattr(nbtune, name).__name__ == name
    assert set(PUBLIC) | {"data"} <= set(nbtune.__all__)
    assert nbtune.data.load_digits.__module__ == "nbtune.data"


def test_unknown_attribute_is_a_clear_attribute_error():
    with pytest.raises(AttributeError, match="GridSearch"):
        _ = nbtune.GridSearch


def test_main_job_writes_its_files(tmp_path):
    subprocess.run([sys.executable, "-m", "nbtune", "compare", "--fast", "--quiet",
                    "--strategies", "grid", "random", "--dataset", "breast_cancer",
                    "--out", str(tmp_path)], check=True, capture_output=True, text=True)
    import pandas as pd

    trials = pd.read_csv(tmp_path / "trials.csv")
    assert set(trials["strategy"]) == {"grid", "random"}
    assert (trials["status"] == "ok").all() and trials["score"].between(0.5, 1).all()
    summary = pd.read_csv(tmp_path / "summary.csv", index_col=0)
    assert summary["test_score"].between(0.5, 1).all()
