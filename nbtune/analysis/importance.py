"""Which hyperparameters matter: each one's share of the score's variance (functional ANOVA).

:func:`importance` splits the variance of the score over a space into parts,
as the functional ANOVA does (Hooker 2007; Hutter, Hoos & Leyton-Brown 2014,
the method behind Optuna's ``FanovaImportanceEvaluator``): the *main effect*
of a hyperparameter is how the score's average moves with it alone (averaged
over every value of the others), the *interaction* of two is what their pair
adds beyond their two main effects, and each part's **share** is its variance
divided by the score's total variance. Shares of all main effects and pairs
add up to at most 1; the rest is interactions of three or more.

Two methods, one per kind of input:

``"grid"`` (exact)
    When every combination of the observed values was scored (a full grid,
    or a tabulated benchmark), the decomposition is computed directly from the
    scores: means over the grid's axes, each value of each hyperparameter
    weighted equally. Repeated configurations are averaged first.
``"forest"`` (any trials table: random search, Bayesian optimisation...)
    A random forest (scikit-learn's ``RandomForestRegressor`` with Optuna's
    settings: 64 trees, depth up to 64, leaves of one trial) learns
    hyperparameters -> score. Each tree is piecewise constant, so its
    functional ANOVA is exact: it is computed leaf by leaf over the product
    of each hyperparameter's *observed* distribution (its values in the
    trials, each trial's value counted once: what the search sampled; on a
    full grid, every value equally). A hyperparameter's share is the mean,
    over the trees, of its share of that tree's variance, as in Optuna.
    Numbers that span a decade or more are fed to the forest as log10 (as a
    search samples them); strings and booleans as category codes.

How it compares with Optuna's fANOVA (``tests/test_importance.py`` measures it
on the same trials): both use the same forest, but Optuna averages each tree
uniformly over the *box* of the distributions' bounds, on the raw scale even
for log-scaled parameters (``transform_log=False``), and one-hot encodes
categories. So the numbers agree when Optuna is given what this function
measures over:

- on 200 log-uniform random trials of a made-up score, with Optuna given the
  log10 of the log-scaled parameters, the main-effect shares agree within
  0.05 and rank alike (sampling noise: 200 draws are not exactly uniform);
- on a random search replayed on the ``digits-mlp`` grid, Optuna weighs each
  grid value by the length of its cell on the scale it is given: with the
  batch sizes 16-128 on their raw scale, 128's cell is four times 16's, and
  the learning rate's share came out 0.05 to 0.07 above this function's in
  three replays. On the grid's own scale (log2 of the batch size and units,
  log10 of the learning rate), with bounds half a step beyond the end values,
  every value weighs the same and the shares agree within 0.03.

Examples
--------
>>> import numpy as np, pandas as pd
>>> grid = pd.DataFrame([(a, b) for a in (1, 2, 3) for b in (1, 2)], columns=["a", "b"])
>>> grid["score"] = 2 * grid["a"] + grid["b"]        # additive: no interaction
>>> importance(grid).round(3)[["parameter", "kind", "share"]]
  parameter         kind  share
0         a         main  0.914
1         b         main  0.086
2     a × b  interaction  0.000
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from nbtune.analysis.scores import encode, scores_of
from nbtune.arguments import check_flag, check_whole

METHODS = ("auto", "grid", "forest")
#: The forest of Optuna's ``FanovaImportanceEvaluator`` (its defaults).
FOREST = dict(n_estimators=64, max_depth=64, min_samples_split=2, min_samples_leaf=1)


def importance(data: Any, *, epochs: int | None = None, params: Sequence[str] | None = None,
               method: str = "auto", interactions: bool = True, seed: int = 0) -> pd.DataFrame:
    """Each hyperparameter's (and each pair's) share of the variance of the score.

    Parameters
    ----------
    data : Benchmark, SearchResult or DataFrame
        A tabulated benchmark (``nbtune.benchmarks.load("digits-mlp")``: each
        configuration's validation accuracy averaged over the seeds), a search's
        result, or a DataFrame of hyperparameter columns and ``score``
        (:func:`nbtune.analysis.scores.scores_of`).
    epochs : int, optional
        For a benchmark: the epoch whose scores to decompose (default its last).
    params : sequence of str, optional
        The hyperparameters to decompose over (default all of them; one that
        takes a single value has no variance and is left out).
    method : {"auto", "grid", "forest"}, default "auto"
        "grid": exact, needs every combination of the observed values scored.
        "forest": a random forest's functional ANOVA (the module's docstring).
        "auto": "grid" when the trials cover the full grid, else "forest".
    interactions : bool, default True
        Also the pairs' interactions.
    seed : int, default 0
        The forest's random state.

    Returns
    -------
    DataFrame
        One row per hyperparameter (``kind`` "main") and pair (``kind``
        "interaction", ``parameter`` "a × b"): ``parameter``, ``kind``,
        ``share`` (of the total variance), ``first``, ``second`` (the pair's
        names; ``second`` empty for a main effect), sorted by share, largest
        first. ``attrs`` holds the ``method``, the ``variance`` decomposed,
        the number of ``trials`` read and ``higher_order``, the share left to
        interactions of three or more.

    Examples
    --------
    >>> from nbtune import benchmarks
    >>> shares = importance(benchmarks.load("digits-mlp"), epochs=9)
    >>> shares.attrs["method"], shares["parameter"].iloc[0]
    ('grid', 'learning_rate')
    """
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method={method!r} is not allowed: use one of {list(METHODS)}")
    interactions = check_flag("interactions", interactions)
    seed = check_whole("seed", seed, minimum=0, maximum=2**32 - 1, hint=", e.g. seed=0")
    table, names = scores_of(data, epochs=epochs, params=params)
    names = [n for n in names if table[n].nunique(dropna=False) > 1]
    if not names:
        raise ValueError("no hyperparameter takes more than one value in these trials: there is "
                         "no variance to share; give trials that vary something")
    if table["score"].nunique() == 1:
        raise ValueError(f"every trial of data has the score {table['score'].iloc[0]:.4g}: the "
                         "score does not vary, so there is no variance to share; give trials "
                         "whose scores differ")
    full = _is_full_grid(table, names)
    if method == "grid" and not full:
        raise ValueError(f"method='grid' needs every combination of the observed values of "
                         f"{names} scored, and these {len(table)} trials do not cover them; use "
                         "method='forest' (or 'auto')")
    if method == "forest" or (method == "auto" and not full):
        used = "forest"
        main, pairs, variance = _forest_anova(table, names, interactions, seed)
    else:
        used = "grid"
        main, pairs, variance = _grid_anova(table, names, interactions)
    rows = [{"parameter": n, "kind": "main", "share": main[n], "first": n, "second": ""}
            for n in names]
    rows += [{"parameter": f"{a} × {b}", "kind": "interaction", "share": share, "first": a,
              "second": b} for (a, b), share in pairs.items()]
    shares = pd.DataFrame(rows, columns=["parameter", "kind", "share", "first", "second"])
    shares = shares.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)
    shares.attrs = {"method": used, "variance": variance, "trials": len(table),
                    "higher_order": float(max(0.0, 1.0 - shares["share"].sum()))}
    return shares


# ------------------------------------------------------------------ encoding
# ------------------------------------------------------------------ the exact grid
def _is_full_grid(table: pd.DataFrame, names: list[str]) -> bool:
    keys = table[names].astype(str).drop_duplicates()
    return len(keys) == int(np.prod([table[n].astype(str).nunique() for n in names]))


def _grid_anova(table: pd.DataFrame, names: list[str],
                interactions: bool) -> tuple[dict, dict, float]:
    """Exact main effects and pairs of the mean score over the full grid (equal weights)."""
    codes = [pd.Categorical(table[n].astype(str)).codes for n in names]
    shape = tuple(int(c.max()) + 1 for c in codes)
    sums, counts = np.zeros(shape), np.zeros(shape)
    np.add.at(sums, tuple(codes), table["score"].to_numpy(dtype=float))
    np.add.at(counts, tuple(codes), 1)
    grid = sums / counts
    mean, total = grid.mean(), grid.var()
    axes = range(len(names))
    effect = {i: grid.mean(axis=tuple(a for a in axes if a != i)) - mean for i in axes}
    main = {names[i]: float((effect[i] ** 2).mean() / total) if total > 0 else 0.0 for i in axes}
    pairs = {}
    if interactions:
        for i, j in combinations(axes, 2):
            joint = grid.mean(axis=tuple(a for a in axes if a not in (i, j))) - mean
            pure = joint - effect[i][:, None] - effect[j][None, :]
            pairs[(names[i], names[j])] = float((pure ** 2).mean() / total) if total > 0 else 0.0
    return main, pairs, float(total)


# ------------------------------------------------------------------ the forest
def _forest_anova(table: pd.DataFrame, names: list[str], interactions: bool,
                  seed: int) -> tuple[dict, dict, float]:
    from sklearn.ensemble import RandomForestRegressor

    if len(table) < 2:
        raise ValueError(f"{len(table)} trial: the forest needs at least 2 scored trials")
    X = np.column_stack([encode(table[n]) for n in names])
    y = table["score"].to_numpy(dtype=float)
    forest = RandomForestRegressor(random_state=seed, **FOREST).fit(X, y)
    # each trial's value weighs the same (a value tried twice, twice); as float32, as the trees saw it
    points = [np.sort(X[:, k].astype(np.float32)).astype(float) for k in range(len(names))]
    mains: list[np.ndarray] = []
    pair_shares: list[dict] = []
    variances: list[float] = []
    for estimator in forest.estimators_:
        main, pairs, variance = _tree_anova(estimator.tree_, points, interactions)
        if variance > 0:
            variances.append(variance)
            mains.append(main / variance)
            pair_shares.append({key: value / variance for key, value in pairs.items()})
    if not mains:
        return ({n: 0.0 for n in names},
                {(a, b): 0.0 for a, b in combinations(names, 2)} if interactions else {}, 0.0)
    main_share = np.mean(mains, axis=0)
    pairs_out = {}
    if interactions:
        for i, j in combinations(range(len(names)), 2):
            pairs_out[(names[i], names[j])] = float(np.mean([p[(i, j)] for p in pair_shares]))
    return {n: float(s) for n, s in zip(names, main_share)}, pairs_out, float(np.mean(variances))


def _tree_anova(tree: Any, points: list[np.ndarray],
                interactions: bool) -> tuple[np.ndarray, dict, float]:
    """Exact functional ANOVA of one fitted scikit-learn tree over the product of ``points``.

    The tree's thresholds on each feature cut its axis into cells; each cell
    weighs the share of that feature's points inside it. A leaf is a box of
    cells, so a marginal is a sum over leaves: the leaf's value times the
    weight of its box along the features averaged out.
    """
    k = len(points)
    feature, threshold = tree.feature, tree.threshold
    left, right = tree.children_left, tree.children_right
    cuts = [np.unique(threshold[feature == f]) for f in range(k)]
    weights = [np.bincount(np.searchsorted(cuts[f], points[f], side="left"),
                           minlength=len(cuts[f]) + 1) / len(points[f]) for f in range(k)]
    boxes, values = [], []
    stack = [(0, [(0, len(cuts[f]) + 1) for f in range(k)])]
    while stack:
        node, box = stack.pop()
        if left[node] == -1:  # a leaf
            boxes.append(box)
            values.append(float(tree.value[node].ravel()[0]))
            continue
        f, position = feature[node], int(np.searchsorted(cuts[feature[node]], threshold[node]))
        low, high = box[f]
        stack.append((left[node], [*box[:f], (low, min(high, position + 1)), *box[f + 1:]]))
        stack.append((right[node], [*box[:f], (max(low, position + 1), high), *box[f + 1:]]))
    values = np.array(values)
    inside = []  # per feature: leaf x cell, 1 where the leaf's box holds the cell
    for f in range(k):
        low, high = np.array([box[f] for box in boxes]).T
        cells = np.arange(len(weights[f]))
        inside.append(((cells >= low[:, None]) & (cells < high[:, None])).astype(float))
    along = np.column_stack([inside[f] @ weights[f] for f in range(k)])  # leaf x feature
    volume = along.prod(axis=1)
    mean = float(values @ volume)
    variance = float((values ** 2) @ volume - mean ** 2)

    def others(excluded: tuple[int, ...]) -> np.ndarray:
        keep = [f for f in range(k) if f not in excluded]
        return values * (along[:, keep].prod(axis=1) if keep else 1.0)

    effect = {}
    main = np.zeros(k)
    for f in range(k):
        effect[f] = others((f,)) @ inside[f] - mean
        main[f] = float(weights[f] @ effect[f] ** 2)
    pairs = {}
    if interactions:
        for i, j in combinations(range(k), 2):
            joint = np.einsum("l,lc,ld->cd", others((i, j)), inside[i], inside[j]) - mean
            pure = joint - effect[i][:, None] - effect[j][None, :]
            pairs[(i, j)] = float(weights[i] @ pure ** 2 @ weights[j])
    return main, pairs, variance
