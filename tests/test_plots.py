"""nbtune.plots: the numbers of each data function, and that every draw function draws.

The data functions are tested on small hand-made results with known numbers.
The draw functions are also run on a real comparison: ``tests/data/compare_cancer.csv``
(grid, random, Hyperband and Bayesian search on the breast-cancer data, with
``compare_cancer.json`` holding its scoring and test scores) was written by
``python scripts/render_figures.py --save-trials tests/data/compare_cancer.csv``.
"""

import doctest
import json
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from nbtune import plots  # noqa: E402
from nbtune.search.results import SearchResult  # noqa: E402

DATA = Path(__file__).parent / "data" / "compare_cancer.csv"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def real():
    settings = json.loads(DATA.with_suffix(".json").read_text())
    return SearchResult.read_csv(DATA, scoring=settings["scoring"], test_scores=settings["test_scores"])


def make(rows, **settings) -> SearchResult:
    return SearchResult(pd.DataFrame(rows), **settings)


def points_of(ax: Axes) -> list:
    """The scatter collections of the trials themselves (not those drawn on the bottom edge)."""
    return [c for c in ax.collections if c.get_gid() not in ("below", "failed")]


@pytest.fixture
def mixed():
    """Two strategies, a failed trial, trials listed out of run order."""
    return make(
        {
            "strategy": ["grid", "grid", "grid", "grid", "random", "random"],
            "trial": [0, 2, 1, 3, 0, 1],
            "units": [8, 32, 16, 64, 8, 24],
            "learning_rate": [1e-3, 1e-1, 1e-2, 1e-3, 3e-3, 3e-2],
            "activation": ["relu", "tanh", "relu", "tanh", "relu", "tanh"],
            "score": [0.80, 0.95, np.nan, 0.90, 0.85, 0.85],
            "status": ["ok", "ok", "failed", "ok", "ok", "ok"],
            "error": ["", "", "loss became NaN", "", "", ""],
            "train_epochs": [3, 3, 3, 3, 3, 3],
            "epochs_spent": [3, 3, 1, 3, 2, 2],
            "seconds": [1.0, 2.0, 0.5, 1.5, 1.0, 1.0],
        },
        scoring="accuracy",
        test_scores={"grid": 0.9},
    )


# ----------------------------------------------------------------- import, colours
def test_import_does_not_import_tensorflow_keras_or_keras_tuner():
    code = ("import sys, nbtune.plots; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'keras_tuner') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_the_data_functions_import_without_matplotlib():
    code = ("import sys; from nbtune.plots import tables, best_so_far, hyperband_rounds; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"


def test_public_names_and_docstring_examples():
    for name in plots.__all__:
        assert hasattr(plots, name), name
    attempted = 0
    for module in (plots, plots.tables, plots.style, plots.figures):
        outcome = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert outcome.failed == 0, module.__name__
        attempted += outcome.attempted
    assert attempted > 10


def test_strategy_colours_are_okabe_ito_and_others_grey():
    assert plots.STRATEGY_COLORS == {"grid": "#0072B2", "random": "#E69F00",
                                     "hyperband": "#009E73", "bayesian": "#CC79A7",
                                     "successive_halving": "#56B4E9"}
    assert plots.color_for("hyperband") == "#009E73"
    assert plots.color_for("coarse_to_fine") == "#7F7F7F"


# ----------------------------------------------------------------- 1. trial scores
def test_trial_scores_marks_the_best_of_each_strategy(mixed):
    table = plots.trial_scores(mixed)
    best = table[table["best"]]
    assert best[["strategy", "trial", "score"]].values.tolist() == [["grid", 2, 0.95], ["random", 0, 0.85]]
    assert table["status"].tolist().count("failed") == 1


# ----------------------------------------------------------------- 2. best so far
def test_best_so_far_is_a_running_max_over_ok_trials_in_run_order(mixed):
    grid = plots.best_so_far(mixed)[lambda t: t["strategy"] == "grid"]
    assert grid["trial"].tolist() == [0, 1, 2, 3]  # run order, not row order
    assert grid["trials"].tolist() == [1, 2, 3, 4]
    assert grid["best_score"].tolist() == [0.80, 0.80, 0.95, 0.95]  # failed trial 1 changes nothing
    assert grid["improved"].tolist() == [True, False, True, False]


def test_best_so_far_costs_include_failed_trials(mixed):
    epochs = plots.best_so_far(mixed, x="epochs")
    assert epochs.loc[epochs["strategy"] == "grid", "epochs"].tolist() == [3, 4, 7, 10]
    assert epochs.loc[epochs["strategy"] == "random", "epochs"].tolist() == [2, 4]
    seconds = plots.best_so_far(mixed, x="seconds")
    assert seconds.loc[seconds["strategy"] == "grid", "seconds"].tolist() == [1.0, 1.5, 3.5, 5.0]
    assert list(seconds.columns) == ["strategy", "trial", "status", "score", "seconds", "best_score", "improved"]


def test_best_so_far_with_one_trial_and_with_a_failed_first_trial():
    one = plots.best_so_far(make({"strategy": ["grid"], "score": [0.7], "epochs_spent": [5]}), x="epochs")
    assert one[["epochs", "best_score"]].values.tolist() == [[5, 0.7]]
    late = plots.best_so_far(make({"strategy": "random", "score": [np.nan, 0.6],
                                   "status": ["failed", "ok"]}))
    assert math.isnan(late["best_score"][0]) and late["best_score"][1] == 0.6
    assert late["improved"].tolist() == [False, True]


def test_best_so_far_bad_input(mixed):
    with pytest.raises(ValueError, match=r"x='loss' is not allowed; use one of \['trials', 'epochs', 'seconds'\]"):
        plots.best_so_far(mixed, x="loss")
    with pytest.raises(ValueError, match="has no trials"):
        plots.best_so_far(make({"strategy": [], "score": []}))
    with pytest.raises(ValueError, match="x='seconds'.*use x='trials'"):
        plots.best_so_far(make({"strategy": "grid", "score": [0.5, 0.6]}), x="seconds")
    with pytest.raises(TypeError, match="SearchResult"):
        plots.best_so_far(mixed.trials)


# ----------------------------------------------------------------- 3, 4. by parameter
def test_score_by_param_and_its_axes(mixed):
    table = plots.score_by_param(mixed, "learning_rate")
    assert table["learning_rate"].tolist() == mixed.trials["learning_rate"].tolist()
    assert plots.plot_score_by_param(mixed, "learning_rate").get_xscale() == "log"  # spans decades
    assert plots.plot_score_by_param(mixed, "units").get_xscale() == "linear"  # 8..64: under a decade
    ax = plots.plot_score_by_param(mixed, "activation")
    assert ax.get_xscale() == "linear"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["relu", "tanh"]
    narrow = make({"strategy": "grid", "units": [30, 40, 50], "score": [0.1, 0.2, 0.3]})
    assert plots.plot_score_by_param(narrow, "units").get_xscale() == "linear"
    with pytest.raises(ValueError, match=r"param='unit' is not a hyperparameter.*\['units', 'learning_rate', 'activation'\]"):
        plots.score_by_param(mixed, "unit")


def test_sampled_points_columns_and_errors(mixed):
    table = plots.sampled_points(mixed)
    assert list(table.columns) == ["strategy", "trial", "units", "learning_rate", "train_epochs", "score", "status"]
    assert list(plots.sampled_points(mixed, "activation", "units").columns[2:4]) == ["activation", "units"]
    with pytest.raises(ValueError, match="x_param and y_param are both 'units'"):
        plots.sampled_points(mixed, "units", "units")
    with pytest.raises(ValueError, match="y_param='dropout'"):
        plots.sampled_points(mixed, "units", "dropout")
    with pytest.raises(ValueError, match="needs two"):
        plots.sampled_points(make({"strategy": "grid", "units": [1], "score": [0.5]}))


# ----------------------------------------------------------------- 5. Hyperband lineage
def test_hyperband_rounds_links_promoted_configurations():
    result = make({
        "strategy": "hyperband",
        "units": [8, 16, 32, 16, 16, 8, 16, 8, 8, 16],
        "score": [0.7, 0.8, 0.6, 0.85, 0.9, 0.75, 0.92, 0.7, 0.72, 0.81],
        "train_epochs": [1, 1, 1, 3, 9, 3, 9, 1, 1, 3],
        #          bracket 2 ----------------  bracket 1 ----  again: bracket 2
        "bracket": [2, 2, 2, 2, 2, 1, 1, 2, 2, 2],
        "round": [0, 0, 0, 1, 2, 0, 1, 0, 0, 1],
    })
    table = plots.hyperband_rounds(result)
    assert table["iteration"].tolist() == [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]
    parents = table["parent"].tolist()
    assert parents[3] == 1 and parents[4] == 3  # 16 units: round 0 -> 1 -> 2 in bracket 2
    assert math.isnan(parents[6])  # 16 units in bracket 1 round 1, but bracket 1 never tried 16
    assert math.isnan(parents[9])  # the second run of bracket 2 never tried 16 in round 0
    assert sum(not math.isnan(p) for p in parents) == 2
    ax = plots.plot_hyperband_rounds(result)
    assert len([line for line in ax.get_lines() if line.get_gid() == "promotion"]) == 2


def test_hyperband_rounds_needs_hyperband_trials(mixed):
    with pytest.raises(ValueError, match=r"strategy='hyperband' is not in this result; it has \['grid', 'random'\]"):
        plots.hyperband_rounds(mixed)
    with pytest.raises(ValueError, match="no bracket/round"):
        plots.hyperband_rounds(mixed, strategy="grid")


# ----------------------------------------------------------------- 6. cv_results_
def test_cv_results_table_from_a_dict_a_search_and_a_result(mixed):
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    cv = {"params": [{"batch_size": 10, "epochs": 5}, {"batch_size": 20, "epochs": 5},
                     {"batch_size": 40, "epochs": 5}],
          "mean_test_score": [0.91, 0.94, np.nan], "std_test_score": [0.02, 0.01, np.nan]}
    table = plots.cv_results_table(cv)
    assert table["label"].tolist() == ["batch_size=10", "batch_size=20", "batch_size=40"]
    assert table["rank"].tolist()[:2] == [2, 1] and table["status"].tolist() == ["ok", "ok", "failed"]
    assert table.attrs["fixed"] == {"epochs": 5}

    X, y = load_iris(return_X_y=True)
    search = GridSearchCV(LogisticRegression(max_iter=200), {"C": [0.01, 1.0]}, cv=3).fit(X, y)
    table = plots.cv_results_table(search)
    assert table["mean"].tolist() == pytest.approx(list(search.cv_results_["mean_test_score"]))
    assert table["rank"].tolist() == list(search.cv_results_["rank_test_score"])
    ax = plots.plot_cv_results(search)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["C=0.01", "C=1"]
    assert ax.get_xlabel() == "mean accuracy over the CV folds (bar: ± 1 std)"

    table = plots.cv_results_table(mixed)
    assert table["strategy"].tolist() == mixed.trials["strategy"].tolist()
    with pytest.raises(TypeError, match="not a fitted GridSearchCV"):
        plots.cv_results_table(GridSearchCV(LogisticRegression(), {"C": [1.0]}))


# ----------------------------------------------------------------- drawing
def test_every_draw_function_draws_the_real_comparison(real):
    strategies = ["grid", "random", "hyperband", "bayesian"]
    assert real.strategies == strategies

    ax = plots.plot_trial_scores(real)
    assert isinstance(ax, Axes) and ax.get_ylabel() == "validation accuracy"
    assert [t.get_text().split("\n")[0] for t in ax.get_xticklabels()] == strategies
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "test score of the best" in legend and "failed (no score)" not in legend

    for x, label in [("trials", "trials run"), ("epochs", "epochs trained"), ("seconds", "seconds")]:
        ax = plots.plot_best_so_far(real, x=x)
        assert ax.get_xlabel().startswith(label)
        assert [line.get_label().split(":")[0] for line in ax.get_lines()] == strategies
        assert [line.get_color() for line in ax.get_lines()] == [plots.color_for(s) for s in strategies]
    epochs = plots.best_so_far(real, x="epochs").groupby("strategy")["epochs"].max()
    assert dict(epochs) == dict(real.trials.groupby("strategy")["epochs_spent"].sum())

    ax = plots.plot_score_by_param(real, "learning_rate")
    assert ax.get_xscale() == "log" and len(points_of(ax)) == len(strategies)
    ax = plots.plot_sampled_points(real, "learning_rate", "activation")
    assert len(ax.collections) == len(strategies)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["relu", "tanh"]
    xmin, xmax = ax.get_xlim()
    assert xmin < real.trials["learning_rate"].min() and xmax > real.trials["learning_rate"].max()

    table = plots.hyperband_rounds(real)
    ax = plots.plot_hyperband_rounds(real)
    promotions = [line for line in ax.get_lines() if line.get_gid() == "promotion"]
    assert len(promotions) == table["parent"].notna().sum() == 6
    assert {t.get_text() for t in ax.texts} == {f"bracket {b}" for b in table["bracket"].unique()}

    ax = plots.plot_cv_results(real.for_strategy("grid"), sort=True)
    assert len(ax.get_yticklabels()) == 12

    ax = plots.plot_hyperband_schedule(max_epochs=10, factor=3)
    assert len(ax.patches) == 6  # one bar per bracket and round
    assert [t.get_text() for t in ax.texts] == ["12", "4", "2", "6", "2", "4"]

    figure = plots.plot_comparison(real)
    assert len(figure.axes) == 5  # scores, best so far against trials, epochs and seconds, their legend
    assert [t.get_text().split(":")[0] for t in figure.axes[4].get_legend().get_texts()] == strategies


def test_failed_trials_are_drawn_and_cost(mixed):
    ax = plots.plot_best_so_far(mixed, x="epochs")
    assert "failed trial (cost, no score)" in [t.get_text() for t in ax.get_legend().get_texts()]
    ax = plots.plot_trial_scores(mixed)
    assert "failed (no score)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_a_result_with_one_trial_draws():
    one = make({"strategy": ["hyperband"], "units": [8], "learning_rate": [0.01], "score": [0.9],
                "train_epochs": [2], "epochs_spent": [2], "seconds": [1.0], "bracket": [0], "round": [0]})
    for x in ("trials", "epochs", "seconds"):
        assert plots.plot_best_so_far(one, x=x).get_lines()[0].get_label() == "hyperband: best 0.900"
    plots.plot_trial_scores(one)
    plots.plot_sampled_points(one)
    plots.plot_score_by_param(one, "units")
    plots.plot_hyperband_rounds(one)
    plots.plot_cv_results(one)


def test_draw_functions_use_the_given_axes_and_never_show(mixed, monkeypatch):
    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show() was called"))
    figure, axes = plt.subplots(2, 3)
    drawn = [
        plots.plot_trial_scores(mixed, ax=axes[0, 0]),
        plots.plot_best_so_far(mixed, x="seconds", ax=axes[0, 1]),
        plots.plot_score_by_param(mixed, "units", ax=axes[0, 2]),
        plots.plot_sampled_points(mixed, ax=axes[1, 0]),
        plots.plot_cv_results(mixed, ax=axes[1, 1]),
        plots.plot_hyperband_schedule(9, ax=axes[1, 2]),
    ]
    assert drawn == list(axes.flat) and plt.get_fignums() == [figure.number]
    with pytest.raises(TypeError, match="ax=.* is not a matplotlib Axes"):
        plots.plot_trial_scores(mixed, ax=figure)


def test_presentation_is_larger_and_global_style_is_untouched(real):
    before = dict(matplotlib.rcParams)
    for presentation in (False, True):
        plots.plot_trial_scores(real, presentation=presentation)
        plots.plot_best_so_far(real, x="epochs", presentation=presentation)
        plots.plot_score_by_param(real, "units", presentation=presentation)
        plots.plot_sampled_points(real, presentation=presentation)
        plots.plot_hyperband_rounds(real, presentation=presentation)
        plots.plot_cv_results(real, presentation=presentation)
        plots.plot_hyperband_schedule(presentation=presentation)
        plots.plot_comparison(real, presentation=presentation)
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()

    normal = plots.plot_best_so_far(real, x="epochs")
    big = plots.plot_best_so_far(real, x="epochs", presentation=True)
    assert big.title.get_fontsize() == pytest.approx(1.5 * normal.title.get_fontsize())
    assert big.xaxis.label.get_fontsize() == pytest.approx(1.5 * normal.xaxis.label.get_fontsize())
    assert big.get_lines()[0].get_linewidth() == pytest.approx(1.5 * normal.get_lines()[0].get_linewidth())


# ----------------------------------------------------------------- the notebook's column
@pytest.fixture(scope="module")
def runs():
    """A replay's table: three strategies, three runs each, four trials a run."""
    rng = np.random.default_rng(0)
    return make([{"strategy": strategy, "repeat": repeat, "trial": trial, "units": int(rng.choice([8, 16, 32])),
                  "score": float(rng.uniform(0.7, 0.95)), "epochs_spent": 3, "seconds": 1.0}
                 for strategy in ("grid", "random", "hyperband") for repeat in range(3) for trial in range(4)],
                scoring="accuracy")


#: Every draw function, on a new figure of its own choosing (the replay's three on ``runs``).
DRAWN = {
    "trial_scores": lambda real, runs, p: plots.plot_trial_scores(real, presentation=p),
    "best_so_far": lambda real, runs, p: plots.plot_best_so_far(real, x="epochs", presentation=p),
    "score_by_param": lambda real, runs, p: plots.plot_score_by_param(real, "learning_rate", presentation=p),
    "sampled_points": lambda real, runs, p: plots.plot_sampled_points(real, presentation=p),
    "hyperband_rounds": lambda real, runs, p: plots.plot_hyperband_rounds(real, presentation=p),
    "cv_results": lambda real, runs, p: plots.plot_cv_results(real.for_strategy("grid"), presentation=p),
    "hyperband_schedule": lambda real, runs, p: plots.plot_hyperband_schedule(27, 3, presentation=p),
    "comparison": lambda real, runs, p: plots.plot_comparison(real, presentation=p),
    "best_so_far_bands": lambda real, runs, p: plots.plot_best_so_far_bands(runs, presentation=p),
    "regret": lambda real, runs, p: plots.plot_regret(runs, 0.96, presentation=p),
    "win_probability": lambda real, runs, p: plots.plot_win_probability(runs, x="trials", presentation=p),
}


def drawn_figure(name: str, real: SearchResult, runs: SearchResult, presentation: bool) -> Figure:
    """The figure ``DRAWN[name]`` draws, laid out and drawn (a collapsed layout is an error)."""
    drawn = DRAWN[name](real, runs, presentation)
    figure = drawn if isinstance(drawn, Figure) else drawn.figure
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "constrained_layout not applied": labels did not fit
        figure.canvas.draw()
    return figure


def shown_texts(figure: Figure) -> list[Text]:
    """Every text the figure shows: titles, labels, ticks, legends, notes."""
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def font_sizes(figure: Figure) -> list[float]:
    return sorted(t.get_fontsize() for t in shown_texts(figure))


def cut_off(figure: Figure) -> bool:
    """True when something drawn (a label, a legend) reaches past the figure's edges."""
    drawn = figure.get_tightbbox()  # in inches
    width, height = figure.get_size_inches()
    return drawn.x0 < -0.01 or drawn.y0 < -0.01 or drawn.x1 > width + 0.01 or drawn.y1 > height + 0.01


def test_every_plot_is_drawn_for_every_draw_function():
    mine = ("nbtune.plots.figures", "nbtune.plots.many_runs")  # the other modules test their own
    named = {name for name in plots.__all__
             if name.startswith("plot_") and getattr(plots, name).__module__ in mine}
    assert {f"plot_{name}" for name in DRAWN} == named


@pytest.mark.parametrize("name", sorted(DRAWN))
def test_presentation_figures_fit_the_notebook_column_with_their_larger_fonts(name, real, runs):
    normal = drawn_figure(name, real, runs, presentation=False)
    big = drawn_figure(name, real, runs, presentation=True)
    # no wider than the column: JupyterLab would shrink a wider PNG, and its fonts with it
    assert big.get_figwidth() <= plots.COLUMN_INCHES and normal.get_figwidth() <= plots.COLUMN_INCHES
    assert big.dpi == normal.dpi == 100  # the inline backend's: COLUMN_INCHES is 800 pixels
    assert big.get_figheight() >= normal.get_figheight()
    normal_sizes, big_sizes = font_sizes(normal), font_sizes(big)
    assert min(big_sizes) > min(normal_sizes) and max(big_sizes) > max(normal_sizes)
    assert big.axes[0].title.get_fontsize() == pytest.approx(1.5 * normal.axes[0].title.get_fontsize())
    assert not cut_off(normal) and not cut_off(big)


def test_hyperband_rounds_fits_its_labels_on_a_figure_without_pyplot(real):
    ax = Figure(figsize=(5.0, 4.0)).add_subplot()  # as the run panel draws: no pyplot, no Agg canvas
    assert plots.plot_hyperband_rounds(real, ax=ax, presentation=True) is ax
    assert [t.get_text() for t in ax.get_xticklabels()][:3] == ["1", "3", "9"]  # too narrow for "round 0"


def test_column_size_caps_the_width_and_keeps_the_shape():
    assert plots.column_size((6.4, 4.2)) == (6.4, 4.2)
    assert plots.column_size((6.4, 4.2), grow=1.25) == pytest.approx((8.0, 5.25))
    assert plots.column_size((16.0, 6.0)) == (plots.COLUMN_INCHES, 3.0)  # half as wide, half as high
    assert plots.column_size((16.0, 6.0), grow=1.25) == pytest.approx((plots.COLUMN_INCHES, 3.75))


def test_value_ticks_only_where_labels_cannot_overlap():
    import numpy as np

    from nbtune.plots.style import well_apart as _well_apart

    assert _well_apart(np.array([1e-3, 1e-2, 1e-1]), log=True)
    assert _well_apart(np.array([32, 64, 96, 128]), log=False)
    assert not _well_apart(np.array([0.001126, 0.001314, 0.05]), log=False)
    assert not _well_apart(np.array([0.001126, 0.001314, 0.05]), log=True)


# ----------------------------------------------------------------- what a figure shows
@pytest.fixture(scope="module")
def close_bests():
    """Bests within 0.01 of each other (a few validation images), and trials far below them."""
    rng = np.random.default_rng(1)
    rows = []
    for strategy, best in (("grid", 0.972), ("random", 0.969), ("hyperband", 0.966)):
        rates = [1e-4, 1e-3, 1e-2, 1e-1] if strategy == "grid" else list(10 ** rng.uniform(-4, -1, 4))
        scores = [0.12, best - 0.008, best - 0.004, best]
        for trial, (rate, score) in enumerate(zip(rates, scores)):
            rows.append({"strategy": strategy, "trial": trial, "learning_rate": rate,
                         "units": [16, 64][trial % 2], "score": score, "train_epochs": 9,
                         "epochs_spent": 9, "seconds": 1.0, "bracket": 0, "round": 0})
    return make(rows, scoring="accuracy", test_scores={"grid": 0.958, "random": 0.961})


def below_count(ax: Axes) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if c.get_gid() == "below")


@pytest.mark.parametrize("draw", [
    lambda r: plots.plot_trial_scores(r),
    lambda r: plots.plot_best_so_far(r, x="epochs"),
    lambda r: plots.plot_score_by_param(r, "learning_rate"),
    lambda r: plots.plot_comparison(r).axes[1],
], ids=["trial_scores", "best_so_far", "score_by_param", "comparison"])
def test_score_axes_zoom_to_the_bests_without_cutting_one_off(draw, close_bests):
    ax = draw(close_bests)
    low, high = ax.get_ylim()
    bests = close_bests.trials.groupby("strategy")["score"].max()
    assert low < bests.min() and bests.max() < high  # every best inside, not on the edge
    assert high - low < 0.1  # an axis from 0.1 to 1 would show 0.966 and 0.972 1 % apart
    assert (high - low) / (bests.max() - bests.min()) < 20  # ... here over 5 % of the height


def test_points_below_the_zoom_are_drawn_on_its_edge_and_counted(close_bests):
    ax = plots.plot_trial_scores(close_bests)
    low = ax.get_ylim()[0]
    far = int((close_bests.trials["score"] < low).sum())
    assert far == 3 and below_count(ax) == far  # the 0.12 of each strategy
    assert any(t.get_text().startswith(f"{far} below") for t in ax.get_legend().get_texts())
    tests = close_bests.test_scores.values()
    assert all(low < score < ax.get_ylim()[1] for score in tests)  # the diamonds are inside too
    ax = plots.plot_score_by_param(close_bests, "learning_rate")
    edge = np.concatenate([c.get_offsets()[:, 0] for c in ax.collections if c.get_gid() == "below"])
    far_rates = close_bests.trials.loc[close_bests.trials["score"] < ax.get_ylim()[0], "learning_rate"]
    assert sorted(edge) == pytest.approx(sorted(far_rates))  # at their own learning rate


def test_zoom_limits_rule():
    from nbtune.plots.style import zoom_limits

    low, high = zoom_limits([0.1, 0.5, 0.95, 0.96, 0.97], focus=[0.95, 0.97])
    assert low < 0.95 and high > 0.97 and high - low < 0.04  # 0.1 and 0.5 far below: left out
    low, high = zoom_limits([0.93, 0.95, 0.97], focus=[0.95, 0.97])
    assert low < 0.93  # less than half a window width below: taken in
    assert zoom_limits([0.92, 0.95, 0.97], focus=[0.95, 0.97])[0] > 0.92  # further: left out
    low, high = zoom_limits([0.969, 0.97], focus=[0.97])
    assert high - low >= 0.015  # never narrower than half of 3 % of the score
    assert zoom_limits([0.5, 0.9], focus=[]) == pytest.approx((0.468, 0.932))  # no focus: all


def test_no_point_is_moved_off_its_value_on_a_numeric_axis(mixed, close_bests):
    for result in (mixed, close_bests):
        trials = result.trials
        ok = (trials["status"] == "ok") & trials["score"].notna()
        ax = plots.plot_score_by_param(result, "learning_rate")
        for collection, strategy in zip(points_of(ax), result.strategies):
            assert collection.get_offset_transform() == ax.transData
            mine = trials[ok & (trials["strategy"] == strategy)]
            assert sorted(collection.get_offsets()[:, 0]) == pytest.approx(sorted(mine["learning_rate"]))
        ax = plots.plot_sampled_points(result, "learning_rate", "units")
        for collection, strategy in zip(points_of(ax), result.strategies):
            assert collection.get_offset_transform() == ax.transData
            mine = trials[trials["strategy"] == strategy]
            drawn = sorted(map(tuple, collection.get_offsets().tolist()))
            true = sorted(zip(mine["learning_rate"], mine["units"].astype(float)))
            np.testing.assert_allclose(np.array(drawn), np.array(true))
    xmin, xmax = ax.get_xlim()  # the searched range, and the points on it
    assert xmin < close_bests.trials["learning_rate"].min() <= close_bests.trials["learning_rate"].max() < xmax


def test_on_a_categorical_axis_strategies_share_the_category_slot(mixed):
    ax = plots.plot_score_by_param(mixed, "activation")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["relu", "tanh"]
    for collection in points_of(ax):
        xs = collection.get_offsets()[:, 0]
        assert np.all(np.abs(xs - np.round(xs)) <= 0.25)  # within the slot of relu (0) or tanh (1)
    grid, random = (points_of(ax)[i].get_offsets()[:, 0] for i in (0, 1))
    assert set(np.round(grid)) == {0, 1} and not set(grid) & set(random)


def test_regret_is_counted_in_images_on_a_symlog_axis(runs):
    ax = plots.plot_regret(runs, 0.96, images=360)
    assert ax.get_yscale() == "symlog" and ax.get_ylabel() == "regret (validation images)"
    regret = plots.final_regret(runs, 0.96)
    dots = np.concatenate([c.get_offsets()[:, 1] for c in ax.collections])
    assert sorted(dots) == pytest.approx(sorted(360 * regret["regret"]))
    low, high = ax.get_ylim()
    assert low <= 0 and high >= dots.max()
    assert plots.plot_regret(runs, 0.96).get_ylabel() == "regret (score)"


@pytest.mark.parametrize("name", sorted(DRAWN))
def test_presentation_fonts_are_projector_size(name, real, runs):
    from nbtune.plots.style import PROJECTOR_POINTS

    big = drawn_figure(name, real, runs, presentation=True)
    small = [(t.get_text(), t.get_fontsize()) for t in shown_texts(big) if t.get_fontsize() < PROJECTOR_POINTS]
    assert small == []


def test_plot_style_draws_a_hand_made_figure_for_a_projector_and_restores_matplotlib():
    from nbtune.plots.style import PROJECTOR_POINTS

    before = dict(matplotlib.rcParams)
    with plots.plot_style(presentation=True):
        figure, ax = plt.subplots()
        ax.plot([1, 2, 3], [0.9, 0.95, 0.96], label="validation accuracy")
        ax.set(title="A hand-made figure", xlabel="epoch", ylabel="accuracy")
        ax.legend()
        figure.suptitle("Lesson")
        figure.canvas.draw()  # ticks take their size when drawn (plt.show() in a notebook)
    assert min(font_sizes(figure)) >= PROJECTOR_POINTS
    assert figure.get_figwidth() <= plots.COLUMN_INCHES and not cut_off(figure)
    assert ax.get_lines()[0].get_linewidth() == pytest.approx(plots.style.style_for(True).line)
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()
    with plots.plot_style(presentation=False):
        figure, ax = plt.subplots()
        ax.set_title("normal")
    assert ax.title.get_fontsize() < PROJECTOR_POINTS


def test_plot_style_leaves_what_the_notebook_turned_on_inside_it():
    """The inline backend turns interactive mode on when a notebook's first figure is drawn; if that
    is inside plot_style, it must stay on, or no later figure of the notebook shows by itself."""
    was = matplotlib.is_interactive()
    try:
        with plots.plot_style(presentation=True):
            matplotlib.interactive(not was)
        assert matplotlib.is_interactive() is (not was)
    finally:
        matplotlib.interactive(was)


# ----------------------------------------------------------------- the lessons' figures
LESSONS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def figure_cells() -> list[tuple[str, str, str]]:
    """(lesson, cell id, source) of every code cell of the lessons that draws a figure."""
    import nbformat

    draws = re.compile(r"plt\.(subplots|figure|plot|scatter|bar)\(|plots\.plot_\w+\(")
    return [(path.stem, cell.get("id", ""), cell.source)
            for path in LESSONS for cell in nbformat.read(path, as_version=4).cells
            if cell.cell_type == "code" and draws.search(cell.source)]


def nbtune_calls(source: str) -> list[tuple[str, str]]:
    """(name, arguments) of every ``plots.plot_...(...)`` call in ``source``, parentheses balanced."""
    calls = []
    for match in re.finditer(r"plots\.(plot_\w+)\(", source):
        depth, end = 1, match.end()
        while depth and end < len(source):
            depth += {"(": 1, ")": -1}.get(source[end], 0)
            end += 1
        calls.append((match.group(1), source[match.end():end - 1]))
    return calls


def test_every_figure_of_the_lessons_is_drawn_for_a_projector():
    """nbtune's draw functions with presentation=True; figures made by hand inside plot_style;
    none wider than the notebook's column (a wider one is shrunk, and its fonts with it)."""
    cells = figure_cells()
    assert len(cells) >= 15
    for lesson, cell_id, source in cells:
        where = f"{lesson}, cell {cell_id}"
        draws = [(name, arguments) for name, arguments in nbtune_calls(source) if name != "plot_style"]
        for name, arguments in draws:
            assert "presentation=True" in arguments, (where, name)
        if re.search(r"plt\.(subplots|figure)\(", source):  # a figure made here
            onto = [name for name, arguments in draws if re.search(r"\bax=", arguments)]
            assert "plots.plot_style(" in source or onto, where
        for width in re.findall(r"figsize=\(\s*([\d.]+)", source):
            assert float(width) <= plots.COLUMN_INCHES, (where, width)


def test_nbtune_calls_reads_nested_parentheses():
    source = 'plots.plot_regret(hundred, f(x), images=len(y), presentation=True);\nplots.plot_style()'
    assert nbtune_calls(source) == [("plot_regret", "hundred, f(x), images=len(y), presentation=True"),
                                    ("plot_style", "")]


def test_the_schedule_plot_draws_one_iteration_and_counts_them_all():
    """Its cost does not grow with hyperband_iterations: 10**9 of them draw as fast as one."""
    import time

    started = time.perf_counter()
    ax = plots.plot_hyperband_schedule(max_epochs=10, factor=3, hyperband_iterations=10**9)
    assert time.perf_counter() - started < 5
    assert " ".join(ax.get_title().split()).startswith(
        "Hyperband(max_epochs=10, factor=3, hyperband_iterations=1000000000): 30000000000 trials, "
        "120000000000 epochs in all")


def test_column_size_takes_a_numpy_size_and_refuses_what_is_not_one():
    assert plots.column_size(np.array([16.0, 6.0])) == (8.0, 3.0)
    with pytest.raises(ValueError, match=r"size=0 is not allowed: give a finite number > 0"):
        plots.column_size((0, 4))
