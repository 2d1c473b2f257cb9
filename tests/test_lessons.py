"""nbtune.lessons (lesson 04's shared model, space and budgets; precomputed results) and the CLI jobs."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from nbtune import SearchResult, lessons
from nbtune.space import SearchSpace


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "nbtune", *args], check=True,
                          capture_output=True, text=True)


def test_budgets_grow_and_give_every_strategy_about_the_same_epochs():
    previous = 0
    for budget in (1, 2, 3):
        plan = lessons.comparison_plan(lessons.comparison_space(budget),
                                       lessons.comparison_settings(budget))
        assert list(plan.index) == ["grid", "random", "hyperband", "bayesian"]
        assert plan.loc["grid", "epochs"] > previous
        previous = plan.loc["grid", "epochs"]
        # Hyperband's schedule spends about what the others spend
        assert 0.5 < plan.loc["hyperband", "epochs"] / plan.loc["grid", "epochs"] < 1.5
    assert lessons.comparison_plan().loc["grid"].tolist() == [9, 81]


def test_fast_settings_are_tiny():
    plan = lessons.comparison_plan(lessons.comparison_space(fast=True),
                                   lessons.comparison_settings(fast=True))
    assert plan["trials"].max() <= 5 and plan["epochs"].sum() <= 20


def test_bad_budget_is_a_clear_error():
    with pytest.raises(ValueError, match="budget=5"):
        lessons.comparison_space(5)


def test_shipped_results_match_the_lesson_code():
    """The packaged CSV/JSON come from the lesson's current space and settings (no drift)."""
    info = lessons.precomputed_info()
    assert info["budget"] == 1 and info["fast"] is False
    assert SearchSpace.from_dict(info["space"]) == lessons.comparison_space(1)
    assert info["settings"] == json.loads(json.dumps(lessons.comparison_settings(1)))
    result = lessons.load_precomputed()
    assert result.strategies == ["grid", "random", "hyperband", "bayesian"]
    assert result.param_names == ["units", "learning_rate"]
    assert (result.trials["status"] == "ok").all()
    plan = lessons.comparison_plan()
    assert result.trials.groupby("strategy").size().to_dict() == plan["trials"].to_dict()
    assert set(result.test_scores) == set(result.strategies)
    assert all(0.9 < s <= 1 for s in result.test_scores.values())
    assert result.build_fn is lessons.build_digits_model and result.task == "classification"
    assert isinstance(result.best_params["units"], int)
    assert set(info["wall_seconds"]) == set(result.strategies)


def test_load_precomputed_names_the_fix_when_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m nbtune precompute"):
        lessons.load_precomputed("nothing_here", folder=tmp_path)


def test_wall_clock_times_each_strategy_of_a_real_search():
    from nbtune import data, grid_search
    from nbtune.space import Choice

    cancer = data.load_breast_cancer()
    clock = lessons.WallClock(show=False)

    def build(units=4):
        import keras

        model = keras.Sequential([keras.Input(shape=(30,)),
                                  keras.layers.Dense(units, activation="relu"),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        return model

    result = grid_search(build, SearchSpace(Choice("units", [2, 4])), *cancer.train,
                         cv=2, epochs=1, progress=clock)
    assert list(clock.seconds) == ["grid"]
    assert clock.seconds["grid"] >= result.trials["seconds"].sum() - 0.2
    assert clock.table().name == "wall_seconds"


def test_precompute_command_writes_what_load_precomputed_reads(tmp_path):
    run_cli("precompute", "--fast", "--quiet", "--out", str(tmp_path))
    result = lessons.load_precomputed(folder=tmp_path)
    info = lessons.precomputed_info(folder=tmp_path)
    assert info["fast"] is True and info["command"].startswith("python -m nbtune precompute")
    assert result.strategies == ["grid", "random", "hyperband", "bayesian"]
    assert set(result.test_scores) == set(result.strategies)
    assert SearchResult.read_csv(tmp_path / "comparison_digits.csv").trials.shape == result.trials.shape


def test_precompute_fast_refuses_to_overwrite_the_shipped_files():
    out = subprocess.run([sys.executable, "-m", "nbtune", "precompute", "--fast"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 2 and "--out" in out.stderr


def test_compare_writes_plots_beside_the_tables(tmp_path):
    run_cli("compare", "--fast", "--quiet", "--strategies", "grid", "hyperband",
            "--dataset", "breast_cancer", "--out", str(tmp_path))
    names = {p.name for p in tmp_path.iterdir()}
    assert {"trials.csv", "summary.csv", "comparison.png", "sampled_points.png",
            "hyperband_rounds.png", "score_by_units.png", "score_by_learning_rate.png"} <= names
    for png in tmp_path.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert set(pd.read_csv(tmp_path / "trials.csv")["strategy"]) == {"grid", "hyperband"}


def test_compare_no_plots(tmp_path):
    run_cli("compare", "--fast", "--quiet", "--no-plots", "--strategies", "grid",
            "--dataset", "breast_cancer", "--out", str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv", "trials.csv"]


def test_lesson_02_is_right_about_the_old_kerastuner_name():
    """Lesson 02: `import kerastuner` still imports (kt-legacy) but is deprecated and warns."""
    from pathlib import Path

    text = (Path(__file__).parent.parent / "notebooks" / "02_keras_tuner_hyperband.ipynb").read_text()
    assert "that old name still" in text and "deprecated and warns" in text
    check = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-c", "import kerastuner"],
                           capture_output=True, text=True)
    assert check.returncode != 0 and "`import kerastuner` is deprecated" in check.stderr
    assert subprocess.run([sys.executable, "-c", "import kerastuner"]).returncode == 0
