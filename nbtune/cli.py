"""The headless jobs: ``python -m nbtune compare`` and ``python -m nbtune precompute``.

``compare`` runs grid search, random search and Hyperband (optionally Bayesian
optimisation) on one of the shipped datasets, with a small dense network,
and writes the trials table and a per-strategy summary (again after each
strategy, so a late error loses nothing) and the comparison plots to files.

``precompute`` runs lesson 04's comparison (the model, space and budget of
:mod:`nbtune.lessons`, which the notebook imports too) and writes the results
nbtune ships in ``nbtune/lessons/precomputed/``, for classes that cannot wait for a
search (see :func:`nbtune.lessons.load_precomputed`).

Both check every argument before any work: counts are whole numbers of 1 or
more (:func:`count`), and the ``--out`` folder is created and written to
(:func:`folder_problem`) before TensorFlow is imported. Progress goes to
stdout; TensorFlow's start-up lines are kept off stderr
(:func:`nbtune.backend.quiet_tensorflow`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

from nbtune.backend import quiet_tensorflow
from nbtune.search import strategies
from nbtune.space.edges import EdgeWarning

STRATEGIES = list(strategies.names())  # what --strategies accepts


def default_space(fast: bool = False):
    """The search space the main job compares strategies on."""
    from nbtune.space import Choice, Int, SearchSpace  # deferred, as every import below: see
    # the module docstring (--help and the argument checks run before anything heavy loads)

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


def count(option: str, example: int) -> Callable[[str], int]:
    """An argparse ``type=`` for ``option``: a whole number of 1 or more.

    Parameters
    ----------
    option : str
        The option it checks, for the message (``"--epochs"``).
    example : int
        A sensible value, shown in the message as the fix.

    Returns
    -------
    callable
        Turns the text given on the command line into an ``int``, or raises
        ``argparse.ArgumentTypeError`` saying what is allowed.

    Examples
    --------
    >>> epochs = count("--epochs", 9)
    >>> epochs("3")
    3
    >>> epochs("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 0 is not allowed: give a whole number of 1 or more, e.g. --epochs 9
    """
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < 1:
            raise argparse.ArgumentTypeError(
                f"{text} is not allowed: give a whole number of 1 or more, e.g. {option} {example}"
            )
        return value

    parse.__name__ = "whole number >= 1"  # argparse names the type in some messages
    return parse


def folder_problem(folder: Path) -> str | None:
    """Why results cannot be written to ``folder``, or ``None`` if they can.

    Creates ``folder`` (and its parents) if missing, and writes and removes a
    temporary file in it: the check a run makes before any training, so that
    its results cannot be lost at the end.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> root = Path(tempfile.mkdtemp())
    >>> folder_problem(root / "out") is None
    True
    >>> (root / "notes.txt").write_text("hello")
    5
    >>> folder_problem(root / "notes.txt")  # doctest: +ELLIPSIS
    '... is a file, not a folder'
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return f"{folder} cannot be written to ({error.strerror or error})"
    return None


def write_tables(result, folder: Path) -> list[Path]:
    """Write ``trials.csv`` and ``summary.csv`` of ``result`` to ``folder``; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    result.to_csv(folder / "trials.csv")
    result.summary().to_csv(folder / "summary.csv")
    return [folder / "trials.csv", folder / "summary.csv"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m nbtune",
        description="nbtune's jobs without a notebook: compare search strategies, or re-make "
                    "the precomputed results of lesson 04.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{compare,precompute}")
    _add_compare(commands)
    _add_precompute(commands)
    _add_tabulate(commands)
    return parser


def _add_compare(commands) -> None:
    run = commands.add_parser(
        "compare", help="compare search strategies on one dataset",
        description="Run grid search, random search and Hyperband (and, if asked, Bayesian "
                    "optimisation) on one of the datasets nbtune ships, with a small dense "
                    "network. Writes trials.csv (one row per trial) and summary.csv (one row "
                    "per strategy, with the test score of each winner) to the --out folder as "
                    "each strategy finishes, then the comparison plots as PNG files.",
    )
    run.add_argument("--dataset", choices=["digits", "breast_cancer"], default="digits",
                     help="the data to search on (default: %(default)s)")
    run.add_argument("--strategies", nargs="+", default=["grid", "random", "hyperband"],
                     choices=STRATEGIES, metavar="STRATEGY",
                     help="strategies to run, in this order, each once: any of "
                          + ", ".join(STRATEGIES) + " (default: grid random hyperband)")
    run.add_argument("--epochs", type=count("--epochs", 9), default=None,
                     help="epochs per model, and Hyperband's most epochs (default: 9; 3 with --fast)")
    run.add_argument("--n-iter", type=count("--n-iter", 8), default=None,
                     help="configurations random search tries, and Bayesian optimisation's "
                          "trials (default: 8; 2 with --fast)")
    run.add_argument("--out", type=Path, default=Path("out"),
                     help="folder for the result files, created if missing (default: %(default)s)")
    run.add_argument("--fast", action="store_true",
                     help="tiny budgets for a smoke run (also when NBTUNE_FAST=1)")
    run.add_argument("--no-plots", action="store_true", help="write the tables only, no PNG plots")
    run.add_argument("--quiet", action="store_true", help="no progress lines")
    run.set_defaults(parser=run)  # for the checks after parsing (see _check)


def _add_precompute(commands) -> None:
    pre = commands.add_parser(
        "precompute",
        help="run lesson 04's comparison and write the precomputed results nbtune ships",
        description="Run lesson 04's comparison (digits; grid, random, Hyperband, Bayesian; "
                    "the model, space and budget of nbtune.lessons) and write "
                    "comparison_digits.csv and comparison_digits.json, which "
                    "nbtune.lessons.load_precomputed() reads.",
    )
    pre.add_argument("--out", type=Path, default=None,
                     help="folder for the files, created if missing "
                          "(default: the package's own nbtune/lessons/precomputed/)")
    pre.add_argument("--budget", type=int, choices=[1, 2, 3], default=1,
                     help="lesson 04's BUDGET: 1, 2 or 3 (default: %(default)s, what the "
                          "notebook runs by default)")
    pre.add_argument("--fast", action="store_true",
                     help="tiny budgets for a smoke run (also when NBTUNE_FAST=1); "
                          "needs --out, so the shipped files are not replaced by a smoke run")
    pre.add_argument("--plots", action="store_true", help="also write the comparison plots as PNG")
    pre.add_argument("--quiet", action="store_true", help="no progress lines")
    pre.set_defaults(parser=pre)


def _add_tabulate(commands) -> None:
    tab = commands.add_parser(
        "tabulate",
        help="train every configuration of the digits table and write nbtune's benchmark files",
        description="Train lesson 04's model on every configuration of "
                    "nbtune.lessons.digits_mlp_space() with 3 seeds for 27 epochs, keeping "
                    "every epoch's validation accuracy, losses and seconds in a run folder "
                    "(--work; --resume continues it), then write digits-mlp.json and "
                    "digits-mlp.csv.gz, which nbtune.benchmarks.load('digits-mlp') reads.",
    )
    tab.add_argument("--work", type=Path, default=Path("tabulate-run"),
                     help="the run folder's parent, created if missing (default: %(default)s)")
    tab.add_argument("--out", type=Path, default=None,
                     help="folder for the files (default: the package's own nbtune/benchmarks/tables/)")
    tab.add_argument("--n-jobs", type=count("--n-jobs", 1), default=1,
                     help="worker processes, each about 0.7 GB (default: %(default)s)")
    tab.add_argument("--resume", action="store_true", help="continue the run in --work")
    tab.add_argument("--overwrite", action="store_true", help="replace the run in --work")
    tab.add_argument("--fast", action="store_true",
                     help="the 4-configuration table digits-mlp-tiny (what the tests use)")
    tab.add_argument("--quiet", action="store_true", help="no progress lines")
    tab.set_defaults(parser=tab)


def _tabulate(args) -> int:
    from nbtune.lessons.digits import make_digits_mlp  # deferred, as the other commands' imports

    out = args.out or Path(__file__).parent / "benchmarks" / "tables"

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            print(f"tabulate: {done}/{total} fits", flush=True)

    written = make_digits_mlp(args.work, out, fast=args.fast, resume=args.resume,
                              overwrite=args.overwrite, n_jobs=args.n_jobs, progress=progress)
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def _check(args) -> None:
    """Argument checks argparse cannot make; exits with the command's usage error (code 2)."""
    parser = args.parser
    fast = args.fast or os.environ.get("NBTUNE_FAST") == "1"
    if args.command == "compare":
        twice = sorted({s for s in args.strategies if args.strategies.count(s) > 1})
        if twice:
            parser.error(f"argument --strategies: {' '.join(twice)} given more than once; "
                         f"give each strategy once, e.g. --strategies grid random hyperband")
    if args.command == "precompute" and fast and args.out is None:
        parser.error("precompute --fast needs --out DIR: a smoke run must not replace the "
                     "shipped results in nbtune/lessons/precomputed/, e.g. --out /tmp/precomputed")
    if args.command == "precompute" and args.out is None:
        from nbtune.lessons.shipped import precomputed_folder

        args.out = precomputed_folder()
    if args.command == "tabulate":
        problem = folder_problem(args.work)
        if problem:
            parser.error(f"argument --work: {problem}; give a folder nbtune can create or "
                         "write to, e.g. --work tabulate-run")
    if args.out is not None:
        problem = folder_problem(args.out)
        if problem:
            parser.error(f"argument --out: {problem}; give a folder nbtune can create or "
                         f"write to, e.g. --out results")
    args.fast = fast


def _compare(args) -> int:
    from nbtune import data  # deferred: the arguments were checked first, cheaply
    from nbtune.display import SearchProgress
    from nbtune.lessons.digits import dense_classifier
    from nbtune.search.helpers import compare
    from nbtune.search.results import SearchResult

    dataset = data.load(args.dataset)
    n_iter = args.n_iter or (2 if args.fast else 8)
    settings = {
        "epochs": args.epochs or (3 if args.fast else 9), "n_iter": n_iter, "max_trials": n_iter,
        "validation_data": dataset.validation, "test_data": dataset.test,
        "progress": SearchProgress(enabled=not args.quiet, stream=sys.stdout),  # stderr stays empty
    }

    def build(units=64, learning_rate=1e-3, dropout_rate=0.0):
        return dense_classifier(units, learning_rate, dropout_rate=dropout_rate,
                                n_features=dataset.X_train.shape[1], n_classes=dataset.n_classes)

    results = []
    with warnings.catch_warnings(record=True) as caught:  # the main thread's: no search thread
        warnings.simplefilter("always", EdgeWarning)
        for strategy in args.strategies:  # one at a time, the tables written after each
            results.append(compare(build, default_space(args.fast), *dataset.train,
                                   strategies=[strategy], **settings))
            combined = SearchResult.combine(results)
            written = write_tables(combined, args.out)
            if not results[-1].complete:
                break  # stopped (Ctrl-C): keep what finished, start nothing new
    if not args.no_plots:
        written += write_plots(combined, args.out)
    print(f"\n{dataset}\n")
    print(combined.summary().to_string())
    print_advice(caught)
    print("\nwrote " + ", ".join(str(p) for p in written))
    return 0


def print_advice(caught: list[warnings.WarningMessage]) -> None:
    """The boundary rule's EdgeWarnings as lines of the report; other warnings shown as usual."""
    advice = [str(w.message) for w in caught if issubclass(w.category, EdgeWarning)]
    for w in caught:
        if not issubclass(w.category, EdgeWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    if advice:
        print("\nat the edge of the space:\n" + "\n".join(f"- {line}" for line in advice))


def _precompute(args) -> int:
    import time

    from nbtune import lessons

    folder = args.out
    started = time.perf_counter()
    result = lessons.precompute(folder, budget=args.budget, fast=args.fast, progress=not args.quiet,
                                 stream=sys.stdout)
    name = lessons.PRECOMPUTED
    written = [folder / f"{name}.csv", folder / f"{name}.json"]
    if args.plots:
        written += write_plots(result, folder)
    print("\n" + result.summary().to_string())
    print(f"\nwrote {', '.join(str(p) for p in written)} "
          f"in {time.perf_counter() - started:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m nbtune``; returns the exit code.

    Every argument is checked, and the ``--out`` folder made and written to,
    before TensorFlow is imported or anything is trained; a wrong one exits
    with code 2 and a message naming it.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    _check(args)
    quiet_tensorflow()
    if args.command == "precompute":
        return _precompute(args)
    if args.command == "tabulate":
        return _tabulate(args)
    return _compare(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
