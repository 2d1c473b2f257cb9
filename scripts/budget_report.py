"""Run every lesson as a student would and print its wall time and peak memory.

    python scripts/budget_report.py            # default budgets (what a student runs)
    python scripts/budget_report.py --fast     # NBTUNE_FAST=1, what CI runs
    python scripts/budget_report.py notebooks/04_*.ipynb
    taskset -c 0 python scripts/budget_report.py --save nbtune/lessons/precomputed/lesson_times.json

Peak memory is the largest resident set size of the notebook's kernel process
(and its children), sampled every 0.1 s while it runs.  The targets: every
lesson at most 90 s and 1.5 GB on one core (Binder gives 1 CPU and 2 GB), so
measure with ``taskset -c 0``.  ``--save`` writes the figures, the machine
and the date as JSON: ``nbtune/lessons/precomputed/lesson_times.json`` is the one
source of the lessons' time statements (lesson 00 prints it; the tests check
INSTRUCTORS.md and each lesson's "Time:" line against it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from nbtune.backend import cpu_name, usable_cpus

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS, TARGET_MIB = 90, 1536


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


def lesson_client(notebook: nbformat.NotebookNode, path: Path, timeout: int) -> NotebookClient:
    """The client that runs a lesson as a student's kernel would: python3, in its own folder."""
    return NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                          resources={"metadata": {"path": str(path.parent)}},
                          extra_arguments=["--IPKernelApp.log_level=ERROR"])


def run(path: Path, timeout: int, keep: Path | None = None) -> tuple[float, int, str, list[float]]:
    notebook = nbformat.read(path, as_version=4)
    client = lesson_client(notebook, path, timeout)
    started = time.perf_counter()
    status, cell_seconds = "ok", []
    with client.setup_kernel():
        probe = PeakMemory(client.km.provisioner.process.pid)
        try:
            for index, cell in enumerate(notebook.cells):
                cell_started = time.perf_counter()
                client.execute_cell(cell, index)
                cell_seconds.append(time.perf_counter() - cell_started)
        except Exception as exc:  # report it and go on with the next lesson
            status = f"error: {type(exc).__name__}"
        finally:
            peak = probe.stop()
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, keep / path.name)
    return time.perf_counter() - started, peak, status, cell_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--fast", action="store_true", help="NBTUNE_FAST=1 (CI's budgets)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--cells", action="store_true", help="print each lesson's slowest cells")
    parser.add_argument("--save", type=Path, help="write the figures as JSON to this file")
    parser.add_argument("--note", default="", help="what else ran, for the JSON")
    parser.add_argument("--keep", type=Path,
                        help="write each executed notebook to this folder (to read its outputs)")
    args = parser.parse_args(argv)
    os.environ["NBTUNE_FAST"] = "1" if args.fast else "0"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"mode: {'fast' if args.fast else 'default'}; {usable_cpus()} CPUs usable "
          f"(of {os.cpu_count()}: taskset -c 0 gives 1); "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM")
    print(f"{'notebook':<36} {'wall time':>10} {'peak memory':>12}  status")
    failed, rows = 0, []
    for path in paths:
        seconds, peak, status, cell_seconds = run(path, args.timeout, args.keep)
        failed += status != "ok"
        over = seconds > TARGET_SECONDS or peak / 2**20 > TARGET_MIB
        print(f"{path.name:<36} {seconds:>8.0f} s {peak / 2**20:>9.0f} MiB  {status}"
              + (f"  over the target ({TARGET_SECONDS} s, {TARGET_MIB} MiB)" if over else ""),
              flush=True)
        if over or args.cells:
            slowest = sorted(range(len(cell_seconds)), key=cell_seconds.__getitem__)[::-1][:3]
            print("    slowest cells: " + ", ".join(f"{i} ({cell_seconds[i]:.0f} s)" for i in slowest))
        rows.append({"lesson": path.stem, "seconds": round(seconds, 1),
                     "peak_mib": round(peak / 2**20), "status": status})
    if args.save:
        save(args.save, rows, fast=args.fast, note=args.note)
    return 1 if failed else 0


def save(path: Path, rows: list[dict], *, fast: bool, note: str) -> None:
    """The figures, where and when they were measured, as JSON."""
    info = {
        "command": "taskset -c 0 python scripts/budget_report.py --save " + str(path),
        "mode": "fast" if fast else "default budgets (BUDGET = 1)",
        "measured": time.strftime("%Y-%m-%d"),
        "machine": {"cpus_usable": usable_cpus(), "cpu": cpu_name(),
                    "ram_gib": round(psutil.virtual_memory().total / 2**30),
                    "python": platform.python_version()},
        "note": note,
        "targets": {"seconds": TARGET_SECONDS, "peak_mib": TARGET_MIB},
        "lessons": rows,
    }
    path.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(f"written: {path}")


if __name__ == "__main__":
    sys.exit(main())
