"""SpaceEditor: rows per dimension type, live summary, validation, reset, JSON, speed."""

import doctest
import json
import warnings

import ipywidgets as widgets
import pytest

import nbtune.ui.editor
from nbtune.formatting import format_value
from nbtune.search.cost import grid_cost
from nbtune.space import Choice, Fixed, Float, Int, SearchSpace
from nbtune.training.speed import measure_speed
from nbtune.ui.editor import SpaceEditor, dimension_row

LESSON = SearchSpace(Int("units", 32, 512, step=32), Choice("learning_rate", [1e-2, 1e-3, 1e-4]))


def model_builder(hp):
    """The lesson's keras-tuner build function."""
    import keras

    model = keras.Sequential([
        keras.Input((30,)),
        keras.layers.Dense(hp.Int("units", min_value=32, max_value=512, step=32), activation="relu"),
        keras.layers.Dense(2, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(hp.Choice("learning_rate", [1e-2, 1e-3, 1e-4])),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_docstring_examples():
    outcome = doctest.testmod(nbtune.ui.editor, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert outcome.failed == 0 and outcome.attempted > 0


def test_one_row_per_dimension_with_the_control_of_its_type():
    space = SearchSpace(Int("units", 32, 512, step=32), Float("lr", 1e-4, 1e-1, log=True),
                        Float("dropout", 0.0, 0.5, step=0.1), Choice("act", ["relu", "tanh", None]),
                        Fixed("optimizer", "adam"))
    editor = SpaceEditor(space)
    assert isinstance(editor, widgets.VBox)
    assert list(editor.rows) == list(space.names)
    rows = editor.rows
    assert isinstance(rows["units"].slider, widgets.IntRangeSlider)
    assert rows["units"].slider.value == (32, 512) and rows["units"].step.value == 32
    # log float: real values on the slider, with the bounds among them
    assert isinstance(rows["lr"].slider, widgets.SelectionRangeSlider)
    labels = [label for label, _ in rows["lr"].slider.options]
    assert {"1e-4", "0.001", "0.01", "0.1"} <= set(labels)
    assert rows["lr"].slider.value == (1e-4, 1e-1) and rows["lr"].points_box.value == 5
    assert isinstance(rows["dropout"].slider, widgets.FloatRangeSlider)
    assert rows["dropout"].step.value == 0.1 and rows["dropout"].points_box is None
    assert [b.description for b in rows["act"].buttons] == ["relu", "tanh", "None"]
    assert rows["optimizer"].text.value == "adam"
    # unchanged controls give back the same space
    assert editor.space == space
    assert editor.points == {"lr": 5}


def test_dimension_row_dispatch_rejects_unknown_types():
    with pytest.raises(TypeError, match="pass an Int, Float, Choice or Fixed"):
        dimension_row("units")


def test_moving_controls_changes_space_and_summary_exactly():
    editor = SpaceEditor(LESSON, cv=3, epochs=10)
    assert editor.cost["configs"] == 48
    editor.rows["units"].slider.value = (32, 128)
    editor.rows["learning_rate"].select([1e-2, 1e-3])
    assert editor.space == SearchSpace(Int("units", 32, 128, step=32),
                                       Choice("learning_rate", [1e-2, 1e-3]))
    cost = editor.cost
    assert (cost["configs"], cost["fits"], cost["epochs_total"]) == (8, 24, 240)
    assert "8 grid configurations (units 4 x learning_rate 2)" in editor.summary_text
    assert "24 fits" in editor.summary_text and "240 epochs" in editor.summary_text
    assert "measure_speed(" in editor.summary_text           # no time without a speed
    assert "240 epochs" in editor.summary.value               # the widget shows it too
    editor.rows["units"].step.value = 64                      # 32, 96
    editor.epochs_input.value = 5
    editor.cv_input.value = 2
    assert (editor.cost["configs"], editor.cost["epochs_total"]) == (4, 40)
    assert editor.rows["units"].count.value == "2 values"


def test_the_int_slider_lattice_holds_the_range_the_student_set():
    """A browser snaps both handles to ``min + k * step``: min must be on the range's lattice.

    Before, lesson 05's state (units 64-128, step 64, slider min 32) was drawn by
    Chromium as 96-160, and one ArrowRight gave 96-224 (handles aria-valuenow,
    checked by driving the embedded widget with Playwright).
    """
    row = dimension_row(Int("units", 32, 512, step=32))
    row.slider.value = (64, 128)
    row.step.value = 64
    slider = row.slider
    assert (slider.min, slider.step, slider.value) == (64, 64, (64, 128))
    assert (slider.max - slider.min) % slider.step == 0 and slider.max <= 512
    assert row.dimension() == Int("units", 64, 128, step=64)
    row.step.value = 32                                       # back: the whole original span
    assert (slider.min, slider.max, slider.value) == (32, 512, (64, 128))
    row.slider.value = (96, 160)
    row.step.value = 50                                       # 160 is off 96 + 50k: 146
    assert (slider.min - 32) % 50 == (96 - 32) % 50 and slider.value == (96, 146)
    assert row.dimension().grid() == Int("units", 96, 160, step=50).grid()
    off = dimension_row(Int("units", 32, 500, step=32))       # 500 is off the lattice: 480, same grid
    assert off.slider.value == (32, 480) and off.dimension().grid() == Int("units", 32, 500, step=32).grid()


def test_log_float_points_and_choice_buttons():
    editor = SpaceEditor(SearchSpace(Float("lr", 1e-4, 1e-1, log=True), Choice("act", ["relu", "tanh"])))
    editor.rows["lr"].slider.value = (1e-3, 1e-2)
    editor.rows["lr"].points_box.value = 3
    editor.rows["act"].buttons[1].value = False
    assert editor.space == SearchSpace(Float("lr", 1e-3, 1e-2, log=True), Choice("act", ["relu"]))
    assert editor.points == {"lr": 3}
    assert editor.cost["configs"] == 3
    assert editor.space.grid(points=editor.points)["lr"] == pytest.approx([1e-3, 10**-2.5, 1e-2])


def test_estimated_time_from_given_speed():
    editor = SpaceEditor(LESSON, cv=3, epochs=10, seconds_per_epoch=0.1, fit_overhead=1.0,
                         max_minutes=60)
    editor.rows["units"].slider.value = (32, 128)
    editor.rows["learning_rate"].select([1e-2, 1e-3])
    # 8 configurations x 1 s (built once, its 3 folds reuse it) + 240 epochs x 0.1 s = 32 s
    assert editor.cost["seconds"] == pytest.approx(32.0)
    assert "time: about 32 s" in editor.summary_text
    assert not editor.too_large and "WARNING" not in editor.summary_text


def test_too_large_warning_by_count_and_by_time():
    editor = SpaceEditor(LESSON, max_grid=20)
    assert editor.too_large
    assert "WARNING: too large for a class: 48 configurations > 20" in editor.summary_text
    assert "too large" in editor.summary.value
    editor.rows["learning_rate"].select([1e-3])
    assert not editor.too_large and "WARNING" not in editor.summary_text
    slow = SpaceEditor(LESSON, seconds_per_epoch=1.0, fit_overhead=2.0, max_minutes=5)
    # 48 configs x 2 s + 48 x 3 folds x 10 epochs x 1 s = 1536 s
    assert slow.too_large and "too long for a class: about 25 min 36 s > 5 min" in slow.summary_text


@pytest.mark.parametrize("edit, problem", [
    (lambda e: e.rows["learning_rate"].select([]), "learning_rate: no value selected"),
    (lambda e: setattr(e.rows["lr"].slider, "value", (1e-3, 1e-3)), "lr: low = high \\(0.001\\) on a log range"),
    (lambda e: setattr(e.rows["lr"].points_box, "value", 0), "lr: 0 grid points"),
    (lambda e: setattr(e.rows["dropout"].step, "value", 0.0), "dropout: .*step must be greater than 0"),
])
def test_invalid_edits_show_a_message_and_space_raises(edit, problem):
    editor = SpaceEditor(SearchSpace(Choice("learning_rate", [1e-2, 1e-3]),
                                     Float("lr", 1e-4, 1e-1, log=True),
                                     Float("dropout", 0.0, 0.5, step=0.1)))
    assert editor.message.value == ""
    edit(editor)                                   # no exception inside the callback
    plain = problem.replace(".*", "")
    assert plain.split(":")[0] in editor.message.value and "&#9888;" in editor.message.value
    assert "fix the edits" in editor.summary_text
    with pytest.raises(ValueError, match=problem):
        _ = editor.space
    editor.reset()
    assert editor.message.value == ""
    assert editor.space == editor.original


def test_reset_goes_back_to_the_original_space():
    editor = SpaceEditor(LESSON)
    editor.rows["units"].slider.value = (64, 96)
    editor.rows["learning_rate"].select([1e-4])
    assert editor.space != LESSON
    editor.reset_button.click()
    assert editor.space == LESSON and editor.cost["configs"] == 48


def test_json_round_trip_through_methods_and_buttons():
    space = SearchSpace(Int("units", 32, 512, step=32), Float("lr", 1e-4, 1e-1, log=True),
                        Choice("act", ["relu", None]), Fixed("optimizer", "adam"))
    editor = SpaceEditor(space)
    editor.rows["units"].slider.value = (64, 256)
    editor.rows["lr"].points_box.value = 4
    exported = editor.to_json()
    assert SearchSpace.from_json(exported) == editor.space       # plain SearchSpace JSON
    editor.rows["units"].slider.value = (32, 64)
    editor.rows["act"].select(["relu"])
    editor.load_json(exported)
    assert editor.space == SearchSpace.from_json(exported)
    assert editor.points == {"lr": 4}
    # the same with the buttons and the text area
    editor.export_button.click()
    text = editor.json_text.value
    editor.reset()
    editor.json_text.value = text
    editor.import_button.click()
    assert editor.space["units"] == Int("units", 64, 256, step=32)
    # bad JSON: a message from the button, a ValueError from the method
    editor.json_text.value = "{not json"
    editor.import_button.click()
    assert "not JSON" in editor.message.value
    with pytest.raises(ValueError, match="not JSON"):
        editor.load_json("{not json")
    assert editor.space["units"] == Int("units", 64, 256, step=32)   # unchanged


def test_fixed_values_are_editable():
    editor = SpaceEditor(SearchSpace(Fixed("optimizer", "adam"), Fixed("epochs", 5)))
    editor.rows["optimizer"].text.value = "sgd"
    editor.rows["epochs"].text.value = "3"
    assert editor.space == SearchSpace(Fixed("optimizer", "sgd"), Fixed("epochs", 3))
    # a space with epochs: the grid trains that many, not the epochs control
    assert editor.cost["epochs_total"] == 3 * 3 and "epochs from the space" in editor.summary_text


def test_space_from_the_lessons_model_builder():
    space = SearchSpace.from_build_fn(model_builder)
    editor = SpaceEditor(space)
    assert editor.space == LESSON
    editor.rows["units"].slider.value = (32, 128)
    editor.rows["learning_rate"].select([1e-2, 1e-3])
    assert editor.cost["configs"] == 8 and editor.cost["epochs_total"] == 240
    # the build function itself works as the space argument
    assert SpaceEditor(model_builder).space == LESSON


def test_grid_cost_and_format_value():
    space = SearchSpace(Int("units", 32, 128, step=32), Choice("epochs", [5, 10]))
    cost = grid_cost(space, cv=2, epochs=99)
    assert cost["configs"] == 8 and cost["fits"] == 16 and cost["epochs_total"] == 2 * 4 * (5 + 10)
    assert format_value(1e-4) == "1e-4" and format_value(0.001) == "0.001"


def test_presentation_option_enlarges_fonts_relative_to_the_notebook_text():
    from nbtune.ui.style import PRESENTATION_SCALE

    editor, plain = SpaceEditor(LESSON, presentation=True), SpaceEditor(LESSON)
    assert {"nbtune-widget", "nbtune-presentation"} <= set(editor._dom_classes)
    assert "nbtune-presentation" not in plain._dom_classes
    sheet = editor.children[0].value
    assert f"calc({PRESENTATION_SCALE} * var(--jp-content-font-size1" in sheet
    # no fixed size on a control (ipywidgets 8's ButtonStyle has font_size; 7.7.1's has none)
    assert not getattr(editor.reset_button.style, "font_size", "")


def test_every_control_is_made_without_a_warning_and_the_json_box_has_its_title():
    """On ipywidgets 7.7.1 (Google Colab's) an 8-only keyword is dropped with a warning."""
    space = SearchSpace(Int("units", 32, 512, step=32), Int("layers", 1, 8, step=2, log=True),
                        Float("lr", 1e-4, 1e-1, log=True), Float("dropout", 0.0, 0.5, step=0.1),
                        Choice("act", ["relu", None]), Fixed("optimizer", "adam"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        editor = SpaceEditor(space, presentation=True)
    assert [f"{w.category.__name__}: {w.message}" for w in caught] == []
    assert editor.json_box.get_title(0) == "JSON: export / import the edited space"
    assert editor.json_box.selected_index is None  # closed at first


def test_measure_speed_with_a_real_tiny_model(cancer):
    from conftest import tiny_build

    overhead, per_epoch = measure_speed(tiny_build, *cancer.train)
    assert overhead > 0 and per_epoch > 0
    editor = SpaceEditor(LESSON)
    editor.fit_overhead, editor.seconds_per_epoch = overhead, per_epoch
    editor.cv_input.value = 2                     # any change refreshes the summary
    assert "time: about" in editor.summary_text


# --------------------------------------------------------------- huge spaces and bad settings
def test_a_billion_configurations_are_summarised_at_once_with_the_warning():
    import time
    import tracemalloc

    for space in (SearchSpace(Int("units", 1, 10**9)),
                  SearchSpace(Int("a", 1, 1000), Int("b", 1, 1000), Int("epochs", 1, 1000))):
        tracemalloc.start()
        start = time.perf_counter()
        editor = SpaceEditor(space)
        text = editor.summary_text
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert seconds < 5 and peak < 5 * 2**20, (seconds, peak)  # under a second when idle
        assert text.startswith("1,000,000,000 grid configurations")
        assert "WARNING: too large for a class: 1,000,000,000 configurations > 100" in text
    # the epochs dimension's mean is its bounds' mean: 500.5 epochs per configuration
    assert editor.cost["epochs_total"] == 10**9 * 3 * 1001 // 2


def test_a_step_box_keeps_the_step_given_and_a_tiny_step_is_refused_in_the_row():
    editor = SpaceEditor(SearchSpace(Int("units", 0, 10**12, step=10**10),
                                     Float("x", 0.0, 1e15, step=1e13)))
    assert editor.space == editor.original  # neither step cut to the box's maximum
    editor.rows["x"].step.value = 1e-3
    assert "more than the 1,000,000 a dimension may list" in editor.message.value
    with pytest.raises(ValueError, match=r"x: .*step=0.001 gives .* give a larger step"):
        _ = editor.space


@pytest.mark.parametrize("kwargs, error, match", [
    ({"cv": 0}, ValueError, r"cv=0 is not allowed: give the folds, a whole number >= 2 and <= 50"),
    ({"cv": 100}, ValueError, r"cv=100 is not allowed: give the folds, a whole number from 2 to 50"),
    ({"epochs": "10"}, ValueError, r"epochs='10' is not allowed"),
    ({"epochs": 10**6}, ValueError, r"epochs=1,000,000 is not allowed: .* from 1 to 10,000"),
    ({"points": 1000}, ValueError, r"points=1,000 is not allowed: .* from 1 to 100"),
    ({"max_grid": "100"}, ValueError, r"max_grid='100' is not allowed"),
    ({"max_minutes": float("nan")}, ValueError, r"max_minutes=nan is not allowed: .* a number > 0"),
    ({"seconds_per_epoch": True, "fit_overhead": 1.0}, ValueError, r"seconds_per_epoch=True is not allowed"),
    ({"fit_overhead": float("inf")}, ValueError, r"fit_overhead=inf is not allowed: .* finite"),
    ({"presentation": "yes"}, TypeError, r"presentation='yes' is not allowed: give True"),
])
def test_the_editor_refuses_settings_its_boxes_cannot_hold(kwargs, error, match):
    with pytest.raises(error, match=match):
        SpaceEditor(LESSON, **kwargs)


def test_settings_set_later_are_checked_and_update_the_summary():
    editor = SpaceEditor(LESSON)
    editor.max_grid = 20
    assert "48 configurations > 20" in editor.summary_text
    editor.fit_overhead, editor.seconds_per_epoch = 1.0, 0.1
    assert "time: about" in editor.summary_text
    for name, value in (("max_grid", 0), ("max_minutes", -1), ("seconds_per_epoch", -0.1),
                        ("fit_overhead", "1 s")):
        with pytest.raises(ValueError, match=f"{name}="):
            setattr(editor, name, value)
    assert editor.max_grid == 20 and editor.fit_overhead == 1.0


def test_load_json_names_what_is_wrong():
    editor = SpaceEditor(LESSON)
    with pytest.raises(TypeError, match="load_json: expected the JSON text of a space"):
        editor.load_json(None)
    with pytest.raises(ValueError, match=r"load_json: the text is not JSON: .* at line 1, column 2"):
        editor.load_json("{not json")
    stepless = SearchSpace(Float("lr", 1e-4, 1e-1, log=True)).to_dict()
    with pytest.raises(ValueError, match=r"'points' names \['learning_rate'\], .* \['lr'\]\); remove"):
        editor.load_json(json.dumps({**stepless, "points": {"learning_rate": 3}}))
    with pytest.raises(ValueError, match=r"load_json: SearchSpace.from_dict: dimensions\[0\]: Int needs \['high'\]"):
        editor.load_json('{"dimensions": [{"type": "Int", "name": "units", "low": 1}]}')
    assert editor.space == LESSON  # unchanged after every refusal
