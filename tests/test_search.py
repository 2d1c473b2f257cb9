"""Search helpers on real tiny Keras models and the shipped breast cancer data."""

import numpy as np
import pytest
from conftest import tiny_build
from sklearn.model_selection import GridSearchCV, ParameterSampler

import nbtune
from nbtune import Choice, Float, Int, SearchSpace
from nbtune.search.proposers import Proposer
from nbtune.search.results import SearchFailedError
from nbtune.search.schedule import hyperband_schedule

SPACE = SearchSpace(Choice("units", [4, 16]), Choice("learning_rate", [1e-2, 1e-3]))


@pytest.fixture(scope="module")
def small(cancer):
    """200 training rows keep each fit well under a second."""
    return cancer.X_train[:200], cancer.y_train[:200]


def test_grid_search_tries_every_configuration_and_matches_gridsearchcv(small):
    X, y = small
    result = nbtune.grid_search(tiny_build, SPACE, X, y, cv=2, epochs=2, progress=False)
    trials = result.trials
    assert len(trials) == SPACE.size == 4
    assert sorted(zip(trials.units, trials.learning_rate)) == sorted(
        (u, lr) for u in (4, 16) for lr in (1e-2, 1e-3))
    assert (trials.status == "ok").all() and trials.score.between(0, 1).all()
    assert (trials.train_epochs == 2).all() and (trials.epochs_spent == 4).all()
    assert trials.score_std.notna().all() and (trials.seconds > 0).all()
    # the same candidates, folds and seeds through scikit-learn's own GridSearchCV
    reference = GridSearchCV(
        nbtune.KerasClassifier(tiny_build, epochs=2, random_state=0), SPACE.grid(), cv=2
    ).fit(X, y)
    np.testing.assert_allclose(trials.score, reference.cv_results_["mean_test_score"], atol=1e-6)
    assert result.best_params == reference.best_params_


def test_random_search_draws_the_same_candidates_as_parameter_sampler(small):
    X, y = small
    space = SearchSpace(Int("units", 2, 32), Float("learning_rate", 1e-3, 1e-1, log=True))
    result = nbtune.random_search(tiny_build, space, X, y, n_iter=3, cv=2, epochs=1,
                                  random_state=7, progress=False)
    expected = [space.to_python(p) for p in
                ParameterSampler(space.distributions(), n_iter=3, random_state=7)]
    got = result.trials[["units", "learning_rate"]].to_dict("records")
    assert got == [{"units": p["units"], "learning_rate": p["learning_rate"]} for p in expected]
    assert all(type(p["units"]) is int for p in got)


def test_a_failing_trial_is_recorded_and_the_search_goes_on(small):
    def build(units=4, learning_rate=0.01):
        if units == 16:
            raise RuntimeError("no room for 16 units")
        return tiny_build(units, learning_rate)

    result = nbtune.grid_search(build, SPACE, *small, cv=2, epochs=1, progress=False)
    failed = result.trials[result.trials.status == "failed"]
    assert list(failed.units) == [16, 16]
    assert failed.error.str.contains("RuntimeError: no room for 16 units").all()
    assert result.best_params["units"] == 4


def test_a_trial_whose_loss_becomes_nan_is_recorded_as_failed(small):
    import keras

    def build(units=4, learning_rate=0.01):
        model = tiny_build(units)
        model.compile(keras.optimizers.SGD(learning_rate=learning_rate), "sparse_categorical_crossentropy")
        return model

    space = SearchSpace(Choice("units", [4]), Choice("learning_rate", [1e-2, 1e12]))
    result = nbtune.grid_search(build, space, *small, cv=2, epochs=2, progress=False)
    bad = result.trials.set_index("learning_rate").loc[1e12]
    assert bad.status == "failed" and "nan" in bad.error.lower()
    assert result.best_params == {"units": 4, "learning_rate": 0.01}


def test_when_every_trial_fails_the_first_error_is_raised_with_the_result(small):
    def build(units=4, learning_rate=0.01):
        raise ValueError(f"broken build for units={units}")

    with pytest.raises(SearchFailedError, match="all 4 trials failed.*broken build for units=4") as info:
        nbtune.grid_search(build, SPACE, *small, cv=2, epochs=1, progress=False)
    assert len(info.value.result.trials) == 4


def test_a_fit_argument_can_be_a_dimension(small):
    space = SearchSpace(Choice("batch_size", [16, 64]), Choice("epochs", [1, 2]))
    result = nbtune.grid_search(tiny_build, space, *small, cv=2, progress=False)
    assert sorted(result.trials.epochs_spent) == [2, 2, 4, 4]
    assert set(result.trials.batch_size) == {16, 64}


@pytest.mark.parametrize("call, match", [
    (lambda X, y: nbtune.grid_search(tiny_build, SearchSpace(Choice("neurons", [4])), X, y),
     "neurons.*units.*learning_rate"),
    (lambda X, y: nbtune.grid_search(tiny_build, SPACE, X, y[:-1]), "200 rows but y has 199"),
    (lambda X, y: nbtune.grid_search(tiny_build, SPACE, np.where(X == X[3, 2], np.nan, X), y),
     "NaN or infinite values .*row 3, column 2"),
    (lambda X, y: nbtune.compare(tiny_build, SPACE, X, y, strategies=["grid", "bayes"]),
     r"\['bayes'\] not known.*'hyperband'"),
    (lambda X, y: nbtune.grid_search(tiny_build, None, X, y), "space=None works only for.*build\\(hp\\)"),
    (lambda X, y: nbtune.grid_search(tiny_build, SearchSpace(Float("learning_rate", 1e-3, 1e-1)), X, y),
     "learning_rate.*points"),
    (lambda X, y: nbtune.hyperband(tiny_build, SearchSpace(Choice("epochs", [1, 2])), X, y), "max_epochs"),
    (lambda X, y: nbtune.grid_search(tiny_build, SPACE, X, y, n_jobs=0), "n_jobs=0 is not allowed.*-1"),
])
def test_bad_input_is_refused_before_training(small, call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call(*small)


def test_progress_is_one_line_and_can_be_silenced(small, capfd):
    space = SearchSpace(Choice("units", [4, 8]))
    nbtune.grid_search(tiny_build, space, *small, cv=2, epochs=1)
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "grid" in err and "2/2 trials" in err
    nbtune.grid_search(tiny_build, space, *small, cv=2, epochs=1, progress=False)
    out = capfd.readouterr()
    assert out.out == "" and "trials" not in out.err


def test_stopping_a_search_keeps_the_finished_trials(small):
    calls = []

    def build(units=4, learning_rate=0.01):
        calls.append(units)
        if len(calls) == 3:  # third configuration (its folds reuse one model)
            raise KeyboardInterrupt
        return tiny_build(units, learning_rate)

    with pytest.warns(UserWarning, match="interrupted after 2 finished trials"):
        result = nbtune.grid_search(build, SPACE, *small, cv=2, epochs=1, progress=False)
    assert not result.complete and len(result.trials) == 2 and (result.trials.status == "ok").all()


def test_hyperband_follows_the_schedule_and_records_brackets(cancer):
    space = SearchSpace(Int("units", 2, 64), Choice("learning_rate", [1e-2, 3e-3, 1e-3]))
    result = nbtune.hyperband(tiny_build, space, *cancer.train, validation_data=cancer.validation,
                              max_epochs=4, factor=2, progress=False)
    plan = hyperband_schedule(max_epochs=4, factor=2)
    trials = result.trials
    assert len(trials) == plan.trials.sum()
    assert trials.epochs_spent.sum() == plan.total_epochs.sum()
    per_round = trials.groupby(["bracket", "round"]).size()
    expected = plan.set_index(["bracket", "round"]).trials
    assert per_round.sort_index().tolist() == expected.sort_index().tolist()
    assert trials.score.between(0, 1).all() and (trials.status == "ok").all()
    assert trials.train_epochs.max() == 4


def test_hyperband_starts_fresh_unless_asked_to_resume(cancer, tmp_path):
    kwargs = dict(validation_data=cancer.validation, max_epochs=2, progress=False,
                  directory=str(tmp_path), project_name="p")
    first = nbtune.hyperband(tiny_build, SPACE, *cancer.train, **kwargs)
    with pytest.raises(FileExistsError, match="already holds a run"):  # never a silent replace
        nbtune.hyperband(tiny_build, SPACE, *cancer.train, **kwargs)
    again = nbtune.hyperband(tiny_build, SPACE, *cancer.train, overwrite=True, **kwargs)
    assert len(first.trials) == len(again.trials) > 0  # a full new run, not a silent reload
    resumed = nbtune.hyperband(tiny_build, SPACE, *cancer.train, resume=True, **kwargs)
    assert len(resumed.trials) == len(again.trials)
    np.testing.assert_allclose(resumed.trials.score, again.trials.score)


def test_bayesian_runs_max_trials(cancer):
    result = nbtune.bayesian(tiny_build, SPACE, *cancer.train, max_trials=3, epochs=1, progress=False)
    assert len(result.trials) == 3 and result.strategies == ["bayesian"]
    assert (result.trials.train_epochs == 1).all()


def test_hp_style_build_function_needs_no_space(cancer):
    import keras

    def model_builder(hp):
        model = keras.Sequential([
            keras.layers.Dense(hp.Int("units", 4, 8, step=4), activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile(keras.optimizers.Adam(hp.Choice("learning_rate", [1e-2, 1e-3])),
                      "sparse_categorical_crossentropy")
        return model

    grid = nbtune.grid_search(model_builder, None, *cancer.train, cv=2, epochs=1, progress=False)
    assert len(grid.trials) == 4 and grid.param_names == ["units", "learning_rate"]
    band = nbtune.hyperband(model_builder, None, *cancer.train, max_epochs=2, progress=False)
    assert set(band.trials.units) <= {4, 8}
    model = band.build_best()
    assert model.layers[0].units == band.best_params["units"]


def test_compare_uses_one_validation_set_and_scores_each_winner_on_test(cancer):
    result = nbtune.compare(tiny_build, SPACE, *cancer.train, validation_data=cancer.validation,
                            test_data=cancer.test, strategies=["grid", "random", "hyperband"],
                            epochs=2, n_iter=2, progress=False)
    assert result.strategies == ["grid", "random", "hyperband"]
    summary = result.summary()
    assert summary.loc["grid", "trials"] == 4 and summary.loc["random", "trials"] == 2
    assert set(result.test_scores) == {"grid", "random", "hyperband"}
    assert all(0.5 < s <= 1 for s in result.test_scores.values())
    # one validation fold: no spread across folds, and the same configuration
    # scores the same through grid and random search
    assert (result.for_strategy("grid").trials.score_std == 0).all()
    grid = result.for_strategy("grid").trials.set_index(["units", "learning_rate"]).score
    rand = result.for_strategy("random").trials.set_index(["units", "learning_rate"]).score
    for key, score in rand.items():
        assert score == pytest.approx(grid[key])


class StopAfter:
    """A progress object that asks to stop after n trials and keeps what it saw."""

    def __init__(self, n):
        self.n, self.seen, self.events = n, [], []

    def begin(self, strategy, total):
        self.events.append(("begin", strategy, total))

    def trial_done(self, record):
        self.seen.append(record)

    def should_stop(self):
        return len(self.seen) >= self.n

    def end(self, note=""):
        self.events.append(("end", note))


@pytest.mark.parametrize("strategy", ["grid", "hyperband"])
def test_a_progress_object_sees_each_trial_and_can_stop_the_search(small, strategy):
    watcher = StopAfter(2)
    if strategy == "grid":
        result = nbtune.grid_search(tiny_build, SPACE, *small, cv=2, epochs=1, progress=watcher)
    else:
        result = nbtune.hyperband(tiny_build, SPACE, *small, max_epochs=3, progress=watcher)
    assert not result.complete and len(result.trials) == 2
    assert [r["trial"] for r in watcher.seen] == [0, 1]
    assert watcher.seen[0]["units"] in (4, 16) and watcher.seen[0]["status"] == "ok"
    assert watcher.events[0][:2] == ("begin", strategy) and watcher.events[-1][0] == "end"
    assert "stopped" in watcher.events[-1][1]


def test_a_wrong_progress_object_is_refused(small):
    with pytest.raises(TypeError, match="lacks.*should_stop"):
        nbtune.grid_search(tiny_build, SPACE, *small, progress="yes")


def test_regression_through_every_kind_of_search():
    import keras
    from sklearn.datasets import load_diabetes
    from sklearn.preprocessing import StandardScaler

    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype("float32")
    y = (y - y.mean()) / y.std()

    def build(units=8, learning_rate=0.01):
        model = keras.Sequential([keras.layers.Dense(units, activation="relu"), keras.layers.Dense(1)])
        model.compile(keras.optimizers.Adam(learning_rate), "mse")
        return model

    space = SearchSpace(Choice("units", [8, 16]))
    grid = nbtune.grid_search(build, space, X, y, cv=2, epochs=3, progress=False)
    band = nbtune.hyperband(build, space, X, y, max_epochs=3, progress=False)
    assert grid.scoring == band.scoring == "r2"
    assert grid.trials.score.between(-1, 1).all() and band.trials.score.between(-1, 1).all()
    assert 0 < band.best_score <= 1
    assert isinstance(band.refit_best(X, y), nbtune.KerasRegressor)


def test_an_uncompiled_model_is_compiled_for_keras_tuner_too(small):
    import keras

    def build(units=8):
        return keras.Sequential([keras.layers.Dense(units, activation="relu"),
                                 keras.layers.Dense(2, activation="softmax")])

    result = nbtune.hyperband(build, SearchSpace(Choice("units", [4, 8])), *small, max_epochs=2,
                              progress=False)
    assert (result.trials.status == "ok").all()


def test_stopping_before_any_trial_finishes_gives_an_empty_partial_result(small):
    result = nbtune.grid_search(tiny_build, SPACE, *small, cv=2, epochs=1, progress=StopAfter(0))
    assert not result.complete and result.trials.empty
    assert list(result.trials.columns[:4]) == ["strategy", "trial", "units", "learning_rate"]


def test_hyperband_with_random_state_zero_is_repeatable(small):
    """keras-tuner reads seed=0 as 'no seed'; nbtune's random_state=0 must still repeat."""
    space = SearchSpace(Choice("units", [2, 4, 6, 8, 10, 12]), Choice("learning_rate", [1e-2, 1e-3]))
    runs = [nbtune.hyperband(tiny_build, space, *small, max_epochs=2, random_state=0, progress=False)
            for _ in range(2)]
    first, second = (r.trials[["units", "learning_rate", "bracket", "round"]] for r in runs)
    assert first.to_dict("records") == second.to_dict("records")


def test_trials_in_worker_processes_give_the_same_result(small, tmp_path):
    def build(units=4, learning_rate=0.01):
        if units == 16 and learning_rate == 1e-3:
            raise RuntimeError("this configuration fails on purpose")
        return tiny_build(units, learning_rate)

    serial = nbtune.grid_search(build, SPACE, *small, cv=2, epochs=2, progress=False)
    parallel = nbtune.grid_search(build, SPACE, *small, cv=2, epochs=2, progress=False, n_jobs=2,
                                  directory=tmp_path)
    columns = ["trial", "units", "learning_rate", "score", "status"]
    assert parallel.trials[columns].equals(serial.trials[columns])
    failed = parallel.trials[parallel.trials.status == "failed"]
    assert len(failed) == 1 and "fails on purpose" in failed.error.iloc[0]
    # every trial reached the run folder too, whatever order the workers finished in
    logged = [line for line in (tmp_path / "grid" / "trials.jsonl").read_text().splitlines() if line]
    assert len(logged) == 4


def test_the_strategy_registry_agrees_with_compare_and_the_helpers():
    import inspect

    from nbtune.search import strategies

    compare_defaults = inspect.signature(nbtune.compare).parameters
    for name, default in strategies.budget_defaults().items():
        assert compare_defaults[name].default == default, name
    for strategy in strategies.registry():
        assert set(strategy.budget) <= set(compare_defaults), strategy.name
    space = nbtune.SearchSpace(nbtune.Int("units", 4, 64))
    for strategy in strategies.registry():  # each entry makes its own proposer
        proposer = strategy.proposer(space, strategies.budget_defaults(), 0)
        assert isinstance(proposer, Proposer), strategy.name
        first = proposer.propose()
        assert set(first.params) == {"units"} and first.number == 0, strategy.name
    with pytest.raises(ValueError, match=r"'sha' is not known; choose from \['grid'"):
        strategies.get("sha")


def test_a_new_strategy_is_one_registry_entry_and_its_proposer(small, monkeypatch):
    """A throwaway strategy, added as ARCHITECTURE.md says: one entry, one proposer, no other file.

    "reversed grid" tries the grid's configurations last to first. compare, the
    cost table, the plots' colours, the panel's buttons and replay all pick it up.
    """
    from sklearn.model_selection import ParameterGrid

    from nbtune import benchmarks, plots
    from nbtune.search import strategies
    from nbtune.search.cost import comparison_cost
    from nbtune.search.proposers import ListProposer
    from nbtune.ui.panel import SearchPanel

    def proposer(space, budget, random_state):
        return ListProposer(space, list(ParameterGrid(space.grid()))[::-1])

    entry = strategies.Strategy(
        "reversed_grid", "Reversed grid", "Reversed", "#000000", {"epochs": 10},
        ("cv", "epochs"), cross_validated=True,
        plan=lambda space, settings: (space.size, space.size * settings.get("epochs", 10)),
        proposer=proposer)
    monkeypatch.setitem(strategies._REGISTRY, entry.name, entry)

    X, y = small
    result = nbtune.compare(tiny_build, SPACE, X[:150], y[:150], strategies=["grid", "reversed_grid"],
                            validation_data=(X[150:], y[150:]), epochs=1, progress=False)
    grid = result.trials[result.trials.strategy == "grid"]
    backwards = result.trials[result.trials.strategy == "reversed_grid"]
    assert backwards.units.tolist() == grid.units.tolist()[::-1]
    assert sorted(backwards.score) == pytest.approx(sorted(grid.score), abs=1e-6)
    plan = comparison_cost(SPACE, {"strategies": ["reversed_grid"], "epochs": 3})
    assert plan.loc["reversed_grid", ["trials", "epochs"]].tolist() == [4, 12]
    assert plots.color_for("reversed_grid") == "#000000"
    panel = SearchPanel(tiny_build, SPACE, X, y, strategy="reversed_grid")
    assert ("Reversed", "reversed_grid") in panel.strategy_buttons.options
    table = benchmarks.load("digits-mlp-tiny")
    replayed = nbtune.replay(table, ["reversed_grid"], repeats=1)
    assert len(replayed.trials) == table.space.size


# ------------------------------------------------------------------ plans too large
def _never_built(**params):
    raise AssertionError("a model was built: the plan should have been refused first")


@pytest.mark.parametrize("call, match", [
    (lambda X, y, **kw: nbtune.grid_search(_never_built, SearchSpace(Int("units", 1, 10**6)), X, y,
                                           **kw),
     r"Grid search plans 1,000,000 trials x 3 folds = 3,000,000 fits and 30,000,000 epochs: "
     r"at least 3 days .* Narrow the space .* pass allow_large=True"),
    (lambda X, y, **kw: nbtune.random_search(_never_built, SPACE, X, y, n_iter=10**9, **kw),
     r"Random search plans 1,000,000,000 trials .* Lower n_iter"),
    (lambda X, y, **kw: nbtune.grid_search(_never_built, SPACE, X, y, epochs=10**6, **kw),
     r"Grid search plans 4 trials x 3 folds = 12 fits and 12,000,000 epochs.* Lower epochs"),
    (lambda X, y, **kw: nbtune.hyperband(_never_built, SPACE, X, y, max_epochs=10**6, **kw),
     r"Hyperband plans 1,347,254 trials .* Lower max_epochs"),
    (lambda X, y, **kw: nbtune.successive_halving(_never_built, SPACE, X, y, max_epochs=10**9, **kw),
     r"Successive halving plans 74 trials \(as many fits\) and 2,666,666,668 epochs"),
    (lambda X, y, **kw: nbtune.bayesian(_never_built, SPACE, X, y, max_trials=10**6, **kw),
     r"Bayesian optimisation plans 1,000,000 trials .* Lower max_trials"),
])
def test_a_plan_too_large_is_refused_before_anything_is_built(small, call, match):
    with pytest.raises(ValueError, match=match):
        call(*small)
    with pytest.raises(TypeError, match="allow_large='yes' is not allowed: give True"):
        call(*small, allow_large="yes")


def test_allow_large_runs_a_plan_over_the_limits(small, monkeypatch):
    from nbtune.search import pipeline

    monkeypatch.setattr(pipeline, "MAX_TRIALS", 3)
    X, y = small
    with pytest.raises(ValueError, match="plans 4 trials .* more than the 3 trials"):
        nbtune.grid_search(tiny_build, SPACE, X, y, cv=2, epochs=1, progress=False)
    result = nbtune.grid_search(tiny_build, SPACE, X, y, cv=2, epochs=1, allow_large=True,
                                progress=False)
    assert len(result.trials) == 4


def test_compare_refuses_a_plan_too_large_before_its_warm_up(small, monkeypatch):
    from nbtune.search import helpers

    def no_warm_up(*args):
        raise AssertionError("compare warmed up TensorFlow before checking the plans")

    monkeypatch.setattr(helpers, "_warm_up", no_warm_up)
    space = SearchSpace(Int("units", 1, 10**6))
    with pytest.raises(ValueError, match=r"Grid search plans 1,000,000 trials \(as many fits\)"):
        nbtune.compare(tiny_build, space, *small, strategies=["random", "grid"], progress=False)


def test_plans_are_counted_without_sampling_or_listing():
    """Successive halving's plan is its proposer's (fewer trials in a small space), counted."""
    import time

    from nbtune.search import strategies
    from nbtune.search.proposers import SuccessiveHalvingProposer
    from nbtune.search.schedule import successive_halving_schedule

    plan = strategies.get("successive_halving").plan
    for space in (SearchSpace(Choice("units", [2, 4, 8, 16])), SearchSpace(Int("units", 1, 64)),
                  SearchSpace(Choice("a", [1, 2]), Float("lr", 1e-4, 1e-1, log=True))):
        for max_epochs, factor in ((3, 3), (9, 3), (27, 3), (10, 2)):
            proposer = SuccessiveHalvingProposer(space, max_epochs=max_epochs, factor=factor)
            assert plan(space, {"max_epochs": max_epochs, "factor": factor})[0] == proposer.total
    start = time.perf_counter()
    # round 0 of max_epochs=10**9 wants about 10**9 configurations: SPACE has 4
    rounds = successive_halving_schedule(10**9)["trials"]
    assert plan(SPACE, {"max_epochs": 10**9})[0] == sum(min(4, t) for t in rounds)
    assert plan(SearchSpace(Int("units", 1, 64)), {"max_epochs": 10**9})[0] > 10**8
    assert time.perf_counter() - start < 1
