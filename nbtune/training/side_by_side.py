"""A search's fits trained side by side: models of one batch size as branches of one model.

Grid and random search train many small models that differ only in their
numbers: width, dropout, activation, L2 strength, learning rate. Trained one
after another, each pays TensorFlow's per-operation cost on its own small
matrices. :func:`fit_side_by_side` trains the estimators that can be branches
(:mod:`nbtune.training.branches`: a ``Sequential`` of ``Dense`` layers, softmax,
Adam or SGD, one-call fits) together, in one graph call per group, and every
other one alone with its own ``fit``. Each branch keeps what it would have
alone: its initial weights (built from its ``random_state``, as ``fit`` builds
them), its batch order (the one-call fit's, from the same seed) and its own
loss's gradient. Only its dropout masks are drawn differently, and sums over
padded units may round differently, so a branch's scores match a lone fit's to
about 1e-5, not exactly (``tests/test_side_by_side.py``).

:func:`group_key` says which estimators may share a group: the same batch size
and epochs, a classifier with an integer ``random_state``; :func:`worth_grouping`
says when a group pays. :func:`side_by_side` (or ``NBTUNE_SIDE_BY_SIDE=1`` / ``0``)
turns grouping on or off; :data:`DEFAULT` says what happens when nothing does.
Each trial then records ``fit_path`` ``"branches"``, and its ``seconds`` is an
equal share of its group's. The Stop button and Ctrl-C act between groups: the
trials of a group finish together.

Successive halving and Hyperband train their trials alone. A trial they may
continue is, after a resume, trained again alone along its lineage
(:class:`nbtune.search.evaluators.Holdout`); had it first trained as a branch,
it would come back about 1e-5 different, and the resumed search would no longer
give the uninterrupted one's numbers.

Importing this module does not import TensorFlow.
"""

from __future__ import annotations

import contextlib
import numbers
from collections.abc import Hashable, Iterator, Sequence
from typing import Any

import numpy as np

from nbtune.arguments import check_flag
from nbtune.training import engine, graph_fit
from nbtune.training.branches import BUDGET_MB, Branches, most_branches, read_dense
from nbtune.training.estimator import KerasClassifier

#: ``fit_path_`` of a fit trained side by side with others.
BRANCHES = "branches"

#: Whether searches train fits side by side when nothing else says (:func:`enabled`).
DEFAULT = True

#: Fewest structures (configurations that differ in more than the learning rate) that
#: make a group worth training side by side (:func:`worth_grouping`).
MIN_STRUCTURES = 4

#: Build arguments taken for a learning rate, which twins share a model across.
LEARNING_RATE_NAMES = ("learning_rate", "lr")

_SWITCH = engine.Switch("nbtune_side_by_side", "NBTUNE_SIDE_BY_SIDE")


@contextlib.contextmanager
def side_by_side(on: bool = True) -> Iterator[None]:
    """Within the block, searches train fits side by side where they can (``on=False``: never).

    Examples
    --------
    >>> with side_by_side():
    ...     enabled()
    True
    >>> with side_by_side("no"):
    ...     pass
    Traceback (most recent call last):
    ...
    TypeError: on='no' is not allowed: give True or False (without quotes)
    """
    with _SWITCH.turned(check_flag("on", on)):
        yield


def enabled() -> bool:
    """Whether searches group fits: :func:`side_by_side` if inside one, else
    ``NBTUNE_SIDE_BY_SIDE`` (``1`` on, ``0`` off), else :data:`DEFAULT`; and never
    without one-call fits (:func:`nbtune.training.graph_fit.enabled`).

    Examples
    --------
    >>> with side_by_side(False):
    ...     enabled()
    False
    """
    return _SWITCH.chosen(DEFAULT) and graph_fit.enabled()


def worth_grouping(configurations: Sequence[dict[str, Any]]) -> bool:
    """Whether these configurations train faster side by side than one after another.

    Alone, a search's fits share models through the model pool: each structure
    is built and traced once, and configurations that differ only in the
    learning rate share it (:mod:`nbtune.training.twins`). Side by side, every
    configuration is built, and the group is traced once. So grouping pays
    when the configurations need at least :data:`MIN_STRUCTURES` structures:
    measured on the digits (``bench/one_call.py``), lesson 04's grid (3 widths x
    3 rates) trains faster alone, and a random search of 16 widths and dropout
    rates about twice as fast side by side.

    Examples
    --------
    >>> worth_grouping([{"units": u, "learning_rate": r} for u in (16, 64, 256) for r in (1e-3, 1e-2)])
    False
    >>> worth_grouping([{"units": u} for u in (16, 32, 64, 128)])
    True
    """
    structures = {tuple(sorted((k, repr(v)) for k, v in params.items()
                               if k not in LEARNING_RATE_NAMES)) for params in configurations}
    return len(structures) >= MIN_STRUCTURES


def group_key(estimator: Any) -> Hashable | None:
    """What estimators trained side by side share (batch size, epochs), or None: it trains alone.

    Only classifiers with an integer ``random_state`` take part: a branch's
    initial weights and batch order come from its seed.

    Examples
    --------
    >>> from nbtune import KerasClassifier
    >>> with side_by_side():
    ...     group_key(KerasClassifier(epochs=9, batch_size=64, random_state=0))
    (64, 9)
    >>> with side_by_side():
    ...     group_key(KerasClassifier(epochs=9)) is None  # unseeded
    True
    """
    seed = estimator.random_state if isinstance(estimator, KerasClassifier) else None
    if not enabled() or not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
        return None
    epochs, batch_size = estimator.epochs, estimator.batch_size
    if not isinstance(epochs, numbers.Integral) or not (batch_size is None or isinstance(
            batch_size, numbers.Integral)):
        return None  # a wrong value: its own fit says what is wrong
    return (32 if batch_size is None else int(batch_size), int(epochs))


def fit_side_by_side(estimators: Sequence[Any], X: Any, y: Any, *, budget_mb: float = BUDGET_MB,
                     programs: dict | None = None) -> list[BaseException | None]:
    """Fit every estimator on X, y: side by side where they can, each alone otherwise.

    Parameters
    ----------
    estimators : sequence of KerasClassifier
        Unfitted; those of one :func:`group_key` that can be branches train in
        groups cut to ``budget_mb`` (:func:`nbtune.training.branches.most_branches`).
    X, y : arrays
    budget_mb : float, default :data:`nbtune.training.branches.BUDGET_MB`
    programs : dict, optional
        Give the same dict to each fold's call: a group traced for one fold is
        reused by the next (:class:`nbtune.training.branches.Branches`).

    Returns
    -------
    list
        Per estimator, None if it was fitted, or the exception its fit raised
        (a failing build, a diverged loss): the others are fitted all the same.

    Examples
    --------
    >>> from nbtune import KerasClassifier, data, lessons
    >>> X, y = data.load_digits().train
    >>> estimators = [KerasClassifier(lessons.build_digits_model, units=u, epochs=2,
    ...                               random_state=0) for u in (16, 32)]
    >>> fit_side_by_side(estimators, X, y), [e.fit_path_ for e in estimators]
    ([None, None], ['branches', 'branches'])
    """
    errors: list[BaseException | None] = [None] * len(estimators)
    prepared, alone = {}, []
    with engine.outside_pool():  # each branch needs a model of its own
        for i, estimator in enumerate(estimators):
            try:
                prepared[i] = estimator.prepare_fit(X, y)
            except Exception as exc:  # this estimator's fit fails; the others go on
                errors[i] = exc
    groups: dict[Hashable, list[int]] = {}
    reads = {i: read_dense(estimators[i].model_) for i in prepared}
    for i, (_, _, settings) in prepared.items():
        key = _branch_key(estimators[i], reads[i], settings)
        (alone if key is None else groups.setdefault(key, [])).append(i)
    for key, members in groups.items():
        rows = len(prepared[members[0]][0])
        for cut in _cut(members, [reads[i].widths for i in members], rows, key[1], budget_mb):
            if len(cut) == 1:
                alone += cut
            else:
                _train_branches(cut, estimators, prepared, errors, programs)
    for i in sorted(alone):
        errors[i] = _fit_alone(estimators[i], X, y)
    return errors


def _branch_key(estimator: Any, dense: Any, settings: dict[str, Any]) -> Hashable | None:
    """What this fit's branch shares with the others of its group, or None if it cannot be one
    (``dense``: its model read by :func:`nbtune.training.branches.read_dense`)."""
    if isinstance(dense, str) or settings["callbacks"] or not settings.get("shuffle", True):
        return None
    fit = {k: v for k, v in settings.items() if k not in ("callbacks", "shuffle")}
    if settings.get("validation_data") is not None or graph_fit.keras_fit_needed(
            estimator.model_, fit, []):
        return None
    return dense.kind, int(settings.get("batch_size") or 32), int(settings["epochs"])


def _cut(members: list[int], widths: list[tuple[int, ...]], rows: int, batch_size: int,
         budget_mb: float) -> list[list[int]]:
    """``members`` (of these layer widths) in groups that fit ``budget_mb``, in order."""
    widest = [max(w[layer] for w in widths) for layer in range(len(widths[0]))]
    size = most_branches(widest, rows, batch_size, 0, budget_mb)
    return [members[i:i + size] for i in range(0, len(members), size)]


def _train_branches(group: list[int], estimators: Sequence[Any], prepared: dict,
                    errors: list, programs: dict | None) -> None:
    """Train ``group`` as branches of one model; each estimator adopts its history."""
    X, y, settings = prepared[group[0]]
    seeds = [int(estimators[i].random_state) for i in group]
    histories = Branches([estimators[i].model_ for i in group], programs=programs).fit(
        X, np.asarray(y, "int32"), epochs=int(settings["epochs"]),
        batch_size=int(settings.get("batch_size") or 32), seeds=seeds, dropout_seed=seeds[0])
    for i, history in zip(group, histories, strict=True):
        try:
            estimators[i].adopt_history(history, BRANCHES)
        except ValueError as exc:  # its loss diverged
            errors[i] = exc


def _fit_alone(estimator: Any, X: Any, y: Any) -> BaseException | None:
    try:
        estimator.fit(X, y)
    except Exception as exc:
        return exc
    return None
