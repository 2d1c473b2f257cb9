"""The one trial loop every strategy runs in.

:func:`run_trials` asks a proposer (:mod:`nbtune.search.proposers`) for trials, has
an evaluator (:mod:`nbtune.search.evaluators`) train and score them, and does for
every strategy alike what a search owes its user:

- progress: each finished trial goes to the progress object, and its
  ``should_stop()`` (the panel's Stop button) ends the search between trials;
- Ctrl-C (KeyboardInterrupt) ends it too, keeping the finished trials;
- a failing trial is recorded (``status="failed"``, ``error``) and the search goes on;
- every finished trial is appended to the run folder's ``trials.jsonl`` at once;
- on resume, trials the folder already holds are not run again: their records
  are reported to the proposer as if just run, so an adaptive strategy
  proposes what it proposed the first time.

With ``workers > 1`` and a proposer whose trials are independent (grid and
random search), the trials run in joblib worker processes.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

from joblib import Parallel, delayed

from nbtune.display import Progress
from nbtune.search.evaluators import Evaluator
from nbtune.search.proposers import Proposal, Proposer
from nbtune.search.runlog import RunLog


def run_trials(strategy: str, proposer: Proposer, evaluator: Evaluator, *, progress: Progress,
               log: RunLog | None = None, earlier: dict[int, dict] | None = None,
               workers: int = 1) -> tuple[list[dict], str | None]:
    """Run a search's trials; return their records (by trial number) and how it ended.

    Parameters
    ----------
    strategy : str
        The ``strategy`` column of every record.
    proposer, evaluator
        Which trials to run, and how each is trained and scored.
    progress : nbtune.display.Progress
        Told ``begin``, each ``trial_done`` and asked ``should_stop``; the caller
        calls ``end``.
    log : RunLog, optional
        The run folder, whose ``trials.jsonl`` gets each finished trial.
    earlier : dict, optional
        Records of a resumed run by trial number: not run again.
    workers : int, default 1
        Worker processes, for a proposer whose trials are independent.

    Returns
    -------
    records : list of dict
    stopped : None, "request" (``should_stop()``) or "interrupt" (Ctrl-C)

    Examples
    --------
    >>> import keras
    >>> from sklearn.model_selection import KFold, ParameterGrid
    >>> from nbtune import KerasClassifier, SearchSpace, Choice, data
    >>> from nbtune.display import SearchProgress
    >>> from nbtune.search.evaluators import CrossValidation
    >>> from nbtune.search.proposers import ListProposer
    >>> def build(units=4):
    ...     return keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                              keras.layers.Dense(2, activation="softmax")])
    >>> X, y = data.load_breast_cancer().train
    >>> space = SearchSpace(Choice("units", [4, 8]))
    >>> records, stopped = run_trials(
    ...     "grid", ListProposer(space, ParameterGrid(space.grid())),
    ...     CrossValidation(KerasClassifier(build, epochs=1), X, y, list(KFold(2).split(X)), None),
    ...     progress=SearchProgress(enabled=False))
    >>> [r["units"] for r in records], stopped
    ([4, 8], None)
    """
    earlier = earlier or {}
    records: list[dict] = []

    def finished(proposal: Proposal, record: dict) -> None:
        proposer.report(proposal, record)
        records.append(record)
        progress.trial_done(dict(record))

    def ran(proposal: Proposal, outcome: dict) -> None:
        record = _record(strategy, proposal, outcome)
        if log is not None:
            log.append(record)
        finished(proposal, record)

    progress.begin(strategy, proposer.total)
    try:
        with evaluator.session(), _interrupts_noticed() as interrupted:
            if workers > 1 and proposer.independent:
                stopped = _in_workers(proposer, evaluator, earlier, finished, ran,
                                      _Stop(progress, interrupted), workers)
            else:
                stopped = _one_by_one(proposer, evaluator, earlier, finished, ran,
                                      _Stop(progress, interrupted), log)
    except KeyboardInterrupt:
        stopped = "interrupt"
    records.sort(key=lambda record: record["trial"])
    return records, stopped


class _Stop:
    """Why the loop should end before the next trial: None, "request" or "interrupt"."""

    def __init__(self, progress: Progress, interrupted: Callable[[], bool]) -> None:
        self.progress, self.interrupted = progress, interrupted

    def reason(self) -> str | None:
        if self.interrupted():
            return "interrupt"
        return "request" if self.progress.should_stop() else None


@contextlib.contextmanager
def _interrupts_noticed() -> Iterator[Callable[[], bool]]:
    """Ctrl-C (the notebook's stop button) during the search, even when Python loses it.

    Python raises KeyboardInterrupt wherever the main thread is; raised inside a
    finalizer (a weakref callback of garbage collection, which TensorFlow's
    objects set off all the time) it is printed as "Exception ignored" and
    lost: 1 in 6 stop-button presses during a Hyperband search in a kernel were
    lost this way (tests/test_kernel.py). So the SIGINT handler also records
    the press, and the loop ends at the next trial boundary if the exception
    did not end it sooner. Outside the main thread (the run panel) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    pressed: list[bool] = []
    previous = signal.getsignal(signal.SIGINT)
    if previous is signal.SIG_IGN:  # the user ignores Ctrl-C: so do we
        yield lambda: False
        return

    def handler(signum: int, frame: Any) -> None:
        pressed.append(True)
        if callable(previous):
            previous(signum, frame)  # Python's (and Jupyter's) own: raises KeyboardInterrupt
        else:
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: bool(pressed)
    finally:
        signal.signal(signal.SIGINT, previous)


def _record(strategy: str, proposal: Proposal, outcome: dict) -> dict:
    """A trial's row: strategy, number, configuration, outcome (and Hyperband's bracket,
    round, and the trial it continues: ``parent``, kept in the run folder)."""
    record = {"strategy": strategy, "trial": proposal.number, **proposal.params, **outcome}
    if proposal.bracket is not None:
        record.update(bracket=proposal.bracket, round=proposal.round, parent=proposal.parent)
    return record


def _kept(proposal: Proposal, earlier: dict[int, dict], log: RunLog | None) -> dict | None:
    """The record of ``proposal``'s trial from the earlier run, or None if it must run."""
    record = earlier.get(proposal.number)
    if record is None:
        return None
    if any(record.get(k) != v for k, v in proposal.params.items()):
        folder = log.folder if log is not None else "the run folder"
        raise ValueError(
            f"trial {proposal.number} in {folder} has {record} but this search's trial "
            f"{proposal.number} is {proposal.params}; the run folder is from another search: "
            "use resume=False to start over"
        )
    return record


def _one_by_one(proposer, evaluator, earlier, finished: Callable, ran: Callable, stop: _Stop,
                log) -> str | None:
    """Propose, run (or keep) and report each trial in turn; why it stopped early, if it did."""
    while (proposal := proposer.propose()) is not None:
        record = _kept(proposal, earlier, log)
        if record is not None:
            finished(proposal, record)
            continue
        if reason := stop.reason():
            return reason
        ran(proposal, evaluator.evaluate(proposal))
    return None


def _in_workers(proposer, evaluator, earlier, finished: Callable, ran: Callable, stop: _Stop,
                workers: int) -> str | None:
    """Run independent trials in worker processes, reported as they finish."""
    todo = []
    while (proposal := proposer.propose()) is not None:
        record = _kept(proposal, earlier, None)
        if record is None:
            todo.append(proposal)
        else:
            finished(proposal, record)
    outcomes = Parallel(n_jobs=workers, return_as="generator_unordered")(
        delayed(_numbered)(proposal, evaluator) for proposal in todo)
    with contextlib.closing(outcomes):  # closing it cancels the trials not started
        for done, (proposal, outcome) in enumerate(outcomes, start=1):
            ran(proposal, outcome)
            if done < len(todo) and (reason := stop.reason()):
                return reason
    return None


def _numbered(proposal: Proposal, evaluator: Any) -> tuple[Proposal, dict]:
    return proposal, evaluator.evaluate(proposal)
