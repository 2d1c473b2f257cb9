"""One search space for every tuning strategy.

A :class:`SearchSpace` is a list of dimensions (:mod:`nbtune.space.dimensions`:
:class:`Int`, :class:`Float`, :class:`Choice` and :class:`Fixed`) that speaks to
each strategy in its own language:

* ``space.grid()`` is a scikit-learn ``param_grid`` (``GridSearchCV``);
* ``space.distributions()`` is a ``param_distributions`` (``RandomizedSearchCV``);
* ``space.sample(hp)`` / ``space.hyperparameters()`` talk to keras-tuner
  (Hyperband, Bayesian optimisation);
* ``space.narrow(best_params)`` zooms in around a result (coarse-to-fine).

Values come out as plain Python scalars, and importing is cheap, as in
:mod:`nbtune.space.dimensions`. A wrong argument is refused in the language
spoken (:mod:`nbtune.language`).

Examples
--------
>>> space = SearchSpace(Int("units", 32, 512, step=32),
...                     Choice("learning_rate", [1e-2, 1e-3, 1e-4]))
>>> space.size
48
>>> space.grid()["learning_rate"]
[0.01, 0.001, 0.0001]
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np  # noqa: F401  (the examples use it)

from nbtune.backend import import_keras_tuner
from nbtune.formatting import to_python
from nbtune.language import gettext as _
from nbtune.space.build_fns import declared_dimensions
from nbtune.space.dimensions import (  # noqa: F401  (the examples use Choice)
    TYPES,
    Choice,
    Dimension,
    Fixed,
    Float,
    Int,
    check_number,
)
from nbtune.space.edges import edges as edges_of
from nbtune.space.edges import warn_at_edges


def _check_mapping(method: str, argument: str, value: Any, example: str) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(_(
            "{method}: {argument} must be a dict of name -> value, got {type} {value!r:.80}; "
            "pass e.g. {example}."
        ).format(method=method, argument=argument, type=type(value).__name__, value=value,
                 example=example))


def _fixed_value(dim: Dimension, value: Any) -> Any:
    """A value fixed for an Int or Float dimension is a number (an Int's a whole one)."""
    if isinstance(dim, (Int, Float)):
        return check_number(f"with_values({dim.name}=...)", dim.name, value,
                            integer=isinstance(dim, Int))
    return dim.to_python(value)


#: one dimension as to_dict writes it, for the messages of from_dict and from_json
_EXAMPLE_DIMENSION = '{"type": "Int", "name": "units", "low": 32, "high": 512, "step": 32, "log": false}'
_EXAMPLE = f'{{"dimensions": [{_EXAMPLE_DIMENSION}]}}'


def _dimension_from_dict(i: int, entry: Any) -> Dimension:
    """``from_dict``'s ``dimensions[i]``: a dict with a known 'type' and that type's fields."""
    where = f"SearchSpace.from_dict: dimensions[{i}]"
    kinds = ", ".join(repr(k) for k in TYPES)
    if not isinstance(entry, Mapping):
        raise TypeError(_(
            "{where} is a {type} ({entry!r:.80}); give a dict with a 'type' "
            "(one of {kinds}) and its fields, as in {example}"
        ).format(where=where, type=type(entry).__name__, entry=entry, kinds=kinds,
                 example=_EXAMPLE_DIMENSION))
    kwargs = dict(entry)
    if "type" not in kwargs:
        raise ValueError(_("{where} has no 'type'; give one of {kinds}, as in {example}").format(
            where=where, kinds=kinds, example=_EXAMPLE_DIMENSION))
    kind = kwargs.pop("type")
    if not isinstance(kind, str) or kind not in TYPES:
        raise ValueError(_("{where} has the unknown type {kind!r}; use one of {kinds}.").format(
            where=where, kind=kind, kinds=kinds))
    fields = dataclasses.fields(TYPES[kind])
    names = [f.name for f in fields]
    extra = sorted(set(kwargs) - set(names), key=str)
    if extra:
        raise ValueError(_("{where}: unknown keys {extra} for {kind}; remove them (its keys are "
                           "{names}).").format(where=where, extra=extra, kind=kind, names=names))
    missing = [f.name for f in fields if f.name not in kwargs and f.default is dataclasses.MISSING]
    if missing:
        raise ValueError(_(
            "{where}: {kind} needs {missing}; add them (its keys are {names})."
        ).format(where=where, kind=kind, missing=missing, names=names))
    try:
        return TYPES[kind](**kwargs)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{where}: {exc}") from exc


def _kt() -> Any:
    try:
        return import_keras_tuner()
    except ModuleNotFoundError as exc:  # pragma: no cover - keras-tuner is a dependency
        if exc.name != "keras_tuner":
            raise
        raise ImportError(
            _("this needs keras-tuner; install it with: pip install keras-tuner")
        ) from exc


class SearchSpace:
    """An ordered set of named dimensions, shared by every tuning strategy.

    Parameters
    ----------
    *dims : Dimension
        At least one :class:`Int`, :class:`Float`, :class:`Choice` or
        :class:`Fixed`, with unique names.

    Examples
    --------
    >>> space = SearchSpace(Int("units", 32, 512, step=32),
    ...                     Float("dropout", 0.0, 0.5, step=0.25),
    ...                     Choice("activation", ["relu", "tanh"]))
    >>> space.names
    ('units', 'dropout', 'activation')
    >>> space.size
    96
    >>> space["dropout"].grid()
    [0.0, 0.25, 0.5]
    >>> "units" in space, len(space)
    (True, 3)
    """

    def __init__(self, *dims: Dimension) -> None:
        if not dims:
            raise ValueError(_(
                "SearchSpace() needs at least one dimension: give one, e.g. "
                "SearchSpace(Int('units', 32, 512, step=32))."
            ))
        by_name: dict[str, Dimension] = {}
        for i, dim in enumerate(dims):
            if not isinstance(dim, Dimension):
                hint = (
                    _("; unpack a list with SearchSpace(*dims)")
                    if isinstance(dim, (list, tuple))
                    else _("; pass Int(...), Float(...), Choice(...) or Fixed(...)")
                )
                raise TypeError(_(
                    "SearchSpace: argument {i} is {dim!r} ({type}), not a dimension{hint}."
                ).format(i=i, dim=dim, type=type(dim).__name__, hint=hint))
            if dim.name in by_name:
                raise ValueError(_(
                    "SearchSpace: the name {name!r} is used twice ({first!r} and {second!r}); "
                    "give each dimension its own name."
                ).format(name=dim.name, first=by_name[dim.name], second=dim))
            by_name[dim.name] = dim
        self._dims: tuple[Dimension, ...] = tuple(dims)
        self._by_name = by_name

    # -- container protocol -------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        """The dimension names, in order."""
        return tuple(self._by_name)

    @property
    def dimensions(self) -> tuple[Dimension, ...]:
        """The dimensions, in order."""
        return self._dims

    def __getitem__(self, name: str) -> Dimension:
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(_("no dimension named {name!r}; the space has {names}").format(
                name=name, names=list(self.names))) from None

    def __len__(self) -> int:
        return len(self._dims)

    def __iter__(self) -> Iterator[Dimension]:
        return iter(self._dims)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchSpace):
            return NotImplemented
        return self._dims == other._dims

    def __hash__(self) -> int:
        return hash(self._dims)

    def __repr__(self) -> str:
        lines = "".join(f"    {dim!r},\n" for dim in self._dims)
        return f"SearchSpace(\n{lines})"

    # -- scikit-learn ---------------------------------------------------------
    def _points_for(self, points: int | Mapping[str, int] | None) -> dict[str, int | None]:
        if isinstance(points, Mapping):
            unknown = [n for n in points if n not in self]
            if unknown:
                raise ValueError(_(
                    "grid(points=...): {unknown} not in the space {names}; "
                    "use the dimension names as keys."
                ).format(unknown=unknown, names=list(self.names)))
            return {n: points.get(n) for n in self.names}
        return {n: points for n in self.names}

    def grid(self, points: int | Mapping[str, int] | None = None) -> dict[str, list]:
        """A scikit-learn ``param_grid``: name -> list of plain values.

        Parameters
        ----------
        points : int or dict, optional
            Number of grid points for each :class:`Float` without a step (one
            int for all, or ``{name: n}``). Log floats are spaced geometrically,
            others evenly; values are rounded to 12 significant digits. Other
            dimensions ignore it.

        Examples
        --------
        >>> SearchSpace(Int("units", 32, 96, step=32),
        ...             Float("lr", 1e-3, 1e-1, log=True)).grid(points=3)
        {'units': [32, 64, 96], 'lr': [0.001, 0.01, 0.1]}
        """
        per_dim = self._points_for(points)
        return {dim.name: dim.grid(per_dim[dim.name]) for dim in self._dims}

    def grid_sizes(self, points: int | Mapping[str, int] | None = None) -> dict[str, int]:
        """How many grid values each dimension has, counted without building the grid.

        Examples
        --------
        >>> SearchSpace(Int("units", 1, 10**9), Float("lr", 1e-4, 1e-1, log=True)).grid_sizes(points=3)
        {'units': 1000000000, 'lr': 3}
        """
        per_dim = self._points_for(points)
        return {dim.name: dim.grid_size(per_dim[dim.name]) for dim in self._dims}

    def grid_size(self, points: int | Mapping[str, int] | None = None) -> int:
        """Number of configurations in :meth:`grid`: the product of :meth:`grid_sizes`.

        Arithmetic: a space of 10**9 configurations is counted at once.
        """
        return math.prod(self.grid_sizes(points).values())

    @property
    def size(self) -> int:
        """``grid_size()``: raises if a Float has no step (then use ``grid_size(points=n)``)."""
        return self.grid_size()

    def distributions(self) -> dict[str, Any]:
        """A scikit-learn ``param_distributions`` (RandomizedSearchCV, ParameterSampler).

        Choice -> list; Fixed -> ``[value]``; Int -> ``scipy.stats.randint``
        (step 1), a list (step > 1) or :class:`LogUniformInt` (log); Float ->
        ``scipy.stats.uniform`` / ``loguniform``, or a list when it has a step.
        scipy samples are numpy scalars: convert with :meth:`to_python`.

        Examples
        --------
        >>> from sklearn.model_selection import ParameterSampler
        >>> space = SearchSpace(Int("units", 32, 512), Float("lr", 1e-4, 1e-1, log=True))
        >>> params = next(iter(ParameterSampler(space.distributions(), 1, random_state=0)))
        >>> sorted((k, type(v).__name__) for k, v in space.to_python(params).items())
        [('lr', 'float'), ('units', 'int')]
        """
        return {dim.name: dim.distribution() for dim in self._dims}

    def to_python(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Plain Python values: numpy scalars converted, Int values rounded to ``int``.

        Keys that are not in the space are passed through (numpy scalars converted).

        Examples
        --------
        >>> space = SearchSpace(Int("units", 32, 512))
        >>> space.to_python({"units": np.int64(64), "epochs": np.float64(2.0)})
        {'units': 64, 'epochs': 2.0}
        """
        _check_mapping("to_python", "params", params, "{'units': 64}")
        return {
            k: self._by_name[k].to_python(v) if k in self._by_name else to_python(v)
            for k, v in params.items()
        }

    def defaults(self) -> dict[str, Any]:
        """name -> default value (keras-tuner's: Int/Float ``low``, Choice first value).

        Examples
        --------
        >>> SearchSpace(Int("units", 32, 512), Choice("act", ["relu", "tanh"])).defaults()
        {'units': 32, 'act': 'relu'}
        """
        return {dim.name: dim.default for dim in self._dims}

    # -- keras-tuner ----------------------------------------------------------
    def sample(self, hp: Any) -> dict[str, Any]:
        """Declare every dimension on a ``keras_tuner.HyperParameters`` and return the values.

        Use it to give a plain keyword build function to keras-tuner:
        ``kt.Hyperband(lambda hp: build(**space.sample(hp)), ...)``. The values
        are plain Python scalars; see :class:`Choice` for how mixed-type choices
        are declared.

        Examples
        --------
        >>> import keras_tuner as kt
        >>> SearchSpace(Int("units", 32, 512, step=32)).sample(kt.HyperParameters())
        {'units': 32}
        """
        raw = {dim.name: dim.declare(hp) for dim in self._dims}
        return {name: self._by_name[name].decode(value) for name, value in raw.items()}

    def hyperparameters(self) -> Any:
        """A fresh ``keras_tuner.HyperParameters`` with every dimension declared.

        Pass it as ``hyperparameters=`` to a keras-tuner tuner.
        """
        hp = _kt().HyperParameters()
        self.sample(hp)
        return hp

    def values_from_hp(self, hp: Any) -> dict[str, Any]:
        """Plain values of this space from keras-tuner's record of a trial.

        ``hp`` is a ``HyperParameters`` (e.g. ``tuner.get_best_hyperparameters()[0]``)
        or its ``.values`` dict. Choices declared through codes (see
        :class:`Choice`) are mapped back; other names pass through unchanged.

        Examples
        --------
        >>> space = SearchSpace(Choice("act", ["relu", None]))
        >>> space.values_from_hp({"act": "None", "epochs": 3})
        {'act': None, 'epochs': 3}
        """
        values = hp if isinstance(hp, Mapping) else getattr(hp, "values", None)
        if not isinstance(values, Mapping):
            raise TypeError(_(
                "values_from_hp: hp must be a keras_tuner.HyperParameters or its .values dict, "
                "got {type}; pass e.g. tuner.get_best_hyperparameters()[0]."
            ).format(type=type(hp).__name__))
        return {
            k: self._by_name[k].decode(v) if k in self._by_name else to_python(v)
            for k, v in values.items()
        }

    @classmethod
    def from_build_fn(cls, fn: Callable, x: Any = None, y: Any = None) -> SearchSpace:
        """The space a keras-tuner style ``build(hp)`` or ``HyperModel`` declares.

        Calls ``fn`` once with a fresh ``keras_tuner.HyperParameters`` (this
        builds one Keras model, then clears the Keras session) and converts
        keras-tuner's Int/Float/Choice/Boolean/Fixed to Int/Float/Choice/Fixed
        (``Boolean`` becomes ``Choice(name, [default, not default])``). Only
        the hyperparameters declared on that default call are seen (conditional
        ones under another branch are not).

        ``fn`` may also be a ``keras_tuner.HyperModel`` instance. If it defines
        its own ``fit(hp, model, x, y, **kwargs)``, that is called once too, on
        the model just built, with ``model.fit`` replaced by a stand-in that
        trains nothing: the hyperparameters the fit declares (such as
        ``hp.Boolean("normalize")`` or ``batch_size=hp.Choice("batch_size",
        [16, 32])``) are part of the space, after those of ``build``.

        Parameters
        ----------
        fn : callable or keras_tuner.HyperModel
            ``model_builder(hp)`` or a HyperModel instance.
        x, y : array-like, optional
            Data the HyperModel's ``fit`` is called with (it is also given
            ``validation_data=(x, y)``); needed only when that fit uses its data
            with keras-tuner's default values, e.g. to adapt a layer. The
            searches pass their training data.

        Examples
        --------
        >>> import keras
        >>> def model_builder(hp):
        ...     model = keras.Sequential([keras.layers.Dense(hp.Int("units", 32, 512, step=32))])
        ...     model.compile(optimizer=keras.optimizers.Adam(hp.Choice("learning_rate", [1e-2, 1e-3])),
        ...                   loss="mse")
        ...     return model
        >>> SearchSpace.from_build_fn(model_builder).size
        32
        >>> import keras_tuner as kt
        >>> class TunedBatch(kt.HyperModel):
        ...     def build(self, hp):
        ...         return model_builder(hp)
        ...     def fit(self, hp, model, *args, **kwargs):
        ...         return model.fit(*args, batch_size=hp.Choice("batch_size", [16, 32]), **kwargs)
        >>> SearchSpace.from_build_fn(TunedBatch()).names
        ('units', 'learning_rate', 'batch_size')
        """
        return cls(*declared_dimensions(fn, x, y))

    # -- coarse-to-fine -------------------------------------------------------
    def edges(self, params: Mapping[str, Any], *, margin: float = 0.05) -> dict[str, str]:
        """The dimensions whose value in ``params`` is at an edge of this space (the boundary rule).

        A best value at an edge says: widen the space on that side before
        narrowing it or trusting the winner (:mod:`nbtune.space.edges`).

        Examples
        --------
        >>> space = SearchSpace(Int("units", 16, 512, step=16), Float("lr", 1e-5, 1.0, log=True))
        >>> space.edges({"units": 512, "lr": 1e-2})
        {'units': 'high'}
        """
        _check_mapping("edges", "params", params, "result.best_params")
        margin = check_number("edges(margin=...)", "margin", margin)
        if not 0 <= margin < 0.5:
            raise ValueError(_(
                "edges(margin={margin!r}): margin is the outer share of a range that counts as "
                "its edge, from 0 up to (not including) 0.5; use e.g. margin=0.05."
            ).format(margin=margin))
        return edges_of(self._dims, params, margin=margin)

    def narrow(
        self, best_params: Mapping[str, Any], *, fraction: float = 0.5, keep_choices: bool = False
    ) -> SearchSpace:
        """A new, smaller space around ``best_params`` (coarse-to-fine refinement).

        Rule: each numeric dimension shrinks to a window centred on its best
        value that spans ``fraction`` of the old range (measured in log space
        for log dimensions), clipped to the old bounds. Stepped dimensions keep
        their step and the window is widened to the old grid, so the new grid
        is part of the old one and contains the best value; stepless Floats
        stay stepless. A Choice becomes ``Fixed(best)`` (or stays whole with
        ``keep_choices=True``); Fixed stays. Every non-Fixed name of the space
        must be in ``best_params``; extra names there are ignored.

        A best value at the edge of its range (:meth:`edges`) gives an
        :class:`~nbtune.space.edges.EdgeWarning`: the window is clipped there, and
        the best may lie beyond the range, so widen it first.

        Examples
        --------
        >>> space = SearchSpace(Int("units", 32, 512, step=32), Choice("act", ["relu", "tanh"]),
        ...                     Float("lr", 1e-4, 1e-0, log=True))
        >>> space.narrow({"units": 256, "act": "tanh", "lr": 1e-2})
        SearchSpace(
            Int('units', 128, 384, step=32),
            Fixed('act', 'tanh'),
            Float('lr', 0.001, 0.1, log=True),
        )
        """
        fraction = check_number("narrow(fraction=...)", "fraction", fraction)
        if not 0 < fraction <= 1:
            raise ValueError(_(
                "narrow(fraction={fraction!r}): fraction must be in (0, 1], "
                "e.g. fraction=0.5 keeps half of each range."
            ).format(fraction=fraction))
        _check_mapping("narrow", "best_params", best_params, "result.best_params")
        missing = [n for n in self.names if n not in best_params and not isinstance(self[n], Fixed)]
        if missing:
            raise ValueError(_(
                "narrow: best_params has no value for {missing}; pass the best parameters of a "
                "search over this space (names {names})."
            ).format(missing=missing, names=list(self.names)))
        # TRANSLATORS: starts the warning "narrow: the best units=512 sits at the high edge of ..."
        warn_at_edges(_("narrow: the best"), self._dims, best_params, stacklevel=2)
        return SearchSpace(*(
            dim.narrowed(best_params.get(dim.name), fraction, keep_choices) for dim in self._dims
        ))

    def without(self, *names: str) -> SearchSpace:
        """A new space without the named dimensions.

        Examples
        --------
        >>> SearchSpace(Int("units", 1, 4), Fixed("epochs", 2)).without("epochs").names
        ('units',)
        """
        self._check_known("without", names)
        return SearchSpace(*(dim for dim in self._dims if dim.name not in names))

    def with_values(self, **fixed: Any) -> SearchSpace:
        """A new space where the named dimensions are replaced by :class:`Fixed` values.

        Examples
        --------
        >>> SearchSpace(Int("units", 1, 4), Int("epochs", 1, 9)).with_values(epochs=3)["epochs"]
        Fixed('epochs', 3)
        """
        self._check_known("with_values", fixed)
        return SearchSpace(*(
            Fixed(d.name, _fixed_value(d, fixed[d.name])) if d.name in fixed else d
            for d in self._dims
        ))

    def _check_known(self, method: str, names: Any) -> None:
        unknown = [n for n in names if n not in self]
        if unknown:
            raise ValueError(_(
                "{method}: {unknown} not in the space; use its names {names}"
            ).format(method=method, unknown=unknown, names=list(self.names)))

    # -- serialisation --------------------------------------------------------
    def to_dict(self) -> dict[str, list[dict]]:
        """A plain JSON-able dict ``{"dimensions": [{"type": "Int", "name": ...}, ...]}``."""
        return {"dimensions": [dim.to_dict() for dim in self._dims]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SearchSpace:
        """The space described by :meth:`to_dict`'s output (validated).

        Every problem is named with where it is (``dimensions[1]``) and what a
        space's dict looks like; a value a dimension refuses is refused as it is
        in Python (``Int('units', low=1, high='many'): high must be ...``).

        Examples
        --------
        >>> space = SearchSpace(Int("units", 32, 512, step=32))
        >>> SearchSpace.from_dict(space.to_dict()) == space
        True
        >>> SearchSpace.from_dict({"dimensions": [{"name": "units", "low": 1, "high": 4}]})
        Traceback (most recent call last):
        ...
        ValueError: SearchSpace.from_dict: dimensions[0] has no 'type'; give one of 'Int', 'Float', 'Choice', 'Fixed', as in {"type": "Int", "name": "units", "low": 32, "high": 512, "step": 32, "log": false}
        """
        if not isinstance(d, Mapping) or not isinstance(d.get("dimensions"), list):
            got = _("a {type}").format(type=type(d).__name__) if not isinstance(d, Mapping) else (
                _("no 'dimensions' list") if "dimensions" not in d
                else _("'dimensions' as a {type}").format(type=type(d["dimensions"]).__name__))
            raise TypeError(_(
                "SearchSpace.from_dict: expected a dict with a 'dimensions' list, got {got}; "
                "pass the output of space.to_dict(), such as {example}."
            ).format(got=got, example=_EXAMPLE))
        unknown = sorted(set(d) - {"dimensions", "points"}, key=str)
        if unknown:
            raise ValueError(_(
                "SearchSpace.from_dict: unknown keys {unknown}; a space's dict has 'dimensions' "
                "(and, from the SpaceEditor, 'points'): remove them or rename them."
            ).format(unknown=unknown))
        return cls(*(_dimension_from_dict(i, entry) for i, entry in enumerate(d["dimensions"])))

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as a JSON string (``kwargs`` go to ``json.dumps``)."""
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls, s: str | bytes) -> SearchSpace:
        """The space saved by :meth:`to_json`.

        Text that is not JSON is refused naming the line and column of the
        problem; JSON that is not a space, as :meth:`from_dict` refuses it.

        Examples
        --------
        >>> space = SearchSpace(Choice("act", ["relu", None]), Float("lr", 1e-4, 1e-2, log=True))
        >>> SearchSpace.from_json(space.to_json()) == space
        True
        >>> SearchSpace.from_json('{"dimensions": [}')
        Traceback (most recent call last):
        ...
        ValueError: SearchSpace.from_json: the text is not JSON: expecting value at line 1, column 17 (char 16); give the text space.to_json() wrote, such as {"dimensions": [{"type": "Int", "name": "units", "low": 32, "high": 512, "step": 32, "log": false}]}
        """
        if not isinstance(s, (str, bytes, bytearray)):
            hint = _(" (for a dict, use SearchSpace.from_dict)") if isinstance(s, Mapping) else ""
            raise TypeError(_(
                "SearchSpace.from_json: expected the JSON text of a space (a str), got "
                "{type}{hint}; give the text space.to_json() wrote."
            ).format(type=type(s).__name__, hint=hint))
        try:
            d = json.loads(s)
        except json.JSONDecodeError as exc:
            raise ValueError(_(
                "SearchSpace.from_json: the text is not JSON: {problem} at line {line}, column "
                "{column} (char {char}); give the text space.to_json() wrote, such as {example}"
            ).format(problem=exc.msg[0].lower() + exc.msg[1:], line=exc.lineno, column=exc.colno,
                     char=exc.pos, example=_EXAMPLE)) from exc
        return cls.from_dict(d)
