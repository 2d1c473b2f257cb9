#!/usr/bin/env python
"""The lessons' three searches the usual way today, and the same searches through nbtune.

Peers (what a student finds on the web and what still runs on today's libraries):

- grid:      scikeras ``KerasClassifier`` + sklearn ``GridSearchCV`` over ``batch_size``
             (5 batch sizes x 3 folds x 5 epochs on the digits training split);
- random:    scikeras ``KerasClassifier`` + sklearn ``RandomizedSearchCV``
             (8 configurations of units, batch_size, activation, dropout_rate,
             optimizer; cv=3, 5 epochs);
- hyperband: plain ``keras_tuner.Hyperband(max_epochs=9, factor=3)`` with a
             ``model_builder(hp)`` scored on the validation split.

nbtune runs the same space, data, folds, epochs and seeds through
``nbtune.grid_search`` / ``nbtune.random_search`` / ``nbtune.hyperband`` (or, with
``--nbtune-mode sklearn``, the lesson's own code: ``nbtune.KerasClassifier`` inside
the same ``GridSearchCV`` / ``RandomizedSearchCV``).

The nbtune side runs with one-call fits on (``NBTUNE_GRAPH_FIT=1``:
``nbtune/training/graph_fit.py``); a third side, *before*, is nbtune with them
off (``NBTUNE_GRAPH_FIT=0``: every fit through Keras's ``fit``, as before issue
26), so before and after are measured side by side in one sitting.

Every side runs in its own fresh Python process (``subprocess`` with
``sys.executable``), one after another, so import time and peak memory
(``ru_maxrss`` of that process) belong to that side alone.

    /work/venv/bin/python bench/source_vs_nbtune.py            # full run, ~5 min on 2 cores
    /work/venv/bin/python bench/source_vs_nbtune.py --quick    # smoke run, < 2 min
    /work/venv/bin/python bench/source_vs_nbtune.py --searches grid hyperband --json out.json

Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import datetime
import json
import platform
import resource
import statistics
import subprocess
import sys
import time

SEARCHES = ("grid", "random", "hyperband")
SIDES = ("peer", "before", "nbtune")  # before: nbtune with every fit through Keras's fit
MARK = "BENCH_RESULT "

# Every figure of a search in one place; --quick replaces them.
FULL = {
    "grid": dict(batch_size=[8, 16, 32, 64, 128], cv=3, epochs=5, seed=0),
    "random": dict(
        n_iter=8, cv=3, epochs=5, seed=12,
        space=dict(
            units=list(range(32, 512, 32)),
            batch_size=[32, 64, 128, 256, 512],
            activation=["relu", "sigmoid"],
            dropout_rate=[0.2, 0.3, 0.4, 0.5],
            optimizer=["adam", "adagrad", "rmsprop"],
        ),
    ),
    "hyperband": dict(max_epochs=9, factor=3, seed=0),
}
QUICK = {
    "grid": dict(FULL["grid"], batch_size=[32, 128], cv=2, epochs=1),
    "random": dict(FULL["random"], n_iter=2, cv=2, epochs=1),
    "hyperband": dict(FULL["hyperband"], max_epochs=2),
}


# ------------------------------------------------------------------ the models
def create_model():
    """Lesson 01's model, for the digits: one hidden layer of 100 units."""
    import keras

    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(100, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def make_model_rscv(units=64, activation="relu", dropout_rate=0.3, optimizer="adam"):
    """Lesson 03's model (without its L1/L2 layer), for the digits."""
    import keras

    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(units, activation=activation),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dropout(dropout_rate),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def model_builder(hp):
    """Lesson 02's keras-tuner model builder."""
    import keras

    model = keras.Sequential([
        keras.Input((64,)),
        keras.layers.Dense(hp.Int("units", min_value=32, max_value=512, step=32), activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    learning_rate = hp.Choice("learning_rate", values=[1e-2, 1e-3, 1e-4])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# ------------------------------------------------------------------ one side, in a child
def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _plain(params: dict) -> dict:
    out = {}
    for key, value in params.items():
        out[key] = value.item() if hasattr(value, "item") else value
    return out


def run_side(search: str, side: str, cfg: dict, nbtune_mode: str, refit: bool) -> dict:
    """Import what the side needs, run its search, return the figures."""
    started = time.perf_counter()
    import warnings

    warnings.filterwarnings("ignore")
    import keras  # noqa: F401  both sides need Keras; imported inside the timed start-up

    if side == "peer":
        if search == "hyperband":
            import keras_tuner as kt
        else:
            from scikeras.wrappers import KerasClassifier
            from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
    else:
        import nbtune
        from nbtune import Choice, SearchSpace
        if nbtune_mode == "sklearn":
            from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
        if search == "hyperband":
            import keras_tuner  # noqa: F401  imported by nbtune.hyperband anyway
    from nbtune import data

    digits = data.load_digits()
    X, y = digits.train
    import_seconds = time.perf_counter() - started
    rss_after_import = _rss_mb()

    search_started = time.perf_counter()
    n_fits = None
    if search == "grid":
        grid = dict(batch_size=cfg["batch_size"])
        n_fits = len(cfg["batch_size"]) * cfg["cv"] + (1 if refit else 0)
        if side == "peer" or nbtune_mode == "sklearn":
            if side == "peer":
                model = KerasClassifier(model=create_model, epochs=cfg["epochs"], verbose=0,
                                        random_state=cfg["seed"])
            else:
                model = nbtune.KerasClassifier(build_fn=create_model, epochs=cfg["epochs"],
                                               verbose=0, random_state=cfg["seed"])
            cvs = GridSearchCV(model, grid, cv=cfg["cv"], n_jobs=1, refit=refit).fit(X, y)
            best_score, best_params, n_trials = cvs.best_score_, cvs.best_params_, len(cvs.cv_results_["params"])
            tried = [_plain(p) for p in cvs.cv_results_["params"]]
        else:
            result = nbtune.grid_search(create_model, SearchSpace(Choice("batch_size", cfg["batch_size"])),
                                        X, y, cv=cfg["cv"], epochs=cfg["epochs"],
                                        random_state=cfg["seed"], progress=False)
            best_score, best_params, n_trials = result.best_score, result.best_params, len(result.trials)
            tried = _tried(result)
    elif search == "random":
        space = cfg["space"]
        n_fits = cfg["n_iter"] * cfg["cv"] + (1 if refit else 0)
        if side == "peer" or nbtune_mode == "sklearn":
            if side == "peer":  # scikeras routes only names declared in its constructor
                model = KerasClassifier(make_model_rscv, units=64, activation="relu",
                                        dropout_rate=0.3, optimizer="adam", epochs=cfg["epochs"],
                                        verbose=0, random_state=cfg["seed"])
            else:
                model = nbtune.KerasClassifier(make_model_rscv, epochs=cfg["epochs"], verbose=0,
                                               random_state=cfg["seed"])
            cvs = RandomizedSearchCV(model, space, n_iter=cfg["n_iter"], cv=cfg["cv"],
                                     scoring="accuracy", n_jobs=1, refit=refit,
                                     random_state=cfg["seed"]).fit(X, y)
            best_score, best_params, n_trials = cvs.best_score_, cvs.best_params_, len(cvs.cv_results_["params"])
            tried = [_plain(p) for p in cvs.cv_results_["params"]]
        else:
            nb_space = SearchSpace(*(Choice(name, values) for name, values in space.items()))
            result = nbtune.random_search(make_model_rscv, nb_space, X, y, n_iter=cfg["n_iter"],
                                          cv=cfg["cv"], epochs=cfg["epochs"],
                                          random_state=cfg["seed"], progress=False)
            best_score, best_params, n_trials = result.best_score, result.best_params, len(result.trials)
            tried = _tried(result)
    else:  # hyperband
        validation = digits.validation
        if side == "peer":
            import shutil
            import tempfile

            folder = tempfile.mkdtemp(prefix="bench-kt-")
            try:
                keras.utils.set_random_seed(cfg["seed"])
                tuner = kt.Hyperband(model_builder, objective="val_accuracy",
                                     max_epochs=cfg["max_epochs"], factor=cfg["factor"],
                                     directory=folder, project_name="peer", overwrite=True,
                                     # nbtune.hyperband(random_state=s) seeds the oracle with
                                     # s + 1 (keras-tuner reads seed 0 as "unseeded"), so
                                     # this draws the same configurations
                                     seed=cfg["seed"] + 1)
                tuner.search(X, y, epochs=cfg["max_epochs"], validation_data=validation, verbose=0)
                best = tuner.oracle.get_best_trials(1)[0]
                best_score, best_params = best.score, dict(best.hyperparameters.values)
                n_trials = len(tuner.oracle.trials)
                tried = [{k: v for k, v in t.hyperparameters.values.items() if not k.startswith("tuner/")}
                         for t in tuner.oracle.trials.values()]
                best_params = {k: v for k, v in best_params.items() if not k.startswith("tuner/")}
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        else:
            result = nbtune.hyperband(model_builder, None, X, y, validation_data=validation,
                                      max_epochs=cfg["max_epochs"], factor=cfg["factor"],
                                      random_state=cfg["seed"], progress=False)
            best_score, best_params, n_trials = result.best_score, result.best_params, len(result.trials)
            tried = _tried(result)
    search_seconds = time.perf_counter() - search_started
    return {
        "search": search,
        "side": side,
        "import_seconds": import_seconds,
        "search_seconds": search_seconds,
        "rss_after_import_mb": rss_after_import,
        "rss_end_mb": _rss_mb(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
        "best_score": float(best_score),
        "best_params": _plain(best_params),
        "trials": int(n_trials),
        "fits": n_fits,
        "tried": tried,
        "fit_paths": _fit_paths(locals().get("result")),
    }


def _fit_paths(result) -> str:
    """How nbtune's trials trained ({path: trials}), or "-" for a peer's search."""
    trials = getattr(result, "trials", None)
    if trials is None or "fit_path" not in trials:
        return "-"
    return ", ".join(f"{path}: {n}" for path, n in trials["fit_path"].value_counts().items())


def _tried(result) -> list[dict]:
    """The configurations a SearchResult tried, as plain dicts."""
    return [_plain(row) for row in result.trials[list(result.param_names)].to_dict("records")]


def _same_configs(a: list[dict], b: list[dict]) -> bool:
    key = lambda row: json.dumps(row, sort_keys=True, default=str)  # noqa: E731
    return sorted(map(key, a)) == sorted(map(key, b))


# ------------------------------------------------------------------ the parent
def _medians(runs: list[dict]) -> dict:
    """The first run's figures, with the median of every time and memory figure."""
    figures = dict(runs[0])
    for key in ("search_seconds", "import_seconds", "process_seconds", "peak_rss_mb",
                "rss_after_import_mb"):
        figures[key] = statistics.median(run[key] for run in runs)
    return figures


def spawn(search: str, side: str, args) -> dict:
    command = [sys.executable, os.path.abspath(__file__), "--child", search, side,
               "--nbtune-mode", args.nbtune_mode]
    if args.quick:
        command.append("--quick")
    if args.refit:
        command.append("--refit")
    started = time.perf_counter()
    env = dict(os.environ)
    # before: nbtune as it was before issue 26, Keras's fit for every fit; nbtune: one-call fits
    env["NBTUNE_GRAPH_FIT"] = "0" if side == "before" else "1"
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stderr[-4000:])
        raise RuntimeError(f"the {side} side of the {search} search failed (exit {done.returncode})")
    figures = json.loads(lines[-1][len(MARK):])
    figures["process_seconds"] = wall
    return figures


def describe(cfg: dict, search: str) -> str:
    if search == "grid":
        return f"{len(cfg['batch_size'])} batch sizes {cfg['batch_size']} x {cfg['cv']} folds x {cfg['epochs']} epochs, seed {cfg['seed']}"
    if search == "random":
        return (f"{cfg['n_iter']} configurations of {list(cfg['space'])} x {cfg['cv']} folds x "
                f"{cfg['epochs']} epochs, seed {cfg['seed']}")
    return f"Hyperband max_epochs={cfg['max_epochs']}, factor={cfg['factor']}, seed {cfg['seed']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="shrink every search to a smoke run")
    parser.add_argument("--searches", nargs="+", choices=SEARCHES, default=list(SEARCHES))
    parser.add_argument("--nbtune-mode", choices=("engine", "sklearn"), default="engine",
                        help="engine: nbtune.grid_search/random_search (default); sklearn: "
                             "nbtune.KerasClassifier inside the same GridSearchCV/RandomizedSearchCV")
    parser.add_argument("--refit", action="store_true",
                        help="let the sklearn searches refit the best model (nbtune's helpers do "
                             "not refit, so the default compares equal work)")
    parser.add_argument("--repeats", type=int, default=1,
                        help="peer/nbtune pairs per search, alternating which goes first; "
                             "times and memory are medians")
    parser.add_argument("--json", help="also write every figure to this JSON file")
    parser.add_argument("--child", nargs=2, metavar=("SEARCH", "SIDE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    settings = QUICK if args.quick else FULL

    if args.child:
        search, side = args.child
        figures = run_side(search, side, settings[search], args.nbtune_mode, args.refit)
        print(MARK + json.dumps(figures), flush=True)
        return

    print(f"# source recipes vs nbtune ({'quick' if args.quick else 'full'} run)")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}")
    print(f"# nbtune side: {args.nbtune_mode}; sklearn refit: {args.refit}; each side in a fresh process")
    every = []
    for search in args.searches:
        cfg = settings[search]
        print(f"\n== {search}: {describe(cfg, search)}", flush=True)
        runs = {side: [] for side in SIDES}
        for repeat in range(args.repeats):
            for side in (SIDES if repeat % 2 == 0 else SIDES[::-1]):
                runs[side].append(spawn(search, side, args))
                every.append(runs[side][-1])
        pair = {side: _medians(runs[side]) for side in SIDES}
        peer, before, ours = pair["peer"], pair["before"], pair["nbtune"]
        if args.repeats > 1:
            times = {side: ", ".join(f"{r['search_seconds']:.1f}" for r in runs[side]) for side in SIDES}
            print(f"  {args.repeats} repeats, medians below; search seconds: peer {times['peer']}; "
                  f"before {times['before']}; nbtune {times['nbtune']}")
        print(f"{'':22}{'peer':>12}{'before':>12}{'nbtune':>12}{'nbtune/peer':>13}"
              f"{'nbtune/before':>15}")
        for key, label, unit in (
            ("search_seconds", "search wall time", "s"),
            ("import_seconds", "import + data", "s"),
            ("process_seconds", "whole process", "s"),
            ("peak_rss_mb", "peak RSS", "MB"),
            ("rss_after_import_mb", "RSS after import", "MB"),
        ):
            a, was, b = peer[key], before[key], ours[key]
            print(f"{label + ' (' + unit + ')':22}{a:12.1f}{was:12.1f}{b:12.1f}{b / a:13.2f}"
                  f"{b / was:15.2f}")
        print(f"{'best score':22}{peer['best_score']:12.4f}{before['best_score']:12.4f}"
              f"{ours['best_score']:12.4f}"
              f"{'diff ' + format(ours['best_score'] - peer['best_score'], '+.4f'):>13}"
              f"{'diff ' + format(ours['best_score'] - before['best_score'], '+.4f'):>15}")
        print(f"{'trials':22}{peer['trials']:12d}{before['trials']:12d}{ours['trials']:12d}")
        print(f"  nbtune's fits: {ours.get('fit_paths', '?')}; before: {before.get('fit_paths', '?')}")
        print(f"  same configurations tried: {'yes' if _same_configs(peer['tried'], ours['tried']) else 'NO'}")
        distinct = [{json.dumps(t, sort_keys=True, default=str) for t in side["tried"]} for side in (peer, ours)]
        print(f"  distinct configurations: peer {len(distinct[0])}, nbtune {len(distinct[1])}, "
              f"in common {len(distinct[0] & distinct[1])}"
              + ("  (Hyperband promotes by score, and the two scores differ: see the note)"
                 if search == "hyperband" else ""))
        print(f"  peer best:   {peer['best_params']}")
        print(f"  nbtune best: {ours['best_params']}")
        speedup = peer["search_seconds"] / ours["search_seconds"]
        target = 3.0 if search == "hyperband" else 4.0
        print(f"  speed-up peer/nbtune (search): {speedup:.2f}x  (issue 26 target: >= {target}x"
              + (", best score within 1 point)" if search != "hyperband" else ")"))
        print(f"  speed-up before/nbtune (search): "
              f"{before['search_seconds'] / ours['search_seconds']:.2f}x")
        if search == "hyperband":
            print("  note: the peer's score is keras-tuner's val_accuracy (best epoch); nbtune's is "
                  "accuracy of the trained model on the same validation split")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"quick": args.quick, "nproc": os.cpu_count(),
                       "date": datetime.datetime.now().isoformat(timespec="seconds"),
                       "results": every}, handle, indent=2)


if __name__ == "__main__":
    main()
