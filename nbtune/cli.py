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
import shlex
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nbtune.backend import quiet_tensorflow
from nbtune.search import strategies
from nbtune.space.edges import EdgeWarning

STRATEGIES = list(strategies.names())  # what --strategies accepts
MOST_EPOCHS = 1000  # per model; a longer comparison is for nbtune.compare in Python


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


def count(option: str, example: int, most: int | None = None) -> Callable[[str], int]:
    """An argparse ``type=`` for ``option``: a whole number of 1 or more (and at most ``most``).

    Parameters
    ----------
    option : str
        The option it checks, for the message (``"--epochs"``).
    example : int
        A sensible value, shown in the message as the fix.
    most : int, optional
        The largest value allowed.

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
    >>> count("--epochs", 9, most=1000)("1000000000")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 1000000000 is more than 1000: give a whole number from 1 to 1000, e.g. --epochs 9
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
        if most is not None and value > most:
            raise argparse.ArgumentTypeError(
                f"{text} is more than {most}: give a whole number from 1 to {most}, "
                f"e.g. {option} {example}"
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
    try:  # exists() too raises for a name the system refuses (too long, a NUL byte)
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, not a folder"
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except (OSError, ValueError) as error:
        name = str(folder) if str(folder).isprintable() else repr(str(folder))
        return f"{name} cannot be written to ({getattr(error, 'strerror', None) or error})"
    return None


def folder_argument(option: str, example: str) -> Callable[[str], Path]:
    """An argparse ``type=`` for ``option``: a folder's name, not empty.

    (``Path("")`` is the current folder: an empty ``--out ""``, a variable that
    was not set, would write the results there.)

    Examples
    --------
    >>> out = folder_argument("--out", "results")
    >>> out("results/run-1")
    PosixPath('results/run-1')
    >>> out("")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '' is not a folder's name: give one, e.g. --out results
    """
    def parse(text: str) -> Path:
        if not text.strip():
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a folder's name: give one, e.g. {option} {example}")
        return Path(text)

    parse.__name__ = "folder"
    return parse


#: the files ``compare`` writes (``write_tables`` and ``write_plots``), as glob patterns
RESULT_FILES = ("trials.csv", "summary.csv", "comparison.png", "score_by_*.png",
                "sampled_points.png", "hyperband_rounds.png")


def earlier_results(folder: Path) -> list[Path]:
    """The result files of an earlier ``compare`` in ``folder`` (:data:`RESULT_FILES`).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "trials.csv").write_text("strategy,trial")
    14
    >>> [path.name for path in earlier_results(folder)]
    ['trials.csv']
    """
    folder = Path(folder)
    return sorted(path for pattern in RESULT_FILES for path in folder.glob(pattern))


def write_tables(result, folder: Path) -> list[Path]:
    """Write ``trials.csv`` and ``summary.csv`` of ``result`` to ``folder``; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {folder / "trials.csv": result.to_csv, folder / "summary.csv": result.summary().to_csv}
    for path, write in tables.items():  # each replaced whole: an earlier table is never half lost
        part = path.with_name(f".{path.name}.part")
        write(part)
        os.replace(part, path)
    return list(tables)


class _Parser(argparse.ArgumentParser):
    """argparse's parser; its own messages (a missing value, an unknown word) also say what to do."""

    def __init__(self, *args, examples: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.examples = examples or {}  # option -> a right way to give it

    def error(self, message: str):
        """argparse's usage error (exit code 2), with a fix when its message has none."""
        if "e.g." not in message and "choose from" not in message:
            fix = self.examples.get(message.split(":")[0].removeprefix("argument "))
            message += (f"; give one, e.g. {fix}" if fix
                        else f"; run `{self.prog} --help` to see the options")
        super().error(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m nbtune",
        description="nbtune's jobs without a notebook: compare search strategies, or re-make "
                    "the precomputed results of lesson 04.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{compare,precompute,tabulate}")
    _add_compare(commands)
    _add_precompute(commands)
    _add_tabulate(commands)
    return parser


def _add_compare(commands) -> None:
    run = commands.add_parser(
        "compare", help="compare search strategies on one dataset",
        examples={"--dataset": "--dataset digits", "--strategies": "--strategies grid random",
                  "--epochs": "--epochs 9", "--n-iter": "--n-iter 8", "--out": "--out results"},
        description="Run grid search, random search and Hyperband (and, if asked, Bayesian "
                    "optimisation) on one of the datasets nbtune ships, with a small dense "
                    "network. Writes trials.csv (one row per trial) and summary.csv (one row "
                    "per strategy, with the test score of each winner) to the --out folder as "
                    "each strategy finishes, then the comparison plots as PNG files. Ctrl-C "
                    "stops it keeping every finished trial (exit code 130).",
    )
    run.add_argument("--dataset", choices=["digits", "breast_cancer"], default="digits",
                     help="the data to search on (default: %(default)s)")
    run.add_argument("--strategies", nargs="+", default=["grid", "random", "hyperband"],
                     choices=STRATEGIES, metavar="STRATEGY",
                     help="strategies to run, in this order, each once: any of "
                          + ", ".join(STRATEGIES) + " (default: grid random hyperband)")
    run.add_argument("--epochs", type=count("--epochs", 9, most=MOST_EPOCHS), default=None,
                     help=f"epochs per model, and Hyperband's most epochs, up to {MOST_EPOCHS} "
                          "(default: 9; 3 with --fast)")
    run.add_argument("--n-iter", type=count("--n-iter", 8), default=None,
                     help="configurations random search tries, and Bayesian optimisation's "
                          "trials, up to the space's size (default: 8; 2 with --fast)")
    run.add_argument("--out", type=folder_argument("--out", "results"), default=Path("out"),
                     help="folder for the result files, created if missing (default: %(default)s)")
    run.add_argument("--overwrite", action="store_true",
                     help="replace the result files of an earlier run in --out (without it, "
                          "such a folder is refused)")
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
                     help="folder for the files (default: the package's own "
                          "nbtune/benchmarks/tables/; files already there are kept unless "
                          "--overwrite)")
    tab.add_argument("--n-jobs", type=count("--n-jobs", 1), default=1,
                     help="worker processes, each about 0.7 GB (default: %(default)s)")
    tab.add_argument("--resume", action="store_true", help="continue the run in --work")
    tab.add_argument("--overwrite", action="store_true",
                     help="replace the run in --work, and the table's files in --out")
    tab.add_argument("--fast", action="store_true",
                     help="the 4-configuration table digits-mlp-tiny (what the tests use); needs "
                          "--out, so the shipped table is not replaced by a smoke run")
    tab.add_argument("--quiet", action="store_true", help="no progress lines")
    tab.set_defaults(parser=tab)


def _check_tabulate_out(args: argparse.Namespace, fast: bool) -> None:
    """``tabulate``'s ``--out``: given with ``--fast``; a table there replaced only with ``--overwrite``.

    Sets ``args.out`` to the shipped tables' folder when it is not given.
    Exits with the usage error (code 2) before anything trains.
    """
    parser, shipped = args.parser, Path(__file__).parent / "benchmarks" / "tables"
    if fast and args.out is None:
        parser.error("tabulate --fast needs --out DIR: a smoke run must not replace the shipped "
                     "digits-mlp-tiny table in nbtune/benchmarks/tables/, e.g. --out /tmp/tables")
    args.out = shipped if args.out is None else args.out
    name = "digits-mlp-tiny" if fast else "digits-mlp"
    there = [p for p in (args.out / f"{name}.json", args.out / f"{name}.csv.gz") if p.exists()]
    if there and not args.overwrite:
        what = "ships with nbtune" if args.out.resolve() == shipped.resolve() else "exists"
        parser.error(f"argument --out: {there[0]} {what}; give another folder for your table, "
                     f"e.g. --out tables, or add --overwrite to replace it")


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
        size = default_space(fast).size
        if args.n_iter is not None and args.n_iter > size:
            parser.error(f"argument --n-iter: {args.n_iter} is more than the {size} "
                         f"configurations of the space{' of --fast' if fast else ''}: give at "
                         f"most {size}, e.g. --n-iter {min(8, size)}")
    if args.command == "precompute" and fast and args.out is None:
        parser.error("precompute --fast needs --out DIR: a smoke run must not replace the "
                     "shipped results in nbtune/lessons/precomputed/, e.g. --out /tmp/precomputed")
    if args.command == "tabulate":
        _check_tabulate_out(args, fast)
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
    if args.command == "compare" and not args.overwrite:
        earlier = [path.name for path in earlier_results(args.out)]
        if earlier:
            parser.error(f"argument --out: {args.out} holds the results of an earlier run "
                         f"({', '.join(earlier[:4])}); give another folder, e.g. --out "
                         f"{args.out}-2, or add --overwrite to replace them")
    args.fast = fast


def _compare(args) -> int:
    """Run the comparison; on Ctrl-C keep every finished trial and return 130 (see :func:`main`)."""
    from nbtune.search.trial_loop import interrupts_noticed  # deferred: after the checks

    for path in earlier_results(args.out):  # only with --overwrite: _check refused them otherwise
        path.unlink()
    kept, written, stopped = None, [], False
    with interrupts_noticed() as interrupts, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EdgeWarning)  # the main thread's: no search thread
        try:
            with interrupts.allowed():  # loading TensorFlow and the data: nothing to keep yet
                dataset, search, combine = _comparison(args)
            results = []
            for strategy in args.strategies:  # one at a time, the tables written after each
                results.append(search(strategy))  # a press ends it, keeping its finished trials
                kept = combine(results)
                if not kept.trials.empty:  # written whole: a press meanwhile waits for it
                    written = write_tables(kept, args.out)
                if not results[-1].complete or interrupts.pressed:
                    break  # stopped (Ctrl-C): keep what finished, start nothing new
            if not args.no_plots and not interrupts.pressed:
                with interrupts.allowed():
                    written += write_plots(kept, args.out)
        except KeyboardInterrupt:  # a press (the tables hold what finished before it)
            stopped = True
        if not (stopped or interrupts.pressed):
            print(f"\n{dataset}\n")
            print(kept.summary().to_string())
            print_advice(caught)
            print("\nwrote " + ", ".join(str(p) for p in written))
        if stopped or interrupts.pressed:  # said while a press is still only counted
            print(stopped_line(kept, args.out), file=sys.stderr)
            return 130
    return 0


def _comparison(args) -> tuple[Any, Callable[[str], Any], Callable[[list], Any]]:
    """The dataset, a search of one strategy, and how results combine (TensorFlow loads here)."""
    from nbtune import data
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

    def search(strategy: str):
        return compare(build, default_space(args.fast), *dataset.train, strategies=[strategy],
                       **settings)

    return dataset, search, SearchResult.combine


def stopped_line(kept, folder: Path) -> str:
    """The one line ``compare`` prints when Ctrl-C stopped it: the trials it kept, and where.

    Parameters
    ----------
    kept : SearchResult or None
        The trials written to ``folder`` (None: nothing was).
    folder : Path
        The ``--out`` folder.

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> kept = SearchResult(pd.DataFrame({"strategy": ["grid", "grid", "random"],
    ...                                   "units": [16, 32, 16], "score": [0.9, 0.8, 0.9]}))
    >>> stopped_line(kept, Path("out"))
    'stopped: kept 3 finished trials of 2 strategies (grid 2, random 1) in out/trials.csv'
    >>> stopped_line(kept.for_strategy("random"), Path("out"))
    'stopped: kept 1 finished trial of 1 strategy (random 1) in out/trials.csv'
    >>> stopped_line(None, Path("out"))
    'stopped before any trial finished: nothing written to out'
    """
    if kept is None or kept.trials.empty:
        return f"stopped before any trial finished: nothing written to {folder}"
    counts = kept.trials["strategy"].value_counts(sort=False)
    each = ", ".join(f"{name} {n}" for name, n in counts.items())
    trials = "trial" if len(kept.trials) == 1 else "trials"
    strategies = "strategy" if len(counts) == 1 else "strategies"
    return (f"stopped: kept {len(kept.trials)} finished {trials} of {len(counts)} {strategies} "
            f"({each}) in {Path(folder) / 'trials.csv'}")


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
    with code 2 and a message naming it. Ctrl-C stops ``compare`` at any point,
    keeping every finished trial in ``trials.csv``: it returns 130 (as a shell
    reports a job Ctrl-C ended) and prints one line on stderr saying what was kept.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``python -m nbtune``; by default ``sys.argv[1:]``.

    Examples
    --------
    >>> try:  # the usage and "argument --epochs: 0 is not allowed: ..." go to stderr
    ...     main(["compare", "--epochs", "0"])
    ... except SystemExit as exit:
    ...     print("exit code", exit.code)
    exit code 2
    """
    _check_argv(argv)
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # said by the command's own parser, which can list its options
        args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    _check(args)
    quiet_tensorflow()
    if args.command == "precompute":
        return _precompute(args)
    if args.command == "tabulate":
        return _tabulate(args)
    try:
        return _compare(args)
    except KeyboardInterrupt:  # before the search's own handling began (while modules load)
        print(stopped_line(None, args.out), file=sys.stderr)
        return 130


def _check_argv(argv) -> None:
    """``main``'s argument is a list of strings, as ``sys.argv[1:]`` is."""
    if argv is None:
        return
    if isinstance(argv, (str, bytes)):
        raise TypeError(f"argv={argv!r} is one string: give a list of strings, "
                        f"e.g. main({shlex.split(str(argv))!r})")
    for item in argv:
        if not isinstance(item, str):
            raise TypeError(f"argv holds {item!r} ({type(item).__name__}): give every argument "
                            f"as a string, e.g. {str(item)!r}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
