#!/usr/bin/env python
"""Remake the ``digits-mlp`` table with one-call fits, time it, and compare it with the shipped one.

Runs ``python -m nbtune tabulate --n-jobs N`` with ``NBTUNE_GRAPH_FIT=1`` into
``--work`` / ``--out`` (never the shipped files), times the whole command, and
then compares the new table with the shipped table (trained with Keras's
``fit``: another batch order per seed, so equal in distribution, not in value):

- per configuration, the new and old validation accuracy over the 3 seeds at
  epochs 9 and 27: Welch's t, and the share of configurations whose t passes
  the two-sided 5 % critical value (about 5 % if the two are one distribution);
- across configurations, a Wilcoxon signed-rank test of the differences of the
  seed means (a shift of the new table up or down);
- over every fit, a two-sample Kolmogorov-Smirnov test of the accuracies;
- the seconds both tables record.

    python bench/tabulate_speed.py                       # the full table, 2 workers
    python bench/tabulate_speed.py --compare-only OUT    # compare a table written before
    python bench/tabulate_speed.py --quick               # the 4-configuration tiny table

Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import datetime
import platform
import subprocess
import sys
import time
from pathlib import Path


def remake(work: Path, out: Path, n_jobs: int, quick: bool) -> float:
    """Run the tabulate command; its wall seconds."""
    command = [sys.executable, "-m", "nbtune", "tabulate", "--work", str(work), "--out", str(out),
               "--n-jobs", str(n_jobs), "--overwrite", "--quiet", *(["--fast"] if quick else [])]
    env = {**os.environ, "NBTUNE_GRAPH_FIT": "1"}
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env)
    return time.perf_counter() - started


def compare(name: str, out: Path) -> None:
    """The new table against the shipped one, in distribution."""
    import numpy as np
    from scipy import stats

    from nbtune import benchmarks

    new, old = benchmarks.load(name, folder=out), benchmarks.load(name)
    for epoch in sorted({min(9, old.max_epochs), old.max_epochs}):
        a = _per_config(old, epoch)
        b = _per_config(new, epoch)
        t = stats.ttest_ind(a, b, axis=1, equal_var=False)
        tested = ~np.isnan(t.statistic)  # a configuration whose seeds all agree has no t
        critical = np.mean(t.pvalue[tested] < 0.05)
        shift = b.mean(axis=1) - a.mean(axis=1)
        wilcoxon = stats.wilcoxon(shift[shift != 0]).pvalue if np.any(shift != 0) else 1.0
        ks = stats.ks_2samp(a.ravel(), b.ravel()).pvalue
        print(f"epoch {epoch}: {len(a)} configurations x {a.shape[1]} seeds; mean accuracy old "
              f"{a.mean():.4f}, new {b.mean():.4f}")
        print(f"  configurations whose Welch t test gives p < 0.05: {critical:.1%} of "
              f"{int(tested.sum())} (about 5 % expected if nothing changed)")
        print(f"  Wilcoxon signed-rank on the seed means: p = {wilcoxon:.3f}; mean shift "
              f"{shift.mean():+.4f}, median {np.median(shift):+.4f}")
        print(f"  Kolmogorov-Smirnov over every fit: p = {ks:.3f}")
    for label, table in (("old", old), ("new", new)):
        total = table.fits["build_seconds"].sum() + table.curves["seconds"].sum()
        print(f"{label}: fit seconds in all {total:.0f} s (written {table.description['written']}, "
              f"{table.description['machine']})")


def _per_config(table, epoch: int):
    """Validation accuracy at ``epoch``: one row per configuration, one column per seed."""
    at = table.curves[table.curves["epoch"] == epoch]
    return at.pivot(index="config", columns="seed", values="val_accuracy").to_numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/nbtune-tabulate-bench"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/nbtune-tabulate-bench-out"))
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="the tiny table")
    parser.add_argument("--compare-only", type=Path, help="compare the table in this folder")
    args = parser.parse_args()
    name = "digits-mlp-tiny" if args.quick else "digits-mlp"
    print(f"# {name} with one-call fits; {datetime.datetime.now().isoformat(timespec='seconds')}, "
          f"nproc={os.cpu_count()}, {platform.platform()}, Python {platform.python_version()}")
    if args.compare_only is None:
        seconds = remake(args.work, args.out, args.n_jobs, args.quick)
        print(f"tabulate --n-jobs {args.n_jobs}: {seconds:.0f} s wall ({seconds / 60:.1f} min)")
    compare(name, args.compare_only or args.out)


if __name__ == "__main__":
    main()
