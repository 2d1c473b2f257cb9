"""A search's run folder: every finished trial written down as it finishes.

A run folder holds ``run.json`` (the search's fingerprint: strategy, space,
data, folds, settings, build function, callbacks, scoring; see
:mod:`nbtune.search.fingerprint`) and ``trials.jsonl`` (one JSON object per finished
trial, appended and flushed as soon as the trial ends). So a search stopped by
the notebook's stop button, a crash or a killed kernel loses nothing it
finished, and ``resume=True`` carries on from there. The folder is safe to
come back to:

- a line cut off by a kill is dropped before anything is appended;
- resuming with anything that changes a score is refused, naming what changed;
- one writer at a time: ``lock`` holds the writer's process id and host, a
  second search into the folder is refused, and a lock left by a killed
  process is taken over;
- a run is never replaced implicitly: without ``resume=True`` a folder that
  holds one is refused unless ``overwrite=True``.

Where a run is written (:func:`check_run_folder`), and links:

- ``project_name`` is one folder name inside ``directory``: a name with a path
  separator (``/`` or ``\\``), ``.``, ``..``, an empty name or a NUL is refused,
  so a run never lands outside the ``directory`` given (``project_name="../x"``
  would). Sub-folders belong in ``directory``, which may be any path.
- Links the user made are followed: ``directory`` or the run folder itself may be
  a symbolic link (a run folder kept on a bigger disk, ``ln -s /big/disk/runs runs``),
  since its name is the user's own choice.
- Links inside a run folder are refused: ``run.json``, ``trials.jsonl`` and
  ``lock`` are files nbtune makes there, never links; one found there (planted,
  or left by a copy) would make nbtune write, truncate or overwrite a file
  outside the run folder. A folder, pipe or other non-regular file in their
  place is refused too (reading a pipe would hang the kernel). The error names
  the file and says to remove it.

JSON, not pickle: the files are readable, diffable and safe to load.
"""

from __future__ import annotations

import json
import math
import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from nbtune.arguments import check_flag, kind_of
from nbtune.formatting import to_python

_FORMAT = 2
_HELD: set[Path] = set()  # lock files this process holds (a search in another thread)
_HELD_GUARD = threading.Lock()


def _standard_json(value: Any) -> Any:
    """A run folder value as standard JSON: NaN and infinities become null (other tools read
    these files; lessons.shipped keeps NaN instead), numpy scalars Python ones."""
    value = to_python(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def check_run_folder(directory: Any, project_name: Any) -> Path:
    """The run folder ``directory / project_name``, once both are checked.

    ``directory`` is a path (a ``str`` or ``os.PathLike``, not empty);
    ``project_name`` one folder name inside it (no path separator, not ``.``
    or ``..``), so the run cannot be written outside ``directory``.

    Raises
    ------
    TypeError
        If either is not a string or path.
    ValueError
        If ``directory`` is empty or ``project_name`` is not one plain folder name.

    Examples
    --------
    >>> check_run_folder("runs", "grid-units")
    PosixPath('runs/grid-units')
    >>> check_run_folder("runs", "../elsewhere")
    Traceback (most recent call last):
    ...
    ValueError: project_name='../elsewhere' is not allowed: it names the run folder inside directory='runs', one folder name, so it cannot hold a path separator ('/' or a backslash) or be '.' or '..' (the run would be written outside runs); give a plain name such as project_name='grid-units', and put sub-folders in directory (directory='runs/lesson-2')
    """
    _check_directory_argument(directory)
    if not isinstance(project_name, str):
        raise TypeError(
            f"project_name={project_name!r} is {kind_of(project_name)}, not a name: give the run "
            "folder's name as a string, e.g. project_name='grid-units'"
        )
    separators = {"/", "\\", os.sep, os.altsep or "/"}
    if (project_name.strip() in ("", ".", "..") or "\0" in project_name
            or any(sep in project_name for sep in separators)):
        raise ValueError(
            f"project_name={project_name!r} is not allowed: it names the run folder inside "
            f"directory={str(directory)!r}, one folder name, so it cannot hold a path separator "
            f"('/' or a backslash) or be '.' or '..' (the run would be written outside "
            f"{directory}); give a plain name such as project_name='grid-units', and put "
            f"sub-folders in directory (directory='{Path(directory) / 'lesson-2'}')"
        )
    return Path(directory) / project_name


def _check_directory_argument(directory: Any) -> None:
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(
            f"directory={directory!r} is {kind_of(directory)}, not a path: give a folder as a "
            "string, e.g. directory='runs', or None to keep no run folder"
        )
    if not str(directory).strip() or "\0" in str(directory):
        raise ValueError(
            f"directory={str(directory)!r} is not allowed: give a folder name, e.g. "
            "directory='runs' ('.' for the working folder), or None to keep no run folder"
        )


def check_run_settings(directory: Any, project_name: Any, *, resume: Any = False,
                       overwrite: Any = False) -> None:
    """A search's run-folder arguments, checked before anything is built or trained.

    ``directory`` None keeps no run folder; ``project_name`` None is the
    strategy's name. Otherwise as :func:`check_run_folder`; ``resume`` and
    ``overwrite`` are True or False.

    Examples
    --------
    >>> check_run_settings("runs", None, resume=True)
    >>> check_run_settings("runs", None, overwrite="no")
    Traceback (most recent call last):
    ...
    TypeError: overwrite='no' is not allowed: give True or False (without quotes)
    """
    check_flag("resume", resume)
    check_flag("overwrite", overwrite)
    if directory is None:
        return
    if project_name is None:
        _check_directory_argument(directory)
    else:
        check_run_folder(directory, project_name)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


class RunLog:
    """The run folder of one search: ``directory / project_name``.

    Parameters
    ----------
    directory, project_name : str
        The folder is ``Path(directory) / project_name``.
    header : dict
        What identifies the search (:func:`nbtune.search.fingerprint.run_fingerprint`).
        Resuming a folder whose header differs is refused.

    Examples
    --------
    >>> import tempfile
    >>> from nbtune.search.runlog import RunLog
    >>> log = RunLog(tempfile.mkdtemp(), "demo", {"strategy": "grid", "space": {}})
    >>> log.start(resume=False)
    []
    >>> log.append({"trial": 0, "score": 0.9})
    >>> log.close()
    >>> again = RunLog(log.folder.parent, "demo", {"strategy": "grid", "space": {}})
    >>> again.start(resume=True)
    [{'trial': 0, 'score': 0.9}]
    >>> again.close()
    """

    def __init__(self, directory: Any, project_name: str, header: dict) -> None:
        self.folder = check_run_folder(directory, project_name)
        self.directory = Path(directory)
        self.header = {"format": _FORMAT, **json.loads(json.dumps(header, default=_standard_json))}

    @property
    def trials_file(self) -> Path:
        return self.folder / "trials.jsonl"

    @property
    def header_file(self) -> Path:
        return self.folder / "run.json"

    @property
    def lock_file(self) -> Path:
        return self.folder / "lock"

    # -- opening -------------------------------------------------------------------
    def start(self, *, resume: bool, overwrite: bool = False) -> list[dict]:
        """Take the folder (its lock); return the trials finished earlier (none unless ``resume``).

        Without ``resume``, a folder that holds a run is refused unless
        ``overwrite``: a fresh run, never a silent mix of old and new trials,
        and never a silent delete.
        """
        check_flag("resume", resume)
        check_flag("overwrite", overwrite)
        self._check_directory()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._check_files()
        self._lock()
        try:
            return self._resumed() if resume else self._fresh(overwrite)
        except BaseException:
            self.close()
            raise

    def _check_directory(self) -> None:
        for path in (self.directory, self.folder):
            if path.is_symlink() and not path.exists():
                raise FileNotFoundError(
                    f"directory={str(self.directory)!r}: {path} is a link to "
                    f"{os.readlink(path)}, which does not exist; create that folder, or remove "
                    "the link and give another directory"
                )
            if path.exists() and not path.is_dir():
                raise NotADirectoryError(
                    f"directory={str(self.directory)!r}: {path} is a file, not a folder; "
                    "give a folder for the run (it is created if missing)"
                )

    def _check_files(self) -> None:
        """The run folder's own files are regular files or missing: never links (see the module notes)."""
        for path in (self.header_file, self.trials_file, self.lock_file):
            if path.is_symlink():
                raise ValueError(
                    f"{path} is a symbolic link to {os.readlink(path)}: nbtune keeps only files "
                    f"of its own in a run folder, and writing through the link would change a "
                    f"file outside {self.folder}. Remove the link (rm '{path}'), or give "
                    "another project_name"
                )
            if path.exists() and not path.is_file():
                raise ValueError(
                    f"{path} is not a file (a folder, a pipe or a device): nbtune keeps its "
                    f"{path.name} there. Remove it, or give another project_name"
                )

    def _fresh(self, overwrite: bool) -> list[dict]:
        if self.header_file.exists() or self.trials_file.exists():
            if not overwrite:
                finished = len(self._valid_lines()[0]) if self.trials_file.exists() else 0
                raise FileExistsError(
                    f"{self.folder} already holds a run ({finished} finished trials): pass "
                    "resume=True to continue it, overwrite=True to replace it, or another "
                    "project_name (or directory) to keep it"
                )
            for path in (self.header_file, self.trials_file):
                path.unlink(missing_ok=True)
        self.header_file.write_text(json.dumps(self.header, indent=1))
        self.trials_file.touch()
        return []

    def _resumed(self) -> list[dict]:
        if not self.header_file.exists():
            raise FileNotFoundError(
                f"resume=True, but {self.folder} holds no nbtune run (no run.json); "
                "check directory= and project_name=, or start a new run with resume=False"
            )
        found = self._read_header()
        differences = _differences(found, self.header)
        if differences:
            raise ValueError(
                f"the run in {self.folder} was started with a different "
                f"{', '.join(differences)}; resuming would mix trials of two searches. Use "
                "the same data, space and settings, another project_name, or "
                "overwrite=True to start over"
            )
        return self._read_trials()

    def _read_header(self) -> dict:
        fix = f"delete {self.folder} or start over with overwrite=True"
        try:
            found = json.loads(self.header_file.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{self.header_file} is corrupted ({exc}); {fix}") from None
        if not isinstance(found, dict) or "format" not in found:
            raise ValueError(f"{self.header_file} is not an nbtune run header (no 'format'); {fix}")
        if found["format"] != _FORMAT:
            raise ValueError(
                f"{self.header_file} was written by another nbtune version (run format "
                f"{found['format']}, this one writes {_FORMAT}); its trials cannot be resumed: {fix}"
            )
        return found

    # -- the trials ------------------------------------------------------------------
    def _valid_lines(self) -> tuple[list[dict], int]:
        """The records of trials.jsonl, and the byte length of the part that holds them.

        A last line without its newline (cut off by a kill while being written)
        is not a record; any other bad line is an error naming it.
        """
        data = self.trials_file.read_bytes()
        records, length = [], 0
        for number, line in enumerate(data.splitlines(keepends=True), start=1):
            if not line.endswith(b"\n"):
                break  # cut off while being written: that trial did not finish
            length += len(line)
            if line.strip():
                records.append(self._record(line, number))
        return records, length

    def _record(self, line: bytes, number: int) -> dict:
        where = f"{self.trials_file} line {number}"
        fix = "delete that line (its trial runs again on resume), or start over with overwrite=True"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ValueError(f"{where} is corrupted (not JSON); {fix}") from None
        if not isinstance(record, dict) or not isinstance(record.get("trial"), int):
            raise ValueError(f"{where} is not a trial record (a JSON object with a 'trial' number); {fix}")
        return record

    def _read_trials(self) -> list[dict]:
        if not self.trials_file.exists():
            self.trials_file.touch()
            return []
        records, length = self._valid_lines()
        if length != self.trials_file.stat().st_size:
            with self.trials_file.open("r+b") as handle:  # drop the cut-off line
                handle.truncate(length)
        numbers = [r["trial"] for r in records]
        if len(set(numbers)) != len(numbers):
            twice = sorted({n for n in numbers if numbers.count(n) > 1})
            raise ValueError(
                f"{self.trials_file} holds trials {twice[:5]} more than once (two searches "
                "wrote it); start over with overwrite=True"
            )
        return records

    def append(self, record: dict) -> None:
        """Write one finished trial, flushed to disk before returning."""
        line = json.dumps({k: _standard_json(v) for k, v in record.items()})
        with self.trials_file.open("a") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    # -- one writer at a time -----------------------------------------------------------
    def _lock(self) -> None:
        """Take the folder's lock, or refuse if a live search holds it; a dead one's is taken over."""
        for _ in range(2):
            try:
                handle = os.open(self.lock_file, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                if not self._lock_is_stale():
                    raise self._busy() from None
                self.lock_file.unlink(missing_ok=True)
                continue
            with os.fdopen(handle, "w") as lock:
                json.dump({"pid": os.getpid(), "host": socket.gethostname(),
                           "since": time.strftime("%Y-%m-%d %H:%M:%S")}, lock)
            with _HELD_GUARD:
                _HELD.add(self.lock_file)
            return
        raise self._busy()

    def _holder(self) -> dict:
        try:
            holder = json.loads(self.lock_file.read_text())
        except (OSError, ValueError):
            return {}
        return holder if isinstance(holder, dict) else {}

    def _lock_is_stale(self) -> bool:
        holder = self._holder()
        if holder.get("host") != socket.gethostname() or not isinstance(holder.get("pid"), int):
            return not holder  # unreadable: a kill while writing it; another host's: not ours to judge
        if holder["pid"] == os.getpid():
            with _HELD_GUARD:
                return self.lock_file not in _HELD  # left by an earlier search of this process
        return not _process_alive(holder["pid"])

    def _busy(self) -> RuntimeError:
        holder = self._holder()
        who = (f"process {holder.get('pid')} on {holder.get('host')} (since {holder.get('since')})"
               if holder else "another search")
        return RuntimeError(
            f"{self.folder} is being written by {who}: two searches cannot share a run folder. "
            "Wait for that search to end, or give this one another project_name or directory; "
            f"if that process is gone for good (another machine), delete {self.lock_file}"
        )

    def close(self) -> None:
        """Give the folder up (release its lock); the files stay."""
        with _HELD_GUARD:
            held = self.lock_file in _HELD
            _HELD.discard(self.lock_file)
        if held:
            self.lock_file.unlink(missing_ok=True)


def _differences(found: dict, wanted: dict, prefix: str = "") -> list[str]:
    """The dotted names whose values differ between two headers (``settings.epochs``...)."""
    names = []
    for key in sorted(set(found) | set(wanted)):
        old, new = found.get(key), wanted.get(key)
        if isinstance(old, dict) and isinstance(new, dict) and key != "space":
            names += _differences(old, new, f"{prefix}{key}.")
        elif old != new:
            names.append(f"{prefix}{key}")
    return names


def open_run_log(header: dict, *, directory: Any, project_name: str, resume: bool,
                 overwrite: bool = False) -> tuple[RunLog | None, dict[int, dict]]:
    """The run folder's log, taken (None without ``directory``), and the trials it holds.

    Call ``log.close()`` when the search ends.

    Examples
    --------
    >>> open_run_log({"strategy": "grid"}, directory=None, project_name="grid", resume=False)
    (None, {})
    """
    if directory is None:
        if check_flag("resume", resume):
            raise ValueError(
                "resume=True needs the run folder of the earlier run: pass directory='...'")
        check_flag("overwrite", overwrite)
        return None, {}
    log = RunLog(directory, project_name, header)
    return log, {r["trial"]: r for r in log.start(resume=resume, overwrite=overwrite)}
