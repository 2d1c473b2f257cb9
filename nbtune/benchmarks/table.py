"""Tabulated benchmarks: every configuration of a space trained, its learning curves kept.

A benchmark is a finite space whose every configuration was trained to
``max_epochs`` with a few seeds, recording per epoch the validation accuracy
and loss, the training loss and the seconds the epoch took (and each fit's
fixed cost and final test accuracy). A strategy can then be *replayed* on it
(:mod:`nbtune.benchmarks.replays`): each trial's score is read from the table, in
milliseconds, and its cost is the table's seconds, as the field's tabulated
benchmarks do (NAS-Bench-201, LCBench, HPOBench).

- :func:`tabulate` makes one, resumably, through a run folder;
- :func:`write` turns that run folder into the shipped files (``<name>.json``
  describing it, ``<name>.csv.gz`` holding the curves);
- :func:`load` reads a shipped (or any written) benchmark: its space, its
  table, its true best.

Examples
--------
>>> "digits-mlp-tiny" in names()
True
>>> bench = load("digits-mlp-tiny")
>>> bench.space.size, bench.max_epochs, bench.seeds
(4, 3, [0, 1])
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import io
import json
import math
import numbers
import os
import platform
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.model_selection import ParameterGrid

from nbtune.arguments import check_whole
from nbtune.backend import cpu_name, library_versions
from nbtune.benchmarks.files import (
    CURVE_RANGES,
    check_file_name,
    curves_problem,
    description_problem,
    fits_problem,
    read_json,
    sha256_prefix,
)
from nbtune.data import Dataset
from nbtune.formatting import to_python
from nbtune.search.checks import check_n_jobs
from nbtune.search.fingerprint import run_fingerprint
from nbtune.search.runlog import RunLog
from nbtune.search.workers import evaluate_in_worker
from nbtune.space import Choice, SearchSpace
from nbtune.training import engine, graph_fit
from nbtune.training.estimator import KerasClassifier

#: What the table holds per configuration, seed and epoch.
CURVE_COLUMNS = tuple(CURVE_RANGES)
_SHIPPED = "tables"  # the package folder of shipped benchmarks

#: The most fits :func:`tabulate` takes on (configurations x seeds): the shipped
#: ``digits-mlp`` has 756, about 1.7 hours on two cores.
MAX_FITS = 100_000


@dataclass(frozen=True)
class Benchmark:
    """A tabulated benchmark: a finite space and every configuration's learning curves.

    Attributes
    ----------
    name : str
    space : SearchSpace
        Finite: each dimension a ``Choice``, an ``Int`` with a step, or ``Fixed``.
    configs : DataFrame
        One row per configuration (``config`` number and the space's names).
    curves : DataFrame
        One row per configuration, seed and epoch (from 1): ``config``, ``seed``,
        ``epoch`` and :data:`CURVE_COLUMNS`.
    fits : DataFrame
        One row per configuration and seed: ``build_seconds`` (the fixed cost
        before the first epoch) and ``test_accuracy`` of the final model.
    description : dict
        The space, data, build function, library versions, machine and date.
    """

    name: str
    space: SearchSpace
    configs: pd.DataFrame
    curves: pd.DataFrame
    fits: pd.DataFrame
    description: dict

    @property
    def seeds(self) -> list[int]:
        """The training seeds of the table."""
        return self._cached("_seeds", lambda: sorted(self.fits["seed"].unique().tolist()))

    @property
    def max_epochs(self) -> int:
        """The epochs every fit of the table ran."""
        return self._cached("_max_epochs", lambda: int(self.curves["epoch"].max()))

    def _cached(self, name: str, compute: Callable[[], Any]) -> Any:
        """A value computed once per benchmark (the dataclass is frozen: kept in __dict__)."""
        if name not in self.__dict__:
            object.__setattr__(self, name, compute())
        return self.__dict__[name]

    def config_of(self, params: Mapping[str, Any]) -> int:
        """The number of the configuration ``params`` (its value for each dimension of the space).

        Examples
        --------
        >>> bench = load("digits-mlp-tiny")
        >>> bench.config_of({"units": 64, "learning_rate": 0.01, "batch_size": 32, "dropout_rate": 0.0})
        3
        """
        if not isinstance(params, Mapping):
            raise TypeError(f"params={params!r} is not a dict: give the configuration's value for "
                            f"each dimension, e.g. config_of({self._example()})")
        try:
            number = self._index[tuple(params[name] for name in self.space.names)]
        except (KeyError, TypeError):  # a dimension missing, a value not tabulated or unhashable
            raise self._not_a_configuration(params) from None
        if len(params) > len(self.space.names):
            self._check_fixed(params)
        return number

    def _example(self) -> dict[str, Any]:
        return {name: to_python(self.configs[name].iloc[0]) for name in self.space.names}

    def _values(self, name: str) -> list:
        return sorted(set(to_python(v) for v in self.configs[name]))

    def _not_a_configuration(self, params: Mapping[str, Any]) -> ValueError:
        names = list(self.space.names)
        missing = [name for name in names if name not in params]
        if missing:
            return ValueError(f"params lack {missing}: give a value for each of {names}, e.g. "
                              f"config_of({self._example()})")
        for name in names:
            try:
                tabulated = params[name] in set(self.configs[name])
            except TypeError:
                tabulated = False
            if not tabulated:
                return ValueError(f"{name}={params[name]!r} is not in the {self.name} table: its "
                                  f"{name} values are {self._values(name)}; give one of them")
        return ValueError(f"{params} is not a configuration of the {self.name} table: give one of "
                          "bench.configs")

    def _check_fixed(self, params: Mapping[str, Any]) -> None:
        """Keys beyond the space: a subset's fixed dimensions (at their kept value), nothing else."""
        for name, value in params.items():
            if name in self.space.names:
                continue
            if name not in self.configs.columns or name == "config":
                raise ValueError(f"{name!r} is not a dimension of the {self.name} table: give "
                                 f"only {list(self.space.names)}, e.g. "
                                 f"config_of({self._example()})")
            if value not in set(self.configs[name]):
                raise ValueError(f"{name}={value!r} is not in this table: its {name} is "
                                 f"{self._values(name)}; give that, or leave {name} out")

    @property
    def _index(self) -> dict[tuple, int]:
        def index() -> dict[tuple, int]:
            rows = self.configs[list(self.space.names)].itertuples(index=False, name=None)
            return {tuple(row): number for number, row in zip(self.configs["config"], rows)}

        return self._cached("_index_cache", index)

    def _check_config(self, config: Any) -> int:
        """``config`` as an int if it numbers a configuration of the table, else a clear error."""
        numbers_ = self._cached("_numbers", lambda: [int(c) for c in self.configs["config"]])
        fix = (f"give one of {_listed(numbers_)} (bench.configs['config']), or find one with "
               f"bench.config_of({self._example()})")
        number = _number(config)
        if number is None:
            raise TypeError(f"config={config!r} is not a configuration number: {fix}")
        if number not in set(numbers_):
            raise ValueError(f"config={config} is not a configuration of the {self.name} "
                             f"table{' subset' if 'subset' in self.description else ''}: {fix}")
        return number

    def _check_seed(self, seed: Any) -> int:
        number = _number(seed)
        if number is None or number not in self.seeds:
            raise ValueError(f"seed={seed!r} is not a seed of the {self.name} table: give one of "
                             f"{self.seeds} (bench.seeds)")
        return number

    def _check_epochs(self, epochs: Any) -> int:
        epochs = check_whole("epochs", epochs, hint=f", at most the table's {self.max_epochs}")
        if epochs > self.max_epochs:
            raise ValueError(f"epochs={epochs} is more than the {self.name} table's "
                             f"{self.max_epochs} epochs: give epochs <= {self.max_epochs}, or "
                             "tabulate a table with more epochs")
        return epochs

    def mean_curve(self, config: int) -> np.ndarray:
        """A configuration's validation accuracy per epoch, averaged over the seeds.

        Examples
        --------
        >>> load("digits-mlp-tiny").mean_curve(3).shape
        (3,)
        """
        def means() -> dict[int, np.ndarray]:
            table = self.curves.groupby(["config", "epoch"])["val_accuracy"].mean()
            return {int(c): g.to_numpy() for c, g in table.groupby(level="config")}

        cache = self._cached("_mean_cache", means)
        number = _number(config)
        if number not in cache:
            self._check_config(config)
        return cache[number]

    def curve(self, config: int, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
        """(validation accuracy per epoch, seconds per epoch, fixed seconds) of one fit.

        Examples
        --------
        >>> accuracy, seconds, build = load("digits-mlp-tiny").curve(3, seed=1)
        >>> accuracy.shape, seconds.shape, build > 0
        ((3,), (3,), True)
        """
        def curves() -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray, float]]:
            ordered = self.curves.sort_values(["config", "seed", "epoch"])
            builds = {(f.config, f.seed): float(f.build_seconds) for f in self.fits.itertuples()}
            return {(int(c), int(s)): (g["val_accuracy"].to_numpy(), g["seconds"].to_numpy(),
                                       builds[(c, s)])
                    for (c, s), g in ordered.groupby(["config", "seed"])}

        cache = self._cached("_curve_cache", curves)
        key = (_number(config), _number(seed))
        if key not in cache:
            self._check_config(config)
            self._check_seed(seed)
        return cache[key]

    def subset(self, **values: Sequence[Any]) -> Benchmark:
        """The part of the table whose configurations take only the given values.

        Each keyword names a dimension and the values it keeps (a list); the
        space becomes a ``Choice`` of them, and configurations keep their numbers.
        A dimension kept at one value leaves the space (as lesson 04's space has
        no batch size): a strategy does not search it, and keras-tuner's Bayesian
        optimisation does not count it among the dimensions that set its number
        of random first trials.

        Examples
        --------
        >>> small = load("digits-mlp-tiny").subset(units=[64])
        >>> small.space.names, small.configs["config"].tolist()
        (('learning_rate', 'batch_size', 'dropout_rate'), [1, 3])
        """
        unknown = sorted(set(values) - set(self.space.names))
        if unknown:
            raise ValueError(f"subset({', '.join(unknown)}=...): not dimensions of the {self.name} "
                             f"table; give only its dimensions {list(self.space.names)}")
        dimensions = []
        for dimension in self.space:
            if dimension.name not in values:
                dimensions.append(dimension)
                continue
            if not isinstance(values[dimension.name], (list, tuple)):
                raise ValueError(f"subset({dimension.name}={values[dimension.name]!r}): give a list "
                                 f"of values, e.g. subset({dimension.name}=[...])")
            kept = [dimension.to_python(v) for v in values[dimension.name]]
            missing = [v for v in kept if v not in set(self.configs[dimension.name])]
            if not kept or missing:
                raise ValueError(f"subset({dimension.name}={values[dimension.name]!r}): the table's "
                                 f"{dimension.name} values are {sorted(set(self.configs[dimension.name]))}; "
                                 "give a non-empty list of them")
            if len(set(kept)) > 1:
                dimensions.append(Choice(dimension.name, kept))
        configs = self.configs
        for name, kept in values.items():
            configs = configs[configs[name].isin(kept)]
        keep = set(configs["config"])
        return Benchmark(self.name, SearchSpace(*dimensions), configs.reset_index(drop=True),
                         self.curves[self.curves["config"].isin(keep)].reset_index(drop=True),
                         self.fits[self.fits["config"].isin(keep)].reset_index(drop=True),
                         {**self.description, "subset": {k: list(v) for k, v in values.items()}})

    def true_best(self, epochs: int | None = None) -> pd.Series:
        """The configuration with the best mean validation accuracy (over seeds) at ``epochs``.

        Parameters
        ----------
        epochs : int, optional
            From 1 to :attr:`max_epochs` (the default).

        Examples
        --------
        >>> bool(load("digits-mlp-tiny").true_best()["val_accuracy"] > 0.5)
        True
        """
        epochs = self.max_epochs if epochs is None else self._check_epochs(epochs)
        at = self.curves[self.curves["epoch"] == epochs]
        means = at.groupby("config")["val_accuracy"].mean()
        best = int(means.idxmax())
        row = self.configs.set_index("config").loc[best]
        return pd.Series({"config": best, **row.to_dict(), "val_accuracy": float(means[best])})


def _number(value: Any) -> int | None:
    """A configuration or seed number as an int (``3``, ``np.int64(3)``, or ``3.0`` as a table's
    row gives it, e.g. ``true_best()["config"]``); None for anything else, ``True`` included."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    return int(value) if math.isfinite(value) and float(value).is_integer() else None


def _listed(values: list[int]) -> str:
    """Configuration numbers in words: ``0 to 251``, or the list when there are gaps."""
    if len(values) > 2 and values == list(range(values[0], values[0] + len(values))):
        return f"{values[0]} to {values[-1]}"
    return str(values) if len(values) <= 12 else f"{values[:12]}... ({len(values)} numbers)"


# ------------------------------------------------------------------ tabulating
class _TableFits:
    """Trains a table's fits; in a worker it stays for the next fit, with its models.

    With one-call fits on (:mod:`nbtune.training.graph_fit`), fits of the same
    structure (units, dropout) share one traced model through the model pool
    (another learning rate, batch size or seed needs no new graph:
    :mod:`nbtune.training.engine`), and each fit records its per-epoch
    validation accuracy and loss in its graph. Otherwise each fit builds a new
    model and Keras's ``fit`` times every epoch (:class:`EpochLog`), as the
    shipped tables were made.
    """

    def __init__(self, build_fn: Callable, dataset: Dataset, max_epochs: int,
                 batch_size: int) -> None:
        self.build_fn, self.dataset = build_fn, dataset
        self.max_epochs, self.batch_size = max_epochs, batch_size

    def session(self) -> Any:
        """Cheap garbage collection and, for one-call fits, the fits' shared models."""
        stack = contextlib.ExitStack()
        stack.enter_context(engine.frozen_heap())
        if graph_fit.enabled():  # with Keras's fit each fit builds and traces, as the shipped
            stack.enter_context(engine.reusing_models())  # tables' seconds were measured
        return stack

    def evaluate(self, group: list[tuple[int, dict, int]]) -> list[dict]:
        """Train a group of fits (one batch size): side by side as branches of one model when
        they can be (:mod:`nbtune.training.branches`), else one by one; their records."""
        if len(group) > 1:
            trained = self._as_branches(group)
            if trained is not None:
                return trained
        return [self._one(job) for job in group]

    def _as_branches(self, group: list[tuple[int, dict, int]]) -> list[dict] | None:
        """The group trained as branches, or None if one of its models cannot be a branch."""
        from nbtune.training import branches  # deferred: it imports Keras

        started = time.perf_counter()
        estimators = [self._estimator(params, seed) for _, params, seed in group]
        # fresh models, outside the model pool: each branch needs its own
        with engine.outside_pool():
            for estimator in estimators:
                estimator.initialize(*self.dataset.train)
        if any(isinstance(branches.read_dense(e.model_), str) for e in estimators):
            return None
        built = time.perf_counter()
        X, y = self.dataset.train
        X_val, y_val = self.dataset.validation
        classes = estimators[0].classes_
        histories = branches.Branches([e.model_ for e in estimators]).fit(
            X, np.searchsorted(classes, y), epochs=self.max_epochs,
            batch_size=estimators[0].batch_size, seeds=[seed for _, _, seed in group],
            validation_data=(X_val, np.searchsorted(classes, y_val)))
        seconds = (time.perf_counter() - built) / (len(group) * self.max_epochs)
        return [{"trial": number, "seed": seed, **params, "fit_path": "branches",
                 "curves": _even_curves(history, seconds),
                 "build_seconds": (built - started) / len(group),
                 "test_accuracy": float(estimator.score(*self.dataset.test))}
                for (number, params, seed), estimator, history in zip(group, estimators, histories)]

    def _estimator(self, params: dict, seed: int) -> KerasClassifier:
        return KerasClassifier(self.build_fn, epochs=self.max_epochs, random_state=seed,
                               **{"batch_size": self.batch_size, **params})

    def _one(self, job: tuple[int, dict, int]) -> dict:
        """Train one configuration with one seed to ``max_epochs``: its curves and test accuracy.

        A fit in one graph call has no per-epoch clock: each epoch gets an equal
        share of the fit's seconds (the first fit of a model includes its trace).
        """
        from nbtune.training.callbacks import EpochLog, FitTimer  # deferred: it imports Keras

        number, params, seed = job
        timer = FitTimer()  # EpochLog too would make every fit Keras's fit
        epochs = None if graph_fit.enabled() else EpochLog(keys=("val_accuracy", "val_loss", "loss"))
        started = time.perf_counter()
        estimator = self._estimator(params, seed)
        estimator.fit(*self.dataset.train, validation_data=self.dataset.validation,
                      callbacks=[timer] if epochs is None else [timer, epochs])
        trained = len(estimator.history_["loss"])
        curves = epochs.rows if epochs is not None else _even_curves(
            estimator.history_, (timer.ended - timer.began) / trained)
        return {"trial": number, "seed": seed, **params, "curves": curves,
                "build_seconds": timer.began - started, "fit_path": estimator.fit_path_,
                "test_accuracy": float(estimator.score(*self.dataset.test))}


def _even_curves(history: dict, seconds: float) -> list[dict]:
    """Per-epoch rows of a fit timed as a whole: its recorded figures, ``seconds`` each."""
    return [{"epoch": e + 1, "seconds": seconds,
             **{k: history[k][e] for k in ("val_accuracy", "val_loss", "loss")}}
            for e in range(len(history["loss"]))]


def _groups(todo: list, batch_size: int, n_jobs: int, dataset: Dataset,
            size: int | None) -> list[list]:
    """The fits ``todo`` in groups trained together: with one-call fits, those of one batch
    size, cut to ``size`` (None: :func:`nbtune.training.branches.most_branches` of the widest
    model the space can build, and an even share for each of the ``n_jobs`` workers);
    otherwise one fit per group."""
    if not graph_fit.enabled() or size == 1:
        return [[job] for job in todo]
    by_batch: dict[int, list] = {}
    for job in todo:
        by_batch.setdefault(int(job[1].get("batch_size", batch_size)), []).append(job)
    groups = []
    for rows_per_batch, jobs in sorted(by_batch.items()):
        cut = size or _group_size(jobs, rows_per_batch, n_jobs, dataset)
        groups += [jobs[i:i + cut] for i in range(0, len(jobs), cut)]
    return groups


def _group_size(jobs: list, batch_size: int, n_jobs: int, dataset: Dataset) -> int:
    from nbtune.training.branches import most_branches

    X, y = dataset.train
    # the widest hidden layer the group builds: the lessons' `units`, else a guess of 256
    widest = max(int(params.get("units", 256)) for _, params, _ in jobs)
    classes = len(np.unique(y))
    fit = most_branches((X.shape[1], widest, classes), len(X), batch_size,
                        len(dataset.validation[0]))
    return max(1, min(fit, -(-len(jobs) // n_jobs)))


def _fitted(fits: _TableFits, groups: list, n_jobs: int) -> Iterable[dict]:
    """The records of the fits in ``groups``, as they finish: here, or in ``n_jobs`` workers."""
    if n_jobs == 1:
        with fits.session():
            for group in groups:
                yield from fits.evaluate(group)
        return
    token = uuid.uuid4().hex
    outcomes = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(evaluate_in_worker)(token, fits, group, os.getpid()) for group in groups)
    for records, _ in outcomes:
        yield from records


def tabulate(space: SearchSpace, build_fn: Callable, dataset: Dataset, *, directory: str,
             project_name: str = "table", seeds: Sequence[int] = (0, 1, 2), max_epochs: int = 27,
             batch_size: int = 32, resume: bool = False, overwrite: bool = False,
             n_jobs: int | None = None, progress: Callable[[int, int], None] | None = None,
             group_size: int | None = None) -> Path:
    """Train every configuration of ``space`` with every seed; the run folder holding the table.

    Each fit (one configuration, one seed) is one line of the run folder's
    ``trials.jsonl`` as it finishes, so ``resume=True`` carries on after a stop.
    Turn the folder into shipped files with :func:`write`. Every argument is
    checked before the run folder is made or anything is trained.

    Parameters
    ----------
    space : SearchSpace
        Finite (its grid is every configuration), at most :data:`MAX_FITS` fits
        with the seeds.
    build_fn : callable
        As the searches take it; compiled with an ``accuracy`` metric.
    dataset : nbtune.data.Dataset
        Train, validation and test splits.
    directory, project_name, resume, overwrite
        The run folder, as in :func:`nbtune.grid_search`.
    seeds : sequence of int, default (0, 1, 2)
        Different whole numbers >= 0.
    max_epochs : int, default 27
    batch_size : int, default 32
        When the space has no ``batch_size``.
    n_jobs : int, optional
        Worker processes, as in :func:`nbtune.grid_search`.
    progress : callable, optional
        ``progress(done, total)`` after each fit.
    group_size : int, optional
        With one-call fits on (:mod:`nbtune.training.graph_fit`), fits of one
        batch size train side by side as branches of one model
        (:mod:`nbtune.training.branches`), at most this many at once; None:
        as many as fit in :data:`nbtune.training.branches.BUDGET_MB`, shared
        evenly between the workers; 1: one fit at a time.

    Returns
    -------
    Path
        The run folder.

    Examples
    --------
    >>> from nbtune import Choice, SearchSpace, data, lessons
    >>> tabulate(SearchSpace(Choice("units", [16])), lessons.build_digits_model,
    ...          data.load_digits(), directory="runs", seeds=[])
    Traceback (most recent call last):
    ...
    ValueError: seeds=[] is empty: give the training seeds, different whole numbers >= 0, e.g. seeds=(0, 1, 2)
    """
    configs, seeds = _checked_plan(space, seeds)
    _check_settings(build_fn, dataset, project_name, max_epochs, batch_size, progress)
    if group_size is not None:
        check_whole("group_size", group_size, hint=" (fits trained at once), e.g. group_size=32")
    n_jobs = check_n_jobs(n_jobs)
    jobs = [(number, space.to_python(config), seed)
            for number, (config, seed) in enumerate((c, s) for c in configs for s in seeds)]
    header = run_fingerprint("tabulate", space, data=[*dataset.train, *dataset.validation,
                                                      *dataset.test],
                             settings={"max_epochs": max_epochs, "seeds": str(list(seeds)),
                                       "batch_size": batch_size}, build_fn=build_fn)
    log = RunLog(directory, project_name, header)
    done = {r["trial"] for r in log.start(resume=resume, overwrite=overwrite)}
    todo = [job for job in jobs if job[0] not in done]
    fits = _TableFits(build_fn, dataset, max_epochs, batch_size)
    groups = _groups(todo, batch_size, n_jobs, dataset, group_size)
    try:
        for finished, record in enumerate(_fitted(fits, groups, n_jobs), start=len(done) + 1):
            log.append(record)
            if progress is not None:
                progress(finished, len(jobs))
    finally:
        log.close()
    return log.folder


def _checked_plan(space: Any, seeds: Any) -> tuple[list[dict], list[int]]:
    """Every configuration of ``space``, and the seeds; refused if not finite, or too many fits."""
    if not isinstance(space, SearchSpace):
        raise TypeError(f"space={space!r} is not a SearchSpace: give one, e.g. "
                        "SearchSpace(Choice('units', [16, 64]), Choice('learning_rate', [0.01]))")
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds={seeds!r} is not a list: give the training seeds, e.g. "
                        "seeds=(0, 1, 2)")
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds=[] is empty: give the training seeds, different whole numbers "
                         ">= 0, e.g. seeds=(0, 1, 2)")
    seeds = [check_whole("seeds", s, minimum=0, hint=" for every seed, e.g. seeds=(0, 1, 2)")
             for s in seeds]
    if len(set(seeds)) < len(seeds):
        raise ValueError(f"seeds={seeds} gives a seed twice: give different seeds, e.g. "
                         "seeds=(0, 1, 2)")
    try:
        size = space.size
    except ValueError as exc:
        raise ValueError(f"space: a table trains every configuration, so its space must be "
                         f"finite. {exc}") from None
    if size * len(seeds) > MAX_FITS:
        raise ValueError(f"space has {size:,} configurations: with {len(seeds)} seeds that is "
                         f"{size * len(seeds):,} fits, more than a table takes ({MAX_FITS:,}); "
                         "narrow the space (fewer values per dimension) or give fewer seeds")
    return list(ParameterGrid(space.grid())), seeds


def _check_settings(build_fn: Any, dataset: Any, project_name: Any, max_epochs: Any,
                    batch_size: Any, progress: Any) -> None:
    if not callable(build_fn):
        raise TypeError(f"build_fn={build_fn!r} is not callable: give the function that builds "
                        "and compiles a model, e.g. nbtune.lessons.build_digits_model")
    if not all(hasattr(dataset, split) for split in ("train", "validation", "test")):
        raise TypeError(f"dataset is a {type(dataset).__name__}, not an nbtune Dataset: give one "
                        "with train, validation and test splits, e.g. nbtune.data.load_digits()")
    check_file_name("project_name", project_name, example="table")
    check_whole("max_epochs", max_epochs)
    check_whole("batch_size", batch_size)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress={progress!r} is not callable: give a function "
                        "progress(done, total), or None")


# ------------------------------------------------------------------ the files
def write(folder: str | os.PathLike, out: str | os.PathLike, name: str, *,
          about: dict[str, Any] | None = None, overwrite: bool = False) -> tuple[Path, Path]:
    """Write the run folder of :func:`tabulate` as ``out/<name>.json`` and ``out/<name>.csv.gz``.

    The CSV holds one row per configuration, seed and epoch; the JSON the space,
    the fits' fixed costs and test accuracies, and ``about`` (data, build
    function, machine, date, versions). The run must be complete (every
    configuration with every seed) and pass the checks :func:`load` makes, so
    a written table always loads; finish a stopped run with
    ``tabulate(..., resume=True)`` first.

    Parameters
    ----------
    folder : path
        The run folder :func:`tabulate` returned.
    out : path
        Where to write the two files (created if missing).
    name : str
        The table's name: a plain file name.
    about : dict, optional
        Added to the JSON.
    overwrite : bool, default False
        Replace ``<name>.json`` and ``<name>.csv.gz`` if ``out`` holds them
        (the shipped tables too); otherwise they are refused.

    Returns
    -------
    (Path, Path)
        The JSON and the CSV written.

    Examples
    --------
    >>> write("no-such-run", "tables", "mine")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: folder='no-such-run' holds no tabulate run (no run.json): give the folder tabulate() returned...
    """
    name = check_file_name("name", name)
    folder, out = Path(folder), Path(out)
    header, records = _read_run(folder)
    space = SearchSpace.from_dict(header["space"])
    seeds = sorted(json.loads(header["settings"]["seeds"]))
    configs = [space.to_python(c) for c in ParameterGrid(space.grid())]
    _check_run_complete(folder, records, len(configs) * len(seeds))
    paused = _paused_fits(records)
    if paused:
        raise ValueError(
            f"fits {paused} of {folder} have an epoch that took over {_PAUSE_SECONDS:g} s and "
            f"{_PAUSE_FACTOR:g} times the fit's median epoch: the machine was paused or stopped "
            "during them, and their seconds would be wrong in every replay. Remove their lines "
            "from trials.jsonl and run the same command with --resume to train them again")
    number = {tuple(c[n] for n in space.names): i for i, c in enumerate(configs)}
    curves, fits = [], []
    for record in sorted(records, key=lambda r: r["trial"]):
        config = number[tuple(record[n] for n in space.names)]
        fits.append({"config": config, "seed": record["seed"],
                     "build_seconds": round(record["build_seconds"], 4),
                     "test_accuracy": record["test_accuracy"]})
        curves += [{"config": config, "seed": record["seed"], **row} for row in record["curves"]]
    table = pd.DataFrame(curves).round({"val_loss": 5, "loss": 5, "seconds": 5, "val_accuracy": 6})
    problem = curves_problem(table, len(configs), seeds, header["settings"]["max_epochs"]) or \
        fits_problem(fits, len(configs), seeds)
    if problem:
        raise ValueError(f"{folder / 'trials.jsonl'}: {problem}; it was not written by tabulate() "
                         "as it is: run tabulate() again into a new folder")
    csv_path, json_path = out / f"{name}.csv.gz", out / f"{name}.json"
    _check_free(out, [json_path, csv_path], overwrite)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as handle:
        handle.write(table.to_csv(index=False).encode())
    description = {
        "name": name, "space": header["space"], "configs": len(configs),
        "seeds": seeds, "max_epochs": int(table["epoch"].max()),
        "fits": fits, "fingerprint": header, "versions": library_versions(),
        "machine": {"nproc": os.cpu_count(), "cpu": cpu_name(),
                    "python": platform.python_version()},
        # tenths: a tiny table's fits take well under a second
        "fit_seconds_total": round(sum(r["build_seconds"] + sum(c["seconds"] for c in r["curves"])
                                       for r in records), 1),
        "written": time.strftime("%Y-%m-%d"),
        "csv_sha256": sha256_prefix(buffer.getvalue()),
        **(about or {}),
    }
    csv_path.write_bytes(buffer.getvalue())
    json_path.write_text(json.dumps(description, indent=1))
    return json_path, csv_path


def _read_run(folder: Path) -> tuple[dict, list[dict]]:
    """The header and the fits of a tabulate run folder."""
    again = "run tabulate() again with resume=True (python -m nbtune tabulate --resume)"
    if not (folder / "run.json").is_file():
        raise FileNotFoundError(f"folder={str(folder)!r} holds no tabulate run (no run.json): give "
                                "the folder tabulate() returned, e.g. tabulate-run/digits-mlp")
    header = read_json(folder / "run.json", f"{again} after removing it, to start over")
    if header.get("strategy") != "tabulate":
        raise ValueError(f"folder={str(folder)!r} holds a {header.get('strategy')!r} search, not a "
                         "tabulate run: give the folder tabulate() returned")
    records = []
    lines = (folder / "trials.jsonl").read_text().splitlines() \
        if (folder / "trials.jsonl").is_file() else []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            raise ValueError(f"{folder / 'trials.jsonl'}: line {number} is not a whole fit (the "
                             f"run was stopped while writing it): {again}, which trains that "
                             "fit again") from None
    return header, records


def _check_run_complete(folder: Path, records: list[dict], expected: int) -> None:
    fits = len({record["trial"] for record in records})
    if fits < expected:
        raise ValueError(f"{folder} holds {fits} of {expected} fits: a table needs every "
                         "configuration with every seed. Finish the run: run tabulate() again "
                         "with resume=True (python -m nbtune tabulate --resume), then write it")


def _check_free(out: Path, paths: list[Path], overwrite: bool) -> None:
    """``out`` can be written and holds none of ``paths`` (unless ``overwrite``)."""
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"out={str(out)!r} is a file, not a folder: give a folder for "
                                 "the table's files (it is created if missing)")
    there = [str(p) for p in paths if p.exists()]
    if there and not overwrite:
        shipped = " (shipped with nbtune)" if out.resolve() == _shipped_folder().resolve() else ""
        raise FileExistsError(f"{there[0]} exists{shipped}: pass overwrite=True to replace it, "
                              "or give another name or out folder to keep it")
    out.mkdir(parents=True, exist_ok=True)


_PAUSE_SECONDS, _PAUSE_FACTOR = 30.0, 20.0


def _paused_fits(records: list[dict]) -> list[int]:
    """Trial numbers of fits with an epoch far slower than the rest (a paused machine).

    The first epoch is always slower (TensorFlow traces the model), by ten times at most.
    """
    paused = []
    for record in records:
        seconds = np.array([row["seconds"] for row in record["curves"]])
        if (seconds.max() > _PAUSE_SECONDS
                and seconds.max() > _PAUSE_FACTOR * float(np.median(seconds))):
            paused.append(int(record["trial"]))
    return sorted(paused)


def _shipped_folder() -> Path:
    return Path(str(resources.files("nbtune.benchmarks").joinpath(_SHIPPED)))


def names(folder: str | os.PathLike | None = None) -> list[str]:
    """The benchmarks shipped with nbtune, or those written into ``folder``.

    Examples
    --------
    >>> names()
    ['digits-mlp', 'digits-mlp-tiny']
    """
    base = _shipped_folder() if folder is None else Path(folder)
    return sorted(p.name[: -len(".json")] for p in base.glob("*.json"))


#: Tables checked and read, by their files' paths, sizes and times: each is checked once.
_LOADED: dict[tuple, Benchmark] = {}


def load(name: str, *, folder: str | os.PathLike | None = None) -> Benchmark:
    """A benchmark by name: shipped with nbtune, or written by :func:`write` into ``folder``.

    The files are checked the first time they are read (checksum, columns,
    every configuration x seed x epoch once, scores finite and in range, the
    space): a damaged or edited table is refused with what is wrong and how
    to remake it.

    Parameters
    ----------
    name : str
        One of :func:`names` (a plain name, no folder).
    folder : path, optional
        Where :func:`write` wrote it; default: the shipped tables.

    Returns
    -------
    Benchmark

    Examples
    --------
    >>> load("digits-mlp-tiny").max_epochs
    3
    >>> load("digits-mlp-tny")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: name='digits-mlp-tny': no benchmark of that name in ...; give one of ['digits-mlp', 'digits-mlp-tiny']
    """
    check_file_name("name", name)
    base = _shipped_folder() if folder is None else Path(folder)
    if folder is not None and not base.is_dir():
        raise FileNotFoundError(f"folder={str(folder)!r} is not a folder: give the folder the "
                                "table was written to (nbtune.benchmarks.write's out)")
    json_file, csv_file = base / f"{name}.json", base / f"{name}.csv.gz"
    if not json_file.is_file():
        known = names(folder)
        fix = f"give one of {known}" if known else "write one there with nbtune.benchmarks.write"
        raise ValueError(f"name={name!r}: no benchmark of that name in {base}; {fix}")
    remake = _remake(name, folder)
    if not csv_file.is_file():
        raise FileNotFoundError(f"{csv_file} is missing (its {json_file.name} is there): {remake}")
    key = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in (json_file, csv_file))
    if key not in _LOADED:
        _LOADED[key] = _read_table(name, json_file, csv_file, remake)
    bench = _LOADED[key]
    # a copy for each caller: editing one's tables never changes what the next load gives
    return dataclasses.replace(bench, configs=bench.configs.copy(), curves=bench.curves.copy(),
                               fits=bench.fits.copy(),
                               description=json.loads(json.dumps(bench.description)))


def _remake(name: str, folder: str | os.PathLike | None) -> str:
    if folder is None:
        return ("reinstall nbtune to restore the shipped table (pip install --force-reinstall "
                "nbtune), or remake it with `python -m nbtune tabulate`")
    return (f"remake it with nbtune.benchmarks.write(run_folder, {str(folder)!r}, {name!r}, "
            "overwrite=True) from its tabulate run folder")


def _read_table(name: str, json_file: Path, csv_file: Path, remake: str) -> Benchmark:
    """The table in ``json_file`` and ``csv_file``, checked; a ValueError naming the problem."""
    description = read_json(json_file, remake)
    problem = description_problem(description)
    if problem:
        raise ValueError(f"{json_file}: {problem}; {remake}")
    try:
        space = SearchSpace.from_dict(description["space"])
        if space.size > MAX_FITS:  # counted before the grid is built: an edited space can be huge
            raise ValueError(f"{space.size:,} configurations, more than a table holds")
        grid = [space.to_python(c) for c in ParameterGrid(space.grid())]
    except (ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"{json_file}: its space cannot be read ({exc}); {remake}") from exc
    data = csv_file.read_bytes()
    try:
        text = gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        raise ValueError(f"{csv_file} is not a whole gzip file ({exc}): it is damaged or "
                         f"truncated; {remake}") from exc
    try:
        curves = pd.read_csv(io.BytesIO(text))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{csv_file} is not a CSV table ({exc}); {remake}") from exc
    problem = curves_problem(curves, len(grid), description["seeds"], description["max_epochs"])
    if problem:  # said before a checksum mismatch: it says what is wrong
        raise ValueError(f"{csv_file}: {problem}; {remake}")
    if sha256_prefix(data) != description["csv_sha256"]:
        raise ValueError(f"{csv_file} is not the CSV its {json_file.name} describes (csv_sha256 "
                         f"{description['csv_sha256']}, the file's {sha256_prefix(data)}): it was "
                         f"changed after it was written; {remake}")
    problem = fits_problem(description["fits"], len(grid), description["seeds"])
    if problem:
        raise ValueError(f"{json_file}: {problem}; {remake}")
    configs = pd.DataFrame(grid)
    configs.insert(0, "config", np.arange(len(configs)))
    return Benchmark(name, space, configs, curves, pd.DataFrame(description["fits"]), description)
