"""Bad inputs to the lessons' helpers (claim, lesson 04's model, space and plan, WallClock),
the data loaders (nbtune.data) and the shared formatting helpers (nbtune.formatting)."""

import numpy as np
from surface_probe import Case


# ------------------------------------------------------------------ claim
def claim_holds_text(tmp):
    from nbtune import lessons

    return lessons.claim("the grid wins", "no")


def claim_holds_none(tmp):
    from nbtune import lessons

    return lessons.claim("the grid wins", None)


def claim_holds_series(tmp):
    import pandas as pd

    from nbtune import lessons

    return lessons.claim("every score is above 0.9", pd.Series([0.95, 0.8]) > 0.9)


def claim_holds_array(tmp):
    from nbtune import lessons

    return lessons.claim("every score is above 0.9", np.array([0.95, 0.8]) > 0.9)


def claim_holds_nan(tmp):
    from nbtune import lessons

    return lessons.claim("the gap is small", float("nan"))


def claim_holds_function(tmp):
    from nbtune import lessons

    return lessons.claim("the grid wins", lambda: False)


def claim_statement_int(tmp):
    from nbtune import lessons

    return lessons.claim(3, True)


def claim_statement_empty(tmp):
    from nbtune import lessons

    return lessons.claim("", True)


def claim_check_text(tmp):
    from nbtune import lessons

    return lessons.claim("the grid wins", False, check="no")


# ------------------------------------------------------------------ lesson 04: space, settings, plan
def space_budget_float(tmp):
    from nbtune import lessons

    return lessons.comparison_space(1.5)


def space_budget_whole_float(tmp):
    from nbtune import lessons

    return lessons.comparison_space(2.0)


def space_budget_text(tmp):
    from nbtune import lessons

    return lessons.comparison_space("1")


def space_fast_text(tmp):
    from nbtune import lessons

    return lessons.comparison_space(1, fast="no")


def settings_budget_four(tmp):
    from nbtune import lessons

    return lessons.comparison_settings(4)


def settings_fast_text(tmp):
    from nbtune import lessons

    return lessons.comparison_settings(fast="yes")


def plan_space_text(tmp):
    from nbtune import lessons

    return lessons.comparison_plan("units and learning_rate")


def plan_settings_list(tmp):
    from nbtune import lessons

    return lessons.comparison_plan(settings=["grid", "random"])


def digits_mlp_space_fast_text(tmp):
    from nbtune import lessons

    return lessons.digits_mlp_space("no")


def wallclock_show_text(tmp):
    from nbtune import lessons

    return lessons.WallClock(show="no")


# ------------------------------------------------------------------ lesson 04's model (checked before Keras builds)
def model_units_zero(tmp):
    from nbtune import lessons

    return lessons.build_digits_model(units=0)


def model_units_text(tmp):
    from nbtune import lessons

    return lessons.build_digits_model(units="64")


def model_learning_rate_negative(tmp):
    from nbtune import lessons

    return lessons.build_digits_model(learning_rate=-0.01)


def model_learning_rate_nan(tmp):
    from nbtune import lessons

    return lessons.build_digits_model(learning_rate=float("nan"))


def model_activation_unknown(tmp):
    from nbtune import lessons

    return lessons.build_digits_model(activation="rleu")


def model_dropout_above_one(tmp):
    from nbtune import lessons

    return lessons.build_digits_model(dropout_rate=1.5)


# ------------------------------------------------------------------ nbtune.data
def data_val_size_text(tmp):
    from nbtune import data

    return data.load_digits(val_size="0.2")


def data_val_size_none(tmp):
    from nbtune import data

    return data.load_digits(val_size=None)


def data_random_state_text(tmp):
    from nbtune import data

    return data.load_digits(random_state="zero")


def data_random_state_float(tmp):
    from nbtune import data

    return data.load_digits(random_state=1.5)


def data_random_state_negative(tmp):
    from nbtune import data

    return data.load_breast_cancer(random_state=-1)


def data_random_state_bool(tmp):
    from nbtune import data

    return data.load_digits(random_state=True)


def data_val_size_too_small(tmp):
    from nbtune import data

    return data.load_digits(val_size=0.001)


def data_test_size_too_small(tmp):
    from nbtune import data

    return data.load_breast_cancer(test_size=0.001)


def data_sizes_sum_to_one(tmp):
    from nbtune import data

    return data.load_digits(val_size=0.5, test_size=0.5)


def data_load_name_list(tmp):
    from nbtune import data

    return data.load(["digits"])


def data_load_name_unknown(tmp):
    from nbtune import data

    return data.load("mnist")


def data_load_unknown_keyword(tmp):
    from nbtune import data

    return data.load("digits", val=0.2)


# ------------------------------------------------------------------ nbtune.formatting
def format_value_digits_negative(tmp):
    from nbtune import formatting

    return formatting.format_value(0.123, digits=-1)


def format_value_digits_float(tmp):
    from nbtune import formatting

    return formatting.format_value(0.123, digits=1.5)


def format_value_digits_text(tmp):
    from nbtune import formatting

    return formatting.format_value(0.123, digits="3")


def format_seconds_text(tmp):
    from nbtune import formatting

    return formatting.format_seconds("10")


def format_seconds_none(tmp):
    from nbtune import formatting

    return formatting.format_seconds(None)


CASES = [
    Case("claim-holds-text", claim_holds_text, "holds", trains=False),
    Case("claim-holds-none", claim_holds_none, "holds", trains=False),
    Case("claim-holds-series", claim_holds_series, "holds", trains=False),
    Case("claim-holds-array", claim_holds_array, "holds", trains=False),
    Case("claim-holds-nan", claim_holds_nan, "holds", trains=False),
    Case("claim-holds-function", claim_holds_function, "holds", trains=False),
    Case("claim-statement-int", claim_statement_int, "statement", trains=False),
    Case("claim-statement-empty", claim_statement_empty, "statement", trains=False),
    Case("claim-check-text", claim_check_text, "check", trains=False),
    Case("space-budget-float", space_budget_float, "budget", trains=False),
    Case("space-budget-whole-float", space_budget_whole_float, "budget", trains=False),
    Case("space-budget-text", space_budget_text, "budget", trains=False),
    Case("space-fast-text", space_fast_text, "fast", trains=False),
    Case("settings-budget-four", settings_budget_four, "budget", trains=False),
    Case("settings-fast-text", settings_fast_text, "fast", trains=False),
    Case("plan-space-text", plan_space_text, "space", trains=False),
    Case("plan-settings-list", plan_settings_list, "settings", trains=False),
    Case("digits-mlp-space-fast-text", digits_mlp_space_fast_text, "fast", trains=False),
    Case("wallclock-show-text", wallclock_show_text, "show", trains=False),
    Case("model-units-zero", model_units_zero, "units"),
    Case("model-units-text", model_units_text, "units"),
    Case("model-learning-rate-negative", model_learning_rate_negative, "learning_rate"),
    Case("model-learning-rate-nan", model_learning_rate_nan, "learning_rate"),
    Case("model-activation-unknown", model_activation_unknown, "activation"),
    Case("model-dropout-above-one", model_dropout_above_one, "dropout_rate"),
    Case("data-val-size-text", data_val_size_text, "val_size", trains=False),
    Case("data-val-size-none", data_val_size_none, "val_size", trains=False),
    Case("data-random-state-text", data_random_state_text, "random_state", trains=False),
    Case("data-random-state-float", data_random_state_float, "random_state", trains=False),
    Case("data-random-state-negative", data_random_state_negative, "random_state", trains=False),
    Case("data-random-state-bool", data_random_state_bool, "random_state", trains=False),
    Case("data-val-size-too-small", data_val_size_too_small, "val_size", trains=False),
    Case("data-test-size-too-small", data_test_size_too_small, "test_size", trains=False),
    Case("data-sizes-sum-to-one", data_sizes_sum_to_one, "test_size", trains=False),
    Case("data-load-name-list", data_load_name_list, "name", trains=False),
    Case("data-load-name-unknown", data_load_name_unknown, "name", trains=False),
    Case("data-load-unknown-keyword", data_load_unknown_keyword, "val", trains=False),
    Case("format-value-digits-negative", format_value_digits_negative, "digits", trains=False),
    Case("format-value-digits-float", format_value_digits_float, "digits", trains=False),
    Case("format-value-digits-text", format_value_digits_text, "digits", trains=False),
    Case("format-seconds-text", format_seconds_text, "seconds", trains=False),
    Case("format-seconds-none", format_seconds_none, "seconds", trains=False),
]
