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

import gzip
import hashlib
import io
import json
import os
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.model_selection import ParameterGrid

from nbtune.backend import cpu_name, library_versions
from nbtune.data import Dataset
from nbtune.search.fingerprint import run_fingerprint
from nbtune.search.runlog import RunLog
from nbtune.space import Choice, SearchSpace
from nbtune.training import engine
from nbtune.training.estimator import KerasClassifier

#: What the table holds per configuration, seed and epoch.
CURVE_COLUMNS = ("val_accuracy", "val_loss", "loss", "seconds")
_SHIPPED = "tables"  # the package folder of shipped benchmarks


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

    def config_of(self, params: dict[str, Any]) -> int:
        """The number of the configuration ``params`` (a KeyError names a value the table lacks)."""
        key = tuple(params[name] for name in self.space.names)
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"{params} is not a configuration of the {self.name} table; its space "
                           f"is {self.space}") from None

    @property
    def _index(self) -> dict[tuple, int]:
        def index() -> dict[tuple, int]:
            rows = self.configs[list(self.space.names)].itertuples(index=False, name=None)
            return {tuple(row): number for number, row in zip(self.configs["config"], rows)}

        return self._cached("_index_cache", index)

    def mean_curve(self, config: int) -> np.ndarray:
        """A configuration's validation accuracy per epoch, averaged over the seeds."""
        def means() -> dict[int, np.ndarray]:
            table = self.curves.groupby(["config", "epoch"])["val_accuracy"].mean()
            return {int(c): g.to_numpy() for c, g in table.groupby(level="config")}

        return self._cached("_mean_cache", means)[config]

    def curve(self, config: int, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
        """(validation accuracy per epoch, seconds per epoch, fixed seconds) of one fit."""
        def curves() -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray, float]]:
            ordered = self.curves.sort_values(["config", "seed", "epoch"])
            builds = {(f.config, f.seed): float(f.build_seconds) for f in self.fits.itertuples()}
            return {(int(c), int(s)): (g["val_accuracy"].to_numpy(), g["seconds"].to_numpy(),
                                       builds[(c, s)])
                    for (c, s), g in ordered.groupby(["config", "seed"])}

        return self._cached("_curve_cache", curves)[(config, seed)]

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
                             f"table; its dimensions are {list(self.space.names)}")
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

        Examples
        --------
        >>> bool(load("digits-mlp-tiny").true_best()["val_accuracy"] > 0.5)
        True
        """
        epochs = self.max_epochs if epochs is None else epochs
        at = self.curves[self.curves["epoch"] == epochs]
        means = at.groupby("config")["val_accuracy"].mean()
        best = int(means.idxmax())
        row = self.configs.set_index("config").loc[best]
        return pd.Series({"config": best, **row.to_dict(), "val_accuracy": float(means[best])})


# ------------------------------------------------------------------ tabulating
def _train_one(job: int, params: dict, seed: int, build_fn: Callable, dataset: Dataset,
               max_epochs: int, batch_size: int) -> dict:
    """Train one configuration with one seed to ``max_epochs``: its curves and test accuracy."""
    from nbtune.training.callbacks import EpochLog  # deferred: it imports Keras

    recorder = EpochLog(keys=("val_accuracy", "val_loss", "loss"))
    settings = {"batch_size": batch_size, **params}
    started = time.perf_counter()
    with engine.frozen_heap():
        estimator = KerasClassifier(build_fn, epochs=max_epochs, random_state=seed, **settings)
        estimator.fit(*dataset.train, validation_data=dataset.validation, callbacks=[recorder])
    return {"trial": job, "seed": seed, **params, "curves": recorder.rows,
            "build_seconds": recorder.train_began - started,
            "test_accuracy": float(estimator.score(*dataset.test))}


def tabulate(space: SearchSpace, build_fn: Callable, dataset: Dataset, *, directory: str,
             project_name: str = "table", seeds: Sequence[int] = (0, 1, 2), max_epochs: int = 27,
             batch_size: int = 32, resume: bool = False, overwrite: bool = False,
             n_jobs: int | None = None, progress: Callable[[int, int], None] | None = None) -> Path:
    """Train every configuration of ``space`` with every seed; the run folder holding the table.

    Each fit (one configuration, one seed) is one line of the run folder's
    ``trials.jsonl`` as it finishes, so ``resume=True`` carries on after a stop.
    Turn the folder into shipped files with :func:`write`.

    Parameters
    ----------
    space : SearchSpace
        Finite (its grid is every configuration).
    build_fn : callable
        As the searches take it; compiled with an ``accuracy`` metric.
    dataset : nbtune.data.Dataset
        Train, validation and test splits.
    directory, project_name, resume, overwrite
        The run folder, as in :func:`nbtune.grid_search`.
    seeds : sequence of int, default (0, 1, 2)
    max_epochs : int, default 27
    batch_size : int, default 32
        When the space has no ``batch_size``.
    n_jobs : int, optional
        Worker processes, as in :func:`nbtune.grid_search`.
    progress : callable, optional
        ``progress(done, total)`` after each fit.

    Returns
    -------
    Path
        The run folder.
    """
    configs = list(ParameterGrid(space.grid()))
    jobs = [(number, space.to_python(config), seed)
            for number, (config, seed) in enumerate((c, s) for c in configs for s in seeds)]
    header = run_fingerprint("tabulate", space, data=[*dataset.train, *dataset.validation,
                                                      *dataset.test],
                             settings={"max_epochs": max_epochs, "seeds": str(list(seeds)),
                                       "batch_size": batch_size}, build_fn=build_fn)
    log = RunLog(directory, project_name, header)
    done = {r["trial"] for r in log.start(resume=resume, overwrite=overwrite)}
    todo = [job for job in jobs if job[0] not in done]
    try:
        outcomes = Parallel(n_jobs=n_jobs or 1, return_as="generator_unordered")(
            delayed(_train_one)(number, params, seed, build_fn, dataset, max_epochs, batch_size)
            for number, params, seed in todo)
        for finished, record in enumerate(outcomes, start=len(done) + 1):
            log.append(record)
            if progress is not None:
                progress(finished, len(jobs))
    finally:
        log.close()
    return log.folder


# ------------------------------------------------------------------ the files
def write(folder: str | os.PathLike, out: str | os.PathLike, name: str, *,
          about: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Write the run folder of :func:`tabulate` as ``out/<name>.json`` and ``out/<name>.csv.gz``.

    The CSV holds one row per configuration, seed and epoch; the JSON the space,
    the fits' fixed costs and test accuracies, and ``about`` (data, build
    function, machine, date, versions).
    """
    folder, out = Path(folder), Path(out)
    header = json.loads((folder / "run.json").read_text())
    records = [json.loads(line) for line in (folder / "trials.jsonl").read_text().splitlines() if line]
    paused = _paused_fits(records)
    if paused:
        raise ValueError(
            f"fits {paused} of {folder} have an epoch that took over {_PAUSE_SECONDS:g} s and "
            f"{_PAUSE_FACTOR:g} times the fit's median epoch: the machine was paused or stopped "
            "during them, and their seconds would be wrong in every replay. Remove their lines "
            "from trials.jsonl and run the same command with --resume to train them again")
    space = SearchSpace.from_dict(header["space"])
    configs = [space.to_python(c) for c in ParameterGrid(space.grid())]
    number = {tuple(c[n] for n in space.names): i for i, c in enumerate(configs)}
    curves, fits = [], []
    for record in sorted(records, key=lambda r: r["trial"]):
        config = number[tuple(record[n] for n in space.names)]
        fits.append({"config": config, "seed": record["seed"],
                     "build_seconds": round(record["build_seconds"], 4),
                     "test_accuracy": record["test_accuracy"]})
        curves += [{"config": config, "seed": record["seed"], **row} for row in record["curves"]]
    table = pd.DataFrame(curves).round({"val_loss": 5, "loss": 5, "seconds": 5, "val_accuracy": 6})
    out.mkdir(parents=True, exist_ok=True)
    csv_path, json_path = out / f"{name}.csv.gz", out / f"{name}.json"
    with gzip.open(csv_path, "wt", compresslevel=9) as handle:
        table.to_csv(handle, index=False)
    description = {
        "name": name, "space": header["space"], "configs": len(configs),
        "seeds": sorted({r["seed"] for r in records}), "max_epochs": int(table["epoch"].max()),
        "fits": fits, "fingerprint": header, "versions": library_versions(),
        "machine": {"nproc": os.cpu_count(), "cpu": cpu_name(),
                    "python": platform.python_version()},
        "fit_seconds_total": round(sum(r["build_seconds"] + sum(c["seconds"] for c in r["curves"])
                                       for r in records)),
        "written": time.strftime("%Y-%m-%d"),
        "csv_sha256": hashlib.sha256(csv_path.read_bytes()).hexdigest()[:16],
        **(about or {}),
    }
    json_path.write_text(json.dumps(description, indent=1))
    return json_path, csv_path


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


def names() -> list[str]:
    """The benchmarks shipped with nbtune."""
    folder = resources.files("nbtune.benchmarks").joinpath(_SHIPPED)
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


def load(name: str, *, folder: str | os.PathLike | None = None) -> Benchmark:
    """A benchmark by name: shipped with nbtune, or written by :func:`write` into ``folder``."""
    base = resources.files("nbtune.benchmarks").joinpath(_SHIPPED) if folder is None else Path(folder)
    json_file, csv_file = base.joinpath(f"{name}.json"), base.joinpath(f"{name}.csv.gz")
    if not json_file.is_file():
        known = names() if folder is None else sorted(p.stem for p in Path(folder).glob("*.json"))
        raise ValueError(f"no benchmark {name!r} in {base}; there are {known}")
    description = json.loads(json_file.read_text())
    curves = pd.read_csv(io.BytesIO(gzip.decompress(csv_file.read_bytes())))
    space = SearchSpace.from_dict(description["space"])
    configs = pd.DataFrame([space.to_python(c) for c in ParameterGrid(space.grid())])
    configs.insert(0, "config", np.arange(len(configs)))
    return Benchmark(name, space, configs, curves, pd.DataFrame(description["fits"]), description)
