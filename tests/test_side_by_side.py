"""Grid and random search training their fits side by side (nbtune.training.side_by_side).

The reference is each fit alone, on the one-call path searches take otherwise:
a branch starts from the same initial weights and sees the same batches, so
without dropout it ends within rounding of its lone fit. Searches group
trials by trial numbers, so a resumed search and one in worker processes get
exactly the numbers of one uninterrupted search in one process.
"""

import json

import numpy as np
import pytest

import nbtune
from nbtune import KerasClassifier, lessons
from nbtune.training import side_by_side

SPACE = nbtune.SearchSpace(nbtune.Int("units", 8, 64), nbtune.Float("learning_rate", 1e-3, 3e-2, log=True))


@pytest.fixture
def few_digits(digits):
    X, y = digits.train
    return X[:400], y[:400]


def _estimators(**settings):
    return [KerasClassifier(lessons.build_digits_model, units=units, learning_rate=rate,
                            epochs=3, random_state=seed, **settings)
            for units, rate, seed in ((16, 1e-2, 0), (24, 3e-3, 1), (40, 1e-2, 2), (8, 3e-2, 3))]


def test_a_fit_side_by_side_ends_where_its_lone_fit_does(few_digits):
    X, y = few_digits
    together, alone = _estimators(), _estimators()
    assert side_by_side.fit_side_by_side(together, X, y) == [None] * 4
    for grouped, single in zip(together, alone):
        single.fit(X, y)
        assert (grouped.fit_path_, single.fit_path_) == ("branches", "graph")
        np.testing.assert_allclose(grouped.history_["loss"], single.history_["loss"], atol=1e-5)
        for a, b in zip(grouped.model_.get_weights(), single.model_.get_weights()):
            np.testing.assert_allclose(a, b, atol=1e-4)
        np.testing.assert_allclose(grouped.predict_proba(X), single.predict_proba(X), atol=1e-4)


def test_a_failing_build_and_a_diverging_fit_fail_alone(few_digits):
    X, y = few_digits

    def build(units=16, learning_rate=1e-2):
        if units == 24:
            raise RuntimeError("this width fails on purpose")
        return lessons.build_digits_model(units=units, learning_rate=learning_rate)

    estimators = [KerasClassifier(build, units=u, learning_rate=r, epochs=3, random_state=0)
                  for u, r in ((16, 1e-2), (24, 1e-2), (32, 1e30), (48, 1e-2))]
    errors = side_by_side.fit_side_by_side(estimators, X, y)
    assert errors[0] is None and errors[3] is None
    assert "fails on purpose" in str(errors[1])
    assert "Training diverged" in str(errors[2]) and not hasattr(estimators[2], "model_")
    assert estimators[0].score(X, y) > 0.5 and estimators[3].fit_path_ == "branches"


def test_a_group_is_cut_to_its_memory_budget(few_digits):
    X, y = few_digits
    estimators = _estimators()
    programs = {}
    side_by_side.fit_side_by_side(estimators, X, y, budget_mb=0.25, programs=programs)
    # about 0.1 MB a branch of 40 units here: two branches a group, so two groups were traced
    assert len(programs) == 2 and all(e.fit_path_ == "branches" for e in estimators)


def _search(X, y, **settings):
    settings.setdefault("progress", False)
    return nbtune.random_search(lessons.build_digits_model, SPACE, X, y, n_iter=6, cv=2, epochs=2,
                                random_state=0, **settings)


def test_a_search_side_by_side_scores_as_one_alone_does(few_digits):
    with side_by_side.side_by_side():
        grouped = _search(*few_digits)
    with side_by_side.side_by_side(False):
        alone = _search(*few_digits)
    assert set(grouped.trials["fit_path"]) == {"branches"} and set(alone.trials["fit_path"]) == {"graph"}
    # a test fold has 200 rows: rounding may move a prediction or two, no more
    np.testing.assert_allclose(grouped.trials["score"], alone.trials["score"], atol=0.011)
    assert (grouped.trials["seconds"] > 0).all()


def test_a_resumed_search_trains_a_part_kept_unit_again_and_gets_the_same_records(
        few_digits, tmp_path):
    with side_by_side.side_by_side():
        whole = _search(*few_digits)
        _search(*few_digits, directory=tmp_path)
        log = tmp_path / "random" / "trials.jsonl"
        lines = log.read_text().splitlines(keepends=True)
        log.write_text("".join(lines[:2]) + lines[2][:40])  # two trials kept, the third cut mid-line
        resumed = _search(*few_digits, directory=tmp_path, resume=True)
    columns = ["trial", "units", "learning_rate", "score", "score_std", "fit_path"]
    assert resumed.trials[columns].equals(whole.trials[columns])
    records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert sorted(r["trial"] for r in records) == list(range(6))  # none written twice


def test_worker_processes_train_the_units_of_one_process(few_digits):
    with side_by_side.side_by_side():
        one = _search(*few_digits)
        two = _search(*few_digits, n_jobs=2)
    columns = ["trial", "units", "learning_rate", "score", "fit_path"]
    assert two.trials[columns].equals(one.trials[columns])


class _StopAfterFirst:
    def __init__(self):
        self.seen = []

    def begin(self, strategy, total):
        pass

    def trial_done(self, record):
        self.seen.append(record["trial"])

    def should_stop(self):
        return bool(self.seen)

    def end(self, note=""):
        pass


def test_the_stop_button_ends_a_search_after_the_unit_that_trains(few_digits):
    watcher = _StopAfterFirst()
    with side_by_side.side_by_side():
        result = _search(*few_digits, progress=watcher)
    # the six trials are one unit: they finish together, and the search stops after them
    assert watcher.seen == list(range(6)) and len(result.trials) == 6


def test_a_group_that_fails_as_a_whole_trains_its_trials_alone(few_digits, monkeypatch):
    from nbtune.training import branches

    def broken(self, *args, **kwargs):
        raise MemoryError("no room for the stacked model")  # as an out-of-memory error would

    monkeypatch.setattr(branches.Branches, "fit", broken)
    with side_by_side.side_by_side():
        result = _search(*few_digits)
    assert (result.trials["status"] == "ok").all() and set(result.trials["fit_path"]) == {"graph"}
