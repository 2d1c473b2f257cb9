"""What decides a search's scores, written down so that a resume can be checked.

:func:`run_fingerprint` is the header of a run folder (:mod:`nbtune.search.runlog`):
the strategy, the space, digests of the data and of every fold's train and
test rows, the fit and build settings, the callbacks, the scoring and the
build function (its qualified name and a digest of its source). Resuming a
run whose fingerprint differs is refused, naming what differs.

Examples
--------
>>> import numpy as np
>>> from nbtune import SearchSpace, Choice
>>> space = SearchSpace(Choice("units", [4, 8]))
>>> a = run_fingerprint("grid", space, data=[np.zeros(4)], folds=[([0, 1], [2, 3])],
...                     settings={"epochs": 2}, build_fn=len)
>>> b = run_fingerprint("grid", space, data=[np.zeros(4)], folds=[([0, 2], [1, 3])],
...                     settings={"epochs": 2}, build_fn=len)
>>> a["folds"] == b["folds"], a["build_fn"]["name"]
(False, 'builtins.len')
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from nbtune.space import SearchSpace
from nbtune.space.build_fns import hp_origin

_PLAIN = (bool, int, float, str, np.generic)


def digest_arrays(arrays: Iterable[Any]) -> str:
    """A short digest of arrays, each with its shape and type, so ``[1, 2] + [3]`` != ``[1] + [2, 3]``.

    Examples
    --------
    >>> digest_arrays([[1, 2], [3]]) != digest_arrays([[1], [2, 3]])
    True
    >>> labels = lambda: np.array(["".join(["benign", str(i)]) for i in range(3)], dtype=object)
    >>> digest_arrays([labels()]) == digest_arrays([labels()])  # equal strings, other objects
    True
    """
    digest = hashlib.sha256()
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"{array.shape}{array.dtype}".encode())
        if array.dtype.hasobject:  # its bytes are addresses: digest the values (labels of a DataFrame)
            digest.update(repr(array.tolist()).encode())
        else:
            digest.update(array.tobytes())
    return digest.hexdigest()[:16]


def _source_digest(obj: Any) -> str | None:
    """A digest of the source of a function (or a HyperModel's class), None when unknown."""
    target = obj if inspect.isroutine(obj) or inspect.isclass(obj) else type(obj)
    origin = hp_origin(target)  # a build(hp) turned into keyword form: the original's source
    target = target if origin is None else origin.build_fn
    try:
        source = inspect.getsource(target)
    except (OSError, TypeError):
        return None
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _qualified_name(obj: Any) -> str:
    origin = hp_origin(obj)
    target = obj if origin is None else origin.build_fn
    if not (inspect.isroutine(target) or inspect.isclass(target)):
        target = type(target)
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"


def _callback(callback: Any) -> dict[str, Any]:
    """A callback as its class and its plain settings (EarlyStopping's monitor, patience...)."""
    settings = {k: v for k, v in sorted(vars(callback).items())
                if not k.startswith("_") and isinstance(v, _PLAIN)}
    return {"class": _qualified_name(type(callback)), **settings}


def _plain_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings a header can compare: plain values kept, the rest left out (not converted)."""
    return {k: v for k, v in settings.items() if v is None or isinstance(v, _PLAIN)}


def run_fingerprint(strategy: str, space: SearchSpace, *, data: Sequence[Any],
                    folds: Sequence[tuple[Any, Any]] = (), settings: dict[str, Any],
                    build_fn: Any, callbacks: Sequence[Any] | None = None,
                    scoring: str | None = None) -> dict[str, Any]:
    """The header of a search's run folder: everything that changes its scores.

    Parameters
    ----------
    strategy : str
    space : SearchSpace
    data : sequence of arrays
        X and y (and the validation data) the trials see.
    folds : sequence of (train, test) index arrays
        The cross-validation folds; none for a holdout search.
    settings : dict
        Fit, build and budget settings; those that are not plain values are left out
        (callbacks are given apart).
    build_fn : callable or HyperModel
    callbacks : list of keras callbacks, optional
    scoring : str, optional
    """
    return {
        "strategy": strategy,
        "space": space.to_dict(),
        "data": digest_arrays(data),
        "folds": digest_arrays(index for fold in folds for index in fold),
        "settings": _plain_settings(settings),
        "callbacks": [_callback(c) for c in callbacks or ()],
        "scoring": scoring,
        "build_fn": {"name": _qualified_name(build_fn), "source": _source_digest(build_fn)},
    }
