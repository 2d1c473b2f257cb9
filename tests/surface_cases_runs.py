"""Bad inputs to run folders: names that leave the folder given, wrong types, flags,
and links or special files planted inside a run folder.

Every search writes its run folder the same way (``nbtune.search.runlog``); the cases go
through ``grid_search`` (and ``hyperband`` for a ``build(hp)``, which is called once to read
its space) on 60 rows, one configuration, two folds, one epoch. The run folder's
``directory`` is ``tmp/runs``, so a name that escapes it still writes inside ``tmp``,
where the probe sees it.
"""

import functools
import json
import os

from surface_probe import Case


@functools.cache
def _data():
    from nbtune import data

    cancer = data.load_breast_cancer()
    return cancer.X_train[:60], cancer.y_train[:60]


def tiny(units=4):
    import keras

    model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


def tiny_hp(hp):
    import keras

    model = keras.Sequential([keras.layers.Dense(hp.Choice("units", [4]), activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


def _grid(tmp, **folder):
    from nbtune import Choice, SearchSpace, grid_search

    settings = {"directory": tmp / "runs", **folder}
    return grid_search(tiny, SearchSpace(Choice("units", [4])), *_data(), cv=2, epochs=1,
                       progress=False, **settings)


def _grid_with(**folder):
    def call(tmp):
        return _grid(tmp, **folder)
    return call


def absolute_project_name(tmp):
    return _grid(tmp, project_name=str(tmp / "elsewhere"))


def hyperband_escape(tmp):
    from nbtune import hyperband

    X, y = _data()
    return hyperband(tiny_hp, None, X, y, validation_data=(X, y), max_epochs=1,
                     progress=False, directory=tmp / "runs", project_name="../escape")


def compare_directory_int(tmp):
    from nbtune import Choice, SearchSpace, compare

    X, y = _data()
    return compare(tiny, SearchSpace(Choice("units", [4])), X, y, strategies=["grid"],
                   validation_data=(X, y), epochs=1, progress=False, directory=5)


def empty_directory(tmp):
    here = os.getcwd()
    os.chdir(tmp)  # directory="" is the working folder: keep the case's writes in tmp
    try:
        return _grid(tmp, directory="")
    finally:
        os.chdir(here)


def _hand_made_run(tmp):
    """A run folder holding a run: what ``overwrite`` would replace."""
    folder = tmp / "runs" / "grid"
    folder.mkdir(parents=True)
    (folder / "run.json").write_text(json.dumps({"format": 2, "strategy": "grid"}))
    (folder / "trials.jsonl").write_text('{"trial": 0, "score": 0.9}\n')


def _real_run_with_linked_trials(tmp):
    """A real finished run whose trials.jsonl is a link to a file outside the run folder."""
    _grid(tmp)
    trials = tmp / "runs" / "grid" / "trials.jsonl"
    precious = tmp / "precious.jsonl"
    precious.write_text(trials.read_text() + '{"not a finished line')
    trials.unlink()
    trials.symlink_to(precious)


def _dangling_header_link(tmp):
    folder = tmp / "runs" / "grid"
    folder.mkdir(parents=True)
    (tmp / "outside").mkdir()
    (folder / "run.json").symlink_to(tmp / "outside" / "run.json")


def _trials_fifo(tmp):
    folder = tmp / "runs" / "grid"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "trials.jsonl")


def _trials_folder(tmp):
    (tmp / "runs" / "grid" / "trials.jsonl").mkdir(parents=True)


def _dangling_directory(tmp):
    (tmp / "runs").symlink_to(tmp / "gone")


def _directory_is_file(tmp):
    (tmp / "runs").write_text("not a folder")


CASES = [
    # names that would leave the folder given
    Case("project_name-dotdot-slash", _grid_with(project_name="../escape"), "project_name"),
    Case("project_name-nested", _grid_with(project_name="a/b"), "project_name"),
    Case("project_name-absolute", absolute_project_name, "project_name"),
    Case("project_name-dotdot", _grid_with(project_name=".."), "project_name"),
    Case("project_name-dot", _grid_with(project_name="."), "project_name"),
    Case("project_name-empty", _grid_with(project_name=""), "project_name"),
    Case("project_name-backslash", _grid_with(project_name="a\\b"), "project_name"),
    Case("project_name-nul", _grid_with(project_name="a\0b"), "project_name"),
    Case("project_name-int", _grid_with(project_name=5), "project_name"),
    Case("project_name-build-hp", hyperband_escape, "project_name"),
    # the directory itself
    Case("directory-int", _grid_with(directory=5), "directory"),
    Case("directory-empty", empty_directory, "directory"),
    Case("directory-compare-int", compare_directory_int, "directory"),
    Case("directory-dangling-link", _grid_with(), "directory", setup=_dangling_directory),
    Case("directory-nul", _grid_with(directory="runs\0"), "directory"),
    Case("directory-is-a-file", _grid_with(), "directory", setup=_directory_is_file),
    # flags that are not True/False
    Case("overwrite-str", _grid_with(overwrite="no"), "overwrite", setup=_hand_made_run),
    Case("resume-str", _grid_with(resume="no"), "resume"),
    # links and special files inside a run folder
    Case("trials-link-resume", _grid_with(resume=True), "trials.jsonl",
         setup=_real_run_with_linked_trials),
    Case("header-dangling-link", _grid_with(), "run.json", setup=_dangling_header_link),
    Case("trials-fifo", _grid_with(), "trials.jsonl", setup=_trials_fifo, isolated=True,
         seconds=5),  # reading a pipe blocks: in a subprocess, stopped in time
    Case("trials-folder", _grid_with(), "trials.jsonl", setup=_trials_folder),
]
