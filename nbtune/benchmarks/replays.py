"""Replay search strategies on a tabulated benchmark, many times, in seconds.

:func:`replay` runs each strategy unchanged (the same proposers as a live
search: scikit-learn's samplers, keras-tuner's own oracles, successive
halving) through the same trial loop, but its evaluator looks each trial up
in a :class:`~nbtune.benchmarks.table.Benchmark` instead of training: the score is
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

from nbtune.arguments import check_whole
from nbtune.benchmarks.table import Benchmark
from nbtune.display import SearchProgress
from nbtune.search import strategies as strategy_registry
from nbtune.search.proposers import BudgetedProposer, Proposal, within_budget
from nbtune.search.results import SearchResult
from nbtune.search.schedule import hyperband_schedule
from nbtune.search.trial_loop import run_trials


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
           repeats: int = 100, seed: int = 0, total_epochs: int | None = None,
           total_seconds: float | None = None, **budget: Any) -> SearchResult:
    """Replay each strategy ``repeats`` times on the benchmark's table.

    Parameters
    ----------
    benchmark : Benchmark
        From :func:`nbtune.benchmarks.table.load`.
    strategies : iterable of str
        Names of :func:`nbtune.search.strategies.names`.
    repeats : int, default 100
        Runs per strategy; run ``r`` seeds its strategy with ``seed + r``.
    seed : int, default 0
    total_epochs, total_seconds : number, optional
        Equal budgets: every strategy runs until its trials have spent this many
        epochs (or simulated seconds) in all, and a trial that would end after
        that is cut, as if the clock ran out during it. Random search, Bayesian
        optimisation and Hyperband get as many trials (Hyperband: iterations)
        as the budget can buy; grid search and successive halving end sooner
        if their plan is smaller. Give at most one.
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
    unknown = sorted(set(budget) - set(strategy_registry.budget_defaults()))
    if unknown:
        raise TypeError(f"replay() got unknown budget arguments {unknown}; it takes "
                        f"{sorted(strategy_registry.budget_defaults())}")
    budget = {**strategy_registry.budget_defaults(), "epochs": benchmark.max_epochs, **budget}
    check_whole("epochs", budget["epochs"])
    limit = _equal_budget(total_epochs, total_seconds)
    if limit is not None:
        budget = {**budget, **_as_many_trials_as(benchmark, budget, *limit)}
    records = []
    for name in strategy_registry.check_names(strategies):
        strategy = strategy_registry.get(name)
        for repeat in range(repeats):
            proposer = strategy.proposer(benchmark.space, budget, seed + repeat)
            if limit is not None:
                proposer = BudgetedProposer(proposer, *limit)
            lookup = TableLookup(benchmark, epochs=budget["epochs"],
                                 rng=np.random.default_rng([seed, repeat]))
            run, _ = run_trials(name, proposer, lookup, progress=SearchProgress(enabled=False))
            if limit is not None:
                run = _inside(run, limit, name, repeat)
            records += [{**record, "repeat": repeat} for record in run]
    return SearchResult(pd.DataFrame(records), param_names=list(benchmark.space.names),
                        scoring="accuracy")


def _equal_budget(total_epochs: Any, total_seconds: Any) -> tuple[str, float] | None:
    """(measure, limit) of an equal-budget replay, or None; checked before anything runs."""
    if total_epochs is not None and total_seconds is not None:
        raise ValueError(f"total_epochs={total_epochs!r} and total_seconds={total_seconds!r}: "
                         "give one budget, in epochs or in simulated seconds, not both")
    if total_epochs is not None:
        return "epochs_spent", float(check_whole("total_epochs", total_epochs))
    if total_seconds is not None:
        if (isinstance(total_seconds, bool) or not isinstance(total_seconds, (int, float))
                or not total_seconds > 0 or total_seconds == float("inf")):
            raise ValueError(f"total_seconds={total_seconds!r} is not allowed: give the simulated "
                             "seconds each strategy may spend, a number > 0, e.g. total_seconds=300")
        return "seconds", float(total_seconds)
    return None


def _as_many_trials_as(benchmark: Benchmark, budget: dict[str, Any], measure: str,
                       limit: float) -> dict[str, int]:
    """Trial counts no budget of ``limit`` can exhaust (the budget stops the run first)."""
    if measure == "seconds":  # the most epochs those seconds could buy
        limit = limit / max(float(benchmark.curves["seconds"].min()), 1e-6)
    configs = len(benchmark.configs)
    trials = int(min(configs, limit // budget["epochs"] + 1))
    max_epochs = budget["max_epochs"] or budget["epochs"]
    per_iteration = float(hyperband_schedule(max_epochs, budget["factor"], 1)["total_epochs"].sum())
    return {"n_iter": trials, "max_trials": trials,
            "hyperband_iterations": int(limit // per_iteration + 1)}


def _inside(run: list[dict], limit: tuple[str, float], strategy: str, repeat: int) -> list[dict]:
    """The run's trials that ended within the budget; an error if not even one did."""
    kept = within_budget(run, *limit)
    if not kept:
        measure, value = limit
        first = run[0].get(measure) if run else float("nan")
        argument = "total_epochs" if measure == "epochs_spent" else "total_seconds"
        raise ValueError(f"{argument}={value:g} buys no whole trial of {strategy} (repeat "
                         f"{repeat}: its first trial cost {first:.3g}); give a larger budget")
    return kept
