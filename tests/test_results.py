
import numpy as np
import pandas as pd
import pytest

from nbtune.search.results import TRIAL_COLUMNS, SearchResult


def make_result():
    return SearchResult(pd.DataFrame({
        "strategy": ["grid", "grid", "grid", "hyperband", "hyperband"],
        "trial": [0, 1, 2, 0, 1],
        "units": [32, 64, 96, 64, 128],
        "activation": ["relu", "relu", "tanh", "tanh", "relu"],
        "score": [0.90, 0.95, np.nan, 0.93, 0.97],
        "score_std": [0.01, 0.02, np.nan, np.nan, np.nan],
        "train_epochs": [5, 5, 5, 2, 6],
        "epochs_spent": [15, 15, 0, 2, 4],
        "seconds": [1.0, 1.5, 0.1, 0.5, 0.7],
        "status": ["ok", "ok", "failed", "ok", "ok"],
        "error": ["", "", "ValueError: boom", "", ""],
        "bracket": [np.nan, np.nan, np.nan, 1, 1],
        "round": [np.nan, np.nan, np.nan, 0, 1],
    }))


def test_columns_best_and_types():
    result = make_result()
    assert list(result.trials.columns) == ["strategy", "trial", "units", "activation", *TRIAL_COLUMNS[2:]]
    assert result.param_names == ["units", "activation"]
    assert result.best_score == 0.97
    assert result.best_params == {"units": 128, "activation": "relu"}
    assert type(result.best_params["units"]) is int
    grid = result.for_strategy("grid")
    assert grid.best_params == {"units": 64, "activation": "relu"}
    assert grid.strategies == ["grid"]


def test_summary_counts_costs_and_failures():
    summary = make_result().summary()
    assert list(summary.index) == ["grid", "hyperband"]
    assert summary.loc["grid", "trials"] == 3 and summary.loc["grid", "failed"] == 1
    assert summary.loc["grid", "epochs_spent"] == 30
    assert summary.loc["hyperband", "best_score"] == 0.97
    assert summary.loc["hyperband", "seconds"] == pytest.approx(1.2)
    assert "failed" not in repr(make_result()) and "hyperband: 2 trials, best 0.9700" in repr(make_result())


def test_csv_round_trip_keeps_every_value(tmp_path):
    result = make_result()
    path = tmp_path / "trials.csv"
    result.to_csv(path)
    back = SearchResult.read_csv(path)
    pd.testing.assert_frame_equal(back.trials, result.trials, check_dtype=False)
    assert back.best_params == result.best_params
    assert type(back.best_params["units"]) is int
    assert back.trials.loc[2, "error"] == "ValueError: boom"


def test_all_failed_names_the_first_error():
    result = SearchResult(pd.DataFrame({
        "strategy": ["grid", "grid"], "units": [1, 2], "score": [np.nan, np.nan],
        "status": ["failed", "failed"], "error": ["ValueError: first", "ValueError: second"]}))
    with pytest.raises(ValueError, match="all 2 trials failed.*ValueError: first"):
        _ = result.best_params


def test_a_trial_without_score_counts_as_failed():
    result = SearchResult(pd.DataFrame({"units": [1, 2], "score": [np.nan, 0.5]}))
    assert result.trials["status"].tolist() == ["failed", "ok"]


def test_combine_and_unknown_strategy():
    a, b = make_result().for_strategy("grid"), make_result().for_strategy("hyperband")
    both = SearchResult.combine([a, b])
    assert both.strategies == ["grid", "hyperband"] and len(both.trials) == 5
    with pytest.raises(ValueError, match="strategy='bayes' is not in this result.*'grid', 'hyperband'"):
        both.for_strategy("bayes")


def test_param_name_clashing_with_a_column_is_refused():
    with pytest.raises(ValueError, match=r"names \['score'\] are columns of the trials table"):
        SearchResult(pd.DataFrame({"score": [0.5]}), param_names=["score"])


def test_build_best_needs_a_build_function(tmp_path):
    result = make_result()
    with pytest.raises(ValueError, match="build_fn=create_model"):
        result.build_best()
    calls = []
    assert result.build_best(lambda **kw: calls.append(kw) or "model") == "model"
    assert calls == [{"units": 128, "activation": "relu"}]
