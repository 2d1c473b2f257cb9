"""Bad arguments to ``python -m nbtune compare``, given to ``nbtune.cli.main`` as a student types them.

A refusal is argparse's: ``SystemExit(2)`` with the message on stderr (the probe
judges the ``error:`` line). Every case adds a tiny budget (``SMALL``) so that
an argument wrongly accepted costs a short run, not a real comparison.
"""

import contextlib
import os

from surface_probe import Case

import nbtune.cli  # noqa: F401  (loaded here, before an isolated case's address-space limit)

SMALL = ["--fast", "--quiet", "--no-plots", "--dataset", "breast_cancer", "--strategies", "grid",
         "--epochs", "1"]


@contextlib.contextmanager
def inside(folder):
    """Work in ``folder``: a relative --out (or none) lands in the case's own tmp."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


def compare(tmp, *args, out="out"):
    """``python -m nbtune compare SMALL ARGS --out OUT``, run in ``tmp``."""
    from nbtune.cli import main

    tail = [] if out is None else ["--out", str(out)]
    with inside(tmp):
        return main(["compare", *SMALL, *args, *tail])


# ------------------------------------------------------------------ counts
def epochs_zero(tmp):
    return compare(tmp, "--epochs", "0")


def epochs_fraction(tmp):
    return compare(tmp, "--epochs", "2.5")


def epochs_nan(tmp):
    return compare(tmp, "--epochs", "nan")


def n_iter_negative(tmp):
    return compare(tmp, "--n-iter", "-1")


def epochs_huge(tmp):
    return compare(tmp, "--epochs", "1000000000")


def n_iter_huge(tmp):
    return compare(tmp, "--n-iter", "1000000000", "--strategies", "random")


# -------------------------------------------------------------- strategies
def strategy_unknown(tmp):
    return compare(tmp, "--strategies", "gird")


def strategy_twice(tmp):
    return compare(tmp, "--strategies", "grid", "random", "grid")


def strategies_none(tmp):
    return compare(tmp, "--strategies")


def dataset_unknown(tmp):
    return compare(tmp, "--dataset", "mnist")


# ------------------------------------------------------------------- --out
def out_is_a_file(tmp):
    return compare(tmp, out=tmp / "notes.csv")


def write_notes(tmp):
    (tmp / "notes.csv").write_text("keep me\n")


def out_inside_a_file(tmp):
    return compare(tmp, out=tmp / "notes.csv" / "results")


def out_unwritable(tmp):
    return compare(tmp, out="/proc/nbtune-probe/out")


def out_empty(tmp):
    return compare(tmp, out="")


def out_missing_value(tmp):
    return compare(tmp, "--out", out=None)


def out_nul_byte(tmp):
    return compare(tmp, out="res\0ults")


def out_name_too_long(tmp):
    return compare(tmp, out="x" * 300)


def write_dangling_link(tmp):
    (tmp / "out").symlink_to(tmp / "nowhere" / "deeper")


def out_dangling_link(tmp):
    return compare(tmp, out=tmp / "out")


def write_earlier_results(tmp):
    (tmp / "out").mkdir()
    (tmp / "out" / "trials.csv").write_text("strategy,trial,score\ngrid,0,0.9\n")
    (tmp / "out" / "summary.csv").write_text("strategy,trials\ngrid,1\n")


def out_holds_earlier_results(tmp):
    return compare(tmp, out=tmp / "out")


# ------------------------------------------------------------- the command
def unknown_option(tmp):
    return compare(tmp, "--epochz", "3")


def extra_word(tmp):
    return compare(tmp, "grid")


def no_command(tmp):
    from nbtune.cli import main

    return main([])


def argv_a_string(tmp):
    from nbtune.cli import main

    with inside(tmp):
        return main("compare --fast --quiet --no-plots --dataset breast_cancer --strategies grid")


def argv_with_a_number(tmp):
    from nbtune.cli import main

    with inside(tmp):
        return main(["compare", *SMALL, "--n-iter", 3])


CASES = [
    Case("epochs-0", epochs_zero, "--epochs"),
    Case("epochs-2.5", epochs_fraction, "--epochs"),
    Case("epochs-nan", epochs_nan, "--epochs"),
    Case("n-iter-negative", n_iter_negative, "--n-iter"),
    # isolated: accepted, they would train for days; trains=False: no Keras to import first
    Case("epochs-1e9", epochs_huge, "--epochs", isolated=True, seconds=10, trains=False),
    Case("n-iter-1e9", n_iter_huge, "--n-iter", isolated=True, seconds=10, trains=False),
    Case("strategy-unknown", strategy_unknown, "--strategies"),
    Case("strategy-twice", strategy_twice, "--strategies"),
    Case("strategies-none", strategies_none, "--strategies"),
    Case("dataset-unknown", dataset_unknown, "--dataset"),
    Case("out-is-a-file", out_is_a_file, "--out", setup=write_notes),
    Case("out-inside-a-file", out_inside_a_file, "--out", setup=write_notes),
    Case("out-unwritable", out_unwritable, "--out"),
    Case("out-empty", out_empty, "--out"),
    Case("out-missing-value", out_missing_value, "--out"),
    Case("out-nul-byte", out_nul_byte, "--out"),
    Case("out-name-too-long", out_name_too_long, "--out"),
    Case("out-dangling-link", out_dangling_link, "--out", setup=write_dangling_link),
    Case("out-holds-earlier-results", out_holds_earlier_results, "--out",
         setup=write_earlier_results),
    Case("unknown-option", unknown_option, "--epochz"),
    Case("extra-word", extra_word, "grid"),
    Case("no-command", no_command, "compare"),
    Case("argv-a-string", argv_a_string, "argv"),
    Case("argv-with-a-number", argv_with_a_number, ("argv", "3")),
]
