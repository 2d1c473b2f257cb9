"""Every private name of another library that nbtune touches, in one place.

Each function reaches one private name, says why nbtune needs it, the versions
it was checked on and the upstream issue, and degrades to a safe default when a
new release has moved the name (nbtune then works as without the lever: slower
or using more memory, never wrong). ``tests/test_compat.py`` fails when one of
them stops finding its name on the installed versions, so a release that moves
one is noticed.

Examples
--------
>>> from nbtune.training import compat
>>> isinstance(compat.tensorflow_gradient_registry(), dict)
True
>>> import keras_tuner as kt
>>> compat.in_memory_oracle(kt.oracles.BayesianOptimizationOracle).__name__
'InMemoryBayesianOptimizationOracle'
"""

from __future__ import annotations

import contextlib
import functools
import random
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import Any

from nbtune.backend import import_keras, import_keras_tuner, import_tensorflow


def tensorflow_gradient_registry() -> dict[str, Any] | None:
    """TensorFlow's global registry of traced gradients (name -> gradient function), or None.

    ``tf.custom_gradient`` adds an entry for every traced gradient and never
    removes it; each entry keeps its whole graph alive (tensorflow/tensorflow#27492,
    #97697; keras-team/tf-keras#898), about 4.5 MB per new Keras model.
    :mod:`nbtune.training.engine` removes a model's entries when the model is collected.
    Private: ``tensorflow.python.framework.ops._gradient_registry._registry``,
    checked on TensorFlow 2.16 to 2.21. None if a release has moved it (then
    nothing is pruned).
    """
    import_tensorflow()
    from tensorflow.python.framework import ops  # private module: deferred on purpose

    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    return registry if isinstance(registry, dict) else None


@functools.cache
def in_memory_oracle(oracle_class: type) -> type:
    """A subclass of a keras-tuner oracle that keeps its trials in memory, quietly.

    An oracle writes ``oracle.json`` and ``trial_*/trial.json`` after every
    step into the project folder its Tuner gives it through the private
    ``Oracle._set_project_dir``. nbtune drives oracles without a Tuner
    (:class:`nbtune.search.proposers.OracleProposer`) and keeps its own run folder
    (``trials.jsonl``), so the subclass writes nothing: it overrides the public
    ``save`` and the private ``_save_trial`` (keras-tuner 1.4.7 and 1.4.8,
    ``keras_tuner/src/engine/oracle.py``: keras-tuner has no public way to run
    an oracle without a project folder). It also
    turns off the oracle's printed trial table (``verbose = 0``). If a release
    renames ``_save_trial``, the oracle is given a temporary folder to write to
    instead (slower, the same proposals).

    Examples
    --------
    >>> import keras_tuner as kt
    >>> oracle = in_memory_oracle(kt.oracles.HyperbandOracle)(
    ...     objective=kt.Objective("score", "max"), max_epochs=3, factor=3,
    ...     hyperparameters=kt.HyperParameters())
    >>> oracle.verbose
    0
    """
    import_keras_tuner()
    saves_trials = callable(getattr(oracle_class, "_save_trial", None))

    class InMemory(oracle_class):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.verbose = 0
            if not saves_trials:  # a release without _save_trial: give it a folder
                self._set_project_dir(tempfile.mkdtemp(prefix="nbtune-oracle-"), "oracle")

        def save(self) -> None:
            if not saves_trials:
                super().save()

        def _save_trial(self, trial: Any) -> None:  # private in keras-tuner: see above
            """Nothing: nbtune's trial loop records the trials."""

    InMemory.__name__ = InMemory.__qualname__ = f"InMemory{oracle_class.__name__}"
    return InMemory


_THREAD = threading.local()  # this thread's stream of Keras default seeds (keras_seeds)


def fresh_keras_state(seed: int | None, *, clear_caches: bool = False) -> None:
    """Keras's ``clear_session()`` then ``set_random_seed(seed)``; TensorFlow's caches only if asked.

    Both Keras functions also empty TensorFlow's cache of prepared graphs
    (``clear_session`` calls ``context().clear_kernel_cache()``;
    ``tf.random.set_seed`` clears the same caches, ``Context._set_global_seed``),
    so the next call of every traced function prepares its graph again (about
    0.14 s each). nbtune starts each new model from a fresh Keras state, and
    with one-call fits nothing reads TensorFlow's global seed (weights, dropout
    and batch orders all draw from stateless ops seeded per trial). Emptying
    the caches only when they hold a collected model's graphs
    (``clear_caches``, :func:`nbtune.training.engine.traced_models_collected`)
    halves lesson 04's comparison (22.7 s to about 11 s, 2 cores, 2026-12-07);
    emptying them never lets memory grow by about 7 MB per collected model
    (``tests/test_engine.py``). Otherwise this resets what the two functions
    reset apart from the caches: Keras's global state (layer names, the global
    ``SeedGenerator``) and, with a seed, Python's and NumPy's global seeds and
    Keras's recorded global seed. Private:
    ``keras.src.backend.common.global_state.GLOBAL_STATE_TRACKER`` and
    ``GLOBAL_SETTINGS_TRACKER``, checked on Keras 3.7 to 3.15; if a release
    has moved them, Keras's own two functions run (slower, never wrong).
    Keras's ``fit`` still needs ``set_random_seed`` (its ``tf.data`` shuffle
    reads TensorFlow's global seed): the estimator calls it on that path.

    Examples
    --------
    >>> import keras
    >>> _ = keras.layers.Dense(2)
    >>> fresh_keras_state(3)
    >>> keras.layers.Dense(2).name
    'dense'
    """
    keras = import_keras()
    from keras.src.backend.common import global_state  # private module: deferred on purpose

    if not all(hasattr(global_state, name)
               for name in ("GLOBAL_STATE_TRACKER", "GLOBAL_SETTINGS_TRACKER")):
        keras.backend.clear_session()
        if seed is not None:
            keras.utils.set_random_seed(seed)
        return
    if clear_caches:
        keras.backend.clear_session()  # the global state, TensorFlow's caches, then gc
    else:
        global_state.GLOBAL_STATE_TRACKER = threading.local()
        global_state.GLOBAL_SETTINGS_TRACKER = threading.local()
    if seed is not None:
        import numpy as np

        global_state.set_global_attribute("global_random_seed", seed)
        random.seed(seed)
        np.random.seed(seed)


@functools.cache
def _thread_default_seeds() -> bool:
    """Point Keras's ``make_default_seed`` at this thread's stream, wherever it is bound.

    Keras draws a default seed for every weight initialiser and ``Dropout``
    without one from Python's process-global ``random``
    (``keras.src.random.seed_generator.make_default_seed``, checked on Keras
    3.7 to 3.15; the TensorFlow backend's ``random`` module binds the same
    function by name), so any other thread's ``random.random()`` moves them:
    keras-team/keras has no per-call or per-thread default-seed hook. The
    stand-in draws as Keras does, ``randint(1, 10**9)``, from the stream
    :func:`keras_seeds` opened in this thread, and calls Keras's own function
    everywhere else. False if a release has moved the name (then seeds are
    drawn as Keras draws them).
    """
    import_keras()
    from keras.src.random import seed_generator  # private module: deferred on purpose

    original = getattr(seed_generator, "make_default_seed", None)
    if not callable(original):
        return False

    def make_default_seed() -> int:
        stream = getattr(_THREAD, "seeds", None)
        return original() if stream is None else stream.randint(1, int(1e9))

    for module in list(sys.modules.values()):
        if (getattr(module, "__name__", "").startswith("keras.src")
                and getattr(module, "make_default_seed", None) is original):
            module.make_default_seed = make_default_seed
    return True


@contextlib.contextmanager
def keras_seeds(seed: int | None) -> Iterator[None]:
    """Inside, the Keras default seeds this thread draws come from ``random.Random(seed)``.

    They are the seeds Keras would draw right after ``random.seed(seed)`` (so
    scores are those of ``keras.utils.set_random_seed(seed)`` followed by the
    same build), but no other thread's draws can move them. ``seed=None``
    changes nothing.

    Examples
    --------
    >>> import keras
    >>> with keras_seeds(7):
    ...     first = keras.layers.Dropout(0.5).seed_generator.state.numpy().tolist()
    >>> with keras_seeds(7):
    ...     again = keras.layers.Dropout(0.5).seed_generator.state.numpy().tolist()
    >>> first == again
    True
    """
    if seed is None or not _thread_default_seeds():
        yield
        return
    previous = getattr(_THREAD, "seeds", None)
    _THREAD.seeds = random.Random(seed)
    try:
        yield
    finally:
        _THREAD.seeds = previous


def active_joblib_backend() -> tuple[str, Any]:
    """The backend of an enclosing ``joblib.parallel_config``: its kind and its Dask client.

    scikit-learn's convention for choosing where work runs is joblib's
    backend (``with joblib.parallel_config(backend="dask"): search.fit(...)``);
    nbtune follows it. joblib has no public way to ask which backend is active:
    ``joblib.parallel.get_active_backend`` (checked on joblib 1.3 to 1.6) is
    the function its own ``Parallel`` calls, and the Dask backend keeps its
    ``distributed.Client`` as ``.client``. The kind is ``"dask"``,
    ``"sequential"`` or ``"processes"`` (loky, joblib's default, and anything
    else); the client is None but for ``"dask"``.

    Examples
    --------
    >>> active_joblib_backend()
    ('processes', None)
    """
    from joblib import parallel  # deferred: nothing of joblib is needed at import

    get_active_backend = getattr(parallel, "get_active_backend", None)
    if not callable(get_active_backend):
        return "processes", None
    backend, _ = get_active_backend()
    kind = type(backend).__name__
    if kind == "DaskDistributedBackend":
        return "dask", getattr(backend, "client", None)
    return ("sequential" if kind == "SequentialBackend" else "processes"), None


def keras_tuner_service() -> Any:
    """keras-tuner's gRPC oracle service: the servicer, its stub, its messages and its Trial.

    keras-tuner serves an oracle to its workers over gRPC
    (``keras_tuner/src/distribute/oracle_chief.py``: ``OracleServicer``; the
    generated ``keras_tuner/src/protos/v4`` (or ``v3``) ``service_pb2`` and
    ``service_pb2_grpc`` behind ``keras_tuner.src.protos.get_service()`` and
    ``get_service_grpc()``), checked on keras-tuner 1.4.7 and 1.4.8. All of it is
    private: keras-tuner's only public way in is ``start_server``, which blocks,
    polls every 20 s and reads its address from environment variables
    (keras-team/keras-tuner#990). :mod:`nbtune.classroom` runs the same servicer
    on a server of its own. There is no safe default to fall back on, so a
    release that has moved a name raises ImportError, naming the version to install.

    Returns
    -------
    types.SimpleNamespace
        ``servicer`` (the OracleServicer class), ``add_servicer(servicer, server)``,
        ``stub(channel)``, ``messages`` (the request and response classes:
        ``messages.CreateTrialRequest``...) and ``trial`` (keras-tuner's Trial class,
        with ``from_proto`` and ``to_proto``).

    Examples
    --------
    >>> service = keras_tuner_service()
    >>> service.servicer.__name__, service.messages.CreateTrialRequest(tuner_id="ann").tuner_id
    ('OracleServicer', 'ann')
    """
    import types

    kt = import_keras_tuner()
    try:  # private modules: deferred on purpose
        from keras_tuner.src import protos
        from keras_tuner.src.distribute import oracle_chief

        grpc_module = protos.get_service_grpc()
        return types.SimpleNamespace(
            servicer=oracle_chief.OracleServicer,
            add_servicer=grpc_module.add_OracleServicer_to_server,
            stub=grpc_module.OracleStub,
            messages=protos.get_service(),
            trial=kt.engine.trial.Trial,
        )
    except (ImportError, AttributeError) as exc:
        raise ImportError(
            f"a class on one search runs on keras-tuner's gRPC oracle service, which keras-tuner "
            f"{getattr(kt, '__version__', '?')} has moved ({exc}); nbtune was checked on "
            "keras-tuner 1.4.7 and 1.4.8: pip install 'keras-tuner==1.4.8'"
        ) from exc
