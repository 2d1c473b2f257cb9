"""The errors students meet most, in Korean: the argument checks, dimensions and spaces, a
search's and a fit's settings.

Each error under ``speaking("ko")`` is Korean (it holds Hangul), still names the argument and
the value as code (``epochs=0``) and gives the fix; the English error comes back after, as it
was. The common mistakes are made on the real objects: ``Int``, ``Choice``, ``SearchSpace``,
``grid_search`` and ``random_search`` on breast-cancer rows, which refuse before training.
"""

import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import tiny_build

import nbtune
from nbtune import Choice, Fixed, Float, Int, SearchSpace
from nbtune.arguments import (
    check_flag,
    check_real,
    check_table,
    check_whole,
    example_hint,
    kind_of,
)
from nbtune.language import mark, speaking
from nbtune.search.checks import check_data, check_scoring, resolve_task
from nbtune.space.dimensions import check_number
from nbtune.training.fit_checks import check_fit_settings, check_sample_weight, check_seed

ROOT = Path(__file__).parent.parent
HANGUL = re.compile("[\uac00-\ud7a3]")
#: the files whose messages this test covers
FILES = ["nbtune/arguments.py", "nbtune/space/dimensions.py", "nbtune/space/search_space.py",
         "nbtune/search/checks.py", "nbtune/training/fit_checks.py"]
SPACE = SearchSpace(Choice("units", [4, 8]))


pytestmark = pytest.mark.usefixtures("english")  # conftest.py: English before and after each test


def refusal(call) -> str:
    with pytest.raises((TypeError, ValueError)) as caught:
        call()
    return str(caught.value)


def english_and_korean(call) -> tuple[str, str]:
    """The error of ``call`` in English, then in Korean, then (the same) in English again."""
    english = refusal(call)
    with speaking("ko"):
        korean = refusal(call)
    assert refusal(call) == english, "English did not come back after speaking Korean"
    return english, korean


def assert_korean_naming(call, *code: str) -> tuple[str, str]:
    """The Korean error holds Hangul and every piece of ``code`` the English one holds."""
    english, korean = english_and_korean(call)
    assert not HANGUL.search(english), english
    assert HANGUL.search(korean), korean
    for piece in code:
        assert piece in english, (piece, english)
        assert piece in korean, (piece, korean)
    return english, korean


CHECKS = {
    "whole: below the minimum": (lambda: check_whole("epochs", 0), ["epochs=0", "1"]),
    "whole: a float": (lambda: check_whole("epochs", 1.5), ["epochs=1.5"]),
    "whole: past the maximum": (lambda: check_whole("boot", 10**9, maximum=100_000),
                                ["boot=1000000000", "100000"]),
    "real: not a number": (lambda: check_real("true_best", "0.97"), ["true_best='0.97'", "str"]),
    "real: out of range": (lambda: check_real("smoothing", 1.0, at_least=0, below=1),
                           ["smoothing=1.0", ">= 0", "< 1"]),
    "flag: a string": (lambda: check_flag("fast", "no"), ["fast='no'", "True", "False"]),
    "table: not a table": (lambda: check_table("shares", [0.5], ["parameter", "share"],
                                               made_by="nbtune.analysis.importance"),
                           ["shares", "nbtune.analysis.importance", "['parameter', 'share']"]),
    "table: a column missing": (lambda: check_table("shares", pd.DataFrame({"share": [0.5]}),
                                                    ["parameter", "share"], made_by="importance"),
                                ["shares", "['parameter']", "['share']"]),
    "table: no rows": (lambda: check_table("shares", pd.DataFrame({"share": []}), ["share"],
                                           made_by="importance"), ["shares", "importance"]),
    "number: quoted": (lambda: check_number("Int('units', ...)", "low", "16", integer=True),
                       ["Int('units', ...)", "low", "'16'", "low=16"]),
}


@pytest.mark.parametrize("case", list(CHECKS))
def test_each_argument_check_speaks_korean_naming_the_argument_and_value(case):
    call, code = CHECKS[case]
    assert_korean_naming(call, *code)


def search(strategy, cancer, **settings):
    """A search that refuses its settings before it trains."""
    X, y = cancer.X_train[:40], cancer.y_train[:40]
    return lambda: strategy(tiny_build, SPACE, X, y, progress=False, **settings)


def test_the_common_mistakes_of_a_space_are_refused_in_korean():
    _, korean = assert_korean_naming(lambda: Int("units", 64, 16), "low", "64", "high", "16",
                                     "Int('units', 16, 64)")
    assert "크다" in korean  # low is greater than high
    assert_korean_naming(lambda: Choice("x", []), "values=[]", "Choice('x', ['relu', 'tanh'])")
    assert_korean_naming(lambda: Choice("activation", "relu"), "values='relu'",
                         "Choice('activation', ['relu'])")
    assert_korean_naming(lambda: Int("units", "32", 64), "low='32'", "low=32")
    assert_korean_naming(lambda: Float("lr", 0, 0.1, log=True), "low=0", "log=False")
    optimizer = object()  # an object where a name belongs: Fixed("optimizer", Adam())
    assert_korean_naming(lambda: Fixed("optimizer", optimizer), "value", "'adam'")
    assert_korean_naming(lambda: SearchSpace(), "SearchSpace(Int('units', 32, 512, step=32))")
    assert_korean_naming(lambda: SearchSpace([Int("units", 1, 4)]), "SearchSpace(*dims)")
    assert_korean_naming(lambda: SearchSpace(Int("units", 1, 4), Fixed("units", 2)), "'units'")
    assert_korean_naming(lambda: SPACE.narrow({"units": 4}, fraction=2), "fraction=2.0")
    assert_korean_naming(lambda: SearchSpace.from_dict({"dimensions": [{"name": "units"}]}),
                         "dimensions[0]", "'type'")


def test_the_common_mistakes_of_a_search_are_refused_in_korean(cancer):
    assert_korean_naming(search(nbtune.grid_search, cancer, epochs=0), "epochs=0")
    assert_korean_naming(search(nbtune.grid_search, cancer, cv=1), "cv=1",
                         "KFold(5, shuffle=True)")
    assert_korean_naming(search(nbtune.grid_search, cancer, batch_size=0), "batch_size=0")
    assert_korean_naming(search(nbtune.grid_search, cancer, random_state=-1), "random_state=-1")
    assert_korean_naming(search(nbtune.grid_search, cancer, task="classify"), "task='classify'")
    # the what= of n_iter is strategies.py's: the sentence is Korean, the argument and value code
    assert_korean_naming(search(nbtune.random_search, cancer, n_iter="ten"), "n_iter='ten'")
    assert_korean_naming(lambda: check_scoring("acuracy"), "scoring='acuracy'", "'accuracy'",
                         "sklearn.metrics.get_scorer_names()")
    assert_korean_naming(lambda: resolve_task("auto", np.array([[0, 1], [1, 1]])),
                         "task='classification'", "task='regression'")
    assert_korean_naming(lambda: check_data(np.zeros((3, 2)), [0, 1]), "X", "y", "3", "2")


def test_the_common_mistakes_of_a_fit_are_refused_in_korean(cancer):
    X, y = cancer.X_train[:8], cancer.y_train[:8]
    model = nbtune.KerasClassifier(tiny_build, epochs=0)
    _, korean = assert_korean_naming(lambda: model.fit(X, y), "epochs=0")
    assert "학습하지 않는다" in korean  # the hint the fit adds: epochs=0 trains nothing
    assert_korean_naming(lambda: check_fit_settings({"epochs": 1, "verbose": 5}, rows=60),
                         "verbose=5", '"auto"')
    assert_korean_naming(lambda: check_fit_settings({"epochs": 1, "validation_split": 0.99},
                                                    rows=60),
                         "validation_split=0.99", "validation_split=0.2")
    assert_korean_naming(lambda: check_seed(-1), "random_state=-1", "RandomState")
    assert_korean_naming(lambda: check_sample_weight([1.0, float("nan")], rows=2),
                         "sample_weight", "NaN")


def test_a_type_is_named_without_an_english_article_in_korean():
    assert (kind_of(1), kind_of("1")) == ("an int", "a str")
    with speaking("ko"):
        assert (kind_of(1), kind_of("1")) == ("int", "str")


def test_a_piece_a_caller_marks_is_translated_one_made_on_the_spot_is_kept():
    what = mark("the number of epochs, a whole number")
    with speaking("ko"):
        korean = refusal(lambda: check_whole("epochs", 0, what=what, hint=", e.g. epochs=10"))
    assert "에포크 수" in korean and korean.endswith(", e.g. epochs=10")
    assert refusal(lambda: check_whole("epochs", 0, what=what)) == (
        "epochs=0 is not allowed: give the number of epochs, a whole number >= 1")
    english, korean = assert_korean_naming(
        lambda: check_whole("factor", 1, minimum=2, hint=example_hint("factor=3")),
        "factor=1", "factor=3")
    assert english.endswith(", e.g. factor=3") and korean.endswith("예: factor=3")


def test_the_korean_messages_have_the_english_fields():
    """scripts/messages.py's problems, on the messages of these files: each translated, its
    ``{fields}`` the English one's."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import messages
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    template = Catalog()
    for path in FILES:
        for _, message, _, _ in extract_from_file("python", ROOT / path, keywords=messages.KEYWORDS):
            template.add(message)
    assert len(template) > 140
    found = [problem for problem in messages.problems(messages.read("ko"), template)
             if not problem.startswith("not in the code any more")]  # other files' messages
    assert found == []
