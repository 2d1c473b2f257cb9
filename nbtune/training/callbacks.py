"""Keras callbacks for notebooks.

:class:`ClearTrainingOutput` is the lesson's callback done right: the
original ``def on_train_end(*args, **kwargs)`` had no ``self`` and only worked
by accident. :class:`EpochLog` times each epoch of a fit (what
:func:`nbtune.measure_speed` measures); :class:`FitTimer` times a whole fit
without stopping a one-call fit (what the tabulated benchmarks measure).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from nbtune.arguments import check_flag
from nbtune.backend import import_keras
from nbtune.display import in_notebook

keras = import_keras()  # a Callback subclass needs Keras now; nbtune imports this module lazily


class ClearTrainingOutput(keras.callbacks.Callback):
    """Clear the notebook cell's output when a training run ends.

    Pass it to ``fit`` or to a keras-tuner ``search`` so that the progress bars
    of one model (or one trial) do not pile up in the cell.  Outside a Jupyter
    kernel (a script, a test) it does nothing.

    Parameters
    ----------
    wait : bool, default True
        Wait until new output arrives before clearing, so the cell does not
        flicker (``IPython.display.clear_output(wait=True)``).

    Attributes
    ----------
    cleared : int
        How many times the output was cleared (0 outside a notebook).

    Examples
    --------
    >>> import numpy as np, keras
    >>> from nbtune import ClearTrainingOutput
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    >>> model.compile("adam", "mse")
    >>> history = model.fit(np.zeros((8, 4)), np.zeros(8), epochs=1, verbose=0,
    ...                     callbacks=[ClearTrainingOutput()])
    """

    # never reads val_* logs: nbtune's keras-tuner trials need not evaluate every epoch
    uses_validation_data = False
    # acts only when training ends: a fit with it may run in one call (nbtune.training.graph_fit)
    _nbtune_graph_safe = True

    def __init__(self, wait: bool = True):
        super().__init__()
        self.wait = check_flag("wait", wait)
        self.cleared = 0

    def on_train_end(self, logs=None):
        if in_notebook():
            from IPython.display import clear_output

            clear_output(wait=self.wait)
            self.cleared += 1


class EpochLog(keras.callbacks.Callback):
    """Time each epoch of a fit and keep the logged values named in ``keys``.

    Parameters
    ----------
    keys : sequence of str, default ()
        Logs to keep per epoch, e.g. ``("val_accuracy", "loss")``.

    Attributes
    ----------
    rows : list of dict
        One per epoch: ``epoch`` (from 1), ``seconds`` and each of ``keys``.
    train_began : float or None
        ``time.perf_counter()`` when training began (after the model was built).

    Examples
    --------
    >>> import numpy as np, keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    >>> model.compile("adam", "mse")
    >>> log = EpochLog(keys=("loss",))
    >>> history = model.fit(np.zeros((8, 4)), np.zeros(8), epochs=2, verbose=0, callbacks=[log])
    >>> [sorted(row) for row in log.rows]
    [['epoch', 'loss', 'seconds'], ['epoch', 'loss', 'seconds']]
    """

    def __init__(self, keys: Sequence[str] = ()) -> None:
        super().__init__()
        self.keys = tuple(keys)
        self.rows: list[dict] = []
        self.train_began: float | None = None

    def on_train_begin(self, logs=None):
        self.train_began = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_began = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.rows.append({"epoch": epoch + 1, "seconds": time.perf_counter() - self._epoch_began,
                          **{k: float(logs[k]) for k in self.keys}})


class FitTimer(keras.callbacks.Callback):
    """When a fit's training began and ended (``time.perf_counter()``), on either fit path.

    Unlike :class:`EpochLog` it needs nothing between epochs, so a fit with it
    still runs in one graph call (:mod:`nbtune.training.graph_fit`).

    Attributes
    ----------
    began, ended : float or None
        Set by ``on_train_begin`` and ``on_train_end``.

    Examples
    --------
    >>> import numpy as np, keras
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    >>> model.compile("adam", "mse")
    >>> timer = FitTimer()
    >>> history = model.fit(np.zeros((8, 4)), np.zeros(8), epochs=2, verbose=0, callbacks=[timer])
    >>> timer.ended >= timer.began
    True
    """

    _nbtune_graph_safe = True  # acts only when training begins and ends

    def __init__(self) -> None:
        super().__init__()
        self.began: float | None = None
        self.ended: float | None = None

    def on_train_begin(self, logs=None):
        self.began = time.perf_counter()

    def on_train_end(self, logs=None):
        self.ended = time.perf_counter()
