"""Bad inputs to the SpaceEditor: its arguments, the attributes a student sets, its rows, JSON.

The editor's own refusal of a space too large for a class is the warning line
of its summary (a student reads it under the sliders); the cases about huge
spaces raise that line, so a clear one is judged clear, and an editor that
built the grid (as an older nbtune did) runs out of memory or time.
"""

# loaded before an isolated case's subprocess limits its address space (see surface_cases_plan)
import scipy.stats  # noqa: F401
from surface_probe import Case

import nbtune.search.cost  # noqa: F401
import nbtune.ui.editor  # noqa: F401


def _editor(*dims, **kwargs):
    from nbtune import Int, SearchSpace, SpaceEditor

    return SpaceEditor(SearchSpace(*(dims or (Int("units", 4, 64, step=4),))), **kwargs)


def _summary_warning(editor):
    """The summary's warning, as an error (what the student is told), or None."""
    warning = [line for line in editor.summary_text.splitlines() if line.startswith("WARNING")]
    if warning:
        raise ValueError(" ".join(warning))


# ----------------------------------------------------------------- huge spaces
def int_billion(tmp):
    from nbtune import Int

    _summary_warning(_editor(Int("units", 1, 10**9)))


def float_step_box_tiny(tmp):
    from nbtune import Float

    editor = _editor(Float("dropout", 0.0, 1.0, step=0.1))
    editor.rows["dropout"].step.value = 1e-6  # 1,000,001 values
    return editor.space


def three_ints_billion(tmp):
    from nbtune import Int

    _summary_warning(_editor(Int("a", 1, 1000), Int("b", 1, 1000), Int("units", 1, 1000)))


def epochs_millions(tmp):
    from nbtune import Int

    _summary_warning(_editor(Int("epochs", 1, 2 * 10**6)))


# ----------------------------------------------------------------- arguments
def cv_zero(tmp):
    return _editor(cv=0)


def cv_text(tmp):
    return _editor(cv="3")


def epochs_zero(tmp):
    return _editor(epochs=0)


def epochs_million(tmp):
    return _editor(epochs=10**6)


def max_grid_text(tmp):
    return _editor(max_grid="100")


def max_grid_zero(tmp):
    return _editor(max_grid=0)


def max_minutes_nan(tmp):
    return _editor(max_minutes=float("nan"))


def max_minutes_negative(tmp):
    return _editor(max_minutes=-1)


def points_zero(tmp):
    from nbtune import Float

    return _editor(Float("lr", 1e-4, 1e-1, log=True), points=0)


def points_thousand(tmp):
    from nbtune import Float

    return _editor(Float("lr", 1e-4, 1e-1, log=True), points=1000)


def seconds_nan(tmp):
    return _editor(seconds_per_epoch=float("nan"), fit_overhead=1.0)


def seconds_inf(tmp):
    return _editor(seconds_per_epoch=0.1, fit_overhead=float("inf"))


def seconds_bool(tmp):
    return _editor(seconds_per_epoch=True, fit_overhead=1.0)


def presentation_text(tmp):
    return _editor(presentation="yes")


def space_a_dict(tmp):
    from nbtune import SpaceEditor

    return SpaceEditor({"units": [4, 8]})


# ----------------------------------------------------------------- attributes set later
def set_max_grid_text(tmp):
    editor = _editor()
    editor.max_grid = "lots"
    return editor.too_large


def set_max_minutes_negative(tmp):
    editor = _editor()
    editor.max_minutes = -5
    return editor.too_large


def set_seconds_negative(tmp):
    editor = _editor(seconds_per_epoch=0.1, fit_overhead=1.0)
    editor.seconds_per_epoch = -0.1
    return editor.cost


def set_fit_overhead_text(tmp):
    editor = _editor(seconds_per_epoch=0.1, fit_overhead=1.0)
    editor.fit_overhead = "1 s"
    return editor.cost


# ----------------------------------------------------------------- JSON
def load_json_not_json(tmp):
    return _editor().load_json("not json")


def load_json_none(tmp):
    return _editor().load_json(None)


def load_json_points_unknown(tmp):
    from nbtune import Float, SearchSpace

    editor = _editor()
    text = SearchSpace(Float("lr", 1e-4, 1e-1, log=True)).to_dict()
    text["points"] = {"learning_rate": 3}
    import json

    return editor.load_json(json.dumps(text))


def load_json_points_zero(tmp):
    from nbtune import Float, SearchSpace

    text = SearchSpace(Float("lr", 1e-4, 1e-1, log=True)).to_dict()
    text["points"] = {"lr": 0}
    import json

    return _editor().load_json(json.dumps(text))


def load_json_missing_field(tmp):
    return _editor().load_json('{"dimensions": [{"type": "Int", "name": "units", "low": 1}]}')


def load_json_huge_step(tmp):
    return _editor().load_json(  # 1,000,001 values
        '{"dimensions": [{"type": "Float", "name": "x", "low": 0, "high": 1, "step": 1e-6}]}')


def dimension_row_number(tmp):
    from nbtune.ui.editor import dimension_row

    return dimension_row(42)


def dimension_row_points_zero(tmp):
    from nbtune import Float
    from nbtune.ui.editor import dimension_row

    return dimension_row(Float("lr", 1e-4, 1e-1, log=True), points=-3)


QUICK = dict(trains=False)
ISOLATED = dict(isolated=True, trains=False, seconds=10)

CASES = [
    Case("int-1e9", int_billion, "step", **ISOLATED),
    Case("float-step-box-1e-6", float_step_box_tiny, "step", **QUICK),
    Case("three-ints-1e9", three_ints_billion, "step", **QUICK),
    Case("epochs-dimension-2e6", epochs_millions, "step", **QUICK),
    Case("cv-0", cv_zero, "cv", **QUICK),
    Case("cv-text", cv_text, "cv", **QUICK),
    Case("epochs-0", epochs_zero, "epochs", **QUICK),
    Case("epochs-1e6", epochs_million, "epochs", **QUICK),
    Case("max-grid-text", max_grid_text, "max_grid", **QUICK),
    Case("max-grid-0", max_grid_zero, "max_grid", **QUICK),
    Case("max-minutes-nan", max_minutes_nan, "max_minutes", **QUICK),
    Case("max-minutes-negative", max_minutes_negative, "max_minutes", **QUICK),
    Case("points-0", points_zero, "points", **QUICK),
    Case("points-1000", points_thousand, "points", **QUICK),
    Case("seconds-nan", seconds_nan, "seconds_per_epoch", **QUICK),
    Case("overhead-inf", seconds_inf, "fit_overhead", **QUICK),
    Case("seconds-bool", seconds_bool, "seconds_per_epoch", **QUICK),
    Case("presentation-text", presentation_text, "presentation", **QUICK),
    Case("space-a-dict", space_a_dict, "space", **QUICK),
    Case("set-max-grid-text", set_max_grid_text, "max_grid", **QUICK),
    Case("set-max-minutes-negative", set_max_minutes_negative, "max_minutes", **QUICK),
    Case("set-seconds-negative", set_seconds_negative, "seconds_per_epoch", **QUICK),
    Case("set-fit-overhead-text", set_fit_overhead_text, "fit_overhead", **QUICK),
    Case("load-json-not-json", load_json_not_json, "json", **QUICK),
    Case("load-json-none", load_json_none, "load_json", **QUICK),
    Case("load-json-points-unknown", load_json_points_unknown, "learning_rate", **QUICK),
    Case("load-json-points-0", load_json_points_zero, "points", **QUICK),
    Case("load-json-missing-field", load_json_missing_field, "high", **QUICK),
    Case("load-json-step-1e-6", load_json_huge_step, "step", **QUICK),
    Case("dimension-row-number", dimension_row_number, "dimension_row", **QUICK),
    Case("dimension-row-points-negative", dimension_row_points_zero, "points", **QUICK),
]
