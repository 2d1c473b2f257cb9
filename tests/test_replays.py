"""Replays on a tabulated benchmark mean what live runs mean.

The tiny table ``digits-mlp-tiny`` (4 configurations, 2 seeds, 3 epochs) ships
with nbtune and was made by ``python -m nbtune tabulate --fast``.
"""

import numpy as np
import pytest
from conftest import run_printed

keras = pytest.importorskip("keras")
kt = pytest.importorskip("keras_tuner")

import nbtune  # noqa: E402
from nbtune import benchmarks, data, lessons  # noqa: E402
from nbtune.benchmarks.replays import TableLookup, replay  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    return benchmarks.load("digits-mlp-tiny")


@pytest.mark.parametrize("seed", [0, 1])
def test_a_live_search_on_the_tables_configurations_scores_what_the_table_says(tiny, seed):
    """grid_search with the validation set as its one fold, the table's seed and epochs."""
    digits = data.load_digits()
    live = nbtune.search.helpers.run_strategy("grid", lessons.build_digits_model, tiny.space, *digits.train,
                               validation_data=digits.validation, budget={"epochs": 3},
                               random_state=seed, progress=False)
    for _, trial in live.trials.iterrows():
        config = tiny.config_of({n: trial[n] for n in tiny.space.names})
        accuracy, _, _ = tiny.curve(config, seed)
        assert trial.score == pytest.approx(accuracy[2], abs=1e-6), trial.to_dict()


def test_replays_hyperband_proposes_what_keras_tuners_own_tuner_does(tiny):
    """keras-tuner's real Tuner loop, fed the same table scores, runs the same trials."""
    space, seed = tiny.space, 5
    lookup = TableLookup(tiny, epochs=3, rng=np.random.default_rng([seed, 0]))
    seen = []

    class TableHyperband(kt.Hyperband):
        def run_trial(self, trial, *args, **kwargs):
            values = trial.hyperparameters.values
            params = space.values_from_hp({n: values[n] for n in space.names})
            parent = values.get("tuner/trial_id")
            proposal = nbtune.search.proposers.Proposal(
                int(trial.trial_id), params, epochs=values["tuner/epochs"],
                initial_epoch=values["tuner/initial_epoch"],
                parent=None if parent is None else int(parent))
            seen.append((params, values["tuner/epochs"]))
            return {"score": lookup.evaluate(proposal)["score"]}

    import tempfile

    tuner = TableHyperband(hyperparameters=space.hyperparameters(), max_epochs=3, factor=3,
                           objective=kt.Objective("score", "max"), seed=seed + 1,
                           directory=tempfile.mkdtemp(), project_name="kt", overwrite=True)
    tuner.search(verbose=0)

    # the replay seeds its oracle with seed + 1 (see nbtune.search.strategies) and its lookup with [seed, r]
    result = replay(tiny, strategies=["hyperband"], repeats=1, seed=seed, max_epochs=3, factor=3)
    ours = [({n: t[n] for n in space.names}, int(t.train_epochs)) for _, t in result.trials.iterrows()]
    assert [(p, e) for p, e in ours] == [(p, e) for p, e in seen][: len(ours)] and len(ours) == len(seen)


def test_a_replay_is_repeatable_and_its_repeats_differ(tiny):
    one = replay(tiny, strategies=["random", "successive_halving"], repeats=4, n_iter=3,
                 max_epochs=3)
    again = replay(tiny, strategies=["random", "successive_halving"], repeats=4, n_iter=3,
                   max_epochs=3)
    assert one.trials.equals(again.trials)
    assert sorted(one.trials["repeat"].unique().tolist()) == [0, 1, 2, 3]
    assert (one.trials["seconds"] > 0).all()  # simulated, from the table's timings
    firsts = one.trials[(one.trials.strategy == "random") & (one.trials.trial == 0)]
    assert firsts[list(tiny.space.names)].drop_duplicates().shape[0] > 1  # seeds differ


def test_replay_refuses_what_the_table_cannot_answer(tiny):
    with pytest.raises(TypeError, match=r"unknown budget arguments \['trials'\]"):
        replay(tiny, strategies=["random"], trials=3)
    with pytest.raises(ValueError, match="repeats=0"):
        replay(tiny, strategies=["random"], repeats=0)
    with pytest.raises(ValueError, match=r"epochs=9 is more than the digits-mlp-tiny table's 3 "
                                         r"epochs: give epochs <= 3"):
        replay(tiny, strategies=["random"], repeats=1, n_iter=1, epochs=9)
    # Hyperband with max_epochs beyond the table would promote nothing and still report a best
    with pytest.raises(ValueError, match=r"max_epochs=9 is more than"):
        replay(tiny, strategies=["hyperband"], repeats=1, max_epochs=9)
    with pytest.raises(TypeError, match=r"load it first, bench = nbtune.benchmarks.load"):
        replay("digits-mlp-tiny", strategies=["random"])


def test_replay_takes_strategy_names_as_compare_does(tiny):
    one = replay(tiny, strategies="random", repeats=1, n_iter=2, epochs=3)
    assert one.strategies == ["random"] and len(one.trials) == 2
    with pytest.raises(ValueError, match=r"strategies=\[\]: empty not known; choose from \['grid'"):
        replay(tiny, strategies=[])
    with pytest.raises(ValueError, match=r"\['sha'\] not known"):
        replay(tiny, strategies=["random", "sha"])


def test_the_many_run_numbers(tiny):
    from nbtune import plots

    result = replay(tiny, strategies=["grid", "random"], repeats=6, n_iter=2, epochs=3)
    bands = plots.best_so_far_bands(result, x="trials")
    # by hand: the median over the 6 random runs of the best of their first trial
    random = result.trials[result.trials.strategy == "random"]
    firsts = random[random.trial == 0].score.to_numpy()
    got = bands[(bands.strategy == "random") & (bands.trials == 1)]
    assert got["median"].iloc[0] == pytest.approx(np.median(firsts))
    assert (bands["q25"] <= bands["median"]).all() and (bands["median"] <= bands["q75"]).all()

    true_best = float(tiny.true_best(3)["val_accuracy"])
    regret = plots.final_regret(result, true_best)
    assert len(regret) == 12 and (regret["regret"] >= -1e-12).all()  # true scores: never negative

    wins = plots.win_probability(result, x="trials", boot=200)
    a_b = wins.query("strategy == 'grid' and versus == 'random'").iloc[0]
    b_a = wins.query("strategy == 'random' and versus == 'grid'").iloc[0]
    assert a_b.probability + b_a.probability == pytest.approx(1.0)
    assert a_b.low <= a_b.probability <= a_b.high


def test_equal_epochs_give_every_strategy_the_same_budget(tiny):
    names = ["grid", "random", "hyperband", "bayesian", "successive_halving"]
    result = replay(tiny, strategies=names, repeats=3, total_epochs=8, epochs=3, max_epochs=3)
    spent = result.trials.groupby(["strategy", "repeat"])["epochs_spent"].sum()
    assert (spent <= 8).all() and len(spent) == 15
    # the strategies with no plan of their own spend it all but less than one more trial
    assert (spent.loc[["random", "bayesian"]] == 6).all()  # two 3-epoch trials; a third would end at 9
    assert (spent.loc["hyperband"] >= 8 - 3).all()
    assert (spent.loc["grid"] == 6).all()  # the first two of its 4 configurations


def test_an_equal_budget_cuts_the_same_run_and_nothing_else(tiny):
    """The budgeted run is the unbudgeted run's first trials, cut where the clock ran out."""
    free = replay(tiny, strategies=["hyperband"], repeats=2, max_epochs=3,
                  hyperband_iterations=3).trials
    limit = float(free.groupby("repeat")["seconds"].sum().min()) / 2  # the table's own seconds
    cut = replay(tiny, strategies=["hyperband"], repeats=2, max_epochs=3,
                 total_seconds=limit).trials
    for repeat in (0, 1):
        run = free[free.repeat == repeat].sort_values("trial")
        ends = run["seconds"].cumsum()
        expected = run[ends <= limit]
        got = cut[cut.repeat == repeat].sort_values("trial")
        assert got["trial"].tolist() == expected["trial"].tolist()
        assert got["score"].tolist() == expected["score"].tolist()
        assert len(expected) < len(run)  # the budget did stop it


def test_an_equal_budget_is_checked_before_anything_runs(tiny):
    with pytest.raises(ValueError, match="not both"):
        replay(tiny, strategies=["random"], total_epochs=6, total_seconds=5)
    with pytest.raises(ValueError, match=r"total_seconds=-1 is not allowed.*> 0"):
        replay(tiny, strategies=["random"], total_seconds=-1)
    with pytest.raises(ValueError, match=r"total_epochs=2.5 is not allowed"):
        replay(tiny, strategies=["random"], total_epochs=2.5)
    with pytest.raises(ValueError, match=r"total_epochs=2 buys no whole trial of grid"):
        replay(tiny, strategies=["grid"], total_epochs=2, epochs=3)


class StopAfter:
    """A progress object that asks the replay to stop after ``runs`` runs (the run panel's button)."""

    def __init__(self, runs):
        self.runs, self.seen = runs, []

    def begin(self, strategy, total):
        self.total = total

    def trial_done(self, record):
        self.seen.append(record)

    def should_stop(self):
        return len(self.seen) >= self.runs

    def end(self, message=""):
        self.message = message


def test_a_stopped_replay_keeps_its_finished_runs(tiny):
    stop = StopAfter(3)
    result = replay(tiny, strategies=["random", "grid"], repeats=5, n_iter=2, epochs=3,
                    progress=stop)
    assert not result.complete and result.strategies == ["random"]
    assert result.trials.groupby("repeat").size().to_dict() == {0: 2, 1: 2, 2: 2}
    assert [r["repeat"] for r in stop.seen] == [0, 1, 2] and stop.total == 5
    assert stop.message == "stopped: kept 3 finished runs"


def test_ctrl_c_during_a_replay_keeps_the_runs_that_finished(tiny):
    """A real SIGINT, sent while the replay runs: the run it cut is left out, the others kept."""
    import os
    import signal
    import threading

    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.warns(UserWarning, match=r"replay interrupted after \d+ finished runs"):
        result = replay(tiny, strategies=["random"], repeats=10**6, n_iter=3, epochs=3,
                        progress=False)
    runs = result.trials.groupby("repeat").size()
    assert not result.complete and len(runs) > 0 and (runs == 3).all()
    assert runs.index.tolist() == list(range(len(runs)))


def test_a_long_replay_shows_its_runs_and_a_short_one_shows_nothing(tiny, capsys):
    import io

    from nbtune.benchmarks.replays import ReplayProgress

    replay(tiny, strategies=["random"], repeats=2, n_iter=2, epochs=3)  # the default: a quick one
    assert capsys.readouterr().err == ""
    stream = io.StringIO()
    replay(tiny, strategies=["random"], repeats=2, n_iter=2, epochs=3,
           progress=ReplayProgress(delay=0.0, stream=stream))
    assert "random [####################] 2/2 runs | best" in stream.getvalue()


def _lesson_07_cells():
    import json
    from pathlib import Path

    notebook = json.loads((Path(__file__).parents[1] / "notebooks" / "07_is_it_luck.ipynb").read_text())
    return [("".join(c["source"]), c["cell_type"]) for c in notebook["cells"]]


def test_lesson_07s_strategy_check_fails_as_given_and_passes_with_the_hint():
    import re

    import pandas as pd

    from nbtune import plots

    cells = _lesson_07_cells()
    stub = next(s for s, kind in cells if kind == "code" and s.startswith("def my_search"))
    check = next(s for s, kind in cells if kind == "code" and "def best_of" in s)
    hint = next(re.search(r"```python\n(.*?)```", s, re.S).group(1)
                for s, kind in cells if kind == "markdown" and "def my_search" in s)
    namespace = dict(bench=benchmarks.load("digits-mlp"), EPOCHS=9, REPEATS=100, np=np, pd=pd,
                     nbtune=nbtune, plots=plots)
    run_printed(stub, namespace)
    assert "Not yet" in run_printed(check, namespace)
    run_printed(hint, namespace)
    assert "Yours beats random search." in run_printed(check, namespace)
    # a "search" that tries every configuration of the table is refused, not declared a winner
    run_printed("def my_search(table, rng, trials=9):\n    return list(table.configs['config'])\n",
              namespace)
    with pytest.raises(ValueError, match="returned 252 configuration numbers: give at most 9"):
        run_printed(check, namespace)


def test_lesson_07s_prediction_check_waits_for_a_prediction_and_then_checks_it():
    from nbtune import plots

    cells = _lesson_07_cells()
    check = next(s for s, kind in cells if kind == "code" and "my_prediction not in" in s)
    namespace = dict(bench=benchmarks.load("digits-mlp"), EPOCHS=9, REPEATS=100, nbtune=nbtune,
                     plots=plots, my_prediction=None)
    assert "Not checked yet" in run_printed(check, namespace)
    answer = namespace["answer"]
    namespace["my_prediction"] = answer
    assert "Right." in run_printed(check, namespace)
    namespace["my_prediction"] = "random" if answer != "random" else "hyperband"
    assert "Not this time" in run_printed(check, namespace)
