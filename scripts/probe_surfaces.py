"""Run the probe suite's bad inputs and print the counts per verdict.

Usage::

    python scripts/probe_surfaces.py            # counts per surface and verdict
    python scripts/probe_surfaces.py --list     # and every case that is not clear

To see an older nbtune's verdicts, run it with that checkout first on the path:
``PYTHONPATH=/path/to/old/checkout python scripts/probe_surfaces.py``.
The verdicts are explained in ``tests/surface_probe.py``.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import surface_probe  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list every case that is not clear")
    parser.add_argument("--only", help="run only the surface_cases_<ONLY> module")
    args = parser.parse_args()
    import nbtune
    from nbtune.backend import quiet_tensorflow

    quiet_tensorflow()

    print(f"nbtune from {Path(nbtune.__file__).parent}")
    counts: dict[str, collections.Counter] = {}
    for module in surface_probe.all_modules():
        surface = module.removeprefix("surface_cases_")
        if args.only and surface != args.only:
            continue
        counts[surface] = collections.Counter()
        for case in surface_probe.load_cases(module):
            outcome = surface_probe.run_case(module, case)
            counts[surface][outcome.verdict] += 1
            if args.list and outcome.verdict != "clear":
                print(f"  {surface}:{case.id}: {outcome.verdict}: {outcome.detail[:300]}")
    header = f"{'surface':<12}" + "".join(f"{v:>8}" for v in surface_probe.VERDICTS) + f"{'all':>8}"
    print(header)
    total = collections.Counter()
    for surface, counter in counts.items():
        total.update(counter)
        print(f"{surface:<12}" + "".join(f"{counter[v]:>8}" for v in surface_probe.VERDICTS)
              + f"{sum(counter.values()):>8}")
    print(f"{'all':<12}" + "".join(f"{total[v]:>8}" for v in surface_probe.VERDICTS)
          + f"{sum(total.values()):>8}")


if __name__ == "__main__":
    main()
