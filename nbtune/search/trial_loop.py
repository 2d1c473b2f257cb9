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

With ``workers > 1`` (``n_jobs``) several trials run at once, for every strategy:
in joblib's worker processes, or on a Dask cluster inside
``joblib.parallel_config(backend="dask")`` (:mod:`nbtune.search.workers`). The
proposer, the progress and the run folder stay in this process; the proposer
hears the trials in trial order, so what it proposes does not depend on which
worker was faster. A proposer that answers ``WAIT`` (a shared oracle waiting
for other workers' trials) is asked again after a short pause.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

from nbtune.display import Progress
from nbtune.search.evaluators import Evaluator, error_text
from nbtune.search.proposers import WAIT, Proposal, Proposer
from nbtune.search.runlog import RunLog
from nbtune.search.workers import LOST_TRIES, LostWorker, TrialPool, trial_pool


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
        Trials at once, in worker processes or on the Dask cluster of an enclosing
        ``joblib.parallel_config(backend="dask")`` (:mod:`nbtune.search.workers`).
        The proposer hears how trials went in trial order, and an adaptive one
        proposes trial ``k`` once trial ``k - workers`` has been reported, so the
        trials do not depend on which worker was faster.

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
    book = _Book(strategy, proposer, progress, log, earlier or {})
    progress.begin(strategy, proposer.total)
    with interrupts_noticed() as interrupts:
        stop = _Stop(progress, interrupts)
        try:
            # a press raises only while a trial trains (interrupts.allowed() below): the
            # records, the run folder and the progress are never left half done
            with interrupts.allowed(False), evaluator.session():
                if workers > 1:
                    stopped = _in_workers(book, evaluator, stop, workers)
                else:
                    stopped = _one_by_one(book, evaluator, stop)
        except KeyboardInterrupt:  # a press while a trial trained (or a build that raised it)
            stopped = "interrupt"
    book.records.sort(key=lambda record: record["trial"])
    return book.records, stopped


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

    def pause(self, seconds: float) -> str | None:
        """Wait ``seconds`` (a press ends the wait); why the loop should end, if it should."""
        try:
            with self.interrupts.allowed():
                time.sleep(seconds)
        except KeyboardInterrupt:
            return "interrupt"
        return self.reason()

    def evaluate(self, evaluator: Evaluator, proposal: Proposal) -> dict | None:
        """The trial's outcome; None if a press ended it (then the trial did not finish)."""
        before = self.interrupts.count
        with self.interrupts.allowed():
            outcome = evaluator.evaluate(proposal)
        if self.interrupts.count > before and outcome.get("status") != "ok":
            return None  # a library turned the press into an error: not the trial's failure
        return outcome


class _Book:
    """A search's bookkeeping: the records, the run folder, the progress and the proposer."""

    def __init__(self, strategy: str, proposer: Proposer, progress: Progress,
                 log: RunLog | None, earlier: dict[int, dict]) -> None:
        self.strategy, self.proposer, self.progress = strategy, proposer, progress
        self.log, self.earlier = log, earlier
        self.records: list[dict] = []

    def kept(self, proposal: Proposal) -> dict | None:
        """The record of ``proposal``'s trial from the earlier run, or None if it must run."""
        record = self.earlier.get(proposal.number)
        if record is None:
            return None
        if any(record.get(k) != v for k, v in proposal.params.items()):
            folder = self.log.folder if self.log is not None else "the run folder"
            raise ValueError(
                f"trial {proposal.number} in {folder} has {record} but this search's trial "
                f"{proposal.number} is {proposal.params}; the run folder is from another "
                "search: use resume=False to start over"
            )
        return record

    def ran(self, proposal: Proposal, outcome: dict) -> dict:
        """A trial that ran: its record, written to the run folder at once and shown."""
        record = _record(self.strategy, proposal, outcome)
        if self.log is not None:
            self.log.append(record)
        self.show(record)
        return record

    def show(self, record: dict) -> None:
        self.records.append(record)
        self.progress.trial_done(dict(record))


def _record(strategy: str, proposal: Proposal, outcome: dict) -> dict:
    """A trial's row: strategy, number, configuration, outcome (and Hyperband's bracket,
    round, and the trial it continues: ``parent``, kept in the run folder)."""
    record = {"strategy": strategy, "trial": proposal.number, **proposal.params, **outcome}
    if proposal.bracket is not None:
        record.update(bracket=proposal.bracket, round=proposal.round, parent=proposal.parent)
    return record


def _one_by_one(book: _Book, evaluator: Evaluator, stop: _Stop) -> str | None:
    """Propose, run (or keep) and report each trial in turn; why it stopped early, if it did."""
    while (proposal := book.proposer.propose()) is not None:
        if proposal is WAIT:  # a shared oracle waits for other workers' trials
            if reason := stop.pause(_WAIT_SECONDS):
                return reason
            continue
        record = book.kept(proposal)
        if record is not None:
            book.show(record)
            book.proposer.report(proposal, record)
            continue
        if reason := stop.reason():
            return reason
        outcome = stop.evaluate(evaluator, proposal)
        if outcome is None:
            return "interrupt"
        book.proposer.report(proposal, book.ran(proposal, outcome))
    return None


_WAIT_SECONDS = 0.5  # how often a waiting worker asks again, and the Stop button is read


def _in_workers(book: _Book, evaluator: Evaluator, stop: _Stop, workers: int) -> str | None:
    """Run up to ``workers`` trials at once in a pool; why it stopped early, if it did.

    Records are written as trials finish; the proposer hears them in trial order.
    An independent proposer (grid, random) keeps ``workers`` trials running; an
    adaptive one proposes trial ``k`` after trial ``k - workers`` is reported.
    """
    flight = _Flight(book, workers)
    with trial_pool(evaluator, workers) as pool:
        try:
            while True:
                if reason := flight.fill(pool, stop):
                    return reason
                if flight.report_next():
                    continue  # one report at a time, each followed by what it makes room for
                if not flight.running:
                    return flight.finished_or_stuck()
                with stop.interrupts.allowed():
                    done = pool.wait(list(flight.running), timeout=_WAIT_SECONDS)
                for job in done:
                    flight.land(pool, job)
                if reason := stop.reason():
                    return reason
        except KeyboardInterrupt:
            return "interrupt"
        finally:
            pool.cancel(list(flight.running))


class _Flight:
    """The trials of :func:`_in_workers`: running, finished, and not yet reported."""

    def __init__(self, book: _Book, workers: int) -> None:
        self.book, self.workers = book, workers
        self.unreported: list[Proposal] = []  # in trial order
        self.outcomes: dict[int, dict] = {}  # finished (or kept) records, by trial
        self.running: dict[Any, Proposal] = {}  # job -> proposal
        self.where: dict[int, Any] = {}  # trial -> where it ran (a promotion goes there)
        self.lost: dict[int, int] = {}  # trial -> how often its worker died
        self.exhausted = self.waiting = False

    def report_next(self) -> bool:
        """Report the earliest unreported trial if it has finished; whether it had.

        One at a time: an adaptive proposer is asked for trial ``k`` right after
        trial ``k - workers`` is reported, never after a later one, whichever
        trials finished first.
        """
        if not self.unreported or self.unreported[0].number not in self.outcomes:
            return False
        proposal = self.unreported.pop(0)
        self.book.proposer.report(proposal, self.outcomes.pop(proposal.number))
        self.waiting = False
        return True

    def _room(self) -> bool:
        busy = len(self.running) if self.book.proposer.independent else len(self.unreported)
        return busy < self.workers

    def fill(self, pool: TrialPool, stop: _Stop) -> str | None:
        """Propose and start trials while there is room; a stop reason if one came."""
        while not self.exhausted and not self.waiting and self._room():
            if reason := stop.reason():
                return reason
            proposal = self.book.proposer.propose()
            if proposal is None:
                self.exhausted = True
            elif proposal is WAIT:
                self.waiting = True
            else:
                self.unreported.append(proposal)
                record = self.book.kept(proposal)
                if record is None:
                    self.start(pool, proposal)
                else:
                    self.book.show(record)
                    self.outcomes[proposal.number] = record
        return None

    def start(self, pool: TrialPool, proposal: Proposal) -> None:
        near = self.where.get(proposal.parent) if proposal.parent is not None else None
        self.running[pool.submit(proposal, near)] = proposal

    def land(self, pool: TrialPool, job: Any) -> None:
        """A finished job: its record, or the trial started again if its worker died."""
        proposal = self.running.pop(job)
        try:
            outcome, self.where[proposal.number] = pool.result(job)
        except LostWorker as exc:
            self.lost[proposal.number] = tries = self.lost.get(proposal.number, 0) + 1
            if tries < LOST_TRIES:
                self.start(pool, proposal)
                return
            outcome = dict(score=float("nan"), status="failed", seconds=float("nan"),
                           error=f"{exc} (the worker running this trial died {tries} times)")
        except Exception as exc:  # the trial could not be sent or run (pickling...)
            outcome = dict(score=float("nan"), status="failed", seconds=float("nan"),
                           error=error_text(exc))
        self.outcomes[proposal.number] = self.book.ran(proposal, outcome)

    def finished_or_stuck(self) -> None:
        if self.waiting:
            raise RuntimeError(
                "the proposer waits for a trial but none is running: this is a bug in its "
                "propose(), which answered WAIT with every trial reported")
        return None
