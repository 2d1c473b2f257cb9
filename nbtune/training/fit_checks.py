"""Checks of a fit's settings and weights, made before any model is built.

Keras takes many of ``Model.fit``'s arguments unchecked (``verbose=5``,
``shuffle="yes"``, ``validation_split=1.5`` and ``initial_epoch=5`` of 1 epoch
are accepted; NaN sample weights train and then look like a diverging
learning rate) and refuses others only after the model was built and traced.
:class:`~nbtune.KerasClassifier` and :class:`~nbtune.KerasRegressor` check
them here first, each error naming the argument, the value, what is allowed
and the fix.

Nothing here imports Keras except :func:`check_callbacks`, which needs
Keras's ``Callback`` class (a fit imports Keras anyway).

Examples
--------
>>> from nbtune.training.fit_checks import check_fit_settings
>>> check_fit_settings({"epochs": 1, "verbose": 5}, rows=60)
Traceback (most recent call last):
...
ValueError: verbose=5 is not allowed: give 0 (silent), 1 (a progress bar), 2 (one line per epoch) or "auto"
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from nbtune.arguments import check_flag, check_real, check_whole, kind_of
from nbtune.backend import import_keras

#: the largest seed numpy (and so keras.utils.set_random_seed) accepts
MAX_SEED = 2**32 - 1

# Model.fit arguments that are counts of at least 1, or None for Keras's default
_OPTIONAL_COUNTS = ("steps_per_epoch", "validation_steps", "validation_batch_size")


def check_fit_settings(settings: dict[str, Any], *, rows: int) -> None:
    """The counts, flags and fractions of a fit over ``rows`` training rows.

    ``settings`` are ``Model.fit``'s keyword arguments (``epochs``,
    ``batch_size``, ``verbose``, ``shuffle``, ``validation_split``,
    ``initial_epoch``, ``steps_per_epoch``, ``validation_freq``...); those
    missing are Keras's defaults and not checked.

    Raises
    ------
    ValueError or TypeError
        For the first setting that is not allowed.

    Examples
    --------
    >>> check_fit_settings({"epochs": 3, "batch_size": None, "validation_split": 0.2}, rows=60)
    >>> check_fit_settings({"epochs": 1, "validation_split": 0.99}, rows=60)
    Traceback (most recent call last):
    ...
    ValueError: validation_split=0.99 of 60 rows leaves 0 training rows and 60 validation rows, and Keras needs at least one of each: give a smaller fraction, e.g. validation_split=0.2, or pass validation_data=(X_val, y_val)
    """
    epochs = check_whole("epochs", settings["epochs"],
                         hint=f" (with epochs={settings['epochs']!r} the model would train nothing)")
    if settings.get("batch_size") is not None:
        check_whole("batch_size", settings["batch_size"],
                    hint=" (the rows per training step), or None for Keras's 32")
    for name in _OPTIONAL_COUNTS:
        if settings.get(name) is not None:
            check_whole(name, settings[name], hint=", or None for Keras's default")
    if "validation_freq" in settings:
        check_whole("validation_freq", settings["validation_freq"],
                    hint=" (validate every that many epochs), e.g. validation_freq=1")
    if "verbose" in settings:
        check_verbose(settings["verbose"])
    if "shuffle" in settings:
        check_flag("shuffle", settings["shuffle"])
    if settings.get("initial_epoch") is not None:
        first = check_whole("initial_epoch", settings["initial_epoch"], minimum=0)
        if first >= epochs:
            raise ValueError(
                f"initial_epoch={first} with epochs={epochs} trains nothing (Keras trains "
                "epochs initial_epoch+1 to epochs): give initial_epoch < epochs, or leave it "
                "out (partial_fit numbers the epochs on by itself)"
            )
    _check_validation_split(settings.get("validation_split"), rows)


def check_verbose(verbose: Any) -> None:
    """``verbose`` is one of Keras's 0, 1, 2 or ``"auto"`` (True and False are 1 and 0)."""
    allowed = verbose == "auto" if isinstance(verbose, str) else (
        isinstance(verbose, numbers.Integral) and verbose in (0, 1, 2))
    if not allowed:
        raise ValueError(
            f"verbose={verbose!r} is not allowed: give 0 (silent), 1 (a progress bar), "
            '2 (one line per epoch) or "auto"'
        )


def _check_validation_split(split: Any, rows: int) -> None:
    if split is None:
        return
    split = check_real("validation_split", split, at_least=0, below=1,
                       hint=", the fraction of the rows to validate on, e.g. 0.2 (0: none)")
    if split == 0:
        return
    train = int(np.floor(rows * (1 - split)))  # where Keras 3 cuts the rows
    if train in (0, rows):
        raise ValueError(
            f"validation_split={split!r} of {rows} rows leaves {train} training rows and "
            f"{rows - train} validation rows, and Keras needs at least one of each: give "
            f"{'a smaller' if train == 0 else 'a larger'} fraction, e.g. validation_split=0.2, "
            "or pass validation_data=(X_val, y_val)"
        )


def check_seed(random_state: Any) -> None:
    """``random_state`` is None, a seed from 0 to :data:`MAX_SEED`, or a ``RandomState``.

    Examples
    --------
    >>> check_seed(2**40)
    Traceback (most recent call last):
    ...
    ValueError: random_state=1099511627776 is more than 4294967295: give a seed, a whole number from 0 to 4294967295 (or None for unseeded fits, or a numpy RandomState)
    """
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return
    check_whole("random_state", random_state, minimum=0, maximum=MAX_SEED,
                what="a seed, a whole number",
                hint=" (or None for unseeded fits, or a numpy RandomState)")


def check_sample_weight(weights: Any, rows: int, *, what: str = "sample_weight",
                        unit: str = "row") -> np.ndarray:
    """``weights`` as a float32 array: one finite weight >= 0 per row (``unit``), not all zero.

    Examples
    --------
    >>> check_sample_weight([1, 2, 0], rows=3)
    array([1., 2., 0.], dtype=float32)
    >>> check_sample_weight([1.0, float("nan")], rows=2)
    Traceback (most recent call last):
    ...
    ValueError: sample_weight holds 1 NaN or infinite weights (the first at row 1): a NaN weight makes the loss NaN and training stops; give every row a finite weight >= 0 (0 leaves the row out)
    """
    example = "e.g. sklearn.utils.class_weight.compute_sample_weight('balanced', y)"
    units = unit + ("es" if unit.endswith("s") else "s")
    if isinstance(weights, (str, bytes, dict)) or np.ndim(weights) == 0:
        raise TypeError(
            f"{what}={weights!r} is {kind_of(weights)}, not one weight per {unit}: give an array "
            f"of {rows} numbers, {example}, or np.full({rows}, w) for one weight everywhere"
        )
    try:
        array = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} must be numbers, one per {unit} ({exc}): give an array of "
                        f"{rows} numbers, {example}") from None
    if array.shape != (rows,):
        raise ValueError(
            f"{what} has shape {array.shape}, but there are {rows} {units}: give one weight "
            f"per {unit}, a 1-D array of length {rows} (np.ravel it if it is a column)"
        )
    bad = ~np.isfinite(array)
    if bad.any():
        raise ValueError(
            f"{what} holds {int(bad.sum())} NaN or infinite weights (the first at {unit} "
            f"{int(np.argmax(bad))}): a NaN weight makes the loss NaN and training stops; "
            f"give every {unit} a finite weight >= 0 (0 leaves the {unit} out)"
        )
    if (array < 0).any():
        raise ValueError(
            f"{what} holds {int((array < 0).sum())} negative weights (the first at {unit} "
            f"{int(np.argmax(array < 0))}): a negative weight rewards the model for getting "
            f"that {unit} wrong; give weights >= 0 (0 leaves the {unit} out)"
        )
    if not array.any():
        raise ValueError(
            f"{what} is all zero: every {unit} would be left out and nothing learned; give "
            f"some {units} a weight > 0, {example}"
        )
    return array.astype(np.float32)


def check_class_weight(class_weight: Any, example: str) -> dict:
    """``class_weight`` is a dict of finite weights >= 0, not all zero (its labels are the
    estimator's to check); ``example`` is a dict to show, e.g. ``"{0: 1.0, 1: 2.0}"``."""
    if not isinstance(class_weight, dict):
        raise TypeError(
            f"class_weight={class_weight!r} is {kind_of(class_weight)}, not a dict: give one "
            f"weight per class, e.g. class_weight={example} (for weights that balance the "
            "classes: dict(zip(classes, sklearn.utils.class_weight.compute_class_weight("
            "'balanced', classes=classes, y=y))))"
        )
    weights = check_sample_weight(list(class_weight.values()), len(class_weight),
                                  what="class_weight's values", unit="class")
    return dict(zip(class_weight, weights.tolist()))


def check_validation_data(validation: Any, like: np.ndarray) -> tuple:
    """``validation_data`` as ``(X_val, y_val[, sample_weight])``, X_val float32 with
    ``like``'s row shape, finite, as many rows as y_val (which the estimator encodes)."""
    if not isinstance(validation, (tuple, list)) or len(validation) not in (2, 3):
        kind = kind_of(validation) if not isinstance(validation, (tuple, list)) \
            else f"{len(validation)} items"
        raise TypeError(
            f"validation_data is {kind}, not a pair: give validation_data=(X_val, y_val), "
            "two arrays with one row per example (or (X_val, y_val, sample_weight))"
        )
    X_val, y_val, *weights = validation
    try:
        X_val = np.asarray(X_val, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"validation_data's X must be numbers ({exc}): give an array like X") from None
    if X_val.shape[1:] != like.shape[1:]:
        raise ValueError(
            f"validation_data's X has rows of shape {X_val.shape[1:]} but X has rows of shape "
            f"{like.shape[1:]}: give it the same features (columns) as X, in the same order"
        )
    if len(X_val) != len(y_val):
        raise ValueError(
            f"validation_data has {len(X_val)} rows of X but {len(y_val)} of y: give one "
            "target per row; check that both come from the same split"
        )
    if not np.isfinite(X_val).all():
        raise ValueError(
            f"validation_data's X holds {int((~np.isfinite(X_val)).sum())} NaN or infinite "
            "values: impute them (sklearn.impute.SimpleImputer, fitted on X) or drop those rows"
        )
    if weights:
        weights = [check_sample_weight(weights[0], len(X_val),
                                       what="validation_data's sample_weight")]
    return (X_val, y_val, *weights)


def check_same_rows(X: Any, y: Any) -> None:
    """X and y have as many rows (when both have a length; scikit-learn checks the rest)."""
    def rows(data: Any) -> int:
        shape = getattr(data, "shape", None)  # a sparse matrix's len() is not its rows
        return shape[0] if shape else len(data)

    try:
        x_rows, y_rows = rows(X), rows(y)
    except TypeError:
        return
    if x_rows != y_rows:
        raise ValueError(
            f"X has {x_rows} rows but y has {y_rows}: give one target per row of X; check "
            "that both come from the same split"
        )


def check_callbacks(callbacks: Any) -> list:
    """``callbacks`` as a list of Keras callback instances (None: none; one: a list of it)."""
    keras = import_keras()
    if callbacks is None:
        return []
    if isinstance(callbacks, keras.callbacks.Callback):
        return [callbacks]
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(
            f"callbacks={callbacks!r} is {kind_of(callbacks)}: give a list of Keras callbacks, "
            "e.g. callbacks=[keras.callbacks.EarlyStopping(patience=3)]"
        )
    for callback in callbacks:
        if isinstance(callback, type) and issubclass(callback, keras.callbacks.Callback):
            raise TypeError(
                f"callbacks holds the class {callback.__name__}, not a callback: make one, "
                f"e.g. callbacks=[{callback.__name__}()]"
            )
        if not isinstance(callback, keras.callbacks.Callback):
            raise TypeError(
                f"callbacks holds {callback!r} ({kind_of(callback)}), not a Keras callback: "
                "give instances of keras.callbacks.Callback, e.g. "
                "callbacks=[keras.callbacks.EarlyStopping(patience=3)]"
            )
    return list(callbacks)


def check_predict_kwargs(kwargs: dict[str, Any]) -> None:
    """``predict``'s Keras arguments (accepted as the old wrapper did; nbtune predicts in
    fixed blocks, so they do not change the result) still have allowed values."""
    for name in ("batch_size", "steps"):
        if kwargs.get(name) is not None:
            check_whole(name, kwargs[name], hint=", or None")
    if "verbose" in kwargs:
        check_verbose(kwargs["verbose"])
    if "callbacks" in kwargs:
        check_callbacks(kwargs["callbacks"])


def check_classes(classes: Any, y: np.ndarray) -> np.ndarray:
    """``partial_fit``'s ``classes``: a list of two or more labels that holds every label of y.

    Examples
    --------
    >>> check_classes(["a", "b", "c"], np.array(["a", "c"]))
    array(['a', 'b', 'c'], dtype='<U1')
    """
    labels = np.asarray(classes)
    if labels.ndim != 1 or len(np.unique(labels)) < 2:
        raise ValueError(
            f"classes={classes!r} is not allowed: give every label y can hold, a list of two "
            f"or more, e.g. classes={np.unique(y).tolist()}"
        )
    missing = sorted(set(np.unique(y).tolist()) - set(labels.tolist()))
    if missing:
        raise ValueError(
            f"classes={classes!r} lacks the labels {missing[:5]} that y has: give every "
            "label y can hold"
        )
    return labels


def changed_build_message(changed: dict[str, tuple[Any, Any]]) -> str:
    """Why ``partial_fit`` refuses: build arguments changed (name: (then, now)) since the build.

    Examples
    --------
    >>> print(changed_build_message({"units": (4, 32)}))
    partial_fit trains the model built with units=4, but units=32 was set since: the built model would silently keep the old value. Call fit(X, y) to build and train a new model with units=32, or set_params(units=4) to train the built one on
    """
    def name_of(value: Any) -> str:
        return getattr(value, "__name__", None) or repr(value)

    if "model" in changed:
        old, new = changed["model"]
        return (f"partial_fit trains the model built by {name_of(old)}, but model={name_of(new)} "
                "was set since: a built model cannot be rebuilt in place. Call fit(X, y) to build "
                f"and train a new model, or set_params(model={name_of(old)}) to train the built one on")
    now = ", ".join(f"{k}={new!r}" for k, (old, new) in changed.items())
    then = ", ".join(f"{k}={old!r}" for k, (old, new) in changed.items())
    message = (f"partial_fit trains the model built with {then}, but {now} was set since: the "
               "built model would silently keep the old value. Call fit(X, y) to build and train "
               f"a new model with {now}, or set_params({then}) to train the built one on")
    if list(changed) == ["learning_rate"]:
        message += (f" (to train the built model on at another learning rate, set "
                    f"est.model_.optimizer.learning_rate = {changed['learning_rate'][1]!r})")
    return message
