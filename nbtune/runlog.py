"""A search's run folder: every finished trial written down as it finishes.

A run folder holds ``run.json`` (the strategy, the search space and the
settings the search was started with) and ``trials.jsonl`` (one JSON object
per finished trial, appended and flushed as soon as the trial ends).  So a
search stopped by the notebook's stop button, a crash or a closed laptop
loses nothing it finished, and ``resume=True`` carries on from there.

JSON, not pickle: the files are readable, diffable and safe to load.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nbtune.formatting import to_python

__all__ = ["RunLog", "open_run_log", "run_header"]

_FORMAT = 1


def _jsonable(value: Any) -> Any:
    """Plain JSON values: NaN and infinities become null, numpy scalars Python ones."""
    value = to_python(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class RunLog:
    """The run folder of one search: ``directory / project_name``.

    Parameters
    ----------
    directory, project_name : str
        The folder is ``Path(directory) / project_name``.
    header : dict
        What identifies the search: strategy, space (``space.to_dict()``) and
        the settings that decide which trials run.  Resuming a folder whose
        header differs is refused.

    Examples
    --------
    >>> import tempfile
    >>> from nbtune.runlog import RunLog
    >>> log = RunLog(tempfile.mkdtemp(), "demo", {"strategy": "grid", "space": {}})
    >>> log.start(resume=False)
    []
    >>> log.append({"trial": 0, "score": 0.9})
    >>> RunLog(log.folder.parent, "demo", {"strategy": "grid", "space": {}}).start(resume=True)
    [{'trial': 0, 'score': 0.9}]
    """

    def __init__(self, directory, project_name: str, header: dict):
        self.folder = Path(directory) / project_name
        self.header = {"format": _FORMAT, **json.loads(json.dumps(header, default=_jsonable))}

    @property
    def trials_file(self) -> Path:
        return self.folder / "trials.jsonl"

    @property
    def header_file(self) -> Path:
        return self.folder / "run.json"

    def start(self, *, resume: bool) -> list[dict]:
        """Open the folder; return the trials finished earlier (none unless ``resume``).

        Without ``resume`` an existing folder is replaced: a fresh run, never a
        silent mix of old and new trials.
        """
        if not resume:
            if self.folder.exists():
                shutil.rmtree(self.folder)
            self.write_header()
            self.trials_file.touch()
            return []
        if not self.header_file.exists():
            raise FileNotFoundError(
                f"resume=True, but {self.folder} holds no nbtune run (no run.json); "
                "check directory= and project_name=, or start a new run with resume=False"
            )
        try:
            found = json.loads(self.header_file.read_text())
        except json.JSONDecodeError as exc:
            raise ValueError(f"{self.header_file} is corrupted ({exc}); start over with resume=False") from None
        if found != self.header:
            differences = sorted(k for k in set(found) | set(self.header) if found.get(k) != self.header.get(k))
            raise ValueError(
                f"the run in {self.folder} was started with different {differences}; "
                "resuming would mix trials of two searches. Use the same space and "
                "settings, another project_name, or resume=False to start over"
            )
        return self._read_trials()

    def write_header(self) -> None:
        """Write ``run.json`` (for a folder another tool, e.g. keras-tuner, fills)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.header_file.write_text(json.dumps(self.header, indent=1))

    def _read_trials(self) -> list[dict]:
        records = []
        if not self.trials_file.exists():
            return records
        lines = self.trials_file.read_text().splitlines()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                if number == len(lines):
                    break  # a trial cut off while being written: it did not finish
                raise ValueError(
                    f"{self.trials_file} line {number} is corrupted; fix or delete that "
                    "line, or start over with resume=False"
                ) from None
        return records

    def append(self, record: dict) -> None:
        """Write one finished trial, flushed to disk before returning."""
        line = json.dumps({k: _jsonable(v) for k, v in record.items()})
        with self.trials_file.open("a") as handle:
            handle.write(line + "\n")
            handle.flush()


def run_header(strategy: str, space: Any, arrays: Sequence[np.ndarray], settings: dict) -> dict:
    """What decides a search's trials (resuming with anything else is refused).

    ``arrays`` are the data and folds (or validation data) the trials see;
    only their digest is kept. Settings that are not plain values are left out.

    Examples
    --------
    >>> from nbtune import SearchSpace, Choice
    >>> header = run_header("grid", SearchSpace(Choice("units", [4, 8])),
    ...                     [np.zeros(3)], {"epochs": 2, "callbacks": [object()]})
    >>> header["settings"]
    {'epochs': 2}
    """
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    plain = {k: v for k, v in settings.items()
             if v is None or isinstance(v, (bool, int, float, str, np.generic))}
    return {"strategy": strategy, "space": space.to_dict(), "settings": plain,
            "data_and_folds": digest.hexdigest()[:16]}


def open_run_log(header: dict, *, directory: Any, project_name: str,
                 resume: bool) -> tuple[RunLog | None, dict[int, dict]]:
    """The run folder's log (None without ``directory``) and the trials it already holds.

    Examples
    --------
    >>> open_run_log({"strategy": "grid"}, directory=None, project_name="grid", resume=False)
    (None, {})
    """
    if directory is None:
        if resume:
            raise ValueError(
                "resume=True needs the run folder of the earlier run: pass directory='...'")
        return None, {}
    log = RunLog(directory, project_name, header)
    return log, {r["trial"]: r for r in log.start(resume=resume)}
