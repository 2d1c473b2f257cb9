"""Nothing lost on interruption: run folders, partial results and resume."""

import json

import pytest
from conftest import tiny_build

import nbtune
from nbtune import Choice, Float, SearchSpace

SPACE = SearchSpace(Choice("units", [4, 8]), Choice("learning_rate", [1e-2, 1e-3]))


@pytest.fixture(scope="module")
def small(cancer):
    return cancer.X_train[:160], cancer.y_train[:160]


def interrupt_on_fit(n):
    """A Keras callback that presses 'stop' (KeyboardInterrupt) at the start of the n-th fit."""
    import keras

    class Interrupt(keras.callbacks.Callback):
        fits = 0

        def on_train_begin(self, logs=None):
            type(self).fits += 1
            if type(self).fits == n:
                raise KeyboardInterrupt

    return Interrupt()


def count_fits():
    """A Keras callback counting fits in a class attribute (keras-tuner copies callbacks)."""
    import keras

    class CountFits(keras.callbacks.Callback):
        fits = 0
        uses_validation_data = False

        def on_train_begin(self, logs=None):
            type(self).fits += 1

    return CountFits()


def same_trials(a, b, columns):
    left = a.trials[columns].reset_index(drop=True)
    right = b.trials[columns].reset_index(drop=True)
    left["score"], right["score"] = left["score"].round(6), right["score"].round(6)
    assert left.to_dict("records") == right.to_dict("records")


@pytest.mark.parametrize("strategy", ["grid", "random"])
def test_interrupt_then_resume_gives_the_uninterrupted_trials(small, tmp_path, strategy):
    space = SPACE if strategy == "grid" else SearchSpace(
        Choice("units", [4, 8, 16]), Float("learning_rate", 1e-3, 1e-1, log=True))
    search = nbtune.grid_search if strategy == "grid" else nbtune.random_search
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    if strategy == "random":
        kwargs["n_iter"] = 4
    full = search(tiny_build, space, *small, **kwargs, project_name="full")

    with pytest.warns(UserWarning, match="interrupted after 2 finished trials"):
        partial = search(tiny_build, space, *small, **kwargs, project_name="stopped",
                         callbacks=[interrupt_on_fit(5)])  # 3rd trial, 1st fold
    assert not partial.complete and len(partial.trials) == 2
    lines = (tmp_path / "stopped" / "trials.jsonl").read_text().splitlines()
    assert [json.loads(line)["trial"] for line in lines] == [0, 1]  # written as they finished

    resumed = search(tiny_build, space, *small, **kwargs, project_name="stopped", resume=True)
    assert resumed.complete and len(resumed.trials) == len(full.trials) == 4
    same_trials(resumed, full, ["trial", *space.names, "score", "status"])
    # the two finished trials were not trained again
    assert resumed.trials.seconds.iloc[:2].tolist() == pytest.approx(partial.trials.seconds.tolist())


def test_failed_trials_are_written_with_their_message(small, tmp_path):
    def build(units=4, learning_rate=0.01):
        if units == 8:
            raise RuntimeError("eight is too many")
        return tiny_build(units, learning_rate)

    nbtune.grid_search(build, SPACE, *small, cv=2, epochs=1, progress=False, directory=str(tmp_path))
    records = [json.loads(line) for line in (tmp_path / "grid" / "trials.jsonl").read_text().splitlines()]
    failed = [r for r in records if r["status"] == "failed"]
    assert len(failed) == 2 and all("RuntimeError: eight is too many" in r["error"] for r in failed)
    assert all(r["score"] is None for r in failed)  # NaN is written as JSON null
    resumed = nbtune.grid_search(build, SPACE, *small, cv=2, epochs=1, progress=False,
                                 directory=str(tmp_path), resume=True)
    assert resumed.trials.status.tolist() == [r["status"] for r in records]


def test_a_folder_from_another_space_is_refused(small, tmp_path):
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    nbtune.grid_search(tiny_build, SearchSpace(Choice("units", [4])), *small, **kwargs)
    with pytest.raises(ValueError, match=r"started with different \['space'\].*resume=False"):
        nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, resume=True)
    with pytest.raises(ValueError, match="different.*settings"):
        nbtune.grid_search(tiny_build, SearchSpace(Choice("units", [4])), *small,
                           **{**kwargs, "epochs": 2}, resume=True)
    with pytest.raises(FileNotFoundError, match="holds no nbtune run"):
        nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, project_name="nothing", resume=True)
    with pytest.raises(ValueError, match="resume=True needs the run folder"):
        nbtune.grid_search(tiny_build, SPACE, *small, cv=2, resume=True)


def test_a_corrupted_folder_is_refused_but_a_cut_off_last_line_is_rerun(small, tmp_path):
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    nbtune.grid_search(tiny_build, SPACE, *small, **kwargs)
    trials = tmp_path / "grid" / "trials.jsonl"
    lines = trials.read_text().splitlines()

    trials.write_text("\n".join(lines[:2]) + "\n" + lines[2][:15])  # the 3rd was being written
    resumed = nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, resume=True)
    assert len(resumed.trials) == 4 and resumed.complete

    trials.write_text("\n".join([lines[0], "{not json", *lines[2:]]) + "\n")
    with pytest.raises(ValueError, match="line 2 is corrupted"):
        nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, resume=True)
    (tmp_path / "grid" / "run.json").write_text("{")
    with pytest.raises(ValueError, match="run.json is corrupted"):
        nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, resume=True)


def test_hyperband_resumes_where_it_stopped_with_the_same_trials(cancer, tmp_path):
    kwargs = dict(validation_data=cancer.validation, max_epochs=3, progress=False,
                  directory=str(tmp_path), project_name="hb")
    full = nbtune.hyperband(tiny_build, SPACE, *cancer.train, **{**kwargs, "project_name": "full"})
    with pytest.warns(UserWarning, match="interrupted"):
        partial = nbtune.hyperband(tiny_build, SPACE, *cancer.train, **kwargs,
                                   callbacks=[interrupt_on_fit(3)])
    assert not partial.complete and len(partial.trials) == 2
    counter = count_fits()
    resumed = nbtune.hyperband(tiny_build, SPACE, *cancer.train, **kwargs, resume=True,
                               callbacks=[counter])
    assert resumed.complete and len(resumed.trials) == len(full.trials)
    assert sorted(resumed.trials.bracket.tolist()) == sorted(full.trials.bracket.tolist())
    # the 2 finished trials were kept, not trained again: one fit per remaining trial, and
    # one more for each promoted trial whose parent finished before the stop (not in memory:
    # trained again, seeded, so the promoted trial trains on from the same weights)
    logged = [json.loads(line) for line in (tmp_path / "hb" / "trials.jsonl").read_text().splitlines()]
    parents_gone = sum(1 for r in logged if r["trial"] >= 2 and r.get("parent") is not None
                       and r["parent"] < 2)
    assert type(counter).fits == len(full.trials) - 2 + parents_gone
    assert resumed.trials.score.round(6).tolist() == full.trials.score.round(6).tolist()
    kept = resumed.trials.sort_values("trial").head(2)
    assert kept.score.round(6).tolist() == partial.trials.sort_values("trial").score.round(6).tolist()
    with pytest.raises(ValueError, match="different"):
        nbtune.hyperband(tiny_build, SearchSpace(Choice("units", [4, 8])), *cancer.train, **kwargs,
                         resume=True)
