"""A real Jupyter kernel: interrupt a search (the notebook's stop button), resume, compare.

The kernel is started with jupyter_client, as JupyterLab starts one; the
interrupt is the kernel manager's ``interrupt_kernel()``, what the stop button
sends. The resumed search must have the uninterrupted run's configurations and
scores.
"""

import json
import queue
import time
from pathlib import Path

import pytest

jupyter_client = pytest.importorskip("jupyter_client")

TESTS = Path(__file__).parent

SETUP = f"""
import json, os, sys, warnings
os.environ["NBTUNE_SIDE_BY_SIDE"] = "0"  # one trial a unit: the stop button lands between trials
sys.path.insert(0, {str(TESTS)!r})
from conftest import tiny_build
import nbtune
from nbtune import Choice, SearchSpace, data
cancer = data.load_breast_cancer()
X, y = cancer.X_train[:160], cancer.y_train[:160]
space = SearchSpace(Choice("units", [4, 8, 16, 32]), Choice("learning_rate", [1e-2, 3e-3, 1e-3]))
searches = {{
    "grid": lambda **kw: nbtune.grid_search(tiny_build, space, X, y, cv=2, epochs=1,
                                            progress=False, **kw),
    "hyperband": lambda **kw: nbtune.hyperband(tiny_build, space, X, y,
                                               validation_data=cancer.validation, max_epochs=9,
                                               progress=False, **kw),
}}
def table(result):
    rows = result.trials[["trial", "units", "learning_rate", "score", "status"]]
    print(json.dumps(rows.round(6).to_dict("records")))
"""


def execute(kc, code: str, timeout: float = 300) -> tuple[str, str]:
    """Run ``code`` in the kernel; its stdout and its error (if any)."""
    msg_id = kc.execute(code)
    out, error = [], ""
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["name"] == "stdout":
            out.append(content["text"])
        elif kind == "error":
            error = f"{content['ename']}: {content['evalue']}"
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(out), error
    raise TimeoutError(f"the kernel did not finish {code[:60]!r} in {timeout} s")


def wait_idle(kc, msg_id: str, timeout: float) -> bool:
    """Whether the cell ``msg_id`` ended (the kernel went idle) within ``timeout`` seconds."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=max(deadline - time.time(), 0.1))
        except queue.Empty:
            return False
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return True
    return False


@pytest.fixture
def kernel():
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="python3")
    try:
        execute(kc, SETUP)
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.parametrize("strategy", ["grid", "hyperband"])
def test_the_stop_button_then_resume_gives_the_uninterrupted_trials(kernel, strategy, tmp_path):
    km, kc = kernel
    folder = tmp_path / strategy / "trials.jsonl"
    msg_id = kc.execute(f"partial = searches[{strategy!r}](directory={str(tmp_path)!r})")
    deadline = time.time() + 240
    while time.time() < deadline and (not folder.exists() or len(folder.read_text().splitlines()) < 3):
        time.sleep(0.05)
    km.interrupt_kernel()  # the stop button, mid-search
    if not wait_idle(kc, msg_id, timeout=60):
        # once in a CI run the cell did not end after one press (not seen in 20 local runs:
        # see the closing note of issue 11); a user presses Stop again, and so does this test
        assert km.is_alive(), "the kernel died on the stop button"
        km.interrupt_kernel()
        assert wait_idle(kc, msg_id, timeout=60), "the cell did not end after two presses of Stop"
    out, error = execute(kc, "print(partial.complete, len(partial.trials))")
    assert not error and out.split()[0] == "False", (out, error)

    resumed, error = execute(kc, f"table(searches[{strategy!r}](directory={str(tmp_path)!r}, "
                                 "resume=True))")
    assert not error, error
    full, error = execute(kc, f"table(searches[{strategy!r}]())")
    assert not error, error
    assert json.loads(resumed) == json.loads(full)
