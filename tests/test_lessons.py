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


def _lesson_cells(pattern: str) -> list[tuple[str, str, str]]:
    """(id, type, source) of each cell of the lesson whose file name matches ``pattern``."""
    from pathlib import Path

    path = next((Path(__file__).parent.parent / "notebooks").glob(pattern))
    return [(c["id"], c["cell_type"], "".join(c["source"]))
            for c in json.loads(path.read_text())["cells"]]


def _instructors() -> str:
    """INSTRUCTORS.md with its line breaks and indents folded into single spaces."""
    from pathlib import Path

    return " ".join((Path(__file__).parent.parent / "notebooks" / "INSTRUCTORS.md").read_text().split())


def test_instructors_and_lessons_05_to_08_give_the_same_answers():
    """Where INSTRUCTORS.md quotes a Try it answer of lessons 05-08, the lesson gives the same one,
    and the answer is what the lesson's own code computes."""
    import contextlib
    import io
    import re

    import numpy as np

    import nbtune
    from nbtune import benchmarks, plots
    from nbtune.space import Float, Int

    guide = _instructors()

    # 05: the source's model_builder grid
    cells = _lesson_cells("05_*.ipynb")
    builder = next(s for _, kind, s in cells if kind == "code" and "def model_builder(hp)" in s)
    namespace = {}
    exec(builder.split("kt_editor =")[0], namespace)
    size = SearchSpace.from_build_fn(namespace["model_builder"]).size
    answer = next(s for i, _, s in cells if i == "try-it-1-answer")
    assert f"**{size} configurations**" in answer and f"**{3 * size} fits**" in answer
    assert f"({size} configurations, {3 * size} fits with 3 folds)" in guide

    # 06: the fine grid with fraction=0.5, the rerun with random_state=1, the truncated range
    cells = {i: s for i, _, s in _lesson_cells("06_*.ipynb")}
    coarse = lessons.load_precomputed("coarse_to_fine_digits").for_strategy("random")
    wide = SearchSpace(Int("units", 16, 512, step=16), Float("learning_rate", 1e-5, 1.0, log=True))
    half = wide.narrow(coarse.best_params, fraction=0.5).grid_size(points=3)
    assert f"**{half} configurations**" in cells["try-it-1-answer"]
    assert f"({half} configurations with the shipped coarse stage)" in guide
    assert "496 units" in cells["try-it-2-look"] and "496 units instead of 160" in guide
    assert "`0.0316`" in cells["try-it-3-hint"] and "`3.2e-3`" in cells["try-it-3-hint"]
    assert "(0.0316 with the lesson's wide range; a range that stops at 3.2e-3" in guide

    # 07: the two replayed verdicts
    cells = _lesson_cells("07_*.ipynb")
    bench = benchmarks.load("digits-mlp")
    printed = io.StringIO()
    namespace = dict(bench=bench, EPOCHS=9, REPEATS=100, np=np, pd=pd, nbtune=nbtune, plots=plots,
                     my_prediction="tie")
    with contextlib.redirect_stdout(printed):
        exec(next(s for _, kind, s in cells if kind == "code" and "my_prediction not in" in s), namespace)
        exec(re.search(r"```python\n(.*?)```", next(s for _, kind, s in cells if kind == "markdown"
                                                     and "def my_search" in s), re.S).group(1), namespace)
        exec(next(s for _, kind, s in cells if kind == "code" and "def best_of" in s), namespace)
    short, mine = re.findall(r"= (0\.\d\d) \(95 % interval (0\.\d\d) to (0\.\d\d)", printed.getvalue())
    assert "Right." in printed.getvalue() and "Yours beats random search." in printed.getvalue()
    assert "the table's answer: a tie, {} with an interval from {} to {}".format(*short) in guide
    assert "passes with {} ({} to {})".format(*mine) in guide

    # 08 (or 09, once renumbered): early stopping and the variable-depth space
    cells = _lesson_cells("*_what_comes_next.ipynb")
    answers = " ".join(s for _, kind, s in cells if kind == "markdown" and "<summary>Answer</summary>" in s)
    stop, best = (int(re.search(rf"{name} = (\d+)", answers).group(1)) for name in ("my_stop_epoch", "my_best_epoch"))
    assert f"(answer: stops after {stop}, restores {best})" in guide
    names = re.search(r"my_names = (\[.*?\])", answers).group(1)
    layers = int(re.search(r"my_dense_layers = (\d+)", answers).group(1))
    words = {4: "four", 5: "Five"}
    assert f"({words[len(eval(names))]} names, {words[layers]} layers.)" in guide


def test_instructors_and_lessons_00_to_04_give_the_same_answers():
    """Where INSTRUCTORS.md quotes a Try it answer of lessons 00-04, the lesson's Answer blocks give
    the same (tests/test_try_it.py checks that each lesson's check cell accepts them)."""
    import re
    from pathlib import Path

    root = Path(__file__).parent.parent
    guide = " ".join((root / "notebooks" / "INSTRUCTORS.md").read_text().split())

    def bold_of_answers(stem: str) -> list[str]:
        cells = json.loads((root / "notebooks" / f"{stem}.ipynb").read_text())["cells"]
        sources = ["".join(cell["source"]) for cell in cells]
        text = " ".join(re.findall(r"<summary>Answer</summary>(.*?)</details>", "\n".join(sources), re.S))
        return [" ".join(bold.split()) for bold in re.findall(r"\*\*(.*?)\*\*", text, re.S)]

    quoted = {
        "00_start_here": (["19 200 configurations", "57 600 fits"], "(19 200 and 57 600;"),
        "01_grid_search_cv": (["31 models"], "(31: 10 configurations x 3 folds + 1;"),
        "02_keras_tuner_hyperband": (["70 trials, 375 epochs"], "(70 trials, 375 epochs:"),
        "03_random_search_cv": (["1/3", "0.009"], "(1/3 against 0.009,"),
        "04_comparing_strategies": (["6 of 23", "2", "7", "6", "18"], "(6 of 23;"),
    }
    for stem, (answers, in_guide) in quoted.items():
        assert bold_of_answers(stem) == answers, stem
        assert in_guide in guide, stem
    assert "(2 and 7 in the shipped results;" in guide
    assert "(6 learning rates for the grid, 18 configurations for random search;" in guide


def test_instructors_is_right_about_lesson_04s_first_grid_trial():
    """INSTRUCTORS.md: a trial that starts a new structure pays a trace, the others do not."""
    from pathlib import Path

    guide = " ".join((Path(__file__).parent.parent / "notebooks" / "INSTRUCTORS.md").read_text().split())
    trials = lessons.load_precomputed().for_strategy("grid").trials
    new_structure = ~trials["units"].duplicated()  # the grid's first trial of each width
    new, reused = trials.loc[new_structure, "seconds"], trials.loc[~new_structure, "seconds"]
    assert new.min() > reused.max()
    quote = (f"(shipped: {new.min():.1f} to {new.max():.1f} s for those three, "
             f"{reused.min():.1f} to {reused.max():.1f} s for the other six)")
    assert len(new) == 3 and quote in guide, quote
