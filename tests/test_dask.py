"""Searches bigger than one kernel: every strategy on a Dask cluster (joblib's Dask backend).

Each test runs real (tiny) Keras trials on a ``distributed.LocalCluster`` of two
worker processes listening on 127.0.0.1, and compares them with the same search
in one process: the same trials, the same scores to the last bit.
"""

import logging
import os
import pathlib
import runpy
import signal
import threading
import time

import joblib
import numpy as np
import pytest
from conftest import tiny_build

import nbtune
from nbtune import Choice, SearchSpace
from nbtune.search import workers
from nbtune.training import compat, side_by_side

distributed = pytest.importorskip("distributed")

SPACE = SearchSpace(Choice("units", [4, 8, 16, 32]), Choice("learning_rate", [0.01, 0.003]))
BUDGETS = {
    "grid": dict(epochs=2, cv=2),
    "random": dict(n_iter=4, epochs=2, cv=2),
    "hyperband": dict(max_epochs=3),
    "successive_halving": dict(max_epochs=3),
    "bayesian": dict(max_trials=5, epochs=2, num_initial_points=2),
}
COLUMNS = ["trial", "units", "learning_rate", "train_epochs", "epochs_spent", "score", "status"]


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded Dask workers on loopback, stopped after the module."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  silence_logs=logging.ERROR) as local, \
            distributed.Client(local) as client:
        yield client


def _search_fn(name):
    return {"grid": nbtune.grid_search, "random": nbtune.random_search}.get(name) or getattr(nbtune, name)


def trial_set(result):
    """The trials as a set: configuration, epochs, score (trial numbers may differ)."""
    columns = [c for c in COLUMNS if c != "trial"]
    return sorted(map(tuple, result.trials[columns].astype(object).values.tolist()))


def run(name, cancer, **settings):
    holdout = {} if name in ("grid", "random") else {"validation_data": cancer.validation}
    settings.setdefault("progress", False)
    return _search_fn(name)(tiny_build, SPACE, *cancer.train, **holdout, **BUDGETS[name],
                            **settings)


@pytest.mark.parametrize("name", list(BUDGETS))
def test_every_strategy_runs_the_trials_of_one_process_on_a_cluster(cluster, cancer, name):
    # Bayesian optimisation proposes each trial without the scores of the ones still
    # running, so its one-process reference keeps n_jobs=2 trials "in flight" too
    reference = joblib.parallel_config(backend="sequential") if name == "bayesian" else None
    if reference is None:
        one = run(name, cancer)
    else:
        with reference:
            one = run(name, cancer, n_jobs=2)
    with joblib.parallel_config(backend="dask"):
        on_cluster = run(name, cancer, n_jobs=2)
    assert (on_cluster.trials["status"] == "ok").all()
    assert trial_set(on_cluster) == trial_set(one)  # scores equal to the last bit
    assert on_cluster.best_params == one.best_params


def test_bayesian_n_jobs_changes_its_trials_but_not_the_cluster(cancer):
    one_at_a_time = run("bayesian", cancer)
    with joblib.parallel_config(backend="sequential"):
        two_in_flight = run("bayesian", cancer, n_jobs=2)
        again = run("bayesian", cancer, n_jobs=2)
    assert trial_set(two_in_flight) == trial_set(again)
    # the two random trials are the same; what the Gaussian process proposes after them is not
    first = one_at_a_time.trials.sort_values("trial")[["units", "learning_rate"]].values.tolist()
    second = two_in_flight.trials.sort_values("trial")[["units", "learning_rate"]].values.tolist()
    assert first[:2] == second[:2]


def test_a_trials_folds_run_in_its_own_thread_on_the_cluster(cluster, cancer, tmp_path):
    def scorer(estimator, X, y):  # called once per fold, where the fold ran
        kind, _ = compat.active_joblib_backend()
        with open(tmp_path / f"{os.getpid()}-{threading.get_ident()}-{kind}", "a") as seen:
            seen.write("fold\n")
        return float(np.mean(estimator.predict(X) == y))

    with joblib.parallel_config(backend="dask"):
        result = nbtune.grid_search(tiny_build, SPACE, *cancer.train, cv=3, epochs=1,
                                    scoring=scorer, n_jobs=2, progress=False)
    assert (result.trials["status"] == "ok").all()
    places = sorted(path.name for path in tmp_path.iterdir())
    assert all(place.endswith("-sequential") for place in places), places
    assert len(places) <= 2  # one thread per worker process: no fold became a task of its own
    assert sum(len(path.read_text().split()) for path in tmp_path.iterdir()) == 8 * 3


def hanging_build(flags: pathlib.Path, search_pid: int):
    """tiny_build, but the first build in a worker process hangs until the test kills it."""

    def build(units=8, learning_rate=0.01):
        if os.getpid() != search_pid and (flags / "armed").exists():
            try:
                fd = os.open(flags / "hung", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                pass  # the trial run again after the kill: it trains as usual
            else:
                os.write(fd, str(os.getpid()).encode())
                os.close(fd)
                time.sleep(120)
        return tiny_build(units, learning_rate)

    return build


def kill_the_hung_worker(flags: pathlib.Path, timeout: float = 120) -> int:
    """Wait for a build to hang, SIGKILL its process; its pid."""
    deadline = time.monotonic() + timeout
    while not (flags / "hung").exists() or not (flags / "hung").read_text():
        assert time.monotonic() < deadline, "no trial hung"
        time.sleep(0.05)
    pid = int((flags / "hung").read_text())
    os.kill(pid, signal.SIGKILL)
    return pid


def run_with_a_worker_killed(name, cancer, flags: pathlib.Path):
    """Run ``name`` with n_jobs=2 while the first trial a worker starts hangs and is killed."""
    build = hanging_build(flags, os.getpid())
    (flags / "armed").touch()
    killer = threading.Thread(target=kill_the_hung_worker, args=(flags,))
    killer.start()
    try:
        return _search_fn(name)(build, SPACE, *cancer.train, validation_data=cancer.validation,
                                n_jobs=2, progress=False, **BUDGETS[name])
    finally:
        killer.join()
        assert (flags / "hung").read_text()  # a worker did hang, and was killed


def test_a_worker_killed_mid_trial_on_the_cluster_and_the_search_finishes(cluster, cancer,
                                                                           tmp_path):
    one = run("hyperband", cancer)
    with joblib.parallel_config(backend="dask"):
        killed = run_with_a_worker_killed("hyperband", cancer, tmp_path)
    assert trial_set(killed) == trial_set(one)


def test_a_worker_process_killed_mid_trial_on_this_machine_is_replaced(cancer, tmp_path):
    one = run("successive_halving", cancer)
    killed = run_with_a_worker_killed("successive_halving", cancer, tmp_path)
    assert trial_set(killed) == trial_set(one)


class StopAfter:
    """A progress object whose Stop is pressed once ``n`` trials have finished."""

    def __init__(self, n):
        self.n, self.done = n, 0

    def begin(self, strategy, total):
        pass

    def trial_done(self, record):
        self.done += 1

    def should_stop(self):
        return self.done >= self.n

    def end(self, message=""):
        pass


def test_stop_on_the_cluster_keeps_what_finished_and_resume_completes_it(cluster, cancer,
                                                                          tmp_path):
    one = run("hyperband", cancer)
    with joblib.parallel_config(backend="dask"):
        stopped = run("hyperband", cancer, n_jobs=2, progress=StopAfter(3),
                      directory=tmp_path, project_name="hb")
        assert not stopped.complete
        assert 3 <= len(stopped.trials) < len(one.trials)
        kept = (tmp_path / "hb" / "trials.jsonl").read_text().splitlines()
        assert len(kept) == len(stopped.trials)
        resumed = run("hyperband", cancer, n_jobs=2, directory=tmp_path, project_name="hb",
                      resume=True)
    assert resumed.complete
    assert trial_set(resumed) == trial_set(one)
    with pytest.raises(ValueError, match="n_jobs"):  # another n_jobs would be another search
        run("hyperband", cancer, n_jobs=3, directory=tmp_path, project_name="hb", resume=True)


def test_n_jobs_minus_one_on_a_cluster_means_every_worker_thread(cluster):
    with joblib.parallel_config(backend="dask"):
        assert workers.slots(-1) == 2
    assert workers.slots(None) == 1


def test_a_script_without_a_main_guard_is_told_to_add_one(tmp_path):
    script = tmp_path / "tune.py"
    script.write_text(
        "import nbtune\n"
        "from nbtune import data, SearchSpace, Choice\n"
        "from conftest import tiny_build\n"
        "nbtune.grid_search(tiny_build, SearchSpace(Choice('units', [4])),\n"
        "                   *data.load_breast_cancer().train, epochs=1)\n")
    # what a worker process does first: import the script as __mp_main__
    with pytest.raises(RuntimeError, match=r'if __name__ == "__main__":') as refused:
        runpy.run_path(str(script), run_name="__mp_main__")
    assert "tune.py" in str(refused.value) and "worker process" in str(refused.value)


class CtrlCAfter(StopAfter):
    """Presses Ctrl-C (SIGINT to this process) shortly after the first trial finishes."""

    def trial_done(self, record):
        super().trial_done(record)
        if self.done == 1:
            threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()

    def should_stop(self):
        return False


def test_ctrl_c_on_the_cluster_cancels_what_runs_and_keeps_what_finished(cluster, cancer,
                                                                          tmp_path):
    # each trial a job of its own: side by side, the grid's 8 trials are one unit, one job
    with joblib.parallel_config(backend="dask"), side_by_side.side_by_side(False):
        pressed = run("grid", cancer, n_jobs=2, progress=CtrlCAfter(1), directory=tmp_path,
                      project_name="grid")
    assert not pressed.complete
    assert 1 <= len(pressed.trials) < 8
    assert (pressed.trials["status"] == "ok").all()
    written = (tmp_path / "grid" / "trials.jsonl").read_text().splitlines()
    assert len(written) == len(pressed.trials)


def test_a_failing_trial_on_the_cluster_is_recorded_and_the_search_goes_on(cluster, cancer):
    def build(units=8, learning_rate=0.01):
        if units == 8:
            raise ValueError("eight units are not allowed here")
        return tiny_build(units, learning_rate)

    with joblib.parallel_config(backend="dask"):
        result = nbtune.grid_search(build, SPACE, *cancer.train, epochs=1, cv=2, n_jobs=2,
                                    progress=False)
    failed = result.trials[result.trials["status"] == "failed"]
    assert sorted(failed["units"]) == [8, 8]
    assert failed["error"].str.contains("eight units are not allowed here").all()
    assert (result.trials.loc[result.trials["units"] != 8, "status"] == "ok").all()
