"""Bad inputs to the plots: the data functions, the draw functions and the style helpers.

Every call draws on matplotlib's Agg backend and closes what it opened.
"""

from functools import lru_cache

import numpy as np
from surface_cases_analysis import bench, trials  # the same cheap inputs
from surface_probe import Case


def closing(call):
    """Run ``call`` and close every figure it opened, whatever happens."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    try:
        return call()
    finally:
        plt.close("all")


@lru_cache(maxsize=2)
def runs(strategies=("random",)):
    import nbtune

    return nbtune.replay(bench(), list(strategies), repeats=3, n_iter=4, epochs=3)


def two_runs():
    return runs(("random", "grid"))


def failed_runs():
    from nbtune import SearchResult

    return SearchResult(two_runs().trials.assign(score=np.nan, status="failed"))


@lru_cache(maxsize=1)
def shares():
    from nbtune import analysis

    return analysis.importance(bench(), epochs=3)


@lru_cache(maxsize=1)
def study():
    from nbtune import analysis

    return analysis.isolation(bench(), "units", "learning_rate", epochs=3)


@lru_cache(maxsize=1)
def spread():
    from nbtune import analysis

    return analysis.sampling_spread(runs(), trials=[1, 2, 4])


def lr_table(**columns):
    import pandas as pd

    table = {"learning_rate": [1e-4, 1e-3, 1e-2], "loss": [2.3, 1.0, 3.0],
             "smoothed_loss": [2.3, 1.5, 2.0]}
    return pd.DataFrame({**table, **columns})


def plots():
    from nbtune import plots

    return plots


# ------------------------------------------------------------------ importance
def importance_top_zero(tmp):
    return closing(lambda: plots().plot_importance(shares(), top=0))


def importance_top_negative(tmp):
    return closing(lambda: plots().plot_importance(shares(), top=-1))


def importance_top_float(tmp):
    return closing(lambda: plots().plot_importance(shares(), top=1.5))


def importance_top_bool(tmp):
    return closing(lambda: plots().plot_importance(shares(), top=True))


def importance_top_text(tmp):
    return closing(lambda: plots().plot_importance(shares(), top="3"))


def importance_of_result(tmp):
    return closing(lambda: plots().plot_importance(trials()))


def importance_nan_shares(tmp):
    return closing(lambda: plots().plot_importance(shares().assign(share=np.nan)))


def importance_presentation_text(tmp):
    return closing(lambda: plots().plot_importance(shares(), presentation="yes"))


def importance_ax_text(tmp):
    return closing(lambda: plots().plot_importance(shares(), ax="left"))


def importance_ax_array(tmp):
    import matplotlib.pyplot as plt

    def call():
        _, axes = plt.subplots(1, 2)
        return plots().plot_importance(shares(), ax=axes)

    return closing(call)


# ------------------------------------------------------------------ isolation
def isolation_of_shares(tmp):
    return closing(lambda: plots().plot_isolation(shares()))


def isolation_ylim_reversed(tmp):
    return closing(lambda: plots().plot_isolation(study(), ylim=(1.0, 0.5)))


def isolation_ylim_text(tmp):
    return closing(lambda: plots().plot_isolation(study(), ylim="auto"))


def isolation_ylim_nan(tmp):
    return closing(lambda: plots().plot_isolation(study(), ylim=(np.nan, 1.0)))


def isolation_ylim_three(tmp):
    return closing(lambda: plots().plot_isolation(study(), ylim=(0.0, 0.5, 1.0)))


def isolation_nan_scores(tmp):
    def call():
        broken = study().assign(score=np.nan)
        broken.attrs = study().attrs
        return plots().plot_isolation(broken)

    return closing(call)


# ------------------------------------------------------------------ the range test
def lr_marks_list(tmp):
    return closing(lambda: plots().plot_lr_range(lr_table(), marks=[0.01]))


def lr_marks_text_rate(tmp):
    return closing(lambda: plots().plot_lr_range(lr_table(), marks={"best": "0.01"}))


def lr_marks_negative(tmp):
    return closing(lambda: plots().plot_lr_range(lr_table(), marks={"best": -0.01}))


def lr_negative_rates(tmp):
    return closing(lambda: plots().plot_lr_range(lr_table(learning_rate=[-1e-3, 0.0, 1e-2])))


def lr_no_finite_loss(tmp):
    return closing(lambda: plots().plot_lr_range(lr_table(smoothed_loss=np.nan)))


def lr_of_result(tmp):
    return closing(lambda: plots().plot_lr_range(trials()))


# ------------------------------------------------------------------ parallel coordinates
def parallel_cmap_unknown(tmp):
    return closing(lambda: plots().plot_parallel_coordinates(trials(), cmap="viridian"))


def parallel_cmap_int(tmp):
    return closing(lambda: plots().plot_parallel_coordinates(trials(), cmap=3))


def parallel_all_failed(tmp):
    return closing(lambda: plots().plot_parallel_coordinates(trials(score=np.nan, status="failed")))


def parallel_params_empty(tmp):
    return closing(lambda: plots().plot_parallel_coordinates(trials(), params=[]))


# ------------------------------------------------------------------ the sampling spread
def sampling_true_best_series(tmp):
    return closing(lambda: plots().plot_sampling_spread(spread(), bench().true_best(3)))


def sampling_true_best_text(tmp):
    return closing(lambda: plots().plot_sampling_spread(spread(), "best"))


def sampling_true_best_nan(tmp):
    return closing(lambda: plots().plot_sampling_spread(spread(), float("nan")))


def sampling_true_best_below(tmp):
    return closing(lambda: plots().plot_sampling_spread(spread(), 0.1))


def sampling_images_zero(tmp):
    return closing(lambda: plots().plot_sampling_spread(spread(), 0.97, images=0))


def sampling_images_negative(tmp):
    return closing(lambda: plots().plot_sampling_spread(spread(), 0.97, images=-360))


def sampling_images_text(tmp):
    return closing(lambda: plots().plot_sampling_spread(spread(), 0.97, images="360"))


def sampling_images_float(tmp):
    return closing(lambda: plots().plot_sampling_spread(spread(), 0.97, images=360.5))


def sampling_nan_true_scores(tmp):
    return closing(lambda: plots().plot_sampling_spread(spread().assign(true_score=np.nan), 0.97))


def sampling_of_replay(tmp):
    return closing(lambda: plots().plot_sampling_spread(runs(), 0.97))


# ------------------------------------------------------------------ many runs: regret, bands, wins
def regret_true_best_series(tmp):
    return closing(lambda: plots().plot_regret(runs(), bench().true_best(3)))


def regret_true_best_nan(tmp):
    return closing(lambda: plots().plot_regret(runs(), float("nan")))


def regret_true_best_none(tmp):
    return closing(lambda: plots().plot_regret(runs(), None))


def regret_images_zero(tmp):
    return closing(lambda: plots().plot_regret(runs(), 0.97, images=0))


def regret_images_text(tmp):
    return closing(lambda: plots().plot_regret(runs(), 0.97, images="360"))


def regret_all_failed(tmp):
    return closing(lambda: plots().plot_regret(failed_runs(), 0.97))


def regret_trials_table(tmp):
    return closing(lambda: plots().plot_regret(runs().trials, 0.97))


def final_regret_true_best_text(tmp):
    return plots().final_regret(runs(), "best")


def bands_all_failed(tmp):
    return closing(lambda: plots().plot_best_so_far_bands(failed_runs()))


def bands_points_huge(tmp):
    return plots().best_so_far_bands(runs(), x="epochs", points=10**12)


def bands_x_unknown(tmp):
    return closing(lambda: plots().plot_best_so_far_bands(runs(), x="time"))


def win_boot_zero(tmp):
    return plots().win_probability(two_runs(), x="trials", boot=0)


def win_boot_negative(tmp):
    return plots().win_probability(two_runs(), x="trials", boot=-1)


def win_boot_float(tmp):
    return plots().win_probability(two_runs(), x="trials", boot=1.5)


def win_boot_huge(tmp):
    return plots().win_probability(two_runs(), x="trials", boot=10**12)


def win_seed_text(tmp):
    return plots().win_probability(two_runs(), x="trials", seed="zero")


def win_at_text(tmp):
    return closing(lambda: plots().plot_win_probability(two_runs(), x="trials", at="end"))


def win_at_nan(tmp):
    return closing(lambda: plots().plot_win_probability(two_runs(), x="trials", at=float("nan")))


def win_at_negative(tmp):
    return closing(lambda: plots().plot_win_probability(two_runs(), x="trials", at=-1))


def win_one_strategy(tmp):
    return closing(lambda: plots().plot_win_probability(runs(), x="trials"))


def win_all_failed(tmp):
    return closing(lambda: plots().plot_win_probability(failed_runs(), x="trials"))


def who_wins_of_result(tmp):
    return plots().who_wins(two_runs(), "random", "grid")


def who_wins_wrong_table(tmp):
    import pandas as pd

    return plots().who_wins(pd.DataFrame({"a": [1]}), "random", "grid")


# ------------------------------------------------------------------ the comparison plots
def best_so_far_x_list(tmp):
    return closing(lambda: plots().plot_best_so_far(trials(), x=["trials"]))


def trial_scores_table(tmp):
    return closing(lambda: plots().plot_trial_scores(trials().trials))


def comparison_empty(tmp):
    from nbtune import SearchResult

    return closing(lambda: plots().plot_comparison(SearchResult(trials().trials.iloc[:0])))


def cv_params_not_dicts(tmp):
    return closing(lambda: plots().plot_cv_results({"params": [1, 2], "mean_test_score": [0.1, 0.2]}))


def cv_lengths_differ(tmp):
    return closing(lambda: plots().plot_cv_results(
        {"params": [{"units": 8}], "mean_test_score": [0.8, 0.9]}))


def cv_sort_text(tmp):
    return closing(lambda: plots().plot_cv_results(
        {"params": [{"units": 8}, {"units": 16}], "mean_test_score": [0.8, 0.9]}, sort="best"))


def schedule_iterations_float(tmp):
    return closing(lambda: plots().plot_hyperband_schedule(10, 3, 1.5))


# ------------------------------------------------------------------ style helpers
def column_size_zero(tmp):
    return plots().column_size((0, 4))


def column_size_negative(tmp):
    return plots().column_size((-6.4, 4.2))


def column_size_text(tmp):
    return plots().column_size("big")


def column_size_nan(tmp):
    return plots().column_size((float("nan"), 4.2))


def column_size_grow_zero(tmp):
    return plots().column_size((6.4, 4.2), grow=0)


def plot_style_text(tmp):
    with plots().plot_style("yes"):
        pass


CASES = [
    Case("importance-top-zero", importance_top_zero, "top", trains=False),
    Case("importance-top-negative", importance_top_negative, "top", trains=False),
    Case("importance-top-float", importance_top_float, "top", trains=False),
    Case("importance-top-bool", importance_top_bool, "top", trains=False),
    Case("importance-top-text", importance_top_text, "top", trains=False),
    Case("importance-of-result", importance_of_result, "shares", trains=False),
    Case("importance-nan-shares", importance_nan_shares, "share", trains=False),
    Case("importance-presentation-text", importance_presentation_text, "presentation", trains=False),
    Case("importance-ax-text", importance_ax_text, "ax", trains=False),
    Case("importance-ax-array", importance_ax_array, "ax", trains=False),
    Case("isolation-of-shares", isolation_of_shares, "study", trains=False),
    Case("isolation-ylim-reversed", isolation_ylim_reversed, "ylim", trains=False),
    Case("isolation-ylim-text", isolation_ylim_text, "ylim", trains=False),
    Case("isolation-ylim-nan", isolation_ylim_nan, "ylim", trains=False),
    Case("isolation-ylim-three", isolation_ylim_three, "ylim", trains=False),
    Case("isolation-nan-scores", isolation_nan_scores, "study", trains=False),
    Case("lr-marks-list", lr_marks_list, "marks", trains=False),
    Case("lr-marks-text-rate", lr_marks_text_rate, "marks", trains=False),
    Case("lr-marks-negative", lr_marks_negative, "marks", trains=False),
    Case("lr-negative-rates", lr_negative_rates, "learning_rate", trains=False),
    Case("lr-no-finite-loss", lr_no_finite_loss, "smoothed_loss", trains=False),
    Case("lr-of-result", lr_of_result, "table", trains=False),
    Case("parallel-cmap-unknown", parallel_cmap_unknown, "cmap", trains=False),
    Case("parallel-cmap-int", parallel_cmap_int, "cmap", trains=False),
    Case("parallel-all-failed", parallel_all_failed, "data", trains=False),
    Case("parallel-params-empty", parallel_params_empty, "params", trains=False),
    Case("sampling-true-best-series", sampling_true_best_series, "true_best", trains=False),
    Case("sampling-true-best-text", sampling_true_best_text, "true_best", trains=False),
    Case("sampling-true-best-nan", sampling_true_best_nan, "true_best", trains=False),
    Case("sampling-true-best-below", sampling_true_best_below, "true_best", trains=False),
    Case("sampling-images-zero", sampling_images_zero, "images", trains=False),
    Case("sampling-images-negative", sampling_images_negative, "images", trains=False),
    Case("sampling-images-text", sampling_images_text, "images", trains=False),
    Case("sampling-images-float", sampling_images_float, "images", trains=False),
    Case("sampling-nan-true-scores", sampling_nan_true_scores, "spread", trains=False),
    Case("sampling-of-replay", sampling_of_replay, "spread", trains=False),
    Case("regret-true-best-series", regret_true_best_series, "true_best", trains=False),
    Case("regret-true-best-nan", regret_true_best_nan, "true_best", trains=False),
    Case("regret-true-best-none", regret_true_best_none, "true_best", trains=False),
    Case("regret-images-zero", regret_images_zero, "images", trains=False),
    Case("regret-images-text", regret_images_text, "images", trains=False),
    Case("regret-all-failed", regret_all_failed, "result", trains=False),
    Case("regret-trials-table", regret_trials_table, "result", trains=False),
    Case("final-regret-true-best-text", final_regret_true_best_text, "true_best", trains=False),
    Case("bands-all-failed", bands_all_failed, "result", trains=False),
    Case("bands-points-huge", bands_points_huge, "points", trains=False, isolated=True, seconds=10),
    Case("bands-x-unknown", bands_x_unknown, "x", trains=False),
    Case("win-boot-zero", win_boot_zero, "boot", trains=False),
    Case("win-boot-negative", win_boot_negative, "boot", trains=False),
    Case("win-boot-float", win_boot_float, "boot", trains=False),
    Case("win-boot-huge", win_boot_huge, "boot", trains=False, isolated=True, seconds=10),
    Case("win-seed-text", win_seed_text, "seed", trains=False),
    Case("win-at-text", win_at_text, "at", trains=False),
    Case("win-at-nan", win_at_nan, "at", trains=False),
    Case("win-at-negative", win_at_negative, "at", trains=False),
    Case("win-one-strategy", win_one_strategy, "result", trains=False),
    Case("win-all-failed", win_all_failed, "result", trains=False),
    Case("who-wins-of-result", who_wins_of_result, "wins", trains=False),
    Case("who-wins-wrong-table", who_wins_wrong_table, "wins", trains=False),
    Case("best-so-far-x-list", best_so_far_x_list, "x", trains=False),
    Case("trial-scores-table", trial_scores_table, "result", trains=False),
    Case("comparison-empty", comparison_empty, "result", trains=False),
    Case("cv-params-not-dicts", cv_params_not_dicts, "params", trains=False),
    Case("cv-lengths-differ", cv_lengths_differ, "mean_test_score", trains=False),
    Case("cv-sort-text", cv_sort_text, "sort", trains=False),
    Case("schedule-iterations-float", schedule_iterations_float, "hyperband_iterations",
         trains=False),
    Case("column-size-zero", column_size_zero, "size", trains=False),
    Case("column-size-negative", column_size_negative, "size", trains=False),
    Case("column-size-text", column_size_text, "size", trains=False),
    Case("column-size-nan", column_size_nan, "size", trains=False),
    Case("column-size-grow-zero", column_size_grow_zero, "grow", trains=False),
    Case("plot-style-text", plot_style_text, "presentation", trains=False),
]
