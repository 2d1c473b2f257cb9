"""The benchmarks wing: tabulated learning curves, and searches replayed over them.

* :mod:`nbtune.benchmarks.table`: a :class:`Benchmark` (every configuration's
  curves, per seed), :func:`tabulate` to make one by training, :func:`load`
  and :func:`names` for the shipped ones (data in ``nbtune/benchmarks/tables``);
* :mod:`nbtune.benchmarks.replays`: :func:`nbtune.replay`, the registry's
  strategies run on a table, each trial's score read instead of trained;
* :mod:`nbtune.benchmarks.files`: the checks a table's files pass when
  :func:`load` reads them (once) and before :func:`write` writes them.

It imports the search wing (its proposers and loop) and never the lessons:
the lessons' model reaches :func:`tabulate` as an argument.

Examples
--------
>>> from nbtune import benchmarks
>>> benchmarks.names()
['digits-mlp', 'digits-mlp-tiny']
>>> benchmarks.load("digits-mlp-tiny").space.names
('units', 'learning_rate', 'batch_size', 'dropout_rate')
"""

from nbtune.benchmarks.table import Benchmark, load, names, tabulate, write

__all__ = ["Benchmark", "load", "names", "tabulate", "write"]
