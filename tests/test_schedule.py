"""The Hyperband schedule against what keras-tuner's own oracle really runs."""

from collections import Counter

import pytest

from nbtune import Int, SearchSpace
from nbtune.search.proposers import SuccessiveHalvingProposer
from nbtune.search.schedule import hyperband_schedule, successive_halving_schedule


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


def run_successive_halving(max_epochs, factor):
    """Drive nbtune's successive halving with the same fake score; record each trial's epochs."""
    proposer = SuccessiveHalvingProposer(SearchSpace(Int("units", 1, 10**6)),
                                         max_epochs=max_epochs, factor=factor, random_state=0)
    seen, parents = [], []
    proposer.proposals = []
    while (proposal := proposer.propose()) is not None:
        seen.append((proposal.round, proposal.epochs, proposal.initial_epoch))
        parents.append(proposal.parent)
        proposer.proposals.append(proposal)
        proposer.report(proposal, {"score": float(proposal.params["units"]), "status": "ok"})
    return seen, parents, proposer


@pytest.mark.parametrize("max_epochs, factor", [(10, 3), (9, 3), (27, 3), (8, 2)])
def test_successive_halving_runs_keras_tuners_first_hyperband_bracket(max_epochs, factor, tmp_path):
    bracket = max(b for b, _, _, _ in run_keras_tuner(max_epochs, factor, 1, tmp_path))
    first = [(r, e, i) for b, r, e, i in run_keras_tuner(max_epochs, factor, 1, tmp_path)
             if b == bracket]
    seen, parents, proposer = run_successive_halving(max_epochs, factor)
    assert Counter(seen) == Counter(first)  # the same rounds, sizes and epochs
    assert proposer.total == len(seen)
    assert successive_halving_schedule(max_epochs, factor)["trials"].tolist() == [
        sum(1 for r, _, _ in first if r == round_) for round_ in range(bracket + 1)]
    assert parents[: len([r for r, _, _ in seen if r == 0])] == [None] * sum(r == 0 for r, _, _ in seen)


def test_successive_halving_keeps_the_best_of_each_round():
    seen, parents, proposer = run_successive_halving(9, 3)
    units = [p.params["units"] for p in proposer.proposals]  # the fake score
    # 9 configurations, the 3 best go on, then the best of those
    assert [r for r, _, _ in seen] == [0] * 9 + [1] * 3 + [2]
    best_three = sorted(range(9), key=units.__getitem__)[-3:]
    assert sorted(parents[9:12]) == sorted(best_three)
    assert units[9:12] == [units[p] for p in parents[9:12]]  # same configuration, longer
    assert parents[12] == max(range(9, 12), key=units.__getitem__)
    assert proposer.proposals[12].lineage == (
        (parents[parents[12]], 0, 1), (parents[12], 1, 3))  # how to retrain its parent
