"""Every strategy as a keras-tuner oracle, so that keras-tuner's service can share it.

keras-tuner's service (:mod:`nbtune.classroom.service`) serves an *oracle*.
Hyperband and Bayesian optimisation are keras-tuner oracles already: the
registry's proposer (:class:`~nbtune.search.proposers.OracleProposer`) drives
one, and :func:`oracle_for` serves that very oracle. Every other strategy's
proposer (a list for grid and random search, nbtune's own successive halving)
becomes one through :func:`proposer_oracle`: its trials are the proposer's,
numbered alike, each report goes back to the proposer, and its saved state is
the proposer's history, replayed on a fresh proposer when a chief restarts.

Examples
--------
>>> from nbtune import Choice, SearchSpace
>>> from nbtune.search import strategies
>>> space = SearchSpace(Choice("units", [4, 8]), Choice("activation", ["relu", None]))
>>> oracle = oracle_for(strategies.get("grid"), space, {"epochs": 2, "points": None}, 0)
>>> trial = oracle.create_trial("ann")
>>> trial.trial_id, space.values_from_hp(trial.hyperparameters.values)
('0000', {'activation': 'relu', 'units': 4})
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

from nbtune.backend import import_keras_tuner
from nbtune.formatting import to_python
from nbtune.search.proposers import Proposal
from nbtune.search.strategies import Strategy
from nbtune.space import SearchSpace
from nbtune.training import compat


def oracle_for(strategy: Strategy, space: SearchSpace, budget: Mapping[str, Any],
               random_state: int | None) -> Any:
    """The keras-tuner oracle of a class running ``strategy``: the registry's own, or its proposer's.

    Examples
    --------
    >>> from nbtune import Int, SearchSpace
    >>> from nbtune.search import strategies
    >>> budget = {**strategies.budget_defaults(), "max_epochs": 3}
    >>> type(oracle_for(strategies.get("hyperband"), SearchSpace(Int("units", 4, 64)), budget, 0)).__name__
    'InMemoryHyperbandOracle'
    """
    proposer = strategy.proposer(space, budget, random_state)
    oracle = getattr(proposer, "oracle", None)  # an OracleProposer's (Hyperband, Bayesian)
    return oracle if oracle is not None else proposer_oracle(proposer, space)


def proposer_oracle(proposer: Any, space: SearchSpace) -> Any:
    """A keras-tuner oracle that proposes what ``proposer`` proposes (grid, random, halving).

    Examples
    --------
    >>> from sklearn.model_selection import ParameterGrid
    >>> from nbtune import Choice, SearchSpace
    >>> from nbtune.search.proposers import ListProposer
    >>> space = SearchSpace(Choice("units", [4, 8]))
    >>> oracle = proposer_oracle(ListProposer(space, ParameterGrid(space.grid())), space)
    >>> first, second = oracle.create_trial("ann"), oracle.create_trial("bob")
    >>> oracle.create_trial("cy").status  # the list is given out, two trials still run
    'IDLE'
    """
    return _oracle_class()(proposer, space)


def hp_values(space: SearchSpace, proposal: Proposal, trial_ids: Mapping[int, str]) -> dict[str, Any]:
    """A proposal as keras-tuner records a trial's values: the space's codes and ``tuner/...``.

    ``trial_ids`` maps earlier trials' numbers to their trial ids (for ``tuner/trial_id``).

    Examples
    --------
    >>> from nbtune import Choice, SearchSpace
    >>> space = SearchSpace(Choice("activation", ["relu", None]))
    >>> hp_values(space, Proposal(1, {"activation": None}, epochs=3, initial_epoch=1, parent=0,
    ...                           bracket=1, round=1), {0: "0000"})
    {'activation': 'None', 'tuner/epochs': 3, 'tuner/initial_epoch': 1, 'tuner/trial_id': '0000', 'tuner/bracket': 1, 'tuner/round': 1}
    """
    declared = {hp.name: hp for hp in space.hyperparameters().space}
    values = {name: _code(space, declared.get(name), name, value)
              for name, value in proposal.params.items()}
    if proposal.epochs is not None:
        values["tuner/epochs"] = int(proposal.epochs)
        values["tuner/initial_epoch"] = int(proposal.initial_epoch)
    if proposal.parent is not None:
        values["tuner/trial_id"] = trial_ids[proposal.parent]
    if proposal.bracket is not None:
        values["tuner/bracket"] = int(proposal.bracket)
        values["tuner/round"] = int(proposal.round)
    return values


def _code(space: SearchSpace, declared: Any, name: str, value: Any) -> Any:
    """The value keras-tuner records for ``value`` of dimension ``name`` (a Choice's code...)."""
    value = to_python(value)
    candidates = [*getattr(declared, "values", ()), *([declared.value] if hasattr(declared, "value")
                                                     else ()), True, False, value]
    for code in candidates:
        try:
            decoded = space[name].decode(code) if name in space else code
        except (TypeError, ValueError):
            continue
        if decoded == value and type(decoded) is type(value) or decoded is value is None:
            return to_python(code)
    raise ValueError(f"{name}={value!r} is not a value of the space {space!r}")


def _record(trial: Any) -> dict[str, Any]:
    """What a proposer's ``report`` needs of an ended keras-tuner trial: status and score."""
    ok = str(trial.status) == "COMPLETED" and trial.score is not None and math.isfinite(trial.score)
    return {"status": "ok" if ok else "failed", "score": float(trial.score) if ok else None}


@functools.cache
def _oracle_class() -> type:
    """The oracle class over a proposer, made once keras-tuner is imported."""
    kt = import_keras_tuner()

    class ProposerOracle(compat.in_memory_oracle(kt.Oracle)):
        """keras-tuner's Oracle, its trials proposed by an nbtune proposer."""

        def __init__(self, proposer: Any, space: SearchSpace) -> None:
            super().__init__(objective=kt.Objective("score", direction="max"),
                             hyperparameters=space.hyperparameters(), seed=1,
                             max_consecutive_failed_trials=10**9)
            self.proposer, self.space = proposer, space
            self._proposals: dict[str, Proposal] = {}  # trial id -> its proposal, until reported
            self._ids: dict[int, str] = {}  # proposal number -> trial id
            self.history: list[list] = []  # ["propose", id] and ["report", id, record], in order

        def populate_space(self, trial_id: str) -> dict[str, Any]:
            proposal = self.proposer.propose()
            if proposal is None:
                return {"status": "IDLE" if self.ongoing_trials else "STOPPED"}
            if not isinstance(proposal, Proposal):  # WAIT: a running trial must be reported first
                return {"status": "IDLE"}
            self._take(trial_id, proposal)
            return {"status": "RUNNING", "values": hp_values(self.space, proposal, self._ids)}

        def _take(self, trial_id: str, proposal: Proposal) -> None:
            if proposal.number != int(trial_id):
                raise RuntimeError(f"the proposer's trial {proposal.number} would be keras-tuner's "
                                   f"trial {trial_id}: a proposer numbers its trials 0, 1, 2...")
            self._proposals[trial_id], self._ids[proposal.number] = proposal, trial_id
            self.history.append(["propose", trial_id])

        def end_trial(self, trial: Any) -> None:
            super().end_trial(trial)
            proposal = self._proposals.pop(trial.trial_id, None)
            if proposal is not None:
                record = _record(self.trials[trial.trial_id])
                self.history.append(["report", trial.trial_id, record])
                self.proposer.report(proposal, record)

        def get_state(self) -> dict[str, Any]:
            return {**super().get_state(), "history": self.history}

        def set_state(self, state: dict[str, Any]) -> None:
            """The state saved, and the proposer brought to it by replaying its history."""
            super().set_state(state)
            for step in state["history"]:
                if step[0] == "propose":
                    proposal = self.proposer.propose()
                    if not isinstance(proposal, Proposal):
                        raise RuntimeError(f"replaying trial {step[1]}, the proposer proposed "
                                           f"{proposal!r}: it is not the proposer that was saved")
                    self._take(step[1], proposal)
                else:
                    self.proposer.report(self._proposals.pop(step[1]), step[2])
                    self.history.append(step)

    return ProposerOracle
