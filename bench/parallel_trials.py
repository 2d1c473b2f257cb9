#!/usr/bin/env python
"""Trials in worker processes (``n_jobs``): the time they save and the memory they cost.

For each ``n_jobs`` value (default: None, i.e. in-process, then 2), a fresh Python
process runs the same ``nbtune.random_search`` twice: the first run pays for
starting the worker processes (each imports TensorFlow), the second reuses them,
as a second search in a notebook would. A thread samples the resident memory of
the process and all its children every 0.1 s, so the peak is that of the whole
process tree, which is what a 2 GB Binder machine must hold.

    python bench/parallel_trials.py                 # about 2 minutes on 2 cores
    python bench/parallel_trials.py --quick         # smoke run
    python bench/parallel_trials.py --n-jobs None 2 4 --trials 16

Prints per setting: both searches' wall times, the peak memory of the process
tree and the number of processes, the speed-up against in-process trials (the
second search: warm workers), and whether every setting found the same scores.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import datetime
import json
import platform
import subprocess
import sys
import threading
import time

MARK = "BENCH_RESULT "


def build(units=16, learning_rate=1e-3):
    """A one-hidden-layer model for the digits."""
    import keras

    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class TreeMemory:
    """Peak resident memory (MB) of this process and its children, sampled in a thread."""

    def __init__(self, interval: float = 0.1) -> None:
        import psutil

        self.process, self.interval = psutil.Process(), interval
        self.peak_mb, self.peak_processes = 0.0, 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            processes = [self.process, *self.process.children(recursive=True)]
            total = 0
            for process in processes:
                try:
                    total += process.memory_info().rss
                except psutil.Error:  # a worker that just ended
                    pass
            if total / 2**20 > self.peak_mb:
                self.peak_mb, self.peak_processes = total / 2**20, len(processes)
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def child(n_jobs: int | None, trials: int, epochs: int) -> None:
    """One setting, in this (fresh) process: two identical searches."""
    memory = TreeMemory()
    import nbtune
    from nbtune import Choice, Int, SearchSpace, data

    X, y = data.load_digits().train
    space = SearchSpace(Int("units", 8, 256), Choice("learning_rate", [1e-2, 3e-3, 1e-3]))
    times, scores = [], None
    for _ in range(2):
        started = time.perf_counter()
        result = nbtune.random_search(build, space, X, y, n_iter=trials, cv=3, epochs=epochs,
                                      random_state=0, n_jobs=n_jobs, progress=False)
        times.append(time.perf_counter() - started)
        scores = [round(float(s), 6) for s in result.trials["score"]]
    memory.stop()
    print(MARK + json.dumps({"n_jobs": n_jobs, "first": times[0], "second": times[1],
                             "peak_mb": memory.peak_mb, "processes": memory.peak_processes,
                             "scores": scores}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-jobs", nargs="+", default=["None", "2"],
                        help="settings to compare (default: None 2)")
    parser.add_argument("--trials", type=int, help="configurations per search (default 12; 4 with --quick)")
    parser.add_argument("--epochs", type=int, help="epochs per fit (default 3; 1 with --quick)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    trials = args.trials or (4 if args.quick else 12)
    epochs = args.epochs or (1 if args.quick else 3)
    if args.child is not None:
        child(None if args.child == "None" else int(args.child), trials, epochs)
        return

    import keras
    import psutil  # noqa: F401 -- fail early if the bench extra is missing

    print(f"# nbtune random_search, n_jobs settings {args.n_jobs}: {trials} configurations x 3 "
          f"folds x {epochs} epochs on the digits, each setting in a fresh process, two searches each")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}, keras {keras.__version__}")
    rows = []
    for setting in args.n_jobs:
        command = [sys.executable, __file__, "--child", setting, "--trials", str(trials),
                   "--epochs", str(epochs)]
        out = subprocess.run(command, capture_output=True, text=True, check=False)
        lines = [line for line in out.stdout.splitlines() if line.startswith(MARK)]
        if out.returncode or not lines:
            print(f"n_jobs={setting}: failed (exit {out.returncode})\n{out.stderr[-2000:]}")
            continue
        rows.append(json.loads(lines[-1][len(MARK):]))
        row = rows[-1]
        print(f"  n_jobs={setting}: first {row['first']:.1f} s, second {row['second']:.1f} s, "
              f"peak {row['peak_mb']:.0f} MB in {row['processes']} processes", flush=True)
    if not rows:
        return
    serial = next((r for r in rows if r["n_jobs"] in (None, 1)), rows[0])
    print()
    print(f"{'n_jobs':>8}{'first (s)':>11}{'second (s)':>12}{'speed-up':>10}{'peak MB':>9}"
          f"{'+MB':>7}{'processes':>11}")
    for row in rows:
        print(f"{str(row['n_jobs']):>8}{row['first']:11.1f}{row['second']:12.1f}"
              f"{serial['second'] / row['second']:9.2f}x{row['peak_mb']:9.0f}"
              f"{row['peak_mb'] - serial['peak_mb']:+7.0f}{row['processes']:11d}")
    same = all(r["scores"] == serial["scores"] for r in rows)
    print("speed-up: in-process second search / this setting's second search (workers already "
          "started); +MB: peak memory of the process tree above in-process trials")
    print(f"same scores for every setting: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
