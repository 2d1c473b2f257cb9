"""The shipped searches of lessons 01, 03 and 06 (nbtune.lessons.shipped, scripts/precompute_lessons.py).

Cheap on purpose (CI's budget): the files are checked for consistency, and
each lesson's code runs in this process at its default budget with its
search cells skipped, from the top to the next search it runs live (one or
two models trained per lesson).  That is what a student does with the
"Use this if the search is slow" cell, and it fails if the lesson's settings
drifted from the shipped ones or a later cell needs what the shipped result
does not have.
"""

import contextlib
import io
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from scipy.stats import rankdata

from nbtune import lessons, plots
from nbtune.formatting import to_python
from nbtune.lessons import shipped

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from precompute_lessons import LESSONS, LOADERS, search_cells  # noqa: E402

CV_SEARCHES = ["grid_search_cv_cancer", "random_search_cv_cancer"]
# the first cell after the shipped search that runs a search of its own, live: the test stops there
NEXT_LIVE_SEARCH = {"01_grid_search_cv": "same = nbtune.grid_search(",
                    "03_random_search_cv": "result = nbtune.random_search("}


def test_every_shipped_search_is_made_by_the_script_from_its_lesson():
    assert {spec["name"]: lesson for lesson, spec in LESSONS.items()} == shipped.SHIPPED
    for name, lesson in shipped.SHIPPED.items():
        info = lessons.precomputed_info(name)
        assert info["lesson"] == lesson and info["command"].endswith("scripts/precompute_lessons.py")
        assert info["settings"]["BUDGET"] == 1 and info["settings"]["FAST"] is False
        assert {"nbtune", "keras", "scikit-learn"} <= set(info["versions"]) and info["created"]


@pytest.mark.parametrize("name", CV_SEARCHES)
def test_shipped_cv_results_are_consistent(name):
    info = lessons.precomputed_info(name)
    cv = info["cv_results"]
    splits = np.array([cv[f"split{i}_test_score"] for i in range(info["n_splits"])])
    assert f"split{info['n_splits']}_test_score" not in cv
    assert np.allclose(splits.mean(axis=0), cv["mean_test_score"])
    assert np.allclose(splits.std(axis=0), cv["std_test_score"])
    assert cv["rank_test_score"] == rankdata(-np.array(cv["mean_test_score"]), "min").tolist()
    assert cv["rank_test_score"][info["best_index"]] == 1
    assert cv["mean_test_score"][info["best_index"]] == info["best_score"]
    for key in (k for k in cv if k.startswith("param_")):
        assert [p.get(key[len("param_"):]) for p in cv["params"]] == cv[key]
    assert info["search"]["cv"] == info["settings"]["cv"]
    assert info["search"].get("n_iter", len(cv["params"])) == len(cv["params"])


def test_load_cv_search_refuses_other_data(cancer):
    X, y = cancer.validation
    with pytest.raises(ValueError, match="made on other data"):
        shipped.load_cv_search("grid_search_cv_cancer", None, X, y)


def run_cells(notebook, cells, namespace):
    for index in cells:
        source = notebook.cells[index].source
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(source, f"<{index}>", "exec"), namespace)
        plt.close("all")


@pytest.mark.parametrize("lesson", list(LESSONS))
def test_lesson_runs_on_its_shipped_result_with_the_search_skipped(lesson, monkeypatch):
    monkeypatch.setenv("NBTUNE_FAST", "0")  # the default budget: the shipped results' settings
    notebook = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    searches = search_cells(notebook, LESSONS[lesson]["searches"])
    stop = len(notebook.cells)
    if lesson in NEXT_LIVE_SEARCH:
        stop = search_cells(notebook, {"next": NEXT_LIVE_SEARCH[lesson]})["next"]
    code = [i for i, cell in enumerate(notebook.cells[:stop]) if cell.cell_type == "code"]
    # a Try it may read the shipped run to compare the student's with it: not a search's stand-in
    loaders = [i for i in code if any(loader in notebook.cells[i].source for loader in LOADERS)
               and not notebook.cells[i].id.startswith("try-it")]
    assert [i + 1 for i in loaders] == sorted(searches.values())  # each right before its search
    namespace = {"__name__": "__lesson__"}
    run_cells(notebook, [i for i in code if i not in searches.values()], namespace)

    info = lessons.precomputed_info(LESSONS[lesson]["name"])
    assert {key: namespace[key] for key in info["settings"]} == info["settings"]
    if lesson == "01_grid_search_cv":
        grid = namespace["grid"]
        assert grid.differences_ == {} and grid.best_params_ == namespace["params"][namespace["top"]]
        assert grid.best_estimator_.get_params()["batch_size"] == grid.best_params_["batch_size"]
        assert plots.cv_results_table(grid)["strategy"].unique().tolist() == ["grid"]  # its colour
    elif lesson == "03_random_search_cv":
        rscv = namespace["rscv"]
        assert rscv.differences_ == {} and isinstance(rscv.best_params_["units"], np.int64)
        assert info["search"]["space"] == {
            name: [to_python(value) for value in values] for name, values in namespace["param_grid"].items()}
        X_test, y_test = namespace["X_test_scaled"], namespace["y_test"]
        assert rscv.score(X_test, y_test) == namespace["best_model"].score(X_test, y_test)
    else:
        fine, narrow = namespace["fine"], namespace["narrow"]  # narrow: of the shipped coarse best
        grid = narrow.grid(points=namespace["FINE_POINTS"])
        assert len(fine.trials) == narrow.grid_size(points=namespace["FINE_POINTS"])
        assert {name: sorted(set(fine.trials[name])) for name in grid} == \
            {name: sorted(values) for name, values in grid.items()}
        assert namespace["test"].between(0.9, 1).all()  # both winners refitted and scored


def test_readme_and_instructors_name_the_slowest_lesson_the_times_measure():
    """README and INSTRUCTORS.md quote the same fact as lesson_times.json: which lesson is slowest."""
    from pathlib import Path

    times = lessons.lesson_times()["seconds"]
    slowest, seconds = times.idxmax()[:2], times.max()
    phrase = f"lesson {slowest} is the slowest (about {round(seconds / 10) * 10:.0f} s)"
    root = Path(__file__).parent.parent
    for doc in ("README.md", "notebooks/INSTRUCTORS.md"):
        text = " ".join((root / doc).read_text(encoding="utf-8").split())
        assert phrase in text, f"{doc} should say {phrase!r} (nbtune/lessons/precomputed/lesson_times.json)"
    assert seconds <= times.attrs["targets"]["seconds"]  # README: every lesson within about 90 s


def test_every_shipped_result_passes_the_checks_its_loader_makes():
    for name in CV_SEARCHES:
        assert shipped.cv_search_problem(lessons.precomputed_info(name)) is None
    for name in ("comparison_digits", "coarse_to_fine_digits"):
        assert len(lessons.load_precomputed(name).trials) == {"comparison_digits": 50,
                                                              "coarse_to_fine_digits": 23}[name]
    assert not lessons.lesson_times().empty


def test_saved_results_record_their_csv_and_a_changed_csv_is_refused(tmp_path):
    import pandas as pd

    from nbtune import SearchResult

    result = SearchResult(pd.DataFrame({"strategy": ["random"] * 3, "units": [16, 32, 64],
                                        "score": [0.8, 0.9, 0.85]}), scoring="accuracy")
    shipped.save_results([result], "mine", lesson="a test", settings={}, folder=tmp_path)
    info = lessons.precomputed_info("mine", folder=tmp_path)
    assert info["trials"] == {"random": 3} and len(info["csv_sha256"]) == 16
    assert lessons.load_precomputed("mine", folder=tmp_path).best_params == {"units": 32}
    csv = tmp_path / "mine.csv"
    csv.write_text("".join(csv.read_text().splitlines(keepends=True)[:-1]))  # the last trial lost
    with pytest.raises(ValueError, match=r"mine.csv: it holds \{'random': 2\} trials per strategy, "
                                         r"but its JSON lists \{'random': 3\}"):
        lessons.load_precomputed("mine", folder=tmp_path)


def test_a_misspelled_name_gets_the_shipped_names():
    with pytest.raises(FileNotFoundError, match=r"name='comparison_digit': nbtune ships no such "
                                                r"result; give one of \['coarse_to_fine_digits', "
                                                r"'comparison_digits'\]"):
        lessons.load_precomputed("comparison_digit")
