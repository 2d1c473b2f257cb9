#!/usr/bin/env python
"""A class on one search: wall time of one Hyperband search with 1, 2 and 3 students' kernels.

The search: breast cancer, the one-hidden-layer model and space of
``tests/classroom_worker.py`` (the students' kernel the tests use), Hyperband
with ``max_epochs=9, factor=3`` (23 trials). It runs in this process
(``nbtune.hyperband``), then as a class served here (``nbtune.serve_class`` on
127.0.0.1) and joined by 1, 2 and 3 kernels, each its own Python process,
started and warm before anything is timed (TensorFlow's import is not in the
times). Each setting runs ``--rounds`` times; medians are printed, with whether
every class run had the trials (configurations, epochs, scores to the last bit)
of the one-process run. Prints figures only; nothing is asserted.

    python bench/class_search.py               # about 3 minutes on 2 cores
    python bench/class_search.py --rounds 1    # smoke run
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import datetime
import json
import platform
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
TOKEN = "bench-1"
COLUMNS = ["units", "learning_rate", "train_epochs", "score"]


def start_kernels(count: int) -> list[subprocess.Popen]:
    """Students' kernels (tests/classroom_worker.py), each ready to join a class."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS)])}
    kernels = [subprocess.Popen([sys.executable, "-u", str(TESTS / "classroom_worker.py")],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True, env=env)
               for _ in range(count)]
    for kernel in kernels:
        assert json.loads(kernel.stdout.readline()) == {"ready": True}
    return kernels


def class_run(nbtune, space, kernels) -> tuple[float, list]:
    """One class search joined by ``kernels``: its wall time and its trials."""
    room = nbtune.serve_class("hyperband", space, max_epochs=9, address="127.0.0.1:0",
                              token=TOKEN, directory=None, show=False)
    try:
        started = time.perf_counter()
        for i, kernel in enumerate(kernels):
            kernel.stdin.write(json.dumps({"address": room.address, "name": f"student{i}",
                                           "token": TOKEN}) + "\n")
            kernel.stdin.flush()
        for kernel in kernels:
            json.loads(kernel.stdout.readline())
        seconds = time.perf_counter() - started
        return seconds, sorted(map(tuple, room.trials[COLUMNS].values.tolist()))
    finally:
        room.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each setting (default 3)")
    parser.add_argument("--students", type=int, default=3, help="at most this many kernels")
    args = parser.parse_args()
    sys.path.insert(0, str(TESTS))
    warnings.simplefilter("ignore")
    import keras
    from classroom_worker import build, space

    import nbtune

    print(f"# Hyperband (max_epochs=9, factor=3) on breast cancer, one process against a class "
          f"of 1..{args.students} kernels on 127.0.0.1; medians of {args.rounds} rounds")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}, keras {keras.__version__}")
    kernels = start_kernels(args.students)
    cancer = nbtune.data.load_breast_cancer()
    times: dict[str, list[float]] = {}
    same: dict[str, bool] = {}
    try:
        for _ in range(args.rounds):
            started = time.perf_counter()
            one = nbtune.hyperband(build, space(), *cancer.train,
                                   validation_data=cancer.validation, max_epochs=9,
                                   progress=False)
            times.setdefault("one process", []).append(time.perf_counter() - started)
            reference = sorted(map(tuple, one.trials[COLUMNS].values.tolist()))
            for count in range(1, args.students + 1):
                seconds, trials = class_run(nbtune, space(), kernels[:count])
                name = f"{count} student{'s' if count > 1 else ''}"
                times.setdefault(name, []).append(seconds)
                same[name] = same.get(name, True) and trials == reference
    finally:
        for kernel in kernels:
            kernel.kill()
    base = statistics.median(times["one process"])
    print(f"\n{'setting':<14}{'median (s)':>11}{'runs (s)':>22}{'vs one':>8}  same trials")
    for name, values in times.items():
        runs = " ".join(f"{v:.1f}" for v in values)
        median = statistics.median(values)
        print(f"{name:<14}{median:11.1f}{runs:>22}{base / median:7.2f}x  "
              f"{'-' if name == 'one process' else ('yes' if same[name] else 'NO')}")
    print("vs one: the one-process median / this setting's (above 1: faster). Every kernel "
          "shares this machine's cores.")


if __name__ == "__main__":
    main()
