"""The one place nbtune imports TensorFlow, Keras and keras-tuner.

Every nbtune module that needs them calls :func:`import_tensorflow`,
:func:`import_keras` or :func:`import_keras_tuner` instead of an ``import``
statement. Each call does two things before the first import:

* **It keeps TensorFlow's start-up lines off stderr** (:func:`quiet_tensorflow`).
  TensorFlow 2.21 logs through absl, and writes every message logged before
  ``absl::InitializeLog()`` to stderr whatever ``TF_CPP_MIN_LOG_LEVEL`` says
  (abseil/abseil-cpp#1718, #1957; tensorflow/tensorflow#100442, #102212). The
  only message logged that early on a CPU is the oneDNN notice of
  ``tensorflow/core/util/port.cc``, printed once by each of two libraries, each
  time with absl's "All log messages before absl::InitializeLog() is called are
  written to STDERR". It is logged only when oneDNN's custom operations are on,
  so ``TF_ENABLE_ONEDNN_OPTS=0`` removes it (and the warning with it), and
  ``TF_CPP_MIN_LOG_LEVEL=3`` hides the later lines (the CPU feature notice).
  Seeded fits of nbtune's dense models give bit-identical losses with and
  without oneDNN's custom operations. Both are set as defaults in
  ``os.environ``: a value you set yourself wins, and worker processes
  (``n_jobs``) inherit them. The full ``tensorflow`` build (Colab's) logs more
  that early, which no setting hides: "Could not find cuda drivers on your
  machine, GPU will not be used" on a machine without a GPU, cuDNN/cuBLAS
  registration lines on one with a GPU. So TensorFlow is imported with the
  process's stderr (file descriptor 2, where the C++ code writes) pointed at
  the null device for the length of the import; Python's own ``sys.stderr``
  of a notebook kernel is not touched, and an import error is still raised.
* **It explains a missing TensorFlow**: nbtune names no TensorFlow distribution
  in its requirements (so it never replaces the one Colab ships); without one
  the ImportError says what to install (:data:`MISSING_TENSORFLOW`).

Importing this module imports none of them.

Examples
--------
>>> from nbtune.backend import import_keras
>>> keras = import_keras()
>>> keras.layers.Dense(4).units
4
"""

from __future__ import annotations

import contextlib
import importlib
import os
import platform
import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from types import ModuleType

#: The message of the ImportError raised when TensorFlow is not installed.
MISSING_TENSORFLOW = (
    "nbtune needs TensorFlow, which is not installed. Install it with "
    '`pip install "nbtune[tensorflow-cpu]"` (CPU only, smaller) or '
    '`pip install "nbtune[tensorflow]"` (with GPU support). On Google Colab '
    "TensorFlow is already installed: do not install it again."
)

#: Environment defaults that keep TensorFlow's start-up lines off stderr (see module notes).
QUIET_ENVIRONMENT = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def quiet_tensorflow() -> None:
    """Import TensorFlow without its start-up messages; call it before ``import keras``.

    Sets the defaults of :data:`QUIET_ENVIRONMENT` in ``os.environ`` (values
    already set are kept; processes started afterwards inherit them), then
    imports TensorFlow with the C++ side's stderr silenced (see the module
    notes), so that a later ``import keras`` prints nothing. Calling it after
    the first ``import tensorflow`` or ``import keras`` of the process changes
    nothing: the lines have been printed.

    Raises
    ------
    ImportError
        If TensorFlow is not installed (:data:`MISSING_TENSORFLOW`).

    Examples
    --------
    >>> from nbtune.backend import quiet_tensorflow
    >>> quiet_tensorflow()      # in a lesson's first cell, before `import keras`
    >>> import os
    >>> os.environ["TF_ENABLE_ONEDNN_OPTS"] in ("0", "1")
    True
    """
    for name, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    if "tensorflow" not in sys.modules:
        with _c_stderr_silenced():
            _import_explained("tensorflow")


@contextlib.contextmanager
def _c_stderr_silenced() -> Iterator[None]:
    """Point file descriptor 2 at the null device inside the block, then restore it."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no usable stderr (pythonw): nothing to hide
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def _missing_tensorflow(error: ModuleNotFoundError) -> bool:
    return error.name is not None and error.name.split(".")[0] == "tensorflow"


def _import_explained(name: str) -> ModuleType:
    """``import name``, with :data:`MISSING_TENSORFLOW` when TensorFlow is what is missing."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if _missing_tensorflow(error):
            raise ImportError(MISSING_TENSORFLOW, name="tensorflow") from error
        raise


def _import(name: str) -> ModuleType:
    quiet_tensorflow()
    return _import_explained(name)


def import_tensorflow() -> ModuleType:
    """Import TensorFlow quietly and return the module.

    Returns
    -------
    module
        ``tensorflow``.

    Raises
    ------
    ImportError
        If TensorFlow is not installed, with the pip command that installs it
        (:data:`MISSING_TENSORFLOW`).

    Examples
    --------
    >>> from nbtune.backend import import_tensorflow
    >>> tf = import_tensorflow()
    >>> int(tf.reduce_sum(tf.ones(3)))
    3
    """
    return _import("tensorflow")


def import_keras() -> ModuleType:
    """Import Keras quietly and return the module.

    Returns
    -------
    module
        ``keras`` (Keras 3, on the TensorFlow backend unless ``KERAS_BACKEND``
        says otherwise).

    Raises
    ------
    ImportError
        If TensorFlow is not installed (:data:`MISSING_TENSORFLOW`).

    Examples
    --------
    >>> from nbtune.backend import import_keras
    >>> keras = import_keras()
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> model.count_params()
    8
    """
    return _import("keras")


def import_keras_tuner() -> ModuleType:
    """Import keras-tuner quietly and return the module.

    Returns
    -------
    module
        ``keras_tuner``.

    Raises
    ------
    ImportError
        If TensorFlow is not installed (:data:`MISSING_TENSORFLOW`).

    Examples
    --------
    >>> from nbtune.backend import import_keras_tuner
    >>> kt = import_keras_tuner()
    >>> kt.HyperParameters().Int("units", 32, 64, step=32)
    32
    """
    return _import("keras_tuner")


def library_versions() -> dict[str, str]:
    """The installed versions of nbtune and the libraries that decide its results.

    Recorded with every file nbtune writes for others to read (lesson 04's
    precomputed results, tabulated benchmarks); a package not installed is left out.

    Examples
    --------
    >>> "nbtune" in library_versions()
    True
    """
    versions = {}
    for package in ("nbtune", "tensorflow-cpu", "tensorflow", "keras", "keras-tuner", "scikit-learn"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


def cpu_name() -> str:
    """The processor's model name (Linux's /proc/cpuinfo), else what platform knows.

    Recorded beside measured times (tabulated benchmarks, the lessons' times).

    Examples
    --------
    >>> isinstance(cpu_name(), str)
    True
    """
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable_cpus() -> int:
    """How many CPUs this process may run on (``taskset -c 0`` gives 1), not how many exist.

    Recorded beside measured times (the lessons' times, shipped results).

    Examples
    --------
    >>> usable_cpus() >= 1
    True
    """
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
