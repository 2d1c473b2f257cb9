"""The search wing: which trials run, how each is scored, what is kept.

A search helper call walks these modules in this order:

* :mod:`nbtune.search.helpers`: the public helpers (:func:`grid_search`,
  :func:`random_search`, :func:`hyperband`, :func:`bayesian`,
  :func:`successive_halving`, :func:`compare`);
* :mod:`nbtune.search.checks`: every argument checked, and the data prepared
  once (a :class:`~nbtune.search.checks.Prepared`), before anything trains;
* :mod:`nbtune.search.pipeline`: the one path every search takes, whose only
  varying part is the evaluator;
* :mod:`nbtune.search.strategies`: the registry, one entry per strategy (its
  labels, colour, budget, plan and proposer);
* :mod:`nbtune.search.proposers`: which configuration to try next
  (scikit-learn's grid and sampler, keras-tuner's oracles, successive halving),
  with the schedules of :mod:`nbtune.search.schedule`;
* :mod:`nbtune.search.trial_loop`: the one loop: progress, Stop, failures,
  the run folder (:mod:`nbtune.search.runlog`, :mod:`nbtune.search.fingerprint`);
* :mod:`nbtune.search.evaluators`: a trial scored by cross-validation or on a
  holdout, through the training wing;
* :mod:`nbtune.search.results`: :class:`SearchResult`, the trials table;
* :mod:`nbtune.search.cost`: what a search will spend, before it runs.

It imports the training and space wings and the shared modules, never the
benchmarks, plots, widgets or lessons. Nothing here imports TensorFlow when
imported.

Examples
--------
>>> from nbtune.search import strategies
>>> strategies.names()
('grid', 'random', 'hyperband', 'bayesian', 'successive_halving')
"""
