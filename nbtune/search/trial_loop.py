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
from nbtune.search.evaluators import GROUP_TRIALS, Evaluator, error_text, evaluate_unit, units
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

    def evaluate(self, evaluator: Evaluator, unit: list[Proposal]) -> list[dict] | None:
        """The outcomes of a unit's trials; None if a press ended it (then none finished)."""
        before = self.interrupts.count
        with self.interrupts.allowed():
            outcomes = evaluate_unit(evaluator, unit)
        if self.interrupts.count > before and any(o.get("status") != "ok" for o in outcomes):
            return None  # a library turned the press into an error: not the trials' failure
        return outcomes


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

    def ran(self, proposal: Proposal, outcome: dict, kept: dict | None = None) -> dict:
        """A trial that ran: its record, written to the run folder at once and shown.

        ``kept``: the trial's record from the earlier run (it trained again only
        because its unit did): that record is shown, and not written again."""
        if kept is not None:
            self.show(kept)
            return kept
        record = _record(self.strategy, proposal, outcome)
        if self.log is not None:
            self.log.append(record)
        self.show(record)
        return record

    def show_kept(self, unit: list[Proposal], kept: list[dict]) -> None:
        """Trials of the earlier run: shown and reported, not run again."""
        for proposal, record in zip(unit, kept, strict=True):
            self.show(record)
            self.proposer.report(proposal, record)

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


def _units(proposer: Proposer, evaluator: Evaluator) -> Iterator[list[Proposal] | Any]:
    """The proposer's trials as units that train together (or ``WAIT``), in trial order.

    An independent proposer's trials are taken a block of :data:`GROUP_TRIALS`
    numbers at a time and split by :func:`nbtune.search.evaluators.units`; an
    adaptive one's each make a unit of their own (each may depend on the last).
    """
    waiting: Proposal | None = None
    while (proposal := waiting or proposer.propose()) is not None:
        waiting = None
        if proposal is WAIT or not proposer.independent:
            yield proposal if proposal is WAIT else [proposal]
            continue
        block = [proposal]
        while (following := proposer.propose()) is not None and following is not WAIT:
            if following.number // GROUP_TRIALS != proposal.number // GROUP_TRIALS:
                waiting = following
                break
            block.append(following)
        yield from units(block, evaluator)


def _one_by_one(book: _Book, evaluator: Evaluator, stop: _Stop) -> str | None:
    """Propose, run (or keep) and report each unit of trials in turn; why it stopped early."""
    for unit in _units(book.proposer, evaluator):
        if unit is WAIT:  # a shared oracle waits for other workers' trials
            if reason := stop.pause(_WAIT_SECONDS):
                return reason
            continue
        kept = [book.kept(proposal) for proposal in unit]
        if all(record is not None for record in kept):
            book.show_kept(unit, kept)
            continue
        if reason := stop.reason():
            return reason
        # a unit trains whole, the trials kept from an earlier run too: it gives the same numbers
        outcomes = stop.evaluate(evaluator, unit)
        if outcomes is None:
            return "interrupt"
        for proposal, record, outcome in zip(unit, kept, outcomes, strict=True):
            book.proposer.report(proposal, book.ran(proposal, outcome, record))
    return None


_WAIT_SECONDS = 0.5  # how often a waiting worker asks again, and the Stop button is read


def _in_workers(book: _Book, evaluator: Evaluator, stop: _Stop, workers: int) -> str | None:
    """Run up to ``workers`` units of trials at once in a pool; why it stopped early, if it did.

    Records are written as trials finish; the proposer hears them in trial order.
    An independent proposer (grid, random) keeps ``workers`` units running; an
    adaptive one proposes trial ``k`` after trial ``k - workers`` is reported.
    """
    flight = _Flight(book, evaluator, workers)
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
    """The trials of :func:`_in_workers`: running (in units), finished, and not yet reported."""

    def __init__(self, book: _Book, evaluator: Evaluator, workers: int) -> None:
        self.book, self.workers = book, workers
        self.units = _units(book.proposer, evaluator)
        self.unreported: list[Proposal] = []  # in trial order
        self.outcomes: dict[int, dict] = {}  # finished (or kept) records, by trial
        self.running: dict[Any, list[Proposal]] = {}  # job -> the unit it trains
        self.kept: dict[int, dict] = {}  # trial -> its earlier record, while its unit trains again
        self.where: dict[int, Any] = {}  # trial -> where it ran (a promotion goes there)
        self.lost: dict[int, int] = {}  # first trial of a unit -> how often its worker died
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
        """Propose and start units while there is room; a stop reason if one came."""
        while not self.exhausted and not self.waiting and self._room():
            if reason := stop.reason():
                return reason
            unit = next(self.units, None)
            if unit is None:
                self.exhausted = True
            elif unit is WAIT:
                self.waiting = True
            else:
                self.unreported = sorted([*self.unreported, *unit], key=lambda p: p.number)
                self.start_or_keep(pool, unit)
        return None

    def start_or_keep(self, pool: TrialPool, unit: list[Proposal]) -> None:
        """Start the unit, unless the earlier run holds all its trials (then they are kept)."""
        kept = {p.number: r for p in unit if (r := self.book.kept(p)) is not None}
        if len(kept) < len(unit):
            self.kept.update(kept)  # its unit trains again, whole: it gives the same numbers
            self.start(pool, unit)
            return
        for record in kept.values():
            self.book.show(record)
        self.outcomes.update(kept)

    def start(self, pool: TrialPool, unit: list[Proposal]) -> None:
        parent = unit[0].parent
        near = self.where.get(parent) if parent is not None else None
        self.running[pool.submit(unit, near)] = unit

    def land(self, pool: TrialPool, job: Any) -> None:
        """A finished job: its records, or its unit started again if its worker died."""
        unit = self.running.pop(job)
        where = None
        try:
            outcomes, where = pool.result(job)
        except LostWorker as exc:
            self.lost[unit[0].number] = tries = self.lost.get(unit[0].number, 0) + 1
            if tries < LOST_TRIES:
                self.start(pool, unit)
                return
            outcomes = [dict(score=float("nan"), status="failed", seconds=float("nan"),
                             error=f"{exc} (the worker running this trial died {tries} times)")
                        ] * len(unit)
        except Exception as exc:  # the trials could not be sent or run (pickling...)
            outcomes = [dict(score=float("nan"), status="failed", seconds=float("nan"),
                             error=error_text(exc))] * len(unit)
        for proposal, outcome in zip(unit, outcomes, strict=True):
            self.where[proposal.number] = where
            self.outcomes[proposal.number] = self.book.ran(
                proposal, outcome, self.kept.pop(proposal.number, None))

    def finished_or_stuck(self) -> None:
        if self.waiting:
            raise RuntimeError(
                "the proposer waits for a trial but none is running: this is a bug in its "
                "propose(), which answered WAIT with every trial reported")
        return None
