#!/usr/bin/env python
"""What a space of 10**9 configurations costs to count, summarise and refuse.

Target (issue 23): a search or the space editor given a space of 10**9
configurations answers within a second and allocates almost nothing, because
sizes and costs are arithmetic (the dimensions' counts multiplied), never a
grid built.

Two spaces of 10**9 configurations: *three dimensions* of 1,000 values each
(units, batch size, dropout with a step) and *one dimension* of 10**9 integers
(``Int("units", 1, 10**9)``, a legitimate range for random search). For each it
times ``space.size``, ``grid_cost(space)``, a ``SpaceEditor`` made on it with its
summary read, and ``nbtune.grid_search(...)`` refused by its plan limit (on 60
rows of the breast cancer data; nothing is built or trained). It prints, per
call, the median seconds of ``--repeats`` calls (after one uncounted call that
pays the imports), the peak memory traced by tracemalloc, and the growth of the
process's resident memory (RSS) over all calls; nothing is asserted.

    python bench/big_space.py
    python bench/big_space.py --quick      # 2 repeats
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import nbtune  # noqa: E402
from nbtune import Float, Int, SearchSpace, SpaceEditor  # noqa: E402
from nbtune.search.cost import grid_cost  # noqa: E402

SPACES = {
    "three dimensions": SearchSpace(Int("units", 1, 1000), Int("batch_size", 1, 1000),
                                    Float("dropout_rate", 0.0, 0.999, step=0.001)),
    "one dimension": SearchSpace(Int("units", 1, 10**9)),
}


def build(units=4, batch_size=32, dropout_rate=0.0):
    """Never called: the grid search is refused before it builds a model."""
    raise AssertionError("a model was built")


def rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def refused_grid_search(space: SearchSpace, X, y) -> str:
    try:
        nbtune.grid_search(build, space, X, y, progress=False)
    except ValueError as exc:
        return str(exc)
    raise AssertionError("the grid search was not refused")


def calls_on(space: SearchSpace, X, y) -> dict[str, Callable[[], object]]:
    """The calls timed, on ``space``."""
    return {
        "space.size": lambda: space.size,
        "grid_cost(space)": lambda: grid_cost(space),
        "SpaceEditor(space).summary": lambda: SpaceEditor(space).summary_text,
        "grid_search refused": lambda: refused_grid_search(space, X, y),
    }


def measure(call: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """Median seconds, peak traced MB and RSS growth (MB) of ``repeats`` calls."""
    call()  # imports and first-use caches are not the call's cost
    before = rss_mb()
    seconds, peaks = [], []
    for _ in range(repeats):
        tracemalloc.start()
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
        peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()
    return statistics.median(seconds), max(peaks), rss_mb() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2 repeats")
    args = parser.parse_args()
    repeats = 2 if args.quick else args.repeats
    X, y = nbtune.data.load_breast_cancer().train
    X, y = X[:60], y[:60]
    print(f"# {time.strftime('%Y-%m-%dT%H:%M:%S')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}")
    print(f"# median of {repeats} calls; peak traced by tracemalloc; RSS growth over all calls")
    print(f"{'space':18} {'call':28} {'seconds':>9} {'peak MB':>8} {'RSS +MB':>8}")
    for label, space in SPACES.items():
        for name, call in calls_on(space, X, y).items():
            seconds, peak, grown = measure(call, repeats)
            print(f"{label:18} {name:28} {seconds:9.5f} {peak:8.2f} {grown:8.2f}")
        print(f"{'':18} size {space.size:,}; the editor says: "
              f"{SpaceEditor(space).summary_text.splitlines()[-1]}")
    print(f"{'':18} refused with: {refused_grid_search(SPACES['one dimension'], X, y)[:160]}...")
    print("target: each call within a second, allocating almost nothing (a few MB at most)")


if __name__ == "__main__":
    main()
