"""Render every nbtune plot to PNG files, from a small real comparison.

Runs grid, random, Hyperband and Bayesian search on the breast-cancer data
(a tiny Keras model, a 3-dimensional space), plus the lesson's
``GridSearchCV`` over ``batch_size``, then draws each plot of
:mod:`nbtune.plots` to ``--out`` and prints the file names.  About two
minutes on a 2-core CPU; ``--trials`` redraws from a saved trials table in
seconds.

Usage::

    python scripts/render_figures.py                              # search, then draw
    python scripts/render_figures.py --trials out/trials.csv      # draw from a saved table
    python scripts/render_figures.py --trials out/trials.csv --presentation --dpi 100
    python scripts/render_figures.py --save-trials tests/data/compare_cancer.csv
    python scripts/render_figures.py --lessons --out /tmp/figs        # every lesson's figures
    python scripts/render_figures.py --lessons 04 07 --out /tmp/figs  # two lessons' figures

``--lessons`` runs each lesson notebook as a student does, at its default
budget (a copy in a new temporary folder, ``NBTUNE_FAST`` unset), and writes
each figure it shows as ``<lesson>_<n>.png`` (``04_1.png``: lesson 04's first
figure), printing the cell each came from: 10 to 70 s a lesson.

The table ``tests/data/compare_cancer.csv`` (and its ``.json`` settings) that
``tests/test_plots.py`` draws was written by the last command.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")  # files only, no window
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import matplotlib.pyplot as plt  # noqa: E402

from nbtune import plots  # noqa: E402
from nbtune.search.results import SearchResult  # noqa: E402


def build(units: int = 8, learning_rate: float = 1e-2, activation: str = "relu"):
    """A one-hidden-layer classifier for the breast-cancer data (2 classes)."""
    import keras

    model = keras.Sequential(
        [
            keras.layers.Dense(units, activation=activation),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy")
    return model


def run_comparison() -> SearchResult:
    """Four strategies on one space and one validation set (about 1.5 minutes)."""
    import nbtune
    from nbtune import Choice, Float, SearchSpace, data

    cancer = data.load_breast_cancer()
    space = SearchSpace(
        Choice("units", [4, 16]),
        Float("learning_rate", 1e-3, 1e-1, log=True),
        Choice("activation", ["relu", "tanh"]),
    )
    return nbtune.compare(
        build, space, *cancer.train,
        validation_data=cancer.validation, test_data=cancer.test,
        strategies=["grid", "random", "hyperband", "bayesian"],
        epochs=3, points=3, n_iter=6, max_epochs=9, factor=3, max_trials=6,
        random_state=0, progress=False,
    )


def run_lesson_grid_search():
    """The lesson's first example: GridSearchCV over batch_size, 3 folds."""
    from sklearn.model_selection import GridSearchCV

    from nbtune import KerasClassifier, data

    cancer = data.load_breast_cancer()
    model = KerasClassifier(build_fn=build, epochs=3, verbose=0, random_state=0)
    search = GridSearchCV(model, {"batch_size": [10, 20, 40, 80]}, cv=3, refit=False)
    return search.fit(*cancer.train)


def save_trials(result: SearchResult, path: Path) -> list[Path]:
    """The trials table as CSV, and the settings a CSV cannot hold as JSON beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(path)
    settings = path.with_suffix(".json")
    settings.write_text(json.dumps({
        "written_by": "python scripts/render_figures.py --save-trials " + str(path),
        "scoring": result.scoring,
        "test_scores": result.test_scores,
    }, indent=2) + "\n")
    return [path, settings]


def load_trials(path: Path) -> SearchResult:
    """A table written by :func:`save_trials` (the .json beside it is optional)."""
    settings_path = path.with_suffix(".json")
    settings = json.loads(settings_path.read_text()) if settings_path.exists() else {}
    return SearchResult.read_csv(path, scoring=settings.get("scoring"),
                                 test_scores=settings.get("test_scores"))


def every_plot(result: SearchResult, cv_search=None, *, presentation: bool = False) -> Iterator[tuple]:
    """(file name, drawn plot) for every plot of ``result``, drawn one at a time."""
    params, p = result.param_names, presentation
    yield "trial_scores", plots.plot_trial_scores(result, presentation=p)
    for x in ("trials", "epochs", "seconds"):
        yield f"best_so_far_{x}", plots.plot_best_so_far(result, x=x, presentation=p)
    for param in params:
        yield f"score_by_{param}", plots.plot_score_by_param(result, param, presentation=p)
    for x_param, y_param in zip(params[:2], params[1:3]):
        yield f"sampled_{x_param}_{y_param}", plots.plot_sampled_points(result, x_param, y_param, presentation=p)
    if "hyperband" in result.strategies:
        yield "hyperband_rounds", plots.plot_hyperband_rounds(result, presentation=p)
    if cv_search is not None:
        yield "cv_results", plots.plot_cv_results(cv_search, presentation=p)
    if "grid" in result.strategies:
        yield "cv_results_grid_sorted", plots.plot_cv_results(result.for_strategy("grid"), sort=True,
                                                              presentation=p)
    yield "hyperband_schedule", plots.plot_hyperband_schedule(max_epochs=10, factor=3, presentation=p)
    yield "hyperband_schedule_27", plots.plot_hyperband_schedule(max_epochs=27, factor=3, presentation=p)
    yield "comparison", plots.plot_comparison(result, presentation=p)


def a_few_presentation_plots(result: SearchResult, cv_search=None) -> Iterator[tuple]:
    """(file name, drawn plot) for the plots drawn for a projector too, by default."""
    yield "best_so_far_epochs", plots.plot_best_so_far(result, x="epochs", presentation=True)
    if "hyperband" in result.strategies:
        yield "hyperband_rounds", plots.plot_hyperband_rounds(result, presentation=True)
    if cv_search is not None:
        yield "cv_results", plots.plot_cv_results(cv_search, presentation=True)
    yield "hyperband_schedule_27", plots.plot_hyperband_schedule(max_epochs=27, factor=3, presentation=True)
    yield "comparison", plots.plot_comparison(result, presentation=True)


def save(drawn, path: Path, dpi: float) -> Path:
    """The figure of ``drawn`` (an Axes or a Figure) as a PNG file, closed after."""
    figure = drawn if isinstance(drawn, plt.Figure) else drawn.figure
    figure.savefig(path, dpi=dpi)
    plt.close(figure)
    return path


def render(result: SearchResult, out: Path, cv_search=None, *, presentation: bool = False,
           dpi: float = 110) -> list[Path]:
    """Draw every plot to ``out``; return the files written.

    With ``presentation`` every plot is drawn with ``presentation=True`` (its
    file named ``..._presentation.png``); without it, the normal plots and a few
    presentation ones.  ``dpi=100`` writes the pixels the notebook shows.
    """
    out.mkdir(parents=True, exist_ok=True)
    suffix = "_presentation" if presentation else ""
    named = ((name + suffix, drawn) for name, drawn in every_plot(result, cv_search, presentation=presentation))
    if not presentation:
        extra = ((name + "_presentation", drawn) for name, drawn in a_few_presentation_plots(result, cv_search))
        named = itertools.chain(named, extra)
    return [save(drawn, out / f"{name}.png", dpi) for name, drawn in named]


def render_lessons(lessons: list[str], out: Path, *, timeout: int = 900) -> list[Path]:
    """Run each lesson (``"04"`` or a notebook's path) at its default budget; write its figures.

    Each lesson runs from a copy in a new temporary folder, so its run folders
    and files land there; ``NBTUNE_FAST`` is unset for it.  Every ``image/png``
    output becomes ``<out>/<lesson>_<n>.png``, numbered from 1 in the order the
    notebook shows them.  Returns the files written.
    """
    import base64
    import shutil
    import tempfile

    import nbformat
    from nbclient import NotebookClient

    folder = Path(__file__).resolve().parent.parent / "notebooks"
    notebooks = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    chosen = [n for n in notebooks if not lessons or any(n.name.startswith(k) or str(n) == k for k in lessons)]
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # the kernel inherits this process' environment: no fast mode, and the notebook's own
    # (inline) backend, not the Agg this script draws with
    saved = {name: os.environ.pop(name, None) for name in ("NBTUNE_FAST", "MPLBACKEND")}
    try:
        for notebook in chosen:
            lesson = notebook.name[:2]
            if not notebook.exists():  # renamed since the list was made
                print(f"{notebook.name}: gone, skipped")
                continue
            with tempfile.TemporaryDirectory() as temporary:
                copy = Path(temporary) / notebook.name
                shutil.copy(notebook, copy)
                nb = nbformat.read(copy, as_version=4)
                started = time.perf_counter()
                NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                               resources={"metadata": {"path": temporary}}).execute()
                print(f"{notebook.name}: ran in {time.perf_counter() - started:.0f} s")
            for index, cell in enumerate(nb.cells):  # the figures after an error are drawn too
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        print(f"{notebook.name}: cell {index} (id {cell.get('id')}) failed: "
                              f"{output.get('ename')}: {output.get('evalue', '')[:200]}")
            n = 0
            for index, cell in enumerate(nb.cells):
                for output in cell.get("outputs", []):
                    png = output.get("data", {}).get("image/png")
                    if png:
                        n += 1
                        path = out / f"{lesson}_{n}.png"
                        path.write_bytes(base64.b64decode(png))
                        written.append(path)
                        print(f"{path}  (cell {index}, id {cell.get('id')})")
    finally:
        os.environ.update({name: value for name, value in saved.items() if value is not None})
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("out/figures"), help="folder for the PNG files")
    parser.add_argument("--trials", type=Path, help="draw from this saved trials CSV instead of searching")
    parser.add_argument("--save-trials", type=Path, help="also write the comparison's trials to this CSV")
    parser.add_argument("--presentation", action="store_true",
                        help="draw every plot with presentation=True (files named ..._presentation.png)")
    parser.add_argument("--dpi", type=float, default=110,
                        help="pixels per inch of the PNG files (the notebook shows 100)")
    parser.add_argument("--lessons", nargs="*", metavar="LESSON",
                        help="run these lessons (e.g. 04 07; none: all) and write their figures instead")
    args = parser.parse_args(argv)

    if args.lessons is not None:
        render_lessons(args.lessons, args.out)
        return 0
    started = time.perf_counter()
    cv_search = None
    if args.trials:
        result = load_trials(args.trials)
    else:
        result = run_comparison()
        cv_search = run_lesson_grid_search()
        print(f"searched in {time.perf_counter() - started:.0f} s: {result!r}")
    if args.save_trials:
        for path in save_trials(result, args.save_trials):
            print(path)
    for path in render(result, args.out, cv_search, presentation=args.presentation, dpi=args.dpi):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
