"""Every lesson, in English and in Korean, runs top to bottom without an error or stderr output.

Notebooks are executed with nbclient (already a test dependency; it gives the
kernel our environment, a per-cell timeout and the executed notebook to
inspect, without a pytest plugin).  NBTUNE_FAST=1 shrinks every budget.  The
kernel gets the environment a student's kernel has: without the variables
that ``nbtune.backend.quiet_tensorflow`` sets for the test run itself, so the
lessons have to silence TensorFlow on their own.

The Korean edition (``notebooks/ko/``, the same file names) is checked as the
English one is, and is the same program as its twin (tests/lesson_twins.py).

CI runs every lesson once: ``scripts/colab_check.py --save-executed DIR``
executes each at the students' budgets in a Colab-like runtime, and with
``NBTUNE_EXECUTED_LESSONS=DIR`` these tests read those executed copies instead
of executing the lessons again in fast mode.  A copy whose cells are not the
lesson's (a stale one) fails the test.
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
KOREAN = sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))
LESSONS = NOTEBOOKS + KOREAN
#: a lesson's name in test ids and messages: ``05_editing_the_search_space`` or ``ko/05_...``
NAMES = [p.relative_to(ROOT / "notebooks").with_suffix("").as_posix() for p in LESSONS]
#: where scripts/colab_check.py --save-executed left executed copies (CI), if anywhere
EXECUTED = os.environ.get("NBTUNE_EXECUTED_LESSONS")


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
    """Each lesson is executed once per test session, for the tests that inspect it; or read
    from ``NBTUNE_EXECUTED_LESSONS`` where CI's Colab-like check executed it."""
    if not EXECUTED:
        return execute(path)
    copy = Path(EXECUTED) / path.relative_to(ROOT / "notebooks")
    notebook = nbformat.read(copy, as_version=4)
    lesson = nbformat.read(path, as_version=4)
    assert ([(c.id, c.source) for c in notebook.cells] == [(c.id, c.source) for c in lesson.cells]), \
        f"{copy} is not an executed copy of {path.name} as it is now; run the Colab-like check again"
    return notebook


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
    korean = (ROOT / "README.ko.md").read_text()
    listed = re.findall(r"^\| \[`notebooks/ko/(\d\d_\w+)\.ipynb`\]\(notebooks/ko/\1\.ipynb\) \|",
                        korean, flags=re.M)
    assert [p.stem for p in KOREAN] == listed == [p.stem for p in NOTEBOOKS]
    assert "[English](README.md) | 한국어" in korean and "(README.ko.md)" in readme


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_the_korean_lesson_is_the_same_program_as_the_english_one(path):
    """Same cells, ids and code; only comments, strings and prose translated (lesson_twins)."""
    from lesson_twins import differences

    twin = ROOT / "notebooks" / "ko" / path.name
    assert twin.exists(), f"{path.name} has no Korean twin in notebooks/ko/"
    assert differences(nbformat.read(path, as_version=4), nbformat.read(twin, as_version=4)) == []


def test_the_twin_check_sees_a_changed_program():
    from lesson_twins import differences

    english = nbformat.read(NOTEBOOKS[1], as_version=4)
    korean = nbformat.read(KOREAN[1], as_version=4)
    code = next(c for c in korean.cells if c.cell_type == "code" and c.id != "set-up"
                and "=" in c.source)
    code.source = code.source.replace("=", "= 1 +", 1)
    assert any(code.id in line for line in differences(english, korean))
    korean.cells.pop()
    assert differences(english, korean)[0].startswith("the cells differ")


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
def test_lesson_runs_without_an_error(path):
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


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
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


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
def test_lesson_is_committed_clean(path):
    """No outputs or execution counts in the repository: a student starts fresh."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", LESSONS, ids=NAMES)
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

    time_line = {"en": r"^Time: about (\d+) s on one core", "ko": r"^시간: 한 코어에서 약 (\d+)초"}
    for path in NOTEBOOKS[1:] + KOREAN[1:]:  # lesson 00 prints the table itself
        first = title_cell(nbformat.read(path, as_version=4)).source
        quoted = re.findall(time_line[edition(path)], first, flags=re.M)
        assert len(quoted) == 1 and agrees(quoted[0], path.stem), (path, quoted)
    time_cell = {"en": r"about (\d+) s on one core", "ko": r"약 (\d+)초 \(한 코어\)"}
    for edition_name, folder in (("en", ROOT / "notebooks"), ("ko", ROOT / "notebooks" / "ko")):
        instructors = (folder / "INSTRUCTORS.md").read_text()
        rows = dict(re.findall(r"^\| (\d\d) [^|]+\|[^|]+\| " + time_cell[edition_name] + r" \|",
                               instructors, flags=re.M))
        assert sorted(rows) == [p.stem[:2] for p in NOTEBOOKS], folder
        for path in NOTEBOOKS:
            assert agrees(rows[path.stem[:2]], path.stem), (folder, path.stem, rows[path.stem[:2]])


def edition(path: Path) -> str:
    """"ko" for a lesson of the Korean edition, else "en"."""
    return "ko" if path.parent.name == "ko" else "en"
