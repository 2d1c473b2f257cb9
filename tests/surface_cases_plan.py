"""Bad inputs to what a search costs and plans: grid_cost, comparison_cost, and searches
whose plan is too large to run.

Costs are arithmetic, so a 10**9-value dimension is counted, never listed. A search
whose plan is larger than a search runs unasked (10,000 trials, 1,000,000 epochs) is
refused before anything is built or trained, unless ``allow_large=True``; the cases that an older nbtune would have trained for hours run in
a subprocess (``isolated=True``), where :func:`refused_before_tensorflow` also tells
whether TensorFlow was imported before the refusal.
"""

import functools
import sys

# The subprocess of an isolated case imports this module before it limits its address
# space: what the calls use is loaded here, so that mapping a library is not what fails
# under the limit (TensorFlow is not among them: the searches import it only to train).
import scipy.stats  # noqa: F401
from surface_probe import Case

import nbtune.data  # noqa: F401
import nbtune.search.cost  # noqa: F401
import nbtune.search.helpers  # noqa: F401


# ----------------------------------------------------------------- costs
def grid_cost_cv_text(tmp):
    from nbtune import Int, SearchSpace
    from nbtune.search.cost import grid_cost

    return grid_cost(SearchSpace(Int("units", 1, 4)), cv="3")


def grid_cost_epochs_zero(tmp):
    from nbtune import Int, SearchSpace
    from nbtune.search.cost import grid_cost

    return grid_cost(SearchSpace(Int("units", 1, 4)), epochs=0)


def grid_cost_negative_speed(tmp):
    from nbtune import Int, SearchSpace
    from nbtune.search.cost import grid_cost

    return grid_cost(SearchSpace(Int("units", 1, 4)), seconds_per_epoch=-1, fit_overhead=1)


def grid_cost_nan_overhead(tmp):
    from nbtune import Int, SearchSpace
    from nbtune.search.cost import grid_cost

    return grid_cost(SearchSpace(Int("units", 1, 4)), seconds_per_epoch=0.1, fit_overhead=float("nan"))


def grid_cost_not_a_space(tmp):
    from nbtune.search.cost import grid_cost

    return grid_cost({"units": [1, 2]})


def grid_cost_billion_epochs(tmp):
    """An epochs dimension of 10^9 values: its mean is arithmetic; cv=1 is refused."""
    from nbtune import Int, SearchSpace
    from nbtune.search.cost import grid_cost

    return grid_cost(SearchSpace(Int("epochs", 1, 10**9)), cv=1)


def comparison_cost_not_a_dict(tmp):
    from nbtune import Int, SearchSpace
    from nbtune.search.cost import comparison_cost

    return comparison_cost(SearchSpace(Int("units", 1, 4)), ["grid"])


def comparison_cost_text_n_iter(tmp):
    from nbtune import Int, SearchSpace
    from nbtune.search.cost import comparison_cost

    return comparison_cost(SearchSpace(Int("units", 1, 4)), {"strategies": ["random"], "n_iter": "5"})


def comparison_cost_unknown_strategy(tmp):
    from nbtune import Int, SearchSpace
    from nbtune.search.cost import comparison_cost

    return comparison_cost(SearchSpace(Int("units", 1, 4)), {"strategies": ["grid", "randm"]})


def comparison_cost_halving_billion(tmp):
    """Successive halving's plan for max_epochs=10**9 is counted without sampling its 10**9
    configurations; then random search's n_iter as text is refused."""
    from nbtune import Int, SearchSpace
    from nbtune.search.cost import comparison_cost

    return comparison_cost(SearchSpace(Int("units", 1, 64)),
                           {"strategies": ["successive_halving", "random"], "max_epochs": 10**9,
                            "n_iter": "5"})


# ----------------------------------------------------------------- plans too large
def _tiny():
    import nbtune

    cancer = nbtune.data.load_breast_cancer()
    X, y = cancer.train
    return X[:60], y[:60]


def tiny_build(units=4, learning_rate=1e-3):
    import keras

    model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy")
    return model


class StopAtOnce:
    """A progress object whose Stop button is pressed from the start: a search that was not
    refused ends at its first trial boundary and returns, so the probe judges it accepted
    (silent), instead of training for hours."""

    def begin(self, *args, **kwargs):
        pass

    trial_done = end = begin

    def should_stop(self):
        return True


def refused_before_tensorflow(call):
    """In a fresh subprocess: a refusal that came after TensorFlow was imported leaves a
    file in ``tmp``, so the probe calls it late (the searches import it only to train)."""
    @functools.wraps(call)
    def wrapped(tmp):
        try:
            return call(tmp)
        except Exception:
            if "tensorflow" in sys.modules:
                (tmp / "tensorflow-was-imported").write_text("")
            raise
    return wrapped


@refused_before_tensorflow
def grid_search_million(tmp):
    import nbtune

    space = nbtune.SearchSpace(nbtune.Int("units", 1, 10**6))
    return nbtune.grid_search(tiny_build, space, *_tiny(), epochs=1, progress=False)


def random_search_many(tmp):
    import nbtune

    space = nbtune.SearchSpace(nbtune.Int("units", 1, 64))
    return nbtune.random_search(tiny_build, space, *_tiny(), n_iter=10**5, epochs=1,
                                progress=StopAtOnce())


def hyperband_huge(tmp):
    import nbtune

    space = nbtune.SearchSpace(nbtune.Int("units", 1, 64))
    return nbtune.hyperband(tiny_build, space, *_tiny(), max_epochs=10**6, progress=StopAtOnce())


@refused_before_tensorflow
def successive_halving_huge(tmp):
    import nbtune

    space = nbtune.SearchSpace(nbtune.Int("units", 1, 64))
    return nbtune.successive_halving(tiny_build, space, *_tiny(), max_epochs=10**9, progress=False)


def bayesian_huge(tmp):
    import nbtune

    space = nbtune.SearchSpace(nbtune.Int("units", 1, 64))
    return nbtune.bayesian(tiny_build, space, *_tiny(), max_trials=10**6, epochs=1,
                           progress=StopAtOnce())


def compare_million(tmp):
    """Random search (1 trial) first: an nbtune that does not refuse the grid's plan before it
    starts stops at random search's first trial boundary."""
    import nbtune

    space = nbtune.SearchSpace(nbtune.Int("units", 1, 10**6))
    return nbtune.compare(tiny_build, space, *_tiny(), strategies=["random", "grid"], n_iter=1,
                          epochs=1, progress=StopAtOnce())


def grid_search_allow_large_text(tmp):
    import nbtune

    space = nbtune.SearchSpace(nbtune.Int("units", 1, 4))
    return nbtune.grid_search(tiny_build, space, *_tiny(), epochs=1, progress=StopAtOnce(),
                              allow_large="yes")


def grid_search_shuffle_text(tmp):
    """Keras would refuse shuffle="yes" in every trial's fit; the search refuses it once, first."""
    import nbtune

    space = nbtune.SearchSpace(nbtune.Int("units", 1, 2))
    return nbtune.grid_search(tiny_build, space, *_tiny(), epochs=1, progress=StopAtOnce(),
                              directory=str(tmp), shuffle="yes")


def hyperband_schedule_billion_iterations(tmp):
    from nbtune import hyperband_schedule

    return hyperband_schedule(10, 3, hyperband_iterations=10**9)


QUICK = dict(trains=False)
ISOLATED = dict(isolated=True, trains=False, seconds=5)
PLAN = dict(isolated=True, trains=False, seconds=5)  # a fresh process: see refused_before_tensorflow
GUARDED = dict(trains=True)  # in this process: a model built is counted; see StopAtOnce

CASES = [
    Case("grid-cost-cv-text", grid_cost_cv_text, "cv", **QUICK),
    Case("grid-cost-epochs-0", grid_cost_epochs_zero, "epochs", **QUICK),
    Case("grid-cost-negative-speed", grid_cost_negative_speed, "seconds_per_epoch", **QUICK),
    Case("grid-cost-nan-overhead", grid_cost_nan_overhead, "fit_overhead", **QUICK),
    Case("grid-cost-not-a-space", grid_cost_not_a_space, "space", **QUICK),
    Case("grid-cost-1e9-epochs-cv-1", grid_cost_billion_epochs, "cv", **ISOLATED),
    Case("comparison-cost-list", comparison_cost_not_a_dict, "settings", **QUICK),
    Case("comparison-cost-n-iter-text", comparison_cost_text_n_iter, "n_iter", **QUICK),
    Case("comparison-cost-unknown", comparison_cost_unknown_strategy, "randm", **QUICK),
    Case("comparison-cost-halving-1e9", comparison_cost_halving_billion, "n_iter", **ISOLATED),
    Case("grid-search-1e6", grid_search_million, "allow_large", **PLAN),
    Case("random-search-n-iter-1e5", random_search_many, ("n_iter", "allow_large"), **GUARDED),
    Case("hyperband-max-epochs-1e6", hyperband_huge, ("max_epochs", "allow_large"), **GUARDED),
    Case("halving-max-epochs-1e9", successive_halving_huge, ("max_epochs", "allow_large"), **PLAN),
    Case("bayesian-max-trials-1e6", bayesian_huge, ("max_trials", "allow_large"), **GUARDED),
    Case("compare-grid-1e6", compare_million, "allow_large", **GUARDED),
    Case("grid-search-allow-large-text", grid_search_allow_large_text, "allow_large", **GUARDED),
    Case("grid-search-shuffle-text", grid_search_shuffle_text, "shuffle", **GUARDED),
    Case("hyperband-schedule-1e9-iterations", hyperband_schedule_billion_iterations,
         "hyperband_iterations", **ISOLATED),
]
