"""The analysis wing: what a table of scores says about the space, before and after a search.

* :mod:`nbtune.analysis.scores`: the one table every analysis reads (a
  benchmark's seed means, a search's trials);
* :mod:`nbtune.analysis.importance`: :func:`importance`, each hyperparameter's
  share of the score's variance (exact functional ANOVA on a grid, a random
  forest's on any trials);
* :mod:`nbtune.analysis.isolation`: :func:`isolation`, the Playbook's
  scientific / nuisance / fixed comparison;
* :mod:`nbtune.analysis.lr_range`: :func:`lr_range_test`, a learning-rate
  range test (handson-ml3's), trained live;
* :mod:`nbtune.analysis.parallel`: :func:`parallel_coordinates`, the lines of
  the view every tracking tool opens with;
* :mod:`nbtune.analysis.sampling`: :func:`sampling_spread`, "have we sampled
  enough?" from replays.

It reads tabulated benchmarks without importing the benchmarks wing (a
benchmark is recognised by what it holds), so the plots may draw its tables.
The draw functions are in :mod:`nbtune.plots.tuning`.

Examples
--------
>>> from nbtune import analysis, benchmarks
>>> analysis.importance(benchmarks.load("digits-mlp"), epochs=9)["parameter"].iloc[0]
'learning_rate'
"""

from nbtune.analysis.importance import importance
from nbtune.analysis.isolation import at_fixed, isolation
from nbtune.analysis.lr_range import lr_range_test, suggest_rate
from nbtune.analysis.parallel import parallel_coordinates
from nbtune.analysis.sampling import sampling_spread, spread_summary
from nbtune.analysis.scores import scores_of

__all__ = ["at_fixed", "importance", "isolation", "lr_range_test", "parallel_coordinates",
           "sampling_spread", "scores_of", "spread_summary", "suggest_rate"]
