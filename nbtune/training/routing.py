"""Which estimator parameter goes where: the build function, ``Model.fit``, or an error.

:class:`~nbtune.KerasClassifier` takes one flat set of parameters, as the old
``tensorflow.keras.wrappers.scikit_learn`` wrappers did: a name the build
function accepts goes to the build function, a name of ``keras.Model.fit``
(:data:`FIT_PARAMS`) goes to ``fit``. This module holds those rules, the
translation of Keras 3's ``keras.wrappers`` spellings (``model_kwargs=``,
``fit_kwargs=``), and the errors that tell users of scikeras what to write
instead of its spellings (``model__units``, ``meta``, ``compile_kwargs``...).

Nothing here imports Keras.

Examples
--------
>>> from nbtune.training.routing import build_args, flatten_keras_wrapper_params
>>> def create_model(units=64, learning_rate=1e-3): ...
>>> build_args(create_model)
(['units', 'learning_rate'], False)
>>> flatten_keras_wrapper_params({"model_kwargs": {"units": 8}, "fit_kwargs": {"epochs": 5}})
{'units': 8, 'epochs': 5}
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from nbtune.space.build_fns import hp_origin

#: Arguments of ``keras.Model.fit`` that can be estimator parameters (routed to ``fit``).
#: ``tests/test_wrapper_compat.py`` checks them against Keras's own signature.
FIT_PARAMS = (
    "epochs", "batch_size", "validation_split", "callbacks", "shuffle", "verbose",
    "validation_data", "class_weight", "initial_epoch", "steps_per_epoch",
    "validation_steps", "validation_batch_size", "validation_freq",
)

#: ``Model.fit`` arguments accepted by ``est.fit(X, y, ...)`` only (one value per row).
FIT_CALL_ONLY = ("sample_weight",)

#: Keyword arguments ``predict`` / ``predict_proba`` / ``score`` accept, as the old
#: wrapper did (it passed them to Keras's ``predict``). nbtune predicts in fixed
#: blocks, so they do not change the result.
PREDICT_KWARGS = ("batch_size", "verbose", "steps", "callbacks")

# Keras 3's keras.wrappers.SKLearnClassifier(model, warm_start, model_kwargs, fit_kwargs):
# the two dicts are spread into nbtune's flat parameters.
_KERAS_WRAPPER_DICTS = ("model_kwargs", "fit_kwargs")

# scikeras routes parameters by prefix (model__units, fit__batch_size, ...).
_SCIKERAS_PREFIXES = ("model", "fit", "predict", "compile", "optimizer", "loss", "callbacks",
                      "metrics")

_COMPILE_ARGS = ("loss", "optimizer", "metrics")

_META_ARGS_TEXT = ("n_features_in, n_classes (classifiers) or n_outputs (regressors), "
                   "input_shape, X and y")


def build_args(fn: Callable) -> tuple[list[str], bool]:
    """Names ``fn`` accepts by keyword, and whether it has ``**kwargs``.

    Examples
    --------
    >>> build_args(lambda units=8, **rest: None)
    (['units'], True)
    """
    params = inspect.signature(fn).parameters.values()
    names = [p.name for p in params
             if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)]
    return names, any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)


def flatten_keras_wrapper_params(params: dict[str, Any]) -> dict[str, Any]:
    """Spread Keras 3's ``model_kwargs=`` / ``fit_kwargs=`` dicts into flat parameters.

    ``keras.wrappers.SKLearnClassifier(model=f, model_kwargs={"loss": "mse"},
    fit_kwargs={"epochs": 5})`` becomes ``loss="mse", epochs=5``. Other keys are
    kept as they are.

    Raises
    ------
    TypeError
        If one of the two is not a dict.
    """
    flat = {k: v for k, v in params.items() if k not in _KERAS_WRAPPER_DICTS}
    for name in _KERAS_WRAPPER_DICTS:
        value = params.get(name)
        if value is None:
            continue
        if not isinstance(value, dict):
            raise TypeError(
                f"{name}={value!r} is not a dict. As in keras.wrappers, give a dict of "
                f"parameters, e.g. {name}={{'units': 64}}; or pass them directly: units=64."
            )
        flat.update(value)
    return flat


def foreign_spelling_fix(key: str, estimator: str) -> str | None:
    """What to write in nbtune instead of a scikeras / keras.wrappers parameter name.

    Returns None when ``key`` is not one of their spellings.

    Examples
    --------
    >>> print(foreign_spelling_fix("model__units", "KerasClassifier"))
    'model__units' is scikeras's spelling. nbtune routes by name: write units=... (KerasClassifier(model=..., units=...), or 'units' in a parameter grid).
    """
    if "__" in key:
        prefix, _, rest = key.partition("__")
        if prefix in _SCIKERAS_PREFIXES:
            where = {
                "optimizer": f"add an argument {rest!r} to the build function and use it "
                             f"when you create the optimizer, e.g. Adam(learning_rate={rest})",
                "loss": "make it an argument of the build function and use it in "
                        "model.compile(loss=...)",
                "compile": "compile the model in the build function",
            }.get(prefix, f"write {rest}=... ({estimator}(model=..., {rest}=...), or "
                          f"{rest!r} in a parameter grid)")
            return f"{key!r} is scikeras's spelling. nbtune routes by name: {where}."
    if key == "meta":
        return (f"scikeras's `meta` dict is not passed. nbtune fills in {_META_ARGS_TEXT} "
                "as separate arguments of the build function: replace `meta` by the ones "
                "you need, e.g. def get_model(hidden=64, n_features_in=None, n_classes=None) "
                "(meta['n_features_in_'] -> n_features_in, meta['n_classes_'] -> n_classes, "
                "meta['X_shape_'][1:] -> input_shape).")
    if key == "compile_kwargs":
        return ("scikeras's `compile_kwargs` is not used: compile the model inside the "
                "build function (model.compile(optimizer=..., loss=...)), or return it "
                "uncompiled and nbtune compiles it with Adam and a matching loss.")
    if key in _COMPILE_ARGS:
        return (f"nbtune does not compile your model with {key}=... (scikeras does): call "
                f"model.compile({key}=...) in the build function, or add an argument "
                f"{key!r} to the build function to tune it.")
    if key == "warm_start":
        return ("warm_start (keras.wrappers) is not supported: every fit builds a new "
                "model. To train a fitted model further, call est.model_.fit(X, y).")
    return None


def check_build_names(fn: Callable, names: Iterable[str], *, estimator: str,
                      meta_args: tuple[str, ...]) -> None:
    """Fail with the fix if a parameter name can reach neither the build function nor fit.

    Raises
    ------
    ValueError
        For a name that is filled in from the data (``meta_args``), a foreign
        spelling, or a name the build function does not accept.
    """
    accepted, takes_any = build_args(fn)
    if "meta" in accepted:
        raise ValueError(f"The build function has an argument 'meta'. "
                         f"{foreign_spelling_fix('meta', estimator)}")
    accepted = [n for n in accepted if n not in meta_args]
    for key in names:
        if key in meta_args:
            raise ValueError(
                f"{key!r} is filled in by {estimator} from the training data; do not set "
                "it. The build function receives it automatically."
            )
        if key in FIT_PARAMS or key in accepted or takes_any:
            continue
        fix = foreign_spelling_fix(key, estimator)
        if fix is not None:
            raise ValueError(f"Invalid parameter {key!r} for {estimator}: {fix}")
        raise ValueError(_unknown_name_message(fn, key, estimator, accepted))


def _unknown_name_message(fn: Callable, key: str, estimator: str, accepted: list[str]) -> str:
    origin = hp_origin(fn)  # a build(hp) in keyword form: name the original
    original = fn if origin is None else origin.build_fn
    fn_name = getattr(original, "__name__", "build_fn")
    if original is not fn:
        fix = f"declare it in {fn_name}(hp), e.g. hp.Choice({key!r}, [...])"
    else:
        fix = f"add it as an argument of the build function: def {fn_name}(..., {key}=...)"
    return (
        f"Invalid parameter {key!r} for {estimator}: the build function {fn_name}() has "
        f"no argument {key!r} and it is not a fit parameter. Accepted names: "
        f"build-function arguments {accepted}; fit arguments {list(FIT_PARAMS)}; and "
        f"['model', 'build_fn', 'random_state']. To tune {key!r}, {fix}."
    )
