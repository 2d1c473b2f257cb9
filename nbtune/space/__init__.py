"""The space wing: what a search may try.

* :mod:`nbtune.space.dimensions`: the value types :class:`Int`, :class:`Float`,
  :class:`Choice` and :class:`Fixed`;
* :mod:`nbtune.space.search_space`: :class:`SearchSpace`, an ordered set of
  them that speaks to scikit-learn and keras-tuner;
* :mod:`nbtune.space.build_fns`: keras-tuner style build functions
  (``build(hp)``, ``HyperModel``) read as dimensions and called with keywords;
* :mod:`nbtune.space.edges`: the boundary rule, whether a best value sits at
  the edge of its range (:meth:`SearchSpace.edges`).

Imports flow one way: ``search_space`` uses ``build_fns`` and ``edges``,
which use ``dimensions``. Nothing here imports TensorFlow when imported.

Examples
--------
>>> from nbtune.space import Choice, Int, SearchSpace
>>> SearchSpace(Int("units", 16, 64, step=16), Choice("learning_rate", [1e-2, 1e-3])).size
8
"""

from nbtune.space.dimensions import Choice, Dimension, Fixed, Float, Int, LogUniformInt
from nbtune.space.edges import EdgeWarning
from nbtune.space.search_space import SearchSpace

__all__ = ["Choice", "Dimension", "EdgeWarning", "Fixed", "Float", "Int", "LogUniformInt",
           "SearchSpace"]
