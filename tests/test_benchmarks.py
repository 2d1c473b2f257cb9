"""Tabulating a space: the run folder, resume, the written files, and what they refuse.

A 2-configuration space with 2 seeds and 3 epochs is tabulated here for real,
the way ``python -m nbtune tabulate`` makes the shipped ``digits-mlp`` table.
"""

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from nbtune import Choice, SearchSpace, benchmarks, data, lessons  # noqa: E402
from nbtune.training.estimator import KerasClassifier  # noqa: E402

SPACE = SearchSpace(Choice("units", [16, 64]), Choice("learning_rate", [0.01]))


class StopAfter:
    """A progress callback that stops the run (as Ctrl-C would) after ``fits`` fits."""

    def __init__(self, fits):
        self.fits = fits

    def __call__(self, done, total):
        if done >= self.fits:
            raise KeyboardInterrupt


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A table made in two goes: stopped after one fit, then resumed."""
    work, out = tmp_path_factory.mktemp("work"), tmp_path_factory.mktemp("out")
    digits = data.load_digits()
    settings = dict(directory=str(work), project_name="tiny", seeds=(0, 1), max_epochs=3)
    with pytest.raises(KeyboardInterrupt):
        benchmarks.tabulate(SPACE, lessons.build_digits_model, digits, progress=StopAfter(1),
                            **settings)
    lines_after_stop = (work / "tiny" / "trials.jsonl").read_text().splitlines()
    folder = benchmarks.tabulate(SPACE, lessons.build_digits_model, digits, resume=True,
                                 **settings)
    benchmarks.write(folder, out, "tiny", about={"command": "a test"})
    return folder, out, lines_after_stop


def test_a_stopped_table_resumes_without_training_a_fit_twice(made):
    folder, _, lines_after_stop = made
    records = [json.loads(line) for line in (folder / "trials.jsonl").read_text().splitlines()]
    assert len(lines_after_stop) == 1
    assert sorted(r["trial"] for r in records) == [0, 1, 2, 3]  # 2 configurations x 2 seeds, once each
    assert records[0] == json.loads(lines_after_stop[0])  # the first fit kept, not retrained


def test_the_written_table_is_what_a_fit_with_its_seed_gives(made):
    _, out, _ = made
    bench = benchmarks.load("tiny", folder=out)
    assert bench.seeds == [0, 1] and bench.max_epochs == 3 and bench.space.size == 2
    assert len(bench.curves) == 2 * 2 * 3 and bench.description["command"] == "a test"
    assert bench.description["machine"]["nproc"] >= 1 and bench.description["fit_seconds_total"] > 0
    digits = data.load_digits()
    live = KerasClassifier(lessons.build_digits_model, epochs=3, random_state=1, batch_size=32,
                           units=64, learning_rate=0.01)
    live.fit(*digits.train, validation_data=digits.validation)
    accuracy, seconds, build = bench.curve(bench.config_of({"units": 64, "learning_rate": 0.01}), 1)
    assert accuracy[-1] == pytest.approx(live.score(*digits.validation), abs=1e-6)
    assert (seconds > 0).all() and build > 0


def test_a_table_with_a_paused_fit_is_not_written(made, tmp_path):
    folder, _, _ = made
    doctored = tmp_path / "tiny"
    doctored.mkdir()
    (doctored / "run.json").write_text((folder / "run.json").read_text())
    records = [json.loads(line) for line in (folder / "trials.jsonl").read_text().splitlines()]
    records[2]["curves"][1]["seconds"] = 218.0  # a laptop lid closed during epoch 2 of fit 2
    (doctored / "trials.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    with pytest.raises(ValueError, match=r"fits \[2\] of .* paused .*--resume"):
        benchmarks.write(doctored, tmp_path / "out", "tiny")


def test_load_and_subset_name_what_they_lack(made):
    _, out, _ = made
    with pytest.raises(ValueError, match=r"name='nope': no benchmark .* give one of \['tiny'\]"):
        benchmarks.load("nope", folder=out)
    bench = benchmarks.load("tiny", folder=out)
    with pytest.raises(ValueError, match=r"units values are \[16, 64\]"):
        bench.subset(units=[32])
    with pytest.raises(ValueError, match=r"subset\(units=64\): give a list"):
        bench.subset(units=64)
    part = bench.subset(units=[64])
    assert part.space.size == 1 and set(part.curves["config"]) == {1}
    assert np.array_equal(part.mean_curve(1), bench.mean_curve(1))


def test_write_refuses_a_run_that_is_not_finished_and_a_table_that_exists(made, tmp_path):
    folder, out, _ = made
    stopped = tmp_path / "run" / "tiny"
    stopped.mkdir(parents=True)
    (stopped / "run.json").write_text((folder / "run.json").read_text())
    first = (folder / "trials.jsonl").read_text().splitlines()[0]
    (stopped / "trials.jsonl").write_text(first + "\n")
    with pytest.raises(ValueError, match=r"holds 1 of 4 fits.*resume=True"):
        benchmarks.write(stopped, tmp_path / "out", "tiny")
    assert not (tmp_path / "out").exists()  # refused before anything was written

    with pytest.raises(FileExistsError, match=r"tiny.json exists: pass overwrite=True"):
        benchmarks.write(folder, out, "tiny")
    before = benchmarks.load("tiny", folder=out)
    benchmarks.write(folder, out, "tiny", about={"command": "again"}, overwrite=True)
    again = benchmarks.load("tiny", folder=out)  # the new files: checked and read afresh
    assert again.description["command"] == "again" and again.curves.equals(before.curves)


def test_a_table_is_checked_once_and_each_load_gets_its_own_copy(made, monkeypatch):
    from nbtune.benchmarks import table

    _, out, _ = made
    first = benchmarks.load("tiny", folder=out)
    checked = []
    monkeypatch.setattr(table, "curves_problem", lambda *args: checked.append(args))
    first.curves["val_accuracy"] = 0.0  # a student's edit of the loaded table
    second = benchmarks.load("tiny", folder=out)
    assert checked == [] and second.curves["val_accuracy"].max() > 0  # not checked again, not edited


def test_the_tables_methods_take_what_the_table_has(made):
    _, out, _ = made
    bench = benchmarks.load("tiny", folder=out)
    part = bench.subset(units=[64])
    # a subset's fixed dimensions may be given, at their value; anything else is refused
    assert part.config_of({"units": 64, "learning_rate": 0.01}) == 1
    with pytest.raises(ValueError, match=r"units=16 is not in this table: its units is \[64\]"):
        part.config_of({"units": 16, "learning_rate": 0.01})
    with pytest.raises(ValueError, match=r"'width' is not a dimension"):
        bench.config_of({"units": 64, "learning_rate": 0.01, "width": 3})
    assert bench.true_best(epochs=np.int64(1))["config"] in (0, 1)
    with pytest.raises(ValueError, match=r"config=0 is not a configuration .* subset: give one of \[1\]"):
        part.curve(0, 0)
    with pytest.raises(ValueError, match=r"seed=True is not a seed"):
        bench.curve(1, True)  # not taken as seed 1
    best = bench.true_best()  # a Series of numbers: its config is a float, 0.0 or 1.0
    assert np.array_equal(bench.mean_curve(best["config"]), bench.mean_curve(int(best["config"])))
    with pytest.raises(TypeError, match=r"config=0.5 is not a configuration number: give one of"):
        bench.mean_curve(0.5)
