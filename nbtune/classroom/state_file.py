"""The chief's saved state: one JSON file, replaced whole after every change.

keras-tuner writes ``oracle.json`` in place, so a kill during the write can
leave it empty. Here the state is written to a temporary file beside it,
flushed to disk, then moved over the old one with :func:`os.replace`, which
is atomic: a reader (a restarted chief) finds the old state or the new one,
never half of one. JSON, not pickle: readable, and safe to load.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "chief.json"
>>> write_atomically(path, {"oracle": {}, "rows": []})
>>> read_state(path)
{'oracle': {}, 'rows': []}
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from nbtune.training import compat


def write_atomically(path: Path, state: dict[str, Any]) -> None:
    """Write ``state`` as JSON to ``path``: a temporary file, flushed, then moved over it."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        json.dump(state, file, indent=None, separators=(",", ":"))
        file.flush()
        os.fsync(file.fileno())
    os.chmod(temporary, 0o600)  # it holds the join token
    os.replace(temporary, path)


def read_state(path: Path) -> dict[str, Any]:
    """The state saved in ``path``; ValueError naming the file if it is not one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "chief.json"
    >>> _ = path.write_text("{")
    >>> read_state(path)
    Traceback (most recent call last):
    ...
    ValueError: ... is not a class's saved state (Expecting property name enclosed in double quotes: line 1 column 2 (char 1)); delete it, or start over with overwrite=True
    """
    try:
        state = json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not a class's saved state ({exc}); delete it, or start "
                         "over with overwrite=True") from None
    if not isinstance(state, dict) or "oracle" not in state:
        raise ValueError(f"{path} is not a class's saved state (no 'oracle'); delete it, or start "
                         "over with overwrite=True")
    return state


def oracle_state(oracle: Any) -> dict[str, Any]:
    """A keras-tuner oracle's state and every trial's, as JSON values.

    Examples
    --------
    >>> import keras_tuner as kt
    >>> oracle = compat.in_memory_oracle(kt.oracles.HyperbandOracle)(
    ...     objective=kt.Objective("score", "max"), max_epochs=3, factor=3,
    ...     hyperparameters=kt.HyperParameters(), seed=1)
    >>> oracle.hyperparameters.Int("units", 4, 64)
    4
    >>> _ = oracle.create_trial("ann")
    >>> again = compat.in_memory_oracle(kt.oracles.HyperbandOracle)(
    ...     objective=kt.Objective("score", "max"), max_epochs=3, factor=3, seed=1)
    >>> restore_oracle(again, json.loads(json.dumps(oracle_state(oracle))))
    >>> again.ongoing_trials["ann"].trial_id, again.create_trial("bob").trial_id
    ('0000', '0001')
    """
    return {"state": oracle.get_state(),
            "trials": {trial_id: trial.get_state() for trial_id, trial in oracle.trials.items()}}


def restore_oracle(oracle: Any, saved: dict[str, Any]) -> None:
    """Bring a fresh oracle (made as the saved one was) to the state :func:`oracle_state` saved."""
    trial_class = compat.keras_tuner_service().trial
    oracle.trials = {trial_id: trial_class.from_state(state)
                     for trial_id, state in saved["trials"].items()}
    oracle.set_state(saved["state"])
