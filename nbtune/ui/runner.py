"""Run a search in a background thread, stoppable between trials, with no widgets.

In Jupyter a running cell blocks the kernel, so a Stop button could not be
clicked until the search ended. :class:`SearchRunner` runs the search in a
thread and is its progress object (``begin`` / ``trial_done`` /
``should_stop`` / ``end``, :class:`nbtune.display.Progress`): it counts the
trials, keeps their records, and hands each event on to a listener (the run
panel's view, or nothing). :meth:`SearchRunner.stop` sets a flag the search
reads between trials, so it ends after the current one and keeps every
finished trial. :meth:`SearchRunner.status_text` says where it is, in plain text.

Examples
--------
>>> runner = SearchRunner()
>>> runner.begin("grid", 2)
>>> runner.trial_done({"score": 0.9, "status": "ok"})
>>> runner.status_text()[:35]
'grid | 1/2 trials | best 0.9000 | 0'
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from nbtune.display import Progress, SearchProgress, best_text, elapsed_text, time_left
from nbtune.language import gettext as _
from nbtune.search.results import SearchFailedError, SearchResult


def status_parts(tally: SearchProgress, final: str = "") -> list[str]:
    """The pieces of a status line: strategy, trials, failed, best, elapsed, time left.

    In the language spoken (:mod:`nbtune.language`), but for the strategy's name.

    Examples
    --------
    >>> tally = SearchProgress(enabled=False)
    >>> tally.begin("random", 4)
    >>> tally.trial_done({"score": float("nan"), "status": "failed"})
    >>> status_parts(tally)[:3]
    ['random', '1/4 trials', '1 failed']
    >>> from nbtune.language import speaking
    >>> with speaking("ko"):
    ...     status_parts(tally)[:4]
    ['random', '시도 1/4', '실패 1', '최고 -']
    """
    done, total = tally.done, tally.total
    now = time.perf_counter()
    elapsed = now - tally.started
    count = (_("{done}/{total} trials").format(done=done, total=total) if total
             else _("{done} trials").format(done=done))
    parts = [tally.strategy, count]
    if tally.failed:
        parts.append(_("{failed} failed").format(failed=tally.failed))
    parts.append(best_text(tally.best))
    parts.append(elapsed_text(elapsed))
    if not final and total and done:
        # the trials so far set the pace; the running trial's time already counts down
        per_trial = (tally.last_done - tally.started) / done
        left = max(per_trial * max(total - done, 0) - (now - tally.last_done), 0.0)
        parts.append(time_left(left))
    if final:
        parts.append(final)
    return parts


class SearchRunner:
    """One search at a time in a background thread, as the search's progress object.

    Parameters
    ----------
    listener : Progress, optional
        Told every ``begin``, ``trial_done`` and ``end`` too (a view); its
        ``should_stop`` is not asked: :meth:`stop` decides.

    Attributes
    ----------
    result : SearchResult or None
        The last finished search's result (partial if stopped; the failed
        trials if every trial failed).
    results : list of SearchResult
        Every finished search's result, in order.
    error : BaseException or None
        What ended the last search, if it did not end normally.
    records : list of dict
        The current (or last) search's finished trials.
    tally : nbtune.display.SearchProgress
        Its count of trials, failures and the best score.
    """

    def __init__(self, listener: Progress | None = None) -> None:
        self.listener = listener
        self.result: SearchResult | None = None
        self.results: list[SearchResult] = []
        self.error: BaseException | None = None
        self.records: list[dict] = []
        self.tally = SearchProgress(enabled=False)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ended = threading.Event()  # set when a search's thread has done all it does
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True while a search runs."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, call: Callable[[], SearchResult],
              on_finish: Callable[[SearchResult | None], None] | None = None) -> bool:
        """Run ``call()`` (a search given ``progress=self``) in a thread; False if one runs.

        ``on_finish(result)`` is called in that thread when it ends, after
        ``result`` and ``error`` are set.
        """
        if self.running:
            return False
        self.error = None
        self._stop.clear()
        self._ended.clear()
        with self._lock:  # a new run starts from zero, before its thread does
            self.records = []
        self._thread = threading.Thread(target=self._work, args=(call, on_finish), daemon=True,
                                        name="nbtune-search")
        self._thread.start()
        return True

    def _work(self, call: Callable[[], SearchResult], on_finish: Callable | None) -> None:
        result = None
        try:
            result = call()
        except SearchFailedError as exc:
            self.error, result = exc, exc.result
        except Exception as exc:  # kept for the view, not lost in the thread
            self.error = exc
        finally:
            if result is not None:
                self.result = result
                self.results.append(result)
            if on_finish is not None:
                on_finish(result)
            self._ended.set()

    def wait(self, timeout: float | None = None) -> SearchResult | None:
        """Wait for the search to end; its result (None if it failed before any trial).

        Raises TimeoutError if it still runs after ``timeout`` seconds. Ctrl-C
        while waiting (the notebook's stop button) does what :meth:`stop` does,
        then waits for the current trial: the result keeps every finished trial
        (``complete=False``). A second Ctrl-C gives up waiting for that trial.
        """
        thread = self._thread
        if thread is None:
            return self.result
        try:  # not thread.join(): Ctrl-C in it leaves the thread marked ended (Python < 3.13)
            ended = self._ended.wait(timeout)
        except KeyboardInterrupt:  # the press is for the search, which runs in the thread
            self._stop.set()
            ended = self._ended.wait()
        if not ended:
            raise TimeoutError(
                f"the search is still running after {timeout} s; call stop() "
                "to end it after the current trial"
            )
        thread.join()  # at once: it has ended
        return self.result

    def stop(self) -> bool:
        """End the search after the current trial (finished ones are kept); False if none runs."""
        if not self.running:
            return False
        self._stop.set()
        return True

    # -- the progress protocol, called by the search in its thread ---------------
    def begin(self, strategy: str, total: int | None) -> None:
        """A search of ``total`` trials starts."""
        with self._lock:
            self.records = []
            self.tally.begin(strategy, total)
        if self.listener is not None:
            self.listener.begin(strategy, total)

    def trial_done(self, record: dict[str, Any]) -> None:
        """One trial finished: keep and count it."""
        with self._lock:
            self.records.append(dict(record))
            self.tally.trial_done(record)
        if self.listener is not None:
            self.listener.trial_done(record)

    def should_stop(self) -> bool:
        """True after :meth:`stop`: the search ends after the current trial."""
        return self._stop.is_set()

    def end(self, note: str = "") -> None:
        """The search ended (``note`` says why when it was stopped)."""
        if self.listener is not None:
            self.listener.end(note)

    # -- what a view shows -------------------------------------------------------
    def partial_result(self, scoring: str | None = None) -> SearchResult:
        """The trials finished so far, as a (partial) SearchResult."""
        with self._lock:
            records = list(self.records)
        return SearchResult(pd.DataFrame(records), scoring=scoring, complete=False)

    def status_text(self, final: str = "") -> str:
        """Where the search is, in plain text: ``"grid | 3/4 trials | best 0.9123 | ..."``."""
        return " | ".join(status_parts(self.tally, final))
