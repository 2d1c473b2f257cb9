"""The analysis wing and its plots against independent computations: the isolation study, the
learning-rate range test (trained for real), parallel coordinates and the sampling spread."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import nbtune  # noqa: E402
from nbtune import benchmarks, data, lessons, plots  # noqa: E402
from nbtune.analysis import (  # noqa: E402
    at_fixed,
    isolation,
    lr_range_test,
    parallel_coordinates,
    sampling_spread,
    spread_summary,
)


@pytest.fixture(scope="module")
def table():
    return benchmarks.load("digits-mlp")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------ isolation
def test_isolation_re_tunes_the_nuisance_as_a_hand_computed_groupby_does(table):
    study = isolation(table, "batch_size", "learning_rate", fixed={"units": 64, "dropout_rate": 0.0},
                      epochs=9)
    curves = table.curves[table.curves["epoch"] == 9].merge(table.configs, on="config")
    mine = curves[(curves["units"] == 64) & (curves["dropout_rate"] == 0.0)]
    means = mine.groupby(["batch_size", "learning_rate"])["val_accuracy"].mean()
    by_hand = means.groupby(level="batch_size").agg(["max", "idxmax"])
    best = study[study["best"]].set_index("batch_size")
    assert best["score"].to_numpy() == pytest.approx(by_hand["max"].to_numpy())
    assert best["learning_rate"].tolist() == [lr for _, lr in by_hand["idxmax"]]
    assert len(study) == 4 * 7 and study["best"].sum() == 4
    fixed_rate = at_fixed(study, learning_rate=1e-3)
    assert fixed_rate["score"].to_numpy() == pytest.approx(means.xs(1e-3, level="learning_rate").to_numpy())


def test_isolation_asks_for_a_role_for_every_hyperparameter_that_varies(table):
    with pytest.raises(ValueError, match=r"\['units', 'dropout_rate'\] vary in these scores but have no role"):
        isolation(table, "batch_size", "learning_rate")
    with pytest.raises(ValueError, match="fixed=.'units': 65.: the scores have no such value"):
        isolation(table, "batch_size", fixed={"units": 65, "dropout_rate": 0.0})
    with pytest.raises(ValueError, match="each hyperparameter has one role"):
        isolation(table, "batch_size", "batch_size")
    # the other hyperparameters may be re-tuned with the learning rate instead of fixed
    tuned = isolation(table, "batch_size", ["learning_rate", "units", "dropout_rate"], epochs=9)
    assert tuned[tuned["best"]]["score"].min() >= isolation(
        table, "batch_size", fixed={"units": 64, "dropout_rate": 0.0}, epochs=9).query("best")["score"].min()


# ------------------------------------------------------------------ the range test
@pytest.fixture(scope="module")
def digits():
    return data.load_digits()


def test_the_range_test_grows_the_rate_geometrically_and_records_real_losses(digits):
    rates = lr_range_test(lessons.build_digits_model, *digits.train, start=1e-4, stop=1.0, steps=40,
                          units=16, diverge=float("inf"))
    assert len(rates) == 40
    assert rates["learning_rate"].iloc[0] == pytest.approx(1e-4)
    assert rates["learning_rate"].iloc[-1] == pytest.approx(1.0)
    ratios = rates["learning_rate"].to_numpy()[1:] / rates["learning_rate"].to_numpy()[:-1]
    assert ratios == pytest.approx(np.full(39, 1e4 ** (1 / 39)))
    # an untrained 10-class model's cross-entropy is about ln(10); training brings it down
    assert rates["loss"].iloc[0] == pytest.approx(np.log(10), abs=0.4)
    assert rates["smoothed_loss"].min() < 0.8 * rates["loss"].iloc[0]
    # the moving average, bias-corrected, recomputed by hand
    average, smoothed = 0.0, []
    for step, loss in enumerate(rates["loss"]):
        average = 0.9 * average + 0.1 * loss
        smoothed.append(average / (1 - 0.9 ** (step + 1)))
    assert rates["smoothed_loss"].to_numpy() == pytest.approx(np.array(smoothed))
    lowest = rates["learning_rate"].iloc[int(np.argmin(smoothed))]
    assert rates.attrs["at_minimum"] == lowest and rates.attrs["suggested"] == pytest.approx(lowest / 10)


def test_the_range_test_is_repeatable_and_stops_when_the_loss_diverges(digits):
    first = lr_range_test(lessons.build_digits_model, *digits.train, start=1e-3, stop=1000.0,
                          steps=60, units=16, seed=3)
    again = lr_range_test(lessons.build_digits_model, *digits.train, start=1e-3, stop=1000.0,
                          steps=60, units=16, seed=3)
    pd.testing.assert_frame_equal(first, again)
    assert len(first) < 60      # a rate of 1000 diverges long before the last step
    assert first["smoothed_loss"].iloc[-1] > 4 * first["smoothed_loss"].min() or not np.isfinite(
        first["loss"].iloc[-1])


@pytest.mark.parametrize("kwargs, message", [
    ({"start": 0.0}, "start=0.0 is not allowed"),
    ({"start": 1.0, "stop": 0.1}, "start < stop"),
    ({"steps": 1}, "steps=1 is not allowed"),
    ({"smoothing": 1.0}, "smoothing=1.0 is not allowed"),
])
def test_the_range_test_refuses_bad_settings_before_training(digits, kwargs, message):
    with pytest.raises(ValueError, match=message):
        lr_range_test(lessons.build_digits_model, *digits.train, **kwargs)


# ------------------------------------------------------------------ parallel coordinates
def trials_table():
    rng = np.random.default_rng(1)
    return pd.DataFrame({"learning_rate": 10 ** rng.uniform(-4, -1, 12),
                         "units": rng.choice([16, 32, 64], 12),
                         "activation": rng.choice(["relu", "tanh", "elu"], 12),
                         "score": rng.uniform(0.5, 1.0, 12)})


def by_hand(trials):
    """Each axis normalised to 0-1 the way the docstring says, independently of nbtune."""
    lr = np.log10(trials["learning_rate"])
    categories = sorted(trials["activation"].unique())
    return pd.DataFrame({
        "learning_rate": (lr - lr.min()) / (lr.max() - lr.min()),
        "units": (trials["units"] - trials["units"].min()) / (trials["units"].max() - trials["units"].min()),
        "activation": trials["activation"].map({c: i / (len(categories) - 1) for i, c in enumerate(categories)}),
        "score": (trials["score"] - trials["score"].min()) / (trials["score"].max() - trials["score"].min()),
    })


def trial_lines(ax, axes):
    return sorted(tuple(np.round(line.get_ydata(), 9)) for line in ax.lines
                  if len(line.get_ydata()) == axes and len(set(line.get_xdata())) == axes)


def test_parallel_coordinates_positions_are_the_hand_normalised_values(trials=None):
    trials = trials_table()
    lines = parallel_coordinates(trials)
    wide = lines.pivot(index="line", columns="axis", values="position")[list(by_hand(trials).columns)]
    pd.testing.assert_frame_equal(wide.reset_index(drop=True), by_hand(trials), check_names=False)
    kinds = {a["name"]: a["kind"] for a in lines.attrs["axes"]}
    assert kinds == {"learning_rate": "log", "units": "linear", "activation": "category",
                     "score": "linear"}


def test_the_parallel_plot_draws_what_pandas_draws_after_the_same_normalisation():
    trials = trials_table()
    ax = plots.plot_parallel_coordinates(trials)
    theirs = plt.figure().gca()
    pd.plotting.parallel_coordinates(by_hand(trials).assign(trial=range(len(trials))), "trial",
                                     ax=theirs)
    mine = trial_lines(ax, 4)
    assert len(mine) == len(trials) and mine == trial_lines(theirs, 4)
    # coloured by score: the best trial is drawn last, in the colour map's top colour
    assert ax.lines[len(ax.lines) - 5].get_color() == pytest.approx(plt.get_cmap("viridis")(1.0))


# ------------------------------------------------------------------ have we sampled enough?
def test_the_spread_takes_each_runs_best_reported_trial_among_its_first_n(table):
    runs = nbtune.replay(table, ["random"], repeats=20, n_iter=16, epochs=9)
    spread = sampling_spread(runs, trials=[1, 4, 16])
    assert spread.groupby("trials").size().tolist() == [20, 20, 20]
    for repeat, run in runs.trials.groupby("repeat"):
        run = run.sort_values("trial")
        for n in (1, 4, 16):
            first = run.head(n)
            chosen = first.loc[first["score"].idxmax()]
            row = spread[(spread["repeat"] == repeat) & (spread["trials"] == n)].iloc[0]
            assert (row["reported"], row["true_score"]) == (chosen["score"], chosen["true_score"])
            assert row["learning_rate"] == chosen["learning_rate"]
    summary = spread_summary(spread)
    assert summary.loc[16, "median"] >= summary.loc[1, "median"]
    assert summary.loc[16, "worst"] <= float(table.true_best(9)["val_accuracy"])


def test_the_spread_refuses_what_is_not_one_strategys_replay(table):
    with pytest.raises(TypeError, match="give a replay"):
        sampling_spread(pd.DataFrame())
    live = nbtune.SearchResult(pd.DataFrame({"units": [16], "score": [0.9]}))
    with pytest.raises(ValueError, match="no \\['repeat', 'true_score'\\] column"):
        sampling_spread(live)
    runs = nbtune.replay(table, ["random"], repeats=2, n_iter=4, epochs=9)
    with pytest.raises(ValueError, match="trials=\\[8\\] is not allowed \\(8\\): give a list of whole "
                                         "numbers from 1 to 4"):
        sampling_spread(runs, trials=[8])


# ------------------------------------------------------------------ the draw functions
def test_each_draw_function_returns_its_axes_with_what_it_says(table, digits):
    shares = nbtune.importance(table, epochs=9)
    ax = plots.plot_importance(shares, top=3)
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "learning_rate"
    assert len(ax.patches) == 3
    study = isolation(table, "batch_size", fixed={"units": 64, "dropout_rate": 0.0}, epochs=9)
    ax = plots.plot_isolation(study, presentation=True)
    best = study[study["best"]]["score"]
    assert ax.get_ylim()[0] < best.min() and ax.get_ylim()[1] > best.max()
    assert len([c for c in ax.collections if len(c.get_offsets()) == 1]) == 4   # one star each
    runs = nbtune.replay(table, ["random"], repeats=10, n_iter=8, epochs=9)
    ax = plots.plot_sampling_spread(sampling_spread(runs), float(table.true_best(9)["val_accuracy"]),
                                    images=360)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "4", "8"]
    assert ax.get_yscale() == "symlog"
    rates = pd.DataFrame({"learning_rate": [1e-4, 1e-3, 1e-2], "loss": [2.3, 1.0, 3.0],
                          "smoothed_loss": [2.3, 1.5, 2.0]})
    rates.attrs = {"suggested": 1e-4, "at_minimum": 1e-3}
    ax = plots.plot_lr_range(rates, marks={"table": 0.01})
    assert sorted(line.get_xdata()[0] for line in ax.lines[2:]) == [1e-4, 1e-3, 1e-2]
    with pytest.raises(ValueError, match="give the table nbtune.analysis.importance returns"):
        plots.plot_importance(rates)


# ------------------------------------------------------------------ what changed with the input checks
def test_at_fixed_holds_a_categorical_nuisance_and_lists_the_values_it_has():
    trials = pd.DataFrame([(b, o) for b in (16, 32) for o in ("adam", "sgd")],
                          columns=["batch_size", "optimizer"])
    trials["score"] = [0.9, 0.7, 0.8, 0.85]
    study = isolation(trials, "batch_size", "optimizer")
    assert at_fixed(study, optimizer="sgd")["score"].tolist() == [0.7, 0.85]
    with pytest.raises(ValueError, match=r"optimizer='adamw': the study has no such value; optimizer "
                                         r"takes \['adam', 'sgd'\]: give one of them"):
        at_fixed(study, optimizer="adamw")


def test_a_run_has_chosen_nothing_before_its_first_scored_trial(table):
    runs = nbtune.replay(table, ["random"], repeats=2, n_iter=4, epochs=9)
    trials = runs.trials.copy()
    first = trials.groupby("repeat")["trial"].transform("min") == trials["trial"]
    trials.loc[first & (trials["repeat"] == 0), ["score", "status"]] = [np.nan, "failed"]
    spread = sampling_spread(nbtune.SearchResult(trials, param_names=runs.param_names), trials=[1, 2])
    early = spread[(spread["repeat"] == 0) & (spread["trials"] == 1)].iloc[0]
    assert np.isnan(early["reported"]) and np.isnan(early["true_score"]) and pd.isna(early["units"])
    assert spread["true_score"].notna().sum() == 3


def test_missing_values_are_one_category_and_empty_values_are_not_log_scaled():
    from nbtune.analysis.scores import category_codes, encode, is_log_scaled

    categories, codes = category_codes(pd.Series(["relu", None, np.nan, "tanh"]))
    assert categories == [None, "relu", "tanh"] and codes.tolist() == [1.0, 0.0, 0.0, 2.0]
    assert encode([1e-3, 1e-1]).tolist() == [-3.0, -1.0]  # a plain list is read too
    assert not is_log_scaled(pd.Series([], dtype=float))


def test_the_range_test_takes_numpy_rates_and_checks_the_build_function_first(digits):
    X, y = digits.X_train[:64], digits.y_train[:64]
    rates = lr_range_test(lessons.build_digits_model, X, y, start=np.float32(1e-4), stop=np.float64(1e-1),
                          steps=3, units=4)
    assert rates["learning_rate"].iloc[0] == pytest.approx(1e-4)
    with pytest.raises(ValueError, match=r"unitz=4 is not an argument of build_digits_model"):
        lr_range_test(lessons.build_digits_model, X, y, steps=3, unitz=4)

    def uncompiled(units=4):
        import keras

        return keras.Sequential([keras.layers.Dense(units)])

    with pytest.raises(TypeError, match="build_fn returned Sequential, not a compiled Keras model"):
        lr_range_test(uncompiled, X, y, steps=3)


def test_the_range_plot_starts_its_axis_at_the_first_finite_loss():
    rates = pd.DataFrame({"learning_rate": [1e-4, 1e-3, 1e-2], "loss": [np.nan, 1.0, 3.0],
                          "smoothed_loss": [np.nan, 2.0, 2.5]})
    assert plots.plot_lr_range(rates).get_ylim() == pytest.approx((0, 2.5))
