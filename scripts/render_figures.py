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
    python scripts/render_figures.py --save-trials tests/data/compare_cancer.csv

The table ``tests/data/compare_cancer.csv`` (and its ``.json`` settings) that
``tests/test_plots.py`` draws was written by the last command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")  # files only, no window
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import matplotlib.pyplot as plt  # noqa: E402

from nbtune import plots  # noqa: E402
from nbtune.results import SearchResult  # noqa: E402


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


def render(result: SearchResult, out: Path, cv_search=None) -> list[Path]:
    """Draw every plot to ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def save(name: str, drawn) -> None:
        figure = drawn if isinstance(drawn, plt.Figure) else drawn.figure
        path = out / f"{name}.png"
        figure.savefig(path, dpi=110)
        plt.close(figure)
        written.append(path)

    params = result.param_names
    save("trial_scores", plots.plot_trial_scores(result))
    for x in ("trials", "epochs", "seconds"):
        save(f"best_so_far_{x}", plots.plot_best_so_far(result, x=x))
    save("best_so_far_epochs_presentation", plots.plot_best_so_far(result, x="epochs", presentation=True))
    for param in params:
        save(f"score_by_{param}", plots.plot_score_by_param(result, param))
    if len(params) >= 2:
        save(f"sampled_{params[0]}_{params[1]}", plots.plot_sampled_points(result, params[0], params[1]))
    if len(params) >= 3:
        save(f"sampled_{params[1]}_{params[2]}", plots.plot_sampled_points(result, params[1], params[2]))
    if "hyperband" in result.strategies:
        save("hyperband_rounds", plots.plot_hyperband_rounds(result))
        save("hyperband_rounds_presentation", plots.plot_hyperband_rounds(result, presentation=True))
    if cv_search is not None:
        save("cv_results", plots.plot_cv_results(cv_search))
        save("cv_results_presentation", plots.plot_cv_results(cv_search, presentation=True))
    if "grid" in result.strategies:
        save("cv_results_grid_sorted", plots.plot_cv_results(result.for_strategy("grid"), sort=True))
    save("hyperband_schedule", plots.plot_hyperband_schedule(max_epochs=10, factor=3))
    save("hyperband_schedule_presentation",
         plots.plot_hyperband_schedule(max_epochs=27, factor=3, presentation=True))
    save("comparison", plots.plot_comparison(result))
    save("comparison_presentation", plots.plot_comparison(result, presentation=True))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("out/figures"), help="folder for the PNG files")
    parser.add_argument("--trials", type=Path, help="draw from this saved trials CSV instead of searching")
    parser.add_argument("--save-trials", type=Path, help="also write the comparison's trials to this CSV")
    args = parser.parse_args(argv)

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
    for path in render(result, args.out, cv_search):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
