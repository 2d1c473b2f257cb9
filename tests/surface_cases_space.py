"""Bad inputs to search spaces: dimensions, their sizes, the space's methods, JSON.

A space's size is arithmetic, so the huge ranges below are refused (or counted)
without building a grid; they run in a subprocess with an address-space limit
(``isolated=True``) because an older nbtune built them. Costs and plans too large
to run are in ``surface_cases_plan.py``.
"""

from surface_probe import Case

# The subprocess of an isolated case imports this module before it limits its address
# space: what the calls use is loaded here, so that mapping a library is not what fails
# under the limit (nbtune.space needs numpy only: the subprocess starts in a second).
import nbtune.space  # noqa: F401


# ----------------------------------------------------------------- dimensions
def float_tiny_step_size(tmp):
    from nbtune import Float, SearchSpace

    return SearchSpace(Float("x", 0, 1, step=1e-9)).size


def float_huge_range_step(tmp):
    from nbtune import Float, SearchSpace

    return SearchSpace(Float("x", 0, 1e308, step=1)).size


def float_width_overflows(tmp):
    from nbtune import Float

    return Float("x", -1e308, 1e308)


def float_log_ratio_overflows(tmp):
    from nbtune import Float

    return Float("x", 1e-308, 1e308, log=True, step=10).grid()


def float_nan_low(tmp):
    from nbtune import Float

    return Float("x", float("nan"), 1)


def float_inf_high(tmp):
    from nbtune import Float

    return Float("x", 0, float("inf"))


def float_log_tiny_multiplier(tmp):
    from nbtune import Float

    return Float("lr", 1e-5, 1.0, log=True, step=1.00001).grid()


def int_billion_grid(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 10**9)).grid()


def int_billion_step_grid(tmp):
    from nbtune import Int

    return Int("units", 0, 10**10, step=2)


def int_huge_bounds(tmp):
    from nbtune import Int

    return Int("units", 1, 10**20)


def int_string_bound(tmp):
    from nbtune import Int

    return Int("units", 1, "64")


def int_log_string(tmp):
    from nbtune import Int

    return Int("units", 1, 64, log="true")


def choice_million_duplicate(tmp):
    from nbtune import Choice

    return Choice("x", list(range(10**6 - 1)) + [5])


def choice_billion_range(tmp):
    from nbtune import Choice

    return Choice("x", range(10**9))


def choice_inf(tmp):
    from nbtune import Choice

    return Choice("learning_rate", [1e-3, float("inf")])


def choice_object_in_long_list(tmp):
    from nbtune import Choice

    return Choice("x", list(range(10**5)) + [object()])


def fixed_inf(tmp):
    from nbtune import Fixed

    return Fixed("clipnorm", float("-inf"))


def log_uniform_int_zero(tmp):
    from nbtune.space import LogUniformInt

    return LogUniformInt(0, 10).rvs(random_state=0)


def log_uniform_int_text(tmp):
    from nbtune.space import LogUniformInt

    return LogUniformInt("a", 10)


# ----------------------------------------------------------------- the space
def space_points_billion(tmp):
    from nbtune import Float, SearchSpace

    return SearchSpace(Float("lr", 1e-4, 1e-1, log=True)).grid(points=10**9)


def space_points_unknown(tmp):
    from nbtune import Float, SearchSpace

    return SearchSpace(Float("lr", 1e-4, 1e-1, log=True)).grid(points={"learning_rate": 3})


def space_size_stepless(tmp):
    from nbtune import Float, SearchSpace

    return SearchSpace(Float("lr", 1e-4, 1e-1, log=True)).size


def space_without_unknown(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 4), Int("epochs", 1, 4)).without("epoch")


def space_with_values_unknown(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 4)).with_values(unit=3)


def space_with_values_text(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 4)).with_values(units="four")


def space_narrow_list(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 64)).narrow(["units", 32])


def space_narrow_nan_fraction(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 64)).narrow({"units": 32}, fraction=float("nan"))


def space_edges_margin(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 64)).edges({"units": 32}, margin=2)


def space_edges_not_mapping(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 64)).edges(32)


def space_to_python_list(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 64)).to_python([32])


def space_values_from_hp_list(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace(Int("units", 1, 64)).values_from_hp([32])


def space_from_build_fn_number(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_build_fn(42)


# ----------------------------------------------------------------- JSON
def from_json_not_json(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_json("not json")


def from_json_truncated(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace.from_json(SearchSpace(Int("units", 1, 64)).to_json()[:-5])


def from_json_empty(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_json("")


def from_json_none(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_json(None)


def from_json_a_dict(tmp):
    from nbtune import Int, SearchSpace

    return SearchSpace.from_json(SearchSpace(Int("units", 1, 64)).to_dict())


def from_json_a_list(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_json("[1, 2]")


def from_json_infinite_bound(tmp):
    from nbtune import SearchSpace

    text = '{"dimensions": [{"type": "Float", "name": "lr", "low": 0, "high": Infinity}]}'
    return SearchSpace.from_json(text)


def _dims(*entries):
    return {"dimensions": list(entries)}


def from_dict_no_dimensions(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict({})


def from_dict_dimensions_empty(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict({"dimensions": []})


def from_dict_dimensions_a_dict(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict({"dimensions": {"type": "Int", "name": "units", "low": 1, "high": 4}})


def from_dict_a_list(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict([{"type": "Int", "name": "units", "low": 1, "high": 4}])


def from_dict_missing_type(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict(_dims({"name": "units", "low": 1, "high": 4}))


def from_dict_unknown_type(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict(_dims({"type": "Integer", "name": "units", "low": 1, "high": 4}))


def from_dict_missing_field(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict(_dims({"type": "Int", "name": "units", "low": 1}))


def from_dict_extra_field(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict(_dims({"type": "Int", "name": "units", "low": 1, "high": 4,
                                        "sampling": "log"}))


def from_dict_entry_a_list(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict(_dims(["Int", "units", 1, 4]))


def from_dict_bad_value(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict(_dims({"type": "Int", "name": "units", "low": 1, "high": "many"}))


def from_dict_unknown_top_key(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict({"dimensions": [{"type": "Fixed", "name": "epochs", "value": 3}],
                                  "dimensons": []})


def from_dict_type_not_text(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_dict(_dims({"type": ["Int"], "name": "units", "low": 1, "high": 4}))


QUICK = dict(trains=False)
ISOLATED = dict(isolated=True, trains=False, seconds=5)

CASES = [
    Case("float-step-1e-9-size", float_tiny_step_size, "step", **ISOLATED),
    Case("float-0-1e308-step-1", float_huge_range_step, "step", **ISOLATED),
    Case("float-width-overflows", float_width_overflows, ("low", "high"), **QUICK),
    Case("float-log-ratio-overflows", float_log_ratio_overflows, ("low", "high"), **QUICK),
    Case("float-nan-low", float_nan_low, "low", **QUICK),
    Case("float-inf-high", float_inf_high, "high", **QUICK),
    Case("float-log-multiplier-1.00001", float_log_tiny_multiplier, "step", **QUICK),
    Case("int-1e9-grid", int_billion_grid, ("grid", "step"), **ISOLATED),
    Case("int-step-2-over-1e10", int_billion_step_grid, "step", **QUICK),
    Case("int-bound-1e20", int_huge_bounds, "high", **QUICK),
    Case("int-bound-text", int_string_bound, "high", **QUICK),
    Case("int-log-text", int_log_string, "log", **QUICK),
    Case("choice-1e6-with-duplicate", choice_million_duplicate, "values", **ISOLATED),
    Case("choice-range-1e9", choice_billion_range, "values", **ISOLATED),
    Case("choice-inf", choice_inf, "values", **QUICK),
    Case("choice-object-in-1e5", choice_object_in_long_list, "values", **QUICK),
    Case("fixed-inf", fixed_inf, "value", **QUICK),
    Case("loguniformint-low-0", log_uniform_int_zero, "low", **QUICK),
    Case("loguniformint-low-text", log_uniform_int_text, "low", **QUICK),
    Case("grid-points-1e9", space_points_billion, "points", **ISOLATED),
    Case("grid-points-unknown-name", space_points_unknown, "points", **QUICK),
    Case("size-stepless-float", space_size_stepless, ("step", "points"), **QUICK),
    Case("without-unknown", space_without_unknown, "epoch", **QUICK),
    Case("with-values-unknown", space_with_values_unknown, "unit", **QUICK),
    Case("with-values-text-for-int", space_with_values_text, "units", **QUICK),
    Case("narrow-list", space_narrow_list, "best_params", **QUICK),
    Case("narrow-nan-fraction", space_narrow_nan_fraction, "fraction", **QUICK),
    Case("edges-margin-2", space_edges_margin, "margin", **QUICK),
    Case("edges-not-mapping", space_edges_not_mapping, "params", **QUICK),
    Case("to-python-list", space_to_python_list, "params", **QUICK),
    Case("values-from-hp-list", space_values_from_hp_list, "hp", **QUICK),
    Case("from-build-fn-number", space_from_build_fn_number, ("fn", "build"), **QUICK),
    Case("from-json-not-json", from_json_not_json, "json", **QUICK),
    Case("from-json-truncated", from_json_truncated, ("line", "column"), **QUICK),
    Case("from-json-empty", from_json_empty, "json", **QUICK),
    Case("from-json-none", from_json_none, "json", **QUICK),
    Case("from-json-a-dict", from_json_a_dict, "from_dict", **QUICK),
    Case("from-json-a-list", from_json_a_list, "dimensions", **QUICK),
    Case("from-json-infinity", from_json_infinite_bound, "high", **QUICK),
    Case("from-dict-empty", from_dict_no_dimensions, "dimensions", **QUICK),
    Case("from-dict-no-dimension", from_dict_dimensions_empty, "dimension", **QUICK),
    Case("from-dict-dimensions-a-dict", from_dict_dimensions_a_dict, "dimensions", **QUICK),
    Case("from-dict-a-list", from_dict_a_list, "dimensions", **QUICK),
    Case("from-dict-missing-type", from_dict_missing_type, "type", **QUICK),
    Case("from-dict-unknown-type", from_dict_unknown_type, "Integer", **QUICK),
    Case("from-dict-missing-field", from_dict_missing_field, "high", **QUICK),
    Case("from-dict-extra-field", from_dict_extra_field, "sampling", **QUICK),
    Case("from-dict-entry-a-list", from_dict_entry_a_list, "dimensions[0]", **QUICK),
    Case("from-dict-bad-value", from_dict_bad_value, "high", **QUICK),
    Case("from-dict-unknown-top-key", from_dict_unknown_top_key, "dimensons", **QUICK),
    Case("from-dict-type-a-list", from_dict_type_not_text, "type", **QUICK),
]
