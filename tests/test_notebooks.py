"""Every lesson runs top to bottom, in fast mode, without an error or stderr output.

Notebooks are executed with nbclient (already a test dependency; it gives the
kernel our environment, a per-cell timeout and the executed notebook to
inspect, without a pytest plugin).  NBTUNE_FAST=1 shrinks every budget.  The
kernel gets the environment a student's kernel has: without the variables
that ``nbtune.backend.quiet_tensorflow`` sets for the test run itself, so the
lessons have to silence TensorFlow on their own.
"""

import contextlib
import functools
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nbtune.backend import QUIET_ENVIRONMENT

ROOT = Path(__file__).parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@contextlib.contextmanager
def environment(**values):
    """Set (a str) or remove (None) environment variables within the block."""
    before = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def execute(path: Path, *, fast: bool = True, timeout: int = 600) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel, in its own folder; return it with outputs."""
    notebook = nbformat.read(path, as_version=4)
    student = dict.fromkeys(QUIET_ENVIRONMENT)  # what a student's kernel has: none of them
    with environment(NBTUNE_FAST="1" if fast else "0", **student):
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}},
                                extra_arguments=["--IPKernelApp.log_level=ERROR"])
        client.execute()
    return notebook


@functools.cache
def executed(path: Path) -> nbformat.NotebookNode:
    """Each lesson is executed once per test session, for the tests that inspect it."""
    return execute(path)


def outputs(notebook: nbformat.NotebookNode, **match) -> list[tuple[int, dict]]:
    """(cell number, output) of every output whose fields equal ``match``."""
    return [(number, output) for number, cell in enumerate(notebook.cells)
            for output in cell.get("outputs", [])
            if all(output.get(key) == value for key, value in match.items())]


def title_cell(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A lesson's title cell: the first after its badges and set-up (scripts/lesson_links.py)."""
    return next(c for c in notebook.cells if c.id not in ("open-in-colab-or-binder", "set-up"))


def test_the_lessons_are_the_ones_readme_lists():
    readme = (ROOT / "README.md").read_text()
    listed = re.findall(r"^\| `notebooks/(\d\d_\w+)\.ipynb` \|", readme, flags=re.M)
    assert len(listed) == 10 and [p.stem for p in NOTEBOOKS] == listed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_runs_in_fast_mode(path):
    errors = outputs(executed(path), output_type="error")
    assert not errors, [(number, o["ename"], o["evalue"]) for number, o in errors]


#: nbtune's own advice, printed by Python's warnings (file:line: EdgeWarning: ..., then the source line)
EDGE_WARNING = re.compile(r"(\S+:\d+: EdgeWarning: [^\n]*\n(  [^\n]*\n)?)+")


def is_edge_warning(text: str) -> bool:
    """True when a stderr output is only nbtune's EdgeWarning (the Playbook's boundary rule)."""
    return EDGE_WARNING.fullmatch(text) is not None


def test_only_an_edge_warning_counts_as_advice():
    warning = ("/tmp/ipykernel_1/2.py:3: EdgeWarning: grid search's best units=64 sits at the "
               "high edge of Int('units', 16, 64): ...\n  result = nbtune.grid_search(build)\n")
    assert is_edge_warning(warning) and is_edge_warning(warning * 2)
    assert not is_edge_warning(warning + "2026-12-06 I tensorflow/core/util/port.cc:153] oneDNN\n")
    assert not is_edge_warning("x.py:1: UserWarning: something\n  code\n")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_writes_nothing_to_stderr(path):
    """No red box: TensorFlow's start-up lines (absl, oneDNN) and any warning show as stderr.

    But for nbtune's :class:`~nbtune.space.EdgeWarning`: a search whose best
    value sits at the edge of its range says so, and a lesson keeps that advice.
    """
    stderr = [(number, output)
              for number, output in outputs(executed(path), output_type="stream", name="stderr")
              if not is_edge_warning(output["text"])]
    assert not stderr, [(number, o["text"][:300]) for number, o in stderr]


def test_lessons_hold_the_metadata_jupyterlab_writes_and_slide_types():
    """Opening a lesson does not mark it modified; RISE finds a slide type on every cell."""
    import subprocess
    import sys

    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "lesson_metadata.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr + "; run python scripts/lesson_metadata.py"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_is_committed_clean(path):
    """No outputs or execution counts in the repository: a student starts fresh."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_prose_quotes_only_numbers_its_code_or_outputs_show(path):
    """A decimal, percentage or duration in a markdown cell is a setting or an output."""
    from prose_numbers import unbacked_numbers

    assert unbacked_numbers(executed(path), path.stem) == []


# Lessons known to take longer than the target on one core, and why (none should be here).
OVER_THE_TIME_TARGET: dict[str, str] = {}  # lesson -> why it may take up to 1.25x the target


def test_time_statements_agree_with_the_measured_lesson_times():
    """Each lesson's 'Time:' line and INSTRUCTORS.md's table quote lessons.lesson_times()."""
    from nbtune.lessons.shipped import lesson_times

    times = lesson_times()
    assert sorted(times.index) == [p.stem for p in NOTEBOOKS]
    target = times.attrs["targets"]["seconds"]
    within = times["seconds"] <= target
    assert set(times.index[~within]) <= set(OVER_THE_TIME_TARGET), times
    assert (times["seconds"] <= 1.25 * target).all(), times
    assert (times["peak_mib"] <= times.attrs["targets"]["peak_mib"]).all(), times

    def agrees(quoted: str, lesson: str) -> bool:
        measured = times.loc[lesson, "seconds"]
        return abs(int(quoted) - measured) <= max(5, 0.1 * measured)

    for path in NOTEBOOKS[1:]:  # lesson 00 prints the table itself
        first = title_cell(nbformat.read(path, as_version=4)).source
        quoted = re.findall(r"^Time: about (\d+) s on one core", first, flags=re.M)
        assert len(quoted) == 1 and agrees(quoted[0], path.stem), (path.stem, quoted)
    instructors = (ROOT / "notebooks" / "INSTRUCTORS.md").read_text()
    rows = dict(re.findall(r"^\| (\d\d) [^|]+\|[^|]+\| about (\d+) s on one core \|", instructors,
                           flags=re.M))
    assert sorted(rows) == [p.stem[:2] for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        assert agrees(rows[path.stem[:2]], path.stem), (path.stem, rows[path.stem[:2]])
