"""Ctrl-C at many points of ``python -m nbtune compare``: every finished trial kept, exit 130.

One process imports TensorFlow once and runs ``nbtune.cli.main(["compare", "--fast", ...])``
again and again, each time sending itself SIGINT at another point: at the start
of a chosen event (the warm-up's fit, a trial's fit, a finalizer run by garbage
collection, the recording of a trial, a winner's refit, the writing of a table,
a plot) or after a delay spread over the run. After each run it checks that

- ``main`` returned 130 and printed one line on stderr (no traceback, no
  "Exception ignored");
- ``trials.csv`` holds exactly the trials the search reported finished
  (``SearchProgress.trial_done``), and nothing when none had;
- the process can go on: the SIGINT handler, ``sys.unraisablehook`` and garbage
  collection are as before the run.

A last uninterrupted run must give the first run's trials. Usage::

    python scripts/interrupt_compare.py            # 26 points of a 3-strategy run
    python scripts/interrupt_compare.py --quick    # 7 points of a 2-trial run: what
                                                   # tests/test_interrupts.py runs

It prints one line per point and, last, a JSON summary line; exit code 1 if a
point failed. A timed point the run ended before is reported as a miss, not counted.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ARGS = ["compare", "--fast", "--quiet", "--dataset", "breast_cancer"]
QUICK_ARGS = [*ARGS, "--strategies", "random", "--n-iter", "2", "--epochs", "1"]  # 2 trials

#: (event, which occurrence, seconds after it): the n-th (n >= 1), or counted from the end
#: (n < 0), or "after:EVENT" the first one after the first EVENT, of an uninterrupted run
EVENT_POINTS = [
    ("fit", 1, 0),  # the warm-up's fit
    ("fit", 2, 0),  # the first trial's fit
    ("fit", 4, 0),
    ("fit", -1, 0),  # the last winner's refit
    ("finalizer", 1, 0),  # a finalizer of garbage collection, where Python drops an exception
    ("finalizer", 3, 0),
    ("finalizer", -1, 0),
    ("begin", 3, 0),  # random search starts (begin 1 is the progress line's own, 2 grid's)
    ("trial_done", 1, 0),  # a trial is being recorded
    ("trial_done", 5, 0),
    ("trial_done", -1, 0),
    ("end", 1, 0),  # grid search has ended, its result is being made
    ("refit", 1, 0),  # grid's winner is retrained for the test score
    ("refit", 2, 0),
    ("score", "after:refit", 0),  # grid's winner is scored on the test data
    ("write", 1, 0),  # grid's trials.csv is being written
    ("write", 3, 0),
    ("plot", 1, 0),  # the first plot is being drawn
    ("plot", -1, 0),
]
TIMED_FRACTIONS = [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]  # of the uninterrupted run's seconds
#: --quick: 7 points of the 2-trial run, named without an uninterrupted run first
QUICK_POINTS = [("fit", 1, 0), ("finalizer", 1, 0), ("trial_done", 2, 0),
                ("score", 3, 0),  # the winner's test score (the trials' scores are 1 and 2)
                ("write", 1, 0), ("plot", 1, 0),
                ("trial_done", 1, 0.2)]  # while the second trial trains


class Events:
    """Counts the events of a run, keeps the trials reported finished, and sends SIGINT at one."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.armed: tuple[str, int, float] | None = None
        self.fired = False  # SIGINT was sent
        self.timer: threading.Timer | None = None
        self.reported: list[tuple[str, int]] = []
        self.sequence: list[str] = []

    def hit(self, name: str) -> None:
        self.counts[name] += 1
        self.sequence.append(name)
        if self.armed is None or self.armed[:2] != (name, self.counts[name]) or self.timer:
            return
        if self.armed[2]:
            self.timer = threading.Timer(self.armed[2], self.send)
            self.timer.start()
        else:
            self.send()  # handled here, at the next bytecode

    def send(self) -> None:
        self.fired = True
        os.kill(os.getpid(), signal.SIGINT)

    def disarm(self) -> None:
        """No SIGINT from now on (a timer that has not fired yet is cancelled)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer.join()
        self.armed = None

    def reset(self, armed: tuple[str, int, float] | None = None) -> None:
        self.disarm()
        self.timer = None
        self.counts.clear()
        self.armed, self.fired, self.timer = armed, False, None
        self.reported, self.sequence = [], []

    def occurrence(self, name: str, n: int | str) -> int:
        """Which occurrence of ``name`` a point means, in the run just made (see EVENT_POINTS)."""
        if isinstance(n, str):
            first = self.sequence.index(n.removeprefix("after:"))
            return self.sequence[:first].count(name) + 1
        return n if n > 0 else self.counts[name] + 1 + n


def install(events: Events) -> None:
    """Wrap the functions whose start is an event."""
    import keras
    from matplotlib.figure import Figure

    from nbtune.display import SearchProgress
    from nbtune.search.results import SearchResult
    from nbtune.training import engine
    from nbtune.training.estimator import KerasClassifier

    def wrap(owner, name, event, before=None):
        original = getattr(owner, name)

        def wrapped(*args, **kwargs):
            if before is not None:
                before(*args, **kwargs)
            events.hit(event)
            return original(*args, **kwargs)

        setattr(owner, name, wrapped)

    def report(progress, record):
        events.reported.append((record["strategy"], int(record["trial"])))

    wrap(keras.Model, "fit", "fit")
    wrap(engine, "_forget", "finalizer")  # what weakref.finalize calls when a model is collected
    wrap(SearchProgress, "begin", "begin")
    wrap(SearchProgress, "trial_done", "trial_done", before=report)
    wrap(SearchProgress, "end", "end")
    wrap(SearchResult, "refit_best", "refit")
    wrap(KerasClassifier, "score", "score")
    wrap(SearchResult, "to_csv", "write")
    wrap(Figure, "savefig", "plot")


def run(folder: Path, args: list[str], events: Events) -> tuple[int, str, float]:
    """``main(args --out folder)``: its exit code, what it wrote on stderr, and its seconds."""
    from nbtune.cli import main

    stderr = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        events.hit("start")
        code = main([*args, "--out", str(folder)])
    seconds = time.perf_counter() - started
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a timer firing just now: ignored
    events.disarm()
    signal.signal(signal.SIGINT, handler)  # as main() left it (problems() checks it)
    return code, stderr.getvalue(), seconds


def problems(events: Events, folder: Path, code: int, stderr: str) -> list[str]:
    """What is wrong after an interrupted run (nothing: an empty list)."""
    found = []
    if code != 130:
        found.append(f"exit code {code}, not 130")
    lines = stderr.strip().splitlines()
    if len(lines) != 1 or not lines[0].startswith("stopped"):
        found.append(f"stderr is not one 'stopped' line: {stderr.strip()[-400:]!r}")
    trials = folder / "trials.csv"
    if trials.exists():
        import pandas as pd

        table = pd.read_csv(trials)
        kept = sorted(zip(table["strategy"], table["trial"].astype(int)))
    else:
        kept = []
    if kept != sorted(events.reported):
        found.append(f"trials.csv holds {kept}, the search reported {sorted(events.reported)}")
    if kept and f"kept {len(kept)} finished trial" not in stderr:
        found.append(f"the line does not say {len(kept)} trials were kept: {stderr.strip()!r}")
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        found.append("the SIGINT handler was not restored")
    if sys.unraisablehook is not sys.__unraisablehook__:
        found.append("sys.unraisablehook was not restored")
    if gc.get_freeze_count() or not gc.isenabled():
        found.append(f"garbage collection left frozen ({gc.get_freeze_count()} objects) or off")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a sample of the points")
    options = parser.parse_args()
    from nbtune.backend import quiet_tensorflow

    quiet_tensorflow()
    import nbtune.cli  # noqa: F401  (TensorFlow and nbtune load once, before any point)

    events = Events()
    install(events)
    root = Path(tempfile.mkdtemp(prefix="interrupt-compare-"))
    if options.quick:
        args, points, baseline = QUICK_ARGS, QUICK_POINTS, None
    else:
        args = ARGS
        run(root / "warm", args, events)  # the first run in a process pays TensorFlow's start-up
        events.reset()
        code, stderr, seconds = run(root / "baseline", args, events)
        baseline = sorted(events.reported)
        assert code == 0 and not stderr.strip(), (code, stderr)
        print(f"uninterrupted: {len(baseline)} trials in {seconds:.1f} s; "
              f"events {dict(events.counts)}", flush=True)
        points = [(name, events.occurrence(name, n), delay) for name, n, delay in EVENT_POINTS]
        points += [("start", 1, round(f * seconds, 1)) for f in TIMED_FRACTIONS]

    outcomes = []
    started = time.perf_counter()
    for number, point in enumerate(points):
        name, n, delay = point
        label = f"{name} #{n}" + (f" + {delay} s" if delay else "")
        folder = root / f"point-{number}"
        events.reset(point)
        code, stderr, took = run(folder, args, events)
        if not events.fired:  # a timed point after the end of a faster run: not a point
            print(f"miss {label:<22} the run ended after {took:.1f} s, before it", flush=True)
            continue
        found = problems(events, folder, code, stderr)
        outcomes.append({"point": label, "ok": not found, "trials_kept": len(events.reported),
                         "seconds": round(took, 2), "problems": found})
        print(f"{'ok  ' if not found else 'FAIL'} {label:<22} kept {len(events.reported):>2} "
              f"trials, {took:5.1f} s  {'; '.join(found)}  {stderr.strip()}", flush=True)

    again_ok = True  # --quick: the points after the first show that the process goes on
    if baseline is not None:
        events.reset()
        code, stderr, _ = run(root / "again", args, events)
        again_ok = code == 0 and sorted(events.reported) == baseline and not stderr.strip()
        print(f"{'ok  ' if again_ok else 'FAIL'} an uninterrupted run after them: exit {code}, "
              f"{len(events.reported)} trials", flush=True)
    summary = {"points": len(outcomes), "ok": sum(o["ok"] for o in outcomes),
               "missed": len(points) - len(outcomes),
               "again_ok": again_ok, "seconds": round(time.perf_counter() - started, 1),
               "failed": [o for o in outcomes if not o["ok"]]}
    print(json.dumps(summary))
    return 0 if summary["ok"] == summary["points"] and again_ok else 1


if __name__ == "__main__":
    sys.exit(main())
