"""``python -m nbtune``: arguments checked before any work, results kept, quiet stderr.

The error cases run the real command in a subprocess and check its exit code,
its message, and that nothing was trained: no progress on stdout, no result
files, and TensorFlow never imported.
"""

import argparse
import doctest
import os
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import nbtune.cli
from nbtune.backend import QUIET_ENVIRONMENT
from nbtune.cli import count, folder_problem


def student_environment() -> dict:
    """The environment of a fresh shell: without what conftest sets to quiet TensorFlow."""
    return {k: v for k, v in os.environ.items() if k not in QUIET_ENVIRONMENT and k != "NBTUNE_FAST"}


def run_nbtune(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nbtune", *args], capture_output=True,
                          text=True, env=student_environment(), check=False)


# `python -m nbtune ARGS`, run as runpy does it, then: the exit code and whether
# TensorFlow was imported. Proves that a refused argument costs no TensorFlow import.
RUN_AND_REPORT = textwrap.dedent("""
    import runpy, sys
    sys.argv = ["nbtune"] + sys.argv[1:]
    try:
        runpy.run_module("nbtune", run_name="__main__")
    except SystemExit as exit:
        print("exit", exit.code, "tensorflow imported:", "tensorflow" in sys.modules)
""")

BAD_COUNTS = [
    (["compare", "--epochs", "0"], "argument --epochs: 0 is not allowed"),
    (["compare", "--epochs", "-2"], "argument --epochs: -2 is not allowed"),
    (["compare", "--epochs", "2.5"], "argument --epochs: 2.5 is not allowed"),
    (["compare", "--epochs", "many"], "argument --epochs: many is not allowed"),
    (["compare", "--n-iter", "0"], "argument --n-iter: 0 is not allowed"),
    (["compare", "--n-iter", "-1"], "argument --n-iter: -1 is not allowed"),
]


@pytest.mark.parametrize("args, message", BAD_COUNTS, ids=[" ".join(a[1:]) for a, _ in BAD_COUNTS])
def test_a_count_that_is_not_a_whole_number_of_1_or_more_is_refused(tmp_path, args, message):
    run = run_nbtune(*args, "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert message in run.stderr
    option = args[1]
    assert f"give a whole number of 1 or more, e.g. {option} " in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert not (tmp_path / "out").exists()  # refused while parsing, before the folder check


def test_an_out_that_is_a_file_is_refused_and_the_file_kept(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("keep me\n")
    run = run_nbtune("compare", "--fast", "--out", str(notes))
    assert run.returncode == 2
    assert f"argument --out: {notes} is a file, not a folder" in run.stderr
    assert "e.g. --out results" in run.stderr
    assert run.stdout == "" and notes.read_text() == "keep me\n"


def test_an_out_inside_a_file_cannot_be_written_and_is_refused(tmp_path):
    (tmp_path / "notes.csv").write_text("")
    out = tmp_path / "notes.csv" / "results"
    run = run_nbtune("compare", "--fast", "--out", str(out))
    assert run.returncode == 2
    assert f"argument --out: {out} cannot be written to" in run.stderr
    assert run.stdout == ""


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can write to a read-only folder")
def test_a_read_only_out_is_refused(tmp_path):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o500)
    try:
        run = run_nbtune("compare", "--fast", "--out", str(out))
    finally:
        out.chmod(0o700)
    assert run.returncode == 2 and "cannot be written to" in run.stderr
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["compare", "--strategies", "grid", "random", "grid"], "grid given more than once"),
    (["compare", "--strategies", "gird"], "argument --strategies: invalid choice: 'gird'"),
    (["precompute", "--budget", "0"], "argument --budget: invalid choice: 0"),
    (["precompute", "--fast"], "precompute --fast needs --out DIR"),
], ids=["strategy twice", "unknown strategy", "budget 0", "precompute fast without out"])
def test_other_bad_arguments_are_refused_with_the_commands_usage(tmp_path, args, message):
    run = run_nbtune(*args)
    assert run.returncode == 2
    assert message in run.stderr
    assert run.stderr.startswith(f"usage: python -m nbtune {args[0]}")
    assert run.stdout == ""


@pytest.mark.parametrize("args", [
    ["compare", "--epochs", "0"],
    ["compare", "--fast", "--out", "{file}"],
    ["precompute", "--out", "{file}"],
    ["precompute", "--fast"],
], ids=["bad count", "compare out is a file", "precompute out is a file", "precompute fast"])
def test_a_refused_argument_costs_no_tensorflow_import(tmp_path, args):
    (tmp_path / "file").write_text("")
    args = [a.format(file=tmp_path / "file") for a in args]
    run = subprocess.run([sys.executable, "-c", RUN_AND_REPORT, *args], capture_output=True,
                         text=True, env=student_environment(), check=False)
    assert run.stdout.strip() == "exit 2 tensorflow imported: False"


def test_help_is_plain_text_with_the_defaults():
    top = run_nbtune("--help")
    compare, precompute = run_nbtune("compare", "--help"), run_nbtune("precompute", "--help")
    for run in (top, compare, precompute):
        assert run.returncode == 0 and "``" not in run.stdout and ":mod:" not in run.stdout
    text = " ".join(compare.stdout.split())  # argparse wraps lines
    for default in ["(default: digits)", "(default: grid random hyperband)",
                    "(default: 9; 3 with --fast)", "(default: 8; 2 with --fast)", "(default: out)"]:
        assert default in text
    text = " ".join(precompute.stdout.split())
    assert "(default: 1," in text and "(default: the package's own nbtune/lessons/precomputed/)" in text


def test_count_parses_whole_numbers_of_1_or_more():
    epochs = count("--epochs", 9)
    assert epochs("1") == 1 and epochs("12") == 12
    for text in ["0", "-1", "1.0", "", "nine"]:
        with pytest.raises(argparse.ArgumentTypeError, match="e.g. --epochs 9"):
            epochs(text)


def test_folder_problem(tmp_path):
    assert folder_problem(tmp_path / "new" / "deeper") is None
    assert (tmp_path / "new" / "deeper").is_dir()
    (tmp_path / "file").write_text("")
    assert folder_problem(tmp_path / "file").endswith("is a file, not a folder")
    assert "cannot be written to" in folder_problem(tmp_path / "file" / "sub")


def test_tables_are_written_as_each_strategy_finishes(tmp_path, monkeypatch):
    """A strategy that fails late loses nothing of the strategies before it."""
    import nbtune.search.helpers

    real_compare = nbtune.search.helpers.compare

    def compare(*args, strategies, **kwargs):
        if strategies == ["random"]:
            assert (tmp_path / "trials.csv").exists()  # grid's tables are on disk already
            raise RuntimeError("random search broke")
        return real_compare(*args, strategies=strategies, **kwargs)

    monkeypatch.setattr(nbtune.search.helpers, "compare", compare)
    with pytest.raises(RuntimeError, match="random search broke"):
        nbtune.cli.main(["compare", "--fast", "--quiet", "--dataset", "breast_cancer",
                         "--strategies", "grid", "random", "--out", str(tmp_path)])
    trials = pd.read_csv(tmp_path / "trials.csv")
    assert set(trials["strategy"]) == {"grid"} and (trials["status"] == "ok").all()
    summary = pd.read_csv(tmp_path / "summary.csv", index_col=0)
    assert list(summary.index) == ["grid"] and summary.loc["grid", "test_score"] > 0.5


def test_a_fast_run_writes_its_files_and_nothing_on_stderr(tmp_path):
    run = run_nbtune("compare", "--fast", "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    trials = pd.read_csv(tmp_path / "trials.csv")
    assert list(dict.fromkeys(trials["strategy"])) == ["grid", "random", "hyperband"]
    assert (trials["status"] == "ok").all()
    summary = pd.read_csv(tmp_path / "summary.csv", index_col=0)
    assert list(summary.index) == ["grid", "random", "hyperband"]
    assert summary["test_score"].between(0.1, 1).all()
    assert (tmp_path / "comparison.png").stat().st_size > 0
    assert f"wrote {tmp_path / 'trials.csv'}" in run.stdout


def test_docstring_examples():
    outcome = doctest.testmod(nbtune.cli, optionflags=doctest.ELLIPSIS)
    assert outcome.attempted > 0 and outcome.failed == 0


def test_an_out_with_earlier_results_is_refused_and_overwrite_replaces_them(tmp_path, monkeypatch,
                                                                           capsys):
    import nbtune.search.helpers

    (tmp_path / "trials.csv").write_text("earlier\n")
    (tmp_path / "notes.txt").write_text("mine\n")
    with pytest.raises(SystemExit) as exit:
        nbtune.cli.main(["compare", "--fast", "--out", str(tmp_path)])
    assert exit.value.code == 2
    assert "holds the results of an earlier run (trials.csv)" in capsys.readouterr().err
    assert (tmp_path / "trials.csv").read_text() == "earlier\n"

    def compare(*args, **kwargs):  # with --overwrite they are gone before anything trains
        assert not (tmp_path / "trials.csv").exists()
        raise RuntimeError("the search broke")

    monkeypatch.setattr(nbtune.search.helpers, "compare", compare)
    with pytest.raises(RuntimeError, match="the search broke"):
        nbtune.cli.main(["compare", "--fast", "--quiet", "--dataset", "breast_cancer",
                         "--overwrite", "--out", str(tmp_path)])
    assert (tmp_path / "notes.txt").read_text() == "mine\n"  # not a result file: kept


def test_tables_are_replaced_whole(tmp_path):
    from nbtune import SearchResult

    (tmp_path / "trials.csv").write_text("an earlier table\n")
    result = SearchResult(pd.DataFrame({"strategy": ["grid"], "units": [4], "score": [0.9]}))
    nbtune.cli.write_tables(result, tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["summary.csv", "trials.csv"]
    assert pd.read_csv(tmp_path / "trials.csv")["score"].tolist() == [0.9]


def test_a_command_line_error_says_what_to_do(capsys):
    for argv, fix in [(["compare", "--out"], "argument --out: expected one argument; give one, "
                                             "e.g. --out results"),
                      (["compare", "--epochz", "3"], "unrecognized arguments: --epochz 3; run "
                                                     "`python -m nbtune compare --help`")]:
        with pytest.raises(SystemExit):
            nbtune.cli.main(argv)
        assert fix in capsys.readouterr().err
    with pytest.raises(TypeError, match=r"give a list of strings, e.g. main\(\['compare', '--fast'\]\)"):
        nbtune.cli.main("compare --fast")
