"""The oracle a class shares: keras-tuner's oracle, with leases, one table and a saved state.

keras-tuner's ``OracleServicer`` calls an oracle's methods for every worker.
:class:`SharedOracle` offers the same methods around the strategy's own oracle
(:func:`nbtune.classroom.list_oracle.oracle_for`) and adds what a class needs:

- **one trial per student at a time.** A student asks under their name (the
  keras-tuner *tuner id*); asked again, the oracle gives back the trial the
  student holds, so a student who joins again under the same name gets their
  unfinished trial back;
- **leases.** A student silent for longer than ``lease`` seconds (a killed
  kernel, a closed laptop) loses their trial: it goes back to the queue and
  the next student who asks gets it, under the same trial id. The first report
  of a trial counts; a late one (the silent student came back) is ignored, so
  no trial is ever recorded twice;
- **nobody leaves early.** While a trial is still out, a student who asks is
  told to wait (IDLE), even when the strategy has nothing left to propose: so a
  trial that comes back to the queue always finds a student;
- **the one table of the class.** Every finished trial, as the student's own
  trial loop recorded it, with the student's name;
- **a saved state.** After every change the whole state (the oracle's, its
  trials, the leases' holders, the queue, the table) is handed to ``save``
  (:func:`nbtune.classroom.state_file.write_atomically`); :meth:`SharedOracle.load`
  resumes from it. A restarted chief gives every student holding a trial a fresh lease.

Nothing here uses the network (:mod:`nbtune.classroom.service` does): the
class can be tested by calling these methods, with a clock that is given.

Examples
--------
>>> from nbtune import Choice, SearchSpace
>>> from nbtune.search import strategies
>>> from nbtune.classroom.list_oracle import oracle_for
>>> space = SearchSpace(Choice("units", [4, 8]))
>>> oracle = oracle_for(strategies.get("grid"), space, {"epochs": 1, "points": None}, 0)
>>> shared = SharedOracle(oracle, space, lease=60)
>>> with as_caller("ann"):
...     trial = shared.create_trial("ann")
...     shared.record(0, {"trial": 0, "units": 4, "score": 0.9, "status": "ok"})
...     _ = shared.update_trial(trial.trial_id, {"score": 0.9})
...     trial.status = "COMPLETED"
...     shared.end_trial(trial)
>>> shared.table()[["trial", "student", "units", "score"]].to_dict("records")
[{'trial': 0, 'student': 'ann', 'units': 4, 'score': 0.9}]
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from nbtune.classroom.leases import Leases
from nbtune.classroom.state_file import oracle_state, restore_oracle
from nbtune.formatting import to_python
from nbtune.space import SearchSpace
from nbtune.training import compat

#: who is calling: the student's name the service read from the call's metadata
CALLER: contextvars.ContextVar[str | None] = contextvars.ContextVar("nbtune_class_caller",
                                                                   default=None)


@contextlib.contextmanager
def as_caller(student: str | None) -> Iterator[None]:
    """Inside the block, calls to a :class:`SharedOracle` come from ``student``."""
    token = CALLER.set(student)
    try:
        yield
    finally:
        CALLER.reset(token)


class SharedOracle:
    """A keras-tuner oracle shared by a class: leases, the class's table, a saved state.

    Parameters
    ----------
    oracle : keras_tuner Oracle
        The strategy's oracle, objective ``"score"`` maximised.
    space : SearchSpace
        The space, to read each trial's configuration.
    lease : float
        Seconds a student may be silent and keep its trial.
    settings : dict, optional
        What a student is told when they join (the strategy, space, budget...).
    save : callable, optional
        Called with :meth:`state` after every change.
    clock : callable, default time.monotonic
    """

    def __init__(self, oracle: Any, space: SearchSpace, *, lease: float,
                 settings: dict[str, Any] | None = None,
                 save: Callable[[dict[str, Any]], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.oracle, self.space, self.settings = oracle, space, dict(settings or {})
        self.leases = Leases(lease, clock=clock)
        self._save = save
        self._lock = threading.RLock()
        self.queue: list[str] = []  # trial ids back from a silent student, oldest first
        self.last_holder: dict[str, str] = {}  # trial id -> the student it was last given to
        self.records: dict[str, tuple[str, dict]] = {}  # trial id -> (student, their record)
        self.rows: list[dict[str, Any]] = []  # the class's table, in the order trials ended
        self.students: dict[str, dict[str, Any]] = {}  # name -> joined, left
        self.late = 0  # reports of trials that had ended already (ignored)
        self.closing = False  # stop(): every student who asks is told the search is over
        self.finished = threading.Event()

    # ------------------------------------------------------------ keras-tuner's oracle methods
    def get_space(self) -> Any:
        with self._lock:
            return self.oracle.get_space()

    def update_space(self, hyperparameters: Any) -> None:
        with self._lock:
            self.oracle.update_space(hyperparameters)

    def get_trial(self, trial_id: str) -> Any:
        with self._lock:
            self._heard()
            return self.oracle.get_trial(trial_id)

    def get_best_trials(self, num_trials: int = 1) -> list:
        with self._lock:
            return self.oracle.get_best_trials(num_trials)

    def create_trial(self, tuner_id: str) -> Any:
        """The trial ``tuner_id`` holds, else one back from the queue, else the oracle's next."""
        with self._lock:
            student = self._heard(tuner_id)
            self._expire()
            if tuner_id in self.oracle.ongoing_trials:  # asked again, or joined again
                if self.leases.holders.get(tuner_id) != student:
                    self.leases.hand(tuner_id, student)
                return self.oracle.ongoing_trials[tuner_id]
            if self.closing:
                return self._answer("STOPPED")
            if self.queue:
                return self._from_queue(tuner_id, student)
            with warnings.catch_warnings():  # Bayesian optimisation's Gaussian process, routinely
                warnings.filterwarnings("ignore", category=ConvergenceWarning,
                                        module="sklearn.gaussian_process")
                trial = self.oracle.create_trial(tuner_id)
            status = _status(trial)
            if status == "RUNNING":
                self._handed(tuner_id, student, trial.trial_id)
            elif status == "STOPPED":
                if self.oracle.ongoing_trials:  # a trial still out may come back: stay
                    return self._answer("IDLE")
                self._finish()
            return trial

    def update_trial(self, trial_id: str, metrics: dict, step: int = 0) -> Any:
        """The trial's metrics, unless it has ended already (a late report: ignored)."""
        with self._lock:
            self._heard()
            if self._ended(trial_id):  # late, or of a class served before this one: ignored
                return self.oracle.trials.get(trial_id) or self._answer("COMPLETED")
            trial = self.oracle.update_trial(trial_id, metrics, step=step)
            self._changed()  # a chief restarted before the end hears keeps the score
            return trial

    def end_trial(self, trial: Any) -> None:
        """The trial's first report: the oracle hears it and the class's table gets its row."""
        with self._lock:
            student = self._heard()
            if self._ended(trial.trial_id):  # late, or of a class served before this one
                self.late += 1
                return
            stored = self.oracle.trials[trial.trial_id]
            if trial.trial_id in self.queue:  # its silent student came back first
                self.queue.remove(trial.trial_id)
            for slot, ongoing in list(self.oracle.ongoing_trials.items()):
                if ongoing.trial_id == trial.trial_id:
                    self.leases.release(slot)
            self.oracle.end_trial(trial)
            self.rows.append(self._row(stored, student))
            self._changed()

    # ------------------------------------------------------------ the class's own calls
    def join(self, student: str) -> dict[str, Any]:
        """``student`` joins (or joins again): what they need to run the class's trials."""
        with self._lock:
            self._heard(student)
            self.students[student] = {"joined": _wall_clock(), "left": False}
            self._changed()
            return {**self.settings, "lease": self.leases.seconds}

    def beat(self, student: str) -> dict[str, Any]:
        """``student``'s heartbeat: alive. Returns the trials they hold (ids) and whether the
        class is closing (the instructor stopped it)."""
        with self._lock:
            self.leases.saw(student)
            return {"holds": [self.oracle.ongoing_trials[slot].trial_id
                              for slot in self.leases.slots_of(student)
                              if slot in self.oracle.ongoing_trials],
                    "closing": self.closing}

    def leave(self, student: str) -> None:
        """``student`` leaves: the trials they hold go back to the queue at once."""
        with self._lock:
            for slot in self.leases.slots_of(student):
                self._requeue(slot)
            if student in self.students:
                self.students[student]["left"] = True
            self._changed()

    def record(self, trial: int, record: dict[str, Any]) -> None:
        """The caller's record of trial number ``trial``, kept for its row when it ends."""
        with self._lock:
            student = self._heard()
            trial_id = next((t for t in self.oracle.trials if int(t) == int(trial)), None)
            if trial_id is not None and isinstance(record, dict) and not self._ended(trial_id):
                self.records[trial_id] = (student, {k: to_python(v) for k, v in record.items()})
                self._changed()

    # ------------------------------------------------------------ what the chief shows
    def table(self) -> pd.DataFrame:
        """The class's trials: every finished trial, in the order they ended, with the student."""
        with self._lock:
            return pd.DataFrame(self.rows) if self.rows else pd.DataFrame(
                columns=["trial", "student", *self.space.names, "score", "status"])

    def snapshot(self) -> dict[str, Any]:
        """What the board shows: students, trials out and done, the queue, the best so far."""
        with self._lock:
            now, rows = self.leases.now(), list(self.rows)
            running = [{"trial": int(self.oracle.ongoing_trials[slot].trial_id), "student": student,
                        "seconds": now - self.leases.since[slot]}
                       for slot, student in self.leases.holders.items()
                       if slot in self.oracle.ongoing_trials]
            ok = [r for r in rows if r.get("status") == "ok" and _finite(r.get("score"))]
            # the earliest trial on a tie, as SearchResult.best_trial (room.result()) takes it
            best = min(ok, key=lambda r: (-r["score"], r["trial"]), default=None)
            return {
                "strategy": self.settings.get("strategy"), "total": self.settings.get("total"),
                "done": len(rows), "failed": len(rows) - len(ok), "running": running,
                "queued": [int(t) for t in self.queue], "lease": self.leases.seconds,
                "best": None if best is None else {
                    "score": best["score"], "trial": best["trial"], "student": best.get("student"),
                    "params": {n: best.get(n) for n in self.space.names}},
                "students": [self._student(name, rows, running) for name in self.students],
                "finished": self.finished.is_set(), "closing": self.closing,
            }

    def _student(self, name: str, rows: list[dict], running: list[dict]) -> dict[str, Any]:
        mine = [r for r in rows if r.get("student") == name]
        holds = [r["trial"] for r in running if r["student"] == name]
        silence = self.leases.silence(name)
        state = ("left" if self.students[name]["left"] else "training" if holds
                 else "silent" if silence > self.leases.seconds else "waiting")
        return {"name": name, "state": state, "trial": holds[0] if holds else None,
                "done": len(mine), "failed": sum(r.get("status") != "ok" for r in mine),
                "silent": silence if silence > self.leases.seconds / 2 else 0.0}

    # ------------------------------------------------------------ saved state
    def state(self) -> dict[str, Any]:
        """Everything a restarted chief needs, as JSON values."""
        with self._lock:
            return {"oracle": oracle_state(self.oracle), "holders": dict(self.leases.holders),
                    "queue": list(self.queue), "last_holder": dict(self.last_holder),
                    "records": {t: list(pair) for t, pair in self.records.items()},
                    "rows": self.rows, "students": self.students, "late": self.late,
                    "finished": self.finished.is_set()}

    def load(self, state: dict[str, Any]) -> None:
        """Resume from :meth:`state`: every student holding a trial gets a fresh lease."""
        with self._lock:
            restore_oracle(self.oracle, state["oracle"])
            for slot, student in state["holders"].items():
                if slot in self.oracle.ongoing_trials:
                    self.leases.hand(slot, student)
            self.queue = list(state["queue"])
            self.last_holder = dict(state["last_holder"])
            self.records = {t: (student, record) for t, (student, record)
                            in state.get("records", {}).items()}
            self.rows, self.students = list(state["rows"]), dict(state["students"])
            self.late = int(state.get("late", 0))
            if state.get("finished"):
                self.finished.set()

    # ------------------------------------------------------------ inside
    def _heard(self, default: str | None = None) -> str:
        """The caller (from the call's metadata; else ``default``), now heard from."""
        student = CALLER.get() or default or "?"
        self.leases.saw(student)
        if student in self.students and self.students[student]["left"]:
            self.students[student]["left"] = False
        return student

    def _ended(self, trial_id: str) -> bool:
        """Whether the oracle has heard the end of trial ``trial_id`` (its status may say
        otherwise: in one process the reporter's trial is the oracle's own object).
        A trial the oracle does not know (a class served anew meanwhile) counts as ended."""
        return trial_id not in self.oracle.trials or trial_id in self.oracle.end_order

    def _expire(self) -> None:
        """Send the trials of students silent past the lease back to the queue."""
        expired = self.leases.expired()
        for slot in expired:
            self._requeue(slot)
        if expired:
            self._changed()

    def _requeue(self, slot: str) -> None:
        self.leases.release(slot)
        trial = self.oracle.ongoing_trials.pop(slot, None)
        if trial is not None and trial.trial_id not in self.queue:
            self.queue.append(trial.trial_id)

    def _from_queue(self, tuner_id: str, student: str) -> Any:
        """A trial back from the queue, the student's own first (they joined again)."""
        mine = [t for t in self.queue if self.last_holder.get(t) == student]
        trial_id = (mine or self.queue)[0]
        self.queue.remove(trial_id)
        trial = self.oracle.trials[trial_id]
        self.oracle.ongoing_trials[tuner_id] = trial
        self._handed(tuner_id, student, trial_id)
        return trial

    def _handed(self, tuner_id: str, student: str, trial_id: str) -> None:
        self.leases.hand(tuner_id, student)
        self.last_holder[trial_id] = student
        self._changed()

    def _finish(self) -> None:
        """The search is over: nothing left to propose, every trial ended."""
        if not self.finished.is_set():
            self.finished.set()
            self._changed()

    def _answer(self, status: str) -> Any:
        """A trial that only carries a status: IDLE (wait, ask again), STOPPED (done)..."""
        return compat.keras_tuner_service().trial(self.oracle.get_space(), status=status)

    def _row(self, trial: Any, student: str) -> dict[str, Any]:
        """The class table's row of an ended trial: the reporter's own record, else the oracle's."""
        reporter, record = self.records.pop(trial.trial_id, (None, None))
        if record is None or reporter != student:
            values = trial.hyperparameters.values
            params = self.space.to_python(self.space.values_from_hp(
                {k: values[k] for k in self.space.names if k in values}))
            ok = _status(trial) == "COMPLETED" and _finite(trial.score)
            record = {"trial": int(trial.trial_id), **params,
                      "score": float(trial.score) if ok else math.nan,
                      "status": "ok" if ok else "failed"}
        return {"trial": int(trial.trial_id), "student": student, **record}

    def save(self) -> None:
        """Hand the state to ``save`` (the chief's file), as after every change."""
        with self._lock:
            if self._save is not None:
                self._save(self.state())

    _changed = save


def _status(trial: Any) -> str:
    return str(getattr(trial.status, "value", trial.status)).upper()


def _finite(score: Any) -> bool:
    return isinstance(score, (int, float)) and math.isfinite(score)


def _wall_clock() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
