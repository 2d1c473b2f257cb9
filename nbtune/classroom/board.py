"""The class's board: who is in, which trials run, how many are done, the best so far.

:class:`Board` reads a snapshot (:meth:`nbtune.classroom.shared_oracle.SharedOracle.snapshot`)
and shows it as plain text (a terminal, ``print(room.board)``) or as an
ipywidgets view for the projector that refreshes itself every second from a
background thread, so the notebook's cells stay free. Its words are in the
language spoken (:mod:`nbtune.language`).

Examples
--------
>>> snapshot = {"strategy": "hyperband", "total": 6, "done": 1, "failed": 0, "queued": [],
...             "running": [{"trial": 1, "student": "bob", "seconds": 2.0}], "lease": 60,
...             "best": {"score": 0.9123, "trial": 0, "student": "ann", "params": {"units": 8}},
...             "students": [{"name": "ann", "state": "waiting", "trial": None, "done": 1,
...                           "failed": 0, "silent": 0.0},
...                          {"name": "bob", "state": "training", "trial": 1, "done": 0,
...                           "failed": 0, "silent": 0.0}],
...             "finished": False, "closing": False}
>>> print(Board(lambda: snapshot, join_line='nbtune.join_class("127.0.0.1:8470", ...)').text())
Class search: Hyperband | 1 of 6 trials done, 1 running
Best so far: 0.9123 (units=8), trial 0 by ann
Join with: nbtune.join_class("127.0.0.1:8470", ...)
student  state             done  failed
ann      waiting              1       0
bob      training trial 1     0       0
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import Any

from nbtune.formatting import format_value, padded, text_width
from nbtune.language import gettext as _
from nbtune.search import strategies


class Board:
    """A live view of a class: text for terminals, a refreshing widget for notebooks.

    Parameters
    ----------
    snapshot : callable
        Returns the class's state as a dict (:meth:`SharedOracle.snapshot
        <nbtune.classroom.shared_oracle.SharedOracle.snapshot>`).
    join_line : str, default ""
        The line students copy to join.
    every : float, default 1.0
        Seconds between two refreshes of the widget.
    """

    def __init__(self, snapshot: Callable[[], dict[str, Any]], *, join_line: str = "",
                 every: float = 1.0) -> None:
        self._snapshot, self.join_line, self.every = snapshot, join_line, every
        self._widget: Any = None
        self._closed = threading.Event()

    # ------------------------------------------------------------ words
    def lines(self) -> list[str]:
        """The board's head: the search and its counts, the best so far, the join line."""
        state = self._snapshot()
        label = strategies.get(state["strategy"]).label if state.get("strategy") else ""
        counts = [_("{done} of {total} trials done").format(done=state["done"],
                                                            total=state["total"])]
        if state["failed"]:
            counts.append(_("{failed} failed").format(failed=state["failed"]))
        if state["running"]:
            counts.append(_("{count} running").format(count=len(state["running"])))
        if state["queued"]:
            counts.append(_("{count} back in the queue").format(count=len(state["queued"])))
        if state["finished"]:
            counts.append(_("finished"))
        elif state["closing"]:
            counts.append(_("stopped"))
        lines = [_("Class search: {strategy}").format(strategy=label) + " | " + ", ".join(counts)]
        best = state["best"]
        if best is None:
            lines.append(_("No trial has finished yet"))
        else:
            params = ", ".join(f"{k}={format_value(v)}" for k, v in best["params"].items())
            lines.append(_("Best so far: {score} ({params}), trial {trial} by {student}").format(
                score=f"{best['score']:.4f}", params=params, trial=best["trial"],
                student=best["student"]))
        if self.join_line and not state["finished"]:
            lines.append(_("Join with:") + " " + self.join_line)
        return lines

    def rows(self) -> list[tuple[str, str, int, int]]:
        """One row per student: name, what they do now, trials done, trials failed."""
        return [(s["name"], _state_text(s), s["done"], s["failed"])
                for s in self._snapshot()["students"]]

    def text(self) -> str:
        """The board as plain text."""
        rows = self.rows()
        if not rows:
            return "\n".join([*self.lines(), _("No student has joined yet")])
        head = (_("student"), _("state"), _("done"), _("failed"))
        cells = [[str(value) for value in row] for row in [head, *rows]]
        width = [max(text_width(row[i]) for row in cells) for i in range(4)]
        # columns by terminal width: a Hangul name or heading takes two columns a character
        table = ["  ".join(padded(cell, width[i], right=i >= 2) for i, cell in enumerate(row))
                 for row in cells]
        return "\n".join([*self.lines(), *(line.rstrip() for line in table)])

    def html(self) -> str:
        """The board as HTML, large enough for a projector."""
        lines = [html.escape(line) for line in self.lines()]
        head = "".join(f"<th style='text-align:left;padding:2px 12px'>{html.escape(h)}</th>"
                       for h in (_("student"), _("state"), _("done"), _("failed")))
        body = "".join("<tr>" + "".join(f"<td style='padding:2px 12px'>{html.escape(str(v))}</td>"
                                        for v in row) + "</tr>" for row in self.rows())
        return ("<div style='font-size:1.3em;line-height:1.5'>"
                f"<b>{lines[0]}</b><br>{'<br>'.join(lines[1:])}"
                f"<table style='margin-top:8px'><tr>{head}</tr>{body}</table></div>")

    def __repr__(self) -> str:
        return self.text()

    # ------------------------------------------------------------ the widget
    def widget(self) -> Any:
        """An ipywidgets HTML view of the board that refreshes itself until :meth:`close`."""
        if self._widget is None:
            import ipywidgets

            self._widget = ipywidgets.HTML(self.html())
            threading.Thread(target=self._refresh_until_closed, name="nbtune-class-board",
                             daemon=True).start()
        return self._widget

    def refresh(self) -> None:
        """Redraw the widget now."""
        if self._widget is not None:
            self._widget.value = self.html()

    def _refresh_until_closed(self) -> None:
        while not self._closed.wait(self.every):
            try:
                self.refresh()
            except Exception:  # a board is never worth an error in the instructor's notebook
                continue

    def close(self) -> None:
        """Stop refreshing, after one last redraw."""
        self._closed.set()
        self.refresh()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())


def _state_text(student: dict[str, Any]) -> str:
    """What a student is doing, in words: training trial 3, waiting, silent for 75 s, left."""
    if student["state"] == "left":
        text = _("left")
    elif student["state"] == "training":
        text = _("training trial {trial}").format(trial=student["trial"])
    else:
        text = _("waiting")
    if student["silent"] and student["state"] != "left":
        text += " (" + _("silent for {seconds:.0f} s").format(seconds=student["silent"]) + ")"
    return text
