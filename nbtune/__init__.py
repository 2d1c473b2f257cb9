"""nbtune: learn hyperparameter tuning of Keras models in Jupyter.

Grid search, random search, Hyperband, Bayesian optimisation and successive
halving over one search space, with results you can compare side by side.

Importing nbtune is instant: TensorFlow, Keras and keras-tuner are imported
only when a name that needs them is first used.

Examples
--------
>>> import nbtune
>>> space = nbtune.SearchSpace(nbtune.Int("units", 16, 64, step=16),
...                            nbtune.Choice("learning_rate", [1e-2, 1e-3]))
>>> space.size
8
"""

from __future__ import annotations

import importlib
import importlib.metadata
from typing import Any

try:  # the version is written once, in pyproject.toml, and read from the installed metadata
    __version__ = importlib.metadata.version("nbtune")
except importlib.metadata.PackageNotFoundError:  # a checkout on sys.path, never installed
    __version__ = "0+unknown"

# public name -> module that defines it (imported on first use)
_LAZY = {
    "SearchSpace": "nbtune.space",
    "Int": "nbtune.space",
    "Float": "nbtune.space",
    "Choice": "nbtune.space",
    "Fixed": "nbtune.space",
    "KerasClassifier": "nbtune.training.estimator",
    "KerasRegressor": "nbtune.training.estimator",
    "grid_search": "nbtune.search.helpers",
    "random_search": "nbtune.search.helpers",
    "hyperband": "nbtune.search.helpers",
    "bayesian": "nbtune.search.helpers",
    "successive_halving": "nbtune.search.helpers",
    "replay": "nbtune.benchmarks.replays",
    "compare": "nbtune.search.helpers",
    "SearchResult": "nbtune.search.results",
    "ClearTrainingOutput": "nbtune.training.callbacks",
    "SpaceEditor": "nbtune.ui.editor",
    "measure_speed": "nbtune.training.speed",
    "SearchPanel": "nbtune.ui.panel",
    "hyperband_schedule": "nbtune.search.schedule",
    "importance": "nbtune.analysis.importance",
    "isolation": "nbtune.analysis.isolation",
    "lr_range_test": "nbtune.analysis.lr_range",
    "parallel_coordinates": "nbtune.analysis.parallel",
    "sampling_spread": "nbtune.analysis.sampling",
    "set_language": "nbtune.language",
    "serve_class": "nbtune.classroom",
    "join_class": "nbtune.classroom",
}
#: the shared modules and the wings (``import nbtune`` imports none of them)
_SUBMODULES = (
    "backend", "formatting", "display", "data", "language",
    "space", "training", "search", "analysis", "benchmarks", "plots", "ui", "classroom", "lessons",
)

__all__ = sorted(_LAZY) + ["data"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"nbtune.{name}")
    raise AttributeError(f"module 'nbtune' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(_SUBMODULES))
