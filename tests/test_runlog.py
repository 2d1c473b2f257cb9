"""Nothing lost, nothing mixed: run folders, partial results, resume, one writer at a time."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import keras
import pytest
from conftest import tiny_build

import nbtune
from nbtune import Choice, Float, SearchSpace
from nbtune.search.evaluators import CrossValidation, Holdout

SPACE = SearchSpace(Choice("units", [4, 8]), Choice("learning_rate", [1e-2, 1e-3]))


@pytest.fixture(scope="module")
def small(cancer):
    return cancer.X_train[:160], cancer.y_train[:160]


def interrupt_at_trial(monkeypatch, evaluator, n):
    """Press 'stop' (KeyboardInterrupt) as the n-th trial starts, without changing the search."""
    evaluate, calls = evaluator.evaluate, []

    def interrupting(self, proposal):
        calls.append(proposal.number)
        if len(calls) == n:
            raise KeyboardInterrupt
        return evaluate(self, proposal)

    monkeypatch.setattr(evaluator, "evaluate", interrupting)


def count_fits(monkeypatch) -> list:
    """Every fit from now on, one entry each: Keras's Model.fit or a one-call fit."""
    from nbtune.training import graph_fit

    fits = []

    def counting(fit):
        def counted(*args, **kwargs):
            fits.append(kwargs.get("epochs"))
            return fit(*args, **kwargs)
        return counted

    monkeypatch.setattr(keras.Model, "fit", counting(keras.Model.fit))
    monkeypatch.setattr(graph_fit, "fit_in_one_call", counting(graph_fit.fit_in_one_call))
    return fits


def same_trials(a, b, columns):
    left = a.trials[columns].reset_index(drop=True)
    right = b.trials[columns].reset_index(drop=True)
    left["score"], right["score"] = left["score"].round(6), right["score"].round(6)
    assert left.to_dict("records") == right.to_dict("records")


def logged(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "trials.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("strategy", ["grid", "random"])
def test_interrupt_then_resume_gives_the_uninterrupted_trials(small, tmp_path, strategy, monkeypatch):
    space = SPACE if strategy == "grid" else SearchSpace(
        Choice("units", [4, 8, 16]), Float("learning_rate", 1e-3, 1e-1, log=True))
    search = nbtune.grid_search if strategy == "grid" else nbtune.random_search
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    if strategy == "random":
        kwargs["n_iter"] = 4
    full = search(tiny_build, space, *small, **kwargs, project_name="full")

    with monkeypatch.context() as patch:
        interrupt_at_trial(patch, CrossValidation, 3)
        with pytest.warns(UserWarning, match="interrupted after 2 finished trials"):
            partial = search(tiny_build, space, *small, **kwargs, project_name="stopped")
    assert not partial.complete and len(partial.trials) == 2
    assert [r["trial"] for r in logged(tmp_path / "stopped")] == [0, 1]  # written as they finished
    assert not (tmp_path / "stopped" / "lock").exists()  # given up on interrupt too

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
    records = logged(tmp_path / "grid")
    failed = [r for r in records if r["status"] == "failed"]
    assert len(failed) == 2 and all("RuntimeError: eight is too many" in r["error"] for r in failed)
    assert all(r["score"] is None for r in failed)  # NaN is written as JSON null
    resumed = nbtune.grid_search(build, SPACE, *small, cv=2, epochs=1, progress=False,
                                 directory=str(tmp_path), resume=True)
    assert resumed.trials.status.tolist() == [r["status"] for r in records]


def test_a_folder_from_another_search_is_refused_naming_what_differs(small, tmp_path):
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    units_4 = SearchSpace(Choice("units", [4]))
    nbtune.grid_search(tiny_build, units_4, *small, **kwargs)

    def resume(space=units_4, build=tiny_build, **changes):
        return nbtune.grid_search(build, space, *small, **{**kwargs, **changes}, resume=True)

    with pytest.raises(ValueError, match=r"started with a different space;.*overwrite=True"):
        resume(SPACE)
    with pytest.raises(ValueError, match=r"different settings\.epochs"):
        resume(epochs=2)
    with pytest.raises(ValueError, match=r"different folds"):  # cv=2, then cv=3
        resume(cv=3)
    with pytest.raises(ValueError, match=r"different callbacks"):
        resume(callbacks=[keras.callbacks.EarlyStopping(monitor="loss", patience=1)])

    def other_build(units=8, learning_rate=0.01):
        return tiny_build(units, learning_rate)

    with pytest.raises(ValueError, match=r"different build_fn\.name, build_fn\.source"):
        resume(build=other_build)
    with pytest.raises(ValueError, match=r"different data"):
        nbtune.grid_search(tiny_build, units_4, small[0][:-2],
                           small[1][:-2], **kwargs, resume=True)
    with pytest.raises(FileNotFoundError, match="holds no nbtune run"):
        nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, project_name="nothing", resume=True)
    with pytest.raises(ValueError, match="resume=True needs the run folder"):
        nbtune.grid_search(tiny_build, SPACE, *small, cv=2, resume=True)


def test_a_run_is_never_replaced_without_overwrite(small, tmp_path):
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    first = nbtune.grid_search(tiny_build, SearchSpace(Choice("units", [4, 8])), *small, **kwargs)
    with pytest.raises(FileExistsError, match=r"already holds a run \(2 finished trials\).*"
                                              r"resume=True.*overwrite=True.*project_name"):
        nbtune.grid_search(tiny_build, SPACE, *small, **kwargs)
    assert len(logged(tmp_path / "grid")) == len(first.trials)  # untouched
    again = nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, overwrite=True)
    assert len(logged(tmp_path / "grid")) == len(again.trials) == 4


def test_a_cut_off_line_is_dropped_and_two_resumes_agree(small, tmp_path, monkeypatch):
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    full = nbtune.grid_search(tiny_build, SPACE, *small, **kwargs)
    trials = tmp_path / "grid" / "trials.jsonl"
    lines = trials.read_text().splitlines()
    trials.write_text("\n".join(lines[:2]) + "\n" + lines[2][:15])  # killed writing the 3rd

    resumed = nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, resume=True)
    assert resumed.complete and len(resumed.trials) == 4
    assert [r["trial"] for r in logged(tmp_path / "grid")] == [0, 1, 2, 3]  # every line whole
    fits = count_fits(monkeypatch)
    again = nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, resume=True)
    assert fits == []  # nothing trained again: every trial was kept
    same_trials(again, full, ["trial", *SPACE.names, "score", "status"])


@pytest.mark.parametrize("line, message", [
    ("{not json", "line 2 is corrupted"),
    ('[1, 2]', "line 2 is not a trial record"),
    ('{"score": 0.5}', "line 2 is not a trial record"),
])
def test_a_corrupted_line_is_named_with_the_fix(small, tmp_path, line, message):
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    nbtune.grid_search(tiny_build, SPACE, *small, **kwargs)
    trials = tmp_path / "grid" / "trials.jsonl"
    lines = trials.read_text().splitlines()
    trials.write_text("\n".join([lines[0], line, *lines[2:]]) + "\n")
    with pytest.raises(ValueError, match=f"{message}.*delete that line"):
        nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, resume=True)


@pytest.mark.parametrize("header, message", [
    ("{", "run.json is corrupted"), ("[1, 2]", "not an nbtune run header"),
    ('{"format": 1}', "another nbtune version"),
])
def test_a_corrupted_header_is_named_with_the_fix(small, tmp_path, header, message):
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    nbtune.grid_search(tiny_build, SPACE, *small, **kwargs)
    (tmp_path / "grid" / "run.json").write_text(header)
    with pytest.raises(ValueError, match=f"{message}.*overwrite=True"):
        nbtune.grid_search(tiny_build, SPACE, *small, **kwargs, resume=True)


def test_a_directory_that_is_a_file_is_refused(small, tmp_path):
    afile = tmp_path / "runs"
    afile.write_text("not a folder")
    with pytest.raises(NotADirectoryError, match=r"directory=.*is a file"):
        nbtune.grid_search(tiny_build, SPACE, *small, cv=2, epochs=1, progress=False,
                           directory=str(afile))


def test_one_writer_at_a_time_and_a_dead_writers_lock_is_taken_over(small, tmp_path):
    kwargs = dict(cv=2, epochs=1, progress=False, directory=str(tmp_path))
    folder = tmp_path / "grid"
    folder.mkdir()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (folder / "lock").write_text(json.dumps({"pid": other.pid, "host": os.uname().nodename,
                                                 "since": "now"}))
        with pytest.raises(RuntimeError, match=rf"being written by process {other.pid}"):
            nbtune.grid_search(tiny_build, SPACE, *small, **kwargs)
    finally:
        other.kill()
        other.wait()
    result = nbtune.grid_search(tiny_build, SPACE, *small, **kwargs)  # its writer is dead
    assert len(result.trials) == 4 and not (folder / "lock").exists()


RUN_GRID = textwrap.dedent("""
    import sys
    from conftest import tiny_build
    import nbtune
    from nbtune import Choice, SearchSpace, data
    cancer = data.load_breast_cancer()
    space = SearchSpace(Choice("units", [4, 8, 16]), Choice("learning_rate", [1e-2, 1e-3]))
    nbtune.grid_search(tiny_build, space, cancer.X_train[:160], cancer.y_train[:160], cv=2,
                       epochs=1, progress=False, directory=sys.argv[1], resume=sys.argv[2] == "1")
""")


def test_a_killed_search_resumes_to_the_uninterrupted_trials_and_two_processes_cannot_share(
        small, tmp_path):
    """SIGKILL a search in another process after 2 trials; a second process meanwhile is refused."""
    script = tmp_path / "run_grid.py"
    script.write_text(RUN_GRID)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    killed = subprocess.Popen([sys.executable, str(script), str(tmp_path / "runs"), "0"], env=env)
    trials = tmp_path / "runs" / "grid" / "trials.jsonl"
    deadline = time.time() + 240
    while time.time() < deadline and (not trials.exists() or len(trials.read_text().splitlines()) < 2):
        time.sleep(0.1)
    killed.send_signal(signal.SIGSTOP)  # frozen mid-search: alive, holding the folder
    try:
        second = subprocess.run([sys.executable, str(script), str(tmp_path / "runs"), "1"],
                                env=env, capture_output=True, text=True)
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    assert second.returncode != 0 and "being written by process" in second.stderr
    done = len(trials.read_text().splitlines())
    assert 2 <= done < 6

    space = SearchSpace(Choice("units", [4, 8, 16]), Choice("learning_rate", [1e-2, 1e-3]))
    kwargs = dict(cv=2, epochs=1, progress=False)
    resumed = nbtune.grid_search(tiny_build, space, *small, **kwargs,
                                 directory=str(tmp_path / "runs"), resume=True)
    full = nbtune.grid_search(tiny_build, space, *small, **kwargs)
    assert resumed.complete
    same_trials(resumed, full, ["trial", *space.names, "score", "status"])


def test_hyperband_resumes_where_it_stopped_with_the_same_trials(cancer, tmp_path, monkeypatch):
    kwargs = dict(validation_data=cancer.validation, max_epochs=3, progress=False,
                  directory=str(tmp_path), project_name="hb")
    full = nbtune.hyperband(tiny_build, SPACE, *cancer.train, **{**kwargs, "project_name": "full"})
    with monkeypatch.context() as patch:
        interrupt_at_trial(patch, Holdout, 3)
        with pytest.warns(UserWarning, match="interrupted"):
            partial = nbtune.hyperband(tiny_build, SPACE, *cancer.train, **kwargs)
    assert not partial.complete and len(partial.trials) == 2
    fits = count_fits(monkeypatch)
    resumed = nbtune.hyperband(tiny_build, SPACE, *cancer.train, **kwargs, resume=True)
    assert resumed.complete and len(resumed.trials) == len(full.trials)
    assert sorted(resumed.trials.bracket.tolist()) == sorted(full.trials.bracket.tolist())
    # the 2 finished trials were kept, not trained again: one fit per remaining trial, and
    # one more for each promoted trial whose parent finished before the stop (not in memory:
    # trained again, seeded, so the promoted trial trains on from the same weights)
    parents_gone = sum(1 for r in logged(tmp_path / "hb") if r["trial"] >= 2
                       and r.get("parent") is not None and r["parent"] < 2)
    assert len(fits) == len(full.trials) - 2 + parents_gone
    assert resumed.trials.score.round(6).tolist() == full.trials.score.round(6).tolist()
    with pytest.raises(ValueError, match="different space"):
        nbtune.hyperband(tiny_build, SearchSpace(Choice("units", [4, 8])), *cancer.train, **kwargs,
                         resume=True)


@pytest.mark.parametrize("name", ["../outside", "a/b", "..", ".", "", "a\\b", "/abs/run"])
def test_a_project_name_that_would_leave_the_directory_is_refused(small, tmp_path, name):
    with pytest.raises(ValueError, match=r"project_name=.*is not allowed.*one folder name"):
        nbtune.grid_search(tiny_build, SPACE, *small, cv=2, epochs=1, progress=False,
                           directory=str(tmp_path / "runs"), project_name=name)
    assert list(tmp_path.iterdir()) == []  # nothing written, not even the directory


def test_a_linked_run_folder_is_written_through_but_a_link_inside_it_is_refused(small, tmp_path):
    """The user's own links (directory or run folder on a bigger disk) are followed; a link
    in place of a file nbtune makes in the run folder is refused, its target untouched."""
    units_4 = SearchSpace(Choice("units", [4]))
    kwargs = dict(cv=2, epochs=1, progress=False)
    disk = tmp_path / "big-disk"
    disk.mkdir()
    (tmp_path / "runs").symlink_to(disk)
    nbtune.grid_search(tiny_build, units_4, *small, **kwargs, directory=tmp_path / "runs")
    assert len(logged(disk / "grid")) == 1
    (tmp_path / "runs" / "linked").symlink_to(disk / "grid")  # a run folder that is a link
    resumed = nbtune.grid_search(tiny_build, units_4, *small, **kwargs,
                                 directory=tmp_path / "runs", project_name="linked", resume=True)
    assert len(resumed.trials) == 1

    precious = tmp_path / "notes.jsonl"
    precious.write_text((disk / "grid" / "trials.jsonl").read_text() + "half a line")
    (disk / "grid" / "trials.jsonl").unlink()
    (disk / "grid" / "trials.jsonl").symlink_to(precious)
    before = precious.read_bytes()
    for settings in (dict(resume=True), dict(overwrite=True)):
        with pytest.raises(ValueError, match=r"trials.jsonl is a symbolic link to .*notes.jsonl"):
            nbtune.grid_search(tiny_build, units_4, *small, **kwargs, directory=tmp_path / "runs",
                               **settings)
    assert precious.read_bytes() == before
    assert not (disk / "grid" / "lock").exists()
