#!/usr/bin/env python
"""Keras 3's JAX backend against its TensorFlow backend on nbtune's tiny models.

The same small workload runs once per backend and repeat, each time in a fresh
Python process (``subprocess`` with ``sys.executable``) whose environment has
``KERAS_BACKEND`` set before Keras is imported, so import time and peak memory
(``ru_maxrss`` of that process) belong to that backend alone:

- a hand-written loop over lesson 01's grid (5 batch sizes x ``StratifiedKFold(3)``
  x 5 epochs on the digits training split by default, as in
  ``bench/overhead_vs_loop.py``, whose model and loop this script imports): for
  every fold clear the Keras session, seed, build and compile the model (one
  hidden Dense layer, adam), seed again, ``fit(verbose=0)``, one forward pass on
  the held-out fold, accuracy;
- ``nbtune.grid_search`` over the same grid, folds, epochs and seed
  (``--no-nbtune`` skips it).

A warm-up fit before both is timed but charged to neither, and so is the first
``keras.utils.set_random_seed``: it seeds TensorFlow whenever TensorFlow is
installed, so on the jax backend it imports TensorFlow (an nbtune install always
has it). Within a process the
loop and nbtune alternate order by repeat, and so do the backends, to spread out
drift from other load on the machine. A backend whose package (``tensorflow``
or ``jax``) is not installed is skipped with a message.

    python bench/keras_backends.py                  # ~2 min on 2 cores
    python bench/keras_backends.py --quick          # smoke run, ~1 min
    python bench/keras_backends.py --repeats 3      # medians of 3 processes per backend
    python bench/keras_backends.py --backends jax   # one backend only

Per backend it prints the median import time (``import keras``, and with
nbtune and the data), first seeding, warm-up fit, loop time, time per fit and where the loop's
time goes, ``nbtune.grid_search`` time, whole-process time, peak RSS, mean and
best accuracy; then the ratio jax / tensorflow of each (below 1: jax is faster or
smaller) and the largest difference in accuracy per configuration.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import platform
import resource
import statistics
import subprocess
import sys
import time

from overhead_vs_loop import create_model, hand_loop  # the same model and loop, one copy

BACKENDS = ("tensorflow", "jax")
MARK = "BENCH_RESULT "


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------ one process
def child(cfg: dict) -> None:
    """Run the workload under the backend in KERAS_BACKEND; print one result line."""
    import warnings

    warnings.filterwarnings("ignore")
    out = {"backend_requested": os.environ.get("KERAS_BACKEND")}

    started = time.perf_counter()
    import keras

    out["import_keras_s"] = time.perf_counter() - started
    out["backend"] = keras.backend.backend()
    out["tensorflow_after_import"] = "tensorflow" in sys.modules
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    import nbtune
    from nbtune import Choice, SearchSpace, data

    X, y = data.load_digits().train
    out["import_s"] = time.perf_counter() - started
    out["rss_after_import_mb"] = peak_rss_mb()
    folds = list(StratifiedKFold(n_splits=cfg["cv"]).split(X, y))

    # keras.utils.set_random_seed also seeds TensorFlow whenever it is installed,
    # so on the jax backend its first call imports TensorFlow: timed on its own.
    t = time.perf_counter()
    keras.utils.set_random_seed(cfg["seed"])
    out["first_seed_s"] = time.perf_counter() - t
    out["tensorflow_after_seed"] = "tensorflow" in sys.modules
    out["rss_after_seed_mb"] = peak_rss_mb()

    t = time.perf_counter()  # warm-up: the backend's first fit pays one-time costs
    create_model().fit(X[:64], y[:64], epochs=1, batch_size=32, verbose=0)
    keras.backend.clear_session()
    out["warmup_s"] = time.perf_counter() - t

    order = ("loop", "nbtune") if cfg["repeat"] % 2 == 0 else ("nbtune", "loop")
    for side in order:
        if side == "nbtune" and not cfg["nbtune"]:
            continue
        t = time.perf_counter()
        if side == "loop":
            configs = [{"batch_size": batch_size} for batch_size in cfg["batch_sizes"]]
            out["loop_scores"], out["spent"] = hand_loop(
                X, y, folds, configs, epochs=cfg["epochs"], seed=cfg["seed"])
            out["loop_s"] = time.perf_counter() - t
        else:
            try:
                result = nbtune.grid_search(
                    create_model, SearchSpace(Choice("batch_size", cfg["batch_sizes"])), X, y,
                    cv=cfg["cv"], epochs=cfg["epochs"], random_state=cfg["seed"], progress=False)
                out["nbtune_s"] = time.perf_counter() - t
                trials = result.trials.sort_values("batch_size")
                failed = trials[trials["status"] != "ok"] if "status" in trials else trials[:0]
                if len(failed):
                    out["nbtune_error"] = f"{len(failed)} of {len(trials)} trials failed"
                out["nbtune_scores"] = [float(s) for s in trials["score"]]
            except Exception as error:  # report, and keep the loop's figures
                out["nbtune_error"] = f"{type(error).__name__}: {error}"
    out["tensorflow_after_run"] = "tensorflow" in sys.modules
    out["peak_rss_mb"] = peak_rss_mb()
    out["versions"] = {"keras": keras.__version__, "numpy": np.__version__}
    for name in ("tensorflow", "jax", "jaxlib"):
        if name in sys.modules:
            out["versions"][name] = getattr(sys.modules[name], "__version__", "?")
    print(MARK + json.dumps(out), flush=True)


def run_child(backend: str, cfg: dict) -> dict:
    """One fresh process under ``backend``; its result, with the whole-process time."""
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", json.dumps(cfg)],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    lines = [line for line in proc.stdout.splitlines() if line.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
        return {"error": f"exit code {proc.returncode}\n{tail}"}
    result = json.loads(lines[-1][len(MARK):])
    result["process_s"] = wall
    return result


# ------------------------------------------------------------------ report
def version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def installed(backend: str) -> bool:
    return importlib.util.find_spec(backend) is not None


ROWS = [  # label, key, format
    ("import keras (s)", "import_keras_s", "{:10.2f}"),
    ("import + nbtune + data (s)", "import_s", "{:10.2f}"),
    ("first set_random_seed (s)", "first_seed_s", "{:10.2f}"),
    ("warm-up fit (s)", "warmup_s", "{:10.2f}"),
    ("loop wall time (s)", "loop_s", "{:10.2f}"),
    ("loop per fit (s)", "per_fit_s", "{:10.3f}"),
    ("  build (s)", "build_s", "{:10.2f}"),
    ("  fit (s)", "fit_s", "{:10.2f}"),
    ("  score (s)", "score_s", "{:10.2f}"),
    ("nbtune.grid_search (s)", "nbtune_s", "{:10.2f}"),
    ("nbtune per fit (s)", "nbtune_per_fit_s", "{:10.3f}"),
    ("whole process (s)", "process_s", "{:10.2f}"),
    ("RSS after import (MB)", "rss_after_import_mb", "{:10.0f}"),
    ("RSS after 1st seed (MB)", "rss_after_seed_mb", "{:10.0f}"),
    ("peak RSS (MB)", "peak_rss_mb", "{:10.0f}"),
    ("loop mean accuracy", "loop_mean_acc", "{:10.4f}"),
    ("loop best accuracy", "loop_best_acc", "{:10.4f}"),
    ("nbtune mean accuracy", "nbtune_mean_acc", "{:10.4f}"),
]


def summarise(runs: list[dict], n_fits: int) -> dict:
    """Medians over the repeats of one backend."""
    def med(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    def get(key):
        return med([r.get(key) for r in runs])

    summary = {k: get(k) for k in ("import_keras_s", "import_s", "first_seed_s", "warmup_s",
                                    "loop_s", "nbtune_s", "process_s", "rss_after_import_mb",
                                    "rss_after_seed_mb", "peak_rss_mb")}
    for part in ("build", "fit", "score"):
        summary[f"{part}_s"] = med([r["spent"][part] for r in runs if "spent" in r])
    summary["per_fit_s"] = summary["loop_s"] / n_fits if summary["loop_s"] else None
    summary["nbtune_per_fit_s"] = summary["nbtune_s"] / n_fits if summary["nbtune_s"] else None
    last = runs[-1]
    summary["loop_scores"] = last.get("loop_scores")
    summary["nbtune_scores"] = last.get("nbtune_scores")
    if summary["loop_scores"]:
        summary["loop_mean_acc"] = statistics.mean(summary["loop_scores"])
        summary["loop_best_acc"] = max(summary["loop_scores"])
    if summary["nbtune_scores"]:
        summary["nbtune_mean_acc"] = statistics.mean(summary["nbtune_scores"])
    summary["same_scores_each_repeat"] = all(r.get("loop_scores") == summary["loop_scores"] for r in runs)
    return summary


def fmt(value, spec: str) -> str:
    return f"{'-':>10}" if value is None else spec.format(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2 batch sizes x 3 folds x 1 epoch")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--repeats", type=int, default=1, help="fresh processes per backend; medians")
    parser.add_argument("--batch-sizes", type=int, nargs="+", help="default 8 16 32 64 128")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-nbtune", action="store_true", help="time the hand-written loop only")
    parser.add_argument("--json", metavar="FILE", help="save every process's figures")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return

    batch_sizes = args.batch_sizes or ([32, 128] if args.quick else [8, 16, 32, 64, 128])
    epochs = args.epochs or (1 if args.quick else 5)
    n_fits = len(batch_sizes) * args.cv

    print(f"# Keras backends on nbtune's tiny models ({'quick' if args.quick else 'full'} run)")
    print(f"# {datetime.datetime.now().isoformat(timespec='seconds')}, nproc={os.cpu_count()}, "
          f"{platform.platform()}, Python {platform.python_version()}")
    print("# " + ", ".join(f"{p} {version(p)}" for p in
                           ("keras", "tensorflow-cpu", "tensorflow", "jax", "jaxlib", "numpy", "nbtune")))
    print(f"# lesson 01's grid: batch_size {batch_sizes} x StratifiedKFold({args.cv}) x {epochs} epochs "
          f"= {n_fits} fits per side, seed {args.seed}, digits training split; "
          f"{args.repeats} fresh process(es) per backend, medians")

    backends = []
    for backend in args.backends:
        if installed(backend):
            backends.append(backend)
        else:
            print(f"# skipping {backend}: the {backend} package is not installed "
                  f"(pip install {'jax' if backend == 'jax' else 'tensorflow-cpu'})")
    if not backends:
        print("# no backend to run")
        return

    runs = {b: [] for b in backends}
    for repeat in range(args.repeats):
        order = backends if repeat % 2 == 0 else backends[::-1]
        for backend in order:
            cfg = dict(batch_sizes=batch_sizes, epochs=epochs, cv=args.cv, seed=args.seed,
                       repeat=repeat, nbtune=not args.no_nbtune)
            result = run_child(backend, cfg)
            if "error" in result:
                print(f"  repeat {repeat + 1}: {backend:10} FAILED: {result['error']}", flush=True)
                continue
            if result.get("backend") != backend:
                print(f"  repeat {repeat + 1}: {backend:10} ran on {result.get('backend')!r} instead; dropped")
                continue
            runs[backend].append(result)
            nbtune_part = (f"nbtune {result['nbtune_s']:6.1f} s" if "nbtune_s" in result
                           else f"nbtune {result.get('nbtune_error', 'skipped')}")
            print(f"  repeat {repeat + 1}: {backend:10} import {result['import_s']:5.1f} s  "
                  f"loop {result['loop_s']:6.1f} s  {nbtune_part}  "
                  f"peak RSS {result['peak_rss_mb']:5.0f} MB", flush=True)
            if result.get("nbtune_error") and "nbtune_s" in result:
                print(f"      nbtune: {result['nbtune_error']}")

    done = [b for b in backends if runs[b]]
    if not done:
        print("# every run failed")
        return
    summaries = {b: summarise(runs[b], n_fits) for b in done}
    both = "tensorflow" in summaries and "jax" in summaries

    print()
    print(f"{'':28}" + "".join(f"{b:>10}" for b in done) + (f"{'jax/tf':>10}" if both else ""))
    for label, key, spec in ROWS:
        values = [summaries[b].get(key) for b in done]
        if all(v is None for v in values):
            continue
        line = f"{label:28}" + "".join(fmt(v, spec) for v in values)
        if both and "accuracy" not in label:
            tf, jx = summaries["tensorflow"].get(key), summaries["jax"].get(key)
            line += fmt(jx / tf if tf and jx is not None else None, "{:10.2f}")
        print(line)

    for b in done:
        first = runs[b][0]
        print(f"{b}: TensorFlow loaded after import: {first.get('tensorflow_after_import')}, "
              f"after the first set_random_seed: {first.get('tensorflow_after_seed')}, "
              f"after the run: {first.get('tensorflow_after_run')}; "
              f"same loop scores in every repeat: {summaries[b]['same_scores_each_repeat']}"
              + (f"; nbtune: {first['nbtune_error']}" if first.get("nbtune_error") else ""))
    if both:
        tf, jx = summaries["tensorflow"], summaries["jax"]
        for what, key in (("loop", "loop_s"), ("nbtune.grid_search", "nbtune_s")):
            if tf.get(key) and jx.get(key):
                ratio = jx[key] / tf[key]
                print(f"{what}: jax / tensorflow = {ratio:.2f} ("
                      + (f"{1 / ratio:.2f}x faster" if ratio < 1 else f"{ratio:.2f}x slower") + " on jax)")
        print(f"peak RSS: jax - tensorflow = {jx['peak_rss_mb'] - tf['peak_rss_mb']:+.0f} MB")
        if tf["loop_scores"] and jx["loop_scores"]:
            diff = max(abs(a - b) for a, b in zip(tf["loop_scores"], jx["loop_scores"]))
            print(f"largest loop accuracy difference per configuration, jax vs tensorflow: {diff:.4f}")
    for i, batch_size in enumerate(batch_sizes):
        cells = []
        for b in done:
            s = summaries[b]
            loop = s["loop_scores"][i] if s["loop_scores"] else None
            nb = s["nbtune_scores"][i] if s["nbtune_scores"] and i < len(s["nbtune_scores"]) else None
            cells.append(f"{b} loop {fmt(loop, '{:.4f}').strip()} nbtune {fmt(nb, '{:.4f}').strip()}")
        print(f"  batch_size {batch_size:4}: " + "  ".join(cells))

    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"batch_sizes": batch_sizes, "epochs": epochs, "cv": args.cv, "seed": args.seed,
                       "runs": runs}, fh, indent=1)
        print(f"# saved to {args.json}")


if __name__ == "__main__":
    main()
