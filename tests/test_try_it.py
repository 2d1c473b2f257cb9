"""The "Try it" checks of lessons 00-06 really check: they wait for an answer, accept the
one the lesson's own Answer block gives, and refuse a wrong one, in both editions (the Korean
one's "직접 해 보기" and "답" blocks, with its own words). (Lesson 09's: test_lesson_09; lesson
08's: test_what_to_tune_first.)"""

import json
import re
from pathlib import Path

import pytest
from conftest import run_printed

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"
EDITIONS = ["en", "ko"]
#: each edition's words: its heading, its answer block, and what a check cell prints or raises
WORDS = {
    "en": {"try it": "## Try it", "answer": "<summary>Answer</summary>", "fill in": "Fill in",
           "correct": "Correct!", "not quite": "not quite"},
    "ko": {"try it": "## 직접 해 보기", "answer": "<summary>답</summary>", "fill in": "다시 실행하자",
           "correct": "정답이다!", "not quite": "아직 아니다"},
}


def cells_of(lesson: str, edition: str = "en") -> list[dict]:
    folder = NOTEBOOKS / "ko" if edition == "ko" else NOTEBOOKS
    return json.loads((folder / lesson).read_text())["cells"]


def try_it(lesson: str, edition: str = "en") -> tuple[str, str]:
    """The check cell after "## Try it", and the bold numbers of its Answer block."""
    sources = ["".join(cell["source"]) for cell in cells_of(lesson, edition)]
    start = next(i for i, source in enumerate(sources) if source.startswith(WORDS[edition]["try it"]))
    check = sources[start + 1]
    answer = next(s for s in sources[start + 2:] if WORDS[edition]["answer"] in s)
    return check, answer


def run(check: str, namespace: dict | None = None, **answers) -> str:
    from nbtune import hyperband_schedule

    namespace = {"hyperband_schedule": hyperband_schedule, **(namespace or {})}
    return run_printed(check.replace("= None", "= _given.pop(0)", len(answers)) if answers else check,
                       {**namespace, "_given": list(answers.values())})


def lesson_06_namespace() -> dict:
    """What lesson 06's checks use: its wide space and the shipped coarse stage (no training)."""
    import nbtune
    from nbtune import Float, Int, SearchSpace, lessons

    coarse = lessons.load_precomputed("coarse_to_fine_digits").for_strategy("random")
    wide = SearchSpace(Int("units", 16, 512, step=16), Float("learning_rate", 1e-5, 1.0, log=True))
    return {"nbtune": nbtune, "lessons": lessons, "SearchSpace": SearchSpace, "Float": Float,
            "Int": Int, "wide": wide, "coarse": coarse, "FINE_POINTS": 3, "FAST": False}


def lesson_05_namespace() -> dict:
    """What lesson 05's first Try it check uses: the source's model_builder and a measured speed."""
    from nbtune import SearchSpace

    cells = json.loads((NOTEBOOKS / "05_editing_the_search_space.ipynb").read_text())["cells"]
    builder = next("".join(c["source"]) for c in cells if c["cell_type"] == "code"
                   and "def model_builder(hp)" in "".join(c["source"]))
    namespace = {"SearchSpace": SearchSpace, "overhead": 1.0, "per_epoch": 0.05}
    exec(builder.split("kt_editor =")[0], namespace)   # the function, not its editor
    return namespace


def bold_numbers(answer: str) -> list[int]:
    """The numbers in the Answer's bold text: **31 models**, **70 trials, 375 epochs**, **19 200**."""
    bold = " ".join(re.findall(r"\*\*(.*?)\*\*", answer, re.S))
    return [int(re.sub(r"\D", "", number)) for number in re.findall(r"\d+(?: \d{3})*", bold)]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lesson, names", [
    ("01_grid_search_cv.ipynb", ["my_answer"]),
    ("02_keras_tuner_hyperband.ipynb", ["my_trials", "my_epochs"]),
    ("05_editing_the_search_space.ipynb", ["my_configurations", "my_fits"]),
    ("06_coarse_to_fine.ipynb", ["my_configurations"]),
])
def test_the_check_waits_accepts_the_answer_and_refuses_a_wrong_one(lesson, names, edition):
    check, answer = try_it(lesson, edition)
    words = WORDS[edition]
    namespace = {"05": lesson_05_namespace, "06": lesson_06_namespace}.get(lesson[:2], dict)()
    assert all(f"{name} = None" in check for name in names)
    assert words["fill in"] in run(check, namespace)
    right = bold_numbers(answer)
    assert len(right) >= len(names), answer
    assert words["correct"] in run(check, namespace, **dict(zip(names, right)))
    wrong = dict(zip(names, [value + 1 for value in right]))
    with pytest.raises(AssertionError, match=words["not quite"]):
        run(check, namespace, **wrong)
    if len(names) > 1:   # each answer is checked, not only the first
        with pytest.raises(AssertionError, match=words["not quite"]):
            run(check, namespace, **dict(zip(names, right[:1] + [right[1] + 1])))


def test_lesson_05s_editor_check_checks_settings_and_the_widest_grid():
    """Try it 2 of lesson 05 checks the folds, the epochs and the number of unit counts."""
    from nbtune import Choice, Float, Int, SearchSpace, SpaceEditor

    cells = json.loads((NOTEBOOKS / "05_editing_the_search_space.ipynb").read_text())["cells"]
    check = next("".join(c["source"]) for c in cells if c["cell_type"] == "code"
                 and "".join(c["source"]).startswith("cost, space = editor.cost"))
    space = SearchSpace(Int("units", 32, 512, step=32), Float("learning_rate", 1e-4, 1e-1, log=True),
                        Choice("activation", ["relu", "tanh", "sigmoid"]),
                        Float("dropout_rate", 0.0, 0.5, step=0.1))
    # 18 activation x dropout values x 2 learning rates = 36 configurations per unit count, each
    # 0.5 s + 3 folds x 5 epochs x 0.05 s: 45 s per unit count, so 2 fit in 2 minutes
    editor = SpaceEditor(space, cv=3, epochs=5, fit_overhead=0.5, seconds_per_epoch=0.05,
                         max_minutes=2)
    editor.rows["learning_rate"].slider.value = (1e-3, 1e-2)
    editor.rows["learning_rate"].points_box.value = 2

    def verdict(units: tuple[int, int]) -> str:
        editor.rows["units"].slider.value = units
        return run_printed(check, {"editor": editor})

    assert "Right: 2 unit counts" in verdict((32, 64))
    assert "Still too long" in verdict((32, 96))
    assert "2 unit counts would fit too: you have 1" in verdict((32, 32))
    editor.rows["dropout_rate"].slider.value = (0.0, 0.2)
    assert "Not yet: bring back" in verdict((32, 64))
    editor.rows["dropout_rate"].slider.value = (0.0, 0.5)
    editor.cv_input.value = 2
    assert "Not yet: the question is for cv=3" in verdict((32, 64))


def test_lesson_06s_boundary_check_wants_a_range_widened_past_its_winner():
    """Try it 3 of lesson 06: the truncated range's winner is at its edge; the check passes only
    when the student's range reaches past it and its own winner is inside."""
    cells = json.loads((NOTEBOOKS / "06_coarse_to_fine.ipynb").read_text())["cells"]
    by_id = {cell["id"]: "".join(cell["source"]) for cell in cells}
    namespace = lesson_06_namespace()

    def cell(cell_id: str) -> str:
        return run_printed(by_id[cell_id], namespace)

    cell("try-it-3-truncated")
    assert namespace["found"].edges(namespace["truncated"])["edge"].tolist() == ["high"]
    assert "checked:" in cell("claims-truncated")
    cell("try-it-3-mine")
    assert "Fill in my_space" in cell("try-it-3-check")
    exec(re.search(r"```python\n(.*?)```", by_id["try-it-3-hint"], re.S).group(1), namespace)
    assert "Right: the best learning rate, 0.0316, is inside" in cell("try-it-3-check")

    from nbtune import Float, SearchSpace

    wrong = {
        (1e-5, 1e-3): "tries no learning rate above 0.001",       # not widened
        (1e-5, 1.5e-3): "tries no learning rate above 0.001",     # wider, but nothing new is tried
        (1e-4, 3.2e-3): "again at the high edge",                 # widened, not enough
        (1e-2, 1.0): "again at the low edge",                     # moved past the good region
    }
    for (low, high), message in wrong.items():
        namespace["my_space"] = SearchSpace(Float("learning_rate", low, high, log=True))
        with pytest.raises(AssertionError, match=message):
            cell("try-it-3-check")


def accepts_the_answer_and_refuses_wrong_ones(check: str, names: list[str], right: list,
                                              namespace: dict, wrong: list[list],
                                              edition: str = "en") -> None:
    """The check waits for every answer, passes on ``right`` and fails on each of ``wrong``."""
    words = WORDS[edition]
    assert all(f"{name} = None" in check for name in names)
    assert words["fill in"] in run(check, namespace)
    assert words["correct"] in run(check, namespace, **dict(zip(names, right)))
    for answers in wrong:
        with pytest.raises(AssertionError, match=words["not quite"]):
            run(check, namespace, **dict(zip(names, answers)))


@pytest.mark.parametrize("edition", EDITIONS)
def test_lesson_00s_check_counts_configurations_and_fits(edition):
    check, answer = try_it("00_start_here.ipynb", edition)
    cells = cells_of("00_start_here.ipynb", edition)
    namespace: dict = {}
    exec(next("".join(c["source"]) for c in cells if c.get("id") == "c09"), namespace)  # the space
    exec("import math", namespace)
    right = bold_numbers(answer)[:2]
    assert right == [19200, 57600], answer
    accepts_the_answer_and_refuses_wrong_ones(
        check, ["my_configs", "my_fits"], right, namespace,
        wrong=[[19201, 57600], [19200, 19200], [2400, 7200]], edition=edition)


@pytest.mark.parametrize("edition", EDITIONS)
def test_lesson_03s_check_wants_the_shares_below_0001(edition):
    """The hinted shares (1/3 and 0.009) pass; a share off by more than the tolerance fails."""
    from fractions import Fraction

    import numpy as np

    from nbtune import Float, SearchSpace

    cells = cells_of("03_random_search_cv.ipynb", edition)
    by_id = {cell.get("id"): "".join(cell["source"]) for cell in cells}
    check, answer = by_id["c32"], by_id["c33"]   # "## Try it" closes section 9's cell
    assert WORDS[edition]["answer"] in answer
    bold = re.findall(r"\*\*(.*?)\*\*", answer)
    right = [float(Fraction(text)) for text in bold[:2]]
    assert right == [1 / 3, 0.009], answer
    namespace = {"np": np, "space": SearchSpace(Float("learning_rate", 1e-4, 1e-1, log=True))}
    accepts_the_answer_and_refuses_wrong_ones(
        check, ["my_log_share", "my_uniform_share"], right, namespace,
        wrong=[[0.5, 0.009], [0.1, 0.009], [1 / 3, 0.1], [1 / 3, 0.02]], edition=edition)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("check_id, answer_id, names", [
    ("cell-34", "cell-34b", ["my_full", "my_trials"]),
    ("cell-36", "cell-36b", ["my_grid", "my_random"]),
    ("cell-38", "cell-38b", ["my_grid_rates", "my_configs"]),
])
def test_lesson_04s_checks_accept_the_answers_on_the_shipped_run(check_id, answer_id, names, edition):
    """Lesson 04's three Try it checks, run on the shipped comparison (the run at BUDGET = 1)."""
    import pandas as pd

    import nbtune
    from nbtune import lessons

    cells = cells_of("04_comparing_strategies.ipynb", edition)
    by_id = {cell.get("id"): "".join(cell["source"]) for cell in cells}
    assert WORDS[edition]["answer"] in by_id[answer_id]
    right = bold_numbers(by_id[answer_id])[:2]
    assert len(right) == 2, by_id[answer_id]
    shipped = lessons.load_precomputed()
    namespace = {"nbtune": nbtune, "lessons": lessons, "pd": pd, "result": shipped,
                 "settings": lessons.comparison_settings(1)}
    accepts_the_answer_and_refuses_wrong_ones(
        by_id[check_id], names, right, namespace,
        wrong=[[right[0] + 1, right[1]], [right[0], right[1] + 1], right[::-1]], edition=edition)


def test_lesson_06s_rerun_check_compares_a_new_seed_with_the_shipped_first_run():
    """Try it 2 of lesson 06: the check waits for predictions and for a rerun, then checks both.

    ``tests/data/coarse_to_fine_seed1.csv`` holds both stages of the lesson run with
    ``random_state=1`` (its "What to look for" block describes that run).
    """
    import pandas as pd

    from nbtune import SearchResult

    cells = json.loads((NOTEBOOKS / "06_coarse_to_fine.ipynb").read_text())["cells"]
    by_id = {cell["id"]: "".join(cell["source"]) for cell in cells}
    rerun = SearchResult(pd.read_csv(Path(__file__).parent / "data" / "coarse_to_fine_seed1.csv"))
    shipped = lesson_06_namespace()
    namespace = {**shipped, "pd": pd, "display": print, "fine": None}

    def check(coarse, fine, region, score) -> str:
        namespace.update(coarse=coarse, fine=fine, my_same_region=region, my_same_score=score)
        return run_printed(by_id["try-it-2-check"], namespace)

    assert "my_same_region = None" in by_id["try-it-2-predict"]
    assert "Fill in" in check(shipped["coarse"], None, None, None)
    assert "still the first run's coarse stage" in check(shipped["coarse"], None, True, True)
    coarse, fine = rerun.for_strategy("random"), rerun.for_strategy("grid")
    look = by_id["try-it-2-look"]
    assert f"`{coarse.best_params['learning_rate']:.2g}`" in look and f"{coarse.best_params['units']} units" in look
    assert f"`{fine.best_score:.4f}`" in look
    assert "Correct!" in check(coarse, fine, True, True)      # what the block says
    for wrong in [(False, True), (True, False)]:
        with pytest.raises(AssertionError, match="not quite"):
            check(coarse, fine, *wrong)
