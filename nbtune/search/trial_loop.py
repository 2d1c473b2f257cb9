"""The one trial loop every strategy runs in.

:func:`run_trials` asks a proposer (:mod:`nbtune.search.proposers`) for trials, has
an evaluator (:mod:`nbtune.search.evaluators`) train and score them, and does for
every strategy alike what a search owes its user:

- progress: each finished trial goes to the progress object, and its
  ``should_stop()`` (the panel's Stop button) ends the search between trials;
- Ctrl-C (SIGINT, the notebook's stop button) ends it too, keeping every finished
  trial (:class:`Interrupts`: a press is never lost, and never lands in the middle
  of recording a trial);
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
import os
import signal
import sys
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
    with interrupts_noticed() as interrupts:
        stop = _Stop(progress, interrupts)
        try:
            # a press raises only while a trial trains (interrupts.allowed() below): the
            # records, the run folder and the progress are never left half done
            with interrupts.allowed(False), evaluator.session():
                if workers > 1 and proposer.independent:
                    stopped = _in_workers(proposer, evaluator, earlier, finished, ran, stop,
                                          workers)
                else:
                    stopped = _one_by_one(proposer, evaluator, earlier, finished, ran, stop, log)
        except KeyboardInterrupt:  # a press while a trial trained (or a build that raised it)
            stopped = "interrupt"
    records.sort(key=lambda record: record["trial"])
    return records, stopped


class Interrupts:
    """Ctrl-C presses while a search runs: each one counted, raised only where it loses nothing.

    While :func:`interrupts_noticed` is active, a press (SIGINT) adds 1 to
    :attr:`count`. It is raised as KeyboardInterrupt only inside an
    :meth:`allowed` block: a trial's training, ``compare``'s warm-up and
    refits, drawing plots, whose unfinished work can be dropped. Elsewhere
    (recording a finished trial, writing a table) it waits, and the search reads
    :attr:`pressed` where it can stop: the next trial boundary. So a press is
    never lost, not even one raised inside a finalizer, where Python prints
    "Exception ignored" and drops it (1 in 6 stop-button presses during a
    Hyperband search in a kernel were lost this way, tests/test_kernel.py).

    Examples
    --------
    >>> with interrupts_noticed() as interrupts:
    ...     with interrupts.allowed():
    ...         pass  # work that a press may stop at once
    ...     interrupts.pressed
    False
    """

    def __init__(self, previous: Any = None, *, active: bool = True) -> None:
        self.count = 0
        self.active = active  # False: SIGINT is not ours to see (another thread, or ignored)
        self._previous = previous
        self._raising = False

    @property
    def pressed(self) -> bool:
        """True once Ctrl-C was pressed: whatever runs should stop at its next boundary."""
        return self.count > 0

    @contextlib.contextmanager
    def allowed(self, allow: bool = True) -> Iterator[None]:
        """Within the block a press raises KeyboardInterrupt (``allow=False``: it only counts).

        Entering an allowed block after a press raises at once: nothing new starts.
        """
        if allow and self.pressed:
            raise KeyboardInterrupt
        outer, self._raising = self._raising, allow and self.active
        try:
            yield
        finally:
            self._raising = outer

    def handle(self, signum: int, frame: Any) -> None:
        """The SIGINT handler: count the press; raise it where that is allowed."""
        self.count += 1
        if not self._raising:
            return
        self._raising = False  # one raise: the unwinding after it is not interrupted again
        if callable(self._previous):
            self._previous(signum, frame)  # Python's (and Jupyter's) own: raises KeyboardInterrupt
        else:
            raise KeyboardInterrupt


_ACTIVE: list[Interrupts] = []  # the main thread's Interrupts while one is installed


@contextlib.contextmanager
def interrupts_noticed() -> Iterator[Interrupts]:
    """Within the block, Ctrl-C is counted by one :class:`Interrupts` (shared by nested blocks).

    Installed only in the main thread (the only one Python gives signals to) and
    only when SIGINT is not ignored; elsewhere the Interrupts never counts. A
    KeyboardInterrupt raised inside a finalizer is not printed as "Exception
    ignored": it was counted, and the search stops at its next boundary.

    Examples
    --------
    >>> import signal
    >>> with interrupts_noticed() as interrupts:
    ...     signal.raise_signal(signal.SIGINT)  # Ctrl-C, outside an allowed block: counted
    ...     interrupts.count
    1
    """
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is signal.SIG_IGN:
        yield Interrupts(active=False)  # another thread's search, or Ctrl-C ignored on purpose
        return
    if _ACTIVE:
        yield _ACTIVE[-1]
        return
    interrupts = Interrupts(previous)
    hook = sys.unraisablehook

    def unraisable(info: Any) -> None:
        if not isinstance(info.exc_value, KeyboardInterrupt):
            hook(info)

    signal.signal(signal.SIGINT, interrupts.handle)
    sys.unraisablehook, _ACTIVE[:] = unraisable, [interrupts]
    try:
        yield interrupts
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook, _ACTIVE[:] = hook, []


class _Stop:
    """Why the loop should end before the next trial: None, "request" or "interrupt"."""

    def __init__(self, progress: Progress, interrupts: Interrupts) -> None:
        self.progress, self.interrupts = progress, interrupts

    def reason(self) -> str | None:
        if self.interrupts.pressed:
            return "interrupt"
        return "request" if self.progress.should_stop() else None

    def evaluate(self, evaluator: Evaluator, proposal: Proposal) -> dict | None:
        """The trial's outcome; None if a press ended it (then the trial did not finish)."""
        before = self.interrupts.count
        with self.interrupts.allowed():
            outcome = evaluator.evaluate(proposal)
        if self.interrupts.count > before and outcome.get("status") != "ok":
            return None  # a library turned the press into an error: not the trial's failure
        return outcome


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
        outcome = stop.evaluate(evaluator, proposal)
        if outcome is None:
            return "interrupt"
        ran(proposal, outcome)
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
        delayed(_numbered)(proposal, evaluator, os.getpid()) for proposal in todo)
    with contextlib.closing(outcomes):  # closing it cancels the trials not started
        waiting = iter(outcomes)
        for done in range(1, len(todo) + 1):
            try:
                with stop.interrupts.allowed():
                    proposal, outcome = next(waiting)
            except Exception:
                if stop.interrupts.pressed:  # a terminal's Ctrl-C reached the workers too
                    return "interrupt"
                raise
            ran(proposal, outcome)
            if done < len(todo) and (reason := stop.reason()):
                return reason
    return None


def _numbered(proposal: Proposal, evaluator: Any, search_pid: int) -> tuple[Proposal, dict]:
    """A trial in a worker process, which leaves Ctrl-C to the search's process: a terminal
    sends it to every process of the job, and a worker stopped by it would break the pool
    (the search's process cancels the trials itself)."""
    if os.getpid() != search_pid and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return proposal, evaluator.evaluate(proposal)
