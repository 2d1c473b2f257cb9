"""The "Try it" checks of lessons 01 and 02 really check: they wait for an answer, accept the
one the lesson's own Answer block gives, and refuse a wrong one. (Lesson 08's: test_lesson_08.)"""

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"


def try_it(lesson: str) -> tuple[str, str]:
    """The check cell after "## Try it", and the bold numbers of its Answer block."""
    cells = json.loads((NOTEBOOKS / lesson).read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells]
    start = next(i for i, source in enumerate(sources) if source.startswith("## Try it"))
    check = sources[start + 1]
    answer = next(s for s in sources[start + 2:] if "<summary>Answer</summary>" in s)
    return check, answer


def run(check: str, **answers) -> str:
    from nbtune import hyperband_schedule

    printed = io.StringIO()
    namespace = {"hyperband_schedule": hyperband_schedule}
    with contextlib.redirect_stdout(printed):
        exec(check.replace("= None", "= _given.pop(0)", len(answers)) if answers else check,
             {**namespace, "_given": list(answers.values())})
    return printed.getvalue()


def bold_numbers(answer: str) -> list[int]:
    """The numbers in the Answer's bold text: **31 models**, **70 trials, 375 epochs**."""
    bold = " ".join(re.findall(r"\*\*(.*?)\*\*", answer, re.S))
    return [int(number) for number in re.findall(r"\d+", bold)]


@pytest.mark.parametrize("lesson, names", [
    ("01_grid_search_cv.ipynb", ["my_answer"]),
    ("02_keras_tuner_hyperband.ipynb", ["my_trials", "my_epochs"]),
])
def test_the_check_waits_accepts_the_answer_and_refuses_a_wrong_one(lesson, names):
    check, answer = try_it(lesson)
    assert all(f"{name} = None" in check for name in names)
    assert "Fill in" in run(check)
    right = bold_numbers(answer)
    assert len(right) >= len(names), answer
    assert "Correct!" in run(check, **dict(zip(names, right)))
    wrong = dict(zip(names, [value + 1 for value in right]))
    with pytest.raises(AssertionError, match="not quite"):
        run(check, **wrong)


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
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(check, {"editor": editor})
        return printed.getvalue()

    assert "Right: 2 unit counts" in verdict((32, 64))
    assert "Still too long" in verdict((32, 96))
    assert "2 unit counts would fit too: you have 1" in verdict((32, 32))
    editor.rows["dropout_rate"].slider.value = (0.0, 0.2)
    assert "Not yet: bring back" in verdict((32, 64))
    editor.rows["dropout_rate"].slider.value = (0.0, 0.5)
    editor.cv_input.value = 2
    assert "Not yet: the question is for cv=3" in verdict((32, 64))
