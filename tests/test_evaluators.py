"""The evaluators: a promoted trial trains its parent's model on, in memory."""

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from nbtune import Choice, KerasClassifier, SearchSpace, data, hyperband, successive_halving  # noqa: E402
from nbtune.search.evaluators import Holdout  # noqa: E402
from nbtune.search.proposers import Proposal  # noqa: E402


class LossRecorder(keras.callbacks.Callback):
    """Records (epoch, loss) of every epoch of every fit it is given to."""

    uses_validation_data = False

    def __init__(self):
        super().__init__()
        self.epochs = []

    def __deepcopy__(self, memo):  # the evaluator copies callbacks per trial: keep this one
        return self

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append((epoch, logs["loss"]))


@pytest.fixture(scope="module")
def cancer():
    return data.load_breast_cancer()


def build(units=8):
    model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")
    return model


def test_a_promoted_trial_continues_its_parents_loss_curve(cancer):
    """1 epoch, then 2 more on the same model and optimizer == 3 epochs straight."""
    continued = LossRecorder()
    holdout = Holdout(KerasClassifier(build, shuffle=False, random_state=0), *cancer.train,
                      *cancer.validation, scoring=None, callbacks=[continued])
    parent = holdout.evaluate(Proposal(0, {"units": 8}, epochs=1, may_continue=True))
    child = holdout.evaluate(Proposal(1, {"units": 8}, epochs=3, initial_epoch=1, parent=0))
    assert (parent["status"], child["status"]) == ("ok", "ok")
    assert (child["train_epochs"], child["epochs_spent"]) == (3, 2)

    straight = LossRecorder()
    KerasClassifier(build, shuffle=False, random_state=0, epochs=3,
                    callbacks=[straight]).fit(*cancer.train)
    assert [e for e, _ in continued.epochs] == [0, 1, 2]  # numbered on from the parent's
    # a fresh optimizer (Adam's moments and step count lost) would give other losses
    np.testing.assert_allclose([v for _, v in continued.epochs], [v for _, v in straight.epochs],
                               rtol=1e-6)


def test_a_parent_not_in_memory_is_trained_again_along_its_lineage(cancer):
    """As after resume=True: trial 2 continues trial 1, which continued trial 0."""
    recorder = LossRecorder()
    holdout = Holdout(KerasClassifier(build, shuffle=False, random_state=0), *cancer.train,
                      *cancer.validation, scoring=None, callbacks=[recorder])
    out = holdout.evaluate(Proposal(2, {"units": 8}, epochs=9, initial_epoch=3, parent=1,
                                    lineage=((0, 0, 1), (1, 1, 3))))
    assert out["status"] == "ok" and (out["train_epochs"], out["epochs_spent"]) == (9, 6)
    straight = LossRecorder()
    KerasClassifier(build, shuffle=False, random_state=0, epochs=9,
                    callbacks=[straight]).fit(*cancer.train)
    np.testing.assert_allclose([v for _, v in recorder.epochs], [v for _, v in straight.epochs],
                               rtol=1e-6)


@pytest.mark.parametrize("search", [hyperband, successive_halving])
def test_promoted_trials_build_no_model(search, cancer):
    builds = []

    def counting_build(units=8):
        builds.append(units)
        return build(units)

    space = SearchSpace(Choice("units", [2, 4, 8, 16, 32, 64, 128, 256, 512]))
    result = search(counting_build, space, *cancer.train, validation_data=cancer.validation,
                    max_epochs=9, factor=3, progress=False)
    trials = result.trials
    promoted = trials[trials["round"] > 0]
    assert len(promoted) > 0
    assert len(builds) == len(trials) - len(promoted)  # one build per new configuration
    assert (promoted["epochs_spent"] < promoted["train_epochs"]).all()  # trained on, not anew


def test_successive_halving_runs_in_compare_with_its_run_folder(cancer, tmp_path):
    """Added through the registry alone: compare runs it and it writes trials.jsonl."""
    from nbtune import compare
    from nbtune.search.cost import comparison_cost

    result = compare(build, SearchSpace(Choice("units", [2, 4, 8, 16])), *cancer.train,
                     strategies=["successive_halving"], validation_data=cancer.validation,
                     max_epochs=3, directory=str(tmp_path), progress=False)
    assert result.strategies == ["successive_halving"]
    assert result.trials.groupby("round").size().tolist() == [3, 1]
    planned = comparison_cost(SearchSpace(Choice("units", [2, 4, 8, 16])),
                              {"strategies": ["successive_halving"], "max_epochs": 3})
    assert planned.loc["successive_halving"].tolist() == [4, int(result.trials.epochs_spent.sum())]
    logged = (tmp_path / "successive_halving" / "trials.jsonl").read_text().splitlines()
    assert len(logged) == len(result.trials)
