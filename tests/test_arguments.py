"""One whole-number rule: every helper takes a NumPy integer and refuses a bool or a float."""

import numpy as np
import pytest
from conftest import tiny_build

import nbtune
from nbtune.arguments import check_whole
from nbtune.search import strategies
from nbtune.search.schedule import hyperband_schedule

SPACE = nbtune.SearchSpace(nbtune.Choice("units", [4, 8, 16]))


def test_numpy_integers_are_whole_numbers_everywhere(cancer):
    assert check_whole("epochs", np.int64(3)) == 3 and type(check_whole("n", np.int32(2))) is int
    assert hyperband_schedule(np.int64(9), np.int64(3)).equals(hyperband_schedule(9, 3))
    budget = {**strategies.budget_defaults(), "n_iter": np.int64(2), "max_trials": np.int64(2)}
    for name in ("random", "bayesian"):
        assert strategies.get(name).proposer(SPACE, budget, 0).total == 2
    model = nbtune.KerasClassifier(tiny_build, epochs=np.int64(1), batch_size=np.int64(64))
    model.fit(cancer.X_train[:64], cancer.y_train[:64])
    assert model.history_["loss"] and len(model.history_["loss"]) == 1


@pytest.mark.parametrize("value", [True, 2.0, 0, -1, "3", None])
def test_everything_else_is_refused_the_same_way(value):
    message = f"epochs={value!r} is not allowed: give a whole number >= 1"
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_whole("epochs", value)
    with pytest.raises(ValueError, match=f"max_epochs={value!r} is not allowed"):
        hyperband_schedule(value)
    with pytest.raises(ValueError, match=f"epochs={value!r} is not allowed"):
        nbtune.KerasClassifier(tiny_build, epochs=value).fit(np.zeros((4, 2)), np.array([0, 1, 0, 1]))


def test_the_number_flag_and_table_rules():
    from nbtune.arguments import check_flag, check_real, check_table, kind_of

    assert check_real("start", np.float32(0.5), above=0) == 0.5
    assert check_real("diverge", float("inf"), above=1, finite=False) == float("inf")
    for value, error in [(True, TypeError), ("0.5", TypeError), (None, TypeError),
                         (float("nan"), ValueError), (float("inf"), ValueError), (0, ValueError)]:
        with pytest.raises(error, match=r"start=.* give a finite number > 0"):
            check_real("start", value, above=0)
    assert check_flag("fast", np.bool_(True)) is True
    with pytest.raises(TypeError, match="fast='no' is not allowed: give True or False"):
        check_flag("fast", "no")
    with pytest.raises(ValueError, match=r"boot=1000001 is more than 100000: give a whole number from 1"):
        check_whole("boot", 1_000_001, maximum=100_000)
    import pandas as pd

    table = pd.DataFrame({"share": [0.5]})
    assert check_table("shares", table, ["share"], made_by="importance") is table
    with pytest.raises(ValueError, match=r"shares has no column \['parameter'\]"):
        check_table("shares", table, ["parameter"], made_by="importance")
    with pytest.raises(ValueError, match="shares has no rows"):
        check_table("shares", table.iloc[:0], ["share"], made_by="importance")
    assert (kind_of(1), kind_of(table)) == ("an int", "a DataFrame")
