"""Bad inputs to the results nbtune ships (``nbtune.lessons``: ``load_precomputed``,
``precomputed_info``, ``load_cv_search``, ``lesson_times``) and to the functions that
write them (``save_results``, ``save_cv_search``, ``precompute``).

A bad file is a copy of a shipped one in the case's own folder, damaged there;
the shipped files are only read, and watched.
"""

import hashlib
import json
import shutil
from pathlib import Path

from surface_probe import Case

# imported here, before a subprocess case's address-space limit is set: nbtune.lessons
# alone takes about 400 MB of it (numpy's and scikit-learn's thread pools), more than
# the limit's headroom
import nbtune.lessons  # noqa: F401

COMPARISON = "comparison_digits"
CV = "grid_search_cv_cancer"


def shipped_folder() -> Path:
    from nbtune.lessons import shipped

    return shipped.precomputed_folder()


def shipped_snapshot():
    """Digests of the shipped results: a case must leave them as they are."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(shipped_folder().iterdir()) if p.is_file()}


def copy(tmp, *names):
    for name in names:
        shutil.copy(shipped_folder() / name, tmp / name)


def comparison_lines(edit):
    """A setup: the shipped comparison, its CSV lines (header first) passed through ``edit``."""
    def setup(tmp):
        copy(tmp, f"{COMPARISON}.json")
        lines = (shipped_folder() / f"{COMPARISON}.csv").read_text().splitlines()
        (tmp / f"{COMPARISON}.csv").write_text("\n".join(edit(lines)) + "\n")
    return setup


def score_of_first(value):
    def edit(lines):
        header = lines[0].split(",")
        row = lines[1].split(",")
        row[header.index("score")] = value
        return [lines[0], ",".join(row), *lines[2:]]
    return edit


def truncated_mid_line(tmp):
    copy(tmp, f"{COMPARISON}.json")
    text = (shipped_folder() / f"{COMPARISON}.csv").read_text()
    (tmp / f"{COMPARISON}.csv").write_text(text[:300])  # 3 whole trials, and part of a fourth


def json_truncated(name):
    def setup(tmp):
        copy(tmp, *[p.name for p in shipped_folder().glob(f"{name}.*")])
        text = (tmp / f"{name}.json").read_text()
        (tmp / f"{name}.json").write_text(text[: len(text) // 2])
    return setup


def json_edited(name, edit):
    def setup(tmp):
        copy(tmp, *[p.name for p in shipped_folder().glob(f"{name}.*")])
        info = json.loads((tmp / f"{name}.json").read_text())
        edit(info)
        (tmp / f"{name}.json").write_text(json.dumps(info))
    return setup


def load_precomputed(name=COMPARISON, here=True):
    def call(tmp):
        from nbtune import lessons

        return lessons.load_precomputed(name, **({"folder": tmp} if here else {}))
    return call


def precomputed_info(name=COMPARISON, here=True):
    def call(tmp):
        from nbtune import lessons

        return lessons.precomputed_info(name, **({"folder": tmp} if here else {}))
    return call


def small_cancer():
    from nbtune import data

    X, y = data.load_breast_cancer().train
    return X[:60], y[:60]


def load_cv_search(name=CV, here=True):
    def call(tmp):
        from sklearn.linear_model import LogisticRegression

        from nbtune.lessons import shipped

        return shipped.load_cv_search(name, LogisticRegression(), *small_cancer(),
                                      **({"folder": tmp} if here else {}))
    return call


def lesson_times(tmp):
    from nbtune import lessons

    return lessons.lesson_times(folder=tmp)


def save_results_escaping(tmp):
    import pandas as pd

    from nbtune import SearchResult
    from nbtune.lessons import shipped

    result = SearchResult(pd.DataFrame({"strategy": ["random"], "units": [32], "score": [0.9]}))
    return shipped.save_results([result], "../escaped", lesson="a test", settings={},
                                folder=tmp / "sub")


def save_cv_search_escaping(tmp):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    from nbtune.lessons import shipped

    X, y = small_cancer()
    search = GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=2).fit(X, y)
    return shipped.save_cv_search(search, "../escaped", lesson="a test", X=X, y=y, settings={},
                                  folder=tmp / "sub")


def precompute_escaping(tmp):
    from nbtune import lessons

    return lessons.precompute(tmp, fast=True, progress=False, name="../escaped")


def precompute_fast_into_shipped(tmp):
    from nbtune import lessons

    return lessons.precompute(fast=True, progress=False)


def lesson_times_edited(edit):
    return json_edited("lesson_times", edit)


def _drop(key):
    return lambda info: info.pop(key)


def _set(key, value):
    return lambda info: info.__setitem__(key, value)


def _first_lesson_seconds(value):
    return lambda info: info["lessons"][0].__setitem__("seconds", value)


CASES = [
    # load_precomputed: the CSV
    Case("csv-truncated-mid-line", load_precomputed(), f"{COMPARISON}.csv",
         setup=truncated_mid_line, trains=False),
    Case("csv-truncated-at-a-line", load_precomputed(), f"{COMPARISON}.csv",
         setup=comparison_lines(lambda lines: lines[:4]), trains=False),
    Case("csv-last-strategy-cut", load_precomputed(), f"{COMPARISON}.csv",
         setup=comparison_lines(lambda lines: lines[:-3]), trains=False),
    Case("csv-score-7.5", load_precomputed(), "score", setup=comparison_lines(score_of_first("7.5")),
         trains=False),
    Case("csv-score-nan", load_precomputed(), "score", setup=comparison_lines(score_of_first("nan")),
         trains=False),
    Case("csv-score-column-missing", load_precomputed(), "score",
         setup=comparison_lines(lambda lines: [",".join(line.split(",")[:4] + line.split(",")[5:])
                                               for line in lines]), trains=False),
    Case("json-truncated", load_precomputed(), f"{COMPARISON}.json",
         setup=json_truncated(COMPARISON), trains=False),
    Case("json-not-object", load_precomputed(), f"{COMPARISON}.json",
         setup=json_edited(COMPARISON, lambda info: info.clear()), trains=False),
    # names
    Case("load-precomputed-misspelled", load_precomputed("comparison_digit", here=False),
         COMPARISON, trains=False),
    Case("load-precomputed-dotdot", load_precomputed(f"../precomputed/{COMPARISON}", here=False),
         "name", trains=False),
    Case("load-precomputed-not-text", load_precomputed(4, here=False), "name", trains=False),
    Case("load-precomputed-folder-missing", lambda tmp: load_precomputed()(tmp / "nowhere"),
         "folder", trains=False),
    Case("precomputed-info-misspelled", precomputed_info("coarse_to_fine", here=False),
         "coarse_to_fine_digits", trains=False),
    Case("precomputed-info-dotdot", precomputed_info("../precomputed/lesson_times", here=False),
         "name", trains=False),
    Case("precomputed-info-json-truncated", precomputed_info(CV), f"{CV}.json",
         setup=json_truncated(CV), trains=False),
    # load_cv_search
    Case("cv-search-misspelled", load_cv_search("grid_search_cancer", here=False), CV, trains=False),
    Case("cv-search-not-a-cv-search", load_cv_search(COMPARISON, here=False), COMPARISON,
         trains=False),
    Case("cv-search-best-score-7.5", load_cv_search(), "best_score",
         setup=json_edited(CV, _set("best_score", 7.5)), trains=False),
    Case("cv-search-best-index-beyond", load_cv_search(), "best_index",
         setup=json_edited(CV, _set("best_index", 99)), trains=False),
    Case("cv-search-cv-results-missing", load_cv_search(), "cv_results",
         setup=json_edited(CV, lambda info: info["cv_results"].pop("params")), trains=False),
    Case("cv-search-json-truncated", load_cv_search(), f"{CV}.json", setup=json_truncated(CV),
         trains=False),
    # lesson_times
    Case("lesson-times-json-truncated", lesson_times, "lesson_times.json",
         setup=json_truncated("lesson_times"), trains=False),
    Case("lesson-times-lessons-missing", lesson_times, "lessons",
         setup=lesson_times_edited(_drop("lessons")), trains=False),
    Case("lesson-times-seconds-negative", lesson_times, "seconds",
         setup=lesson_times_edited(_first_lesson_seconds(-3)), trains=False),
    # writers: names used as file names, and the shipped files
    Case("save-results-dotdot", save_results_escaping, "name", trains=False),
    Case("save-cv-search-dotdot", save_cv_search_escaping, "name", trains=False),
    Case("precompute-dotdot", precompute_escaping, "name"),
    # in a subprocess with a time and memory limit: should it train, it must not get as far as
    # replacing the shipped files; without Keras imported first (trains=False): a refusal
    # comes before any import of it
    Case("precompute-fast-into-shipped", precompute_fast_into_shipped, "folder", isolated=True,
         seconds=20, watch=shipped_snapshot, trains=False),
]
