"""Build functions in keras-tuner's style: ``build(hp)`` and ``HyperModel`` instances.

nbtune's searches and estimators take a plain build function of keyword
arguments; this module recognises the keras-tuner forms (:func:`is_hp_build_fn`,
:func:`check_build_fn`, :func:`hypermodel_fit`), reads the space they declare
(:func:`declared_dimensions`, which :meth:`nbtune.SearchSpace.from_build_fn` wraps) and
turns them into a keyword build function (:func:`as_kwargs_build_fn`), whose
:class:`HpOrigin` (read with :func:`hp_origin`) says where it came from.

Examples
--------
>>> is_hp_build_fn(lambda hp: None), is_hp_build_fn(lambda units=32: None)
(True, False)
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nbtune.backend import import_keras, import_keras_tuner
from nbtune.space.dimensions import Choice, Dimension, Fixed, Float, Int


@dataclass(frozen=True)
class HpOrigin:
    """Where a keyword build function made by :func:`as_kwargs_build_fn` came from.

    Attributes
    ----------
    build_fn : callable or keras_tuner.HyperModel
        The original ``build(hp)`` or HyperModel (run folders fingerprint its source).
    fit : callable or None
        The HyperModel's own ``fit`` (see :func:`hypermodel_fit`), which the
        holdout searches call for each trial; None for a plain ``build(hp)``.
    fit_names : tuple of str
        The hyperparameters only that ``fit`` declares (the build ignores them).
    """

    build_fn: Any
    fit: Callable | None
    fit_names: tuple[str, ...]


def hp_origin(fn: Any) -> HpOrigin | None:
    """The :class:`HpOrigin` of a function made by :func:`as_kwargs_build_fn`, else None.

    Examples
    --------
    >>> hp_origin(lambda units=32: None) is None
    True
    """
    return getattr(fn, "_hp_origin", None)


def _is_hp_signature(fn: Any) -> bool:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    required = [p for p in sig.parameters.values() if p.default is inspect.Parameter.empty
                and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)]
    return (
        len(required) == 1
        and required[0].name == "hp"
        and required[0].kind != inspect.Parameter.KEYWORD_ONLY
    )


def is_hp_build_fn(fn: Any) -> bool:
    """True if ``fn`` is a keras-tuner style build function ``fn(hp)``.

    That is: a callable whose only required parameter is a positional one
    named ``hp``, or an object (such as a ``keras_tuner.HyperModel``) that is
    not a function and whose ``build`` method is one. A function made by
    :func:`as_kwargs_build_fn` is not.

    Examples
    --------
    >>> is_hp_build_fn(lambda hp: None), is_hp_build_fn(lambda units=32: None)
    (True, False)
    """
    if hp_origin(fn) is not None:
        return False
    if _is_hypermodel(fn):
        return _is_hp_signature(fn.build)
    return callable(fn) and _is_hp_signature(fn)


def _is_hypermodel(fn: Any) -> bool:
    """An object with a ``build`` method (a keras-tuner HyperModel or look-alike), not a class."""
    return not inspect.isroutine(fn) and not inspect.isclass(fn) and callable(getattr(fn, "build", None))


def _is_kt_hypermodel_class(klass: type) -> bool:
    """keras-tuner's own base ``HyperModel`` class, recognised by name (nothing is imported)."""
    return klass.__name__ == "HyperModel" and klass.__module__.startswith("keras_tuner")


def _defined_by_keras_tuner(obj: Any, method: str) -> bool:
    """True if ``type(obj).method`` is keras-tuner's own base ``HyperModel`` method.

    Checked by name, so that nothing imports keras-tuner to ask.
    """
    for klass in type(obj).__mro__:
        if method in vars(klass):
            return _is_kt_hypermodel_class(klass)
    return False


def check_build_fn(fn: Any, *, argument: str = "build_fn") -> None:
    """Refuse, before any training, what is neither a build function nor a HyperModel.

    Accepted: any callable that is not a class with a ``build`` method (a
    keyword build function, a keras-tuner style ``build(hp)``), and an object
    whose ``build(hp)`` method builds the model (a ``keras_tuner.HyperModel``
    instance whose class defines ``build``).

    Parameters
    ----------
    fn : object
        What the user passed.
    argument : str, default "build_fn"
        The argument's name, for the error message.

    Raises
    ------
    TypeError
        Naming the argument, the value, what is allowed and the fix.

    Examples
    --------
    >>> check_build_fn(lambda hp: None)
    >>> check_build_fn(42)
    Traceback (most recent call last):
    ...
    TypeError: build_fn=42 (int) is neither a function nor a keras_tuner.HyperModel; pass the function that builds and compiles your Keras model (e.g. build_fn=create_model, or a keras-tuner style model_builder(hp)) or an instance of your HyperModel (MyHyperModel())
    """
    name = type(fn).__name__
    if inspect.isclass(fn) and any(_is_kt_hypermodel_class(k) for k in fn.__mro__):
        raise TypeError(
            f"{argument}={fn.__name__} is a HyperModel class, not an instance; "
            f"pass an instance: {argument}={fn.__name__}()"
        )
    if not inspect.isroutine(fn) and hasattr(fn, "build"):
        if _defined_by_keras_tuner(fn, "build"):
            raise TypeError(
                f"{argument}={fn!r} is a keras_tuner.HyperModel whose class {name} has no "
                "build method (keras-tuner's own HyperModel.build only raises "
                f"NotImplementedError); define it: class {name}(kt.HyperModel): "
                "def build(self, hp): ... return model"
            )
        if callable(fn.build) and _is_hp_signature(fn.build):
            return
        if callable(fn):  # a callable that merely has some other `build`
            return
        raise TypeError(
            f"{argument}={fn!r}: {name}.build must be a method that takes one argument, "
            "hp, as keras-tuner calls it; write def build(self, hp): ... return model"
        )
    if not callable(fn):
        raise TypeError(
            f"{argument}={fn!r} ({name}) is neither a function nor a keras_tuner.HyperModel; "
            "pass the function that builds and compiles your Keras model (e.g. "
            f"{argument}=create_model, or a keras-tuner style model_builder(hp)) or an "
            "instance of your HyperModel (MyHyperModel())"
        )


def hypermodel_fit(fn: Any) -> Callable | None:
    """The ``fit(hp, model, x, y, **kwargs)`` that a HyperModel defines, or None.

    None for functions and for HyperModels that keep keras-tuner's default
    ``fit`` (which only calls ``model.fit``).

    Examples
    --------
    >>> import keras_tuner as kt
    >>> class Plain(kt.HyperModel):
    ...     def build(self, hp):
    ...         return None
    >>> class OwnFit(Plain):
    ...     def fit(self, hp, model, *args, **kwargs):
    ...         return model.fit(*args, shuffle=hp.Boolean("shuffle"), **kwargs)
    >>> hypermodel_fit(Plain()) is None, hypermodel_fit(OwnFit()) is None
    (True, False)
    """
    if not _is_hypermodel(fn) or not callable(getattr(fn, "fit", None)):
        return None
    return None if _defined_by_keras_tuner(fn, "fit") else fn.fit


def _call_build(fn: Any, hp: Any) -> Any:
    return fn(hp) if inspect.isroutine(fn) or not hasattr(fn, "build") else fn.build(hp)


_RECORDS: weakref.WeakKeyDictionary[Any, tuple[tuple[Dimension, ...], dict, tuple]] = weakref.WeakKeyDictionary()


def _from_kt(h: Any) -> Dimension:
    kind = type(h).__name__
    if kind in ("Int", "Float") and h.sampling not in ("linear", "log"):
        raise ValueError(
            f"{h!r}: sampling={h.sampling!r} has no nbtune equivalent; "
            "use sampling='linear' or 'log' in the build function."
        )
    if kind == "Int":
        return Int(h.name, h.min_value, h.max_value, step=h.step or 1, log=h.sampling == "log")
    if kind == "Float":
        return Float(h.name, h.min_value, h.max_value, log=h.sampling == "log", step=h.step)
    if kind == "Choice":
        return Choice(h.name, list(h.values))
    if kind == "Boolean":
        return Choice(h.name, [bool(h.default), not h.default])
    if kind == "Fixed":
        return Fixed(h.name, h.value)
    raise TypeError(f"{h!r}: unsupported keras-tuner hyperparameter type {kind}.")


def _declare_fit_hyperparameters(fn: Any, fit: Callable, hp: Any, model: Any, x: Any, y: Any) -> None:
    """Call a HyperModel's own fit once, without training, so that ``hp`` records what it declares.

    ``model.fit`` is replaced on the instance by a stand-in that returns an
    empty History; the keyword arguments are those of an nbtune trial.
    """
    keras = import_keras()

    def no_training(*args: Any, **kwargs: Any) -> Any:
        return keras.callbacks.History()

    patched = isinstance(model, keras.Model)
    if patched:
        model.fit = no_training
    kwargs = dict(epochs=1, initial_epoch=0, callbacks=[], verbose=0,
                  validation_data=None if x is None else (x, y))
    try:
        fit(hp, model, x, y, **kwargs)
    except Exception as exc:
        name = type(fn).__name__
        fix = (
            "give it data: SearchSpace.from_build_fn(hypermodel, x=X_train, y=y_train)"
            if x is None else
            f"check that {name}.fit(hp, model, x, y, **kwargs) runs with keras-tuner's "
            "default values (hp = keras_tuner.HyperParameters())"
        )
        raise ValueError(
            f"{name}.fit failed when nbtune called it (without training) to find the "
            f"hyperparameters it declares: {type(exc).__name__}: {exc}; {fix}"
        ) from exc
    finally:
        if patched:
            del model.fit  # the model's own fit again


def _record(fn: Any, x: Any = None, y: Any = None) -> tuple[tuple[Dimension, ...], dict, tuple]:
    """Call a build(hp) once (and a HyperModel's own fit, without training).

    Returns (its dimensions, keras-tuner's default values, the names the fit
    declares). Cached per fn.
    """
    try:
        return _RECORDS[fn]
    except (KeyError, TypeError):
        pass
    check_build_fn(fn, argument="fn")
    if not is_hp_build_fn(fn):
        raise TypeError(
            f"{fn!r} is not a keras-tuner style build function; expected a function "
            "whose one required parameter is named hp, like def model_builder(hp): ..."
        )
    kt, keras = import_keras_tuner(), import_keras()

    hp = kt.HyperParameters()
    fit = hypermodel_fit(fn)
    try:
        try:
            model = _call_build(fn, hp)
        except Exception as exc:
            name = getattr(fn, "__name__", type(fn).__name__)
            raise ValueError(
                f"{name}(hp) failed when nbtune called it once with keras-tuner's default "
                f"values, to read the hyperparameters it declares: {type(exc).__name__}: "
                f"{exc}; make the defaults (each hp's first value or default=) build a model, "
                "or give the space yourself with space=SearchSpace(...)"
            ) from exc
        built = [h.name for h in hp.space]
        if fit is not None:
            _declare_fit_hyperparameters(fn, fit, hp, model, x, y)
    finally:
        keras.backend.clear_session()
    if not hp.space:
        raise ValueError(
            f"{getattr(fn, '__name__', fn)!r} declares no hyperparameters; call hp.Int, "
            "hp.Float, hp.Choice, ... inside it, e.g. units = hp.Int('units', 32, 512, step=32)."
        )
    fit_names = tuple(h.name for h in hp.space if h.name not in built)
    record = (tuple(_from_kt(h) for h in hp.space), dict(hp.values), fit_names)
    try:
        _RECORDS[fn] = record
    except TypeError:  # not weak-referenceable: just don't cache
        pass
    return record


def as_kwargs_build_fn(fn: Callable) -> Callable[..., Any]:
    """Turn a keras-tuner style ``fn(hp)`` into a plain ``build(**params)``.

    ``fn`` is called once (and the result cached) to record the hyperparameters
    it declares. The returned function has a signature of keyword-only
    parameters named after them, with keras-tuner's defaults, so
    ``inspect.signature`` tells which parameters it accepts. Calling it builds
    the model by calling ``fn`` with a ``HyperParameters`` whose values are the
    given params (numpy scalars converted to plain Python); missing ones take
    keras-tuner's defaults. :func:`hp_origin` gives back the original ``fn``.

    For a ``keras_tuner.HyperModel`` it builds with ``build(hp)``; the names
    its own ``fit`` declares are parameters too (the build ignores them), and
    its :class:`HpOrigin` also holds that fit (or None: see
    :func:`hypermodel_fit`) and the names declared only by the fit.

    Examples
    --------
    >>> import inspect, keras
    >>> def model_builder(hp):
    ...     return keras.Sequential([keras.layers.Dense(hp.Int("units", 32, 512, step=32))])
    >>> build = as_kwargs_build_fn(model_builder)
    >>> inspect.signature(build)
    <Signature (*, units=32)>
    >>> model = build(units=64)
    """
    if hp_origin(fn) is not None:
        return fn
    dimensions, defaults, fit_names = _record(fn)
    by_name = {dim.name: dim for dim in dimensions}
    try:
        parameters = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=defaults.get(name))
            for name in by_name
        ]
    except ValueError:
        raise ValueError(
            f"the hyperparameter names {list(by_name)} must be Python identifiers to be "
            "used as keyword arguments; avoid hp.name_scope and names with '/' or '-'."
        ) from None

    def build(**params: Any) -> Any:
        unknown = [k for k in params if k not in by_name]
        if unknown:
            raise TypeError(
                f"{build.__name__}() got unexpected keyword argument(s) {unknown}; "
                f"it accepts {list(by_name)}."
            )
        hp = import_keras_tuner().HyperParameters()
        hp.values = {name: by_name[name].to_python(value) for name, value in params.items()}
        return _call_build(fn, hp)

    build.__name__ = getattr(fn, "__name__", type(fn).__name__)
    build.__qualname__ = getattr(fn, "__qualname__", build.__name__)
    build.__doc__ = getattr(fn, "__doc__", None)
    build.__module__ = getattr(fn, "__module__", __name__)
    build.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    build._hp_origin = HpOrigin(fn, hypermodel_fit(fn), fit_names)  # type: ignore[attr-defined]
    return build


def declared_dimensions(fn: Callable, x: Any = None, y: Any = None) -> tuple[Dimension, ...]:
    """The dimensions a ``build(hp)`` or HyperModel declares, in order.

    :meth:`nbtune.SearchSpace.from_build_fn` wraps them in a space; see it for
    ``x`` and ``y`` (passed to a HyperModel's own ``fit``, which is not trained).

    Examples
    --------
    >>> import keras
    >>> def model_builder(hp):
    ...     return keras.Sequential([keras.layers.Dense(hp.Int("units", 32, 512, step=32))])
    >>> declared_dimensions(model_builder)
    (Int('units', 32, 512, step=32),)
    """
    return _record(fn, x, y)[0]
