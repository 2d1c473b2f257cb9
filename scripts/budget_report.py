"""Run every lesson as a student would and print its wall time and peak memory.

    python scripts/budget_report.py            # default budgets (what a student runs)
    python scripts/budget_report.py --fast     # NBTUNE_FAST=1, what CI runs
    python scripts/budget_report.py notebooks/04_*.ipynb

Peak memory is the largest resident set size of the notebook's kernel process
(and its children), sampled every 0.1 s while it runs; the lessons must stay
under 1.5 GB (Binder gives 2 GB) and finish in about 2 minutes each.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


class PeakMemory:
    """Samples the RSS of a process tree in a background thread."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass
            time.sleep(self.interval)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run(path: Path, timeout: int) -> tuple[float, int, str]:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    started = time.perf_counter()
    status = "ok"
    with client.setup_kernel():
        probe = PeakMemory(client.km.provisioner.process.pid)
        try:
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
        except Exception as exc:  # report it and go on with the next lesson
            status = f"error: {type(exc).__name__}"
        finally:
            peak = probe.stop()
    return time.perf_counter() - started, peak, status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--fast", action="store_true", help="NBTUNE_FAST=1 (CI's budgets)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    os.environ["NBTUNE_FAST"] = "1" if args.fast else "0"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"mode: {'fast' if args.fast else 'default'}; {usable} CPUs usable "
          f"(of {os.cpu_count()}: taskset -c 0 gives 1); "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM")
    print(f"{'notebook':<36} {'wall time':>10} {'peak memory':>12}  status")
    failed = 0
    for path in paths:
        seconds, peak, status = run(path, args.timeout)
        failed += status != "ok"
        print(f"{path.name:<36} {seconds:>8.0f} s {peak / 2**20:>9.0f} MiB  {status}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
