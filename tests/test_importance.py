"""nbtune.importance against independent computations: closed forms, sums of squares, Optuna."""

import numpy as np
import pandas as pd
import pytest

import nbtune
from nbtune import benchmarks
from nbtune.analysis.importance import importance

optuna = pytest.importorskip("optuna")
from optuna.distributions import CategoricalDistribution, FloatDistribution  # noqa: E402


@pytest.fixture(scope="module")
def table():
    return benchmarks.load("digits-mlp")


def shares_of(result, kind=None):
    rows = result if kind is None else result[result["kind"] == kind]
    return rows.set_index("parameter")["share"]


def test_an_additive_score_on_a_grid_has_the_closed_form_shares_and_no_interaction():
    """score = a(x) + b(y): share of x = var(a) / (var(a) + var(b)), over the grid's values."""
    a = {1: 0.0, 2: 3.0, 3: 6.0, 4: 0.0}          # var over 4 values: 6.75
    b = {"relu": 1.0, "tanh": -1.0, "elu": 0.0}   # var over 3 values: 2/3
    grid = pd.DataFrame([(x, y) for x in a for y in b], columns=["x", "y"])
    grid["score"] = [a[x] + b[y] for x, y in zip(grid["x"], grid["y"])]
    shares = importance(grid)
    assert shares.attrs["method"] == "grid"
    var_a, var_b = np.var(list(a.values())), np.var(list(b.values()))
    assert shares_of(shares)["x"] == pytest.approx(var_a / (var_a + var_b))
    assert shares_of(shares)["y"] == pytest.approx(var_b / (var_a + var_b))
    assert shares_of(shares)["x × y"] == pytest.approx(0.0, abs=1e-12)
    assert shares.attrs["higher_order"] == pytest.approx(0.0, abs=1e-12)


def test_a_two_way_grid_matches_the_sums_of_squares_of_a_two_way_anova():
    """One score per cell: SS_A / SS_total, SS_B / SS_total and the rest is the interaction."""
    rng = np.random.default_rng(0)
    levels_a, levels_b = [1e-4, 1e-3, 1e-2], [16, 32, 64, 128]
    y = rng.normal(size=(3, 4)) + np.array([0.0, 2.0, 1.0])[:, None]
    grand = y.mean()
    ss_total = ((y - grand) ** 2).sum()
    ss_a = 4 * ((y.mean(axis=1) - grand) ** 2).sum()
    ss_b = 3 * ((y.mean(axis=0) - grand) ** 2).sum()
    ss_ab = ss_total - ss_a - ss_b
    grid = pd.DataFrame([(a, b, y[i, j]) for i, a in enumerate(levels_a)
                         for j, b in enumerate(levels_b)], columns=["lr", "batch", "score"])
    # trials in another order, and each configuration scored twice (averaged: the same means)
    trials = pd.concat([grid, grid.assign(score=grid["score"] + 0.5),
                        grid.assign(score=grid["score"] - 0.5)]).sample(frac=1, random_state=1)
    shares = shares_of(importance(trials))
    assert shares["lr"] == pytest.approx(ss_a / ss_total)
    assert shares["batch"] == pytest.approx(ss_b / ss_total)
    assert shares["lr × batch"] == pytest.approx(ss_ab / ss_total)


def test_the_digits_table_gives_the_shares_lesson_08_quotes(table):
    """The table remade on 2026-12-07 (issue 26); ../shared/DESIGN.md quotes the old one's
    (0.51, 0.16, 0.02, 0.01 at epoch 9)."""
    at9 = shares_of(importance(table, epochs=9), "main").round(2)
    assert at9.to_dict() == {"learning_rate": 0.52, "units": 0.16, "batch_size": 0.02,
                             "dropout_rate": 0.0}
    at27 = shares_of(importance(table), "main").round(2)
    assert at27.to_dict() == {"learning_rate": 0.36, "units": 0.14, "batch_size": 0.01,
                              "dropout_rate": 0.01}


def test_the_forest_on_the_full_grid_finds_the_exact_shares(table):
    """A forest fitted to every configuration: its fANOVA is close to the exact one."""
    exact = shares_of(importance(table, epochs=9))
    forest = importance(table, epochs=9, method="forest")
    assert forest.attrs["method"] == "forest"
    forest = shares_of(forest)
    assert list(forest.index[:4]) == list(exact.index[:4])
    assert (forest - exact[forest.index]).abs().max() < 0.02


def optuna_shares(trials: pd.DataFrame, distributions: dict) -> pd.Series:
    study = optuna.create_study(direction="maximize")
    study.add_trials([optuna.trial.create_trial(
        params={name: (float(row[name]) if isinstance(d, FloatDistribution) else row[name])
                for name, d in distributions.items()},
        distributions=distributions, value=float(row["score"])) for _, row in trials.iterrows()])
    return pd.Series(optuna.importance.FanovaImportanceEvaluator(seed=0).evaluate(study))


def compare(mine: pd.DataFrame, theirs: pd.Series) -> pd.DataFrame:
    both = pd.DataFrame({"mine": shares_of(mine, "main"), "optuna": theirs})
    print(both.round(3))
    return both


def test_on_random_trials_the_forest_agrees_with_optunas_fanova():
    """200 log-uniform random trials of a made-up score; Optuna gets the log10 of the log-scaled
    parameters (the scale this function's forest uses). Tolerance 0.05: both average a random
    forest's trees (64, seed 0) over slightly different measures (Optuna: the exact box; here:
    the 200 draws, which are not exactly uniform); over three seeds the largest gap was 0.042."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rng = np.random.default_rng(0)
    n = 200
    trials = pd.DataFrame({"learning_rate": 10 ** rng.uniform(-4, -1, n),
                           "units": np.round(2 ** rng.uniform(4, 8, n)).astype(int),
                           "dropout_rate": rng.uniform(0, 0.5, n),
                           "activation": rng.choice(["relu", "tanh"], n)})
    trials["score"] = (0.97 - 0.02 * (np.log10(trials["learning_rate"]) + 2.5) ** 2
                       - 0.0025 * (np.log2(trials["units"]) - 7) ** 2
                       - 0.02 * trials["dropout_rate"] + 0.01 * (trials["activation"] == "relu")
                       + rng.normal(0, 0.002, n))
    mine = importance(trials)
    assert mine.attrs["method"] == "forest"
    on_log = trials.assign(learning_rate=np.log10(trials["learning_rate"]),
                           units=np.log10(trials["units"]))
    theirs = optuna_shares(on_log, {
        "learning_rate": FloatDistribution(-4, -1),
        "units": FloatDistribution(np.log10(16), np.log10(256)),
        "dropout_rate": FloatDistribution(0, 0.5),
        "activation": CategoricalDistribution(["relu", "tanh"])})
    both = compare(mine, theirs)
    assert list(both["mine"].sort_values().index) == list(both["optuna"].sort_values().index)
    assert (both["mine"] - both["optuna"]).abs().max() < 0.05


def test_on_a_replayed_random_search_it_agrees_with_optuna_given_the_grids_cells():
    """120 random trials replayed on the digits table. Each hyperparameter is a grid of values,
    each tried about equally often; Optuna's box weighs a value by the length of its cell, so
    each value's cell must be as long as the others': the grid's own scale (log2 for units and
    batch size, log10 for the learning rate) and bounds half a step beyond the end values.
    Tolerance 0.03 (largest gap over three replays: 0.024). On the batch size's raw scale the
    cells are unequal and Optuna's shares move away (0.05 to 0.07 in three replays)."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    bench = benchmarks.load("digits-mlp")
    result = nbtune.replay(bench, ["random"], repeats=1, n_iter=120, epochs=9, seed=0)
    mine = importance(result)
    trials = result.trials
    on_log = trials.assign(learning_rate=np.log10(trials["learning_rate"]),
                           units=np.log2(trials["units"]), batch_size=np.log2(trials["batch_size"]))
    cells = {"units": FloatDistribution(3, 9), "learning_rate": FloatDistribution(-4.25, -0.75),
             "batch_size": FloatDistribution(3.5, 7.5), "dropout_rate": FloatDistribution(-0.1, 0.5)}
    both = compare(mine, optuna_shares(on_log, cells))
    assert list(both["mine"].sort_values().index) == list(both["optuna"].sort_values().index)
    assert (both["mine"] - both["optuna"]).abs().max() < 0.03
    # the batch size on its own scale and every bound at an end value: 128's cell (96 to 128)
    # is four times 16's (16 to 24), and the shares move away from this function's
    raw = trials.assign(learning_rate=np.log10(trials["learning_rate"]),
                        units=np.log10(trials["units"]))
    theirs = optuna_shares(raw, {"units": FloatDistribution(np.log10(16), np.log10(256)),
                                 "learning_rate": FloatDistribution(-4, -1),
                                 "batch_size": FloatDistribution(16, 128),
                                 "dropout_rate": FloatDistribution(0, 0.4)})
    gap = (theirs - both["mine"]).abs()
    print("with the batch size's raw cells:", gap.round(3).to_dict())
    assert gap.max() > 0.03   # the measure matters: why the two are compared on the same one


def test_a_monotone_rescaling_leaves_the_forests_shares_alone():
    """The forest splits between observed values and weighs each trial's value once: log or not,
    the same partition, the same shares."""
    rng = np.random.default_rng(3)
    trials = pd.DataFrame({"x": rng.uniform(1, 2, 60), "y": rng.uniform(0, 1, 60)})
    trials["score"] = trials["x"] ** 2 + 0.3 * trials["y"]
    first = shares_of(importance(trials))
    second = shares_of(importance(trials.assign(x=np.exp(trials["x"]))))
    pd.testing.assert_series_equal(first.sort_index(), second.sort_index(), atol=1e-4)  # float32 splits


@pytest.mark.parametrize("call, message", [
    (lambda t: importance(t, method="anova"), "method='anova' is not allowed"),
    (lambda t: importance(t.iloc[:5], method="grid"), "method='grid' needs every combination"),
    (lambda t: importance(t.drop(columns="score")), "no 'score' column"),
    (lambda t: importance(t, params=["depth"]), "params=['depth']"),
    (lambda t: importance(t.assign(a=1, b=1)), "no hyperparameter takes more than one value"),
    (lambda t: importance([1, 2]), "data is a list of 2: give one result, or combine them"),
    (lambda t: importance(3), "data is an int: give a tabulated benchmark"),
    (lambda t: importance("digits-mlp"), "load it first, e.g. data=nbtune.benchmarks.load"),
    (lambda t: importance(t, seed=-1), "seed=-1 is not allowed: give a whole number >= 0"),
    (lambda t: importance(t, interactions="no"), "interactions='no' is not allowed"),
    (lambda t: importance(t.assign(score=0.5)), "the score does not vary"),
])
def test_bad_input_names_the_argument_and_the_fix(call, message):
    trials = pd.DataFrame({"a": [1, 1, 2, 2, 3, 3], "b": [1, 2] * 3, "score": np.arange(6.0)})
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(").replace(
            ")", r"\)").replace("[", r"\[").replace("]", r"\]")):
        call(trials)


def test_the_benchmarks_epochs_are_checked(table):
    with pytest.raises(ValueError, match="epochs=30 is not allowed: the digits-mlp table has epochs 1 to 27"):
        importance(table, epochs=30)
