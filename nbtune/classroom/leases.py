"""Leases: who holds which trial, and who has been silent too long to keep it.

A student's kernel holds a trial under its *slot* (keras-tuner's tuner id:
the student's name) while it trains it, and shows it is alive by calling the
chief: any call, and a heartbeat every quarter of the lease while a trial
trains. A student silent for longer than the lease loses the trials it holds:
they go back to the queue (:class:`nbtune.classroom.shared_oracle.SharedOracle`).
Nothing here sends anything; the clock is given, so tests need no waiting.

Examples
--------
>>> now = [0.0]
>>> leases = Leases(60, clock=lambda: now[0])
>>> leases.hand("ann", "ann")
>>> now[0] = 61.0
>>> leases.expired()
['ann']
>>> leases.saw("ann")
>>> leases.expired()
[]
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class Leases:
    """The slots that hold a trial, their students, and when each student was last heard.

    Parameters
    ----------
    seconds : float
        How long a student may be silent and keep its trials.
    clock : callable, default time.monotonic
        Seconds, from any origin.
    """

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self.seen: dict[str, float] = {}  # student -> when last heard
        self.holders: dict[str, str] = {}  # slot (tuner id) -> student
        self.since: dict[str, float] = {}  # slot -> when its trial was handed out

    def now(self) -> float:
        """The clock's time."""
        return self._clock()

    def saw(self, student: str) -> None:
        """``student`` called: alive now."""
        self.seen[student] = self._clock()

    def hand(self, slot: str, student: str) -> None:
        """``slot``'s trial goes to ``student``, from now."""
        self.holders[slot] = student
        self.since[slot] = self._clock()
        self.saw(student)

    def release(self, slot: str) -> str | None:
        """``slot`` holds nothing any more; the student that held it, if any."""
        self.since.pop(slot, None)
        return self.holders.pop(slot, None)

    def silence(self, student: str) -> float:
        """Seconds since ``student`` was last heard (infinite if never)."""
        seen = self.seen.get(student)
        return math.inf if seen is None else self._clock() - seen

    def expired(self) -> list[str]:
        """The slots whose student has been silent longer than the lease."""
        return [slot for slot, student in self.holders.items() if self.silence(student) > self.seconds]

    def slots_of(self, student: str) -> list[str]:
        """The slots ``student`` holds."""
        return [slot for slot, holder in self.holders.items() if holder == student]
