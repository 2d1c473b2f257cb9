"""Ctrl-C is never lost and never loses work (issue 23).

A press (SIGINT) sets the search's stop: it is raised only while a trial trains,
counted everywhere else (a finalizer, the recording of a trial), and the loop
ends at the next trial boundary with every finished trial. The first tests use
a scripted evaluator (no TensorFlow); the last ones press Ctrl-C during
``python -m nbtune compare``: at 7 points of one process that imports TensorFlow
once (``scripts/interrupt_compare.py --quick``; without ``--quick`` it presses at
26 points), and twice in the real command, which must exit 130 with one line.
"""

import contextlib
import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nbtune import Choice, SearchSpace
from nbtune.display import SearchProgress
from nbtune.search.proposers import ListProposer
from nbtune.search.results import SearchResult
from nbtune.search.trial_loop import interrupts_noticed, run_trials
from nbtune.ui.runner import SearchRunner

ROOT = Path(__file__).resolve().parents[1]
SPACE = SearchSpace(Choice("units", [1, 2, 3, 4]))


def press() -> None:
    """Ctrl-C, as a terminal or the notebook's stop button sends it."""
    os.kill(os.getpid(), signal.SIGINT)


def press_in_a_finalizer() -> None:
    """Ctrl-C while garbage collection runs a finalizer (where Python drops exceptions)."""
    thing = type("Model", (), {})()
    weakref.finalize(thing, press)
    del thing  # collected now: the finalizer runs, and the press is raised inside it


class Scripted:
    """Evaluates every trial at once, running ``actions[trial]()`` first."""

    def __init__(self, actions=None, seconds: float = 0.0) -> None:
        self.actions, self.seconds = actions or {}, seconds

    def session(self):
        return contextlib.nullcontext()

    def evaluate(self, proposal):
        time.sleep(self.seconds)
        self.actions.get(proposal.number, lambda: None)()
        return {"score": 0.5, "status": "ok", "seconds": 0.0}


def search(evaluator, progress=None):
    proposer = ListProposer(SPACE, [{"units": u} for u in (1, 2, 3, 4)])
    records, stopped = run_trials("grid", proposer, evaluator,
                                  progress=progress or SearchProgress(enabled=False))
    return [r["trial"] for r in records], stopped


def test_a_press_while_a_trial_trains_ends_it_and_keeps_the_ones_before():
    assert search(Scripted({2: press})) == ([0, 1], "interrupt")


def test_a_press_inside_a_finalizer_is_not_lost(monkeypatch):
    dropped = []  # what Python prints as "Exception ignored in: <finalize object ...>"
    monkeypatch.setattr(sys, "unraisablehook", lambda info: dropped.append(info.exc_type))
    press_in_a_finalizer()  # without nbtune's handler: dropped, and the code goes on
    assert dropped == [KeyboardInterrupt]
    # in a search the trial it came in finishes, is kept, and the search stops there, quietly
    assert search(Scripted({1: press_in_a_finalizer})) == ([0, 1], "interrupt")
    assert dropped == [KeyboardInterrupt]


def test_a_press_while_a_trial_is_recorded_waits_for_the_record():
    class PressOnSecond(SearchProgress):
        def trial_done(self, record):
            if record["trial"] == 1:
                press()
            super().trial_done(record)

    assert search(Scripted(), PressOnSecond(enabled=False)) == ([0, 1], "interrupt")


def test_a_press_that_a_library_turns_into_an_error_is_no_failed_trial():
    class Converting(Scripted):
        def evaluate(self, proposal):
            if proposal.number != 2:
                return super().evaluate(proposal)
            try:
                press()
            except KeyboardInterrupt as exc:  # as a library that wraps every error would
                return {"score": np.nan, "status": "failed", "error": repr(exc)}

    assert search(Converting()) == ([0, 1], "interrupt")


def test_the_handler_is_put_back_and_nested_blocks_share_one():
    handler, hook = signal.getsignal(signal.SIGINT), sys.unraisablehook
    with interrupts_noticed() as outer:
        with interrupts_noticed() as inner:
            press()  # not in an allowed block: counted, not raised
        assert inner is outer and outer.count == 1
        with pytest.raises(KeyboardInterrupt), outer.allowed():
            pass  # a block started after a press raises at once: nothing new starts
    assert signal.getsignal(signal.SIGINT) is handler and sys.unraisablehook is hook
    assert gc.isenabled()


def test_a_search_in_another_thread_leaves_sigint_alone():
    seen = []

    def in_thread():
        with interrupts_noticed() as interrupts:
            seen.append((interrupts.active, signal.getsignal(signal.SIGINT)))

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert seen == [(False, signal.getsignal(signal.SIGINT))]


def test_ctrl_c_while_waiting_for_the_runner_stops_its_search():
    """The run panel's search runs in a thread; Ctrl-C in the waiting cell stops it, keeping trials."""
    runner = SearchRunner()

    def call():
        records, stopped = run_trials("grid", ListProposer(SPACE, [{"units": u} for u in range(8)]),
                                      Scripted(seconds=0.3), progress=runner)
        return SearchResult(pd.DataFrame(records), complete=stopped is None)

    runner.start(call)
    timer = threading.Timer(0.45, press)
    timer.start()
    result = runner.wait(timeout=30)
    timer.join()
    assert runner.error is None, runner.error
    assert not runner.running and not result.complete
    assert 1 <= len(result.trials) < 8 and result.trials["trial"].tolist() == list(range(len(result.trials)))


# ------------------------------------------------------ python -m nbtune compare
def test_ctrl_c_at_many_points_of_compare_keeps_every_finished_trial():
    """7 points of one process: the warm-up, a finalizer, the recording of a trial, the winner's
    test score, the writing of trials.csv, a plot, and 0.2 s into the second trial (the script
    checks each: exit 130, one line, trials.csv holds exactly the trials reported finished)."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "interrupt_compare.py"), "--quick"],
                          capture_output=True, text=True, timeout=600, check=False)
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert summary["points"] == summary["ok"] == 7 and summary["missed"] == 0, done.stdout


def start_compare(out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nbtune", "compare", "--fast", "--dataset", "breast_cancer",
         "--strategies", "grid", "--epochs", "1", "--no-plots", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_command_stopped_after_a_trial_exits_130_with_one_line(tmp_path):
    job = start_compare(tmp_path)
    shown = ""
    while "1/4 trials" not in shown and job.poll() is None:
        shown += job.stdout.read(1)  # the progress line, redrawn after each trial
    job.send_signal(signal.SIGINT)
    time.sleep(0.05)
    job.send_signal(signal.SIGINT)  # pressed twice, as people do
    _, stderr = job.communicate(timeout=120)
    trials = pd.read_csv(tmp_path / "trials.csv")
    assert job.returncode == 130, stderr
    assert stderr == (f"stopped: kept {len(trials)} finished trial{'s' * (len(trials) > 1)} "
                      f"of 1 strategy (grid {len(trials)}) in {tmp_path / 'trials.csv'}\n")
    assert 1 <= len(trials) <= 4 and (trials["status"] == "ok").all()


def test_the_command_stopped_while_it_starts_exits_130_with_one_line(tmp_path):
    job = start_compare(tmp_path)
    time.sleep(2)  # loading nbtune, scikit-learn or TensorFlow
    job.send_signal(signal.SIGINT)
    _, stderr = job.communicate(timeout=120)
    assert job.returncode == 130 and "Traceback" not in stderr
    assert stderr.startswith("stopped") and stderr.count("\n") == 1, stderr
    assert not (tmp_path / "trials.csv").exists()
