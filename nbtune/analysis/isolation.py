"""The Playbook's isolation study: does a hyperparameter matter once the nuisance is re-tuned?

Google's Deep Learning Tuning Playbook sorts the hyperparameters of an
experiment into three kinds:

- **scientific**: the one whose effect we want to know (does the batch size matter?);
- **nuisance**: ones that must be re-tuned for each value of the scientific
  one before the comparison is fair (the learning rate: its best value moves
  with the batch size);
- **fixed**: held at one value for the whole experiment (the conclusion then
  holds for that value only).

:func:`isolation` reads a table of scores (a tabulated benchmark or a full grid
search) and, for each value of the scientific hyperparameter, finds the best
setting of the nuisance ones: the Playbook's *isolation plot* is that best
score against the scientific value.

Examples
--------
>>> from nbtune import benchmarks
>>> study = isolation(benchmarks.load("digits-mlp"), "batch_size", "learning_rate",
...                   fixed={"units": 64, "dropout_rate": 0.0}, epochs=9)
>>> study[study["best"]][["batch_size", "learning_rate"]].to_numpy().tolist()
[[16.0, 0.00316], [32.0, 0.00316], [64.0, 0.01], [128.0, 0.01]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from nbtune.analysis.scores import numbers_of, scores_of
from nbtune.arguments import kind_of


def isolation(data: Any, scientific: str, nuisance: str | Sequence[str] = "learning_rate", *,
              fixed: Mapping[str, Any] | None = None, epochs: int | None = None) -> pd.DataFrame:
    """The score of every nuisance setting for each value of ``scientific``, the best one marked.

    Parameters
    ----------
    data : Benchmark, SearchResult or DataFrame
        Scores of a grid (:func:`nbtune.analysis.scores.scores_of`): a
        tabulated benchmark gives each configuration's mean over its seeds.
    scientific : str
        The hyperparameter whose effect is studied.
    nuisance : str or sequence of str, default "learning_rate"
        Re-tuned (maximised over) for each value of ``scientific``.
    fixed : mapping, optional
        The other hyperparameters, each at one value. Every hyperparameter that
        varies in ``data`` must be scientific, nuisance or fixed.
    epochs : int, optional
        For a benchmark: the epoch whose scores to read (default its last).

    Returns
    -------
    DataFrame
        One row per value of ``scientific`` and setting of the nuisance
        hyperparameters (repeated configurations averaged): those columns,
        ``score``, and ``best`` (True on each scientific value's best row),
        sorted by them. ``attrs`` holds ``scientific``, ``nuisance``, ``fixed``.
    """
    table, names = scores_of(data, epochs=epochs)
    nuisance = _names("nuisance", nuisance)
    if fixed is not None and not isinstance(fixed, Mapping):
        raise TypeError(f"fixed={fixed!r} is not allowed: give a dict of the value each other "
                        "hyperparameter is held at, e.g. fixed={'units': 64}")
    fixed = dict(fixed or {})
    for role, given in [("scientific", [scientific]), ("nuisance", nuisance), ("fixed", list(fixed))]:
        unknown = [n for n in given if n not in names]
        if unknown:
            raise ValueError(f"{role}={unknown if role != 'scientific' else scientific!r}: not a "
                             f"hyperparameter of these scores; they are {names}: give some of them")
    if scientific in nuisance or scientific in fixed or set(nuisance) & set(fixed) or not nuisance:
        raise ValueError(f"scientific={scientific!r}, nuisance={nuisance!r}, fixed={sorted(fixed)}: "
                         "each hyperparameter has one role, and at least one is a nuisance")
    for name, value in fixed.items():
        kept = table[name] == value
        if not kept.any():
            raise ValueError(f"fixed={{{name!r}: {value!r}}}: the scores have no such value; "
                             f"{name} takes {sorted(table[name].unique().tolist())}: give one of them")
        table = table[kept]
    unplaced = [n for n in names if n not in {scientific, *nuisance, *fixed}
                and table[n].nunique() > 1]
    if unplaced:
        raise ValueError(f"{unplaced} vary in these scores but have no role: fix each one "
                         f"(fixed={{{unplaced[0]!r}: ...}}) or re-tune it with the nuisance "
                         f"(nuisance={[*nuisance, *unplaced]!r})")
    columns = [scientific, *nuisance]
    study = table.groupby(columns, as_index=False)["score"].mean()
    study["best"] = study.index.isin(study.groupby(scientific)["score"].idxmax())  # first on ties
    study = study.sort_values(columns).reset_index(drop=True)
    study.attrs = {"scientific": scientific, "nuisance": nuisance, "fixed": fixed}
    return study


def at_fixed(study: pd.DataFrame, **values: Any) -> pd.DataFrame:
    """The rows of an :func:`isolation` study whose nuisance is held at ``values`` (not re-tuned):
    what a comparison that forgot to re-tune would see.

    Examples
    --------
    >>> from nbtune import benchmarks
    >>> study = isolation(benchmarks.load("digits-mlp"), "batch_size", "learning_rate",
    ...                   fixed={"units": 64, "dropout_rate": 0.0}, epochs=9)
    >>> at_fixed(study, learning_rate=0.001)["score"].round(3).tolist()
    [0.957, 0.944, 0.923, 0.859]
    """
    if not isinstance(study, pd.DataFrame) or not study.attrs.get("nuisance"):
        raise TypeError(f"study is {kind_of(study)}: give what nbtune.analysis.isolation "
                        "returns, e.g. at_fixed(isolation(bench, 'batch_size'), learning_rate=0.001)")
    nuisance = study.attrs["nuisance"]
    if not values:
        raise ValueError(f"at_fixed(study) holds nothing: give the value of a nuisance "
                         f"hyperparameter, e.g. at_fixed(study, {nuisance[0]}=...)")
    rows = study
    for name, value in values.items():
        if name not in nuisance:
            raise ValueError(f"{name}=...: not a nuisance of this study; its nuisance "
                             f"hyperparameters are {nuisance}: give one of them")
        rows = rows[_is_value(study[name], value, name).loc[rows.index]]
    if rows.empty:
        raise ValueError(f"{values}: no row of the study has these values together; give values "
                         "that the study holds together")
    return rows.reset_index(drop=True)


def _is_value(column: pd.Series, value: Any, name: str) -> pd.Series:
    """Where ``column`` holds ``value`` (numbers compared up to rounding), or a ValueError
    listing the values it holds."""
    numbers = numbers_of(column)
    if numbers is not None and isinstance(value, Real) and not isinstance(value, bool):
        found = pd.Series(np.isclose(numbers, float(value)), index=column.index)
    else:
        found = column == value
    if not found.any():
        raise ValueError(f"{name}={value!r}: the study has no such value; {name} takes "
                         f"{sorted(column.unique().tolist(), key=str)}: give one of them")
    return found


def _names(argument: str, given: Any) -> list[str]:
    """One name or a sequence of names, as a list (a TypeError for anything else)."""
    if isinstance(given, str):
        return [given]
    if not isinstance(given, Sequence) or not all(isinstance(n, str) for n in given):
        raise TypeError(f"{argument}={given!r} is not allowed: give a hyperparameter's name or a "
                        f"list of names, e.g. {argument}='learning_rate'")
    return list(given)
