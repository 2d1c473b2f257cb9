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
