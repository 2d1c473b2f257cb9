"""Bad inputs to tabulated benchmarks: the table files, ``load``, the table's methods,
``write``, ``tabulate`` and ``python -m nbtune tabulate``.

A bad file is a copy of the shipped tiny table (4 configurations x 2 seeds x 3
epochs) in the case's own folder, damaged there; the shipped files are only
read, and watched. Unless a case damages the checksum itself, the copy's
``csv_sha256`` is made to match its damaged CSV, so the check behind it is
the one probed.
"""

import contextlib
import gzip
import hashlib
import io
import json
import os
from pathlib import Path

from surface_probe import Case

# imported here, before a subprocess case's address-space limit is set: nbtune.lessons
# alone takes about 400 MB of it (numpy's and scikit-learn's thread pools), more than
# the limit's headroom
import nbtune.cli  # noqa: F401
import nbtune.lessons  # noqa: F401

TINY = "digits-mlp-tiny"


def shipped_tables() -> Path:
    import nbtune.benchmarks

    return Path(nbtune.benchmarks.__file__).parent / "tables"


def shipped_snapshot():
    """Sizes and digests of the shipped tables: a case must leave them as they are."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(shipped_tables().iterdir())}


def tiny(tmp):
    from nbtune import benchmarks

    return benchmarks.load(TINY)


def tiny_csv() -> str:
    return gzip.decompress((shipped_tables() / f"{TINY}.csv.gz").read_bytes()).decode()


def tiny_json() -> dict:
    return json.loads((shipped_tables() / f"{TINY}.json").read_text())


def save_table(tmp, csv_text=None, description=None, *, csv_bytes=None, checksum=True):
    """Write ``tmp/digits-mlp-tiny.{json,csv.gz}``: the shipped ones, or those given."""
    description = tiny_json() if description is None else description
    if csv_bytes is None:
        csv_bytes = gzip.compress((tiny_csv() if csv_text is None else csv_text).encode(), mtime=0)
    (tmp / f"{TINY}.csv.gz").write_bytes(csv_bytes)
    if checksum:
        description["csv_sha256"] = hashlib.sha256(csv_bytes).hexdigest()[:16]
    (tmp / f"{TINY}.json").write_text(json.dumps(description))


def edit_rows(edit):
    """A setup writing the tiny table with its CSV lines (header first) passed through ``edit``."""
    def setup(tmp):
        lines = tiny_csv().splitlines()
        save_table(tmp, "\n".join(edit(lines)) + "\n")
    return setup


def load_copy(tmp):
    from nbtune import benchmarks

    return benchmarks.load(TINY, folder=tmp)


# ------------------------------------------------------------------ damaged files
def csv_truncated(tmp):
    data = (shipped_tables() / f"{TINY}.csv.gz").read_bytes()
    save_table(tmp, csv_bytes=data[: len(data) // 2], checksum=False)


def csv_not_gzip(tmp):
    save_table(tmp, csv_bytes=tiny_csv().encode(), checksum=False)


def csv_missing(tmp):
    save_table(tmp)
    (tmp / f"{TINY}.csv.gz").unlink()


def json_truncated(tmp):
    save_table(tmp)
    text = (tmp / f"{TINY}.json").read_text()
    (tmp / f"{TINY}.json").write_text(text[: len(text) // 2])


def json_not_object(tmp):
    save_table(tmp)
    (tmp / f"{TINY}.json").write_text("[1, 2, 3]")


def json_without_space(tmp):
    description = tiny_json()
    del description["space"]
    save_table(tmp, description=description)


def checksum_mismatch(tmp):
    text = tiny_csv().replace("0.288889", "0.988889", 1)
    save_table(tmp, text, checksum=False)  # the stored csv_sha256 is the shipped CSV's


def space_edited(tmp):
    description = tiny_json()
    description["space"]["dimensions"][0]["values"] = [16, 32]  # 32 was never trained
    save_table(tmp, description=description)


def fits_missing(tmp):
    description = tiny_json()
    description["fits"] = description["fits"][1:]
    save_table(tmp, description=description)


def replace_column(name, value):
    def edit(lines):
        header = lines[0].split(",")
        at = header.index(name)
        row = lines[1].split(",")
        row[at] = value
        return [lines[0], ",".join(row), *lines[2:]]
    return edit


def drop_column(name):
    def edit(lines):
        at = lines[0].split(",").index(name)
        return [",".join(v for i, v in enumerate(line.split(",")) if i != at) for line in lines]
    return edit


# ------------------------------------------------------------------ load's names
def load_name(name, **kwargs):
    def call(tmp):
        from nbtune import benchmarks

        return benchmarks.load(name, **kwargs)
    return call


def table_in_sub(tmp):
    (tmp / "sub").mkdir()
    save_table(tmp / "sub")


def name_with_separator(tmp):
    from nbtune import benchmarks

    return benchmarks.load(f"sub/{TINY}", folder=tmp)


def folder_missing(tmp):
    from nbtune import benchmarks

    return benchmarks.load(TINY, folder=tmp / "nowhere")


# ------------------------------------------------------------------ the table's methods
def method(name, *args, **kwargs):
    def call(tmp):
        return getattr(tiny(tmp), name)(*args, **kwargs)
    return call


def mean_curve_outside_subset(tmp):
    return tiny(tmp).subset(units=[64]).mean_curve(0)  # configuration 0 has 16 units


# ------------------------------------------------------------------ write
def fake_run(tmp, fits=None):
    """A run folder of ``tabulate`` rebuilt from the tiny table (its first ``fits`` fits)."""
    from sklearn.model_selection import ParameterGrid

    from nbtune import SearchSpace

    description = tiny_json()
    space = SearchSpace.from_dict(description["space"])
    configs = [space.to_python(c) for c in ParameterGrid(space.grid())]
    rows = [line.split(",") for line in tiny_csv().splitlines()]
    header, rows = rows[0], rows[1:]
    folder = tmp / "run" / TINY
    folder.mkdir(parents=True)
    (folder / "run.json").write_text(json.dumps(description["fingerprint"]))
    records = []
    for fit in description["fits"]:
        config, seed = fit["config"], fit["seed"]
        curves = [{k: float(v) if k != "epoch" else int(v) for k, v in zip(header, row)
                   if k not in ("config", "seed")}
                  for row in rows if int(row[0]) == config and int(row[1]) == seed]
        records.append({"trial": config * 2 + seed, "seed": seed, **configs[config],
                        "curves": curves, "build_seconds": fit["build_seconds"],
                        "test_accuracy": fit["test_accuracy"]})
    records = records[:fits]
    (folder / "trials.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return folder


RUN = f"run/{TINY}"  # where fake_run puts the run folder


def one_fit(tmp):
    fake_run(tmp, fits=1)


def write_run(name=TINY, out="out"):
    def call(tmp):
        from nbtune import benchmarks

        return benchmarks.write(tmp / RUN, tmp / out if out else shipped_tables(), name)
    return call


def write_run_missing(tmp):
    from nbtune import benchmarks

    return benchmarks.write(tmp / "nowhere", tmp / "out", TINY)


def trials_truncated(tmp):
    folder = fake_run(tmp)
    text = (folder / "trials.jsonl").read_text()
    (folder / "trials.jsonl").write_text(text[: len(text) - 40])


def table_written_earlier(tmp):
    fake_run(tmp)
    (tmp / "out").mkdir()
    save_table(tmp / "out")  # a table written earlier: not replaced without overwrite=True


# ------------------------------------------------------------------ tabulate
def tabulate_with(**changes):
    def call(tmp):
        from nbtune import Choice, SearchSpace, benchmarks, data, lessons

        settings = dict(space=SearchSpace(Choice("units", [4]), Choice("learning_rate", [0.01])),
                        build_fn=lessons.build_digits_model, dataset=data.load_digits(),
                        directory=str(tmp), project_name="t", seeds=(0,), max_epochs=1)
        settings.update(changes)
        return benchmarks.tabulate(**settings)
    return call


def not_finite_space():
    from nbtune import Float, SearchSpace

    return SearchSpace(Float("learning_rate", 1e-3, 1e-1))


def tabulate_space_not_finite(tmp):
    return tabulate_with(space=not_finite_space())(tmp)


def tabulate_dataset_tuple(tmp):
    from nbtune import data

    return tabulate_with(dataset=data.load_digits().train)(tmp)


def cli_tabulate(*args):
    """``python -m nbtune tabulate ARGS``: argparse's refusal (exit 2, stderr) as a ValueError."""
    def call(tmp):
        from nbtune.cli import main

        here, errors = os.getcwd(), io.StringIO()
        os.chdir(tmp)
        try:
            with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
                return main(["tabulate", "--quiet", "--work", str(tmp / "work"), *args])
        except SystemExit as exc:
            raise ValueError(errors.getvalue().strip() or f"exit {exc.code}") from None
        finally:
            os.chdir(here)
    return call


CASES = [
    # the files
    Case("load-csv-truncated", load_copy, f"{TINY}.csv.gz", setup=csv_truncated, trains=False),
    Case("load-csv-not-gzip", load_copy, f"{TINY}.csv.gz", setup=csv_not_gzip, trains=False),
    Case("load-csv-missing", load_copy, f"{TINY}.csv.gz", setup=csv_missing, trains=False),
    Case("load-json-truncated", load_copy, f"{TINY}.json", setup=json_truncated, trains=False),
    Case("load-json-not-object", load_copy, f"{TINY}.json", setup=json_not_object, trains=False),
    Case("load-json-without-space", load_copy, "space", setup=json_without_space, trains=False),
    Case("load-checksum-mismatch", load_copy, "csv_sha256", setup=checksum_mismatch, trains=False),
    Case("load-space-edited", load_copy, "space", setup=space_edited, trains=False),
    Case("load-fits-missing", load_copy, "fits", setup=fits_missing, trains=False),
    Case("load-epoch-row-missing", load_copy, "epoch",
         setup=edit_rows(lambda lines: lines[:3] + lines[4:]), trains=False),
    Case("load-row-duplicated", load_copy, ("duplicate", "twice"),
         setup=edit_rows(lambda lines: lines + lines[1:2]), trains=False),
    Case("load-column-missing", load_copy, "val_loss", setup=edit_rows(drop_column("val_loss")),
         trains=False),
    Case("load-score-text", load_copy, "val_accuracy",
         setup=edit_rows(replace_column("val_accuracy", "high")), trains=False),
    Case("load-score-nan", load_copy, "val_accuracy",
         setup=edit_rows(replace_column("val_accuracy", "nan")), trains=False),
    Case("load-accuracy-above-1", load_copy, "val_accuracy",
         setup=edit_rows(replace_column("val_accuracy", "1.5")), trains=False),
    Case("load-seconds-negative", load_copy, "seconds",
         setup=edit_rows(replace_column("seconds", "-0.5")), trains=False),
    Case("load-config-unknown", load_copy, "config",
         setup=edit_rows(replace_column("config", "99")), trains=False),
    Case("load-seed-unknown", load_copy, "seed",
         setup=edit_rows(replace_column("seed", "7")), trains=False),
    # load's arguments
    Case("load-name-dotdot", load_name(f"../tables/{TINY}"), "name", trains=False),
    Case("load-name-separator", name_with_separator, "name", setup=table_in_sub, trains=False),
    Case("load-name-misspelled", load_name("digits-mlp-tinyy"), TINY, trains=False),
    Case("load-name-not-text", load_name(None), "name", trains=False),
    Case("load-folder-missing", folder_missing, "folder", trains=False),
    # the table's methods
    Case("true-best-epochs-0", method("true_best", 0), "epochs", trains=False),
    Case("true-best-epochs-99", method("true_best", 99), "epochs", trains=False),
    Case("true-best-epochs-fraction", method("true_best", 2.5), "epochs", trains=False),
    Case("true-best-epochs-text", method("true_best", "3"), "epochs", trains=False),
    Case("curve-config-99", method("curve", 99, 0), "config", trains=False),
    Case("curve-seed-9", method("curve", 0, 9), "seed", trains=False),
    Case("curve-config-text", method("curve", "0", 0), "config", trains=False),
    Case("mean-curve-config-99", method("mean_curve", 99), "config", trains=False),
    Case("mean-curve-outside-subset", mean_curve_outside_subset, "config", trains=False),
    Case("config-of-dimension-missing", method("config_of", {"units": 16}), "learning_rate",
         trains=False),
    Case("config-of-value-untrained", method("config_of", {"units": 32, "learning_rate": 0.01,
                                                           "batch_size": 32, "dropout_rate": 0.0}),
         "units", trains=False),
    Case("config-of-not-dict", method("config_of", 3), "params", trains=False),
    Case("subset-dimension-unknown", method("subset", width=[16]), "width", trains=False),
    Case("subset-not-a-list", method("subset", units=64), "units", trains=False),
    # write
    Case("write-incomplete-run", write_run(), "1 of 8", setup=one_fit, trains=False),
    Case("write-name-dotdot", write_run("../escaped"), "name", setup=fake_run, trains=False),
    Case("write-run-missing", write_run_missing, ("folder", "run.json"), trains=False),
    Case("write-trials-truncated", write_run(), "trials.jsonl", setup=trials_truncated,
         trains=False),
    Case("write-over-existing", write_run(), "overwrite", setup=table_written_earlier, trains=False),
    Case("write-over-shipped", write_run(out=None), "overwrite", setup=fake_run, trains=False,
         watch=shipped_snapshot),
    # tabulate
    Case("tabulate-seeds-empty", tabulate_with(seeds=[]), "seeds"),
    Case("tabulate-seeds-twice", tabulate_with(seeds=[0, 0]), "seeds"),
    Case("tabulate-seeds-text", tabulate_with(seeds="01"), "seeds"),
    Case("tabulate-max-epochs-0", tabulate_with(max_epochs=0), "max_epochs"),
    Case("tabulate-batch-size-0", tabulate_with(batch_size=0), "batch_size"),
    Case("tabulate-n-jobs-0", tabulate_with(n_jobs=0), "n_jobs"),
    Case("tabulate-progress-not-callable", tabulate_with(progress=True), "progress"),
    Case("tabulate-project-name-dotdot", tabulate_with(project_name="../escaped"), "project_name"),
    Case("tabulate-space-not-finite", tabulate_space_not_finite, "space"),
    Case("tabulate-dataset-tuple", tabulate_dataset_tuple, "dataset"),
    # in a subprocess with a time limit, in case they train (hours, for the second), and
    # without Keras imported first (trains=False): a refusal comes before any import of it
    Case("cli-tabulate-fast-without-out", cli_tabulate("--fast"), "--out", isolated=True,
         seconds=20, watch=shipped_snapshot, trains=False),
    Case("cli-tabulate-over-shipped", cli_tabulate(), "--out", isolated=True, seconds=20,
         watch=shipped_snapshot, trains=False),
]
