"""Bad input gets a clear error before any training; a failing trial never aborts a search.

Each case is what a new user might type. The error must be of the right type,
name the argument (or value) at fault, and come before the first ``fit``.
"""

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from conftest import tiny_build

keras = pytest.importorskip("keras")

import nbtune  # noqa: E402
from nbtune import Choice, Fixed, Float, Int, KerasClassifier, KerasRegressor, SearchSpace  # noqa: E402

SPACE = SearchSpace(Choice("units", [4, 8]))


@pytest.fixture(scope="module")
def small(cancer):
    return cancer.X_train[:120], cancer.y_train[:120]


@pytest.fixture
def fits(monkeypatch):
    """Every fit of the test: Keras's Model.fit or a one-call fit (nbtune.training.graph_fit)."""
    from nbtune.training import graph_fit

    calls = []

    def counting(fit):
        def counted(*args, **kwargs):
            calls.append(1)
            return fit(*args, **kwargs)
        return counted

    monkeypatch.setattr(keras.Model, "fit", counting(keras.Model.fit))
    monkeypatch.setattr(graph_fit, "fit_in_one_call", counting(graph_fit.fit_in_one_call))
    return calls


def grid(X, y, space=SPACE, **kwargs):
    return nbtune.grid_search(tiny_build, space, X, y, **{"cv": 2, "epochs": 1, "progress": False,
                                                          **kwargs})


def holdout(search, X, y, space=SPACE, **kwargs):
    return search(tiny_build, space, X, y, **{"progress": False, **kwargs})


def nan_in(X, row=3):
    X = np.array(X, dtype=np.float64)
    X[row, 0] = np.nan
    return X


CASES = {
    # the budget and fit settings
    "epochs=0": (lambda X, y: grid(X, y, epochs=0), ValueError, r"epochs=0 is not allowed"),
    "epochs=-1": (lambda X, y: grid(X, y, epochs=-1), ValueError, r"epochs=-1 is not allowed"),
    "epochs=1.5": (lambda X, y: grid(X, y, epochs=1.5), ValueError, r"epochs=1\.5 is not allowed"),
    "batch_size=0": (lambda X, y: grid(X, y, batch_size=0), ValueError, r"batch_size=0"),
    "Fixed epochs 0": (lambda X, y: grid(X, y, SearchSpace(Fixed("epochs", 0))), ValueError,
                       r"space's epochs value=0"),
    "Float epochs": (lambda X, y: grid(X, y, SearchSpace(Float("epochs", 1, 3, step=1))),
                     ValueError, r"space's epochs value"),
    "bayesian epochs=0": (lambda X, y: holdout(nbtune.bayesian, X, y, epochs=0, max_trials=1),
                          ValueError, r"epochs=0"),
    "n_iter=0": (lambda X, y: nbtune.random_search(tiny_build, SPACE, X, y, n_iter=0),
                 ValueError, r"n_iter=0"),
    "max_trials=0": (lambda X, y: holdout(nbtune.bayesian, X, y, max_trials=0), ValueError,
                     r"max_trials=0"),
    "max_epochs=0": (lambda X, y: holdout(nbtune.hyperband, X, y, max_epochs=0), ValueError,
                     r"max_epochs=0"),
    "factor=1": (lambda X, y: holdout(nbtune.hyperband, X, y, factor=1), ValueError, r"factor=1"),
    "alpha=0": (lambda X, y: holdout(nbtune.bayesian, X, y, alpha=0), ValueError, r"alpha=0"),
    "n_jobs=0": (lambda X, y: grid(X, y, n_jobs=0), ValueError, r"n_jobs=0"),
    "cv='3'": (lambda X, y: grid(X, y, cv="3"), ValueError, r"cv='3' is not allowed"),
    "cv=1": (lambda X, y: grid(X, y, cv=1), ValueError, r"cv=1 is not allowed"),
    "random_state='abc'": (lambda X, y: grid(X, y, random_state="abc"), ValueError,
                           r"random_state='abc'"),
    "random_state=-1": (lambda X, y: grid(X, y, random_state=-1), ValueError, r"random_state=-1"),
    "validation_split=1.5": (lambda X, y: holdout(nbtune.hyperband, X, y, validation_split=1.5),
                             ValueError, r"validation_split=1\.5"),
    "task": (lambda X, y: grid(X, y, task="classify"), ValueError, r"task='classify'"),
    "progress='yes'": (lambda X, y: grid(X, y, progress="yes"), TypeError, r"progress='yes'"),
    "strategies": (lambda X, y: nbtune.compare(tiny_build, SPACE, X, y, strategies=["nope"]),
                   ValueError, r"\['nope'\] not known"),
    "resume without directory": (lambda X, y: grid(X, y, resume=True), ValueError,
                                 r"resume=True needs the run folder"),
    # the data
    "y with NaN": (lambda X, y: grid(X, nan_in(y.reshape(-1, 1)).ravel(), task="regression"),
                   ValueError, r"y contains 1 NaN"),
    "empty X": (lambda X, y: grid(X[:0], y[:0]), ValueError, r"X has no rows"),
    "1-D X": (lambda X, y: grid(X[:, 0], y), ValueError, r"X has shape \(120,\), one value per row"),
    "X with NaN": (lambda X, y: grid(nan_in(X), y), ValueError, r"X contains 1 NaN"),
    "rows differ": (lambda X, y: grid(X, y[:-1]), ValueError, r"X has 120 rows but y has 119"),
    "sparse X": (lambda X, y: grid(scipy.sparse.csr_matrix(X), y), TypeError, r"sparse matrix"),
    "one row of a class": (lambda X, y: grid(X, np.r_[y[:-1], 7]), ValueError,
                           r"classes \[7\] have one row each"),
    "validation_data not a pair": (lambda X, y: holdout(nbtune.hyperband, X, y, validation_data=X),
                                   TypeError, r"validation_data is a ndarray, not a pair"),
    "validation_data 0 rows": (lambda X, y: holdout(nbtune.hyperband, X, y,
                                                    validation_data=(X[:0], y[:0])),
                               ValueError, r"validation_data has no rows"),
    "validation_data features": (lambda X, y: holdout(nbtune.hyperband, X, y,
                                                      validation_data=(X[:, :5], y)),
                                 ValueError, r"validation_data has rows of shape \(5,\)"),
    "validation_data labels": (lambda X, y: holdout(nbtune.hyperband, X, y,
                                                    validation_data=(X, np.full(len(y), 9))),
                               ValueError, r"validation_data has labels \[9\]"),
    "test_data features": (lambda X, y: nbtune.compare(tiny_build, SPACE, X, y, strategies=["grid"],
                                                       test_data=(X[:, :3], y), progress=False),
                           ValueError, r"test_data has rows of shape \(3,\)"),
    "test_data NaN": (lambda X, y: nbtune.compare(tiny_build, SPACE, X, y, strategies=["grid"],
                                                  test_data=(nan_in(X), y), progress=False),
                      ValueError, r"test_data contains 1 NaN"),
    # names and objects
    "name score": (lambda X, y: grid(X, y, SearchSpace(Choice("score", [1, 2]))), ValueError,
                   r"names \['score'\] are columns of the trials table"),
    "name round": (lambda X, y: holdout(nbtune.hyperband, X, y, SearchSpace(Int("round", 1, 3))),
                   ValueError, r"names \['round'\]"),
    "space a dict": (lambda X, y: grid(X, y, {"units": [4, 8]}), TypeError,
                     r"space must be an nbtune.SearchSpace"),
    "build_fn=42": (lambda X, y: nbtune.grid_search(42, SPACE, X, y), TypeError, r"build_fn=42"),
    # the estimators
    "KerasClassifier epochs=0": (lambda X, y: KerasClassifier(tiny_build, epochs=0).fit(X, y),
                                 ValueError, r"epochs=0 is not allowed"),
    "KerasRegressor strings": (lambda X, y: KerasRegressor(tiny_build).fit(X, y.astype(str)),
                               ValueError, r"KerasRegressor needs numbers in y.*KerasClassifier"),
    "KerasRegressor object strings": (lambda X, y: KerasRegressor(tiny_build).fit(
        X, y.astype(str).astype(object)), ValueError, r"KerasRegressor needs numbers in y"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_before_any_training(case, small, fits, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call, error, message = CASES[case]
    with pytest.raises(error, match=message):
        call(*small)
    assert fits == [], f"{case}: {len(fits)} fits ran before the error"


def test_there_are_at_least_40_cases():
    assert len(CASES) >= 40


def test_a_directory_that_is_a_file_is_refused_before_training(small, fits, tmp_path):
    afile = tmp_path / "runs"
    afile.write_text("")
    with pytest.raises(NotADirectoryError, match="is a file"):
        grid(*small, directory=str(afile))
    assert fits == []


@pytest.mark.parametrize("content, message", [
    (b"", "EmptyDataError"), (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not a trials table"),
    (b"a,b\n1,2\n", r"has no \['strategy', 'trial', 'score', 'status'\] column"),
])
def test_read_csv_of_something_else_is_refused(tmp_path, content, message):
    path = tmp_path / "other.csv"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        nbtune.SearchResult.read_csv(path)


def test_a_failed_load_json_leaves_the_editor_unchanged():
    editor = nbtune.SpaceEditor(SearchSpace(Int("units", 4, 64)))
    before = editor.space
    for text in ("not json", "[1, 2]", '{"dimensions": [{"type": "Int", "name": "u", "low": 5, '
                                       '"high": 1}]}',
                 '{"dimensions": [{"type": "Float", "name": "lr", "low": 0.1, "high": 1.0}], '
                 '"points": {"lr": "many"}}'):
        with pytest.raises(ValueError, match="load_json"):
            editor.load_json(text)
        assert editor.space == before and list(editor.rows) == ["units"]


@pytest.mark.parametrize("search", [nbtune.hyperband, nbtune.bayesian])
def test_a_failing_first_configuration_is_a_failed_trial_not_an_abort(search, cancer):
    def build(units=4, learning_rate=0.01):
        if units == 4:  # the space's first (default) configuration
            raise RuntimeError("four units do not build")
        return tiny_build(units, learning_rate)

    space = SearchSpace(Choice("units", [4, 8, 16]))
    budget = {"max_epochs": 3} if search is nbtune.hyperband else {"max_trials": 4, "epochs": 1}
    result = search(build, space, *cancer.train, validation_data=cancer.validation,
                    progress=False, **budget)
    failed = result.trials[result.trials.status == "failed"]
    assert len(failed) >= 1 and failed.error.str.contains("four units do not build").all()
    assert (result.trials.status == "ok").any()


def test_a_build_hp_whose_defaults_fail_says_so_before_training(small, fits):
    def model_builder(hp):
        units = hp.Int("units", 4, 16)
        raise RuntimeError(f"cannot build {units} units")

    with pytest.raises(ValueError, match=r"model_builder\(hp\) failed .* default values.*"
                                         r"RuntimeError: cannot build 4 units"):
        nbtune.hyperband(model_builder, None, *small, progress=False)
    assert fits == []


def test_nothing_is_left_in_the_temp_directory(cancer, monkeypatch):
    import tempfile

    def leftovers():
        return {p.name for p in Path(tempfile.gettempdir()).glob("nbtune-*")}

    before = leftovers()
    nbtune.hyperband(tiny_build, SPACE, *cancer.train, validation_data=cancer.validation,
                     max_epochs=3, progress=False)
    with pytest.raises(nbtune.search.results.SearchFailedError):  # every trial fails
        nbtune.bayesian(lambda units=4: 1 / 0, SPACE, *cancer.train, max_trials=2, epochs=1,
                        progress=False)
    assert leftovers() <= before
