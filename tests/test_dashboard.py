"""Lesson 05 as a Voilà dashboard (scripts/voila_lesson05.sh) starts no search by itself.

Voilà 0.5 sets ``VOILA_KERNEL_ID`` in the kernel before it runs the notebook;
the lesson's settings cell reads it (``DASHBOARD``) and its "without a
browser" cells, which narrow the editors and run the searches from code,
print one line instead: in a dashboard the student uses the sliders and
buttons.  Here the lesson runs in fast mode with nbclient and that variable
set, as ``tests/test_notebooks.py`` runs it without; Voilà itself is not a
test dependency (the check in a real Voilà with Chromium is described in
notebooks/INSTRUCTORS.md).
"""

import json
from pathlib import Path

import nbformat
from test_notebooks import environment, execute, outputs

LESSON = Path(__file__).parent.parent / "notebooks" / "05_editing_the_search_space.ipynb"
SKIPPED = "In the dashboard this cell does not run"

# What the kernel holds once every cell has run: the searches' results and the editor's size.
STATE = """import json
print(json.dumps({
    "results": sorted(name for name in ("grid_result", "stopped", "kt_result") if name in globals()),
    "runs": [len(panel.results), len(stop_panel.results)],
    "running": [panel.running, stop_panel.running],
    "configurations": [editor.cost["configs"], kt_editor.cost["configs"]],
}))"""


def test_in_a_dashboard_the_lesson_runs_no_search_and_shows_every_control(tmp_path):
    notebook = nbformat.read(LESSON, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(STATE))
    copy = tmp_path / LESSON.name
    nbformat.write(notebook, copy)
    with environment(VOILA_KERNEL_ID="test-dashboard"):
        ran = execute(copy)

    assert outputs(ran, output_type="error") == []
    assert outputs(ran, output_type="stream", name="stderr") == []
    code = [(number, cell) for number, cell in enumerate(ran.cells) if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for _, cell in code)

    guarded = [number for number, cell in code if cell.source.startswith("if DASHBOARD:")]
    printed = {number: "".join(o.get("text", "") for o in cell.outputs) for number, cell in code}
    assert len(guarded) == 5
    for number in guarded:
        assert printed[number].startswith(SKIPPED) and printed[number].count("\n") == 1, number
    state = json.loads(printed[code[-1][0]])
    assert state["results"] == [] and state["runs"] == [0, 0]
    assert state["running"] == [False, False]
    # the editors keep the space the lesson starts from (lesson 05: 1,440 and 48 configurations)
    assert state["configurations"] == [1440, 48]

    widgets = {number for number, cell in code for o in cell.outputs
               if "application/vnd.jupyter.widget-view+json" in o.get("data", {})}
    assert len(widgets) == 4  # the two editors and the two panels
