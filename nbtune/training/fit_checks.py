"""Checks of a fit's settings and weights, made before any model is built.

Keras takes many of ``Model.fit``'s arguments unchecked (``verbose=5``,
``shuffle="yes"``, ``validation_split=1.5`` and ``initial_epoch=5`` of 1 epoch
are accepted; NaN sample weights train and then look like a diverging
learning rate) and refuses others only after the model was built and traced.
:class:`~nbtune.KerasClassifier` and :class:`~nbtune.KerasRegressor` check
them here first, each error naming the argument, the value, what is allowed
and the fix, in the language spoken (:mod:`nbtune.language`).

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
from nbtune.language import gettext as _
from nbtune.language import mark

#: the largest seed numpy (and so keras.utils.set_random_seed) accepts
MAX_SEED = 2**32 - 1

# Model.fit arguments that are counts of at least 1, or None for Keras's default
_OPTIONAL_COUNTS = ("steps_per_epoch", "validation_steps", "validation_batch_size")

# TRANSLATORS: what a sample weight weighs, one and many ("give one weight per row")
_UNITS = {"row": (mark("row"), mark("rows")), "class": (mark("class"), mark("classes"))}


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
                         hint=_(" (with epochs={epochs!r} the model would train nothing)").format(
                             epochs=settings["epochs"]))
    if settings.get("batch_size") is not None:
        check_whole("batch_size", settings["batch_size"],
                    hint=_(" (the rows per training step), or None for Keras's 32"))
    for name in _OPTIONAL_COUNTS:
        if settings.get(name) is not None:
            check_whole(name, settings[name], hint=_(", or None for Keras's default"))
    if "validation_freq" in settings:
        check_whole("validation_freq", settings["validation_freq"],
                    hint=_(" (validate every that many epochs), e.g. validation_freq=1"))
    if "verbose" in settings:
        check_verbose(settings["verbose"])
    if "shuffle" in settings:
        check_flag("shuffle", settings["shuffle"])
    if settings.get("initial_epoch") is not None:
        first = check_whole("initial_epoch", settings["initial_epoch"], minimum=0)
        if first >= epochs:
            raise ValueError(_(
                "initial_epoch={first} with epochs={epochs} trains nothing (Keras trains "
                "epochs initial_epoch+1 to epochs): give initial_epoch < epochs, or leave it "
                "out (partial_fit numbers the epochs on by itself)"
            ).format(first=first, epochs=epochs))
    _check_validation_split(settings.get("validation_split"), rows)


def check_verbose(verbose: Any) -> None:
    """``verbose`` is one of Keras's 0, 1, 2 or ``"auto"`` (True and False are 1 and 0)."""
    allowed = verbose == "auto" if isinstance(verbose, str) else (
        isinstance(verbose, numbers.Integral) and verbose in (0, 1, 2))
    if not allowed:
        raise ValueError(_(
            "verbose={verbose!r} is not allowed: give 0 (silent), 1 (a progress bar), "
            '2 (one line per epoch) or "auto"'
        ).format(verbose=verbose))


def _check_validation_split(split: Any, rows: int) -> None:
    if split is None:
        return
    split = check_real("validation_split", split, at_least=0, below=1,
                       hint=_(", the fraction of the rows to validate on, e.g. 0.2 (0: none)"))
    if split == 0:
        return
    train = int(np.floor(rows * (1 - split)))  # where Keras 3 cuts the rows
    if train in (0, rows):
        raise ValueError(_(
            "validation_split={split!r} of {rows} rows leaves {train} training rows and "
            "{validation} validation rows, and Keras needs at least one of each: give "
            "{size} fraction, e.g. validation_split=0.2, or pass validation_data=(X_val, y_val)"
        ).format(split=split, rows=rows, train=train, validation=rows - train,
                 # TRANSLATORS: "give a smaller fraction" / "give a larger fraction"
                 size=_("a smaller") if train == 0 else _("a larger")))


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
                what=_("a seed, a whole number"),
                hint=_(" (or None for unseeded fits, or a numpy RandomState)"))


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
    example = _("e.g. {code}").format(
        code="sklearn.utils.class_weight.compute_sample_weight('balanced', y)")
    one, many = unit_words(unit)
    if isinstance(weights, (str, bytes, dict)) or np.ndim(weights) == 0:
        raise TypeError(_(
            "{what}={weights!r} is {kind}, not one weight per {unit}: give an array "
            "of {rows} numbers, {example}, or np.full({rows}, w) for one weight everywhere"
        ).format(what=what, weights=weights, kind=kind_of(weights), unit=one, rows=rows,
                 example=example))
    try:
        array = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(_(
            "{what} must be numbers, one per {unit} ({error}): give an array of {rows} numbers, "
            "{example}"
        ).format(what=what, unit=one, error=exc, rows=rows, example=example)) from None
    if array.shape != (rows,):
        raise ValueError(_(
            "{what} has shape {shape}, but there are {rows} {units}: give one weight "
            "per {unit}, a 1-D array of length {rows} (np.ravel it if it is a column)"
        ).format(what=what, shape=array.shape, rows=rows, units=many, unit=one))
    bad = ~np.isfinite(array)
    if bad.any():
        raise ValueError(_(
            "{what} holds {count} NaN or infinite weights (the first at {unit} "
            "{index}): a NaN weight makes the loss NaN and training stops; "
            "give every {unit} a finite weight >= 0 (0 leaves the {unit} out)"
        ).format(what=what, count=int(bad.sum()), unit=one, index=int(np.argmax(bad))))
    if (array < 0).any():
        raise ValueError(_(
            "{what} holds {count} negative weights (the first at {unit} "
            "{index}): a negative weight rewards the model for getting "
            "that {unit} wrong; give weights >= 0 (0 leaves the {unit} out)"
        ).format(what=what, count=int((array < 0).sum()), unit=one,
                 index=int(np.argmax(array < 0))))
    if not array.any():
        raise ValueError(_(
            "{what} is all zero: every {unit} would be left out and nothing learned; give "
            "some {units} a weight > 0, {example}"
        ).format(what=what, unit=one, units=many, example=example))
    return array.astype(np.float32)


def unit_words(unit: str) -> tuple[str, str]:
    """What a weight weighs, one and many, in the language spoken: ``("row", "rows")``.

    Examples
    --------
    >>> unit_words("row"), unit_words("class")
    (('row', 'rows'), ('class', 'classes'))
    """
    if unit in _UNITS:
        return tuple(_(word) for word in _UNITS[unit])
    return unit, unit + ("es" if unit.endswith("s") else "s")


def check_class_weight(class_weight: Any, example: str) -> dict:
    """``class_weight`` is a dict of finite weights >= 0, not all zero (its labels are the
    estimator's to check); ``example`` is a dict to show, e.g. ``"{0: 1.0, 1: 2.0}"``."""
    if not isinstance(class_weight, dict):
        raise TypeError(_(
            "class_weight={class_weight!r} is {kind}, not a dict: give one "
            "weight per class, e.g. class_weight={example} (for weights that balance the "
            "classes: {balanced})"
        ).format(class_weight=class_weight, kind=kind_of(class_weight), example=example,
                 balanced="dict(zip(classes, sklearn.utils.class_weight.compute_class_weight("
                          "'balanced', classes=classes, y=y)))"))
    weights = check_sample_weight(list(class_weight.values()), len(class_weight),
                                  what=_("class_weight's values"), unit="class")
    return dict(zip(class_weight, weights.tolist()))


def check_validation_data(validation: Any, like: np.ndarray) -> tuple:
    """``validation_data`` as ``(X_val, y_val[, sample_weight])``, X_val float32 with
    ``like``'s row shape, finite, as many rows as y_val (which the estimator encodes)."""
    if not isinstance(validation, (tuple, list)) or len(validation) not in (2, 3):
        kind = kind_of(validation) if not isinstance(validation, (tuple, list)) \
            else _("{count} items").format(count=len(validation))
        raise TypeError(_(
            "validation_data is {kind}, not a pair: give validation_data=(X_val, y_val), "
            "two arrays with one row per example (or (X_val, y_val, sample_weight))"
        ).format(kind=kind))
    X_val, y_val, *weights = validation
    try:
        X_val = np.asarray(X_val, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise ValueError(_(
            "validation_data's X must be numbers ({error}): give an array like X"
        ).format(error=exc)) from None
    if X_val.shape[1:] != like.shape[1:]:
        raise ValueError(_(
            "validation_data's X has rows of shape {shape} but X has rows of shape "
            "{x_shape}: give it the same features (columns) as X, in the same order"
        ).format(shape=X_val.shape[1:], x_shape=like.shape[1:]))
    if len(X_val) != len(y_val):
        raise ValueError(_(
            "validation_data has {rows} rows of X but {labels} of y: give one "
            "target per row; check that both come from the same split"
        ).format(rows=len(X_val), labels=len(y_val)))
    if not np.isfinite(X_val).all():
        raise ValueError(_(
            "validation_data's X holds {count} NaN or infinite "
            "values: impute them (sklearn.impute.SimpleImputer, fitted on X) or drop those rows"
        ).format(count=int((~np.isfinite(X_val)).sum())))
    if weights:
        weights = [check_sample_weight(weights[0], len(X_val),
                                       what=_("validation_data's sample_weight"))]
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
        raise ValueError(_(
            "X has {x_rows} rows but y has {y_rows}: give one target per row of X; check "
            "that both come from the same split"
        ).format(x_rows=x_rows, y_rows=y_rows))


def check_callbacks(callbacks: Any) -> list:
    """``callbacks`` as a list of Keras callback instances (None: none; one: a list of it)."""
    keras = import_keras()
    if callbacks is None:
        return []
    if isinstance(callbacks, keras.callbacks.Callback):
        return [callbacks]
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(_(
            "callbacks={callbacks!r} is {kind}: give a list of Keras callbacks, "
            "e.g. callbacks=[keras.callbacks.EarlyStopping(patience=3)]"
        ).format(callbacks=callbacks, kind=kind_of(callbacks)))
    for callback in callbacks:
        if isinstance(callback, type) and issubclass(callback, keras.callbacks.Callback):
            raise TypeError(_(
                "callbacks holds the class {name}, not a callback: make one, "
                "e.g. callbacks=[{name}()]"
            ).format(name=callback.__name__))
        if not isinstance(callback, keras.callbacks.Callback):
            raise TypeError(_(
                "callbacks holds {callback!r} ({kind}), not a Keras callback: "
                "give instances of keras.callbacks.Callback, e.g. "
                "callbacks=[keras.callbacks.EarlyStopping(patience=3)]"
            ).format(callback=callback, kind=kind_of(callback)))
    return list(callbacks)


def check_predict_kwargs(kwargs: dict[str, Any]) -> None:
    """``predict``'s Keras arguments (accepted as the old wrapper did; nbtune predicts in
    fixed blocks, so they do not change the result) still have allowed values."""
    for name in ("batch_size", "steps"):
        if kwargs.get(name) is not None:
            check_whole(name, kwargs[name], hint=_(", or None"))
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
        raise ValueError(_(
            "classes={classes!r} is not allowed: give every label y can hold, a list of two "
            "or more, e.g. classes={example}"
        ).format(classes=classes, example=np.unique(y).tolist()))
    missing = sorted(set(np.unique(y).tolist()) - set(labels.tolist()))
    if missing:
        raise ValueError(_(
            "classes={classes!r} lacks the labels {missing} that y has: give every "
            "label y can hold"
        ).format(classes=classes, missing=missing[:5]))
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
        return _(
            "partial_fit trains the model built by {old}, but model={new} "
            "was set since: a built model cannot be rebuilt in place. Call fit(X, y) to build "
            "and train a new model, or set_params(model={old}) to train the built one on"
        ).format(old=name_of(old), new=name_of(new))
    now = ", ".join(f"{k}={new!r}" for k, (old, new) in changed.items())
    then = ", ".join(f"{k}={old!r}" for k, (old, new) in changed.items())
    message = _("partial_fit trains the model built with {then}, but {now} was set since: the "
                "built model would silently keep the old value. Call fit(X, y) to build and train "
                "a new model with {now}, or set_params({then}) to train the built one on").format(
                    then=then, now=now)
    if list(changed) == ["learning_rate"]:
        message += _(" (to train the built model on at another learning rate, set "
                     "est.model_.optimizer.learning_rate = {learning_rate!r})").format(
                         learning_rate=changed["learning_rate"][1])
    return message
