"""Compact progress for a running search: one line, updated in place.

In a notebook the line is a display that updates itself; elsewhere it is a
line on standard error rewritten with a carriage return.  Nothing else is
printed while a search runs.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any, Protocol, TextIO, runtime_checkable

from nbtune.formatting import format_seconds
from nbtune.language import gettext as _

_BAR_WIDTH = 20


@runtime_checkable
class Progress(Protocol):
    """What a search tells about its trials, and asks: the four methods of ``progress=``.

    :class:`SearchProgress` (the one-line display), ``nbtune.lessons.digits.WallClock``
    and the run panel implement it; any object with these methods can be
    passed as ``progress=`` to a search helper.

    Examples
    --------
    >>> class Quiet:
    ...     def begin(self, strategy, total): pass
    ...     def trial_done(self, record): pass
    ...     def should_stop(self): return False
    ...     def end(self, message=""): pass
    >>> isinstance(Quiet(), Progress), isinstance(object(), Progress)
    (True, False)
    """

    def begin(self, strategy: str, total: int) -> None:
        """A search of ``total`` trials starts."""

    def trial_done(self, record: dict[str, Any]) -> None:
        """A trial finished (or failed); ``record`` is its row of the trials table."""

    def should_stop(self) -> bool:
        """Asked between trials: True ends the search, keeping the finished trials."""

    def end(self, message: str = "") -> None:
        """The search ended; ``message`` says why when it was stopped."""


#: The methods of :class:`Progress`, for messages.
PROGRESS_METHODS = ("begin", "trial_done", "should_stop", "end")


def in_notebook() -> bool:
    """True when running inside a Jupyter kernel (where displays update in place)."""
    try:
        from IPython import get_ipython
    except ImportError:  # IPython is a dependency, but stay harmless without it
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def best_text(best: float) -> str:
    """The best score of a progress line: ``"best 0.9123"``, or ``"best -"`` before any.

    Examples
    --------
    >>> best_text(0.91234), best_text(-math.inf)
    ('best 0.9123', 'best -')
    """
    if not math.isfinite(best):
        return _("best -")
    return _("best {score}").format(score=f"{best:.4f}")


def elapsed_text(seconds: float) -> str:
    """The time a search has run, for a progress line: ``"12 s elapsed"``.

    Examples
    --------
    >>> elapsed_text(12)
    '12 s elapsed'
    """
    return _("{elapsed} elapsed").format(elapsed=format_seconds(seconds))


def time_left(seconds: float) -> str:
    """The time a search still needs, for a progress line: ``"~30 s left"``.

    Examples
    --------
    >>> time_left(30)
    '~30 s left'
    """
    return _("~{left} left").format(left=format_seconds(seconds))


class SearchProgress:
    """One progress line per search: trials done, best score, time left.

    This is what ``progress=True`` shows.  A search talks to its progress
    object through four methods, so anything with the same methods (a widget
    panel, a logger) can be passed as ``progress=`` instead:

    - ``begin(strategy, total)`` when a search starts (``total`` may be None);
    - ``trial_done(record)`` after each trial, with the trial's row as a dict
      (``strategy``, ``trial``, hyperparameters, ``score``, ``status``, ...);
    - ``should_stop()`` asked between trials: True ends the search after the
      current trial, keeping every finished one;
    - ``end(note)`` when the search ends.

    Parameters
    ----------
    enabled : bool, default True
        False makes it silent (``progress=False``).
    stream : file-like, optional
        Where the line goes outside a notebook; by default ``sys.stderr``
        (looked up at each write). ``python -m nbtune`` passes ``sys.stdout``.

    Examples
    --------
    >>> from nbtune.display import SearchProgress
    >>> bar = SearchProgress(enabled=False)
    >>> bar.begin("grid", total=2)
    >>> bar.trial_done({"score": 0.9, "status": "ok"})
    >>> bar.trial_done({"score": 0.8, "status": "ok"})
    >>> bar.line()[:29]
    'grid   [####################]'
    >>> from nbtune.language import speaking
    >>> with speaking("ko"):
    ...     bar.line().split(" | ")[0][28:], bar.line().split(" | ")[1]
    ('] 시도 2/2', '최고 0.9000')
    """

    def __init__(self, *, enabled: bool = True, stream: TextIO | None = None):
        self.enabled = enabled
        self.stream = stream
        self.begin("search", None)

    def _write(self, text: str) -> None:
        stream = sys.stderr if self.stream is None else self.stream
        stream.write(text)
        stream.flush()

    def begin(self, strategy: str, total: int | None) -> None:
        """Start a new line for a search of ``total`` trials."""
        self.strategy = strategy
        self.total = total
        self.done = 0
        self.failed = 0
        self.best = -math.inf
        self.started = time.perf_counter()
        self.last_done = self.started  # when the last trial ended (the clock of "left")
        self._handle = None
        self._stream_used = False

    def trial_done(self, record: dict) -> None:
        """Count one finished trial and redraw the line."""
        self.done += 1
        self.last_done = time.perf_counter()
        score = record.get("score")
        if record.get("status") != "ok":
            self.failed += 1
        elif score is not None and math.isfinite(score):
            self.best = max(self.best, score)
        self._show()

    def should_stop(self) -> bool:
        """A progress line never asks to stop (Ctrl-C / the stop button does)."""
        return False

    def line(self) -> str:
        """The progress line as text, in the language spoken (:mod:`nbtune.language`)."""
        elapsed = time.perf_counter() - self.started
        if self.total:
            filled = min(_BAR_WIDTH, round(_BAR_WIDTH * self.done / self.total))
            bar = "[" + "#" * filled + "." * (_BAR_WIDTH - filled) + "]"
            count = _("{done}/{total} trials").format(done=self.done, total=self.total)
            left = (elapsed / self.done) * (self.total - self.done) if self.done else math.inf
            eta = ", " + time_left(left) if self.done < self.total else ""
        else:
            bar, count, eta = "", _("{done} trials").format(done=self.done), ""
        failed = ", " + _("{failed} failed").format(failed=self.failed) if self.failed else ""
        return (
            f"{self.strategy:<6} {bar} {count}{failed} | {best_text(self.best)} | "
            f"{elapsed_text(elapsed)}{eta}"
        )

    def _show(self) -> None:
        if not self.enabled:
            return
        text = self.line()
        if in_notebook():
            from IPython.display import display

            if self._handle is None:
                self._handle = display({"text/plain": text}, raw=True, display_id=True)
            else:
                self._handle.update({"text/plain": text}, raw=True)
        else:
            self._write("\r" + text)
            self._stream_used = True

    def end(self, note: str = "") -> None:
        """Finish the line (adding ``note``, e.g. "stopped early")."""
        if not self.enabled:
            return
        if note:
            text = f"{self.line()} | {note}"
            if self._handle is not None:
                self._handle.update({"text/plain": text}, raw=True)
            elif not in_notebook():
                self._write("\r" + text)
                self._stream_used = True
        if self._stream_used:
            self._write("\n")
