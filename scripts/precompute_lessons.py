"""Make the shipped results of the slow searches of lessons 01, 03 and 06.

    taskset -c 1 python scripts/precompute_lessons.py              # all three, into nbtune/lessons/precomputed/
    taskset -c 1 python scripts/precompute_lessons.py 01 --out /tmp/shipped

Each lesson's own notebook runs in a kernel at its default budget
(``NBTUNE_FAST=0``, ``BUDGET = 1`` as committed), with the budget report's
client (``budget_report.lesson_client``), from the top to its last search
cell.  Its "Use this if the search is slow" loader cells are skipped (they
read what this script writes).  Then one more cell, run in the same kernel,
saves what the search cells made with :mod:`nbtune.lessons.shipped`: the scores come
from running the lesson's code, and the file records the lesson's settings,
the command, the library versions, the date and each search cell's wall time.
Run it on one core (``taskset -c 1``): the times recorded are a student's on
Binder.  About 2 minutes for all three.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat

from nbtune.backend import usable_cpus

ROOT = Path(__file__).resolve().parent.parent

# lesson: the shipped name, the search cells (a line each contains), and the cell that saves them
LESSONS = {
    "01_grid_search_cv": {
        "name": "grid_search_cv_cancer",
        "searches": {"grid": "result = grid.fit(X, Y)"},
        "save": ("from nbtune.lessons import shipped\n"
                 "shipped.save_cv_search(grid, {name!r}, lesson={lesson!r}, X=X, y=Y, "
                 "seconds={seconds[grid]}, folder={folder!r}, command={command!r},\n"
                 "    settings=dict(BUDGET=BUDGET, FAST=FAST, epochs=epochs, cv=cv, "
                 "batch_size=batch_size))"),
    },
    "03_random_search_cv": {
        "name": "random_search_cv_cancer",
        "searches": {"random": "rscv = RandomizedSearchCV("},
        "save": ("from nbtune.lessons import shipped\n"
                 "shipped.save_cv_search(rscv, {name!r}, lesson={lesson!r}, X=X_train_scaled, "
                 "y=y_train, seconds={seconds[random]}, folder={folder!r}, command={command!r},\n"
                 "    settings=dict(BUDGET=BUDGET, FAST=FAST, n_iter=n_iter, cv=cv, "
                 "epoch_choices=epoch_choices))"),
    },
    "06_coarse_to_fine": {
        "name": "coarse_to_fine_digits",
        "searches": {"random": "coarse = nbtune.random_search(", "grid": "fine = nbtune.grid_search("},
        "save": ("from nbtune.lessons import shipped\n"
                 "shipped.save_results([coarse, fine], {name!r}, lesson={lesson!r}, "
                 "seconds={seconds!r}, folder={folder!r}, command={command!r},\n"
                 "    settings=dict(BUDGET=BUDGET, FAST=FAST, CV=CV, EPOCHS=EPOCHS, "
                 "N_COARSE=N_COARSE, FINE_POINTS=FINE_POINTS))"),
    },
}
LOADERS = ("shipped.load_cv_search(", "lessons.load_precomputed(")  # the cells to skip


def search_cells(notebook: nbformat.NotebookNode, searches: dict[str, str]) -> dict[str, int]:
    """The index of each search cell (the code cell with a line starting as given)."""
    found = {}
    for strategy, start in searches.items():
        hits = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
                and any(line.startswith(start) for line in cell.source.splitlines())]
        if len(hits) != 1:
            raise SystemExit(f"{len(hits)} cells of the lesson start a line with {start!r}; "
                             "update LESSONS in scripts/precompute_lessons.py")
        found[strategy] = hits[0]
    return found


def precompute(lesson: str, folder: Path | None, timeout: int, command: str) -> dict[str, float]:
    """Run one lesson up to its last search cell and save the searches; the seconds of each."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from budget_report import lesson_client  # the budget report's way of running a lesson

    spec = LESSONS[lesson]
    path = ROOT / "notebooks" / f"{lesson}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cells = search_cells(notebook, spec["searches"])
    seconds = {}
    client = lesson_client(notebook, path, timeout)
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells[: max(cells.values()) + 1]):
            if cell.cell_type != "code" or any(loader in cell.source for loader in LOADERS):
                continue
            started = time.perf_counter()
            client.execute_cell(cell, index)
            for strategy, number in cells.items():
                if number == index:
                    seconds[strategy] = round(time.perf_counter() - started, 1)
        save = nbformat.v4.new_code_cell(spec["save"].format(
            name=spec["name"], lesson=lesson, seconds=seconds, command=command,
            folder=None if folder is None else str(folder)))
        notebook.cells.append(save)
        client.execute_cell(save, len(notebook.cells) - 1)
    errors = [o for o in save.outputs if o.output_type == "error"]
    if errors:
        raise SystemExit(f"{lesson}: saving failed: {errors[0].ename}: {errors[0].evalue}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers, e.g. 01 06 (default: all)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the files (default: the package's nbtune/lessons/precomputed/)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    chosen = [name for name in LESSONS if not args.lessons or name[:2] in args.lessons]
    unknown = set(args.lessons) - {name[:2] for name in LESSONS}
    if unknown:
        parser.error(f"no shipped search for lesson(s) {sorted(unknown)}; choose from "
                     f"{[name[:2] for name in LESSONS]}")
    os.environ["NBTUNE_FAST"] = "0"  # the default budget, whatever the shell says
    usable = usable_cpus()
    command = "taskset -c 1 python scripts/precompute_lessons.py" if usable == 1 else \
        "python scripts/precompute_lessons.py"
    if usable != 1:
        print(f"note: {usable} CPUs usable; run it under `taskset -c 1` for one-core times")
    for lesson in chosen:
        seconds = precompute(lesson, args.out, args.timeout, command)
        print(f"{lesson}: search cells {seconds} s; saved {LESSONS[lesson]['name']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
