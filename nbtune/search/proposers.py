"""Which trials a search runs: proposers, one per kind of strategy.

A proposer hands the trial loop (:func:`nbtune.search.trial_loop.run_trials`) one
:class:`Proposal` at a time (a configuration and its budget) and hears back
how each trial went, which the adaptive strategies use to choose the next:

- :class:`ListProposer` proposes a fixed list (scikit-learn's ``ParameterGrid``
  or ``ParameterSampler`` for grid and random search);
- :class:`OracleProposer` drives keras-tuner's own ``HyperbandOracle`` or
  ``BayesianOptimizationOracle`` through their public ``create_trial`` /
  ``update_trial`` / ``end_trial``: the real algorithms, without keras-tuner's
  training loop;
- :class:`SuccessiveHalvingProposer` is successive halving written out: one
  bracket of Hyperband, many configurations at few epochs, the best
  ``1/factor`` trained on each round;
- :class:`BudgetedProposer` wraps any of them and stops proposing once the
  trials have spent a budget (epochs, or seconds), for comparisons at equal cost.

A proposer may answer :data:`WAIT`: it has nothing to propose until a trial that
is running has been reported (Hyperband's next round waits for the last one).
With one trial at a time that never happens in one process; with several in
flight (``n_jobs``, a class on one search) the loop asks again after the next
report.

Nothing here trains a model.

Examples
--------
>>> from nbtune import SearchSpace, Choice
>>> space = SearchSpace(Choice("units", [16, 64]))
>>> proposer = SuccessiveHalvingProposer(space, max_epochs=3, factor=3, random_state=0)
>>> first = proposer.propose()
>>> first.number, first.epochs, first.round
(0, 1, 0)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from sklearn.model_selection import ParameterSampler

from nbtune.search.schedule import successive_halving_schedule
from nbtune.space import SearchSpace


class _Wait:
    """The type of :data:`WAIT`."""

    def __repr__(self) -> str:
        return "WAIT"


#: What ``propose()`` answers when it must hear how a running trial went first.
WAIT = _Wait()


@dataclass(frozen=True)
class Proposal:
    """One trial to run: a configuration and its budget.

    Attributes
    ----------
    number : int
        The trial's number in its search, from 0.
    params : dict
        Plain Python values of the space's names.
    epochs : int, optional
        The epoch the trial trains its model to; None: the configuration's or
        the search's ``epochs``.
    initial_epoch : int
        The epoch it starts from: its parent's, when it continues one.
    parent : int, optional
        The trial whose trained model this one trains on (Hyperband's promotion).
    bracket, round : int, optional
        Hyperband's bracket and round.
    may_continue : bool
        Whether a later trial may continue this one's model (keep it).
    lineage : tuple of (trial, initial_epoch, epochs)
        The trials this one continues, oldest first: how to train its parent's
        model again when it is not in memory (a resumed search).
    hp : keras_tuner.HyperParameters, optional
        The oracle's own record of the values, for a proposal from an oracle.
    """

    number: int
    params: dict[str, Any]
    epochs: int | None = None
    initial_epoch: int = 0
    parent: int | None = None
    bracket: int | None = None
    round: int | None = None
    may_continue: bool = False
    lineage: tuple[tuple[int, int, int], ...] = ()
    hp: Any = field(default=None, compare=False, repr=False)  # keras-tuner's values, if any


@runtime_checkable
class Proposer(Protocol):
    """What the trial loop needs of a strategy.

    ``total`` is the number of trials planned (None if unknown);
    ``independent`` says that proposals do not depend on earlier outcomes, so
    they may all be drawn first and run in parallel.
    """

    total: int | None
    independent: bool

    def propose(self) -> Proposal | _Wait | None:
        """The next trial, :data:`WAIT` (ask again after a report), or None when done."""

    def report(self, proposal: Proposal, record: dict[str, Any]) -> None:
        """How ``proposal``'s trial went: its record (``score``, ``status``...)."""


class ListProposer:
    """Propose the configurations of a list (a ``ParameterGrid``, ``ParameterSampler``...).

    Examples
    --------
    >>> from sklearn.model_selection import ParameterGrid
    >>> from nbtune import SearchSpace, Choice
    >>> space = SearchSpace(Choice("units", [16, 64]))
    >>> proposer = ListProposer(space, ParameterGrid(space.grid()))
    >>> [proposer.propose().params for _ in range(2)], proposer.propose()
    ([{'units': 16}, {'units': 64}], None)
    """

    independent = True

    def __init__(self, space: SearchSpace, configs: Iterable[dict[str, Any]]) -> None:
        self._space = space
        self._configs = list(configs)
        self.total = len(self._configs)
        self._next = 0

    def propose(self) -> Proposal | None:
        if self._next >= self.total:
            return None
        number = self._next
        self._next += 1
        return Proposal(number, self._space.to_python(self._configs[number]))

    def report(self, proposal: Proposal, record: dict[str, Any]) -> None:
        """Nothing to learn: the list is fixed."""


class OracleProposer:
    """Propose what a keras-tuner oracle proposes, and report the scores back to it.

    Parameters
    ----------
    space : SearchSpace
    oracle : keras_tuner Oracle
        E.g. ``kt.oracles.HyperbandOracle(objective=kt.Objective("score", "max"), ...)``;
        the objective must be ``"score"``. nbtune keeps it in memory (see
        :func:`nbtune.training.compat.in_memory_oracle`).
    total : int, optional
        The trials the oracle will propose, for progress.
    tuner_id : str, default "nbtune"
        Who asks the oracle. keras-tuner gives one running trial per tuner id (asked
        again, it returns the same trial), so each trial in flight is asked for under
        its own slot: ``tuner_id`` for the first, ``tuner_id-1``, ``tuner_id-2``... for
        the others. A class's worker asks under its student's name.

    Examples
    --------
    >>> import keras_tuner as kt
    >>> from nbtune import SearchSpace, Int
    >>> from nbtune.training import compat
    >>> space = SearchSpace(Int("units", 4, 64))
    >>> oracle = compat.in_memory_oracle(kt.oracles.BayesianOptimizationOracle)(
    ...     objective=kt.Objective("score", "max"), max_trials=2,
    ...     hyperparameters=space.hyperparameters(), seed=1)
    >>> proposer = OracleProposer(space, oracle, total=2)
    >>> first = proposer.propose()
    >>> proposer.report(first, {"score": 0.5, "status": "ok"})
    >>> second = proposer.propose()
    >>> proposer.report(second, {"score": float("nan"), "status": "failed", "error": "..."})
    >>> second.number, proposer.propose()
    (1, None)
    """

    independent = False

    def __init__(self, space: SearchSpace, oracle: Any, *, total: int | None = None,
                 tuner_id: str = "nbtune") -> None:
        self._space = space
        self._oracle = oracle
        self._trials: dict[int, tuple[Any, str]] = {}  # trial -> (keras-tuner's trial, slot)
        self.total = total
        self.tuner_id = tuner_id

    @property
    def oracle(self) -> Any:
        """The keras-tuner oracle (or a chief's client) this proposer drives."""
        return self._oracle

    def _free_slot(self) -> str:
        """The tuner id of a slot with no trial in flight."""
        busy = {slot for _, slot in self._trials.values()}
        k = 0
        while (slot := self.tuner_id if k == 0 else f"{self.tuner_id}-{k}") in busy:
            k += 1
        return slot

    def propose(self) -> Proposal | _Wait | None:
        """The oracle's next trial; :data:`WAIT` while it waits for a running trial (IDLE)."""
        slot = self._free_slot()
        trial = self._oracle.create_trial(slot)
        status = str(getattr(trial.status, "value", trial.status)).upper()
        if status == "IDLE":
            return WAIT
        if status != "RUNNING":
            return None  # STOPPED: the search is done
        number = int(trial.trial_id)
        self._trials[number] = (trial, slot)
        values = trial.hyperparameters.values
        params = self._space.to_python(self._space.values_from_hp(
            {k: values[k] for k in self._space.names if k in values}))
        parent = values.get("tuner/trial_id")
        return Proposal(
            number, params, epochs=values.get("tuner/epochs"),
            initial_epoch=int(values.get("tuner/initial_epoch", 0)),
            parent=None if parent is None else int(parent),
            bracket=values.get("tuner/bracket"), round=values.get("tuner/round"),
            may_continue="tuner/bracket" in values and values["tuner/round"] < values["tuner/bracket"],
            lineage=self._lineage(parent), hp=trial.hyperparameters,
        )

    def _lineage(self, parent: str | None) -> tuple[tuple[int, int, int], ...]:
        """(trial, initial_epoch, epochs) of each trial up from ``parent``, oldest first."""
        steps = []
        while parent is not None:  # get_trial: an oracle's and a chief's client's alike
            values = self._oracle.get_trial(parent).hyperparameters.values
            steps.append((int(parent), int(values.get("tuner/initial_epoch", 0)),
                          int(values["tuner/epochs"])))
            parent = values.get("tuner/trial_id")
        return tuple(reversed(steps))

    def report(self, proposal: Proposal, record: dict[str, Any]) -> None:
        trial, _ = self._trials.pop(proposal.number)
        ok = _succeeded(record)
        if ok:
            self._oracle.update_trial(trial.trial_id, {"score": float(record["score"])})
        trial.status = "COMPLETED" if ok else "FAILED"
        trial.message = None if ok else str(record.get("error", ""))
        self._oracle.end_trial(trial)


class SuccessiveHalvingProposer:
    """Successive halving: one bracket of Hyperband, written out.

    Round 0 trains ``n`` random configurations for a few epochs; each next
    round keeps the best ``1/factor`` of the last (the failed ones never) and
    trains them on, ``factor`` times longer, until ``max_epochs``. The sizes
    and epochs are those of the first (most aggressive) bracket of
    keras-tuner's Hyperband (:func:`successive_halving_schedule`).

    Examples
    --------
    >>> from nbtune import SearchSpace, Int
    >>> proposer = SuccessiveHalvingProposer(SearchSpace(Int("units", 4, 64)),
    ...                                      max_epochs=9, factor=3, random_state=0)
    >>> proposer.total
    13
    """

    independent = False

    def __init__(self, space: SearchSpace, *, max_epochs: int, factor: int = 3,
                 random_state: int | None = None) -> None:
        self._space = space
        self._schedule = successive_halving_schedule(max_epochs, factor)
        sizes = self._schedule["trials"].tolist()
        with warnings.catch_warnings():  # a small space has fewer configurations: run those
            warnings.filterwarnings("ignore", message="The total space of parameters")
            sampler = ParameterSampler(space.distributions(), n_iter=sizes[0],
                                       random_state=random_state)
            configs = [space.to_python(c) for c in sampler]
        #: trials per round: the schedule's, fewer when the space has fewer configurations
        self.round_sizes = _round_sizes(len(configs), sizes)
        self.total = sum(self.round_sizes)
        self._round, self._queue, self._number = 0, configs, 0
        self._params: dict[int, dict] = {}  # trial -> its configuration
        self._steps: dict[int, tuple[int, int, int]] = {}  # trial -> (trial, start, epochs)
        self._lineages: dict[int, tuple] = {}  # trial -> the steps of the trials it continues
        self._scores: dict[int, float] = {}  # trial -> score, in the current round
        self._last_round = len(sizes) - 1
        self._running = 0  # proposed, not yet reported

    def propose(self) -> Proposal | _Wait | None:
        if not self._queue:
            if self._running:
                return WAIT  # the round is promoted once all its trials are reported
            if self._round == self._last_round or not self._promote():
                return None
        row = self._schedule.iloc[self._round]
        start = 0 if self._round == 0 else int(self._schedule["epochs"].iloc[self._round - 1])
        parent, params = self._queue.pop(0) if self._round else (None, self._queue.pop(0))
        number, self._number = self._number, self._number + 1
        lineage = (*self._lineages[parent], self._steps[parent]) if parent is not None else ()
        self._lineages[number] = lineage
        self._steps[number] = (number, start, int(row["epochs"]))
        self._running += 1
        return Proposal(number, params, epochs=int(row["epochs"]), initial_epoch=start,
                        parent=parent, bracket=int(row["bracket"]), round=self._round,
                        may_continue=self._round < self._last_round, lineage=lineage)

    def _promote(self) -> bool:
        """Queue the best of the round that ended for the next; False if none succeeded."""
        keep = int(self._schedule["trials"].iloc[self._round + 1])
        best = sorted(self._scores, key=self._scores.get, reverse=True)[:keep]
        self._queue = [(number, self._params[number]) for number in sorted(best)]
        self._round += 1
        self._scores = {}
        return bool(self._queue)

    def report(self, proposal: Proposal, record: dict[str, Any]) -> None:
        self._running -= 1
        self._params[proposal.number] = proposal.params
        if _succeeded(record):
            self._scores[proposal.number] = float(record["score"])


class BudgetedProposer:
    """Another proposer's trials, until they have spent ``limit`` of ``measure``.

    The spend is the sum of each reported record's ``measure`` (``"epochs_spent"``
    or ``"seconds"``); once it reaches ``limit`` nothing more is proposed. The
    trial that crossed the limit has run; :func:`within_budget` tells which
    records ended inside it.

    Parameters
    ----------
    proposer : Proposer
    measure : {"epochs_spent", "seconds"}
    limit : float

    Examples
    --------
    >>> from sklearn.model_selection import ParameterGrid
    >>> from nbtune import SearchSpace, Choice
    >>> space = SearchSpace(Choice("units", [16, 32, 64]))
    >>> budgeted = BudgetedProposer(ListProposer(space, ParameterGrid(space.grid())),
    ...                             "epochs_spent", limit=10)
    >>> first = budgeted.propose()
    >>> budgeted.report(first, {"score": 0.5, "status": "ok", "epochs_spent": 6})
    >>> second = budgeted.propose()
    >>> budgeted.report(second, {"score": 0.6, "status": "ok", "epochs_spent": 6})
    >>> budgeted.propose() is None, budgeted.spent
    (True, 12.0)
    """

    def __init__(self, proposer: Proposer, measure: str, limit: float) -> None:
        if measure not in ("epochs_spent", "seconds"):
            raise ValueError(f"measure={measure!r} is not allowed: give 'epochs_spent' or 'seconds'")
        self._proposer, self.measure, self.limit = proposer, measure, float(limit)
        self.total = proposer.total
        self.independent = False  # how much is left depends on what the trials cost
        self.spent = 0.0

    def propose(self) -> Proposal | _Wait | None:
        return None if self.spent >= self.limit else self._proposer.propose()

    def report(self, proposal: Proposal, record: dict[str, Any]) -> None:
        cost = record.get(self.measure)
        self.spent += float(cost) if cost is not None and cost == cost else 0.0
        self._proposer.report(proposal, record)


def within_budget(records: Iterable[dict[str, Any]], measure: str, limit: float) -> list[dict]:
    """The records, in trial order, that ended with at most ``limit`` of ``measure`` spent.

    As a run stopped by the clock: the trial running when the budget ran out is cut.

    Examples
    --------
    >>> records = [{"trial": 0, "seconds": 4.0}, {"trial": 1, "seconds": 4.0},
    ...            {"trial": 2, "seconds": 4.0}]
    >>> [r["trial"] for r in within_budget(records, "seconds", 10)]
    [0, 1]
    """
    kept, spent = [], 0.0
    for record in sorted(records, key=lambda r: r["trial"]):
        cost = record.get(measure)
        spent += float(cost) if cost is not None and cost == cost else 0.0
        if spent > limit:
            break
        kept.append(record)
    return kept


def _round_sizes(first: int, sizes: list[int]) -> list[int]:
    """Trials per round when round 0 has ``first`` configurations (fewer in a small space)."""
    rounds, size = [], first
    for planned in sizes:
        size = min(size, planned)
        rounds.append(size)
    return rounds


def _succeeded(record: dict[str, Any]) -> bool:
    """Whether a trial's record has a score (a resumed record's NaN is read back as None)."""
    score = record.get("score")
    return record.get("status") == "ok" and score is not None and math.isfinite(score)
