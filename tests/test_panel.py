"""SearchPanel: real tiny searches driven without a browser (run / wait / stop)."""

import doctest
import warnings

import ipywidgets as widgets
from conftest import tiny_build

import nbtune.search.strategies
import nbtune.ui.panel
from nbtune.space import Choice, Int, SearchSpace
from nbtune.ui.editor import SpaceEditor
from nbtune.ui.panel import SearchPanel

SPACE = SearchSpace(Choice("units", [4, 8]), Choice("learning_rate", [1e-2, 1e-3]))


def test_docstring_example_runs():
    outcome = doctest.testmod(nbtune.ui.panel, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert outcome.failed == 0 and outcome.attempted > 0


def test_the_panel_is_made_and_switched_without_a_warning(cancer):
    """On ipywidgets 7.7.1 (Google Colab's) an 8-only keyword is dropped with a warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel = SearchPanel(tiny_build, SpaceEditor(SPACE), *cancer.train, presentation=True)
        for name in nbtune.search.strategies.names():
            panel.strategy_buttons.value = name
    assert [f"{w.category.__name__}: {w.message}" for w in caught] == []
    assert panel.strategy == nbtune.search.strategies.names()[-1]


def test_grid_run_fills_result_progress_and_plot(cancer):
    panel = SearchPanel(tiny_build, SPACE, *cancer.train, epochs=1, cv=2)
    assert isinstance(panel, widgets.VBox)
    assert panel.strategy == "grid" and panel.stop_button.disabled
    panel.run()
    result = panel.wait(timeout=120)
    assert panel.error is None, panel.message.value
    assert len(result.trials) == 4 and result.complete
    assert (result.trials["status"] == "ok").all()
    assert panel.progress_bar.max == 4 and panel.progress_bar.value == 4
    assert "4/4 trials" in panel.status.value and f"best {result.best_score:.4f}" in panel.status.value
    assert panel.plot_output.outputs and "image/png" in panel.plot_output.outputs[0]["data"]
    assert panel.figure is not None and panel.figure.axes
    assert panel.results == [result]
    assert not panel.run_button.disabled and panel.stop_button.disabled


class StopAfterFirstTrial(SearchPanel):
    """Presses Stop from inside the search as soon as the first trial is done."""

    def trial_done(self, record):
        super().trial_done(record)
        assert not self.stop_button.disabled      # Stop is pressable while running
        self.stop_button.click()


def test_stop_keeps_finished_trials_and_marks_result_partial(cancer):
    panel = StopAfterFirstTrial(tiny_build, SPACE, *cancer.train, epochs=1, cv=2)
    panel.run(block=True)
    result = panel.result
    assert result.complete is False and len(result.trials) == 1
    assert "stopped" in panel.status.value and "stopped" in panel.message.value
    assert panel.progress_bar.value == 1 and panel.progress_bar.bar_style == "warning"
    # a second, full run is kept beside the partial one
    panel.trial_done = lambda record: SearchPanel.trial_done(panel, record)
    panel.run(block=True)
    assert len(panel.results) == 2 and panel.results[1].complete and len(panel.results[1].trials) == 4


def test_hyperband_from_an_editor(cancer):
    editor = SpaceEditor(SearchSpace(Int("units", 4, 16, step=4), Choice("learning_rate", [1e-2, 1e-3])))
    panel = SearchPanel(tiny_build, editor, *cancer.train, validation_data=cancer.validation)
    panel.strategy_buttons.value = "hyperband"
    assert panel.max_epochs_input.layout.display is None and panel.cv_input.layout.display == "none"
    panel.max_epochs_input.value = 2
    editor.rows["units"].slider.value = (4, 8)          # edits made before Run count
    panel.run(block=True)
    result = panel.result
    assert panel.error is None, panel.message.value
    assert result.strategies == ["hyperband"] and len(result.trials) >= 1
    assert set(result.trials["units"]) <= {4, 8}
    assert panel.progress_bar.value == panel.progress_bar.max


def test_invalid_editor_space_is_shown_not_raised(cancer):
    editor = SpaceEditor(SPACE)
    editor.rows["units"].select([])
    panel = SearchPanel(tiny_build, editor, *cancer.train)
    panel.run_button.click()
    assert not panel.running and isinstance(panel.error, ValueError)
    assert "units: no value selected" in panel.message.value


def test_all_failing_build_shows_the_error_in_the_panel(cancer):
    def broken(units=4, learning_rate=1e-3):
        raise RuntimeError("this build function is broken on purpose")

    panel = SearchPanel(broken, SPACE, *cancer.train, epochs=1, cv=2)
    panel.run()
    result = panel.wait(timeout=60)
    assert panel.error is not None
    assert "broken on purpose" in panel.message.value and "failed" in panel.message.value
    assert result is not None and (result.trials["status"] == "failed").all()
    assert panel.progress_bar.bar_style == "danger" and not panel.run_button.disabled


def slow_build(units=4, learning_rate=1e-2):
    """tiny_build, 3 seconds slower: a first trial long enough to watch the clock."""
    import time

    time.sleep(3)
    return tiny_build(units=units, learning_rate=learning_rate)


def test_the_clock_ticks_while_the_first_trial_runs(cancer):
    import time

    panel = SearchPanel(slow_build, SearchSpace(Choice("units", [4])), *cancer.train,
                        epochs=1, cv=2)
    panel.run()
    seen = set()
    deadline = time.monotonic() + 60
    while panel.running and time.monotonic() < deadline and panel.trials_done == 0:
        if "elapsed" in panel.status.value:
            seen.add(panel.status.value)
        time.sleep(0.2)
    result = panel.wait(timeout=120)
    assert len(seen) >= 2, seen  # the status changed with no trial finished: the clock moved
    assert all("0/1 trials" in status for status in seen)
    assert "1/1 trials" in panel.status.value and result.complete  # the final line is kept


def test_the_plot_names_the_score_the_same_while_running_and_at_the_end(cancer):
    labels = []

    class Watch(SearchPanel):
        def trial_done(self, record):
            super().trial_done(record)
            labels.append(self.figure.axes[0].get_ylabel())

    panel = Watch(tiny_build, SPACE, *cancer.train, epochs=1, cv=2)
    panel.run(block=True)
    labels.append(panel.figure.axes[0].get_ylabel())
    assert len(labels) == 5 and len(set(labels)) == 1 and "accuracy" in labels[0], labels
