"""Where trials run when a search has ``n_jobs`` > 1: worker processes, or a Dask cluster.

The trial loop (:mod:`nbtune.search.trial_loop`) hands a :class:`TrialPool` one
unit of trials at a time (a list of proposals that train together:
:func:`nbtune.search.evaluators.units`) and waits for any of them to finish; the proposer, the
progress and the run folder stay in the search's own process. Two pools:

- :class:`DaskPool` inside ``joblib.parallel_config(backend="dask")``
  (scikit-learn's convention for a cluster): each trial is a task of the
  ``distributed.Client`` joblib was given. The evaluator (with the data) is
  sent to every worker once. Dask itself runs again a task whose worker died.
  A trial that continues another (Hyperband's promotion) is sent to the worker
  that trained its parent, where the parent's model is still in memory.
- :class:`ProcessPool` everywhere else: joblib's own reusable process pool
  (loky), the one ``Parallel(n_jobs=...)`` uses. A trial whose worker process
  died is run again, up to :data:`LOST_TRIES` times.
- :class:`InProcess` inside ``joblib.parallel_config(backend="sequential")``:
  the same search, its trials run here one after another (what a cluster would
  run, checked on one machine).

In a worker, :func:`evaluate_in_worker` keeps one evaluator per search and its
``session()`` open across trials, so the model pool (nbtune.training.engine)
reuses models there as it does in one process, and runs a trial's folds in its
own thread (joblib's Dask backend would otherwise fan them out as tasks).

Examples
--------
>>> import keras
>>> from sklearn.model_selection import KFold
>>> from nbtune import KerasClassifier, data
>>> from nbtune.search.evaluators import CrossValidation
>>> from nbtune.search.proposers import Proposal
>>> def build(units=4):
...     return keras.Sequential([keras.layers.Dense(units, activation="relu"),
...                              keras.layers.Dense(2, activation="softmax")])
>>> X, y = data.load_breast_cancer().train
>>> evaluator = CrossValidation(KerasClassifier(build, epochs=1, random_state=0), X, y,
...                             list(KFold(2).split(X)), None)
>>> with trial_pool(evaluator, 1) as pool:
...     job = pool.submit([Proposal(0, {"units": 8})])
...     outcomes, where = pool.result(pool.wait([job], timeout=None)[0])
>>> outcomes[0]["status"], outcomes[0]["epochs_spent"]
('ok', 2)
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import contextvars
import os
import signal
import threading
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import joblib

from nbtune.search.checks import check_n_jobs
from nbtune.search.evaluators import Evaluator, UnitEvaluator, error_text
from nbtune.search.proposers import Proposal
from nbtune.training import compat

#: How many times a trial is run again after the process running it died.
LOST_TRIES = 3


class TrialPool(Protocol):
    """What the trial loop needs of the place trials run."""

    def submit(self, unit: list[Proposal], near: Any = None) -> Any:
        """Start the unit's trials; ``near``: where its parent ran (a hint)."""

    def wait(self, jobs: Sequence[Any], timeout: float | None) -> list[Any]:
        """The jobs that have finished, after waiting at most ``timeout`` seconds for one."""

    def result(self, job: Any) -> tuple[list[dict[str, Any]], Any]:
        """A finished job's outcomes and where it ran; raises :class:`LostWorker`."""

    def cancel(self, jobs: Sequence[Any]) -> None:
        """Drop jobs: those not started never start; a running one's result is ignored."""


class LostWorker(RuntimeError):
    """The process that ran a trial died (killed, out of memory) before it reported."""


def slots(n_jobs: int | None) -> int:
    """Trials at once for ``n_jobs``: -1 means every core (every Dask worker thread).

    Examples
    --------
    >>> slots(None), slots(3)
    (1, 3)
    """
    workers = check_n_jobs(n_jobs)
    _, client = compat.active_joblib_backend()
    if n_jobs == -1 and client is not None:
        return max(1, sum(client.nthreads().values()))
    return workers


@contextlib.contextmanager
def trial_pool(evaluator: Evaluator, workers: int) -> Iterator[TrialPool]:
    """The pool this search's trials run in: the Dask cluster joblib was given, this process
    (joblib's ``"sequential"`` backend), or worker processes. Its jobs are units of trials."""
    evaluator = UnitEvaluator(evaluator)
    kind, client = compat.active_joblib_backend()
    if kind == "dask":
        pool: TrialPool = DaskPool(client, evaluator)
    elif kind == "sequential":
        pool = InProcess(evaluator)
    else:
        pool = ProcessPool(evaluator, workers)
    try:
        yield pool
    finally:
        pool.close()


class DaskPool:
    """Trials as tasks of a ``distributed.Client`` (joblib's Dask backend's)."""

    def __init__(self, client: Any, evaluator: Evaluator) -> None:
        self.client = client
        self.token = uuid.uuid4().hex
        # on every worker once (not in each task); replicated, so a lost worker loses no copy
        self._evaluator = client.scatter(evaluator, broadcast=True, hash=False)

    def submit(self, unit: list[Proposal], near: Any = None) -> Any:
        where = {} if near is None else {"workers": [near], "allow_other_workers": True}
        return self.client.submit(evaluate_in_worker, self.token, self._evaluator, unit,
                                  os.getpid(), pure=False, **where)

    def wait(self, jobs: Sequence[Any], timeout: float | None) -> list[Any]:
        from distributed import wait  # an extra: nbtune[dask]

        with contextlib.suppress(TimeoutError):
            wait(list(jobs), timeout=timeout, return_when="FIRST_COMPLETED")
        return [job for job in jobs if job.done()]

    def result(self, job: Any) -> tuple[list[dict[str, Any]], Any]:
        if job.status == "error" and type(job.exception()).__name__ == "KilledWorker":
            raise LostWorker(error_text(job.exception()))
        return job.result()

    def cancel(self, jobs: Sequence[Any]) -> None:
        if jobs:
            self.client.cancel(list(jobs))

    def close(self) -> None:
        self.client.cancel([self._evaluator])


class ProcessPool:
    """Trials in joblib's reusable worker processes (loky), on this machine."""

    def __init__(self, evaluator: Evaluator, workers: int) -> None:
        self.evaluator, self.workers = evaluator, workers
        self.token = uuid.uuid4().hex
        self._executor = self._new_executor()

    def _new_executor(self) -> Any:
        from joblib.externals.loky import get_reusable_executor  # joblib's own process pool

        return get_reusable_executor(max_workers=self.workers)

    def submit(self, unit: list[Proposal], near: Any = None) -> Any:
        try:
            return self._executor.submit(evaluate_in_worker, self.token, self.evaluator,
                                         unit, os.getpid())
        except concurrent.futures.BrokenExecutor:  # a worker died: loky makes a new pool
            self._executor = self._new_executor()
            return self._executor.submit(evaluate_in_worker, self.token, self.evaluator,
                                         unit, os.getpid())

    def wait(self, jobs: Sequence[Any], timeout: float | None) -> list[Any]:
        done, _ = concurrent.futures.wait(list(jobs), timeout=timeout,
                                          return_when=concurrent.futures.FIRST_COMPLETED)
        return [job for job in jobs if job in done]

    def result(self, job: Any) -> tuple[list[dict[str, Any]], Any]:
        try:
            return job.result()
        except concurrent.futures.BrokenExecutor as exc:  # loky's TerminatedWorkerError too
            raise LostWorker(error_text(exc)) from exc

    def cancel(self, jobs: Sequence[Any]) -> None:
        for job in jobs:
            job.cancel()

    def close(self) -> None:
        """The processes stay for the next search (joblib reuses them; idle ones exit)."""


class InProcess:
    """The trials in this process, one after another, in the order they were started.

    Inside ``joblib.parallel_config(backend="sequential")``: ``n_jobs`` trials are
    still "in flight" for the proposer (so an adaptive search proposes what it
    would on a cluster), but each runs here when the loop waits for one.
    """

    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator
        self._started: list[concurrent.futures.Future] = []

    def submit(self, unit: list[Proposal], near: Any = None) -> concurrent.futures.Future:
        job: concurrent.futures.Future = concurrent.futures.Future()
        job.unit = unit  # type: ignore[attr-defined]
        self._started.append(job)
        return job

    def wait(self, jobs: Sequence[Any], timeout: float | None) -> list[Any]:
        job = next(job for job in self._started if job in jobs)
        self._started.remove(job)
        job.set_result((self.evaluator.evaluate(job.unit), os.getpid()))
        return [job]

    def result(self, job: Any) -> tuple[list[dict[str, Any]], Any]:
        return job.result()

    def cancel(self, jobs: Sequence[Any]) -> None:
        self._started = [job for job in self._started if job not in jobs]

    def close(self) -> None:
        """Nothing to let go."""


# ------------------------------------------------------------ in a worker
class _Resident:
    """A search's evaluator in a worker, its session open across the trials it runs there."""

    def __init__(self, token: str, evaluator: Evaluator) -> None:
        self.token, self.evaluator = token, evaluator
        self.context = contextvars.copy_context()  # the session's model pool lives in it
        self._stack = contextlib.ExitStack()
        # session() is called inside the context too: one that enters its parts at once (an
        # ExitStack) must set its context variables there, where close() resets them
        self.context.run(lambda: self._stack.enter_context(evaluator.session()))

    def evaluate(self, work: Any) -> Any:
        return self.context.run(self.evaluator.evaluate, work)

    def close(self) -> None:
        self.context.run(self._stack.close)


_RESIDENT: list[_Resident] = []  # this worker's current search (one at a time)
_RESIDENT_AT_EXIT: list[bool] = []  # whether _let_go is registered to run at exit
_ONE_TRIAL_AT_A_TIME = threading.Lock()  # Keras's model pool is not shared between threads


def evaluate_in_worker(token: str, evaluator: Any, work: Any,
                       search_pid: int) -> tuple[Any, Any]:
    """Run ``evaluator.evaluate(work)`` in a worker (a search's unit of trials, or a table's
    group of fits); its outcome and where it ran (a Dask worker's address).

    The worker keeps ``evaluator`` (and its models) for the next trial of the same
    search (``token``); a new search's evaluator replaces it. A trial's folds run in
    this thread. Ctrl-C is left to the search's process: a terminal sends it to
    every process of the job, and a worker stopped by it would break the pool.
    """
    if os.getpid() != search_pid and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    with _ONE_TRIAL_AT_A_TIME:
        resident = _resident(token, evaluator)
        with joblib.parallel_config(backend="sequential"):
            outcome = resident.evaluate(work)
    return outcome, _where()


def _resident(token: str, evaluator: Evaluator) -> _Resident:
    """This worker's evaluator for the search ``token`` (the last search's is let go)."""
    if _RESIDENT and _RESIDENT[0].token == token:
        return _RESIDENT[0]
    _let_go()
    if not _RESIDENT_AT_EXIT:  # the session ends in its own context, not in a finalizer's
        atexit.register(_let_go)
        _RESIDENT_AT_EXIT.append(True)
    _RESIDENT.append(_Resident(token, evaluator))
    return _RESIDENT[0]


def _let_go() -> None:
    """Close the session of this worker's last search."""
    while _RESIDENT:
        _RESIDENT.pop().close()


def _where() -> Any:
    """This Dask worker's address, or this process's id elsewhere."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):  # not in a Dask worker
        return os.getpid()
