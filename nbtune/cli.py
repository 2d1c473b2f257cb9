"""The headless main job: ``python -m nbtune compare``.

Runs grid search, random search and Hyperband (optionally Bayesian
optimisation) on one of the shipped datasets, with a small dense network,
and writes the trials table and a per-strategy summary to files.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

__all__ = ["main", "dense_classifier", "default_space"]


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
    run.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m nbtune``; returns the exit code."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
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
    print(f"\n{dataset}\n")
    print(summary.to_string())
    print(f"\nwrote {args.out / 'trials.csv'} and {args.out / 'summary.csv'}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
