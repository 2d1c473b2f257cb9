"""Every bad input in the probe suite is refused clearly, before it costs anything.

The cases are in ``tests/surface_cases_*.py``; the verdicts are explained in
``tests/surface_probe.py``. ``python scripts/probe_surfaces.py`` prints the counts
per verdict, and lists every case that is not clear.
"""

import pytest
import surface_probe

CASES = [(module, case) for module in surface_probe.all_modules()
         for case in surface_probe.load_cases(module)]


@pytest.mark.parametrize(("module", "case"), CASES,
                         ids=[f"{m.removeprefix('surface_cases_')}:{c.id}" for m, c in CASES])
def test_bad_input_is_refused_clearly(module, case):
    outcome = surface_probe.run_case(module, case)
    assert outcome.verdict == "clear", outcome.detail


def test_the_probe_tells_verdicts_apart(tmp_path):
    """The judge itself: a clear refusal, a vague one, a silent accept, a crash, a refusal after
    writing, and a library that did not fit under the memory limit."""
    def refuse_clearly(tmp):
        raise ValueError("epochs=0 is not allowed: give a whole number >= 1")

    def refuse_vaguely(tmp):
        raise ValueError("bad value")

    def crash(tmp):
        return {}["epochs"]

    def write_then_refuse(tmp):
        (tmp / "out.txt").write_text("half")
        raise ValueError("epochs=0 is not allowed: give a whole number >= 1")

    def load_past_the_limit(tmp):
        raise ImportError("libtensorflow_cc.so.2: failed to map segment from shared object")

    expected = {refuse_clearly: "clear", refuse_vaguely: "vague", crash: "crash",
                (lambda tmp: None): "silent", write_then_refuse: "late",
                load_past_the_limit: "hang"}
    for number, (call, verdict) in enumerate(expected.items()):
        folder = tmp_path / str(number)
        folder.mkdir()
        got, detail = surface_probe.judge(surface_probe.Case("c", call, "epochs"), folder)
        assert got == verdict, detail
