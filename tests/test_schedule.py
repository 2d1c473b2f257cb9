"""The Hyperband schedule against what keras-tuner's own oracle really runs."""

from collections import Counter

import pytest

from nbtune.schedule import hyperband_schedule


def run_keras_tuner(max_epochs, factor, iterations, tmp_path):
    """Drive a real kt.Hyperband whose trials train nothing; record each trial's epochs.

    (With a small space keras-tuner runs fewer trials once it runs out of unseen
    configurations; the schedule is the plan for a space large enough.)
    """
    import keras_tuner as kt

    seen = []

    class CountingHyperband(kt.Hyperband):
        def run_trial(self, trial, *args, **kwargs):
            v = trial.hyperparameters.values
            seen.append((v["tuner/bracket"], v["tuner/round"], v["tuner/epochs"], v["tuner/initial_epoch"]))
            return float(v["units"])  # any score will do; higher units win

    hps = kt.HyperParameters()
    hps.Int("units", 1, 10**6)  # large, so the tuner never runs out of new configurations
    tuner = CountingHyperband(hyperparameters=hps, objective=kt.Objective("score", "max"),
                              max_epochs=max_epochs, factor=factor, hyperband_iterations=iterations,
                              directory=str(tmp_path), project_name="count", overwrite=True)
    tuner.search(verbose=0)
    return seen


@pytest.mark.parametrize("max_epochs, factor, iterations", [(10, 3, 1), (9, 3, 1), (27, 3, 1), (8, 2, 2)])
def test_schedule_matches_a_real_keras_tuner_run(max_epochs, factor, iterations, tmp_path):
    seen = run_keras_tuner(max_epochs, factor, iterations, tmp_path)
    plan = hyperband_schedule(max_epochs, factor, iterations)
    assert len(seen) == plan["trials"].sum()
    assert sum(e - i for _, _, e, i in seen) == plan["total_epochs"].sum()
    ran = Counter((b, r, e) for b, r, e, _ in seen)
    planned = plan.groupby(["bracket", "round", "epochs"])["trials"].sum().to_dict()
    assert ran == planned


def test_the_lessons_numbers():
    plan = hyperband_schedule(max_epochs=10, factor=3)
    assert (plan["trials"].sum(), plan["total_epochs"].sum()) == (30, 120)
    assert plan[["bracket", "round", "trials", "epochs"]].values.tolist() == [
        [2, 0, 12, 2], [2, 1, 4, 4], [2, 2, 2, 10], [1, 0, 6, 4], [1, 1, 2, 10], [0, 0, 4, 10]]


@pytest.mark.parametrize("kwargs, match", [
    ({"max_epochs": 0}, "max_epochs=0"), ({"max_epochs": 10, "factor": 1}, "factor=1"),
    ({"max_epochs": 10.5}, "max_epochs=10.5"), ({"max_epochs": 9, "hyperband_iterations": 0}, "hyperband_iterations=0"),
])
def test_bad_settings_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        hyperband_schedule(**kwargs)
