"""Search results as a tidy table: one row per trial, whatever the strategy.

:class:`SearchResult` holds what nbtune's searches find, and can also be made
from a scikit-learn ``GridSearchCV`` / ``RandomizedSearchCV`` or a keras-tuner
tuner, so the lesson's own search objects can be compared with nbtune's.

Scores follow scikit-learn's convention: greater is better.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import is_regressor

from nbtune.formatting import to_python
from nbtune.language import current_language, gettext, mark
from nbtune.space import SearchSpace
from nbtune.space.build_fns import as_kwargs_build_fn, is_hp_build_fn
from nbtune.training.estimator import FIT_PARAMS, KerasClassifier, KerasRegressor

#: Columns every trials table has, besides one column per hyperparameter.
TRIAL_COLUMNS = (
    "strategy",  # "grid", "random", "hyperband", "bayesian", ...
    "trial",  # trial number within its strategy, from 0
    "score",  # mean validation score (greater is better)
    "score_std",  # standard deviation over CV folds (NaN without CV)
    "train_epochs",  # epochs the scored model had been trained for
    "epochs_spent",  # epochs this trial trained in all (folds included)
    "seconds",  # wall time of the trial
    "status",  # "ok" or "failed"
    "error",  # the error message of a failed trial, "" otherwise
    "bracket",  # Hyperband bracket (NaN for other strategies)
    "round",  # Hyperband round within the bracket (NaN for other strategies)
)
#: Columns kept when a table has them: a replay's (:func:`nbtune.replay`) ``repeat`` (which
#: run) and ``true_score`` (the configuration's mean score over the table's seeds), and a
#: trained trial's ``fit_path`` (``"graph"``: each fit in one traced call, ``"keras"``:
#: Keras's ``fit``, :mod:`nbtune.training.graph_fit`; ``"branches"``: side by side with
#: other trials, :mod:`nbtune.training.side_by_side`, each trial's ``seconds`` then an
#: equal share of its group's).
OPTIONAL_COLUMNS = ("repeat", "true_score", "fit_path")
#: nbtune's strategy name for each scikit-learn search class (plots colour them so).
SKLEARN_SEARCHES = {"GridSearchCV": "grid", "RandomizedSearchCV": "random"}
_LEADING = ("strategy", "trial")
_STRATEGY_FROM_TUNER = {
    "Hyperband": "hyperband",
    "BayesianOptimization": "bayesian",
    "RandomSearch": "random",
    "GridSearch": "grid",
}


def check_param_names(names: Iterable[str]) -> None:
    """The one name-clash rule: a hyperparameter may not be named like a column of the trials
    table (``score``, ``round``, ...), or its values and the trial's would be mixed.

    Examples
    --------
    >>> check_param_names(["units", "score"])
    Traceback (most recent call last):
    ...
    ValueError: the hyperparameter names ['score'] are columns of the trials table ...
    """
    clashes = sorted(set(names) & {*TRIAL_COLUMNS, *OPTIONAL_COLUMNS})
    if clashes:
        raise ValueError(
            f"the hyperparameter names {clashes} are columns of the trials table "
            f"{list(TRIAL_COLUMNS)}; rename them in the search space and the build function"
        )


#: The summary's headings as a student reads them, by column key (the English is the key).
SUMMARY_HEADINGS = {
    "strategy": mark("strategy"),
    "trials": mark("trials"),
    "failed": mark("failed"),
    "best_score": mark("best_score"),
    "best_params": mark("best_params"),
    "epochs_spent": mark("epochs_spent"),
    "seconds": mark("seconds"),
    "test_score": mark("test_score"),
}


def summary_heading(key: Any) -> Any:
    """The heading a summary shows for the column ``key``, in the language spoken.

    Examples
    --------
    >>> from nbtune.language import speaking
    >>> with speaking("ko"):
    ...     summary_heading("best_score"), summary_heading("wall_seconds")
    ('최고 점수', 'wall_seconds')
    """
    if isinstance(key, str) and key in SUMMARY_HEADINGS:
        return gettext(SUMMARY_HEADINGS[key])
    return key


class Summary(pd.DataFrame):
    """:meth:`SearchResult.summary`'s table: its headings read in the student's language.

    A DataFrame whose columns stay the keys code uses (``summary["best_score"]``,
    ``to_csv``); only what a person sees (its ``repr`` and a notebook's HTML)
    shows the headings in the language spoken (:mod:`nbtune.language`), through
    :meth:`shown`.  Tables made from it (a selection, a sort) are summaries too.

    Examples
    --------
    >>> from nbtune.language import speaking
    >>> result = SearchResult(pd.DataFrame({"strategy": ["grid", "grid"], "units": [32, 64],
    ...                                     "score": [0.91, 0.95]}))
    >>> summary = result.summary()
    >>> list(summary.columns)
    ['trials', 'failed', 'best_score', 'best_params', 'epochs_spent', 'seconds']
    >>> with speaking("ko"):
    ...     shown = summary.shown()
    >>> shown.index.name, list(shown.columns)
    ('전략', ['시도', '실패', '최고 점수', '최고 조합', '사용한 에포크', '시간(초)'])
    >>> summary.loc["grid", "best_score"]
    np.float64(0.95)
    """

    @property
    def _constructor(self) -> type[Summary]:
        return Summary

    def shown(self) -> pd.DataFrame:
        """A plain DataFrame of the same values, its headings in the language spoken."""
        table = pd.DataFrame(self)
        return table.rename(columns=summary_heading).rename_axis(
            index=summary_heading(table.index.name))

    def __repr__(self) -> str:
        # Korean letters are two columns wide in a terminal: pandas aligns them so when told
        with pd.option_context("display.unicode.east_asian_width", current_language() != "en"):
            return repr(self.shown())

    def _repr_html_(self) -> str | None:
        return self.shown()._repr_html_()


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class SearchResult:
    """The trials of one or more searches, and what they found.

    Parameters
    ----------
    trials : DataFrame
        One row per trial with the columns of :data:`TRIAL_COLUMNS` (missing
        ones are filled in) and one column per hyperparameter.
    param_names : sequence of str, optional
        The hyperparameter columns; by default every column that is not one
        of :data:`TRIAL_COLUMNS`.
    build_fn : callable, optional
        The build function the trials used; needed by :meth:`build_best` and
        :meth:`refit_best`.
    task : {"classification", "regression"}, optional
    fit_params : dict, optional
        Fit settings shared by all trials (``epochs``, ``batch_size``, ...).
    scoring : str, optional
        Name of the score, e.g. ``"accuracy"``.
    complete : bool, default True
        False when the search was stopped (Ctrl-C, a Stop button) before it ran
        every trial, or ``compare`` before it scored every winner on the test data.
    test_scores : dict, optional
        Held-out test score of each strategy's best configuration.

    Attributes
    ----------
    trials : DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> from nbtune import SearchResult
    >>> result = SearchResult(pd.DataFrame({
    ...     "strategy": ["grid", "grid"], "trial": [0, 1],
    ...     "units": [32, 64], "score": [0.91, 0.95]}))
    >>> result.best_params, result.best_score
    ({'units': 64}, 0.95)
    """

    def __init__(
        self,
        trials: pd.DataFrame,
        *,
        param_names: Iterable[str] | None = None,
        build_fn: Callable | None = None,
        task: str | None = None,
        fit_params: Mapping[str, Any] | None = None,
        scoring: str | None = None,
        complete: bool = True,
        test_scores: Mapping[str, float] | None = None,
    ):
        trials = pd.DataFrame(trials).copy()
        if param_names is None:
            param_names = [c for c in trials.columns
                           if c not in TRIAL_COLUMNS and c not in OPTIONAL_COLUMNS]
        self.param_names = list(param_names)
        check_param_names(self.param_names)
        defaults = {
            "strategy": "search",
            "trial": range(len(trials)),
            "score": np.nan,
            "score_std": np.nan,
            "train_epochs": np.nan,
            "epochs_spent": np.nan,
            "seconds": np.nan,
            "status": "ok",
            "error": "",
            "bracket": np.nan,
            "round": np.nan,
        }
        for column, default in defaults.items():
            if column not in trials.columns:
                trials[column] = list(default) if isinstance(default, range) else default
        trials["error"] = ["" if _is_missing(e) else str(e) for e in trials["error"]]
        failed_without_status = trials["score"].isna() & (trials["status"] == "ok")
        trials.loc[failed_without_status, "status"] = "failed"
        order = [*_LEADING, *self.param_names, *[c for c in TRIAL_COLUMNS if c not in _LEADING],
                 *[c for c in OPTIONAL_COLUMNS if c in trials.columns]]
        self.trials = trials[order].reset_index(drop=True)
        self.build_fn = build_fn
        self.task = task
        self.fit_params = dict(fit_params or {})
        self.scoring = scoring
        self.complete = complete
        self.test_scores = dict(test_scores or {})

    # ------------------------------------------------------------------ best
    @property
    def strategies(self) -> list[str]:
        """Strategy names in the order they appear."""
        return list(dict.fromkeys(self.trials["strategy"]))

    @property
    def ok_trials(self) -> pd.DataFrame:
        """The trials that finished with a score."""
        return self.trials[(self.trials["status"] == "ok") & self.trials["score"].notna()]

    @property
    def best_trial(self) -> pd.Series:
        """The row of the best-scoring trial (the earliest one on a tie)."""
        ok = self.ok_trials
        if ok.empty:
            raise ValueError(self.no_success_message())
        return ok.loc[ok["score"].idxmax()]

    @property
    def best_score(self) -> float:
        """The best validation score (greater is better)."""
        return float(self.best_trial["score"])

    @property
    def best_params(self) -> dict[str, Any]:
        """Hyperparameters of the best trial, as plain Python values.

        A hyperparameter column whose values are all whole numbers is read
        back as ``int`` (a CSV round trip or a missing value turns integer
        columns into floats, and Keras rejects ``units=64.0``).
        """
        best = self.best_trial
        params = {}
        for name in self.param_names:
            value = to_python(best[name])
            if _is_missing(value):
                continue
            if isinstance(value, float) and self._column_is_whole(name):
                value = int(value)
            params[name] = value
        return params

    def _column_is_whole(self, name: str) -> bool:
        column = self.trials[name].dropna()
        if not pd.api.types.is_float_dtype(column):
            return False
        return bool(np.all(np.mod(column.to_numpy(dtype=float), 1) == 0))

    def no_success_message(self) -> str:
        """Why there is no best trial: how many trials failed, and the first error.

        Examples
        --------
        >>> import pandas as pd
        >>> failed = SearchResult(pd.DataFrame({"strategy": ["grid"], "score": [float("nan")],
        ...                                     "status": ["failed"], "error": ["ValueError: x"]}))
        >>> failed.no_success_message()  # doctest: +ELLIPSIS
        'all 1 trials failed...ValueError: x...'
        """
        failed = self.trials[self.trials["status"] == "failed"]
        if failed.empty:
            return "this result has no trials"
        first = failed.iloc[0]
        return (
            f"all {len(self.trials)} trials failed; the first error "
            f"({first['strategy']} trial {first['trial']}) was: {first['error']}"
        )

    # ---------------------------------------------------------------- subsets
    def edges(self, space: SearchSpace, *, margin: float = 0.05) -> pd.DataFrame:
        """Each strategy's best value that sits at an edge of ``space``: widen the space there.

        The Playbook's boundary rule (:mod:`nbtune.space.edges`): a winner at
        the edge of a range says the best may lie beyond it.

        Examples
        --------
        >>> from nbtune import Int, SearchSpace
        >>> result = SearchResult(pd.DataFrame({"strategy": "grid", "units": [16, 512],
        ...                                     "score": [0.8, 0.9]}))
        >>> result.edges(SearchSpace(Int("units", 16, 512)))
          strategy   name  value  edge
        0     grid  units    512  high
        """
        rows = []
        for strategy in self.strategies:
            part = self.for_strategy(strategy)
            if part.ok_trials.empty:
                continue
            best = part.best_params
            for name, side in space.edges(best, margin=margin).items():
                rows.append({"strategy": strategy, "name": name, "value": best[name], "edge": side})
        return pd.DataFrame(rows, columns=["strategy", "name", "value", "edge"])

    def for_strategy(self, strategy: str) -> SearchResult:
        """The trials of one strategy as a result of their own."""
        if strategy not in self.strategies:
            raise ValueError(
                f"strategy={strategy!r} is not in this result; it has {self.strategies}"
            )
        trials = self.trials[self.trials["strategy"] == strategy]
        tests = {k: v for k, v in self.test_scores.items() if k == strategy}
        return self._with_trials(trials, test_scores=tests)

    def _with_trials(self, trials: pd.DataFrame, **changes) -> SearchResult:
        settings = dict(
            param_names=self.param_names,
            build_fn=self.build_fn,
            task=self.task,
            fit_params=self.fit_params,
            scoring=self.scoring,
            complete=self.complete,
            test_scores=self.test_scores,
        )
        settings.update(changes)
        return SearchResult(trials, **settings)

    @classmethod
    def combine(cls, results: Iterable[SearchResult]) -> SearchResult:
        """One result holding the trials of several (e.g. one per strategy).

        Examples
        --------
        >>> import pandas as pd
        >>> from nbtune import SearchResult
        >>> a = SearchResult(pd.DataFrame({"strategy": ["grid"], "units": [8], "score": [0.8]}))
        >>> b = SearchResult(pd.DataFrame({"strategy": ["random"], "units": [16], "score": [0.9]}))
        >>> SearchResult.combine([a, b]).strategies
        ['grid', 'random']
        """
        results = list(results)
        if not results:
            raise ValueError("results is empty: give at least one SearchResult to combine")
        first = results[0]
        names = list(dict.fromkeys(n for r in results for n in r.param_names))
        tests = {k: v for r in results for k, v in r.test_scores.items()}
        trials = pd.concat([r.trials for r in results], ignore_index=True)
        return first._with_trials(
            trials,
            param_names=names,
            complete=all(r.complete for r in results),
            test_scores=tests,
        )

    # --------------------------------------------------------------- summary
    def summary(self) -> Summary:
        """One row per strategy: what it spent and what it found.

        Columns: trials, failed, best_score, best_params, epochs_spent,
        seconds, and test_score when test scores were computed.  A
        :class:`Summary`: a DataFrame with these keys, shown with headings in
        the language spoken.
        """
        rows = []
        for strategy in self.strategies:
            part = self.for_strategy(strategy)
            trials = part.trials
            ok = part.ok_trials
            row = {
                "strategy": strategy,
                "trials": len(trials),
                "failed": int((trials["status"] == "failed").sum()),
                "best_score": part.best_score if not ok.empty else np.nan,
                "best_params": part.best_params if not ok.empty else {},
                "epochs_spent": trials["epochs_spent"].sum(min_count=1),
                "seconds": round(float(trials["seconds"].sum(min_count=1)), 1),
            }
            if strategy in self.test_scores:
                row["test_score"] = self.test_scores[strategy]
            rows.append(row)
        return Summary(pd.DataFrame(rows).set_index("strategy"))

    def __repr__(self) -> str:
        parts = []
        for strategy in self.strategies:
            trials = self.trials[self.trials["strategy"] == strategy]
            ok = self.ok_trials[self.ok_trials["strategy"] == strategy]
            best = f"best {ok['score'].max():.4f}" if not ok.empty else "no successful trial"
            parts.append(f"{strategy}: {len(trials)} trials, {best}")
        state = "" if self.complete else ", stopped early"
        return f"SearchResult({'; '.join(parts) or 'no trials'}{state})"

    def _repr_html_(self) -> str:
        stopped = html.escape(gettext("(stopped early: not every trial ran)"))
        state = "" if self.complete else f" <b>{stopped}</b>"
        return f"<p>SearchResult{state}</p>" + self.summary().shown().to_html()

    # ------------------------------------------------------------ best model
    def _build_params(self) -> dict[str, Any]:
        return {k: v for k, v in self.best_params.items() if k not in FIT_PARAMS}

    def _require_build_fn(self, build_fn: Callable | None) -> Callable:
        build_fn = build_fn or self.build_fn
        if build_fn is None:
            raise ValueError(
                "this result does not know its build function (it was read from a "
                "file or made from a keras-tuner tuner); pass it: build_fn=create_model"
            )
        return build_fn

    def build_best(self, build_fn: Callable | None = None, **extra: Any):
        """A new, untrained Keras model with the best hyperparameters.

        Fit arguments among the best parameters (``epochs``, ``batch_size``)
        are left out; ``extra`` keyword arguments go to the build function too.
        """
        build_fn = self._require_build_fn(build_fn)
        if is_hp_build_fn(build_fn):
            build_fn = as_kwargs_build_fn(build_fn)
        return build_fn(**self._build_params(), **extra)

    def best_estimator(self, build_fn: Callable | None = None, **overrides: Any):
        """An unfitted nbtune estimator set to the best configuration.

        Fit settings of the search (``epochs``, ``batch_size``, ...) are kept;
        a trial trained for fewer epochs than the search's setting (Hyperband)
        is rebuilt with the epochs it was scored at.  ``overrides`` win.
        """
        build_fn = self._require_build_fn(build_fn)
        settings = {**self.fit_params, **self.best_params}
        epochs = self.best_trial["train_epochs"]
        if "epochs" not in self.best_params and not _is_missing(to_python(epochs)):
            settings["epochs"] = int(epochs)
        settings.update(overrides)
        kind = KerasRegressor if self.task == "regression" else KerasClassifier
        return kind(model=build_fn, **settings)

    def refit_best(self, X, y, build_fn: Callable | None = None, **overrides: Any):
        """Train the best configuration on ``X, y`` and return the fitted estimator.

        Examples
        --------
        ``best = result.refit_best(data.X_train, data.y_train)`` then
        ``best.score(data.X_test, data.y_test)``.
        """
        return self.best_estimator(build_fn, **overrides).fit(X, y)

    # -------------------------------------------------------------- files
    def to_csv(self, path) -> None:
        """Write the trials table to a CSV file (the table only, not the build function)."""
        self.trials.to_csv(path, index=False)

    @classmethod
    def read_csv(cls, path, **settings: Any) -> SearchResult:
        """Read a trials table written by :meth:`to_csv`.

        ``settings`` (``build_fn=``, ``task=``, ...) are passed to the constructor.
        """
        try:
            trials = pd.read_csv(path, converters={"error": str})
        except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise ValueError(
                f"read_csv: {path} is not a trials table written by SearchResult.to_csv "
                f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'empty'})"
            ) from None
        missing = [c for c in ("strategy", "trial", "score", "status") if c not in trials.columns]
        if missing:
            raise ValueError(
                f"read_csv: {path} has no {missing} column(s) (it has {list(trials.columns)[:8]}); "
                "it is not a trials table written by SearchResult.to_csv"
            )
        return cls(trials, **settings)

    # ------------------------------------------------------------ adapters
    @classmethod
    def from_cv_results(cls, search, *, strategy: str = "grid", n_splits: int | None = None) -> SearchResult:
        """A result from a fitted ``GridSearchCV`` / ``RandomizedSearchCV``.

        Parameters
        ----------
        search : fitted GridSearchCV or RandomizedSearchCV, or its ``cv_results_`` dict
        strategy : str, default "grid"
            Name for these trials (use ``"random"`` for a randomized search).
        n_splits : int, optional
            Number of CV folds, needed only when ``search`` is a plain dict.

        Examples
        --------
        ``SearchResult.from_cv_results(grid, strategy="grid")`` after the
        lesson's ``grid = GridSearchCV(...).fit(X, y)``.
        """
        cv_results = getattr(search, "cv_results_", search)
        if not isinstance(cv_results, Mapping) or "params" not in cv_results:
            raise TypeError(
                f"search={type(search).__name__} is neither a fitted GridSearchCV/"
                "RandomizedSearchCV nor a cv_results_ dict; fit the search first"
            )
        n_splits = n_splits or getattr(search, "n_splits_", None)
        base = getattr(search, "estimator", None)
        base_params = base.get_params() if hasattr(base, "get_params") else {}
        rows = []
        for i, params in enumerate(cv_results["params"]):
            params = {k: to_python(v) for k, v in params.items()}
            score = float(cv_results["mean_test_score"][i])
            epochs = params.get("epochs", base_params.get("epochs"))
            seconds = float(np.add(cv_results.get("mean_fit_time", np.full(i + 1, np.nan))[i],
                                   cv_results.get("mean_score_time", np.zeros(i + 1))[i]))
            rows.append(
                {
                    "strategy": strategy,
                    "trial": i,
                    **params,
                    "score": score,
                    "score_std": float(cv_results.get("std_test_score", np.full(i + 1, np.nan))[i]),
                    "train_epochs": epochs,
                    "epochs_spent": epochs * n_splits if epochs and n_splits else np.nan,
                    "seconds": seconds * n_splits if n_splits else np.nan,
                    "status": "ok" if math.isfinite(score) else "failed",
                    "error": "" if math.isfinite(score) else "fit failed: the score is NaN (see the FitFailedWarning)",
                }
            )
        names = list(dict.fromkeys(k for p in cv_results["params"] for k in p))
        build_fn = base_params.get("model") or base_params.get("build_fn")
        task = None
        if base is not None:
            task = "regression" if is_regressor(base) else "classification"
        scoring = getattr(search, "scoring", None)
        fit_params = {k: v for k, v in base_params.items() if k in ("epochs", "batch_size")}
        return cls(
            pd.DataFrame(rows),
            param_names=names,
            build_fn=build_fn if callable(build_fn) else None,
            task=task,
            fit_params=fit_params,
            scoring=scoring if isinstance(scoring, str) else None,
        )

    @classmethod
    def from_tuner(cls, tuner, *, strategy: str | None = None) -> SearchResult:
        """A result from a keras-tuner tuner after ``tuner.search(...)``.

        The score is the objective's best value in each trial; an objective
        to minimise (such as ``val_loss``) is negated so that greater is better,
        as in scikit-learn (``scoring`` becomes ``"neg_val_loss"``).

        Examples
        --------
        ``SearchResult.from_tuner(tuner)`` after the lesson's
        ``tuner = kt.Hyperband(model_builder, ...)`` and ``tuner.search(...)``.
        """
        oracle = getattr(tuner, "oracle", None)
        if oracle is None:
            raise TypeError(
                f"tuner={type(tuner).__name__} is not a keras-tuner tuner "
                "(it has no .oracle); pass e.g. a kt.Hyperband after tuner.search(...)"
            )
        strategy = strategy or _STRATEGY_FROM_TUNER.get(type(tuner).__name__, type(tuner).__name__.lower())
        objective = oracle.objective
        sign = -1.0 if getattr(objective, "direction", "max") == "min" else 1.0
        names = [hp.name for hp in oracle.hyperparameters.space if not hp.name.startswith("tuner/")]
        rows = []
        for number, trial_id in enumerate(sorted(oracle.trials)):
            trial = oracle.trials[trial_id]
            status = str(getattr(trial.status, "value", trial.status)).upper()
            if status not in ("COMPLETED", "FAILED", "INVALID"):
                continue  # still running or never started: nothing to report
            values = trial.hyperparameters.values
            ok = status == "COMPLETED" and trial.score is not None
            metrics = trial.metrics
            recorded = {
                name: float(metrics.get_last_value(name))
                for name in ("seconds", "train_epochs", "epochs_spent")
                if metrics.exists(name)
            }
            epochs = values.get("tuner/epochs", recorded.get("train_epochs"))
            if epochs is None and metrics.exists(objective.name):
                epochs = len(metrics.get_history(objective.name))
            spent = recorded.get("epochs_spent")
            if spent is None and epochs is not None:
                spent = epochs - values.get("tuner/initial_epoch", 0)
            message = (getattr(trial, "message", None) or "").strip()
            rows.append(
                {
                    "strategy": strategy,
                    "trial": number,
                    **{k: to_python(values[k]) for k in names if k in values},
                    "score": sign * float(trial.score) if ok else np.nan,
                    "train_epochs": epochs,
                    "epochs_spent": spent,
                    "seconds": recorded.get("seconds", np.nan),
                    "status": "ok" if ok else "failed",
                    "error": "" if ok else (message.splitlines()[-1] if message else status.lower()),
                    "bracket": values.get("tuner/bracket", np.nan),
                    "round": values.get("tuner/round", np.nan),
                }
            )
        name = getattr(objective, "name", None)
        scoring = f"neg_{name}" if sign < 0 and name else name
        return cls(pd.DataFrame(rows), param_names=names, scoring=scoring)


class SearchFailedError(RuntimeError):
    """Every trial of a search failed.  ``.result`` holds the failed trials."""

    def __init__(self, message: str, result: SearchResult):
        super().__init__(message)
        self.result = result
