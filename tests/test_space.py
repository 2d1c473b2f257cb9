"""Tests for nbtune.space: dimensions, grids, distributions, keras-tuner bridge."""

import inspect
import json
import subprocess
import sys

import numpy as np
import pytest
from sklearn.model_selection import ParameterGrid, ParameterSampler

from nbtune.space import (
    Choice,
    Fixed,
    Float,
    Int,
    LogUniformInt,
    SearchSpace,
)
from nbtune.space.build_fns import HpOrigin, as_kwargs_build_fn, hp_origin, is_hp_build_fn

PLAIN = (int, float, str, bool, type(None))


def lesson_space():
    return SearchSpace(
        Int("units", 32, 512, step=32),
        Choice("learning_rate", [1e-2, 1e-3, 1e-4]),
    )


def assert_plain(values):
    for v in values:
        assert type(v) in PLAIN, f"{v!r} is a {type(v).__name__}"


# ---------------------------------------------------------------- import
def test_import_does_not_load_tensorflow_or_keras():
    code = (
        "import nbtune.space, sys; "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules "
        "and 'keras_tuner' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- dimensions
def test_int_grid_is_inclusive_and_stepped():
    assert Int("units", 32, 128, step=32).grid() == [32, 64, 96, 128]
    assert Int("units", 32, 130, step=32).grid() == [32, 64, 96, 128]
    assert Int("n", 1, 3).grid() == [1, 2, 3]
    assert Int("n", 5, 5).grid() == [5]


def test_int_log_step_is_a_multiplier():
    assert Int("batch", 16, 256, step=2, log=True).grid() == [16, 32, 64, 128, 256]
    assert Int("batch", 1, 1000, step=10, log=True).grid() == [1, 10, 100, 1000]
    assert Int("n", 1, 5, log=True).grid() == [1, 2, 3, 4, 5]  # step 1: every integer


def test_float_step_grid_is_rounded_and_inclusive():
    assert Float("dropout", 0.0, 0.5, step=0.1).grid() == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert Float("lr", 1e-5, 1e-1, log=True, step=10).grid() == [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]


def test_float_points_linear_and_geometric():
    assert Float("d", 0.0, 1.0).grid(points=5) == [0.0, 0.25, 0.5, 0.75, 1.0]
    grid = Float("lr", 1e-4, 1e-1, log=True).grid(points=4)
    assert grid == [0.0001, 0.001, 0.01, 0.1]
    assert repr(grid[0]) == "0.0001"


def test_dimension_values_are_plain_python():
    dims = [
        Int("a", np.int64(1), np.int64(9), step=np.int64(2)),
        Float("b", np.float32(0.5), np.float64(2.0)),
        Choice("c", [np.int64(1), np.str_("x"), np.bool_(True), None]),
        Fixed("d", np.float64(3.0)),
    ]
    a, b, c, d = dims
    assert (a.low, a.high, a.step) == (1, 9, 2) and type(a.low) is int
    assert type(b.low) is float and b.low == 0.5
    assert c.values == (1, "x", True, None)
    assert_plain(a.grid() + b.grid(points=3) + c.grid() + d.grid())
    assert_plain([dim.default for dim in dims])
    assert Int("a", 1.0, 4.0) == Int("a", 1, 4)  # integer-valued floats are fine


def test_repr_and_equality():
    assert repr(Int("units", 32, 512, step=32)) == "Int('units', 32, 512, step=32)"
    assert repr(Float("lr", 1e-4, 1e-2, log=True)) == "Float('lr', 0.0001, 0.01, log=True)"
    assert repr(Choice("act", ["relu", None])) == "Choice('act', ['relu', None])"
    assert repr(Fixed("epochs", 5)) == "Fixed('epochs', 5)"
    assert Float("x", 0, 1) == Float("x", 0.0, 1.0)
    assert Fixed("x", 1) != Fixed("x", 1.0)
    assert Choice("x", [1, 2]) != Choice("x", [2, 1])
    assert len({Int("a", 1, 2), Int("a", 1, 2)}) == 1
    with pytest.raises(dataclasses_frozen_error()):
        Int("a", 1, 2).low = 0


def dataclasses_frozen_error():
    import dataclasses

    return dataclasses.FrozenInstanceError


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: Int("units", low=512, high=32), ValueError,
         r"low \(512\) is greater than high \(32\); swap them: Int\('units', 32, 512\)"),
        (lambda: Float("lr", 0.1, 0.01, log=True), ValueError, r"swap them: Float\('lr', 0.01, 0.1, log=True\)"),
        (lambda: Int("", 1, 2), ValueError, "name must be a non-empty string"),
        (lambda: Int(3, 1, 2), TypeError, "name must be a non-empty string, got 3"),
        (lambda: Int("units", "32", 512), TypeError, r"'units'.*low.*'32'.*drop the quotes: low=32"),
        (lambda: Float("lr", "a", 1), TypeError, r"low must be a real number, got 'a'"),
        (lambda: Int("units", True, 512), TypeError, r"'units'.*low.*bool True"),
        (lambda: Int("units", 32.5, 512), ValueError, r"'units'.*low must be an integer, got 32.5"),
        (lambda: Float("x", 0, float("inf")), ValueError, "high must be finite"),
        (lambda: Int("n", 0, 10, log=True), ValueError, r"'n'.*log range needs low > 0, got low=0"),
        (lambda: Float("lr", -1.0, 1.0, log=True), ValueError, r"'lr'.*low > 0, got low=-1.0"),
        (lambda: Int("units", 1, 10, step=0), ValueError, r"'units'.*step must be a positive integer, got 0"),
        (lambda: Int("units", 1, 10, step=1.5), ValueError, r"step must be an integer, got 1.5"),
        (lambda: Float("d", 0, 1, step=-0.1), ValueError, r"'d'.*step must be greater than 0"),
        (lambda: Float("lr", 1e-4, 1, log=True, step=0.5), ValueError,
         r"'lr'.*multiplier and must be greater than 1, got step=0.5"),
        (lambda: Int("n", 1, 10, log="yes"), TypeError, "log must be True or False, got 'yes'"),
        (lambda: Choice("act", "relu"), TypeError,
         r"Choice\('act', values='relu'\).*wrap it in a list: Choice\('act', \['relu'\]\)"),
        (lambda: Choice("n", 5), TypeError, r"wrap it in a list: Choice\('n', \[5\]\)"),
        (lambda: Choice("act", []), ValueError, r"'act'.*values is empty"),
        (lambda: Choice("act", ["relu", "tanh", "relu"]), ValueError,
         r"'relu' appears more than once.*Choice\('act', \['relu', 'tanh'\]\)"),
        (lambda: Choice("x", {1, 2}), TypeError, "a set has no order"),
        (lambda: Choice("opt", ["adam", object()]), TypeError, r"'opt'.*values\[1\].*pass a name"),
        (lambda: Fixed("x", [1, 2]), TypeError, r"Fixed\('x'.*value must be an int, float, str, bool or None"),
    ],
)
def test_validation_errors_name_the_argument_and_value(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_choice_keeps_order_and_allows_mixed_types():
    c = Choice("x", [None, "relu", 0.5, 2, True])
    assert c.grid() == [None, "relu", 0.5, 2, True]
    assert c.default is None
    assert Choice("b", [1, True]).values == (1, True)  # 1 and True are different choices


def test_search_space_validation():
    with pytest.raises(ValueError, match="at least one dimension"):
        SearchSpace()
    with pytest.raises(ValueError, match="'units' is used twice"):
        SearchSpace(Int("units", 1, 2), Int("units", 3, 4))
    with pytest.raises(TypeError, match=r"argument 1 is 'relu'.*not a dimension"):
        SearchSpace(Int("units", 1, 2), "relu")
    with pytest.raises(TypeError, match=r"SearchSpace\(\*dims\)"):
        SearchSpace([Int("units", 1, 2)])


# ---------------------------------------------------------------- container
def test_search_space_container_protocol():
    space = lesson_space()
    assert space.names == ("units", "learning_rate")
    assert space["units"] == Int("units", 32, 512, step=32)
    assert len(space) == 2
    assert [d.name for d in space] == ["units", "learning_rate"]
    assert "units" in space and "epochs" not in space
    assert space == lesson_space() and space != SearchSpace(Int("units", 32, 512))
    assert repr(space) == (
        "SearchSpace(\n"
        "    Int('units', 32, 512, step=32),\n"
        "    Choice('learning_rate', [0.01, 0.001, 0.0001]),\n"
        ")"
    )
    with pytest.raises(KeyError, match="no dimension named 'unit'"):
        space["unit"]


# ---------------------------------------------------------------- grid
def test_lesson_grid_and_size():
    space = lesson_space()
    grid = space.grid()
    assert grid["units"] == list(range(32, 513, 32)) and len(grid["units"]) == 16
    assert grid["learning_rate"] == [0.01, 0.001, 0.0001]
    assert space.size == space.grid_size() == 48 == len(ParameterGrid(grid))


def test_grid_points_int_and_dict():
    space = SearchSpace(
        Float("lr", 1e-4, 1e-2, log=True), Float("d", 0.0, 0.5), Int("units", 8, 16, step=8), Fixed("epochs", 3)
    )
    assert space.grid(points=3) == {
        "lr": [0.0001, 0.001, 0.01], "d": [0.0, 0.25, 0.5], "units": [8, 16], "epochs": [3]
    }
    assert space.grid(points={"lr": 2, "d": 3})["lr"] == [0.0001, 0.01]
    assert space.grid_size(points={"lr": 2, "d": 3}) == 2 * 3 * 2 * 1
    for params in ParameterGrid(space.grid(points=2)):
        assert_plain(params.values())


def test_grid_without_points_names_the_float_and_both_fixes():
    space = SearchSpace(Int("units", 8, 16), Float("dropout", 0.0, 0.5))
    for call in (space.grid, space.grid_size, lambda: space.size, lambda: space.grid(points={"units": 3})):
        with pytest.raises(ValueError, match=r"Float\('dropout'.*no step.*step=.*grid\(points="):
            call()
    with pytest.raises(ValueError, match=r"\['dropuot'\] not in the space"):
        space.grid(points={"dropuot": 3})
    with pytest.raises(ValueError, match="points=0 is not allowed; give a number from 1"):
        space.grid(points=0)


# ---------------------------------------------------------------- distributions
def test_distributions_types():
    space = SearchSpace(
        Int("units", 32, 512),
        Int("units32", 32, 512, step=32),
        Int("n", 1, 1000, log=True),
        Float("dropout", 0.0, 0.5),
        Float("lr", 1e-4, 1e-1, log=True),
        Float("d", 0.0, 0.5, step=0.25),
        Choice("act", ["relu", "tanh"]),
        Fixed("epochs", 3),
    )
    dist = space.distributions()
    assert dist["units"].dist.name == "randint" and dist["units"].support() == (32, 512)
    assert dist["units32"] == list(range(32, 513, 32))
    assert dist["n"] == LogUniformInt(1, 1000)
    assert dist["dropout"].dist.name == "uniform" and dist["dropout"].support() == (0.0, 0.5)
    assert dist["lr"].dist.name == "loguniform" and np.allclose(dist["lr"].support(), (1e-4, 1e-1))
    assert dist["d"] == [0.0, 0.25, 0.5]
    assert dist["act"] == ["relu", "tanh"] and dist["epochs"] == [3]


def test_parameter_sampler_values_in_bounds_and_plain_after_to_python():
    space = SearchSpace(
        Int("units", 32, 512),
        Int("batch", 16, 256, step=2, log=True),
        Float("dropout", 0.0, 0.5),
        Float("lr", 1e-4, 1e-1, log=True),
        Choice("act", ["relu", None]),
        Fixed("epochs", 3),
    )
    samples = [space.to_python(p) for p in ParameterSampler(space.distributions(), 50, random_state=12)]
    for p in samples:
        assert_plain(p.values())
        assert type(p["units"]) is int and 32 <= p["units"] <= 512
        assert p["batch"] in (16, 32, 64, 128, 256) and type(p["batch"]) is int
        assert 0.0 <= p["dropout"] <= 0.5 and 1e-4 <= p["lr"] <= 1e-1
        assert p["act"] in ("relu", None) and p["epochs"] == 3
    assert len({p["units"] for p in samples}) > 30


def test_log_uniform_samples_spread_over_decades():
    space = SearchSpace(Float("lr", 1e-5, 1e-1, log=True), Int("n", 1, 10000, log=True))
    samples = [space.to_python(p) for p in ParameterSampler(space.distributions(), 400, random_state=0)]
    lr_decades = np.bincount(np.floor(np.log10([p["lr"] for p in samples])).astype(int) + 5, minlength=4)
    n_decades = np.bincount(np.floor(np.log10([p["n"] for p in samples])).astype(int), minlength=5)
    assert len(lr_decades) == 4 and lr_decades.min() > 60  # ~100 per decade, not ~4 in the lowest
    assert len(n_decades) == 5 and n_decades[:4].min() > 50 and n_decades[4] <= 2  # 10000 itself


def test_log_uniform_int_rvs():
    d = LogUniformInt(16, 256, step=2)
    assert repr(d) == "LogUniformInt(16, 256, step=2)"
    many = d.rvs(size=200, random_state=1)
    assert set(many) == {16, 32, 64, 128, 256} and all(type(v) is int for v in many)
    one = LogUniformInt(1, 100).rvs(random_state=np.random.RandomState(3))
    assert type(one) is int and 1 <= one <= 100
    assert LogUniformInt(1, 100).rvs(size=5, random_state=7) == LogUniformInt(1, 100).rvs(size=5, random_state=7)


def test_to_python_converts_numpy_and_rounds_ints():
    space = SearchSpace(Int("units", 32, 512), Float("lr", 1e-4, 1e-1, log=True), Choice("act", ["relu", "tanh"]))
    out = space.to_python(
        {"units": np.float64(63.7), "lr": np.float64(0.01), "act": np.str_("relu"), "extra": np.int64(3)}
    )
    assert out == {"units": 64, "lr": 0.01, "act": "relu", "extra": 3}
    assert_plain(out.values())
    assert type(out["units"]) is int and type(out["extra"]) is int


def test_defaults():
    space = SearchSpace(
        Int("units", 32, 512, step=32), Float("lr", 1e-4, 1e-2, log=True), Choice("act", ["tanh", "relu"]), Fixed("e", 2)
    )
    assert space.defaults() == {"units": 32, "lr": 0.0001, "act": "tanh", "e": 2}


# ---------------------------------------------------------------- narrow
def test_narrow_int_keeps_step_and_grid():
    narrowed = lesson_space().narrow({"units": 256, "learning_rate": 0.001})
    assert narrowed == SearchSpace(Int("units", 128, 384, step=32), Fixed("learning_rate", 0.001))
    assert set(narrowed["units"].grid()) <= set(lesson_space()["units"].grid())


def test_narrow_clips_to_bounds_and_keeps_best_on_grid():
    space = SearchSpace(Int("units", 32, 512, step=32), Choice("act", ["relu", "tanh"]))
    assert space.narrow({"units": 32, "act": "tanh"})["units"] == Int("units", 32, 160, step=32)
    assert space.narrow({"units": 512, "act": "tanh"})["units"] == Int("units", 384, 512, step=32)
    assert space.narrow({"units": np.int64(224), "act": "relu"}, keep_choices=True)["act"] == space["act"]
    for best in range(32, 513, 32):
        assert best in space.narrow({"units": best, "act": "relu"}, fraction=0.2)["units"].grid()


def test_narrow_log_and_float_dims():
    space = SearchSpace(
        Float("lr", 1e-4, 1.0, log=True),
        Float("dropout", 0.0, 0.5),
        Float("d", 0.0, 0.5, step=0.1),
        Int("batch", 16, 256, step=2, log=True),
        Int("n", 1, 10000, log=True),
        Fixed("epochs", 3),
    )
    best = {"lr": 0.01, "dropout": 0.25, "d": 0.1, "batch": 64, "n": 100, "extra": "ignored"}
    narrowed = space.narrow(best)
    assert narrowed["lr"] == Float("lr", 0.001, 0.1, log=True)  # 2 of 4 decades, centred
    assert narrowed["dropout"] == Float("dropout", 0.125, 0.375)
    assert narrowed["d"] == Float("d", 0.0, 0.3, step=0.1)
    assert narrowed["batch"] == Int("batch", 32, 128, step=2, log=True)
    assert narrowed["n"] == Int("n", 10, 1000, log=True)
    assert narrowed["epochs"] == Fixed("epochs", 3)
    assert narrowed.names == space.names


def test_narrow_errors():
    space = lesson_space()
    with pytest.raises(ValueError, match=r"no value for \['learning_rate'\]"):
        space.narrow({"units": 256})
    with pytest.raises(ValueError, match=r"'units' is 1000, outside"):
        space.narrow({"units": 1000, "learning_rate": 0.01})
    with pytest.raises(ValueError, match="fraction must be in"):
        space.narrow({"units": 256, "learning_rate": 0.01}, fraction=0)
    with pytest.raises(ValueError, match=r"0.5 for 'learning_rate' is not one of the choices"):
        space.narrow({"units": 256, "learning_rate": 0.5})


def test_without_and_with_values():
    space = SearchSpace(Int("units", 32, 512, step=32), Int("epochs", 1, 10), Choice("act", ["relu", "tanh"]))
    assert space.without("epochs").names == ("units", "act")
    fixed = space.with_values(epochs=np.int64(5))
    assert fixed["epochs"] == Fixed("epochs", 5) and fixed.size == 32
    with pytest.raises(ValueError, match=r"\['epoch'\] not in the space; use its names"):
        space.with_values(epoch=5)
    with pytest.raises(ValueError, match="not in the space"):
        space.without("epoch")
    with pytest.raises(TypeError, match=r"with_values\(units=...\): units must be an integer"):
        space.with_values(units="four")


# ---------------------------------------------------------------- serialisation
def test_dict_and_json_round_trip():
    space = SearchSpace(
        Int("units", 32, 512, step=32),
        Int("n", 1, 100, log=True),
        Float("lr", 1e-4, 1e-1, log=True),
        Float("d", 0.0, 0.5, step=0.1),
        Choice("act", ["relu", None, True, 2, 0.5]),
        Fixed("epochs", 3),
    )
    d = space.to_dict()
    assert d["dimensions"][0] == {"type": "Int", "name": "units", "low": 32, "high": 512, "step": 32, "log": False}
    assert json.loads(json.dumps(d)) == d
    assert SearchSpace.from_dict(d) == space
    assert SearchSpace.from_json(space.to_json()) == space


def test_from_dict_errors():
    with pytest.raises(ValueError, match=r"dimensions\[0\] has the unknown type 'Integer'.*'Int', 'Float', 'Choice', 'Fixed'"):
        SearchSpace.from_dict({"dimensions": [{"type": "Integer", "name": "u", "low": 1, "high": 2}]})
    with pytest.raises(ValueError, match=r"unknown keys \['min'\]"):
        SearchSpace.from_dict({"dimensions": [{"type": "Int", "name": "u", "min": 1, "low": 1, "high": 2}]})
    with pytest.raises(TypeError, match="dimensions"):
        SearchSpace.from_dict([1, 2])
    with pytest.raises(ValueError, match="greater than high"):
        SearchSpace.from_dict({"dimensions": [{"type": "Int", "name": "u", "low": 5, "high": 2}]})
    with pytest.raises(ValueError, match=r"dimensions\[0\] has no 'type'; give one of .*\"type\": \"Int\""):
        SearchSpace.from_dict({"dimensions": [{"name": "u", "low": 1, "high": 2}]})
    with pytest.raises(ValueError, match=r"dimensions\[0\]: Int needs \['high'\]; add them"):
        SearchSpace.from_dict({"dimensions": [{"type": "Int", "name": "u", "low": 1}]})
    with pytest.raises(TypeError, match=r"dimensions\[1\]: Int\('u', low=1, high='x'\): high must be"):
        SearchSpace.from_dict({"dimensions": [{"type": "Fixed", "name": "e", "value": 1},
                                              {"type": "Int", "name": "u", "low": 1, "high": "x"}]})
    with pytest.raises(TypeError, match=r"dimensions\[0\] is a list .*give a dict with a 'type'"):
        SearchSpace.from_dict({"dimensions": [["Int", "u", 1, 2]]})
    with pytest.raises(TypeError, match="got 'dimensions' as a dict"):
        SearchSpace.from_dict({"dimensions": {"type": "Int", "name": "u", "low": 1, "high": 2}})
    with pytest.raises(ValueError, match=r"unknown keys \['dimension'\]; .* remove them"):
        SearchSpace.from_dict({"dimensions": [{"type": "Fixed", "name": "e", "value": 1}], "dimension": []})
    # the SpaceEditor's JSON has 'points' beside the dimensions
    assert SearchSpace.from_dict({"dimensions": [{"type": "Fixed", "name": "e", "value": 1}],
                                  "points": {}}).names == ("e",)


def test_from_json_names_the_json_problem_and_what_a_space_looks_like():
    with pytest.raises(ValueError, match=r"not JSON: expecting value at line 1, column 1 .*"
                                         r"such as \{\"dimensions\": \[\{\"type\": \"Int\""):
        SearchSpace.from_json("not json")
    truncated = SearchSpace(Int("units", 1, 4)).to_json(indent=1)[:-4]
    with pytest.raises(ValueError, match=r"at line \d+, column \d+") as caught:
        SearchSpace.from_json(truncated)
    assert isinstance(caught.value.__cause__, json.JSONDecodeError)
    with pytest.raises(TypeError, match="got dict .*SearchSpace.from_dict"):
        SearchSpace.from_json({"dimensions": []})
    with pytest.raises(ValueError, match="high must be finite"):
        SearchSpace.from_json('{"dimensions": [{"type": "Float", "name": "x", "low": 0, "high": Infinity}]}')
    assert SearchSpace.from_json(b'{"dimensions": [{"type": "Fixed", "name": "e", "value": 1}]}').size == 1


# ---------------------------------------------------------------- sizes are arithmetic
def _peak_bytes(call):
    import tracemalloc

    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_sizes_are_counted_without_building_the_grid():
    from nbtune.space.dimensions import step_count

    huge = SearchSpace(Int("units", 1, 10**9), Int("b", 0, 10**6, step=10), Float("lr", 1e-5, 1.0, log=True))
    assert huge.grid_sizes(points=7) == {"units": 10**9, "b": 100_001, "lr": 7}
    assert huge.grid_size(points={"lr": 3}) == 10**9 * 100_001 * 3
    assert _peak_bytes(lambda: huge.grid_size(points=5)) < 100_000
    # the counts agree with the grids wherever a grid can be built
    for dim in (Int("u", 3, 100, step=7), Int("u", 2, 1000, step=3, log=True), Int("u", 1, 30, log=True),
                Float("d", 0.0, 0.5, step=0.1), Float("lr", 1e-4, 1.0, log=True, step=10),
                Float("x", -1.0, 1.0, step=0.3), Choice("c", ["a", None, 3])):
        assert dim.grid_size() == len(dim.grid()), dim
    assert step_count(0.0, 1.0, 0.1) == 11 and step_count(1e-4, 1.0, 10, log=True) == 5


def test_a_huge_int_range_is_counted_narrowed_and_sampled_but_not_listed():
    space = SearchSpace(Int("units", 1, 10**9))
    assert space.size == 10**9
    with pytest.raises(ValueError, match=r"1,000,000,000 grid values, more than the 1,000,000 .*"
                                         r"give it a step \(e.g. step=99999999 gives 11 values\)"):
        space.grid()
    narrowed = space.narrow({"units": 500_000_000}, fraction=0.5)
    assert narrowed["units"] == Int("units", 250_000_000, 750_000_000)
    assert _peak_bytes(lambda: space.narrow({"units": 500_000_000})) < 100_000
    # the arithmetic narrowing agrees with the old one, on grids that can be listed
    from nbtune.space.dimensions import _narrow_on_grid

    for dim in (Int("u", 0, 100, step=10), Int("u", 3, 97, step=7), Int("u", 1, 9)):
        for best in dim.grid():
            for fraction in (0.1, 0.25, 0.5, 1.0):
                low, high = _narrow_on_grid(dim.grid(), best, fraction, False)
                assert dim.narrowed(best, fraction, False) == Int("u", low, high, step=dim.step)
    draws = ParameterSampler(space.distributions(), n_iter=3, random_state=0)
    assert all(1 <= space.to_python(d)["units"] <= 10**9 for d in draws)


@pytest.mark.parametrize("make, error, match", [
    (lambda: Float("x", 0, 1, step=1e-9), ValueError,
     r"step=1e-09 gives 1,000,000,000 values, more than the 1,000,000 .*leave out the step \(Float\('x', 0.0, 1.0\)\)"),
    (lambda: Float("x", 0, 1e308, step=1), ValueError, r"step=1.0 gives 1e\+308 values"),
    (lambda: Float("x", -1e308, 1e308), ValueError, r"wider than a float holds \(high - low overflows\)"),
    (lambda: Float("x", 1e-308, 1e308, log=True), ValueError, r"high / low overflows"),
    (lambda: Float("lr", 1e-5, 1.0, log=True, step=1.00001), ValueError, r"step=1.00001 gives 1,151,299 values"),
    (lambda: Int("u", 0, 10**10, step=2), ValueError, r"step=2 gives 5,000,000,001 values.*every integer"),
    (lambda: Int("u", 1, 10**20), ValueError, r"high=100000000000000000000 is beyond \+-2\*\*53"),
    (lambda: Choice("x", range(10**9)), ValueError, r"more than 1,000,000 choices.*use Int"),
    (lambda: Choice("x", [1e-3, float("inf")]), ValueError, r"values\[1\] is inf; use a finite number"),
    (lambda: Fixed("x", float("-inf")), ValueError, r"value is -inf; use a finite number or None"),
    (lambda: SearchSpace(Float("lr", 1e-4, 1e-1)).grid(points=10**9), ValueError,
     r"points=1,000,000,000 is not allowed; give a number from 1 to 1,000,000"),
    (lambda: LogUniformInt(0, 10), ValueError, r"needs 1 <= low <= high"),
    (lambda: LogUniformInt("a", 10), TypeError, r"low must be an integer, got 'a'"),
    (lambda: Int("u", 1, 4, log="true"), TypeError, r"write log=True or log=False"),
])
def test_values_beyond_what_a_dimension_can_list_are_refused_where_declared(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_choice_checks_a_million_values_in_linear_time():
    import time

    values = list(range(10**6))
    start = time.perf_counter()
    assert len(Choice("x", values).values) == 10**6
    with pytest.raises(ValueError, match=r"5 appears more than once in values \(1 repeats in all\); "
                                         r"remove the repeats: Choice\('x', \[0, 1, 2, 3, 4, 5, 6, 7, \.\.\.\]\)"):
        Choice("x", values[:-1] + [5])
    assert time.perf_counter() - start < 30  # was hours (quadratic); a few seconds on a busy machine
    # 1 and 1.0 are one choice; True and 1 are two
    with pytest.raises(ValueError, match="1.0 appears more than once"):
        Choice("x", [1, 1.0])
    assert Choice("x", [True, 1, False, 0]).values == (True, 1, False, 0)
    # a long list is named, not printed, in a message
    with pytest.raises(TypeError) as caught:
        Choice("x", values[:10**5] + [object()])
    assert len(str(caught.value)) < 400


def test_the_space_methods_refuse_wrong_shapes_by_name():
    space = SearchSpace(Int("units", 1, 64))
    with pytest.raises(TypeError, match="narrow: best_params must be a dict"):
        space.narrow(["units", 32])
    with pytest.raises(TypeError, match="edges: params must be a dict"):
        space.edges(32)
    with pytest.raises(ValueError, match=r"edges\(margin=2.0\): .* use e.g. margin=0.05"):
        space.edges({"units": 32}, margin=2)
    with pytest.raises(TypeError, match="to_python: params must be a dict"):
        space.to_python([32])
    with pytest.raises(TypeError, match="values_from_hp: hp must be a keras_tuner.HyperParameters"):
        space.values_from_hp([32])


# ---------------------------------------------------------------- keras-tuner
kt = pytest.importorskip("keras_tuner")


def mixed_space():
    return SearchSpace(
        Int("units", 32, 512, step=32),
        Int("n", 1, 1000, log=True),
        Int("batch", 16, 256, step=2, log=True),
        Float("lr", 1e-4, 1e-1, log=True),
        Float("dropout", 0.0, 0.5, step=0.1),
        Choice("act", ["relu", "tanh"]),
        Choice("opt", ["adam", None]),
        Choice("mix", [0, 0.5, 1]),
        Choice("bn", [True, False]),
        Fixed("epochs", 3),
        Fixed("nothing", None),
    )


def test_sample_declares_every_dimension_with_defaults():
    space = mixed_space()
    hp = kt.HyperParameters()
    values = space.sample(hp)
    assert values == {
        "units": 32, "n": 1, "batch": 16, "lr": 0.0001, "dropout": 0.0, "act": "relu",
        "opt": "adam", "mix": 0, "bn": True, "epochs": 3, "nothing": None,
    }
    assert_plain(values.values())
    assert type(values["mix"]) is int
    declared = {h.name: h for h in hp.space}
    assert list(declared) == list(space.names)
    assert type(declared["bn"]).__name__ == "Boolean"
    assert declared["n"].sampling == "log" and declared["n"].step is None
    assert declared["batch"].sampling == "log" and declared["batch"].step == 2
    assert declared["opt"].values == ["adam", "None"]
    assert declared["mix"].values == [0.0, 0.5, 1.0]


def test_sample_random_trials_are_in_bounds_and_plain():
    space = mixed_space()
    template = space.hyperparameters()
    for seed in range(30):
        hp = kt.HyperParameters()
        hp.values = {h.name: h.random_sample(seed) for h in template.space}
        values = space.sample(hp)
        assert_plain(values.values())
        assert 32 <= values["units"] <= 512 and values["units"] % 32 == 0
        assert 1 <= values["n"] <= 1000 and type(values["n"]) is int
        assert values["batch"] in (16, 32, 64, 128, 256)
        assert 1e-4 <= values["lr"] <= 1e-1
        assert values["dropout"] in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
        assert values["opt"] in ("adam", None) and values["mix"] in (0, 0.5, 1)
        assert values["nothing"] is None
        assert space.values_from_hp(hp) == values


def test_values_from_hp_decodes_codes():
    space = SearchSpace(Choice("opt", ["adam", None]), Choice("x", ["None", None]))
    assert space.values_from_hp({"opt": "None", "x": "'None'", "other": 1}) == {"opt": None, "x": "None", "other": 1}
    with pytest.raises(ValueError, match="'sgd' for 'opt' is not one of the choices"):
        space.values_from_hp({"opt": "sgd"})


def test_is_hp_build_fn():
    def model_builder(hp):
        return hp

    def with_option(hp, verbose=0):
        return hp

    class HM(kt.HyperModel):
        def build(self, hp):
            return hp

    assert is_hp_build_fn(model_builder) and is_hp_build_fn(with_option)
    assert is_hp_build_fn(lambda hp: None) and is_hp_build_fn(HM())
    assert not is_hp_build_fn(lambda units=32: None)
    assert not is_hp_build_fn(lambda x: None)
    assert not is_hp_build_fn(lambda hp, units: None)
    assert not is_hp_build_fn(42)


keras = pytest.importorskip("keras")


def model_builder(hp):
    model = keras.Sequential()
    hp_units = hp.Int("units", min_value=32, max_value=512, step=32)
    model.add(keras.layers.Dense(units=hp_units, activation="relu"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    hp_learning_rate = hp.Choice("learning_rate", values=[1e-2, 1e-3, 1e-4])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=hp_learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def test_from_build_fn_on_the_lesson_builder():
    space = SearchSpace.from_build_fn(model_builder)
    assert space == lesson_space()
    assert space.size == 48


def test_from_build_fn_converts_every_kind():
    def builder(hp):
        hp.Int("n", 1, 100, sampling="log")
        hp.Float("lr", 1e-4, 1e-1, sampling="log")
        hp.Float("d", 0.0, 0.5, step=0.1)
        hp.Boolean("bn")
        hp.Fixed("epochs", 3)
        return keras.Sequential([keras.layers.Dense(1)])

    assert SearchSpace.from_build_fn(builder) == SearchSpace(
        Int("n", 1, 100, log=True),
        Float("lr", 1e-4, 1e-1, log=True),
        Float("d", 0.0, 0.5, step=0.1),
        Choice("bn", [False, True]),
        Fixed("epochs", 3),
    )
    with pytest.raises(ValueError, match="declares no hyperparameters"):
        SearchSpace.from_build_fn(lambda hp: keras.Sequential([keras.layers.Dense(1)]))
    with pytest.raises(TypeError, match="not a keras-tuner style build function"):
        SearchSpace.from_build_fn(lambda units=3: None)


def test_as_kwargs_build_fn_builds_the_requested_model():
    build = as_kwargs_build_fn(model_builder)
    assert build.__name__ == "model_builder" and hp_origin(build) == HpOrigin(model_builder, None, ())
    assert str(inspect.signature(build)) == "(*, units=32, learning_rate=0.01)"
    assert not is_hp_build_fn(build) and as_kwargs_build_fn(build) is build

    model = build(units=np.int64(64), learning_rate=1e-3)  # numpy is converted for Keras 3
    model.build((None, 8))
    assert model.layers[0].units == 64
    assert np.isclose(float(model.optimizer.learning_rate), 1e-3)

    default = build()
    default.build((None, 8))
    assert default.layers[0].units == 32

    with pytest.raises(TypeError, match=r"\['unit'\].*accepts \['units', 'learning_rate'\]"):
        build(unit=64)
    keras.backend.clear_session()


def test_kwargs_build_fn_through_the_space_in_keras_tuner():
    """A plain keyword build function driven by keras-tuner via space.sample(hp)."""
    build = as_kwargs_build_fn(model_builder)
    space = SearchSpace.from_build_fn(model_builder).narrow({"units": 256, "learning_rate": 0.001}, keep_choices=True)
    hp = space.hyperparameters()
    hp.values["units"] = 160
    model = build(**space.sample(hp))
    model.build((None, 4))
    assert model.layers[0].units == 160
    keras.backend.clear_session()


def test_docstring_examples_run():
    import doctest

    import nbtune.space.dimensions
    import nbtune.space.search_space

    attempted = 0
    for module in (nbtune.space.dimensions, nbtune.space.search_space):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0
        attempted += result.attempted
    assert attempted > 20
    keras.backend.clear_session()


def test_the_boundary_rule_against_positions_computed_by_hand():
    """A value is at an edge when it lies in the outer 5 % of the range (log scale for log)."""
    from nbtune.space.edges import edge_of

    units = Int("units", 16, 512, step=16)
    # (v - 16) / 496: 0.048 -> low, 0.065 -> none, 0.952 -> high
    assert [edge_of(units, v) for v in (16, 40, 48, 256, 488, 512)] == \
        ["low", "low", None, None, "high", "high"]
    lr = Float("learning_rate", 1e-5, 1.0, log=True)
    # log10 position over 5 decades: 1.1e-5 -> 0.008, 1e-4 -> 0.2, 0.5 -> 0.94, 0.6 -> 0.956
    assert [edge_of(lr, v) for v in (1.1e-5, 1e-4, 0.5, 0.6)] == ["low", None, None, "high"]
    assert edge_of(Choice("lr", [1e-3, 1e-2, 1e-1]), 1e-3) == "low"
    assert edge_of(Choice("lr", [1e-3, 1e-2, 1e-1]), 1e-2) is None
    assert edge_of(Choice("act", ["relu", "tanh", "elu"]), "relu") is None  # labels have no edges
    assert edge_of(Choice("units", [8, 16]), 16) is None  # two values: each is an edge, no news
    assert edge_of(Int("units", 16, 32, step=16), 32) is None  # the same for a stepped Int
    assert edge_of(Int("units", 16, 48, step=16), 48) == "high"  # three values: 48 is the top
    assert edge_of(Int("units", 16, 64, step=2, log=True), 64) == "high"  # 16, 32, 64
    assert edge_of(Int("units", 16, 32, step=2, log=True), 32) is None  # 16, 32
    assert edge_of(Float("dropout", 0.0, 0.5, step=0.25), 0.5) == "high"  # 0, 0.25, 0.5
    space = SearchSpace(units, lr, Choice("act", ["relu", "tanh"]))
    assert space.edges({"units": 512, "learning_rate": 1.1e-5, "act": "relu"}) == \
        {"units": "high", "learning_rate": "low"}


def test_a_result_names_each_strategys_winner_at_an_edge():
    import pandas as pd

    from nbtune import SearchResult

    trials = pd.DataFrame({"strategy": ["grid", "grid", "random", "random"],
                           "units": [16, 512, 256, 200], "score": [0.8, 0.9, 0.95, 0.7]})
    edges = SearchResult(trials).edges(SearchSpace(Int("units", 16, 512)))
    assert edges.to_dict("records") == [{"strategy": "grid", "name": "units", "value": 512,
                                         "edge": "high"}]


def test_narrow_warns_when_the_best_sits_at_an_edge_and_names_it():
    import warnings

    from nbtune.space import EdgeWarning

    space = SearchSpace(Int("units", 16, 512, step=16), Float("lr", 1e-4, 1e-1, log=True))
    with pytest.warns(EdgeWarning) as caught:
        narrowed = space.narrow({"units": 512, "lr": 1e-2})
    [warning] = caught
    assert "units=512" in str(warning.message) and "high edge" in str(warning.message)
    assert warning.filename == __file__  # points at the caller's line, not nbtune's
    assert narrowed["units"].high == 512  # the window is still clipped: the warning says so
    with warnings.catch_warnings():
        warnings.simplefilter("error", EdgeWarning)
        space.narrow({"units": 256, "lr": 3e-3})  # inside: no warning


def dense_model(units=16, learning_rate=1e-3):
    """conftest's tiny classifier, for the ten digits."""
    from conftest import tiny_build

    return tiny_build(units, learning_rate, n_classes=10)


def test_a_finished_search_warns_about_a_winner_on_the_edge(digits):
    """A real grid search on digits whose learning rates stop at 1e-3: the best is the top one."""
    import warnings

    import nbtune
    from nbtune.space import EdgeWarning

    X, y = digits.train
    space = SearchSpace(Choice("learning_rate", [1e-5, 1e-4, 1e-3]), Fixed("units", 16))
    with pytest.warns(EdgeWarning, match="learning_rate=0.001 sits at the high edge") as caught:
        result = nbtune.grid_search(dense_model, space, X[:300], y[:300], epochs=2, cv=2,
                                    progress=False)
    assert result.best_params["learning_rate"] == 1e-3
    assert caught[0].filename == __file__
    assert result.edges(space).to_dict("records") == [
        {"strategy": "grid", "name": "learning_rate", "value": 1e-3, "edge": "high"}]
    with warnings.catch_warnings():
        warnings.simplefilter("error", EdgeWarning)
        nbtune.grid_search(dense_model, space.with_values(learning_rate=1e-3), X[:300], y[:300],
                           epochs=1, cv=2, progress=False)  # a Fixed value has no edge
