#!/usr/bin/env python
"""Resident memory of a long nbtune search, sampled after every trial.

Runs ``nbtune.random_search`` (or ``--strategy grid``) for ``--trials`` trials on
the digits training split with a progress object (the four methods of
``nbtune.display.SearchProgress``: begin / trial_done / should_stop / end) whose
``trial_done`` samples the process's resident set size with psutil.  Prints one
row per trial and the growth from trial 1 to the last trial.

    /work/venv/bin/python bench/memory_over_trials.py                # 40 trials, ~2-3 min on 2 cores
    /work/venv/bin/python bench/memory_over_trials.py --quick        # 6 trials, smoke run
    /work/venv/bin/python bench/memory_over_trials.py --trials 100 --cv 2

Issue 5's target: resident memory grows by at most 100 MB over 40 trials.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import datetime
import platform
import resource
import time
import warnings

import psutil

warnings.filterwarnings("ignore")

_PROCESS = psutil.Process()


def rss_mb() -> float:
    return _PROCESS.memory_info().rss / 2**20


def build(units=64, activation="relu", dropout_rate=0.2, learning_rate=1e-3):
    import keras

    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(units, activation=activation),
        keras.layers.Dropout(dropout_rate),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class RSSProbe:
    """A progress object for nbtune's searches that samples RSS after each trial."""

    def __init__(self):
        self.rows = []

    def begin(self, strategy, total):
        self.strategy, self.total = strategy, total
        self.started = time.perf_counter()
        self.rss_begin = rss_mb()
        print(f"{'trial':>5} {'RSS MB':>9} {'vs trial 1':>11} {'seconds':>8} {'score':>7}  status", flush=True)

    def trial_done(self, record):
        rss = rss_mb()
        first = self.rows[0]["rss"] if self.rows else rss
        row = {"trial": len(self.rows) + 1, "rss": rss, "seconds": record.get("seconds", float("nan")),
               "score": record.get("score", float("nan")), "status": record.get("status")}
        self.rows.append(row)
        print(f"{row['trial']:5d} {rss:9.1f} {rss - first:+11.1f} {row['seconds']:8.2f} "
              f"{row['score']:7.4f}  {row['status']}", flush=True)

    def should_stop(self):
        return False

    def end(self, note=""):
        self.seconds = time.perf_counter() - self.started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, help="number of trials (default 40; 6 with --quick)")
    parser.add_argument("--strategy", choices=("random", "grid"), default="random")
    parser.add_argument("--cv", type=int, help="folds per trial (default 3; 2 with --quick)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    trials = args.trials or (6 if args.quick else 40)
    cv = args.cv or (2 if args.quick else 3)

    rss_start = rss_mb()
    started = time.perf_counter()
    import keras  # noqa: F401

    import nbtune
    from nbtune import Choice, Float, Int, SearchSpace, data

    X, y = data.load_digits().train
    print(f"# resident memory over a {trials}-trial nbtune {args.strategy} search "
          f"({'quick' if args.quick else 'full'} run)")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}, keras {keras.__version__}")
    print(f"# {trials} trials x {cv} folds x {args.epochs} epochs on digits train {X.shape}")
    print(f"# RSS at start {rss_start:.1f} MB; after importing keras + nbtune "
          f"({time.perf_counter() - started:.1f} s): {rss_mb():.1f} MB", flush=True)

    probe = RSSProbe()
    if args.strategy == "random":
        space = SearchSpace(
            Int("units", 16, 256, step=16),
            Choice("batch_size", [32, 64, 128]),
            Choice("activation", ["relu", "tanh"]),
            Float("dropout_rate", 0.0, 0.5),
            Float("learning_rate", 1e-4, 1e-2, log=True),
        )
        nbtune.random_search(build, space, X, y, n_iter=trials, cv=cv, epochs=args.epochs,
                             random_state=0, progress=probe)
    else:  # one configuration per trial: a grid of `trials` hidden-layer sizes
        space = SearchSpace(Choice("units", [8 * (i + 1) for i in range(trials)]))
        nbtune.grid_search(build, space, X, y, cv=cv, epochs=args.epochs, random_state=0,
                           progress=probe)

    rows = probe.rows
    growth = rows[-1]["rss"] - rows[0]["rss"]
    half = rows[len(rows) // 2:]
    slope = ((half[-1]["rss"] - half[0]["rss"]) / (len(half) - 1)) if len(half) > 1 else float("nan")
    print()
    print(f"RSS before the search {probe.rss_begin:.1f} MB; after trial 1 {rows[0]['rss']:.1f} MB; "
          f"after trial {len(rows)} {rows[-1]['rss']:.1f} MB; highest {max(r['rss'] for r in rows):.1f} MB")
    print(f"growth trial 1 -> trial {len(rows)}: {growth:+.1f} MB "
          f"({growth / max(len(rows) - 1, 1):+.2f} MB per trial; second half {slope:+.2f} MB per trial)")
    print("issue 5 target: <= 100 MB over 40 trials"
          + ("" if len(rows) == 40 else f" (this run has {len(rows)} trials)"))
    print(f"peak RSS of the process (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB; "
          f"search wall time {probe.seconds:.1f} s")


if __name__ == "__main__":
    main()
