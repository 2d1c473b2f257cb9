"""Compact progress for a running search: one line, updated in place.

In a notebook the line is a display that updates itself; elsewhere it is a
line on standard error rewritten with a carriage return.  Nothing else is
printed while a search runs.
"""

from __future__ import annotations

import math
import sys
import time

__all__ = ["SearchProgress", "in_notebook"]

_BAR_WIDTH = 20


def in_notebook() -> bool:
    """True when running inside a Jupyter kernel (where displays update in place)."""
    try:
        from IPython import get_ipython
    except ImportError:  # IPython is a dependency, but stay harmless without it
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def _format_seconds(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s"


class SearchProgress:
    """One progress line for a search: trials done, best score, time left.

    Parameters
    ----------
    strategy : str
        Name shown at the start of the line ("grid", "random", ...).
    total : int or None
        Number of trials expected, if known.
    enabled : bool, default True
        False makes every method a no-op (``progress=False`` in the helpers).

    Examples
    --------
    >>> from nbtune.display import SearchProgress
    >>> bar = SearchProgress("grid", total=2, enabled=False)
    >>> bar.update(score=0.9, ok=True); bar.update(score=0.8, ok=True)
    >>> bar.line()[:29]
    'grid   [####################]'
    """

    def __init__(self, strategy: str, total: int | None, *, enabled: bool = True):
        self.strategy = strategy
        self.total = total
        self.enabled = enabled
        self.done = 0
        self.failed = 0
        self.best = -math.inf
        self.started = time.perf_counter()
        self._handle = None
        self._stream_used = False

    def update(self, *, score: float | None, ok: bool) -> None:
        """Record one finished trial and redraw the line."""
        self.done += 1
        if not ok:
            self.failed += 1
        elif score is not None and math.isfinite(score):
            self.best = max(self.best, score)
        self._show()

    def line(self) -> str:
        """The progress line as text."""
        elapsed = time.perf_counter() - self.started
        if self.total:
            filled = min(_BAR_WIDTH, round(_BAR_WIDTH * self.done / self.total))
            bar = "[" + "#" * filled + "." * (_BAR_WIDTH - filled) + "]"
            count = f"{self.done}/{self.total} trials"
            left = (elapsed / self.done) * (self.total - self.done) if self.done else math.inf
            eta = f", ~{_format_seconds(left)} left" if self.done < self.total else ""
        else:
            bar, count, eta = "", f"{self.done} trials", ""
        best = f"best {self.best:.4f}" if math.isfinite(self.best) else "best -"
        failed = f", {self.failed} failed" if self.failed else ""
        return (
            f"{self.strategy:<6} {bar} {count}{failed} | {best} | "
            f"{_format_seconds(elapsed)} elapsed{eta}"
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
            sys.stderr.write("\r" + text)
            sys.stderr.flush()
            self._stream_used = True

    def close(self, note: str = "") -> None:
        """Finish the line (adding ``note``, e.g. "stopped early")."""
        if not self.enabled:
            return
        if note:
            text = f"{self.line()} | {note}"
            if self._handle is not None:
                self._handle.update({"text/plain": text}, raw=True)
            elif not in_notebook():
                sys.stderr.write("\r" + text)
                self._stream_used = True
        if self._stream_used:
            sys.stderr.write("\n")
            sys.stderr.flush()
