"""Reading and checking the files of tabulated benchmarks and shipped results.

A table is two files, ``<name>.json`` (its space, seeds, epochs, fits and the
``csv_sha256`` of its CSV) and ``<name>.csv.gz`` (one row per configuration,
seed and epoch). :func:`nbtune.benchmarks.load` checks them once with the
functions here, and :func:`nbtune.benchmarks.write` checks a table with the
same rules before writing it, so a written table always loads. The lessons'
shipped results (:mod:`nbtune.lessons.shipped`) use the same file-name rule,
JSON reader and checksum.

Every problem is a ``ValueError`` that names the file, what is wrong in it,
and how to remake it.

Examples
--------
>>> check_file_name("name", "digits-mlp")
'digits-mlp'
>>> sha256_prefix(b"config,seed,epoch\\n")
'ba19a45ecd2b48ab'
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

#: What a table holds per configuration, seed and epoch, and the range of each.
CURVE_RANGES = {"val_accuracy": (0.0, 1.0), "val_loss": (0.0, np.inf), "loss": (0.0, np.inf),
                "seconds": (0.0, np.inf)}

#: What a table's ``.json`` must hold.
DESCRIPTION_KEYS = ("space", "seeds", "max_epochs", "fits", "csv_sha256")


def check_file_name(argument: str, name: Any, *, example: str = "digits-mlp") -> str:
    """``name`` if it can name a file inside a folder: text, with no path separator and no ``..``.

    A name is joined to a folder (``folder / f"{name}.json"``): a separator or
    ``..`` would read or write outside it. The folder is given apart.

    Parameters
    ----------
    argument : str
        The argument, as the user wrote it (``"name"``, ``"project_name"``).
    name : any
        What the user gave.
    example : str
        A good name, shown in the message.

    Examples
    --------
    >>> check_file_name("name", "../tables/x")
    Traceback (most recent call last):
    ...
    ValueError: name='../tables/x' holds a path separator or '..': give a plain name such as 'digits-mlp' (the folder is given apart)
    """
    if not isinstance(name, str):
        raise TypeError(f"{argument}={name!r} is not a name: give text, e.g. "
                        f"{argument}={example!r}")
    separators = {"/", "\\", os.sep, os.altsep} - {None}
    if ".." in name or any(s in name for s in separators):
        raise ValueError(f"{argument}={name!r} holds a path separator or '..': give a plain name "
                         f"such as {example!r} (the folder is given apart)")
    if not name.strip() or "\0" in name:
        raise ValueError(f"{argument}={name!r} cannot name a file: give a plain name such as "
                         f"{example!r}")
    return name


def sha256_prefix(data: bytes) -> str:
    """The first 16 hex digits of the SHA-256 of ``data``: the ``csv_sha256`` of a table's JSON."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_json(path: Path, remake: str) -> dict[str, Any]:
    """The JSON object in ``path``; a ValueError naming the file and ``remake`` if it is not one.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = path.write_text('{"name": "x"')
    >>> read_json(path, "remake it with `python -m nbtune tabulate`")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: .../x.json is not valid JSON (Expecting ',' delimiter: ...); the file is damaged or truncated: remake it with `python -m nbtune tabulate`
    """
    try:
        info = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); the file is damaged or truncated: "
                         f"{remake}") from exc
    if not isinstance(info, dict):
        raise ValueError(f"{path} holds a JSON {type(info).__name__}, not the object nbtune "
                         f"writes; the file was replaced or edited: {remake}")
    return info


def description_problem(description: Mapping[str, Any]) -> str | None:
    """What is wrong with a table's description (its ``.json``), or None.

    Examples
    --------
    >>> description_problem({"space": {}, "seeds": [0, 0], "max_epochs": 3, "fits": [],
    ...                      "csv_sha256": "0"})
    'its seeds [0, 0] are not a list of different whole numbers'
    """
    missing = [key for key in DESCRIPTION_KEYS if key not in description]
    if missing:
        return f"it has no {missing} (it has {sorted(description)})"
    seeds, epochs = description["seeds"], description["max_epochs"]
    if (not isinstance(seeds, list) or not seeds or len(set(map(repr, seeds))) < len(seeds)
            or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds)):
        return f"its seeds {seeds!r} are not a list of different whole numbers"
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        return f"its max_epochs {epochs!r} is not a whole number >= 1"
    fingerprint = description.get("fingerprint")
    tabulated = fingerprint.get("space") if isinstance(fingerprint, dict) else None
    if tabulated is not None and tabulated != description["space"]:
        return ("its space is not the space the table was tabulated with (fingerprint.space): "
                "it was edited, and its configurations would not be the CSV's")
    return None


def _where(curves: pd.DataFrame, bad: pd.Series) -> str:
    """The first row where ``bad`` is True, as ``config c, seed s, epoch e``."""
    first = curves.index[bad.to_numpy()][0]
    return ", ".join(f"{key} {curves.at[first, key]}" for key in ("config", "seed", "epoch"))


def _column_problem(curves: pd.DataFrame) -> str | None:
    """Missing columns, or a column of the wrong type (a whole number, or a number)."""
    missing = [c for c in ("config", "seed", "epoch", *CURVE_RANGES) if c not in curves.columns]
    if missing:
        return f"it has no {missing} column(s) (it has {list(curves.columns)})"
    for column in curves.columns:
        whole = column in ("config", "seed", "epoch")
        if whole and not pd.api.types.is_integer_dtype(curves[column]):
            return f"its {column} column holds {curves[column].iloc[0]!r}..., not whole numbers"
        if not whole and not pd.api.types.is_numeric_dtype(curves[column]):
            text = pd.to_numeric(curves[column], errors="coerce").isna() & curves[column].notna()
            return f"its {column} column holds text ({curves[column][text].iloc[0]!r}), not numbers"
    return None


def _value_problem(curves: pd.DataFrame) -> str | None:
    """A score, loss or time that is not finite or out of its range."""
    for column, (low, high) in CURVE_RANGES.items():
        values = curves[column].to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values < low) | (values > high)
        if bad.any():
            allowed = f">= {low:g}" if high == np.inf else f"between {low:g} and {high:g}"
            return (f"{column}={values[bad][0]} at {_where(curves, pd.Series(bad))}: every "
                    f"{column} must be a finite number {allowed} ({int(bad.sum())} are not)")
    return None


def _key_problem(curves: pd.DataFrame, n_configs: int, seeds: Sequence[int],
                 max_epochs: int) -> str | None:
    """A row outside the table, a row twice, or a row missing."""
    outside = {"config": ~curves["config"].between(0, n_configs - 1),
               "seed": ~curves["seed"].isin(list(seeds)),
               "epoch": ~curves["epoch"].between(1, max_epochs)}
    allowed = {"config": f"the space's {n_configs} configurations, 0 to {n_configs - 1}",
               "seed": f"the table's seeds {list(seeds)}", "epoch": f"the epochs 1 to {max_epochs}"}
    for column, bad in outside.items():
        if bad.any():
            return f"a row has {column} {curves[column][bad].iloc[0]}, not one of {allowed[column]}"
    # each row's place in the full table, configuration by seed by epoch: counted once each
    seed_index = np.searchsorted(np.sort(list(seeds)), curves["seed"].to_numpy())
    place = ((curves["config"].to_numpy() * len(seeds) + seed_index) * max_epochs
             + curves["epoch"].to_numpy() - 1)
    counts = np.bincount(place, minlength=n_configs * len(seeds) * max_epochs)
    if (counts > 1).any():
        twice = pd.Series(place == np.flatnonzero(counts > 1)[0], index=curves.index)
        extra = int((counts - 1).clip(0).sum())
        return f"{_where(curves, twice)} appears twice ({extra} duplicate rows)"
    if (counts == 0).any():
        config, rest = divmod(int(np.flatnonzero(counts == 0)[0]), len(seeds) * max_epochs)
        seed, epoch = sorted(seeds)[rest // max_epochs], rest % max_epochs + 1
        return (f"config {config}, seed {seed}, epoch {epoch} is missing ({len(curves)} of the "
                f"{len(counts)} rows configurations x seeds x epochs are there)")
    return None


def curves_problem(curves: pd.DataFrame, n_configs: int, seeds: Sequence[int],
                   max_epochs: int) -> str | None:
    """What is wrong with a table's curves (its CSV), or None.

    The columns are ``config``, ``seed``, ``epoch`` (whole numbers) and the
    numbers of :data:`CURVE_RANGES`, each finite and within its range; every
    configuration x seed x epoch is there exactly once.

    Examples
    --------
    >>> curves = pd.DataFrame({"config": [0, 0], "seed": [0, 0], "epoch": [1, 2],
    ...                        "val_accuracy": [0.5, 1.5], "val_loss": 1.0, "loss": 1.0,
    ...                        "seconds": 0.1})
    >>> curves_problem(curves, 1, [0], 2)
    'val_accuracy=1.5 at config 0, seed 0, epoch 2: every val_accuracy must be a finite number between 0 and 1 (1 are not)'
    """
    return (_column_problem(curves) or _value_problem(curves)
            or _key_problem(curves, n_configs, seeds, max_epochs))


def fits_problem(fits: Any, n_configs: int, seeds: Sequence[int]) -> str | None:
    """What is wrong with a table's fits (one per configuration and seed), or None.

    Examples
    --------
    >>> fits_problem([{"config": 0, "seed": 0, "build_seconds": 0.3, "test_accuracy": 0.9}], 2, [0])
    'its fits are not one per configuration and seed (1 of 2; config 1, seed 0 is missing)'
    """
    if not isinstance(fits, list) or not all(isinstance(f, dict) for f in fits):
        return "its fits are not a list of objects"
    columns = ("config", "seed", "build_seconds", "test_accuracy")
    try:
        table = {c: np.array([fit[c] for fit in fits], dtype=float) for c in columns}
    except (KeyError, TypeError, ValueError):
        return f"its fits need a number for each of {list(columns)} in every fit"
    for column, high in (("build_seconds", np.inf), ("test_accuracy", 1.0)):
        values = table[column]
        bad = ~np.isfinite(values) | (values < 0) | (values > high)
        if bad.any():
            return (f"its fits have {column}={values[bad][0]}, not a finite number from 0 "
                    f"to {high:g}")
    every = {(c, s) for c in range(n_configs) for s in seeds}
    have = list(zip(table["config"].tolist(), table["seed"].tolist()))
    absent = sorted(every - set(have))
    if absent or len(have) != len(every):
        first = f"config {absent[0][0]}, seed {absent[0][1]} is missing" if absent else \
            "some are there twice or are not in the table"
        return (f"its fits are not one per configuration and seed ({len(have)} of "
                f"{len(every)}; {first})")
    return None
