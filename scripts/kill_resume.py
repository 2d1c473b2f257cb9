#!/usr/bin/env python
"""Kill searches with SIGKILL at random points, resume them, compare with an uninterrupted run.

For each strategy (grid, random, Hyperband) the script runs the search once
without interruption, then ``--kills`` times: starts it in a fresh process with
``directory=``, kills that process (SIGKILL, as a crashed kernel) at a random
moment, resumes it with ``resume=True`` (killing the resume too, at random, on
every other try), and checks that the finished trial set (configurations,
scores, statuses) equals the uninterrupted one. It prints one line per try and
exits non-zero if any differs.

    python scripts/kill_resume.py                 # 5 kills per strategy, ~6 min on 2 cores
    python scripts/kill_resume.py --kills 2 --strategies grid
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

SEARCH = textwrap.dedent("""
    import json, sys
    from nbtune.backend import quiet_tensorflow
    quiet_tensorflow()
    import keras
    import nbtune
    from nbtune import Choice, Float, SearchSpace, data

    def build(units=8, learning_rate=0.01):
        model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy")
        return model

    strategy, directory, resume = sys.argv[1], sys.argv[2] or None, sys.argv[3] == "1"
    cancer = data.load_breast_cancer()
    X, y = cancer.X_train[:200], cancer.y_train[:200]
    space = SearchSpace(Choice("units", [4, 8, 16]), Float("learning_rate", 1e-3, 1e-1, log=True))
    common = dict(progress=False, directory=directory, resume=resume)
    if strategy == "grid":
        result = nbtune.grid_search(build, space, X, y, cv=2, epochs=2, points=3, **common)
    elif strategy == "random":
        result = nbtune.random_search(build, space, X, y, cv=2, epochs=2, n_iter=8, **common)
    else:
        result = nbtune.hyperband(build, space, X, y, validation_data=cancer.validation,
                                  max_epochs=9, **common)
    rows = result.trials[["trial", "units", "learning_rate", "score", "status"]]
    print(json.dumps(rows.round(6).to_dict("records")))
""")


def run(script: Path, strategy: str, directory: str, resume: bool, kill_after: float | None):
    """Run the search in a fresh process; kill it after ``kill_after`` s. Its table, or None."""
    process = subprocess.Popen([sys.executable, str(script), strategy, directory, str(int(resume))],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if kill_after is not None:
        time.sleep(kill_after)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return None
    out, err = process.communicate()
    if process.returncode:
        raise RuntimeError(f"{strategy} search failed:\n{err}")
    return json.loads(out.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--strategies", nargs="+", default=["grid", "random", "hyperband"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="nbtune-kill-"))
    script = folder / "search.py"
    script.write_text(SEARCH)
    failures = 0
    for strategy in args.strategies:
        started = time.perf_counter()
        full = run(script, strategy, "", False, None)
        seconds = time.perf_counter() - started
        for attempt in range(args.kills):
            directory = str(folder / f"{strategy}-{attempt}")
            # between TensorFlow's start-up (a third of the run, roughly) and the end
            kill_at = rng.uniform(0.35, 0.9) * seconds
            killed = run(script, strategy, directory, False, kill_at) is None
            log = Path(directory) / strategy / "trials.jsonl"
            kept = len(log.read_text().splitlines()) if log.exists() else 0
            if attempt % 2:  # kill the resume too, then resume again
                run(script, strategy, directory, True, rng.uniform(0.35, 0.9) * seconds)
            resumed = run(script, strategy, directory, True, None)
            same = resumed == full
            failures += not same
            what = "killed" if killed else "finished before the kill"
            print(f"{strategy:9} try {attempt}: {what} at {kill_at:4.1f} s with {kept:2} trials "
                  f"logged{', resume killed too' if attempt % 2 else ''}; resumed: "
                  f"{len(resumed)} trials, {'the same as uninterrupted' if same else 'DIFFERENT'}",
                  flush=True)
    print(f"{failures} of {args.kills * len(args.strategies)} resumed runs differ "
          f"(machine: {os.cpu_count()} cores)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
