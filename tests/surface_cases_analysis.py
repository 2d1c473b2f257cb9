"""Bad inputs to the analysis wing: scores_of, importance, isolation, at_fixed, parallel
coordinates, the sampling spread and the learning-rate range test."""

from functools import lru_cache

import numpy as np
from surface_probe import Case


# ------------------------------------------------------------------ cheap inputs (no training)
def trials(**columns):
    import pandas as pd

    from nbtune import SearchResult

    table = {"strategy": "random", "units": [8, 16, 32], "learning_rate": [1e-3, 1e-2, 1e-1],
             "score": [0.8, 0.9, 0.85]}
    return SearchResult(pd.DataFrame({**table, **columns}))


@lru_cache(maxsize=1)
def bench():
    from nbtune import benchmarks

    return benchmarks.load("digits-mlp-tiny")


@lru_cache(maxsize=1)
def runs():
    import nbtune

    return nbtune.replay(bench(), ["random"], repeats=3, n_iter=4, epochs=3)


@lru_cache(maxsize=1)
def study():
    from nbtune import analysis

    return analysis.isolation(bench(), "units", "learning_rate", epochs=3)


def failed():
    return trials(score=np.nan, status="failed")


# ------------------------------------------------------------------ scores_of and what reads it
def scores_of_table_name(tmp):
    from nbtune import analysis

    return analysis.scores_of("digits-mlp")


def scores_of_list_of_results(tmp):
    from nbtune import analysis

    return analysis.scores_of([trials(), trials()])


def scores_of_empty_result(tmp):
    from nbtune import SearchResult, analysis

    return analysis.scores_of(SearchResult(trials().trials.iloc[:0]))


def scores_of_params_int(tmp):
    from nbtune import analysis

    return analysis.scores_of(trials(), params=3)


def scores_of_params_empty(tmp):
    from nbtune import analysis

    return analysis.scores_of(trials(), params=[])


def scores_of_params_score(tmp):
    from nbtune import analysis

    return analysis.scores_of(trials(), params=["units", "score"])


def scores_of_params_unknown(tmp):
    from nbtune import analysis

    return analysis.scores_of(trials(), params=["unit"])


def scores_of_text_scores(tmp):
    import pandas as pd

    from nbtune import analysis

    return analysis.scores_of(pd.DataFrame({"units": [8, 16], "score": ["high", "low"]}))


def scores_of_no_hyperparameters(tmp):
    import pandas as pd

    from nbtune import analysis

    return analysis.scores_of(pd.DataFrame({"score": [0.8, 0.9]}))


def scores_of_epochs_on_result(tmp):
    from nbtune import analysis

    return analysis.scores_of(trials(), epochs=3)


def importance_all_failed(tmp):
    from nbtune import analysis

    return analysis.importance(failed())


def importance_nan_param(tmp):
    from nbtune import analysis

    return analysis.importance(trials(units=[8, np.nan, 32]))


def importance_inf_param(tmp):
    from nbtune import analysis

    return analysis.importance(trials(units=[8, np.inf, 32]))


def importance_seed_text(tmp):
    from nbtune import analysis

    return analysis.importance(trials(), seed="zero", method="forest")


def importance_seed_negative(tmp):
    from nbtune import analysis

    return analysis.importance(trials(), seed=-1, method="forest")


def importance_seed_float(tmp):
    from nbtune import analysis

    return analysis.importance(trials(), seed=1.5, method="forest")


def importance_interactions_text(tmp):
    from nbtune import analysis

    return analysis.importance(trials(), interactions="no")


def importance_constant_score(tmp):
    from nbtune import analysis

    return analysis.importance(trials(score=0.5))


def importance_method_unknown(tmp):
    from nbtune import analysis

    return analysis.importance(trials(), method="anova")


def importance_epochs_beyond_table(tmp):
    from nbtune import analysis

    return analysis.importance(bench(), epochs=99)


def parallel_params_duplicated(tmp):
    from nbtune import analysis

    return analysis.parallel_coordinates(trials(), params=["units", "units"])


def parallel_nan_param(tmp):
    from nbtune import analysis

    return analysis.parallel_coordinates(trials(units=[8, np.nan, 32]))


def parallel_table_name(tmp):
    from nbtune import analysis

    return analysis.parallel_coordinates("digits-mlp-tiny")


def encode_of_none(tmp):
    from nbtune.analysis import scores

    return scores.encode(None)


def numbers_of_text(tmp):
    from nbtune.analysis import scores

    return scores.numbers_of("relu")


# ------------------------------------------------------------------ isolation and at_fixed
def isolation_table_name(tmp):
    from nbtune import analysis

    return analysis.isolation("digits-mlp", "batch_size")


def isolation_scientific_unknown(tmp):
    from nbtune import analysis

    return analysis.isolation(bench(), "batch")


def isolation_nuisance_int(tmp):
    from nbtune import analysis

    return analysis.isolation(bench(), "units", 5)


def isolation_fixed_list(tmp):
    from nbtune import analysis

    return analysis.isolation(bench(), "units", fixed=["batch_size"])


def isolation_fixed_text(tmp):
    from nbtune import analysis

    return analysis.isolation(bench(), "units", fixed="batch_size")


def isolation_fixed_absent_value(tmp):
    from nbtune import analysis

    return analysis.isolation(bench(), "units", fixed={"batch_size": 999})


def at_fixed_result(tmp):
    from nbtune import analysis

    return analysis.at_fixed(trials(), learning_rate=0.01)


def at_fixed_text(tmp):
    from nbtune import analysis

    return analysis.at_fixed("study", learning_rate=0.01)


def at_fixed_nothing(tmp):
    from nbtune import analysis

    return analysis.at_fixed(study())


def at_fixed_text_value(tmp):
    from nbtune import analysis

    return analysis.at_fixed(study(), learning_rate="fast")


def at_fixed_absent_value(tmp):
    from nbtune import analysis

    return analysis.at_fixed(study(), learning_rate=0.5)


def at_fixed_not_nuisance(tmp):
    from nbtune import analysis

    return analysis.at_fixed(study(), units=16)


# ------------------------------------------------------------------ sampling spread
def sampling_trials_int(tmp):
    from nbtune import analysis

    return analysis.sampling_spread(runs(), trials=4)


def sampling_trials_text(tmp):
    from nbtune import analysis

    return analysis.sampling_spread(runs(), trials="16")


def sampling_trials_float(tmp):
    from nbtune import analysis

    return analysis.sampling_spread(runs(), trials=[1.5])


def sampling_trials_bool(tmp):
    from nbtune import analysis

    return analysis.sampling_spread(runs(), trials=[True, 2])


def sampling_trials_nan(tmp):
    from nbtune import analysis

    return analysis.sampling_spread(runs(), trials=[float("nan")])


def sampling_trials_huge(tmp):
    from nbtune import analysis

    return analysis.sampling_spread(runs(), trials=[10**12])


def sampling_empty_replay(tmp):
    from nbtune import SearchResult, analysis

    return analysis.sampling_spread(SearchResult(runs().trials.iloc[:0]))


def sampling_all_failed(tmp):
    from nbtune import SearchResult, analysis

    return analysis.sampling_spread(SearchResult(runs().trials.assign(score=np.nan)))


def sampling_trials_table(tmp):
    from nbtune import analysis

    return analysis.sampling_spread(runs().trials)


def spread_summary_of_result(tmp):
    from nbtune import analysis

    return analysis.spread_summary(runs())


def spread_summary_wrong_table(tmp):
    import pandas as pd

    from nbtune import analysis

    return analysis.spread_summary(pd.DataFrame({"n": [1], "score": [0.9]}))


def spread_summary_empty(tmp):
    from nbtune import analysis

    return analysis.spread_summary(analysis.sampling_spread(runs(), trials=[1]).iloc[:0])


def suggest_rate_text(tmp):
    from nbtune import analysis

    return analysis.suggest_rate("table")


# ------------------------------------------------------------------ the range test (checks before training)
def digits_rows():
    from nbtune import data

    digits = data.load_digits()
    return digits.X_train[:64], digits.y_train[:64]


def range_test(**settings):
    from nbtune import analysis, lessons

    build = settings.pop("build_fn", lessons.build_digits_model)
    X, y = settings.pop("X", None), settings.pop("y", None)
    if X is None:
        X, y = digits_rows()
    return analysis.lr_range_test(build, X, y, **{"steps": 3, "units": 4, **settings})


def lr_steps_huge(tmp):
    return range_test(steps=10**12)


def lr_seed_text(tmp):
    return range_test(seed="zero")


def lr_smoothing_text(tmp):
    return range_test(smoothing="high")


def lr_diverge_zero(tmp):
    return range_test(diverge=0)


def lr_diverge_nan(tmp):
    return range_test(diverge=float("nan"))


def lr_diverge_text(tmp):
    return range_test(diverge="x")


def lr_start_inf(tmp):
    return range_test(start=float("inf"))


def lr_build_not_callable(tmp):
    return range_test(build_fn="build_digits_model")


def lr_build_returns_none(tmp):
    return range_test(build_fn=lambda units=4: None)


def lr_unknown_param(tmp):
    return range_test(unitz=4)


def lr_dataset_as_x(tmp):
    from nbtune import analysis, data, lessons

    return analysis.lr_range_test(lessons.build_digits_model, data.load_digits(), None, steps=3)


def lr_one_dimensional_x(tmp):
    X, y = digits_rows()
    return range_test(X=X[:, 0], y=y)


def lr_nan_in_x(tmp):
    X, y = digits_rows()
    X = X.copy()
    X[0, 0] = np.nan
    return range_test(X=X, y=y)


def lr_nan_in_y(tmp):
    X, y = digits_rows()
    return range_test(X=X, y=np.where(np.arange(len(y)) == 0, np.nan, y))


def lr_too_few_rows(tmp):
    X, y = digits_rows()
    return range_test(X=X[:10], y=y[:10])


CASES = [
    Case("scores-of-table-name", scores_of_table_name, "data", trains=False),
    Case("scores-of-list-of-results", scores_of_list_of_results, "data", trains=False),
    Case("scores-of-empty-result", scores_of_empty_result, "data", trains=False),
    Case("scores-of-params-int", scores_of_params_int, "params", trains=False),
    Case("scores-of-params-empty", scores_of_params_empty, "params", trains=False),
    Case("scores-of-params-score", scores_of_params_score, "params", trains=False),
    Case("scores-of-params-unknown", scores_of_params_unknown, "params", trains=False),
    Case("scores-of-text-scores", scores_of_text_scores, "score", trains=False),
    Case("scores-of-no-hyperparameters", scores_of_no_hyperparameters, "hyperparameter", trains=False),
    Case("scores-of-epochs-on-result", scores_of_epochs_on_result, "epochs", trains=False),
    Case("importance-all-failed", importance_all_failed, "data", trains=False),
    Case("importance-nan-param", importance_nan_param, "units", trains=False),
    Case("importance-inf-param", importance_inf_param, "units", trains=False),
    Case("importance-seed-text", importance_seed_text, "seed", trains=False),
    Case("importance-seed-negative", importance_seed_negative, "seed", trains=False),
    Case("importance-seed-float", importance_seed_float, "seed", trains=False),
    Case("importance-interactions-text", importance_interactions_text, "interactions", trains=False),
    Case("importance-constant-score", importance_constant_score, "score", trains=False),
    Case("importance-method-unknown", importance_method_unknown, "method", trains=False),
    Case("importance-epochs-beyond-table", importance_epochs_beyond_table, "epochs", trains=False),
    Case("parallel-params-duplicated", parallel_params_duplicated, "params", trains=False),
    Case("parallel-nan-param", parallel_nan_param, "units", trains=False),
    Case("parallel-table-name", parallel_table_name, "data", trains=False),
    Case("encode-of-none", encode_of_none, "values", trains=False),
    Case("numbers-of-text", numbers_of_text, "values", trains=False),
    Case("isolation-table-name", isolation_table_name, "data", trains=False),
    Case("isolation-scientific-unknown", isolation_scientific_unknown, "scientific", trains=False),
    Case("isolation-nuisance-int", isolation_nuisance_int, "nuisance", trains=False),
    Case("isolation-fixed-list", isolation_fixed_list, "fixed", trains=False),
    Case("isolation-fixed-text", isolation_fixed_text, "fixed", trains=False),
    Case("isolation-fixed-absent-value", isolation_fixed_absent_value, "fixed", trains=False),
    Case("at-fixed-result", at_fixed_result, "study", trains=False),
    Case("at-fixed-text", at_fixed_text, "study", trains=False),
    Case("at-fixed-nothing", at_fixed_nothing, "learning_rate", trains=False),
    Case("at-fixed-text-value", at_fixed_text_value, "learning_rate", trains=False),
    Case("at-fixed-absent-value", at_fixed_absent_value, "learning_rate", trains=False),
    Case("at-fixed-not-nuisance", at_fixed_not_nuisance, "units", trains=False),
    Case("sampling-trials-int", sampling_trials_int, "trials", trains=False),
    Case("sampling-trials-text", sampling_trials_text, "trials", trains=False),
    Case("sampling-trials-float", sampling_trials_float, "trials", trains=False),
    Case("sampling-trials-bool", sampling_trials_bool, "trials", trains=False),
    Case("sampling-trials-nan", sampling_trials_nan, "trials", trains=False),
    Case("sampling-trials-huge", sampling_trials_huge, "trials", trains=False),
    Case("sampling-empty-replay", sampling_empty_replay, "result", trains=False),
    Case("sampling-all-failed", sampling_all_failed, "result", trains=False),
    Case("sampling-trials-table", sampling_trials_table, "result", trains=False),
    Case("spread-summary-of-result", spread_summary_of_result, "spread", trains=False),
    Case("spread-summary-wrong-table", spread_summary_wrong_table, "spread", trains=False),
    Case("spread-summary-empty", spread_summary_empty, "spread", trains=False),
    Case("suggest-rate-text", suggest_rate_text, "table", trains=False),
    Case("lr-steps-huge", lr_steps_huge, "steps", isolated=True, seconds=10, trains=False),
    Case("lr-seed-text", lr_seed_text, "seed"),
    Case("lr-smoothing-text", lr_smoothing_text, "smoothing"),
    Case("lr-diverge-zero", lr_diverge_zero, "diverge"),
    Case("lr-diverge-nan", lr_diverge_nan, "diverge"),
    Case("lr-diverge-text", lr_diverge_text, "diverge"),
    Case("lr-start-inf", lr_start_inf, "start"),
    Case("lr-build-not-callable", lr_build_not_callable, "build_fn"),
    Case("lr-build-returns-none", lr_build_returns_none, "build_fn"),
    Case("lr-unknown-param", lr_unknown_param, "unitz"),
    Case("lr-dataset-as-x", lr_dataset_as_x, "X"),
    Case("lr-one-dimensional-x", lr_one_dimensional_x, "X"),
    Case("lr-nan-in-x", lr_nan_in_x, "X"),
    Case("lr-nan-in-y", lr_nan_in_y, "y"),
    Case("lr-too-few-rows", lr_too_few_rows, "batch_size"),
]
