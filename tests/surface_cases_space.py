"""Bad inputs to search spaces: dimensions, sizes, JSON."""

from surface_probe import Case


def float_tiny_step_size(tmp):
    from nbtune import Float, SearchSpace

    return SearchSpace(Float("x", 0, 1, step=1e-9)).size


def from_json_not_json(tmp):
    from nbtune import SearchSpace

    return SearchSpace.from_json("not json")


CASES = [
    Case("float-step-1e-9-size", float_tiny_step_size, "step", isolated=True, trains=False),
    Case("from-json-not-json", from_json_not_json, "json", trains=False),
]
