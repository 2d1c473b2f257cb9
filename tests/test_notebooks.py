"""Every lesson runs top to bottom, in fast mode, without an error.

Notebooks are executed with nbclient (already a test dependency; it gives the
kernel our environment, a per-cell timeout and the executed notebook to
inspect, without a pytest plugin).  NBTUNE_FAST=1 shrinks every budget.
"""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def execute(path: Path, *, fast: bool = True, timeout: int = 600) -> nbformat.NotebookNode:
    """Run a notebook in a fresh kernel, in its own folder; return it with outputs."""
    notebook = nbformat.read(path, as_version=4)
    env_before = os.environ.get("NBTUNE_FAST")
    os.environ["NBTUNE_FAST"] = "1" if fast else "0"
    try:
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}},
                                extra_arguments=["--IPKernelApp.log_level=ERROR"])
        client.execute()
    finally:
        if env_before is None:
            os.environ.pop("NBTUNE_FAST", None)
        else:
            os.environ["NBTUNE_FAST"] = env_before
    return notebook


def test_there_are_lessons():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_runs_in_fast_mode(path):
    notebook = execute(path)
    errors = [o for cell in notebook.cells for o in cell.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_lesson_is_committed_clean(path):
    """No outputs or execution counts in the repository: a student starts fresh."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
