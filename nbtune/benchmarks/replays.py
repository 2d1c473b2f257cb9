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
import time
import warnings
from collections.abc import Iterable
from typing import Any, TextIO

import numpy as np
import pandas as pd

from nbtune.arguments import check_whole
from nbtune.benchmarks.table import Benchmark
from nbtune.display import Progress, SearchProgress
from nbtune.search import strategies as strategy_registry
from nbtune.search.checks import progress_object
from nbtune.search.proposers import BudgetedProposer, Proposal, within_budget
from nbtune.search.results import SearchResult
from nbtune.search.schedule import hyperband_schedule
from nbtune.search.trial_loop import run_trials

#: The budget arguments counted in epochs: none may exceed the table's.
EPOCH_BUDGETS = ("epochs", "max_epochs")


class TableLookup:
    """An evaluator that reads each trial's score and cost from a benchmark's table.

    Parameters
    ----------
    benchmark : Benchmark
    epochs : int
        Epochs of a trial whose proposal and configuration do not say; at
        most the table's ``max_epochs``.
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
        check_benchmark(benchmark)
        self.benchmark, self.rng = benchmark, rng
        self.epochs = _check_epoch_budget(benchmark, "epochs", epochs)
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
        if not 1 <= epochs <= bench.max_epochs:  # replay() refuses such budgets before this
            return dict(score=np.nan, status="failed", seconds=0.0,
                        error=f"the table has epochs 1 to {bench.max_epochs}, not {epochs}")
        config = bench.config_of({k: v for k, v in proposal.params.items() if k != "epochs"})
        accuracy, seconds, build = bench.curve(config, seed)
        cost = float(seconds[start:epochs].sum()) + (build if proposal.parent is None else 0.0)
        return dict(score=float(accuracy[epochs - 1]), score_std=np.nan, train_epochs=epochs,
                    epochs_spent=epochs - start, seconds=cost, status="ok",
                    true_score=float(bench.mean_curve(config)[epochs - 1]))


class ReplayProgress(SearchProgress):
    """A replay's progress line: runs done of each strategy, best score, time left.

    A replay of a few seconds shows nothing: the line appears once the replay
    has run ``delay`` seconds (then for every strategy after it too).

    Parameters
    ----------
    enabled : bool, default True
    stream : file-like, optional
        As :class:`~nbtune.display.SearchProgress`.
    delay : float, default 3.0
        Seconds before the line is first shown.

    Examples
    --------
    >>> bar = ReplayProgress(delay=0.0, enabled=False)
    >>> bar.begin("random", 100)
    >>> bar.trial_done({"score": 0.9, "status": "ok"})
    >>> bar.line()[:47]
    'random [....................] 1/100 runs | best'
    """

    def __init__(self, *, enabled: bool = True, stream: TextIO | None = None,
                 delay: float = 3.0) -> None:
        self.wanted, self.delay, self.replay_started = enabled, delay, time.perf_counter()
        super().__init__(enabled=False, stream=stream)

    def trial_done(self, record: dict) -> None:
        """Count one finished run; show the line once the replay has taken ``delay`` seconds."""
        if self.wanted and time.perf_counter() - self.replay_started >= self.delay:
            self.enabled = True
        super().trial_done(record)

    def line(self) -> str:
        """The progress line, counting runs (a run is a whole search, many trials)."""
        return super().line().replace(" trials", " runs", 1)


def replay(benchmark: Benchmark, strategies: Iterable[str] = ("grid", "random", "hyperband"), *,
           repeats: int = 100, seed: int = 0, total_epochs: int | None = None,
           total_seconds: float | None = None, progress: bool | Progress = True,
           **budget: Any) -> SearchResult:
    """Replay each strategy ``repeats`` times on the benchmark's table.

    Every argument is checked against the table before the first run: a
    budget the table cannot serve (``epochs`` or ``max_epochs`` beyond its
    epochs) is refused, not replayed into failed trials.

    Parameters
    ----------
    benchmark : Benchmark
        From :func:`nbtune.benchmarks.load` (a loaded table, not its name).
    strategies : str or iterable of str
        Names of :func:`nbtune.search.strategies.names`.
    repeats : int, default 100
        Runs per strategy; run ``r`` seeds its strategy with ``seed + r``.
    seed : int, default 0
        A whole number >= 0.
    total_epochs, total_seconds : number, optional
        Equal budgets: every strategy runs until its trials have spent this many
        epochs (or simulated seconds) in all, and a trial that would end after
        that is cut, as if the clock ran out during it. Random search, Bayesian
        optimisation and Hyperband get as many trials (Hyperband: iterations,
        at most one per configuration) as the budget can buy; grid search and
        successive halving end sooner if their plan is smaller. Give at most one.
    progress : bool or progress object, default True
        A line per strategy counting its runs, shown once the replay has taken
        a few seconds (:class:`ReplayProgress`); False for none, or an object
        with the methods of :class:`nbtune.display.Progress`, told each run
        as one ``trial_done`` (its best score) and asked ``should_stop``
        between runs.
    **budget
        ``compare``'s budget arguments (``epochs``, ``n_iter``, ``max_trials``,
        ``max_epochs``, ``factor``, ``points``...); ``epochs`` defaults to the
        table's ``max_epochs``.

    Returns
    -------
    SearchResult
        Every trial of every finished run, with a ``repeat`` column and a
        ``true_score`` (the configuration's mean over the table's seeds, at the
        trial's epochs); ``seconds`` are simulated (the table's), the same
        measure a live run's would be. Stopped (Ctrl-C, or ``should_stop``),
        it holds the runs that finished and has ``complete=False``.
    """
    check_benchmark(benchmark)
    names = _strategy_names(strategies)
    repeats = check_whole("repeats", repeats)
    seed = _check_seed(seed, repeats)
    budget = _table_budget(benchmark, budget)
    limit = _equal_budget(total_epochs, total_seconds)
    if limit is not None:
        budget = {**budget, **_as_many_trials_as(benchmark, budget, *limit)}
    shown = ReplayProgress(enabled=progress) if isinstance(progress, bool) \
        else progress_object(progress)
    records, stopped = _runs(benchmark, names, repeats, seed, budget, limit, shown)
    trials = pd.DataFrame(records) if records else \
        pd.DataFrame(columns=["strategy", *benchmark.space.names, "repeat"])
    if stopped == "interrupt":
        runs = len({(r["strategy"], r["repeat"]) for r in records})
        warnings.warn(f"replay interrupted after {runs} finished runs; the result holds them "
                      "and has complete=False", stacklevel=2)
    return SearchResult(trials, param_names=list(benchmark.space.names), scoring="accuracy",
                        complete=stopped is None)


def _runs(benchmark: Benchmark, names: list[str], repeats: int, seed: int, budget: dict,
          limit: tuple[str, float] | None, progress: Progress) -> tuple[list[dict], str | None]:
    """Every run's trials, strategy by strategy; how the replay stopped early, if it did.

    A run cut short by Ctrl-C (or by ``should_stop``) is left out: a partial
    run is not a run of the strategy.
    """
    records: list[dict] = []
    finished = 0
    try:
        for name in names:
            progress.begin(name, repeats)
            for repeat in range(repeats):
                run, stopped = _one_run(benchmark, name, repeat, seed, budget, limit)
                if stopped is None:
                    records += [{**record, "repeat": repeat} for record in run]
                    finished += 1
                    progress.trial_done(_run_record(name, repeat, run))
                    stopped = "request" if progress.should_stop() else None
                if stopped:
                    progress.end(f"stopped: kept {finished} finished runs")
                    return records, stopped
            progress.end()
    except KeyboardInterrupt:
        progress.end(f"stopped: kept {finished} finished runs")
        return records, "interrupt"
    return records, None


def _one_run(benchmark: Benchmark, name: str, repeat: int, seed: int, budget: dict,
             limit: tuple[str, float] | None) -> tuple[list[dict], str | None]:
    """One run of strategy ``name``: its trials, and "interrupt" if Ctrl-C cut it."""
    proposer = strategy_registry.get(name).proposer(benchmark.space, budget, seed + repeat)
    if limit is not None:
        proposer = BudgetedProposer(proposer, *limit)
    lookup = TableLookup(benchmark, epochs=budget["epochs"],
                         rng=np.random.default_rng([seed, repeat]))
    run, stopped = run_trials(name, proposer, lookup, progress=SearchProgress(enabled=False))
    if stopped is None and limit is not None:
        run = _inside(run, limit, name, repeat)
    return run, stopped


def _run_record(name: str, repeat: int, run: list[dict]) -> dict[str, Any]:
    """A finished run as the progress object sees it: one record, its best score."""
    scores = [r["score"] for r in run if r.get("status") == "ok"]
    return {"strategy": name, "repeat": repeat, "trials": len(run),
            "score": max(scores) if scores else float("nan"),
            "status": "ok" if scores else "failed"}


def check_benchmark(benchmark: Any) -> Benchmark:
    """``benchmark`` if it is a loaded table; a TypeError saying how to load one if not.

    Examples
    --------
    >>> check_benchmark("digits-mlp-tiny")
    Traceback (most recent call last):
    ...
    TypeError: benchmark='digits-mlp-tiny' is a name, not a table: load it first, bench = nbtune.benchmarks.load('digits-mlp-tiny'), and give bench
    """
    if isinstance(benchmark, Benchmark):
        return benchmark
    if isinstance(benchmark, str):
        raise TypeError(f"benchmark={benchmark!r} is a name, not a table: load it first, bench = "
                        f"nbtune.benchmarks.load({benchmark!r}), and give bench")
    raise TypeError(f"benchmark is a {type(benchmark).__name__}, not a tabulated benchmark: give "
                    "one loaded with nbtune.benchmarks.load(name), e.g. "
                    "nbtune.benchmarks.load('digits-mlp')")


def _strategy_names(strategies: Any) -> list[str]:
    """The checked strategy names (a single name is a list of one)."""
    if not isinstance(strategies, (str, Iterable)):
        raise TypeError(f"strategies={strategies!r} is not a strategy name or a list of them: "
                        f"give some of {list(strategy_registry.names())}, e.g. "
                        "strategies=['random', 'hyperband']")
    return strategy_registry.check_names(strategies)


def _check_seed(seed: Any, repeats: int) -> int:
    """The replay's seed: the runs use ``seed`` to ``seed + repeats - 1``, numpy's seeds all."""
    seed = check_whole("seed", seed, minimum=0, hint=", e.g. seed=0")
    if seed + repeats > 2**32:
        raise ValueError(f"seed={seed} with repeats={repeats}: run seeds go up to "
                         f"{seed + repeats - 1}, beyond numpy's 2**32 - 1; give a smaller seed, "
                         "e.g. seed=0")
    return seed


def _check_epoch_budget(benchmark: Benchmark, key: str, value: Any) -> int:
    value = check_whole(key, value, hint=f", at most the table's {benchmark.max_epochs}")
    if value > benchmark.max_epochs:
        raise ValueError(f"{key}={value} is more than the {benchmark.name} table's "
                         f"{benchmark.max_epochs} epochs: give {key} <= {benchmark.max_epochs}, "
                         "or tabulate a table with more epochs")
    return value


def _table_budget(benchmark: Benchmark, budget: dict[str, Any]) -> dict[str, Any]:
    """The budget arguments with their defaults; the ones in epochs checked against the table."""
    defaults = strategy_registry.budget_defaults()
    unknown = sorted(set(budget) - set(defaults))
    if unknown:
        raise TypeError(f"replay() got unknown budget arguments {unknown}: give only "
                        f"{sorted(defaults)}, e.g. n_iter=10")
    budget = {**defaults, "epochs": benchmark.max_epochs, **budget}
    for key in EPOCH_BUDGETS:
        if budget[key] is not None:
            budget[key] = _check_epoch_budget(benchmark, key, budget[key])
    return budget


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
    """Trial counts no budget of ``limit`` can exhaust (the budget stops the run first).

    Hyperband gets at most one iteration per configuration: a huge budget would
    otherwise ask keras-tuner for iterations without end.
    """
    if measure == "seconds":  # the most epochs those seconds could buy
        limit = limit / max(float(benchmark.curves["seconds"].min()), 1e-6)
    configs = len(benchmark.configs)
    trials = int(min(configs, limit // budget["epochs"] + 1))
    max_epochs = budget["max_epochs"] or budget["epochs"]
    per_iteration = float(hyperband_schedule(max_epochs, budget["factor"], 1)["total_epochs"].sum())
    return {"n_iter": trials, "max_trials": trials,
            "hyperband_iterations": int(min(configs, limit // per_iteration + 1))}


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
