"""The training wing: a Keras model trained the way scikit-learn and the searches expect.

* :mod:`nbtune.training.estimator`: :class:`KerasClassifier` and
  :class:`KerasRegressor`, scikit-learn estimators around a build function;
* :mod:`nbtune.training.routing`: which keyword goes to the build function,
  which to ``fit``;
* :mod:`nbtune.training.fit_checks`: every fit setting and weight checked
  before a model is built;
* :mod:`nbtune.training.callbacks`: :class:`ClearTrainingOutput` and the
  per-epoch log the benchmarks and ``measure_speed`` read;
* :mod:`nbtune.training.engine`: the speed levers (a model built and traced
  once per configuration, steps per call, the model pool);
* :mod:`nbtune.training.twins`: models that differ only in the learning rate
  share one traced model;
* :mod:`nbtune.training.graph_fit`: a whole fit (every epoch and batch) in one
  traced call, when nothing needs Python between epochs;
* :mod:`nbtune.training.branches`: many small dense networks stacked into one
  model and trained side by side, each as it would train alone;
* :mod:`nbtune.training.side_by_side`: a search's estimators fitted as such
  branches where they can (grid and random search), each alone otherwise;
* :mod:`nbtune.training.compat`: shims over Keras and keras-tuner versions;
* :mod:`nbtune.training.speed`: :func:`measure_speed`, one model timed.

It imports the space wing and the shared modules (``backend``, ``formatting``,
``display``), never the searches. Nothing here imports TensorFlow when
imported.

Examples
--------
>>> from nbtune.training.routing import build_args
>>> def create_model(units=64, learning_rate=1e-3): ...
>>> build_args(create_model)
(['units', 'learning_rate'], False)
"""
