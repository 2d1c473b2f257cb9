"""The headless jobs: ``python -m nbtune compare`` and ``python -m nbtune precompute``.

``compare`` runs grid search, random search and Hyperband (optionally Bayesian
optimisation) on one of the shipped datasets, with a small dense network,
and writes the trials table, a per-strategy summary and the comparison plots
to files.

``precompute`` runs lesson 04's comparison (the model, space and budget of
:mod:`nbtune.lessons`, which the notebook imports too) and writes the results
nbtune ships in ``nbtune/precomputed/``, for classes that cannot wait for a
search (see :func:`nbtune.lessons.load_precomputed`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["default_space", "dense_classifier", "main", "write_plots"]


def dense_classifier(units: int = 64, learning_rate: float = 1e-3, dropout_rate: float = 0.0,
                     *, n_classes: int = 2):
    """A one-hidden-layer classifier: Dense(units) -> Dropout -> softmax."""
    import keras

    model = keras.Sequential([
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dropout(dropout_rate),
        keras.layers.Dense(n_classes, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def default_space(fast: bool = False):
    """The search space the main job compares strategies on."""
    from nbtune.space import Choice, Int, SearchSpace

    if fast:
        return SearchSpace(Int("units", 16, 32, step=16), Choice("learning_rate", [1e-2, 1e-3]))
    return SearchSpace(Int("units", 16, 128, step=16), Choice("learning_rate", [1e-2, 3e-3, 1e-3]))


def write_plots(result, folder: Path) -> list[Path]:
    """Draw the comparison plots of ``result`` to PNG files in ``folder``; return their paths.

    ``comparison.png`` (scores and best-so-far against trials, epochs and
    seconds), ``score_by_<param>.png`` for each hyperparameter,
    ``sampled_points.png`` when there are two or more, and
    ``hyperband_rounds.png`` when Hyperband ran.  Drawn with matplotlib's Agg
    backend: no display needed.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nbtune import plots

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []

    def save(figure, name):
        path = folder / name
        figure.savefig(path, dpi=100, bbox_inches="tight")
        plt.close(figure)
        written.append(path)

    if result.ok_trials.empty:
        return written
    save(plots.plot_comparison(result), "comparison.png")
    for param in result.param_names:
        if result.trials[param].nunique(dropna=True) >= 1:
            save(plots.plot_score_by_param(result, param).figure, f"score_by_{param}.png")
    if len(result.param_names) >= 2:
        save(plots.plot_sampled_points(result).figure, "sampled_points.png")
    if "hyperband" in result.strategies:
        save(plots.plot_hyperband_rounds(result).figure, "hyperband_rounds.png")
    return written


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nbtune", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("compare", help="compare search strategies on one dataset")
    run.add_argument("--dataset", choices=["digits", "breast_cancer"], default="digits")
    run.add_argument("--strategies", nargs="+", default=["grid", "random", "hyperband"],
                     choices=["grid", "random", "hyperband", "bayesian"])
    run.add_argument("--epochs", type=int, default=None, help="epochs per model (default 9, fast 3)")
    run.add_argument("--n-iter", type=int, default=None, help="random search trials (default 8, fast 2)")
    run.add_argument("--out", type=Path, default=Path("out"), help="folder for the result files")
    run.add_argument("--fast", action="store_true",
                     help="tiny budgets for a smoke run (also when NBTUNE_FAST=1)")
    run.add_argument("--no-plots", action="store_true", help="write the tables only, no PNG plots")
    run.add_argument("--quiet", action="store_true", help="no progress lines")

    pre = commands.add_parser(
        "precompute",
        help="run lesson 04's comparison and write the precomputed results nbtune ships",
        description="Run lesson 04's comparison (digits; grid, random, Hyperband, Bayesian; "
                    "the model, space and budget of nbtune.lessons) and write "
                    "<name>.csv and <name>.json, which nbtune.lessons.load_precomputed() reads.",
    )
    pre.add_argument("--out", type=Path, default=None,
                     help="folder for the files (default: the package's nbtune/precomputed/)")
    pre.add_argument("--budget", type=int, choices=[1, 2, 3], default=1,
                     help="lesson 04's BUDGET (default 1, what the notebook runs by default)")
    pre.add_argument("--fast", action="store_true",
                     help="tiny budgets for a smoke run (also when NBTUNE_FAST=1); "
                          "needs --out, so the shipped files are not replaced by a smoke run")
    pre.add_argument("--plots", action="store_true", help="also write the comparison plots as PNG")
    pre.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def _compare(args) -> int:
    from nbtune import data
    from nbtune.search import compare

    fast = args.fast or os.environ.get("NBTUNE_FAST") == "1"
    dataset = data.load(args.dataset)
    epochs = args.epochs or (3 if fast else 9)

    def build(units=64, learning_rate=1e-3, dropout_rate=0.0):
        return dense_classifier(units, learning_rate, dropout_rate, n_classes=dataset.n_classes)

    result = compare(
        build, default_space(fast), *dataset.train,
        strategies=args.strategies, validation_data=dataset.validation,
        test_data=dataset.test, epochs=epochs, n_iter=args.n_iter or (2 if fast else 8),
        max_trials=args.n_iter or (2 if fast else 8), progress=not args.quiet,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    result.to_csv(args.out / "trials.csv")
    summary = result.summary()
    summary.to_csv(args.out / "summary.csv")
    written = [args.out / "trials.csv", args.out / "summary.csv"]
    if not args.no_plots:
        written += write_plots(result, args.out)
    print(f"\n{dataset}\n")
    print(summary.to_string())
    print("\nwrote " + ", ".join(str(p) for p in written))
    return 0


def _precompute(args) -> int:
    import time

    from nbtune import lessons

    fast = args.fast or os.environ.get("NBTUNE_FAST") == "1"
    if fast and args.out is None:
        print("precompute --fast needs --out DIR: a smoke run must not replace the shipped "
              "results in nbtune/precomputed/", file=sys.stderr)
        return 2
    folder = args.out if args.out is not None else lessons.precomputed_folder()
    started = time.perf_counter()
    result = lessons.precompute(folder, budget=args.budget, fast=fast, progress=not args.quiet)
    name = lessons.PRECOMPUTED
    written = [folder / f"{name}.csv", folder / f"{name}.json"]
    if args.plots:
        written += write_plots(result, folder)
    print("\n" + result.summary().to_string())
    print(f"\nwrote {', '.join(str(p) for p in written)} "
          f"in {time.perf_counter() - started:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m nbtune``; returns the exit code."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if args.command == "precompute":
        return _precompute(args)
    return _compare(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
