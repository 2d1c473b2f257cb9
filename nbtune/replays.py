"""Replay search strategies on a tabulated benchmark, many times, in seconds.

:func:`replay` runs each strategy unchanged (the same proposers as a live
search: scikit-learn's samplers, keras-tuner's own oracles, successive
halving) through the same trial loop, but its evaluator looks each trial up
in a :class:`~nbtune.benchmarks.Benchmark` instead of training: the score is
the table's validation accuracy at the trial's epoch, for a training seed
drawn per trial (a promoted trial keeps its parent's), and the cost is the
table's *simulated* seconds (the fit's fixed cost, then each epoch's). So a
hundred runs of a strategy take seconds, and a comparison becomes a
distribution instead of one lucky run.

Examples
--------
>>> from nbtune import benchmarks
>>> bench = benchmarks.load("digits-mlp-tiny")
>>> result = replay(bench, strategies=["random"], repeats=3, n_iter=4, epochs=3)
>>> result.trials.groupby("repeat").size().tolist()
[4, 4, 4]
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from nbtune import strategies as strategy_registry
from nbtune.benchmarks import Benchmark
from nbtune.checks import check_whole
from nbtune.display import SearchProgress
from nbtune.proposers import Proposal
from nbtune.results import SearchResult
from nbtune.trial_loop import run_trials

__all__ = ["TableLookup", "replay"]


class TableLookup:
    """An evaluator that reads each trial's score and cost from a benchmark's table.

    Parameters
    ----------
    benchmark : Benchmark
    epochs : int
        Epochs of a trial whose proposal and configuration do not say.
    rng : numpy Generator
        Draws each new trial's training seed among the table's.

    Examples
    --------
    >>> import numpy as np
    >>> from nbtune import benchmarks
    >>> bench = benchmarks.load("digits-mlp-tiny")
    >>> lookup = TableLookup(bench, epochs=3, rng=np.random.default_rng(0))
    >>> params = bench.configs.drop(columns="config").iloc[0].to_dict()
    >>> 0 <= lookup.evaluate(Proposal(0, params))["score"] <= 1
    True
    """

    def __init__(self, benchmark: Benchmark, *, epochs: int, rng: np.random.Generator) -> None:
        self.benchmark, self.epochs, self.rng = benchmark, epochs, rng
        self._seeds: dict[int, int] = {}  # trial -> its training seed (a promotion keeps it)

    def session(self) -> contextlib.AbstractContextManager:
        return contextlib.nullcontext()

    def evaluate(self, proposal: Proposal) -> dict[str, Any]:
        """The trial's outcome as the table has it."""
        bench = self.benchmark
        if proposal.parent is not None and proposal.parent in self._seeds:
            seed = self._seeds[proposal.parent]
        else:
            seed = int(self.rng.choice(bench.seeds))
        self._seeds[proposal.number] = seed
        epochs = int(proposal.epochs or proposal.params.get("epochs", self.epochs))
        start = proposal.initial_epoch
        if not 1 <= epochs <= bench.max_epochs:
            return dict(score=np.nan, status="failed", seconds=0.0,
                        error=f"the table has epochs 1 to {bench.max_epochs}, not {epochs}")
        config = bench.config_of({k: v for k, v in proposal.params.items() if k != "epochs"})
        accuracy, seconds, build = bench.curve(config, seed)
        cost = float(seconds[start:epochs].sum()) + (build if proposal.parent is None else 0.0)
        return dict(score=float(accuracy[epochs - 1]), score_std=np.nan, train_epochs=epochs,
                    epochs_spent=epochs - start, seconds=cost, status="ok",
                    true_score=float(bench.mean_curve(config)[epochs - 1]))


def replay(benchmark: Benchmark, strategies: Iterable[str] = ("grid", "random", "hyperband"), *,
           repeats: int = 100, seed: int = 0, **budget: Any) -> SearchResult:
    """Replay each strategy ``repeats`` times on the benchmark's table.

    Parameters
    ----------
    benchmark : Benchmark
        From :func:`nbtune.benchmarks.load`.
    strategies : iterable of str
        Names of :func:`nbtune.strategies.names`.
    repeats : int, default 100
        Runs per strategy; run ``r`` seeds its strategy with ``seed + r``.
    seed : int, default 0
    **budget
        ``compare``'s budget arguments (``epochs``, ``n_iter``, ``max_trials``,
        ``max_epochs``, ``factor``, ``points``...); ``epochs`` defaults to the
        table's ``max_epochs``.

    Returns
    -------
    SearchResult
        Every trial of every run, with a ``repeat`` column and a ``true_score``
        (the configuration's mean over the table's seeds, at the trial's epochs);
        ``seconds`` are simulated (the table's), the same measure a live run's
        would be.
    """
    repeats = check_whole("repeats", repeats)
    unknown = sorted(set(budget) - set(strategy_registry.BUDGET_DEFAULTS))
    if unknown:
        raise TypeError(f"replay() got unknown budget arguments {unknown}; it takes "
                        f"{sorted(strategy_registry.BUDGET_DEFAULTS)}")
    budget = {**strategy_registry.BUDGET_DEFAULTS, "epochs": benchmark.max_epochs, **budget}
    check_whole("epochs", budget["epochs"])
    records = []
    for name in dict.fromkeys(strategies):
        strategy = strategy_registry.get(name)
        for repeat in range(repeats):
            proposer = strategy.proposer(benchmark.space, budget, seed + repeat)
            lookup = TableLookup(benchmark, epochs=budget["epochs"],
                                 rng=np.random.default_rng([seed, repeat]))
            run, _ = run_trials(name, proposer, lookup, progress=SearchProgress(enabled=False))
            records += [{**record, "repeat": repeat} for record in run]
    return SearchResult(pd.DataFrame(records), param_names=list(benchmark.space.names),
                        scoring="accuracy")
