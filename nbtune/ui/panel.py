"""A run panel: pick a strategy and a budget, press Run, watch it, Stop it.

:class:`SearchPanel` runs one of nbtune's searches (any of
:func:`nbtune.search.strategies.names`) over a space -- or over what a :class:`~nbtune.ui.editor.SpaceEditor`
currently shows -- and watches it through the progress protocol of the
search helpers (``begin`` / ``trial_done`` / ``should_stop`` / ``end``, see
:class:`nbtune.display.SearchProgress`): one progress bar with the trial
count, best score, elapsed time and time left, and a best-so-far plot that
grows as trials finish.  Nothing else is printed: no per-epoch output.

In Jupyter a running cell blocks the kernel, so the Stop button could not be
clicked until the search ended.  The panel is therefore a view over a headless
:class:`~nbtune.ui.runner.SearchRunner`, which runs the search in a background
thread and is its progress object; Stop sets a flag that the search reads
between trials, so it ends after the current trial and keeps every finished one.

Importing this module is cheap: TensorFlow and Keras are imported by the
search, in its thread.
"""

from __future__ import annotations

import base64
import html
import io
import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from nbtune.formatting import format_value
from nbtune.language import gettext as _
from nbtune.language import prepare_figures
from nbtune.plots import column_size, plot_best_so_far
from nbtune.search import helpers, pipeline, strategies
from nbtune.search.checks import check_data, resolve_task
from nbtune.search.results import SearchFailedError, SearchResult
from nbtune.space import SearchSpace
from nbtune.ui.editor import SpaceEditor
from nbtune.ui.runner import SearchRunner, status_parts
from nbtune.ui.style import styled


def _check_panel_arguments(build_fn: Any, space_or_editor: Any, strategy: str) -> None:
    if not callable(build_fn):
        raise TypeError(
            f"SearchPanel: build_fn={build_fn!r} is not a function; pass the function "
            "that builds your Keras model, e.g. SearchPanel(create_model, space, X, y)"
        )
    if not isinstance(space_or_editor, (SearchSpace, SpaceEditor)):
        raise TypeError(
            f"SearchPanel: space_or_editor must be a SearchSpace or a SpaceEditor, got "
            f"{type(space_or_editor).__name__}"
        )
    names = list(strategies.names())
    if strategy not in names:
        raise ValueError(f"SearchPanel: strategy={strategy!r}; choose one of {names}")


class SearchPanel(widgets.VBox):
    """Run a search from buttons and watch it: progress, best score, time left, a plot.

    Parameters
    ----------
    build_fn : callable
        ``build(**params)`` returning a compiled Keras model, or a keras-tuner
        style ``build(hp)``.
    space_or_editor : SearchSpace or SpaceEditor
        What to search.  With an editor, its space (and grid points, folds and
        epochs) are read when Run is pressed, so edits count.
    X, y : array-like
        Training data.
    validation_data : (X_val, y_val), optional
        Scores Hyperband and Bayesian trials (by default they hold out 20 % of
        X, y); grid and random search cross-validate on X, y.
    strategy : str, default "grid"
        A name of :func:`nbtune.search.strategies.names` ("grid", "random", "hyperband",
        "bayesian", "successive_halving").
    trials : int, default 10
        Configurations for random search, trials for Bayesian optimisation.
    epochs : int, optional
        Epochs per fit (default: the editor's, else 10).
    cv : int, optional
        Folds of grid and random search (default: the editor's, else 3).
    max_epochs, factor : int, default 9, 3
        Hyperband's settings.
    points : int or dict, optional
        Grid points of Floats without a step (default: the editor's, else 5).
    batch_size : int, default 32
    scoring : str, optional
        A scikit-learn scorer name; default accuracy (classification) or R².
    random_state : int or None, default 0
    presentation : bool, default False
        Larger fonts and plot, for a projector.

    Attributes
    ----------
    result : SearchResult or None
        The last run's result; ``complete=False`` when it was stopped.
    results : list of SearchResult
        One per run, to compare runs.
    error : Exception or None
        What ended the last run with an error (also shown in the panel).
    figure : matplotlib Figure or None
        The last best-so-far figure.
    strategy_buttons : ipywidgets.ToggleButtons
    trials_input, epochs_input, cv_input, max_epochs_input, factor_input : ipywidgets.BoundedIntText
    run_button, stop_button : ipywidgets.Button
    progress_bar : ipywidgets.IntProgress
    status : ipywidgets.HTML
        Trials, best score, elapsed and remaining time.
    plot_output : ipywidgets.Output
    message : ipywidgets.HTML
        Notes and errors.

    Examples
    --------
    >>> from nbtune import SearchSpace, Choice, data
    >>> from nbtune.ui.panel import SearchPanel
    >>> def build(units=8):
    ...     import keras
    ...     model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
    ...                               keras.layers.Dense(2, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy")
    ...     return model
    >>> cancer = data.load_breast_cancer()
    >>> panel = SearchPanel(build, SearchSpace(Choice("units", [4, 8])), *cancer.train,
    ...                     epochs=1, cv=2)
    >>> panel.run()          # what the Run button does: starts a background thread
    >>> result = panel.wait()
    >>> len(result.trials), panel.progress_bar.value
    (2, 2)
    """

    def __init__(
        self,
        build_fn: Callable,
        space_or_editor: SearchSpace | SpaceEditor,
        X: Any,
        y: Any,
        *,
        validation_data: tuple | None = None,
        strategy: str = "grid",
        trials: int = 10,
        epochs: int | None = None,
        cv: int | None = None,
        max_epochs: int = 9,
        factor: int = 3,
        points: int | dict | None = None,
        batch_size: int = 32,
        scoring: str | None = None,
        random_state: int | None = 0,
        presentation: bool = False,
    ) -> None:
        _check_panel_arguments(build_fn, space_or_editor, strategy)
        super().__init__()
        self.build_fn = build_fn
        self.space_or_editor = space_or_editor
        self.X, self.y = X, y
        self.validation_data = validation_data
        self.points = points
        self.batch_size = batch_size
        self.scoring = scoring
        self.random_state = random_state
        self.presentation = presentation

        self.runner = SearchRunner(listener=self)  # the thread, Stop and the count of trials
        self._clock_stop = threading.Event()  # set: the status clock stops ticking
        self._clock: threading.Thread | None = None
        self._begun = False
        self._score_label: str | None = None  # the scores' name, found by the first trial
        self.error: BaseException | None = None
        self.figure = None
        self._plot_note = ""

        editor = space_or_editor if isinstance(space_or_editor, SpaceEditor) else None
        self._make_budget_inputs(trials=trials, epochs=epochs or (editor.epochs if editor else 10),
                                 cv=cv or (editor.cv if editor else 3), max_epochs=max_epochs,
                                 factor=factor)
        self._make_controls(strategy)
        self.children = self._layout(presentation)
        self._show_budget()

    def _make_budget_inputs(self, *, trials: int, epochs: int, cv: int, max_epochs: int,
                            factor: int) -> None:
        def number(value: int, low: int, high: int, label: str) -> widgets.BoundedIntText:
            return widgets.BoundedIntText(
                value=value, min=low, max=high, description=label,
                layout=widgets.Layout(width="auto"),
            )

        self.trials_input = number(trials, 1, 10_000, _("trials"))
        self.epochs_input = number(epochs, 1, 10_000, _("epochs"))
        self.cv_input = number(cv, 2, 50, _("cv folds"))
        # Hyperband's settings are labelled with their argument names, as code
        self.max_epochs_input = number(max_epochs, 1, 10_000, "max_epochs")
        self.factor_input = number(factor, 2, 20, "factor")
        self._budget = {
            "trials": self.trials_input, "epochs": self.epochs_input, "cv": self.cv_input,
            "max_epochs": self.max_epochs_input, "factor": self.factor_input,
        }

    def _make_controls(self, strategy: str) -> None:
        self.strategy_buttons = widgets.ToggleButtons(
            options=[(s.short_label, s.name) for s in strategies.registry()], value=strategy)
        self.run_button = widgets.Button(description=_("Run"), icon="play", button_style="success",
                                         layout=widgets.Layout(width="auto", min_width="6em"))
        self.stop_button = widgets.Button(description=_("Stop"), icon="stop", button_style="danger",
                                          disabled=True,
                                          layout=widgets.Layout(width="auto", min_width="6em"),
                                          tooltip=_("end the search after the current trial"))
        self.run_button.on_click(lambda _: self.run())
        self.stop_button.on_click(lambda _: self.stop())
        self.progress_bar = widgets.IntProgress(value=0, min=0, max=1,
                                                layout=widgets.Layout(width="20em",
                                                                      flex="1 1 10em"))
        self.status = widgets.HTML(
            html.escape(_("ready: choose a strategy and a budget, then press Run")))
        self.plot_output = widgets.Output(layout=widgets.Layout(min_height="0px"))
        self.message = widgets.HTML()
        self.strategy_buttons.observe(lambda _: self._show_budget(), names="value")

    def _layout(self, presentation: bool) -> list:
        children = [
            styled(self, "nbtune-panel", presentation=presentation),
            self.strategy_buttons,
            widgets.HBox(list(self._budget.values())),
            widgets.HBox([self.run_button, self.stop_button, self.progress_bar]),
            self.status,
            self.message,
            self.plot_output,
        ]
        return children

    # -- budget ----------------------------------------------------------------
    @property
    def strategy(self) -> str:
        """The strategy chosen with the toggle buttons."""
        return self.strategy_buttons.value

    def _show_budget(self) -> None:
        wanted = strategies.get(self.strategy).panel_controls
        for name, box in self._budget.items():
            box.layout.display = None if name in wanted else "none"
        self.trials_input.description = strategies.get(self.strategy).trials_word

    def _space_and_points(self) -> tuple[SearchSpace, Any]:
        source = self.space_or_editor
        if isinstance(source, SpaceEditor):
            return source.space, self.points if self.points is not None else (source.points or None)
        return source, self.points if self.points is not None else 5

    def _search_call(self) -> tuple[Callable[[], Any], str]:
        """The search to run (a function of no arguments) and a note about it."""
        space, points = self._space_and_points()
        strategy, note = self.strategy, ""
        entry = strategies.get(strategy)
        if entry.decides_epochs and "epochs" in space:
            space = space.without("epochs")
            note = _("{strategy} decides the epochs itself: the space's 'epochs' is left out"
                     ).format(strategy=entry.label)
        budget = {"epochs": self.epochs_input.value, "points": points,
                  "max_epochs": self.max_epochs_input.value, "factor": self.factor_input.value}
        if entry.trials_knob:
            budget[entry.trials_knob] = self.trials_input.value
        settings = dict(batch_size=self.batch_size, scoring=self.scoring,
                        random_state=self.random_state, progress=self.runner)
        return lambda: helpers.run_strategy(
            strategy, self.build_fn, space, self.X, self.y, validation_data=self.validation_data,
            cv=self.cv_input.value, budget=budget, **settings,
        ), note

    # -- running ---------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True while a search runs in the background."""
        return self.runner.running

    @property
    def result(self) -> SearchResult | None:
        """The last finished search's result (partial if stopped)."""
        return self.runner.result

    @property
    def results(self) -> list[SearchResult]:
        """Every finished search's result, in order."""
        return self.runner.results

    def run(self, block: bool = False) -> None:
        """Start the chosen search in a background thread (what the Run button does).

        Parameters
        ----------
        block : bool, default False
            Wait for the search to end before returning (then see ``.result``).
        """
        if self.running:
            self._say(_("a search is already running: press Stop or wait for it"))
            return
        self.error = None
        try:
            call, note = self._search_call()
        except (TypeError, ValueError) as exc:  # an invalid edit in the editor, ...
            self.error = exc
            self._say(str(exc), error=True)
            return
        self._say(note)
        self._plot_note = ""
        self.progress_bar.value = 0
        self.run_button.disabled = True
        self.stop_button.disabled = False
        self.plot_output.outputs = ()
        self.status.value = html.escape(
            _("{strategy}: starting (the first trial includes loading TensorFlow)")
            .format(strategy=self.strategy))
        self._clock_stop.clear()
        self._begun = False
        self._score_label = None
        self._clock = threading.Thread(target=self._tick, daemon=True, name="nbtune-clock")
        self._clock.start()  # before the search: a quick search may end before the next line
        self.runner.start(call, on_finish=self._finished)
        if block:
            self.wait()

    def _tick(self) -> None:
        """Redraw the status line every second while a trial runs (its own thread),
        so the elapsed time moves before the first trial ends."""
        while not self._clock_stop.wait(1.0):
            if self._begun:  # not before this run's begin (the tally holds the last run's)
                self._update_status()

    def _finished(self, result: SearchResult | None) -> None:
        """The search ended (in its thread): say how, show the result, re-enable Run."""
        self._clock_stop.set()
        if self._clock is not None and self._clock is not threading.current_thread():
            self._clock.join()  # its last redraw must not overwrite the final status
        error = self.error = self.runner.error
        if isinstance(error, SearchFailedError):
            self._say(_("the search failed: {error}").format(error=error), error=True)
        elif error is not None:
            self._say(_("the search stopped with an error: {kind}: {error}")
                      .format(kind=type(error).__name__, error=error), error=True)
        if result is not None:
            self._finish_display(result)
        self.run_button.disabled = False
        self.stop_button.disabled = True

    def wait(self, timeout: float | None = None):
        """Wait for the running search to end and return its result (None if it failed early).

        Raises TimeoutError if it is still running after ``timeout`` seconds.
        """
        return self.runner.wait(timeout)

    def stop(self) -> None:
        """End the search after the current trial, keeping the finished ones (the Stop button)."""
        if self.runner.stop():
            self.stop_button.disabled = True
            self._say(_("stopping after the current trial ..."))

    # -- the view's side of the progress protocol (the runner calls it, in the search's thread)
    def begin(self, strategy: str, total: int | None) -> None:
        """A search of ``total`` trials starts."""
        self._begun = True
        self.progress_bar.value = 0
        self.progress_bar.max = max(int(total or 1), 1)
        self.progress_bar.bar_style = ""
        self._update_status()

    def trial_done(self, record: dict) -> None:
        """One trial finished: update the bar, the status and the plot."""
        done = self.runner.tally.done
        if done > self.progress_bar.max:
            self.progress_bar.max = done
        self.progress_bar.value = done
        self._update_status()
        self._draw(self.runner.partial_result(self._score_name()))

    def _score_name(self) -> str | None:
        """What the scores are, for the plot while running: the name the finished result
        will carry (the search's own rule, from the task its data gives), found once a run."""
        if self._score_label is None:
            _, y = check_data(self.X, self.y)  # a trial has run: the search accepted the data
            self._score_label = pipeline.scoring_name(self.scoring, resolve_task("auto", y))
        return self._score_label

    def should_stop(self) -> bool:
        """True after Stop (the runner asks itself; this is the view's answer)."""
        return self.runner.should_stop()

    def end(self, note: str = "") -> None:
        """The search ended (``note`` says why when it was stopped)."""
        if note:
            self._say(note)

    # -- display ---------------------------------------------------------------
    @property
    def trials_done(self) -> int:
        """Trials finished in the current (or last) run."""
        return self.runner.tally.done

    def _update_status(self, final: str = "") -> None:
        strategy, *rest = status_parts(self.runner.tally, final)  # the runner's plain text, in HTML
        self.status.value = " | ".join([f"<b>{html.escape(strategy)}</b>",
                                        *(html.escape(part) for part in rest)])

    def _finish_display(self, result) -> None:
        done = len(result.trials)
        if result.complete and done:
            self.progress_bar.max = max(done, 1)
            self.progress_bar.value = done
        self.progress_bar.bar_style = (
            "danger" if self.error is not None else "success" if result.complete else "warning"
        )
        if result.ok_trials.empty:
            final = _("no successful trial")
        else:
            params = ", ".join(f"{k}={format_value(v)}" for k, v in result.best_params.items())
            final = _("best with {params}").format(params=params)
            if not result.complete:
                final = _("stopped early; {final}").format(final=final)
        self._update_status(final=final)
        self._draw(result)

    def _draw(self, result) -> None:
        """Draw the best-so-far plot into the Output (as a PNG, safe from any thread)."""
        if result.trials.empty:
            return
        from matplotlib.figure import Figure  # deferred: importing the panel stays cheap

        # no wider than the notebook's column (nbtune.plots.COLUMN_INCHES), at the notebook's 100 dpi
        size = column_size((8.0, 4.5) if self.presentation else (6.0, 3.2))
        prepare_figures()  # a Korean font, when Korean was chosen by NBTUNE_LANG or the locale
        fig = Figure(figsize=size, dpi=100, layout="constrained")
        ax = fig.add_subplot()
        try:
            plot_best_so_far(result, x="trials", ax=ax, presentation=self.presentation)
        except Exception as exc:  # a plot problem must not end the search
            if not self._plot_note:
                self._plot_note = _("the best-so-far plot failed ({kind}: {error})").format(
                    kind=type(exc).__name__, error=exc)
                self._say(self._plot_note, error=True)
            return
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        self.figure = fig
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        self.plot_output.outputs = ({
            "output_type": "display_data",
            "data": {"image/png": png, "text/plain": _("<best-so-far plot, {count} trials>").format(
                count=len(result.trials))},
            "metadata": {},
        },)

    def _say(self, text: str, *, error: bool = False) -> None:
        if not text:
            self.message.value = ""
            return
        color = "#b00020" if error else "#555"
        sign = "&#9888; " if error else ""
        self.message.value = f"<div style='color:{color}'>{sign}{html.escape(text)}</div>"
