"""The Hyperband schedule: which trials keras-tuner runs, for how many epochs.

``kt.Hyperband(max_epochs=10, factor=3)`` does not train every model for 10
epochs.  It runs *brackets*; each bracket starts many configurations for a
few epochs, keeps the best ``1/factor`` of them and trains those longer, round
after round, until the survivors reach ``max_epochs``.  :func:`hyperband_schedule`
computes that plan with keras-tuner's own formulas (``HyperbandOracle`` in
keras-tuner 1.4), so a student can see the cost before running anything.
"""

from __future__ import annotations

import math

import pandas as pd

from nbtune.arguments import check_whole


def hyperband_schedule(max_epochs: int, factor: int = 3, hyperband_iterations: int = 1) -> pd.DataFrame:
    """The trials keras-tuner's Hyperband runs, one row per bracket and round.

    Parameters
    ----------
    max_epochs : int
        Most epochs any one model is trained for (keras-tuner's ``max_epochs``).
    factor : int, default 3
        Each round keeps about ``1/factor`` of the models and trains them
        ``factor`` times longer.
    hyperband_iterations : int, default 1
        How many times the whole set of brackets is repeated.

    Returns
    -------
    DataFrame
        Columns ``iteration, bracket, round, trials`` (models trained in this
        round), ``epochs`` (epochs each model has reached at the end of the
        round), ``new_epochs`` (epochs each trains in this round: a promoted
        model trains on from where its parent stopped) and ``total_epochs``
        (``trials * new_epochs``).  Brackets are listed in the order keras-tuner
        runs them (most aggressive first).  With a small search space the
        tuner can run fewer first-round trials, when it runs out of new
        configurations.

    Examples
    --------
    >>> from nbtune.search.schedule import hyperband_schedule
    >>> plan = hyperband_schedule(max_epochs=10, factor=3)
    >>> int(plan["trials"].sum()), int(plan["total_epochs"].sum())
    (30, 120)
    """
    check_whole("max_epochs", max_epochs, minimum=1, hint=", e.g. max_epochs=3")
    check_whole("factor", factor, minimum=2, hint=", e.g. factor=3")
    # one set of rows per iteration: 10**9 iterations would list billions of rows (a hang);
    # 10,000 is already past what any search runs (pipeline.MAX_TRIALS)
    check_whole("hyperband_iterations", hyperband_iterations, minimum=1, maximum=10_000,
                hint=", e.g. hyperband_iterations=3")

    # The formulas below are HyperbandOracle._get_num_brackets, _get_size and
    # _get_epochs of keras-tuner 1.4 (min_epochs is 1 there).
    n_brackets, epochs = 0, float(max_epochs)
    while epochs >= 1:
        epochs /= factor
        n_brackets += 1
    last_round_size = math.ceil(1 + math.log(max_epochs, factor))

    def size(bracket: int, round_: int) -> int:
        return math.ceil(last_round_size / (bracket + 1) * factor ** (bracket - round_))

    def epochs_at(bracket: int, round_: int) -> int:
        return math.ceil(max_epochs / factor ** (bracket - round_))

    rows = []
    for iteration in range(hyperband_iterations):
        for bracket in reversed(range(n_brackets)):
            for round_ in range(bracket + 1):
                reached = epochs_at(bracket, round_)
                new = reached - (epochs_at(bracket, round_ - 1) if round_ else 0)
                trials = size(bracket, round_)
                rows.append(
                    {
                        "iteration": iteration,
                        "bracket": bracket,
                        "round": round_,
                        "trials": trials,
                        "epochs": reached,
                        "new_epochs": new,
                        "total_epochs": trials * new,
                    }
                )
    return pd.DataFrame(rows)


def successive_halving_schedule(max_epochs: int, factor: int = 3) -> pd.DataFrame:
    """The rounds of successive halving: Hyperband's first (most aggressive) bracket.

    Columns as :func:`hyperband_schedule`'s, one row per round: round 0 trains
    the most configurations for the fewest epochs, and each round keeps about
    ``1/factor`` of them and trains them on to ``factor`` times the epochs.

    Examples
    --------
    >>> successive_halving_schedule(9, 3)[["round", "trials", "epochs"]].values.tolist()
    [[0, 9, 1], [1, 3, 3], [2, 1, 9]]
    """
    schedule = hyperband_schedule(max_epochs, factor)
    first = schedule[(schedule["iteration"] == 0) & (schedule["bracket"] == schedule["bracket"].max())]
    return first.reset_index(drop=True)
